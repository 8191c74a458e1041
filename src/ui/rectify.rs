//! Tab 整改台账: the ledger (filters by status, source and unit; overdue marked), the problem form,
//! dated progress notes, and the 销号 / 重新打开 / 作废 dialogs. Nothing is ever deleted.

use std::path::PathBuf;

use chrono::NaiveDate;
use egui::{RichText, TextEdit, Ui};
use egui_extras::Column;

use super::action::{Action, Done, PrintRequest, Write};
use super::editor::{Editable, Editor, FormAction, Next};
use super::widgets::date_field::date_field;
use super::widgets::form::{self, choice_row, row, text_row};
use super::widgets::table::record_table;
use super::{AppCtx, Page};
use crate::model::date::{self, parse_date};
use crate::model::rectify::{
    CloseField, CloseInput, ReasonField, ReasonInput, RectEvent, RectField as F, RectInput,
    RectStatus, Rectification, Source, Transition,
};
use crate::model::{FieldErrors, FormField};
use crate::store::StoreError;

/// The status filter: the four statuses, and 逾期 which is computed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum StatusFilter {
    Status(RectStatus),
    Overdue,
}

/// What the form shows beside the draft: the item's history, and the progress note being typed.
/// (The item as stored is the editor's record as loaded.)
struct ItemState {
    history: Vec<RectEvent>,
    progress_date: String,
    progress_text: String,
    progress_error: Option<String>,
}

impl ItemState {
    fn new(history: Vec<RectEvent>, today: NaiveDate) -> Self {
        Self {
            history,
            progress_date: date::iso(today),
            progress_text: String::new(),
            progress_error: None,
        }
    }
}

/// The dialogs that change an item's status, each for a transition the item allows.
enum Dialog {
    Close {
        item: Rectification,
        input: CloseInput,
        errors: FieldErrors<CloseField>,
    },
    Reason {
        item: Rectification,
        transition: Transition,
        input: ReasonInput,
        errors: FieldErrors<ReasonField>,
    },
}

pub struct RectifyTab {
    rows: Vec<Rectification>,
    loaded: Option<u64>,
    status: Option<StatusFilter>,
    source: Option<Source>,
    unit: String,
    editor: Editor<RectInput>,
    item: ItemState,
    dialog: Option<Dialog>,
}

impl Default for RectifyTab {
    fn default() -> Self {
        Self {
            rows: Vec::new(),
            loaded: None,
            status: None,
            source: None,
            unit: String::new(),
            editor: Editor::new("rect_discard"),
            item: ItemState::new(Vec::new(), NaiveDate::MIN),
            dialog: None,
        }
    }
}

impl Page for RectifyTab {
    fn ui(&mut self, ui: &mut Ui, ctx: &mut AppCtx) -> Option<Action> {
        if self.loaded != Some(ctx.db.generation()) {
            match ctx.db.rectifications() {
                Ok(rows) => self.rows = rows,
                Err(e) => ctx.toasts.error(format!("读取整改台账失败：{e}")),
            }
            self.loaded = Some(ctx.db.generation());
        }
        let mut asked = None;
        let mut action = None;
        ui.horizontal_wrapped(|ui| {
            if ui.button(RichText::new("＋ 登记问题").strong()).clicked() {
                asked = Some(Next::New);
            }
            ui.separator();
            self.filters(ui);
            ui.separator();
            if ui
                .button("打印…")
                .on_hover_text("把当前列表（按所选条件）生成横向 A4 的问题清单和整改台账 PDF")
                .clicked()
            {
                let ids = self
                    .visible(ctx.today)
                    .iter()
                    .rev()
                    .filter_map(|r| r.id)
                    .collect();
                action = Some(Action::Print(PrintRequest::Rectification {
                    ids,
                    filter: self.filter_text(),
                }));
            }
            if ui
                .button("导出当前列表…")
                .on_hover_text("把当前列表（按所选条件）导出为 Excel 工作簿")
                .clicked()
            {
                action = Some(Action::ExportList {
                    sheet: crate::workbook::SheetKind::Rectify.name(),
                    ids: self
                        .visible(ctx.today)
                        .iter()
                        .filter_map(|r| r.id)
                        .collect(),
                    name: "整改台账".into(),
                });
            }
        });
        ui.separator();
        if self.editor.form().is_some() {
            egui::Panel::right("rect_form")
                .resizable(true)
                .default_size(520.0)
                .min_size(400.0)
                .show(ui, |ui| {
                    let (bar, write) =
                        editor_ui(ui, &mut self.editor, &mut self.item, ctx, &mut self.dialog);
                    match bar {
                        Some(FormAction::Save) => action = self.editor.save(ctx),
                        Some(FormAction::Cancel) => asked = Some(Next::Close),
                        None => {}
                    }
                    action = action.take().or(write.map(Action::Write));
                });
        }
        egui::CentralPanel::default().show(ui, |ui| {
            if let Some(id) = self.table(ui, ctx.today) {
                asked = Some(Next::Edit(id));
            }
        });
        if self.editor.follow(ui.ctx(), asked, ctx) {
            self.opened(ctx);
        }
        if let Some(write) = self.dialog_ui(ui.ctx(), ctx.today) {
            action = Some(Action::Write(write));
        }
        action
    }

    fn done(&mut self, done: Done, ctx: &mut AppCtx) {
        if let Some(opened) = self.editor.answered(&done, ctx) {
            if opened {
                self.opened(ctx);
            }
            return;
        }
        match (done.write, done.result) {
            (Write::Progress { id, .. }, Ok(_)) => {
                ctx.toasts.success("已添加进展");
                self.reload_item(id, ctx);
                self.item.progress_text.clear();
                self.item.progress_error = None;
            }
            (Write::Progress { .. }, Err(e)) => self.item.progress_error = Some(e.to_string()),
            (
                Write::Close { id, .. } | Write::Reopen { id, .. } | Write::Void { id, .. },
                Ok(_),
            ) => {
                ctx.toasts.success("已更新问题状态");
                self.dialog = None;
                self.reload_item(id, ctx);
            }
            (Write::Close { .. } | Write::Reopen { .. } | Write::Void { .. }, Err(e)) => {
                match &mut self.dialog {
                    Some(Dialog::Close { errors, .. }) => refused_at(errors, &e, CloseField::Date),
                    Some(Dialog::Reason { errors, .. }) => {
                        refused_at(errors, &e, ReasonField::Date)
                    }
                    None => ctx.toasts.error(e.to_string()),
                }
            }
            _ => {}
        }
    }

    fn has_unsaved(&self) -> bool {
        self.editor.is_dirty()
    }
}

impl Editable for RectInput {
    type Field = F;
    type Loaded = Rectification;

    fn blank(ctx: &AppCtx) -> Self {
        RectInput {
            found_on: date::iso(ctx.today),
            org_id: ctx.orgs.first_id(),
            ..Default::default()
        }
    }

    fn load(ctx: &AppCtx, id: i64) -> Result<(Rectification, Self), StoreError> {
        let item = ctx.db.rectification(id)?;
        let input = item.to_input();
        Ok((item, input))
    }

    /// What the problem is; its status stays as loaded (it changes through the dialogs).
    fn write(&self, loaded: Option<&Rectification>, ctx: &AppCtx) -> Result<Write, FieldErrors<F>> {
        let item = self.validate(ctx.today, loaded)?;
        Ok(Write::Rectification(
            Box::new(item),
            loaded.cloned().map(Box::new),
        ))
    }

    fn is_save(write: &Write) -> bool {
        matches!(write, Write::Rectification(..))
    }

    fn saved(_: &Write) -> String {
        "已保存问题".into()
    }

    fn cannot_open(e: &StoreError) -> String {
        format!("无法打开该问题：{e}")
    }
}

/// A refusal shown in a dialog: at the field it names, else at `fallback`.
fn refused_at<Fd: FormField>(errors: &mut FieldErrors<Fd>, e: &StoreError, fallback: Fd) {
    *errors = FieldErrors::new();
    let field = e.field().and_then(Fd::from_key).unwrap_or(fallback);
    errors.push(field, e.to_string());
}

impl RectifyTab {
    /// The filter as the printed list's subtitle says it.
    fn filter_text(&self) -> String {
        let mut parts = Vec::new();
        match self.status {
            Some(StatusFilter::Status(s)) => parts.push(format!("状态：{s}")),
            Some(StatusFilter::Overdue) => parts.push("状态：逾期".to_string()),
            None => {}
        }
        if let Some(s) = self.source {
            parts.push(format!("来源：{s}"));
        }
        if !self.unit.trim().is_empty() {
            parts.push(format!("责任单位：{}", self.unit.trim()));
        }
        if parts.is_empty() {
            "全部问题".into()
        } else {
            parts.join("，")
        }
    }

    fn filters(&mut self, ui: &mut Ui) {
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
        let selected = self.editor.form().and_then(|f| f.draft.id);
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

    /// A form was opened: the item's history.
    fn opened(&mut self, ctx: &mut AppCtx) {
        let history = match self.editor.loaded().and_then(|r| r.id) {
            Some(id) => match ctx.db.rectification_history(id) {
                Ok(h) => h,
                Err(e) => {
                    ctx.toasts.error(format!("读取整改过程失败：{e}"));
                    Vec::new()
                }
            },
            None => Vec::new(),
        };
        self.item = ItemState::new(history, ctx.today);
    }

    /// After a status change or a progress note: the item as stored and its history, keeping
    /// whatever is being typed in the form.
    fn reload_item(&mut self, id: i64, ctx: &mut AppCtx) {
        match (ctx.db.rectification(id), ctx.db.rectification_history(id)) {
            (Ok(item), Ok(history)) => {
                self.editor.reloaded(item);
                self.item.history = history;
            }
            (Err(e), _) | (_, Err(e)) => ctx.toasts.error(format!("读取问题失败：{e}")),
        }
    }

    /// The open dialog; returns the write its confirmation asks for.
    fn dialog_ui(&mut self, egui_ctx: &egui::Context, today: NaiveDate) -> Option<Write> {
        let dialog = self.dialog.as_mut()?;
        let mut write = None;
        let mut cancel = false;
        let modal = egui::Modal::new(egui::Id::unique("rect_dialog")).show(egui_ctx, |ui| {
            ui.set_width(480.0);
            match dialog {
                Dialog::Close {
                    item,
                    input,
                    errors,
                } => {
                    close_form(ui, input, errors);
                    ui.horizontal(|ui| {
                        if ui.button(RichText::new("确认销号").strong()).clicked() {
                            match input.validate(item.found_on, today) {
                                Err(e) => *errors = e,
                                Ok(mut closing) => {
                                    *errors = FieldErrors::new();
                                    // The store copies the file when it writes the closing.
                                    let file = (!closing.evidence_file.is_empty())
                                        .then(|| PathBuf::from(&closing.evidence_file));
                                    closing.evidence_file.clear();
                                    write = item.id.map(|id| Write::Close { id, closing, file });
                                }
                            }
                        }
                        if ui.button("取消").clicked() {
                            cancel = true;
                        }
                    });
                }
                Dialog::Reason {
                    item,
                    transition,
                    input,
                    errors,
                } => {
                    reason_form(ui, *transition, input, errors);
                    ui.horizontal(|ui| {
                        let label = format!("确认{transition}");
                        if ui.button(RichText::new(label).strong()).clicked() {
                            match input.validate(*transition, item, today) {
                                Err(e) => *errors = e,
                                Ok((date, reason)) => {
                                    *errors = FieldErrors::new();
                                    write = item.id.map(|id| match transition {
                                        Transition::Reopen => Write::Reopen { id, date, reason },
                                        _ => Write::Void { id, date, reason },
                                    });
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
        if cancel || (write.is_none() && modal.should_close()) {
            self.dialog = None;
        }
        write
    }
}

fn close_form(ui: &mut Ui, input: &mut CloseInput, errors: &FieldErrors<CloseField>) {
    ui.heading("销号");
    ui.label(RichText::new("整改完成并经验收后销号。销号后如需重新整改，须说明原因。").weak());
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
                    // Only the path is taken here; the file is copied when the closing is saved.
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
}

fn reason_form(
    ui: &mut Ui,
    transition: Transition,
    input: &mut ReasonInput,
    errors: &FieldErrors<ReasonField>,
) {
    ui.heading(transition.label());
    ui.label(
        RichText::new(if transition == Transition::Reopen {
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
            row(
                ui,
                "日期",
                true,
                errors.get(ReasonField::Date),
                |ui, lid| {
                    date_field(ui, &mut input.date, lid);
                },
            );
            row(
                ui,
                "原因",
                true,
                errors.get(ReasonField::Reason),
                |ui, lid| {
                    ui.add(
                        TextEdit::multiline(&mut input.reason)
                            .desired_rows(2)
                            .desired_width(300.0),
                    )
                    .labelled_by(lid);
                },
            );
        });
}

/// The form of one item, its status buttons (those its status allows), progress notes and history.
/// Returns the save bar's action, and a progress note to write.
fn editor_ui(
    ui: &mut Ui,
    editor: &mut Editor<RectInput>,
    item: &mut ItemState,
    ctx: &AppCtx,
    dialog: &mut Option<Dialog>,
) -> (Option<FormAction>, Option<Write>) {
    let current = editor.loaded().cloned();
    let title = match &current {
        None => "登记问题".to_string(),
        Some(c) => format!("问题（{}）", c.status),
    };
    let action = editor.save_bar(ui, &title);
    let mut write = None;
    let Some(form) = editor.form_mut() else {
        return (action, None);
    };
    let errors = &form.errors;
    let input = &mut form.draft;
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
                    choice_row(
                        ui,
                        "所属组织",
                        false,
                        None,
                        &mut input.org_id,
                        ctx.org_options(),
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
            let Some(current) = current else {
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
            if current.status == RectStatus::Void {
                ui.label(RichText::new("此问题已作废，记录保留备查。").weak());
            }
            // Only what the item's status allows is offered (model::rectify::RectStatus::allows).
            ui.horizontal(|ui| {
                for t in current.status.transitions() {
                    let clicked = match t {
                        Transition::Progress => false,
                        Transition::Close => ui.button(RichText::new("销号…").strong()).clicked(),
                        _ => ui.button(format!("{t}…")).clicked(),
                    };
                    if !clicked {
                        continue;
                    }
                    let today = date::iso(ctx.today);
                    *dialog = Some(match t {
                        Transition::Close => Dialog::Close {
                            item: current.clone(),
                            input: CloseInput {
                                date: today,
                                ..Default::default()
                            },
                            errors: FieldErrors::new(),
                        },
                        _ => Dialog::Reason {
                            item: current.clone(),
                            transition: t,
                            input: ReasonInput {
                                date: today,
                                reason: String::new(),
                            },
                            errors: FieldErrors::new(),
                        },
                    });
                }
            });
            if current.status.allows(Transition::Progress) {
                ui.add_space(8.0);
                ui.strong("整改进展");
                ui.horizontal(|ui| {
                    let label = ui.label("日期");
                    date_field(ui, &mut item.progress_date, label.id);
                });
                ui.horizontal(|ui| {
                    let label = ui.label("进展情况");
                    ui.add(TextEdit::singleline(&mut item.progress_text).desired_width(260.0))
                        .labelled_by(label.id);
                    if ui.button("添加进展").clicked() {
                        match (parse_date(&item.progress_date), item.progress_text.trim()) {
                            (_, "") => item.progress_error = Some("请填写进展情况".into()),
                            (Err(e), _) => item.progress_error = Some(format!("日期：{e}")),
                            (Ok(d), _) if d > ctx.today => {
                                item.progress_error = Some("进展日期不能晚于今天".into())
                            }
                            (Ok(d), text) => {
                                item.progress_error = None;
                                write = Some(Write::Progress {
                                    id,
                                    date: d,
                                    text: text.to_string(),
                                });
                            }
                        }
                    }
                });
                if let Some(e) = &item.progress_error {
                    ui.label(RichText::new(e).color(form::ERROR));
                }
            }
            ui.add_space(8.0);
            ui.strong("历史记录");
            egui::Grid::new("rect_history")
                .striped(true)
                .num_columns(3)
                .show(ui, |ui| {
                    for e in &item.history {
                        ui.label(date::iso(e.date));
                        ui.label(e.kind.label());
                        ui.label(&e.text);
                        ui.end_row();
                    }
                });
        });
    (action, write)
}
