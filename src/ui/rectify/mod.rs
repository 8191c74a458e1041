//! Tab 整改台账: the ledger (filters by status, source and unit; overdue marked), the problem form,
//! dated progress notes, and the 销号 / 重新打开 / 作废 dialogs. Nothing is ever deleted.

mod dialogs;
mod item_form;

use dialogs::{Dialog, refused_at};
use item_form::editor_ui;

use std::path::PathBuf;

use chrono::{Datelike, NaiveDate};
use egui::{RichText, TextEdit, Ui};
use egui_extras::Column;

use super::action::{Action, Done, PrintRequest, Write};
use super::editor::{Editable, Editor, FormAction, Next};
use super::widgets::date_field::date_field;
use super::widgets::form::{self, choice_row, row, text_row};
use super::widgets::table::{Sort, fitting, record_table};

/// The columns the list sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
enum SortKey {
    FoundOn,
    Source,
    Status,
    Deadline,
    Unit,
    Description,
}
use super::{AppCtx, Page};
use crate::model::date::{self, parse_date};
use crate::model::rectify::{
    CloseField, CloseInput, ReasonField, ReasonInput, RectEvent, RectField as F, RectInput,
    RectStatus, Rectification, Source, Transition,
};
use crate::model::{FieldErrors, FormField};
use crate::store::StoreError;

/// What a view of the list was made for.
#[derive(Clone, PartialEq)]
struct ViewKey {
    loaded: Option<u64>,
    status: Option<StatusFilter>,
    source: Option<Source>,
    unit: String,
    year: Option<i32>,
    sort: Sort<SortKey>,
    today: NaiveDate,
}

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

/// A row of the list as it is drawn.
struct RectLine {
    found_on: String,
    deadline: String,
    /// 状态, with （逾期） when the deadline has passed.
    status: String,
    overdue: bool,
}

pub struct RectifyTab {
    rows: Vec<Rectification>,
    loaded: Option<u64>,
    status: Option<StatusFilter>,
    source: Option<Source>,
    unit: String,
    /// 发现年度: the items found in that year.
    year: Option<i32>,
    sort: Sort<SortKey>,
    sort_read: bool,
    /// Indices into `rows` as filtered and sorted, and what for.
    view: Vec<usize>,
    view_for: Option<ViewKey>,
    /// The text of each row of `view`, and the count above the list, made with it.
    lines: Vec<RectLine>,
    counts: String,
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
            year: None,
            sort: Sort {
                key: SortKey::FoundOn,
                ascending: false,
            },
            sort_read: false,
            view: Vec::new(),
            lines: Vec::new(),
            counts: String::new(),
            view_for: None,
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
            self.filters(ui, ctx.today);
            self.update_view(ctx.today);
            ui.separator();
            if ui
                .button("打印…")
                .on_hover_text("把当前列表（按所选条件）生成横向 A4 的问题清单和整改台账 PDF")
                .clicked()
            {
                // The printed ledger lists the items as found, oldest first, whatever the sort.
                let mut shown = self.visible();
                shown.sort_by_key(|r| (r.found_on, r.id));
                let ids = shown.iter().filter_map(|r| r.id).collect();
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
                    ids: self.visible().iter().filter_map(|r| r.id).collect(),
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
                    // The store's refusal stays until the input changes.
                    Some(Dialog::Close {
                        errors,
                        input,
                        checked,
                        ..
                    }) => {
                        refused_at(errors, &e, CloseField::Date);
                        *checked = Some(input.clone());
                    }
                    Some(Dialog::Reason {
                        errors,
                        input,
                        checked,
                        ..
                    }) => {
                        refused_at(errors, &e, ReasonField::Date);
                        *checked = Some(input.clone());
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

impl RectifyTab {
    /// The filter as the printed list's subtitle says it.
    fn filter_text(&self) -> String {
        let mut parts = Vec::new();
        if let Some(y) = self.year {
            parts.push(format!("{y}年发现"));
        }
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

    fn filters(&mut self, ui: &mut Ui, today: NaiveDate) {
        let mut years: Vec<i32> = self.rows.iter().map(|r| r.found_on.year()).collect();
        years.push(today.year());
        years.sort_unstable_by(|a, b| b.cmp(a));
        years.dedup();
        let years: Vec<(i32, String)> = years.into_iter().map(|y| (y, format!("{y}年"))).collect();
        form::filter_choice(
            ui,
            "发现年度",
            "rect_year",
            &mut self.year,
            &years,
            "全部年度",
            100.0,
        );
        let mut statuses: Vec<(StatusFilter, String)> = RectStatus::ALL
            .iter()
            .map(|s| (StatusFilter::Status(*s), s.label().to_string()))
            .collect();
        statuses.insert(2, (StatusFilter::Overdue, "逾期".into()));
        form::filter_choice(
            ui,
            "状态",
            "rect_status",
            &mut self.status,
            &statuses,
            "全部状态",
            110.0,
        );
        let sources: Vec<(Source, String)> = Source::ALL
            .iter()
            .map(|s| (*s, s.label().to_string()))
            .collect();
        form::filter_choice(
            ui,
            "来源",
            "rect_source",
            &mut self.source,
            &sources,
            "全部来源",
            120.0,
        );
        form::filter_text(ui, "责任单位", &mut self.unit, "处室名称", 140.0);
    }

    /// The rows shown, as indices into `rows`: filtered and sorted when the rows, a filter, the
    /// sort or the day changed, not every frame.
    fn update_view(&mut self, today: NaiveDate) {
        let key = ViewKey {
            loaded: self.loaded,
            status: self.status,
            source: self.source,
            unit: self.unit.trim().to_string(),
            year: self.year,
            sort: self.sort,
            today,
        };
        if self.view_for.as_ref() == Some(&key) {
            return;
        }
        let unit = key.unit.as_str();
        let rows = &self.rows;
        let mut view: Vec<usize> = (0..rows.len())
            .filter(|&i| {
                let r = &rows[i];
                (match self.status {
                    None => true,
                    Some(StatusFilter::Status(s)) => r.status == s,
                    Some(StatusFilter::Overdue) => r.is_overdue(today),
                }) && self.source.is_none_or(|s| s == r.source)
                    && (unit.is_empty() || r.unit.contains(unit))
                    && self.year.is_none_or(|y| r.found_on.year() == y)
            })
            .collect();
        let sort = self.sort;
        view.sort_by(|&a, &b| {
            let (a, b) = (&rows[a], &rows[b]);
            let order = match sort.key {
                SortKey::FoundOn => a.found_on.cmp(&b.found_on),
                SortKey::Source => a.source.label().cmp(b.source.label()),
                SortKey::Status => (a.status.label(), a.is_overdue(today))
                    .cmp(&(b.status.label(), b.is_overdue(today))),
                SortKey::Deadline => a.deadline.cmp(&b.deadline),
                SortKey::Unit => a.unit.cmp(&b.unit),
                SortKey::Description => a.description.cmp(&b.description),
            };
            sort.apply(order.then_with(|| b.found_on.cmp(&a.found_on)))
        });
        self.lines = view
            .iter()
            .map(|&i| {
                let r = &rows[i];
                let overdue = r.is_overdue(today);
                RectLine {
                    found_on: date::iso(r.found_on),
                    deadline: r.deadline.map(date::iso).unwrap_or_default(),
                    status: if overdue {
                        format!("{}（逾期）", r.status)
                    } else {
                        r.status.label().to_string()
                    },
                    overdue,
                }
            })
            .collect();
        let live: Vec<&Rectification> = view
            .iter()
            .map(|&i| &rows[i])
            .filter(|r| r.status != RectStatus::Void)
            .collect();
        let closed = live
            .iter()
            .filter(|r| r.status == RectStatus::Closed)
            .count();
        let overdue = live.iter().filter(|r| r.is_overdue(today)).count();
        self.counts = format!(
            "共 {} 个问题，已销号 {closed} 个，逾期 {overdue} 个",
            live.len()
        );
        self.view = view;
        self.view_for = Some(key);
    }

    /// The rows shown, in the list's order (`update_view` made it).
    fn visible(&self) -> Vec<&Rectification> {
        self.view.iter().filter_map(|&i| self.rows.get(i)).collect()
    }

    fn table(&mut self, ui: &mut Ui, today: NaiveDate) -> Option<i64> {
        if !self.sort_read {
            self.sort = self.sort.remembered(ui.ctx(), "rectification");
            self.sort_read = true;
        }
        self.update_view(today);
        ui.label(&self.counts);
        if self.view.is_empty() {
            ui.add_space(20.0);
            ui.label("没有符合条件的问题。点击“＋ 登记问题”建立问题清单，整改一件、销号一件。");
            return None;
        }
        let selected = self.editor.form().and_then(|f| f.draft.id);
        let mut clicked = None;
        let mut sort = self.sort;
        // 状态 and 整改时限 before the description, which takes the spare width: a form beside
        // the list narrows the description, never hides the status.
        let status = fitting(ui, &format!("{}（逾期）", RectStatus::InProgress));
        record_table(ui, "rect_table", |table| {
            table
                .column(Column::initial(96.0))
                .column(Column::initial(90.0))
                .column(status)
                .column(Column::initial(96.0))
                .column(Column::initial(120.0).clip(true))
                .column(Column::remainder().at_least(160.0).clip(true))
                .header(28.0, |mut h| {
                    for (title, key) in [
                        ("发现日期", SortKey::FoundOn),
                        ("来源", SortKey::Source),
                        ("状态", SortKey::Status),
                        ("整改时限", SortKey::Deadline),
                        ("责任单位", SortKey::Unit),
                        ("问题描述", SortKey::Description),
                    ] {
                        h.col(|ui| {
                            sort.header(ui, title, key);
                        });
                    }
                })
                .body(|body| {
                    body.rows(28.0, self.view.len(), |mut row| {
                        let (r, line) =
                            (&self.rows[self.view[row.index()]], &self.lines[row.index()]);
                        row.set_selected(r.id.is_some() && r.id == selected);
                        let void = r.status == RectStatus::Void;
                        let text = |s: &str| {
                            if void {
                                RichText::new(s).weak().strikethrough()
                            } else {
                                RichText::new(s)
                            }
                        };
                        row.col(|ui| {
                            ui.label(text(&line.found_on));
                        });
                        row.col(|ui| {
                            ui.label(text(r.source.label()));
                        });
                        row.col(|ui| {
                            if line.overdue {
                                ui.label(RichText::new(&line.status).color(form::ERROR).strong());
                            } else {
                                ui.label(text(&line.status));
                            }
                        });
                        row.col(|ui| {
                            ui.label(text(&line.deadline));
                        });
                        row.col(|ui| {
                            ui.label(text(&r.unit));
                        });
                        row.col(|ui| {
                            ui.label(text(&r.description));
                        });
                        if row.response().clicked() {
                            clicked = r.id;
                        }
                    });
                });
        });
        if sort != self.sort {
            sort.remember(ui.ctx(), "rectification");
        }
        self.sort = sort;
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
}
