//! Tab 学习活动: the 三会一课 and study ledger (filters, a virtualised list, the form with attendance and
//! attachments), the compliance grid, and the settings of activity types.

use std::collections::{HashMap, HashSet};

use chrono::{Datelike, NaiveDate};
use egui::{Color32, RichText, TextEdit, Ui};
use egui_extras::Column;

use super::widgets::date_field::date_field;
use super::widgets::form::{self, FormAction, choice_row, row, text_row};
use super::widgets::table::record_table;
use super::{AppCtx, confirm, confirm_discard};
use crate::model::FieldErrors;
use crate::model::activity::{
    ActivityField as F, ActivityInput, ActivityType, Attendance, ExpectedOf, Frequency, GROUPS,
    Presence, Requires, counts, first_topic_id, first_topic_late_by,
};
use crate::model::collate::pinyin_key;
use crate::model::date::{self, parse_date};
use crate::model::org::with_descendants;
use crate::store::{ActivityFilter, ActivityRow};
use crate::tally::compliance::{self, CellState, ComplianceRow, SilentBranch};

#[derive(Clone, Copy, PartialEq, Eq, Default)]
enum View {
    #[default]
    Ledger,
    Compliance,
}

/// The list filter as the toolbar shows it.
#[derive(Clone, PartialEq, Eq, Default)]
struct Filter {
    year: Option<i32>,
    month: Option<u32>,
    org: Option<i64>,
    type_id: Option<i64>,
    text: String,
}

struct ActivityForm {
    input: ActivityInput,
    original: ActivityInput,
    errors: FieldErrors<F>,
    store_error: Option<String>,
    /// The (organisation, date) the attendance list was built for; rebuilt when either changes.
    roll_for: Option<(i64, NaiveDate)>,
    /// A path typed by hand, for when no file dialog can open.
    attach_path: String,
    attach_message: Option<String>,
}

enum Pending {
    Discard(Next),
    Delete(i64, String),
}

#[derive(Clone, Copy)]
enum Next {
    New,
    Edit(i64),
    Close,
}

/// The type settings dialog: its rows as edited, and a new type being typed.
struct TypesDialog {
    rows: Vec<ActivityType>,
    original: Vec<ActivityType>,
    new_group: String,
    new_label: String,
    new_frequency: Option<Frequency>,
    new_expected: Option<ExpectedOf>,
    message: Option<String>,
}

#[derive(Default)]
pub struct ActivitiesTab {
    view: View,
    filter: Filter,
    initialised: bool,
    rows: Vec<ActivityRow>,
    rows_for: Option<(u64, Filter)>,
    types: Vec<ActivityType>,
    years: Vec<i32>,
    silent: Vec<SilentBranch>,
    meta_for: Option<u64>,
    compliance_year: i32,
    compliance_org: Option<i64>,
    compliance: Vec<ComplianceRow>,
    compliance_for: Option<(u64, i32)>,
    form: Option<ActivityForm>,
    pending: Option<Pending>,
    types_dialog: Option<TypesDialog>,
}

impl ActivitiesTab {
    pub fn ui(&mut self, ui: &mut Ui, ctx: &mut AppCtx) {
        if !self.initialised {
            self.filter.year = Some(ctx.today.year());
            self.compliance_year = ctx.today.year();
            self.initialised = true;
        }
        self.refresh_meta(ctx);
        let mut next = None;
        let mut action = None;
        ui.horizontal_wrapped(|ui| self.toolbar(ui, ctx, &mut next));
        ui.separator();
        self.silent_banner(ui);
        match self.view {
            View::Compliance => self.compliance_ui(ui, ctx),
            View::Ledger => {
                if let Some(form) = &mut self.form {
                    egui::Panel::right("activity_form")
                        .resizable(true)
                        .default_size(540.0)
                        .min_size(400.0)
                        .show(ui, |ui| action = form_ui(ui, form, ctx, &self.types));
                }
                egui::CentralPanel::default().show(ui, |ui| {
                    if let Some(id) = self.table(ui, ctx) {
                        next = Some(Next::Edit(id));
                    }
                });
            }
        }
        match action {
            Some(FormUiAction::Bar(FormAction::Save)) => self.save(ctx),
            Some(FormUiAction::Bar(FormAction::Cancel)) => next = Some(Next::Close),
            Some(FormUiAction::Delete) => {
                if let Some(f) = &self.form
                    && let Some(id) = f.input.id
                {
                    self.pending = Some(Pending::Delete(id, f.original.topic.clone()));
                }
            }
            None => {}
        }
        if let Some(next) = next {
            if self.form.as_ref().is_some_and(|f| f.input != f.original) {
                self.pending = Some(Pending::Discard(next));
            } else {
                self.go(next, ctx);
            }
        }
        self.modals(ui, ctx);
        self.types_dialog_ui(ui.ctx(), ctx);
    }

    /// Types, years and the silent-branch list: reloaded only after a write.
    fn refresh_meta(&mut self, ctx: &mut AppCtx) {
        if self.meta_for == Some(ctx.db.generation()) {
            return;
        }
        match (
            ctx.db.activity_types(),
            ctx.db.activity_years(),
            ctx.db.last_activity_dates(),
        ) {
            (Ok(types), Ok(years), Ok(last)) => {
                self.types = types;
                self.years = years;
                let orgs = &ctx.orgs.list;
                self.silent = compliance::silent_branches(orgs, &last, ctx.today);
            }
            (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => {
                ctx.toasts.error(format!("读取活动类型失败：{e}"))
            }
        }
        self.meta_for = Some(ctx.db.generation());
    }

    fn type_label(&self, id: i64) -> &str {
        self.types
            .iter()
            .find(|t| t.id == Some(id))
            .map(|t| t.label.as_str())
            .unwrap_or("？")
    }

    fn toolbar(&mut self, ui: &mut Ui, ctx: &AppCtx, next: &mut Option<Next>) {
        if ui.button(RichText::new("＋ 登记活动").strong()).clicked() {
            *next = Some(Next::New);
        }
        ui.separator();
        ui.selectable_value(&mut self.view, View::Ledger, "活动台账");
        ui.selectable_value(&mut self.view, View::Compliance, "落实情况");
        ui.separator();
        if self.view == View::Ledger {
            let mut years: Vec<(i32, String)> =
                self.years.iter().map(|y| (*y, format!("{y}年"))).collect();
            if !self.years.contains(&ctx.today.year()) {
                years.insert(0, (ctx.today.year(), format!("{}年", ctx.today.year())));
            }
            let label = ui.label("年份");
            form::choice(
                ui,
                "act_year",
                label.id,
                &mut self.filter.year,
                &years,
                Some("全部年份"),
                100.0,
            );
            let months: Vec<(u32, String)> = (1..=12).map(|m| (m, format!("{m}月"))).collect();
            let label = ui.label("月份");
            form::choice(
                ui,
                "act_month",
                label.id,
                &mut self.filter.month,
                &months,
                Some("全年"),
                80.0,
            );
            let label = ui.label("组织");
            form::choice(
                ui,
                "act_org",
                label.id,
                &mut self.filter.org,
                ctx.org_options(),
                Some("全部组织"),
                150.0,
            );
            let types: Vec<(i64, String)> = self
                .types
                .iter()
                .filter_map(|t| Some((t.id?, t.label.clone())))
                .collect();
            let label = ui.label("类型");
            form::choice(
                ui,
                "act_type",
                label.id,
                &mut self.filter.type_id,
                &types,
                Some("全部类型"),
                150.0,
            );
            let label = ui.label("搜索");
            ui.add(
                TextEdit::singleline(&mut self.filter.text)
                    .hint_text("主题或内容")
                    .desired_width(120.0),
            )
            .labelled_by(label.id);
        }
        if ui.button("类型设置…").clicked() {
            self.types_dialog = Some(TypesDialog {
                rows: self.types.clone(),
                original: self.types.clone(),
                new_group: "理论学习".into(),
                new_label: String::new(),
                new_frequency: Some(Frequency::None),
                new_expected: Some(ExpectedOf::Nobody),
                message: None,
            });
        }
    }

    fn silent_banner(&self, ui: &mut Ui) {
        if self.silent.is_empty() {
            return;
        }
        let names: Vec<String> = self
            .silent
            .iter()
            .map(|s| match s.last {
                Some(d) => format!("{}（最近一次{}）", s.name, date::iso(d)),
                None => format!("{}（尚无记录）", s.name),
            })
            .collect();
        ui.label(
            RichText::new(format!(
                "！以下党支部已超过{}天未登记活动：{}",
                compliance::SILENT_DAYS,
                names.join("、")
            ))
            .color(form::WARNING),
        );
    }

    fn load_rows(&mut self, ctx: &mut AppCtx) {
        let key = (ctx.db.generation(), self.filter.clone());
        if self.rows_for.as_ref() == Some(&key) {
            return;
        }
        let orgs = &ctx.orgs.list;
        let filter = ActivityFilter {
            year: self.filter.year,
            month: self.filter.year.and(self.filter.month),
            org_ids: self
                .filter
                .org
                .map(|id| with_descendants(orgs, id).into_iter().collect()),
            type_id: self.filter.type_id,
            text: self.filter.text.clone(),
        };
        match ctx.db.activities(&filter) {
            Ok(rows) => self.rows = rows,
            Err(e) => ctx.toasts.error(format!("读取活动失败：{e}")),
        }
        self.rows_for = Some(key);
    }

    fn table(&mut self, ui: &mut Ui, ctx: &mut AppCtx) -> Option<i64> {
        self.load_rows(ctx);
        ui.label(format!("共 {} 条记录", self.rows.len()));
        if self.rows.is_empty() {
            ui.add_space(20.0);
            ui.label(
                "没有符合条件的活动记录。点击“＋ 登记活动”登记一次会议或学习（可补录以前的日期）。",
            );
            return None;
        }
        let selected = self.form.as_ref().and_then(|f| f.input.id);
        let mut clicked = None;
        record_table(ui, "activity_table", |table| {
            table
                .column(Column::initial(96.0))
                .column(Column::initial(150.0).clip(true))
                .column(Column::initial(170.0).clip(true))
                .column(Column::initial(300.0).clip(true))
                .column(Column::initial(80.0))
                .resizable(true)
                .header(28.0, |mut h| {
                    for title in ["日期", "组织", "类型", "主题", "实到/应到"] {
                        h.col(|ui| {
                            ui.strong(title);
                        });
                    }
                })
                .body(|body| {
                    body.rows(28.0, self.rows.len(), |mut row| {
                        let r = &self.rows[row.index()];
                        row.set_selected(Some(r.id) == selected);
                        row.col(|ui| {
                            ui.label(date::iso(r.date));
                        });
                        row.col(|ui| {
                            ui.label(ctx.org_name(r.org_id));
                        });
                        row.col(|ui| {
                            let labels: Vec<&str> =
                                r.type_ids.iter().map(|t| self.type_label(*t)).collect();
                            ui.label(labels.join("、"));
                        });
                        row.col(|ui| {
                            ui.label(&r.topic);
                            // Only 第一议题 records keep a speech date.
                            let late = r.speech_date.and_then(|s| first_topic_late_by(s, r.date));
                            if let Some(days) = late {
                                ui.label(
                                    RichText::new(format!("！讲话后{days}天才学习"))
                                        .color(form::WARNING),
                                );
                            }
                        });
                        row.col(|ui| {
                            ui.label(match (r.present, r.expected) {
                                (Some(p), Some(e)) => format!("{p}/{e}"),
                                _ => "—".into(),
                            });
                        });
                        if row.response().clicked() {
                            clicked = Some(r.id);
                        }
                    });
                });
        });
        clicked
    }

    fn go(&mut self, next: Next, ctx: &mut AppCtx) {
        self.pending = None;
        self.form = match next {
            Next::Close => None,
            Next::New => {
                let input = ActivityInput {
                    date: date::iso(ctx.today),
                    org_id: self.filter.org.or_else(|| ctx.orgs.first_id()),
                    ..Default::default()
                };
                Some(new_form(input, None))
            }
            Next::Edit(id) => match ctx.db.activity(id) {
                Ok(a) => Some(new_form(a.to_input(), Some((a.org_id, a.date)))),
                Err(e) => {
                    ctx.toasts.error(format!("无法打开该活动：{e}"));
                    None
                }
            },
        };
    }

    fn save(&mut self, ctx: &mut AppCtx) {
        let first_topic = first_topic_id(&self.types);
        let Some(form) = &mut self.form else { return };
        form.store_error = None;
        match form.input.validate(ctx.today, first_topic) {
            Err(errors) => form.errors = errors,
            Ok(activity) => {
                form.errors = FieldErrors::new();
                match ctx.db.save_activity(&activity) {
                    Ok(id) => {
                        ctx.toasts.success(format!("已保存：{}", activity.topic));
                        self.go(Next::Edit(id), ctx);
                    }
                    Err(e) => form.store_error = Some(e.to_string()),
                }
            }
        }
    }

    fn modals(&mut self, ui: &Ui, ctx: &mut AppCtx) {
        match &self.pending {
            None => {}
            Some(Pending::Discard(next)) => {
                let next = *next;
                match confirm_discard(ui.ctx(), "activity_discard") {
                    Some(true) => self.go(next, ctx),
                    Some(false) => self.pending = None,
                    None => {}
                }
            }
            Some(Pending::Delete(id, topic)) => {
                let (id, text) = (
                    *id,
                    format!(
                        "确定删除活动记录“{topic}”？删除后不再计入统计；删除前的内容保留在修改记录中。"
                    ),
                );
                match confirm(ui.ctx(), "activity_delete", "删除活动记录", &text, "删除") {
                    Some(true) => {
                        self.pending = None;
                        match ctx.db.delete_activity(id) {
                            Ok(()) => {
                                ctx.toasts.success("已删除活动记录");
                                self.form = None;
                            }
                            Err(e) => ctx.toasts.error(format!("删除失败：{e}")),
                        }
                    }
                    Some(false) => self.pending = None,
                    None => {}
                }
            }
        }
    }

    fn compliance_ui(&mut self, ui: &mut Ui, ctx: &mut AppCtx) {
        ui.horizontal(|ui| {
            let mut years: Vec<(i32, String)> =
                self.years.iter().map(|y| (*y, format!("{y}年"))).collect();
            if !self.years.contains(&ctx.today.year()) {
                years.insert(0, (ctx.today.year(), format!("{}年", ctx.today.year())));
            }
            let label = ui.label("年份");
            let mut year = Some(self.compliance_year);
            form::choice(
                ui,
                "compliance_year",
                label.id,
                &mut year,
                &years,
                None,
                100.0,
            );
            self.compliance_year = year.unwrap_or(ctx.today.year());
            let label = ui.label("组织");
            form::choice(
                ui,
                "compliance_org",
                label.id,
                &mut self.compliance_org,
                ctx.org_options(),
                Some("全部组织"),
                180.0,
            );
        });
        let key = (ctx.db.generation(), self.compliance_year);
        if self.compliance_for != Some(key) {
            let as_of = crate::tally::as_of(self.compliance_year, ctx.today);
            match compliance::for_year(ctx.db, self.compliance_year, as_of) {
                Ok(rows) => self.compliance = rows,
                Err(e) => ctx.toasts.error(format!("计算落实情况失败：{e}")),
            }
            self.compliance_for = Some(key);
        }
        let as_of = crate::tally::as_of(self.compliance_year, ctx.today);
        ui.label(
            RichText::new(format!(
                "统计至{}。“√”已开展（数字为次数），“缺”为已到期未开展，“—”为未到期。",
                date::chinese(as_of)
            ))
            .weak(),
        );
        let orgs = &ctx.orgs.list;
        let shown: Option<HashSet<i64>> = self.compliance_org.map(|id| with_descendants(orgs, id));
        let mut by_org: Vec<(i64, &str, Vec<&ComplianceRow>)> = Vec::new();
        for &(id, _) in ctx.org_options() {
            if shown.as_ref().is_some_and(|s| !s.contains(&id)) {
                continue;
            }
            let rows: Vec<&ComplianceRow> =
                self.compliance.iter().filter(|r| r.org_id == id).collect();
            if !rows.is_empty() {
                by_org.push((id, ctx.org_name(id), rows));
            }
        }
        if by_org.is_empty() {
            ui.add_space(20.0);
            ui.label("没有需要按频次开展活动的组织。党支部、党组和党委建立后，这里显示各项活动的落实情况。");
            return;
        }
        egui::ScrollArea::vertical()
            .id_salt("compliance_scroll")
            .show(ui, |ui| {
                for (org_id, name, rows) in by_org {
                    let missing: u32 = rows.iter().map(|r| r.required - r.held).sum();
                    let title = if missing == 0 {
                        format!("{name}：应开展的活动均已开展")
                    } else {
                        format!("{name}：{missing}项次未开展")
                    };
                    egui::CollapsingHeader::new(RichText::new(title).strong())
                        .id_salt(("compliance_org", org_id))
                        .default_open(missing > 0)
                        .show(ui, |ui| compliance_grids(ui, org_id, &rows));
                }
            });
    }

    fn types_dialog_ui(&mut self, egui_ctx: &egui::Context, ctx: &mut AppCtx) {
        let Some(dialog) = &mut self.types_dialog else {
            return;
        };
        let mut close = false;
        let mut save = false;
        let mut add = false;
        let modal = egui::Modal::new(egui::Id::unique("activity_types")).show(egui_ctx, |ui| {
            ui.set_width(760.0);
            ui.heading("活动类型设置");
            ui.label(RichText::new("频次决定“落实情况”中的要求；停用的类型不再供选择，已有记录不受影响。类型不能删除。").weak());
            let frequencies: Vec<_> = Frequency::ALL.iter().map(|f| (*f, f.label().to_string())).collect();
            let expected: Vec<_> = ExpectedOf::ALL.iter().map(|e| (*e, e.label().to_string())).collect();
            egui::ScrollArea::vertical().max_height(420.0).id_salt("types_scroll").show(ui, |ui| {
                egui::Grid::new("types_grid").striped(true).num_columns(5).show(ui, |ui| {
                    let h: Vec<egui::Id> = ["分组", "名称", "频次", "适用于", "停用"].iter().map(|t| ui.strong(*t).id).collect();
                    ui.end_row();
                    for (i, t) in dialog.rows.iter_mut().enumerate() {
                        ui.label(&t.group);
                        ui.label(&t.label);
                        let mut f = Some(t.frequency);
                        form::choice(ui, &format!("type_freq_{i}"), h[2], &mut f, &frequencies, None, 100.0);
                        t.frequency = f.unwrap_or(Frequency::None);
                        let mut e = Some(t.expected_of);
                        form::choice(ui, &format!("type_exp_{i}"), h[3], &mut e, &expected, None, 110.0);
                        t.expected_of = e.unwrap_or(ExpectedOf::Nobody);
                        ui.checkbox(&mut t.hidden, "").labelled_by(h[4]);
                        ui.end_row();
                    }
                });
            });
            ui.separator();
            ui.strong("新增类型");
            ui.horizontal(|ui| {
                let groups: Vec<(usize, String)> = GROUPS.iter().enumerate().map(|(i, g)| (i, g.to_string())).collect();
                let label = ui.label("分组");
                let mut g = GROUPS.iter().position(|x| *x == dialog.new_group);
                form::choice(ui, "new_type_group", label.id, &mut g, &groups, None, 100.0);
                if let Some(g) = g {
                    dialog.new_group = GROUPS[g].to_string();
                }
                let label = ui.label("名称");
                ui.add(TextEdit::singleline(&mut dialog.new_label).desired_width(140.0)).labelled_by(label.id);
                let label = ui.label("频次");
                form::choice(ui, "new_type_freq", label.id, &mut dialog.new_frequency, &frequencies, None, 100.0);
                let label = ui.label("适用于");
                form::choice(ui, "new_type_exp", label.id, &mut dialog.new_expected, &expected, None, 110.0);
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
        if add {
            let label = dialog.new_label.trim().to_string();
            if label.is_empty() {
                dialog.message = Some("请填写新类型的名称".into());
            } else {
                let t = ActivityType {
                    id: None,
                    uid: String::new(),
                    group: dialog.new_group.clone(),
                    label: label.clone(),
                    frequency: dialog.new_frequency.unwrap_or(Frequency::None),
                    expected_of: dialog.new_expected.unwrap_or(ExpectedOf::Nobody),
                    requires: Requires::Nothing,
                    builtin: false,
                    hidden: false,
                };
                match ctx.db.save_activity_type(&t) {
                    Ok(_) => {
                        ctx.toasts.success(format!("已新增活动类型：{label}"));
                        if let Ok(types) = ctx.db.activity_types() {
                            dialog.rows = types.clone();
                            dialog.original = types;
                        }
                        dialog.new_label.clear();
                        dialog.message = None;
                    }
                    Err(e) => dialog.message = Some(e.to_string()),
                }
            }
        }
        if save {
            let changed: Vec<ActivityType> = dialog
                .rows
                .iter()
                .filter(|r| !dialog.original.contains(r))
                .cloned()
                .collect();
            let mut failed = None;
            for t in &changed {
                if let Err(e) = ctx.db.save_activity_type(t) {
                    failed = Some(e.to_string());
                    break;
                }
            }
            match failed {
                Some(e) => dialog.message = Some(e),
                None => {
                    ctx.toasts
                        .success(format!("已保存{}项类型设置", changed.len()));
                    close = true;
                }
            }
        }
        if modal.should_close() {
            close = true;
        }
        if close {
            self.types_dialog = None;
        }
    }
}

fn new_form(mut input: ActivityInput, roll_for: Option<(i64, NaiveDate)>) -> ActivityForm {
    sort_by_name(&mut input.attendance);
    ActivityForm {
        original: input.clone(),
        input,
        errors: FieldErrors::new(),
        store_error: None,
        roll_for,
        attach_path: String::new(),
        attach_message: None,
    }
}

/// One grid per frequency: rows are types, columns the periods of the year.
fn compliance_grids(ui: &mut Ui, org_id: i64, rows: &[&ComplianceRow]) {
    for frequency in [Frequency::Month, Frequency::Quarter, Frequency::Year] {
        let rows: Vec<&&ComplianceRow> = rows.iter().filter(|r| r.frequency == frequency).collect();
        if rows.is_empty() {
            continue;
        }
        ui.label(RichText::new(frequency.label()).weak());
        egui::Grid::new(("compliance_grid", org_id, frequency.label()))
            .striped(true)
            .spacing([6.0, 4.0])
            .show(ui, |ui| {
                ui.label("");
                for (p, _) in &rows[0].cells {
                    ui.label(RichText::new(p.column_label()).small());
                }
                ui.label("");
                ui.end_row();
                for r in rows {
                    ui.label(&r.type_label);
                    for (_, state) in &r.cells {
                        let (text, color) = match state {
                            CellState::Held(1) => {
                                ("√".to_string(), Color32::from_rgb(0x1E, 0x7B, 0x34))
                            }
                            CellState::Held(n) => {
                                (format!("√{n}"), Color32::from_rgb(0x1E, 0x7B, 0x34))
                            }
                            CellState::Missing => ("缺".to_string(), form::ERROR),
                            CellState::NotDue => ("—".to_string(), Color32::GRAY),
                        };
                        ui.label(RichText::new(text).color(color).strong());
                    }
                    if r.missing.is_empty() {
                        ui.label(RichText::new(format!("{}/{}", r.held, r.required)).weak());
                    } else {
                        ui.label(
                            RichText::new(format!("缺：{}", r.missing.join("、")))
                                .color(form::ERROR),
                        );
                    }
                    ui.end_row();
                }
            });
        ui.add_space(4.0);
    }
}

enum FormUiAction {
    Bar(FormAction),
    Delete,
}

fn form_ui(
    ui: &mut Ui,
    form: &mut ActivityForm,
    ctx: &mut AppCtx,
    types: &[ActivityType],
) -> Option<FormUiAction> {
    sync_attendance(form, ctx);
    let title = match form.input.id {
        None => "登记活动".to_string(),
        Some(_) => format!("活动：{}", form.original.topic),
    };
    let mut action = form::save_bar(ui, &title, form.errors.len(), form.store_error.as_deref())
        .map(FormUiAction::Bar);
    let errors = &form.errors;
    let input = &mut form.input;
    egui::ScrollArea::vertical()
        // Keyed by the record, so each record opens scrolled to its top.
        .id_salt(("activity_form_scroll", input.id))
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
                    text_row(ui, "主持人", false, None, &mut input.host);
                    text_row(ui, "主讲人", false, None, &mut input.lecturer);
                    text_row(ui, "地点", false, None, &mut input.place);
                    text_row(ui, "记录人", false, None, &mut input.recorder);
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
            attachments_ui(
                ui,
                &mut form.attach_path,
                &mut form.attach_message,
                input,
                ctx,
            );
            if input.id.is_some() {
                ui.add_space(12.0);
                if ui
                    .button(RichText::new("删除此记录…").color(form::ERROR))
                    .clicked()
                {
                    action = Some(FormUiAction::Delete);
                }
            }
        });
    action
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
                    let mut on = chosen.contains(&id);
                    if ui.checkbox(&mut on, &t.label).changed() {
                        if on {
                            chosen.push(id);
                        } else {
                            chosen.retain(|x| *x != id);
                        }
                    }
                }
            });
        }
    });
}

/// Rebuilds the attendance list from the roll when the organisation or the date changes, keeping what
/// was marked for members still on it; everyone new is marked present.
fn sync_attendance(form: &mut ActivityForm, ctx: &mut AppCtx) {
    let (Some(org_id), Ok(day)) = (form.input.org_id, parse_date(&form.input.date)) else {
        return;
    };
    if form.roll_for == Some((org_id, day)) {
        return;
    }
    form.roll_for = Some((org_id, day));
    match ctx.db.roll_at(org_id, day) {
        Ok(roll) => {
            let old: HashMap<i64, Attendance> = form
                .input
                .attendance
                .drain(..)
                .map(|a| (a.member_id, a))
                .collect();
            form.input.attendance = roll
                .into_iter()
                .map(|(member_id, name)| {
                    old.get(&member_id).cloned().unwrap_or(Attendance {
                        member_id,
                        name,
                        presence: Presence::Present,
                        reason: String::new(),
                    })
                })
                .collect();
            sort_by_name(&mut form.input.attendance);
        }
        Err(e) => ctx.toasts.error(format!("读取党员名单失败：{e}")),
    }
}

/// Attendance lists read in pinyin order, as a sign-in sheet would.
fn sort_by_name(list: &mut [Attendance]) {
    list.sort_by_cached_key(|a| pinyin_key(&a.name));
}

fn attendance_ui(ui: &mut Ui, input: &mut ActivityInput, errors: &FieldErrors<F>) {
    ui.strong("出席情况");
    if input.attendance.is_empty() {
        ui.label(RichText::new("该组织在此日期没有在册党员名单，可直接填写人数。").weak());
        egui::Grid::new("headcount")
            .min_col_width(form::LABEL_WIDTH)
            .num_columns(2)
            .show(ui, |ui| {
                row(
                    ui,
                    "应到人数",
                    false,
                    errors.get(F::Expected),
                    |ui, id| {
                        ui.add(TextEdit::singleline(&mut input.expected).desired_width(60.0))
                            .labelled_by(id);
                    },
                );
                row(
                    ui,
                    "实到人数",
                    false,
                    errors.get(F::Present),
                    |ui, id| {
                        ui.add(TextEdit::singleline(&mut input.present).desired_width(60.0))
                            .labelled_by(id);
                    },
                );
            });
        return;
    }
    let (expected, present) = counts(&input.attendance);
    ui.horizontal(|ui| {
        ui.label(format!("应到 {expected} 人，实到 {present} 人"));
        if ui.button("全部出席").clicked() {
            for a in &mut input.attendance {
                a.presence = Presence::Present;
                a.reason.clear();
            }
        }
    });
    let options: Vec<(Presence, String)> = Presence::ALL
        .iter()
        .map(|p| (*p, p.label().to_string()))
        .collect();
    egui::Grid::new("attendance")
        .striped(true)
        .num_columns(3)
        .spacing([10.0, 4.0])
        .show(ui, |ui| {
            for (i, a) in input.attendance.iter_mut().enumerate() {
                let name = ui.label(&a.name);
                let mut p = Some(a.presence);
                form::choice(
                    ui,
                    &format!("presence_{}", a.member_id),
                    name.id,
                    &mut p,
                    &options,
                    None,
                    80.0,
                );
                a.presence = p.unwrap_or(Presence::Present);
                if a.presence == Presence::Present {
                    ui.label("");
                } else {
                    ui.vertical(|ui| {
                        ui.add(
                            TextEdit::singleline(&mut a.reason)
                                .desired_width(180.0)
                                .hint_text("事由"),
                        )
                        .labelled_by(name.id);
                        if let Some(e) = errors.get(F::Attendance(i)) {
                            ui.label(RichText::new(e).color(form::ERROR));
                        }
                    });
                }
                ui.end_row();
            }
        });
}

fn attachments_ui(
    ui: &mut Ui,
    path_text: &mut String,
    message: &mut Option<String>,
    input: &mut ActivityInput,
    ctx: &mut AppCtx,
) {
    ui.strong("附件（照片、签到表等）");
    let dir = ctx.db.attachments_dir();
    let mut remove = None;
    for (i, stored) in input.attachments.iter().enumerate() {
        ui.horizontal(|ui| {
            ui.label(stored);
            if ui.button("打开").clicked()
                && let Some(dir) = &dir
                && let Err(e) = open::that(dir.join(stored))
            {
                *message = Some(format!("无法打开：{e}"));
            }
            if ui.button("移除").clicked() {
                remove = Some(i);
            }
        });
    }
    if let Some(i) = remove {
        input.attachments.remove(i);
    }
    let mut add: Vec<std::path::PathBuf> = Vec::new();
    ui.horizontal(|ui| {
        if ui.button("添加附件…").clicked() {
            match rfd::FileDialog::new().pick_files() {
                Some(files) => add.extend(files),
                None => {
                    *message = Some(
                        "未选择文件。如果没有弹出选择窗口，请在右侧输入文件路径后点“添加”。".into(),
                    )
                }
            }
        }
        let label = ui.label("或输入路径");
        ui.add(TextEdit::singleline(path_text).desired_width(180.0))
            .labelled_by(label.id);
        if ui.button("添加").clicked() && !path_text.trim().is_empty() {
            add.push(std::path::PathBuf::from(path_text.trim()));
        }
    });
    for source in add {
        match ctx.db.import_attachment(&source) {
            Ok(stored) => {
                input.attachments.push(stored);
                path_text.clear();
                *message = None;
            }
            Err(e) => *message = Some(format!("无法添加“{}”：{e}", source.display())),
        }
    }
    if let Some(m) = message {
        ui.label(RichText::new(m.as_str()).color(form::WARNING));
    }
    if dir.is_some() && !input.attachments.is_empty() {
        ui.label(
            RichText::new("附件已复制到数据文件旁的 attachments 文件夹，保存后随记录保留。").weak(),
        );
    }
}
