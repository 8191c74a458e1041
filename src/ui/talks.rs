//! Tab 谈话: the year's counts by kind and 人次, the list, and the form. What was said stays folded
//! away until the user opens it: talks are sensitive and a visitor may be looking at the screen.

use chrono::Datelike;
use egui::{RichText, TextEdit, Ui};
use egui_extras::Column;

use super::widgets::date_field::date_field;
use super::widgets::form::{self, FormAction, choice_row, row, text_row};
use super::widgets::table::record_table;
use super::{AppCtx, next_after_confirm};
use crate::model::FieldErrors;
use crate::model::date;
use crate::model::talk::{Talk, TalkField as F, TalkForm, TalkInput, TalkKind};
use crate::store::TalkCount;

struct TalkEditor {
    input: TalkInput,
    original: TalkInput,
    errors: FieldErrors<F>,
    store_error: Option<String>,
    /// Members to pick 谈话对象 from: (id, name, organisation), loaded when the form opens.
    candidates: Vec<(i64, String, String)>,
    search: String,
    show_content: bool,
}

#[derive(Clone, Copy)]
enum Next {
    New,
    Edit(i64),
    Close,
}

struct KindsDialog {
    rows: Vec<TalkKind>,
    original: Vec<TalkKind>,
    new_label: String,
    message: Option<String>,
}

#[derive(Default)]
pub struct TalksTab {
    year: Option<i32>,
    rows: Vec<Talk>,
    counts: Vec<TalkCount>,
    kinds: Vec<TalkKind>,
    loaded_for: Option<(u64, Option<i32>)>,
    form: Option<TalkEditor>,
    pending: Option<Next>,
    kinds_dialog: Option<KindsDialog>,
}

impl TalksTab {
    pub fn ui(&mut self, ui: &mut Ui, ctx: &mut AppCtx) {
        if self.loaded_for.is_none() {
            self.year = Some(ctx.today.year());
        }
        self.load(ctx);
        let mut next = None;
        ui.horizontal_wrapped(|ui| {
            if ui.button(RichText::new("＋ 登记谈话").strong()).clicked() {
                next = Some(Next::New);
            }
            ui.separator();
            let years: Vec<(i32, String)> = (ctx.today.year() - 9..=ctx.today.year())
                .rev()
                .map(|y| (y, format!("{y}年")))
                .collect();
            let label = ui.label("年份");
            form::choice(
                ui,
                "talk_year",
                label.id,
                &mut self.year,
                &years,
                Some("全部年份"),
                100.0,
            );
            if ui.button("谈话类型设置…").clicked() {
                self.kinds_dialog = Some(KindsDialog {
                    rows: self.kinds.clone(),
                    original: self.kinds.clone(),
                    new_label: String::new(),
                    message: None,
                });
            }
        });
        ui.separator();
        self.summary(ui);
        let mut action = None;
        if let Some(form) = &mut self.form {
            egui::Panel::right("talk_form")
                .resizable(true)
                .default_size(500.0)
                .min_size(380.0)
                .show(ui, |ui| action = form_ui(ui, form, &self.kinds));
        }
        egui::CentralPanel::default().show(ui, |ui| {
            if let Some(id) = self.table(ui) {
                next = Some(Next::Edit(id));
            }
        });
        match action {
            Some(FormAction::Save) => self.save(ctx),
            Some(FormAction::Cancel) => next = Some(Next::Close),
            None => {}
        }
        let dirty = self.form.as_ref().is_some_and(|f| f.input != f.original);
        if let Some(next) =
            next_after_confirm(ui.ctx(), "talk_discard", dirty, next, &mut self.pending)
        {
            self.go(next, ctx);
        }
        self.kinds_dialog_ui(ui.ctx(), ctx);
    }

    fn load(&mut self, ctx: &mut AppCtx) {
        let key = (ctx.db.generation(), self.year);
        if self.loaded_for == Some(key) {
            return;
        }
        let year = self.year.unwrap_or(ctx.today.year());
        match (
            ctx.db.talks(self.year),
            ctx.db.talk_counts(year),
            ctx.db.talk_kinds(),
        ) {
            (Ok(rows), Ok(counts), Ok(kinds)) => {
                self.rows = rows;
                self.counts = counts;
                self.kinds = kinds;
            }
            (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => {
                ctx.toasts.error(format!("读取谈话记录失败：{e}"))
            }
        }
        self.loaded_for = Some(key);
    }

    /// The year's sentence, as the year-end report phrases it.
    fn summary(&self, ui: &mut Ui) {
        let Some(year) = self.year else {
            ui.label(format!("全部年份共 {} 次谈话", self.rows.len()));
            return;
        };
        let total: u32 = self.counts.iter().map(|c| c.count).sum();
        let subjects: u32 = self.counts.iter().map(|c| c.subjects).sum();
        let parts: Vec<String> = self
            .counts
            .iter()
            .filter(|c| c.count > 0)
            .map(|c| format!("{}{}次（{}人次）", c.kind, c.count, c.subjects))
            .collect();
        let text = if parts.is_empty() {
            format!("{year}年尚未登记谈话。")
        } else {
            format!(
                "{year}年开展谈话{total}次，其中{}，谈话对象{subjects}人次。",
                parts.join("、")
            )
        };
        ui.label(RichText::new(text).strong());
    }

    fn kind_label(&self, id: i64) -> &str {
        self.kinds
            .iter()
            .find(|k| k.id == Some(id))
            .map(|k| k.label.as_str())
            .unwrap_or("？")
    }

    fn table(&self, ui: &mut Ui) -> Option<i64> {
        if self.rows.is_empty() {
            ui.add_space(20.0);
            ui.label("没有谈话记录。点击“＋ 登记谈话”登记一次谈话。");
            return None;
        }
        let selected = self.form.as_ref().and_then(|f| f.input.id);
        let mut clicked = None;
        record_table(ui, "talk_table", |table| {
            table
                .column(Column::initial(96.0))
                .column(Column::initial(110.0).clip(true))
                .column(Column::initial(44.0))
                .column(Column::initial(120.0).clip(true))
                .column(Column::initial(220.0).clip(true))
                .column(Column::initial(110.0))
                .header(28.0, |mut h| {
                    for title in ["日期", "类型", "形式", "谈话人", "谈话对象", "人次"]
                    {
                        h.col(|ui| {
                            ui.strong(title);
                        });
                    }
                })
                .body(|body| {
                    body.rows(28.0, self.rows.len(), |mut row| {
                        let t = &self.rows[row.index()];
                        row.set_selected(t.id.is_some() && t.id == selected);
                        row.col(|ui| {
                            ui.label(date::iso(t.date));
                        });
                        row.col(|ui| {
                            ui.label(self.kind_label(t.kind_id));
                        });
                        row.col(|ui| {
                            ui.label(t.form.label());
                        });
                        row.col(|ui| {
                            ui.label(&t.talkers);
                        });
                        row.col(|ui| {
                            ui.label(t.subjects_text());
                        });
                        row.col(|ui| {
                            ui.label(t.subject_count().to_string());
                        });
                        if row.response().clicked() {
                            clicked = t.id;
                        }
                    });
                });
        });
        clicked
    }

    fn go(&mut self, next: Next, ctx: &mut AppCtx) {
        self.pending = None;
        let input = match next {
            Next::Close => {
                self.form = None;
                return;
            }
            Next::New => TalkInput {
                date: date::iso(ctx.today),
                kind_id: self.kinds.iter().find(|k| !k.hidden).and_then(|k| k.id),
                ..Default::default()
            },
            Next::Edit(id) => match ctx.db.talk(id) {
                Ok(t) => t.to_input(),
                Err(e) => {
                    ctx.toasts.error(format!("无法打开该谈话记录：{e}"));
                    return;
                }
            },
        };
        let candidates = ctx.db.members_on_rolls(ctx.today).unwrap_or_default();
        self.form = Some(TalkEditor {
            original: input.clone(),
            input,
            errors: FieldErrors::new(),
            store_error: None,
            candidates,
            search: String::new(),
            show_content: false,
        });
    }

    fn save(&mut self, ctx: &mut AppCtx) {
        let Some(form) = &mut self.form else { return };
        form.store_error = None;
        match form.input.validate(ctx.today) {
            Err(e) => form.errors = e,
            Ok(talk) => {
                form.errors = FieldErrors::new();
                match ctx.db.save_talk(&talk) {
                    Ok(id) => {
                        ctx.toasts.success("已保存谈话记录");
                        self.go(Next::Edit(id), ctx);
                    }
                    Err(e) => form.store_error = Some(e.to_string()),
                }
            }
        }
    }

    fn kinds_dialog_ui(&mut self, egui_ctx: &egui::Context, ctx: &mut AppCtx) {
        let Some(dialog) = &mut self.kinds_dialog else {
            return;
        };
        let (mut close, mut save, mut add) = (false, false, false);
        let modal = egui::Modal::new(egui::Id::unique("talk_kinds")).show(egui_ctx, |ui| {
            ui.set_width(460.0);
            ui.heading("谈话类型设置");
            ui.label(
                RichText::new(
                    "可按本单位习惯改名；停用的类型不再供选择，已有记录不受影响。类型不能删除。",
                )
                .weak(),
            );
            egui::Grid::new("kinds_grid")
                .striped(true)
                .num_columns(2)
                .show(ui, |ui| {
                    let name = ui.strong("名称").id;
                    let hidden = ui.strong("停用").id;
                    ui.end_row();
                    for k in &mut dialog.rows {
                        ui.add(TextEdit::singleline(&mut k.label).desired_width(200.0))
                            .labelled_by(name);
                        ui.checkbox(&mut k.hidden, "").labelled_by(hidden);
                        ui.end_row();
                    }
                });
            ui.horizontal(|ui| {
                let label = ui.label("新增类型");
                ui.add(TextEdit::singleline(&mut dialog.new_label).desired_width(200.0))
                    .labelled_by(label.id);
                if ui.button("添加").clicked() {
                    add = true;
                }
            });
            if let Some(m) = &dialog.message {
                ui.label(RichText::new(m).color(form::ERROR));
            }
            ui.horizontal(|ui| {
                if ui.button(RichText::new("保存").strong()).clicked() {
                    save = true;
                }
                if ui.button("关闭").clicked() {
                    close = true;
                }
            });
        });
        let mut to_save: Vec<TalkKind> = Vec::new();
        if add {
            let label = dialog.new_label.trim().to_string();
            if label.is_empty() {
                dialog.message = Some("请填写新类型的名称".into());
            } else {
                to_save.push(TalkKind {
                    id: None,
                    uid: String::new(),
                    label,
                    builtin: false,
                    hidden: false,
                });
            }
        }
        if save {
            if dialog.rows.iter().any(|k| k.label.trim().is_empty()) {
                dialog.message = Some("类型名称不能为空".into());
            } else {
                to_save.extend(
                    dialog
                        .rows
                        .iter()
                        .filter(|r| !dialog.original.contains(r))
                        .cloned(),
                );
            }
        }
        let mut ok = true;
        for k in &to_save {
            if let Err(e) = ctx.db.save_talk_kind(k) {
                dialog.message = Some(e.to_string());
                ok = false;
                break;
            }
        }
        if ok && !to_save.is_empty() {
            ctx.toasts.success("已保存谈话类型");
            if let Ok(kinds) = ctx.db.talk_kinds() {
                dialog.rows = kinds.clone();
                dialog.original = kinds;
            }
            dialog.new_label.clear();
            dialog.message = None;
            if save {
                close = true;
            }
        } else if ok && save {
            close = true;
        }
        if modal.should_close() {
            close = true;
        }
        if close {
            self.kinds_dialog = None;
        }
    }
}

fn form_ui(ui: &mut Ui, form: &mut TalkEditor, kinds: &[TalkKind]) -> Option<FormAction> {
    let title = if form.input.id.is_some() {
        "谈话记录"
    } else {
        "登记谈话"
    };
    let action = form::save_bar(ui, title, form.errors.len(), form.store_error.as_deref());
    let errors = &form.errors;
    let input = &mut form.input;
    egui::ScrollArea::vertical()
        .id_salt(("talk_form_scroll", input.id))
        .show(ui, |ui| {
            egui::Grid::new("talk_grid")
                .min_col_width(form::LABEL_WIDTH)
                .num_columns(2)
                .spacing([12.0, 6.0])
                .show(ui, |ui| {
                    row(ui, "谈话日期", true, errors.get(F::Date), |ui, id| {
                        date_field(ui, &mut input.date, id);
                    });
                    let options: Vec<(i64, String)> = kinds
                        .iter()
                        .filter(|k| !k.hidden || k.id == input.kind_id)
                        .filter_map(|k| Some((k.id?, k.label.clone())))
                        .collect();
                    choice_row(
                        ui,
                        "谈话类型",
                        true,
                        errors.get(F::Kind),
                        &mut input.kind_id,
                        &options,
                        None,
                    );
                    row(ui, "形式", false, None, |ui, _| {
                        ui.horizontal(|ui| {
                            ui.radio_value(&mut input.form, TalkForm::Individual, "个别谈话");
                            ui.radio_value(&mut input.form, TalkForm::Collective, "集体谈话");
                        });
                    });
                    row(ui, "谈话人", true, errors.get(F::Talkers), |ui, id| {
                        ui.add(
                            TextEdit::singleline(&mut input.talkers)
                                .desired_width(260.0)
                                .hint_text("多人用“、”分隔"),
                        )
                        .labelled_by(id);
                    });
                    row(
                        ui,
                        "谈话对象",
                        true,
                        errors.get(F::Subjects),
                        |ui, id| {
                            ui.vertical(|ui| {
                                if !input.subjects.is_empty() {
                                    let mut remove = None;
                                    ui.horizontal_wrapped(|ui| {
                                        for (i, (_, name)) in input.subjects.iter().enumerate() {
                                            if ui
                                                .button(format!("{name} ×"))
                                                .on_hover_text("移除")
                                                .clicked()
                                            {
                                                remove = Some(i);
                                            }
                                        }
                                    });
                                    if let Some(i) = remove {
                                        input.subjects.remove(i);
                                    }
                                }
                                ui.add(
                                    TextEdit::singleline(&mut form.search)
                                        .desired_width(260.0)
                                        .hint_text("输入姓名查找党员"),
                                )
                                .labelled_by(id);
                                let needle = form.search.trim();
                                if !needle.is_empty() {
                                    let found: Vec<&(i64, String, String)> = form
                                        .candidates
                                        .iter()
                                        .filter(|(_, n, _)| n.contains(needle))
                                        .take(8)
                                        .collect();
                                    for (member_id, name, org) in found {
                                        if ui.button(format!("＋ {name}（{org}）")).clicked()
                                            && !input.subjects.iter().any(|(i, _)| i == member_id)
                                        {
                                            input.subjects.push((*member_id, name.clone()));
                                        }
                                    }
                                }
                            });
                        },
                    );
                    text_row(ui, "其他对象姓名", false, None, &mut input.subject_names);
                    if input.form == TalkForm::Collective {
                        row(
                            ui,
                            "对象人数",
                            false,
                            errors.get(F::Headcount),
                            |ui, id| {
                                ui.add(
                                    TextEdit::singleline(&mut input.headcount)
                                        .desired_width(60.0)
                                        .hint_text("人"),
                                )
                                .labelled_by(id);
                            },
                        );
                    }
                    text_row(ui, "地点", false, None, &mut input.place);
                });
            ui.add_space(8.0);
            // Folded by default: a visitor may be looking at the screen.
            let toggle = if form.show_content {
                "隐藏谈话内容"
            } else {
                "显示谈话事由、内容和后续跟进"
            };
            if ui.button(toggle).clicked() {
                form.show_content = !form.show_content;
            }
            if form.show_content {
                egui::Grid::new("talk_content")
                    .min_col_width(form::LABEL_WIDTH)
                    .num_columns(2)
                    .spacing([12.0, 6.0])
                    .show(ui, |ui| {
                        for (label, text) in [
                            ("谈话事由", &mut input.reason),
                            ("谈话内容", &mut input.content),
                            ("后续跟进", &mut input.follow_up),
                        ] {
                            row(ui, label, false, None, |ui, id| {
                                ui.add(
                                    TextEdit::multiline(text)
                                        .desired_rows(3)
                                        .desired_width(300.0),
                                )
                                .labelled_by(id);
                            });
                        }
                    });
            } else {
                ui.label(RichText::new("谈话内容属敏感信息，默认不显示。").weak());
            }
        });
    action
}
