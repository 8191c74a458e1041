//! Tab 学习活动: the 三会一课 and study ledger (`ledger`), the form of one record (`form`), the
//! compliance grid (`compliance`), and the settings of activity types (`types`).

mod compliance;
mod form;
mod ledger;
mod types;

use chrono::Datelike;
use egui::{RichText, Ui};

use super::action::{Action, Done, PrintRequest, Target, Write};
use super::editor::{Editable, Editor, FormAction, Next};
use super::widgets::attendance::{merge_roll, sort_by_name};
use super::widgets::form::WARNING;
use super::widgets::settings::{SettingsDialog, SettingsEvent};
use super::{AppCtx, Page, confirm};
use crate::model::FieldErrors;
use crate::model::activity::{Activity, ActivityField, ActivityInput, ActivityType};
use crate::model::date;
use crate::model::theme::Theme;
use crate::store::StoreError;
use crate::tally::compliance::{self as rules, SilentBranch};
pub use compliance::{ComplianceView, show_rows as compliance_grids};
use form::{ActivityDraft, ActivityEditor, FormEvent, FormState};
use ledger::Ledger;

#[derive(Clone, Copy, PartialEq, Eq, Default)]
enum View {
    #[default]
    Ledger,
    Compliance,
}

pub struct ActivitiesTab {
    view: View,
    initialised: bool,
    ledger: Ledger,
    compliance: ComplianceView,
    types: Vec<ActivityType>,
    themes: Vec<Theme>,
    /// The leadership's committee today, offered as 主讲人 (领导班子成员讲党课).
    leaders: Vec<String>,
    /// The organisation of the record last saved: a new one opens on it.
    last_org: Option<i64>,
    /// The missing period a new form is opened for (from 落实情况).
    prefill: Option<compliance::Missing>,
    /// Years with records, and the current year.
    years: Vec<i32>,
    silent: Vec<SilentBranch>,
    meta_for: Option<u64>,
    editor: ActivityEditor,
    state: FormState,
    /// A record to delete, with its topic, waiting for the confirmation.
    delete: Option<(i64, String)>,
    types_dialog: Option<SettingsDialog<ActivityType>>,
    themes_dialog: Option<SettingsDialog<Theme>>,
}

impl Editable for ActivityDraft {
    type Field = ActivityField;
    type Loaded = Activity;

    fn blank(ctx: &AppCtx) -> Self {
        ActivityDraft {
            input: ActivityInput {
                date: date::iso(ctx.today),
                org_id: ctx.orgs.first_id(),
                ..Default::default()
            },
            files: Vec::new(),
        }
    }

    fn load(ctx: &AppCtx, id: i64) -> Result<(Activity, Self), StoreError> {
        let a = ctx.db.activity(id)?;
        let draft = ActivityDraft {
            input: a.to_input(),
            files: Vec::new(),
        };
        Ok((a, draft))
    }

    fn write(
        &self,
        loaded: Option<&Activity>,
        ctx: &AppCtx,
    ) -> Result<Write, FieldErrors<ActivityField>> {
        let types = ctx.db.activity_types().unwrap_or_default();
        let activity = self.input.validate(ctx.today, &types)?;
        Ok(Write::Activity(
            Box::new(activity),
            self.files.clone(),
            loaded.cloned().map(Box::new),
        ))
    }

    fn is_save(write: &Write) -> bool {
        matches!(write, Write::Activity(..))
    }

    fn saved(write: &Write) -> String {
        match write {
            Write::Activity(a, ..) => format!("已保存：{}", a.topic),
            _ => "已保存".into(),
        }
    }

    fn cannot_open(e: &StoreError) -> String {
        format!("无法打开该活动：{e}")
    }
}

impl Default for ActivitiesTab {
    fn default() -> Self {
        Self {
            view: View::default(),
            initialised: false,
            ledger: Ledger::default(),
            compliance: ComplianceView::default(),
            types: Vec::new(),
            themes: Vec::new(),
            leaders: Vec::new(),
            last_org: None,
            prefill: None,
            years: Vec::new(),
            silent: Vec::new(),
            meta_for: None,
            editor: Editor::new("activity_discard"),
            state: FormState::default(),
            delete: None,
            types_dialog: None,
            themes_dialog: None,
        }
    }
}

impl Page for ActivitiesTab {
    fn ui(&mut self, ui: &mut Ui, ctx: &mut AppCtx) -> Option<Action> {
        if !self.initialised {
            self.ledger.filter.year = Some(ctx.today.year());
            self.initialised = true;
        }
        self.refresh_meta(ctx);
        let mut asked = None;
        let mut action = None;
        ui.horizontal_wrapped(|ui| {
            if ui.button(RichText::new("＋ 登记活动").strong()).clicked() {
                asked = Some(Next::New);
            }
            ui.separator();
            ui.selectable_value(&mut self.view, View::Ledger, "活动台账");
            ui.selectable_value(&mut self.view, View::Compliance, "落实情况");
            ui.separator();
            if self.view == View::Ledger {
                self.ledger.filters(ui, ctx, &self.years, &self.types);
                if ui
                    .button("导出当前列表…")
                    .on_hover_text("把当前列表（按所选条件）导出为 Excel 工作簿")
                    .clicked()
                {
                    action = Some(Action::ExportList {
                        sheet: crate::workbook::SheetKind::Activities.name(),
                        ids: self.ledger.ids(),
                        name: "活动台账".into(),
                    });
                }
            }
            if ui.button("类型设置…").clicked() {
                self.types_dialog = Some(SettingsDialog::new(
                    "活动类型设置",
                    "频次决定“落实情况”中的要求；停用的类型不再供选择，已有记录不受影响。类型不能删除。",
                    self.types.clone(),
                ));
            }
            if ui.button("专题设置…").clicked() {
                self.themes_dialog = Some(SettingsDialog::new(
                    "专题设置",
                    "活动可以标注一个或多个专题（如党史学习教育、意识形态工作），年度统计按专题计数；停用的专题不再供选择，已有记录不受影响。专题不能删除。",
                    self.themes.clone(),
                ));
            }
        });
        ui.separator();
        self.silent_banner(ui);
        match self.view {
            View::Compliance => {
                if let Some(missing) = self.compliance.ui(ui, ctx, &self.years) {
                    self.prefill = Some(missing);
                    asked = Some(Next::New);
                }
            }
            View::Ledger => {
                if self.editor.form().is_some() {
                    egui::Panel::right("activity_form")
                        .resizable(true)
                        .default_size(540.0)
                        .min_size(400.0)
                        .show(ui, |ui| {
                            let event = form::form_ui(
                                ui,
                                &mut self.editor,
                                &mut self.state,
                                ctx,
                                &self.types,
                                &self.themes,
                                &self.leaders,
                            );
                            match event {
                                Some(FormEvent::Bar(FormAction::Save)) => {
                                    action = self.editor.save(ctx)
                                }
                                Some(FormEvent::Bar(FormAction::Cancel)) => {
                                    asked = Some(Next::Close)
                                }
                                Some(FormEvent::Print) => {
                                    action = self
                                        .editor
                                        .form()
                                        .and_then(|f| f.draft.input.id)
                                        .map(|id| Action::Print(PrintRequest::Activity(id)));
                                }
                                Some(FormEvent::Delete) => {
                                    self.delete = self.editor.form().and_then(|f| {
                                        Some((f.draft.input.id?, f.original().input.topic.clone()))
                                    });
                                }
                                None => {}
                            }
                        });
                }
                let selected = self.editor.form().and_then(|f| f.draft.input.id);
                egui::CentralPanel::default().show(ui, |ui| {
                    if let Some(id) = self.ledger.table(ui, ctx, &self.types, selected) {
                        asked = Some(Next::Edit(id));
                    }
                });
            }
        }
        if self.editor.follow(ui.ctx(), asked, ctx) {
            // The form shows beside the ledger: 落实情况 gives way to it.
            self.view = View::Ledger;
            self.opened(ctx);
        } else if asked.is_none() && self.editor.form().is_none() {
            self.prefill = None;
        }
        action = action.or_else(|| self.confirm_delete(ui));
        if let Some(dialog) = &mut self.types_dialog {
            match dialog.show(ui.ctx()) {
                Some(SettingsEvent::Save(rows)) => {
                    action = Some(Action::Write(Write::ActivityTypes(rows)))
                }
                Some(SettingsEvent::Close) => self.types_dialog = None,
                None => {}
            }
        }
        if let Some(dialog) = &mut self.themes_dialog {
            match dialog.show(ui.ctx()) {
                Some(SettingsEvent::Save(rows)) => {
                    action = Some(Action::Write(Write::Themes(rows)))
                }
                Some(SettingsEvent::Close) => self.themes_dialog = None,
                None => {}
            }
        }
        action
    }

    fn done(&mut self, done: Done, ctx: &mut AppCtx) {
        if let (Write::Activity(a, ..), Ok(_)) = (&done.write, &done.result) {
            self.last_org = Some(a.org_id);
        }
        if let Some(opened) = self.editor.answered(&done, ctx) {
            if opened {
                self.opened(ctx);
            }
            return;
        }
        match (done.write, done.result) {
            (Write::DeleteActivity(_), Ok(_)) => {
                ctx.toasts.success("已删除活动记录");
                self.editor.close();
            }
            (Write::DeleteActivity(_), Err(e)) => ctx.toasts.error(format!("删除失败：{e}")),
            (Write::ActivityTypes(rows), Ok(_)) => {
                ctx.toasts
                    .success(format!("已保存{}项类型设置", rows.len()));
                self.types_dialog = None;
            }
            (Write::ActivityTypes(_), Err(e)) => {
                if let Some(dialog) = &mut self.types_dialog {
                    dialog.refused(&e);
                }
            }
            (Write::Themes(rows), Ok(_)) => {
                ctx.toasts
                    .success(format!("已保存{}项专题设置", rows.len()));
                self.themes_dialog = None;
            }
            (Write::Themes(_), Err(e)) => {
                if let Some(dialog) = &mut self.themes_dialog {
                    dialog.refused(&e);
                }
            }
            _ => {}
        }
    }

    fn has_unsaved(&self) -> bool {
        self.editor.is_dirty()
    }

    fn goto(&mut self, target: &Target) {
        let Target::Ledger { year, org, type_id } = target;
        self.view = View::Ledger;
        self.initialised = true;
        self.ledger.filter = ledger::Filter {
            year: Some(*year),
            org: *org,
            type_id: *type_id,
            ..Default::default()
        };
    }
}

impl ActivitiesTab {
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
            (Ok(types), Ok(mut years), Ok(last)) => {
                self.types = types;
                self.themes = ctx.db.themes().unwrap_or_default();
                self.leaders = ctx.db.leader_names(ctx.today).unwrap_or_default();
                if !years.contains(&ctx.today.year()) {
                    years.insert(0, ctx.today.year());
                }
                self.years = years;
                self.silent = rules::silent_branches(&ctx.orgs.list, &last, ctx.today);
            }
            (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => {
                ctx.toasts.error(format!("读取活动类型失败：{e}"))
            }
        }
        self.meta_for = Some(ctx.db.generation());
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
                rules::SILENT_DAYS,
                names.join("、")
            ))
            .color(WARNING),
        );
    }

    /// A form was opened. A new record is for the organisation the ledger is filtered to, with
    /// today's roll all present (that is the record as opened, not a change to ask about); a stored
    /// one keeps its list, rebuilt only when its organisation or date changes.
    fn opened(&mut self, ctx: &mut AppCtx) {
        let generation = self.state.generation + 1;
        self.state = FormState {
            generation,
            ..FormState::default()
        };
        // The organisation chosen in the ledger's filter, else the one last saved, else the first
        // with members of its own.
        let filter_org = self
            .ledger
            .filter
            .org
            .or(self.last_org)
            .or_else(|| ctx.orgs.first_with_members());
        let mut roll_for = None;
        let prefill = self.prefill.take();
        self.editor.opened_with(|draft| {
            let input = &mut draft.input;
            if input.id.is_none() {
                input.org_id = filter_org.or(input.org_id);
                let mut day = ctx.today;
                // Opened for a 缺 on 落实情况: that organisation, type and period.
                if let Some((org, type_id, period)) = prefill {
                    input.org_id = Some(org);
                    input.type_ids = vec![type_id];
                    match period {
                        crate::model::activity::Period::Year(y) => input.for_year = y.to_string(),
                        p => day = p.start(),
                    }
                    input.date = date::iso(day);
                }
                if let Some(org_id) = input.org_id {
                    if let Ok(roll) = ctx.db.roll_at(org_id, day) {
                        merge_roll(&mut input.attendance, roll);
                    }
                    roll_for = Some((org_id, day));
                }
            } else if let (Some(org_id), Ok(day)) = (input.org_id, date::parse_date(&input.date)) {
                roll_for = Some((org_id, day));
            }
            sort_by_name(&mut input.attendance);
        });
        self.state.roll_for = roll_for;
    }

    fn confirm_delete(&mut self, ui: &Ui) -> Option<Action> {
        let (id, topic) = self.delete.as_ref()?;
        let (id, text) = (
            *id,
            format!(
                "确定删除活动记录“{topic}”？删除后不再计入统计；删除前的内容保留在修改记录中。"
            ),
        );
        match confirm(ui.ctx(), "activity_delete", "删除活动记录", &text, "删除") {
            Some(true) => {
                self.delete = None;
                Some(Action::Write(Write::DeleteActivity(id)))
            }
            Some(false) => {
                self.delete = None;
                None
            }
            None => None,
        }
    }
}
