//! The form of one activity record: date, organisation, types, topic and the rest, the attendance
//! list from the roll of that day, and attachments chosen for it.

use std::path::PathBuf;

use chrono::NaiveDate;
use egui::{RichText, TextEdit, Ui};

use crate::model::activity::{
    ActivityField as F, ActivityInput, ActivityType, GROUPS, first_topic_id, is_yearly,
    proposed_for_year,
};
use crate::model::date::parse_date;
use crate::model::theme::Theme;
use crate::ui::AppCtx;
use crate::ui::editor::{Editor, FormAction};
use crate::ui::widgets::attachments::{AttachmentsState, attachments_ui};
use crate::ui::widgets::attendance::{attendance_ui, merge_roll};
use crate::ui::widgets::date_field::date_field;
use crate::ui::widgets::form::{self, choice_row, row, text_row};

/// The record as typed, with the files chosen for it (copied when it is saved).
#[derive(Clone, PartialEq, Default)]
pub struct ActivityDraft {
    pub input: ActivityInput,
    pub files: Vec<PathBuf>,
}

/// What the form keeps besides the draft.
#[derive(Default)]
pub struct FormState {
    /// The (organisation, date) the attendance list was built for; rebuilt when either changes.
    pub roll_for: Option<(i64, NaiveDate)>,
    /// Counts the forms opened, so that each opens scrolled to its top.
    pub generation: u64,
    pub attachments: AttachmentsState,
}

pub enum FormEvent {
    Bar(FormAction),
    Delete,
    Print,
}

pub type ActivityEditor = Editor<ActivityDraft>;

pub fn form_ui(
    ui: &mut Ui,
    editor: &mut ActivityEditor,
    state: &mut FormState,
    ctx: &mut AppCtx,
    types: &[ActivityType],
    themes: &[Theme],
    leaders: &[String],
) -> Option<FormEvent> {
    sync_attendance(editor, state, ctx);
    let title = match editor
        .form()
        .map(|f| (f.draft.input.id, &f.original().input.topic))
    {
        Some((Some(_), topic)) => format!("活动：{topic}"),
        _ => "登记活动".to_string(),
    };
    let mut event = editor.save_bar(ui, &title).map(FormEvent::Bar);
    let form = editor.form_mut()?;
    let errors = &form.errors;
    let ActivityDraft { input, files } = &mut form.draft;
    egui::ScrollArea::vertical()
        // Keyed by the record, so each record opens scrolled to its top.
        .id_salt(("activity_form_scroll", input.id, state.generation))
        .show(ui, |ui| {
            egui::Grid::new("activity_form_grid")
                .min_col_width(form::LABEL_WIDTH)
                .num_columns(2)
                .spacing([12.0, 6.0])
                .show(ui, |ui| {
                    row(ui, "日期", true, errors.get(F::Date), |ui, id| {
                        date_field(ui, &mut input.date, id);
                    });
                    row(ui, "时间", false, errors.get(F::Time), |ui, id| {
                        ui.add(
                            TextEdit::singleline(&mut input.time)
                                .desired_width(80.0)
                                .hint_text("如 14:30"),
                        )
                        .labelled_by(id);
                    });
                    choice_row(
                        ui,
                        "组织",
                        true,
                        errors.get(F::Org),
                        &mut input.org_id,
                        ctx.org_options(),
                        None,
                    );
                    row(ui, "类型", true, errors.get(F::Types), |ui, _| {
                        type_picker(ui, &mut input.type_ids, types)
                    });
                    row(ui, "专题", false, errors.get(F::Themes), |ui, _| {
                        theme_picker(ui, &mut input.theme_ids, themes)
                    });
                    if is_yearly(types, &input.type_ids) {
                        // Proposed from the date (January–March: the year before) and shown, so
                        // that the meeting counts for the year it was held for.
                        if input.for_year.trim().is_empty()
                            && let Ok(d) = parse_date(&input.date)
                        {
                            input.for_year = proposed_for_year(d).to_string();
                        }
                        row(
                            ui,
                            "所属年度",
                            true,
                            errors.get(F::ForYear),
                            |ui, id| {
                                ui.horizontal(|ui| {
                                    ui.add(
                                        TextEdit::singleline(&mut input.for_year)
                                            .desired_width(60.0),
                                    )
                                    .labelled_by(id);
                                    ui.label(
                                        RichText::new("年（年度会议一般在次年一至三月召开）")
                                            .weak(),
                                    );
                                });
                            },
                        );
                    }
                    row(ui, "主题", true, errors.get(F::Topic), |ui, id| {
                        ui.add(TextEdit::singleline(&mut input.topic).desired_width(320.0))
                            .labelled_by(id);
                    });
                    let first_topic = first_topic_id(types);
                    if first_topic.is_some_and(|f| input.type_ids.contains(&f)) {
                        row(
                            ui,
                            "讲话日期",
                            true,
                            errors.get(F::SpeechDate),
                            |ui, id| {
                                date_field(ui, &mut input.speech_date, id);
                            },
                        );
                    }
                    row(ui, "学习内容", false, None, |ui, id| {
                        ui.add(
                            TextEdit::multiline(&mut input.content)
                                .desired_rows(2)
                                .desired_width(320.0),
                        )
                        .labelled_by(id);
                    });
                    // Picked from the roll (and, as 主讲人, the leadership) so that a name is
                    // spelled as the records spell it: 领导班子成员讲党课 is counted by name.
                    let roll: Vec<&str> =
                        input.attendance.iter().map(|a| a.name.as_str()).collect();
                    row(ui, "主持人", false, None, |ui, id| {
                        person_field(ui, id, "host", &mut input.host, &roll, &[]);
                    });
                    row(ui, "主讲人", false, None, |ui, id| {
                        person_field(ui, id, "lecturer", &mut input.lecturer, &roll, leaders);
                    });
                    text_row(ui, "地点", false, None, &mut input.place);
                    row(ui, "记录人", false, None, |ui, id| {
                        person_field(ui, id, "recorder", &mut input.recorder, &roll, &[]);
                    });
                });
            ui.add_space(8.0);
            attendance_ui(ui, input, errors);
            ui.add_space(8.0);
            egui::Grid::new("activity_form_more")
                .min_col_width(form::LABEL_WIDTH)
                .num_columns(2)
                .spacing([12.0, 6.0])
                .show(ui, |ui| {
                    row(ui, "列席人员", false, None, |ui, id| {
                        ui.add(
                            TextEdit::singleline(&mut input.guests)
                                .desired_width(320.0)
                                .hint_text("非本组织党员，用“、”分隔"),
                        )
                        .labelled_by(id);
                    });
                    row(ui, "会议记录", false, None, |ui, id| {
                        ui.add(
                            TextEdit::multiline(&mut input.minutes)
                                .desired_rows(4)
                                .desired_width(320.0),
                        )
                        .labelled_by(id);
                    });
                    row(ui, "成效", false, None, |ui, id| {
                        ui.add(
                            TextEdit::multiline(&mut input.outcome)
                                .desired_rows(2)
                                .desired_width(320.0),
                        )
                        .labelled_by(id);
                    });
                });
            ui.add_space(8.0);
            let dir = ctx.db.attachments_dir();
            attachments_ui(
                ui,
                &mut state.attachments,
                dir.as_deref(),
                &mut input.attachments,
                files,
            );
            if let Some(e) = errors.get(F::Attachments) {
                ui.label(RichText::new(e).color(form::ERROR));
            }
            if input.id.is_some() {
                ui.add_space(12.0);
                ui.horizontal(|ui| {
                    if ui
                        .button("打印会议记录和签到表…")
                        .on_hover_text("按已保存的内容生成 A4 PDF")
                        .clicked()
                    {
                        event = Some(FormEvent::Print);
                    }
                    if ui
                        .button(RichText::new("删除此记录…").color(form::ERROR))
                        .clicked()
                    {
                        event = Some(FormEvent::Delete);
                    }
                });
            }
        });
    event
}

/// Checkboxes per group; hidden types appear only when the record already has them.
fn type_picker(ui: &mut Ui, chosen: &mut Vec<i64>, types: &[ActivityType]) {
    ui.vertical(|ui| {
        let mut groups: Vec<&str> = GROUPS.to_vec();
        for t in types {
            if !groups.contains(&t.group.as_str()) {
                groups.push(&t.group);
            }
        }
        for group in groups {
            let in_group: Vec<&ActivityType> = types
                .iter()
                .filter(|t| {
                    t.group == group && t.id.is_some_and(|id| !t.hidden || chosen.contains(&id))
                })
                .collect();
            if in_group.is_empty() {
                continue;
            }
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(group).weak());
                for t in in_group {
                    let Some(id) = t.id else { continue };
                    tick(ui, chosen, id, &t.label);
                }
            });
        }
    });
}

/// A checkbox that puts `id` in `chosen` or takes it out.
fn tick(ui: &mut Ui, chosen: &mut Vec<i64>, id: i64, label: &str) {
    let mut on = chosen.contains(&id);
    if ui.checkbox(&mut on, label).changed() {
        if on {
            chosen.push(id);
        } else {
            chosen.retain(|x| *x != id);
        }
    }
}

/// A checkbox per 专题; retired ones appear only when the record already carries them.
fn theme_picker(ui: &mut Ui, chosen: &mut Vec<i64>, themes: &[Theme]) {
    ui.horizontal_wrapped(|ui| {
        for t in themes {
            let Some(id) = t.id else { continue };
            if t.hidden && !chosen.contains(&id) {
                continue;
            }
            tick(ui, chosen, id, &t.label);
        }
    });
}

/// Rebuilds the attendance list from the roll when the organisation or the date changes.
fn sync_attendance(editor: &mut ActivityEditor, state: &mut FormState, ctx: &mut AppCtx) {
    let Some(form) = editor.form_mut() else {
        return;
    };
    let input = &mut form.draft.input;
    let (Some(org_id), Ok(day)) = (input.org_id, parse_date(&input.date)) else {
        return;
    };
    if state.roll_for == Some((org_id, day)) {
        return;
    }
    state.roll_for = Some((org_id, day));
    match ctx.db.roll_at(org_id, day) {
        Ok(roll) => merge_roll(&mut input.attendance, roll),
        Err(e) => ctx.toasts.error(format!("读取党员名单失败：{e}")),
    }
}

/// A name typed, or picked from the organisation's roll and `leaders` (the 党组's committee).
fn person_field(
    ui: &mut Ui,
    label_id: egui::Id,
    salt: &str,
    text: &mut String,
    roll: &[&str],
    leaders: &[String],
) {
    ui.horizontal(|ui| {
        ui.add(TextEdit::singleline(text).desired_width(150.0))
            .labelled_by(label_id);
        egui::ComboBox::from_id_salt(("person_pick", salt))
            .selected_text("选择…")
            .width(80.0)
            .height(320.0)
            .show_ui(ui, |ui| {
                if !leaders.is_empty() {
                    ui.label(RichText::new("领导班子").weak());
                    for name in leaders {
                        if ui.selectable_label(text == name, name).clicked() {
                            *text = name.clone();
                        }
                    }
                    ui.separator();
                }
                if roll.is_empty() {
                    ui.label(RichText::new("先选组织和日期，再从在册党员中选").weak());
                }
                for name in roll {
                    if ui.selectable_label(text == name, *name).clicked() {
                        *text = name.to_string();
                    }
                }
            })
            .response
            .labelled_by(label_id);
    });
}
