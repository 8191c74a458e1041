//! Tab 整改台账: the ledger (filters by status, source and unit; overdue marked), the problem form,
//! dated progress notes, and the 销号 / 重新打开 / 作废 dialogs. Nothing is ever deleted.

use chrono::NaiveDate;
use egui::{RichText, TextEdit, Ui};
use egui_extras::Column;

use super::widgets::date_field::date_field;
use super::widgets::form::{self, FormAction, choice_row, row, text_row};
use super::widgets::table::record_table;
use super::{AppCtx, next_after_confirm};
use crate::model::FieldErrors;
use crate::model::date::{self, parse_date};
use crate::model::rectify::{
    CloseField, CloseInput, RectEvent, RectField as F, RectInput, RectStatus, Rectification, Source,
};

/// The status filter: the four statuses, and 逾期 which is computed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum StatusFilter {
    Status(RectStatus),
    Overdue,
}

struct Editor {
    input: RectInput,
    original: RectInput,
    errors: FieldErrors<F>,
    store_error: Option<String>,
    current: Option<Rectification>,
    history: Vec<RectEvent>,
    progress_date: String,
    progress_text: String,
    progress_error: Option<String>,
}

/// The dialogs that change an item's status.
enum Dialog {
    Close {
        id: i64,
        found_on: NaiveDate,
        input: CloseInput,
        errors: FieldErrors<CloseField>,
    },
    Reason {
        id: i64,
        reopen: bool,
        date: String,
        reason: String,
        error: Option<String>,
    },
}

#[derive(Clone, Copy)]
enum Next {
    New,
    Edit(i64),
    Close,
}

#[derive(Default)]
pub struct RectifyTab {
    rows: Vec<Rectification>,
    loaded: Option<u64>,
    status: Option<StatusFilter>,
    source: Option<Source>,
    unit: String,
    editor: Option<Editor>,
    dialog: Option<Dialog>,
    pending: Option<Next>,
}

impl RectifyTab {
    pub fn ui(&mut self, ui: &mut Ui, ctx: &mut AppCtx) {
        if self.loaded != Some(ctx.db.generation()) {
            match ctx.db.rectifications() {
                Ok(rows) => self.rows = rows,
                Err(e) => ctx.toasts.error(format!("读取整改台账失败：{e}")),
            }
            self.loaded = Some(ctx.db.generation());
        }
        let mut next = None;
        ui.horizontal_wrapped(|ui| {
            if ui.button(RichText::new("＋ 登记问题").strong()).clicked() {
                next = Some(Next::New);
            }
            ui.separator();
            let mut statuses: Vec<(StatusFilter, String)> = RectStatus::ALL
                .iter()
                .map(|s| (StatusFilter::Status(*s), s.label().to_string()))
                .collect();
            statuses.insert(2, (StatusFilter::Overdue, "逾期".into()));
            let label = ui.label("状态");
            form::choice(
                ui,
                "rect_status",
                label.id,
                &mut self.status,
                &statuses,
                Some("全部状态"),
                110.0,
            );
            let sources: Vec<(Source, String)> = Source::ALL
                .iter()
                .map(|s| (*s, s.label().to_string()))
                .collect();
            let label = ui.label("来源");
            form::choice(
                ui,
                "rect_source",
                label.id,
                &mut self.source,
                &sources,
                Some("全部来源"),
                120.0,
            );
            let label = ui.label("责任单位");
            ui.add(TextEdit::singleline(&mut self.unit).desired_width(140.0))
                .labelled_by(label.id);
        });
        ui.separator();
        let mut action = None;
        if let Some(editor) = &mut self.editor {
            egui::Panel::right("rect_form")
                .resizable(true)
                .default_size(520.0)
                .min_size(400.0)
                .show(ui, |ui| {
                    action = editor_ui(ui, editor, ctx, &mut self.dialog)
                });
        }
        egui::CentralPanel::default().show(ui, |ui| {
            if let Some(id) = self.table(ui, ctx.today) {
                next = Some(Next::Edit(id));
            }
        });
        match action {
            Some(FormAction::Save) => self.save(ctx),
            Some(FormAction::Cancel) => next = Some(Next::Close),
            None => {}
        }
        let dirty = self.editor.as_ref().is_some_and(|e| e.input != e.original);
        if let Some(next) =
            next_after_confirm(ui.ctx(), "rect_discard", dirty, next, &mut self.pending)
        {
            self.go(next, ctx);
        }
        self.dialog_ui(ui.ctx(), ctx);
    }

    fn visible(&self, today: NaiveDate) -> Vec<&Rectification> {
        let unit = self.unit.trim();
        self.rows
            .iter()
            .filter(|r| match self.status {
                None => true,
                Some(StatusFilter::Status(s)) => r.status == s,
                Some(StatusFilter::Overdue) => r.is_overdue(today),
            })
            .filter(|r| self.source.is_none_or(|s| s == r.source))
            .filter(|r| unit.is_empty() || r.unit.contains(unit))
            .collect()
    }

    fn table(&self, ui: &mut Ui, today: NaiveDate) -> Option<i64> {
        let rows = self.visible(today);
        let live: Vec<&&Rectification> = rows
            .iter()
            .filter(|r| r.status != RectStatus::Void)
            .collect();
        let closed = live
            .iter()
            .filter(|r| r.status == RectStatus::Closed)
            .count();
        let overdue = live.iter().filter(|r| r.is_overdue(today)).count();
        ui.label(format!(
            "共 {} 个问题，已销号 {closed} 个，逾期 {overdue} 个",
            live.len()
        ));
        if rows.is_empty() {
            ui.add_space(20.0);
            ui.label("没有符合条件的问题。点击“＋ 登记问题”建立问题清单，整改一件、销号一件。");
            return None;
        }
        let selected = self.editor.as_ref().and_then(|e| e.input.id);
        let mut clicked = None;
        record_table(ui, "rect_table", |table| {
            table
                .column(Column::initial(96.0))
                .column(Column::initial(90.0))
                .column(Column::initial(280.0).clip(true))
                .column(Column::initial(120.0).clip(true))
                .column(Column::initial(96.0))
                .column(Column::initial(110.0))
                .header(28.0, |mut h| {
                    for title in [
                        "发现日期",
                        "来源",
                        "问题描述",
                        "责任单位",
                        "整改时限",
                        "状态",
                    ] {
                        h.col(|ui| {
                            ui.strong(title);
                        });
                    }
                })
                .body(|body| {
                    body.rows(28.0, rows.len(), |mut row| {
                        let r = rows[row.index()];
                        row.set_selected(r.id.is_some() && r.id == selected);
                        let void = r.status == RectStatus::Void;
                        let text = |s: String| {
                            if void {
                                RichText::new(s).weak().strikethrough()
                            } else {
                                RichText::new(s)
                            }
                        };
                        row.col(|ui| {
                            ui.label(text(date::iso(r.found_on)));
                        });
                        row.col(|ui| {
                            ui.label(text(r.source.label().into()));
                        });
                        row.col(|ui| {
                            ui.label(text(r.description.clone()));
                        });
                        row.col(|ui| {
                            ui.label(text(r.unit.clone()));
                        });
                        row.col(|ui| {
                            ui.label(text(r.deadline.map(date::iso).unwrap_or_default()));
                        });
                        row.col(|ui| {
                            if r.is_overdue(today) {
                                ui.label(
                                    RichText::new(format!("{}（逾期）", r.status))
                                        .color(form::ERROR)
                                        .strong(),
                                );
                            } else {
                                ui.label(text(r.status.label().into()));
                            }
                        });
                        if row.response().clicked() {
                            clicked = r.id;
                        }
                    });
                });
        });
        clicked
    }

    fn go(&mut self, next: Next, ctx: &mut AppCtx) {
        self.pending = None;
        self.editor = match next {
            Next::Close => None,
            Next::New => Some(editor(
                RectInput {
                    found_on: date::iso(ctx.today),
                    ..Default::default()
                },
                None,
                Vec::new(),
                ctx.today,
            )),
            Next::Edit(id) => match (ctx.db.rectification(id), ctx.db.rectification_history(id)) {
                (Ok(item), Ok(history)) => {
                    Some(editor(item.to_input(), Some(item), history, ctx.today))
                }
                (Err(e), _) | (_, Err(e)) => {
                    ctx.toasts.error(format!("无法打开该问题：{e}"));
                    None
                }
            },
        };
    }

    fn save(&mut self, ctx: &mut AppCtx) {
        let Some(ed) = &mut self.editor else { return };
        ed.store_error = None;
        match ed.input.validate(ctx.today, ed.current.as_ref()) {
            Err(e) => ed.errors = e,
            Ok(item) => match ctx.db.save_rectification(&item) {
                Ok(id) => {
                    ctx.toasts.success("已保存问题");
                    self.go(Next::Edit(id), ctx);
                }
                Err(e) => ed.store_error = Some(e.to_string()),
            },
        }
    }

    fn dialog_ui(&mut self, egui_ctx: &egui::Context, ctx: &mut AppCtx) {
        let Some(dialog) = &mut self.dialog else {
            return;
        };
        let mut done: Option<i64> = None;
        let mut cancel = false;
        let modal = egui::Modal::new(egui::Id::unique("rect_dialog")).show(egui_ctx, |ui| {
            ui.set_width(480.0);
            match dialog {
                Dialog::Close {
                    id,
                    found_on,
                    input,
                    errors,
                } => {
                    ui.heading("销号");
                    ui.label(
                        RichText::new("整改完成并经验收后销号。销号后如需重新整改，须说明原因。")
                            .weak(),
                    );
                    egui::Grid::new("close_grid")
                        .min_col_width(110.0)
                        .num_columns(2)
                        .spacing([12.0, 6.0])
                        .show(ui, |ui| {
                            row(
                                ui,
                                "完成日期",
                                true,
                                errors.get(CloseField::Date),
                                |ui, lid| {
                                    date_field(ui, &mut input.date, lid);
                                },
                            );
                            row(
                                ui,
                                "整改成效",
                                true,
                                errors.get(CloseField::Evidence),
                                |ui, lid| {
                                    ui.add(
                                        TextEdit::multiline(&mut input.evidence)
                                            .desired_rows(3)
                                            .desired_width(300.0)
                                            .hint_text("整改结果及佐证材料"),
                                    )
                                    .labelled_by(lid);
                                },
                            );
                            row(ui, "佐证附件", false, None, |ui, lid| {
                                ui.horizontal(|ui| {
                                    ui.add(
                                        TextEdit::singleline(&mut input.evidence_file)
                                            .desired_width(220.0)
                                            .hint_text("文件路径（可选）"),
                                    )
                                    .labelled_by(lid);
                                    if ui.button("浏览…").clicked()
                                        && let Some(p) = rfd::FileDialog::new().pick_file()
                                    {
                                        input.evidence_file = p.display().to_string();
                                    }
                                });
                            });
                            text_row(
                                ui,
                                "验收人",
                                true,
                                errors.get(CloseField::Verifier),
                                &mut input.verifier,
                            );
                        });
                    ui.horizontal(|ui| {
                        if ui.button(RichText::new("确认销号").strong()).clicked() {
                            match input.validate(*found_on, ctx.today) {
                                Err(e) => *errors = e,
                                Ok(mut closing) => {
                                    if !closing.evidence_file.is_empty() {
                                        match ctx.db.import_attachment(std::path::Path::new(
                                            &closing.evidence_file,
                                        )) {
                                            Ok(stored) => closing.evidence_file = stored,
                                            Err(e) => {
                                                *errors = FieldErrors::new();
                                                errors.push(
                                                    CloseField::Evidence,
                                                    format!("附件无法复制：{e}"),
                                                );
                                                return;
                                            }
                                        }
                                    }
                                    match ctx.db.close_rectification(*id, &closing) {
                                        Ok(()) => done = Some(*id),
                                        Err(e) => {
                                            *errors = FieldErrors::new();
                                            errors.push(CloseField::Date, e.to_string());
                                        }
                                    }
                                }
                            }
                        }
                        if ui.button("取消").clicked() {
                            cancel = true;
                        }
                    });
                }
                Dialog::Reason {
                    id,
                    reopen,
                    date: day,
                    reason,
                    error,
                } => {
                    ui.heading(if *reopen { "重新打开" } else { "作废" });
                    ui.label(
                        RichText::new(if *reopen {
                            "已销号的问题重新打开后恢复为“整改中”，原销号情况保留在历史记录中。"
                        } else {
                            "作废用于登记错误的问题：不再计入统计，但记录保留，不会删除。"
                        })
                        .weak(),
                    );
                    egui::Grid::new("reason_grid")
                        .min_col_width(110.0)
                        .num_columns(2)
                        .spacing([12.0, 6.0])
                        .show(ui, |ui| {
                            row(ui, "日期", true, None, |ui, lid| {
                                date_field(ui, day, lid);
                            });
                            row(ui, "原因", true, error.as_deref(), |ui, lid| {
                                ui.add(
                                    TextEdit::multiline(reason)
                                        .desired_rows(2)
                                        .desired_width(300.0),
                                )
                                .labelled_by(lid);
                            });
                        });
                    ui.horizontal(|ui| {
                        let label = if *reopen {
                            "确认重新打开"
                        } else {
                            "确认作废"
                        };
                        if ui.button(RichText::new(label).strong()).clicked() {
                            let when = parse_date(day);
                            if reason.trim().is_empty() {
                                *error = Some(if *reopen {
                                    "请填写重新打开的原因".into()
                                } else {
                                    "请填写作废的原因".into()
                                });
                            } else if let Err(e) = &when {
                                *error = Some(format!("日期：{e}"));
                            } else if let Ok(when) = when {
                                let result = if *reopen {
                                    ctx.db.reopen_rectification(*id, when, reason)
                                } else {
                                    ctx.db.void_rectification(*id, when, reason)
                                };
                                match result {
                                    Ok(()) => done = Some(*id),
                                    Err(e) => *error = Some(e.to_string()),
                                }
                            }
                        }
                        if ui.button("取消").clicked() {
                            cancel = true;
                        }
                    });
                }
            }
        });
        if modal.should_close() {
            cancel = true;
        }
        if let Some(id) = done {
            ctx.toasts.success("已更新问题状态");
            self.dialog = None;
            self.go(Next::Edit(id), ctx);
        } else if cancel {
            self.dialog = None;
        }
    }
}

fn editor(
    input: RectInput,
    current: Option<Rectification>,
    history: Vec<RectEvent>,
    today: NaiveDate,
) -> Editor {
    Editor {
        original: input.clone(),
        input,
        errors: FieldErrors::new(),
        store_error: None,
        current,
        history,
        progress_date: date::iso(today),
        progress_text: String::new(),
        progress_error: None,
    }
}

fn editor_ui(
    ui: &mut Ui,
    ed: &mut Editor,
    ctx: &mut AppCtx,
    dialog: &mut Option<Dialog>,
) -> Option<FormAction> {
    let title = match &ed.current {
        None => "登记问题".to_string(),
        Some(c) => format!("问题（{}）", c.status),
    };
    let action = form::save_bar(ui, &title, ed.errors.len(), ed.store_error.as_deref());
    let errors = &ed.errors;
    let input = &mut ed.input;
    egui::ScrollArea::vertical()
        .id_salt(("rect_form_scroll", input.id))
        .show(ui, |ui| {
            egui::Grid::new("rect_grid")
                .min_col_width(form::LABEL_WIDTH)
                .num_columns(2)
                .spacing([12.0, 6.0])
                .show(ui, |ui| {
                    let sources: Vec<(Source, String)> = Source::ALL
                        .iter()
                        .map(|s| (*s, s.label().to_string()))
                        .collect();
                    choice_row(
                        ui,
                        "问题来源",
                        true,
                        errors.get(F::Source),
                        &mut input.source,
                        &sources,
                        None,
                    );
                    row(
                        ui,
                        "发现日期",
                        true,
                        errors.get(F::FoundOn),
                        |ui, id| {
                            date_field(ui, &mut input.found_on, id);
                        },
                    );
                    row(
                        ui,
                        "问题描述",
                        true,
                        errors.get(F::Description),
                        |ui, id| {
                            ui.add(
                                TextEdit::multiline(&mut input.description)
                                    .desired_rows(3)
                                    .desired_width(320.0),
                            )
                            .labelled_by(id);
                        },
                    );
                    text_row(ui, "问题类别", false, None, &mut input.category);
                    text_row(ui, "责任单位", false, None, &mut input.unit);
                    text_row(ui, "责任人", false, None, &mut input.person);
                    row(ui, "整改措施", false, None, |ui, id| {
                        ui.add(
                            TextEdit::multiline(&mut input.measures)
                                .desired_rows(3)
                                .desired_width(320.0),
                        )
                        .labelled_by(id);
                    });
                    row(
                        ui,
                        "整改时限",
                        false,
                        errors.get(F::Deadline),
                        |ui, id| {
                            date_field(ui, &mut input.deadline, id);
                        },
                    );
                });
            let Some(current) = ed.current.clone() else {
                return;
            };
            let Some(id) = current.id else { return };
            ui.add_space(8.0);
            if current.is_overdue(ctx.today) {
                ui.label(
                    RichText::new("！已超过整改时限，尚未销号")
                        .color(form::ERROR)
                        .strong(),
                );
            }
            if current.status == RectStatus::Closed {
                ui.label(format!(
                    "已于{}销号，验收人：{}。整改成效：{}",
                    current.closed_on.map(date::chinese).unwrap_or_default(),
                    current.verifier,
                    current.evidence
                ));
            }
            ui.horizontal(|ui| match current.status {
                RectStatus::Open | RectStatus::InProgress => {
                    if ui.button(RichText::new("销号…").strong()).clicked() {
                        *dialog = Some(Dialog::Close {
                            id,
                            found_on: current.found_on,
                            input: CloseInput {
                                date: date::iso(ctx.today),
                                ..Default::default()
                            },
                            errors: FieldErrors::new(),
                        });
                    }
                    if ui.button("作废…").clicked() {
                        *dialog = Some(Dialog::Reason {
                            id,
                            reopen: false,
                            date: date::iso(ctx.today),
                            reason: String::new(),
                            error: None,
                        });
                    }
                }
                RectStatus::Closed => {
                    if ui.button("重新打开…").clicked() {
                        *dialog = Some(Dialog::Reason {
                            id,
                            reopen: true,
                            date: date::iso(ctx.today),
                            reason: String::new(),
                            error: None,
                        });
                    }
                }
                RectStatus::Void => {
                    ui.label(RichText::new("此问题已作废，记录保留备查。").weak());
                }
            });
            if matches!(current.status, RectStatus::Open | RectStatus::InProgress) {
                ui.add_space(8.0);
                ui.strong("整改进展");
                ui.horizontal(|ui| {
                    let label = ui.label("日期");
                    date_field(ui, &mut ed.progress_date, label.id);
                });
                ui.horizontal(|ui| {
                    let label = ui.label("进展情况");
                    ui.add(TextEdit::singleline(&mut ed.progress_text).desired_width(260.0))
                        .labelled_by(label.id);
                    if ui.button("添加进展").clicked() {
                        match (parse_date(&ed.progress_date), ed.progress_text.trim()) {
                            (_, "") => ed.progress_error = Some("请填写进展情况".into()),
                            (Err(e), _) => ed.progress_error = Some(format!("日期：{e}")),
                            (Ok(d), text) => match ctx.db.add_progress(id, d, text) {
                                Ok(()) => {
                                    ed.progress_text.clear();
                                    ed.progress_error = None;
                                    ctx.toasts.success("已添加进展");
                                    ed.history =
                                        ctx.db.rectification_history(id).unwrap_or_default();
                                    if let Ok(item) = ctx.db.rectification(id) {
                                        ed.current = Some(item);
                                    }
                                }
                                Err(e) => ed.progress_error = Some(e.to_string()),
                            },
                        }
                    }
                });
                if let Some(e) = &ed.progress_error {
                    ui.label(RichText::new(e).color(form::ERROR));
                }
            }
            ui.add_space(8.0);
            ui.strong("历史记录");
            egui::Grid::new("rect_history")
                .striped(true)
                .num_columns(3)
                .show(ui, |ui| {
                    for e in &ed.history {
                        ui.label(date::iso(e.date));
                        ui.label(e.kind.label());
                        ui.label(&e.text);
                        ui.end_row();
                    }
                });
        });
    action
}
