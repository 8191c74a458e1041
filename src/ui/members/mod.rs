//! Tab 党员: the roster (search, filters, sorting; virtualised for 10,000 rows) with the member's
//! form and page, the 发展党员 pipeline, 党费 and 表彰 · 慰问 · 评议.

mod dialogs;
mod dues;
mod events;
mod member_form;
mod pipeline;
mod roster;

use std::collections::{HashMap, HashSet};

use egui::{RichText, Ui};
use egui_extras::Column;

use super::action::{Action, Done, Write};
use super::editor::{Editor, FormAction, Next};
use super::widgets::form;
use super::widgets::table::record_table;
use super::{AppCtx, Page, confirm};
use crate::model::FieldErrors;
use crate::model::collate::pinyin_key;
use crate::model::date;
use crate::model::dues::Dues;
use crate::model::member::{Category, Member, MemberInput, STANDINGS, Status, mask_id};
use crate::model::member_event::{EventInput, EventKind, MemberEvent};
use crate::model::org::with_descendants;
use crate::model::transfer::{Transfer, TransferInput};
use crate::store::AuditEntry;
use chrono::Datelike;
use dialogs::{Dialog, Outcome};
use dues::DuesView;
use events::{EventsAsk, EventsView};
use member_form::load_page;
use pipeline::PipelineView;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum View {
    Roster,
    Pipeline,
    Dues,
    Events,
}

impl View {
    const ALL: [View; 4] = [View::Roster, View::Pipeline, View::Dues, View::Events];

    fn label(self) -> &'static str {
        match self {
            View::Roster => "名册",
            View::Pipeline => "发展党员",
            View::Dues => "党费",
            View::Events => "表彰 · 慰问 · 评议",
        }
    }
}

/// The open member's records beside the form.
#[derive(Default)]
pub struct MemberPage {
    pub transfers: Vec<Transfer>,
    pub events: Vec<MemberEvent>,
    pub year: i32,
    pub dues: Vec<Dues>,
    /// Months of this year owed and not paid.
    pub arrears: Vec<u32>,
}

/// What the member's page asks for.
pub enum Intent {
    Transfer,
    Step,
    Event,
    DeleteTransfer(i64, String),
    DeleteEvent(i64, String),
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum SortKey {
    Name,
    Org,
    Category,
    Status,
    Age,
    PartyAge,
}

#[derive(Clone, PartialEq, Eq, Default, Debug)]
struct Filter {
    search: String,
    org: Option<i64>,
    category: Option<Category>,
    status: Option<&'static str>,
}

pub struct MembersTab {
    rows: Vec<Member>,
    /// What the list shows of each member, parallel to `rows`, made once per load.
    lines: Vec<roster::Line>,
    loaded: Option<u64>,
    /// Indices into `rows` after filtering and sorting, recomputed only when `view_of` changes.
    view: Vec<usize>,
    /// This month's 政治生日, made when the roster is read (not every frame).
    birthdays: Vec<String>,
    view_of: Option<(u64, Filter, SortKey, bool)>,
    filter: Filter,
    sort: SortKey,
    ascending: bool,
    editor: Editor<MemberInput>,
    /// The open member's change history.
    history: Vec<AuditEntry>,
    /// A save that changes the status away from 在册, waiting for its confirmation.
    status_change: Option<Write>,
    section: View,
    /// Every member's transfers, loaded with the roster.
    transfers: HashMap<i64, Vec<Transfer>>,
    page: MemberPage,
    dialog: Option<Dialog>,
    /// A removal waiting for its confirmation: the write and what it removes.
    removal: Option<(Write, String)>,
    pipeline: PipelineView,
    dues: Option<DuesView>,
    events: Option<EventsView>,
}

impl Default for MembersTab {
    fn default() -> Self {
        Self {
            rows: Vec::new(),
            lines: Vec::new(),
            loaded: None,
            view: Vec::new(),
            birthdays: Vec::new(),
            view_of: None,
            filter: Filter::default(),
            sort: SortKey::Org,
            ascending: true,
            editor: Editor::new("member_discard"),
            history: Vec::new(),
            status_change: None,
            section: View::Roster,
            transfers: HashMap::new(),
            page: MemberPage::default(),
            dialog: None,
            removal: None,
            pipeline: PipelineView::default(),
            dues: None,
            events: None,
        }
    }
}

impl Page for MembersTab {
    fn ui(&mut self, ui: &mut Ui, ctx: &mut AppCtx) -> Option<Action> {
        self.refresh(ctx);
        let mut asked: Option<Next> = None;
        let mut action = None;
        let mut intent = None;

        ui.horizontal(|ui| {
            for v in View::ALL {
                ui.selectable_value(&mut self.section, v, RichText::new(v.label()).strong());
            }
        });
        ui.separator();
        match self.section {
            View::Roster => {
                ui.horizontal_wrapped(|ui| self.toolbar(ui, ctx, &mut asked, &mut action));
                ui.separator();
                if self.editor.form().is_some() {
                    egui::Panel::right("member_form")
                        .resizable(true)
                        .default_size(470.0)
                        .min_size(360.0)
                        .show(ui, |ui| {
                            match member_form::form_ui(
                                ui,
                                &mut self.editor,
                                &self.history,
                                &self.page,
                                &mut intent,
                                ctx,
                            ) {
                                Some(FormAction::Save) => action = self.save(ctx),
                                Some(FormAction::Cancel) => asked = Some(Next::Close),
                                None => {}
                            }
                        });
                }
                egui::CentralPanel::default().show(ui, |ui| {
                    self.reminders(ui);
                    if let Some(id) = self.table(ui, ctx) {
                        asked = Some(Next::Edit(id));
                    }
                });
            }
            View::Pipeline => {
                if let Some((id, step)) = self.pipeline.ui(ui, &self.rows, ctx) {
                    if step {
                        self.open_step(id, ctx);
                    } else {
                        self.section = View::Roster;
                        asked = Some(Next::Edit(id));
                    }
                }
            }
            View::Dues => {
                let today = ctx.today;
                let dues = self.dues.get_or_insert_with(|| DuesView::new(today));
                if dues.org.is_none() {
                    // The first organisation with members on its roll: the 党组 usually has none.
                    dues.org = ctx
                        .org_options()
                        .iter()
                        .map(|(id, _)| *id)
                        .find(|&id| ctx.db.roll_at(id, today).is_ok_and(|r| !r.is_empty()))
                        .or(ctx.orgs.first_id());
                }
                action = dues.ui(ui, ctx);
            }
            View::Events => {
                let today = ctx.today;
                let events = self.events.get_or_insert_with(|| EventsView::new(today));
                match events.ui(ui, ctx) {
                    Some(EventsAsk::New(kind)) => self.open_event(Some(kind), None, ctx),
                    Some(EventsAsk::Delete(id, text)) => {
                        self.removal = Some((Write::DeleteMemberEvent(id), text))
                    }
                    Some(EventsAsk::Open(id)) => {
                        self.section = View::Roster;
                        asked = Some(Next::Edit(id));
                    }
                    None => {}
                }
            }
        }

        match intent {
            Some(Intent::Transfer) => self.open_transfer(),
            Some(Intent::Step) => {
                if let Some(id) = self.editor.form().and_then(|f| f.draft.id) {
                    self.open_step(id, ctx);
                }
            }
            Some(Intent::Event) => {
                let id = self.editor.form().and_then(|f| f.draft.id);
                self.open_event(None, id, ctx);
            }
            Some(Intent::DeleteTransfer(id, text)) => {
                self.removal = Some((
                    Write::DeleteTransfer(id),
                    format!("组织关系转接记录：{text}"),
                ))
            }
            Some(Intent::DeleteEvent(id, text)) => {
                self.removal = Some((Write::DeleteMemberEvent(id), text))
            }
            None => {}
        }
        if let Some(dialog) = &mut self.dialog {
            match dialog.ui(ui.ctx(), ctx) {
                Some(Outcome::Write(w)) => action = Some(Action::Write(w)),
                Some(Outcome::Cancel) => self.dialog = None,
                None => {}
            }
        }
        if let Some((_, text)) = &self.removal {
            let text = format!("确认删除以下记录？删除会记入修改记录。\n{text}");
            match confirm(ui.ctx(), "member_removal", "删除记录", &text, "删除") {
                Some(true) => action = self.removal.take().map(|(w, _)| Action::Write(w)),
                Some(false) => self.removal = None,
                None => {}
            }
        }

        if self.editor.follow(ui.ctx(), asked, ctx) {
            self.opened(ctx);
        }
        action.or_else(|| self.confirm_status_change(ui))
    }

    fn done(&mut self, done: Done, ctx: &mut AppCtx) {
        // A 发展党员 step is a member's save from a dialog: its answer goes to the dialog, and the
        // form reopens only when it shows that member.
        let step = matches!(done.write, Write::Member(..)) && self.dialog.is_some();
        if !step && let Some(opened) = self.editor.answered(&done, ctx) {
            if opened {
                self.opened(ctx);
            }
            return;
        }
        match (done.write, done.result) {
            (Write::Member(member, _), Ok(id)) => {
                ctx.toasts.success(format!("已保存：{}", member.name));
                self.dialog = None;
                if self.editor.form().and_then(|f| f.draft.id) == Some(id)
                    && self.editor.go(Next::Edit(id), ctx)
                {
                    self.opened(ctx);
                }
            }
            (Write::Member(..), Err(e)) => {
                if let Some(d) = &mut self.dialog {
                    d.refused(&e);
                }
            }
            (Write::Transfer(_), Ok(_)) => {
                self.dialog = None;
                ctx.toasts.success("已登记组织关系转接");
                self.reload_page(ctx);
            }
            (Write::MemberEvents(rows), Ok(_)) => {
                self.dialog = None;
                let kind = rows.first().map(|e| e.kind.label()).unwrap_or_default();
                ctx.toasts
                    .success(format!("已登记{kind}：{}人", rows.len()));
                self.reload_page(ctx);
            }
            (Write::Transfer(_) | Write::MemberEvents(_), Err(e)) => {
                if let Some(d) = &mut self.dialog {
                    d.refused(&e);
                }
            }
            (Write::DeleteTransfer(_) | Write::DeleteMemberEvent(_), result) => {
                match result {
                    Ok(_) => ctx.toasts.success("已删除"),
                    Err(e) => ctx.toasts.error(format!("未删除：{e}")),
                }
                self.reload_page(ctx);
            }
            (Write::DuesMonth { year, month, .. }, Ok(n)) => {
                ctx.toasts
                    .success(format!("已保存{year}年{month}月党费：{n}人"));
                if let Some(d) = &mut self.dues {
                    d.saved();
                }
            }
            (Write::DuesMonth { .. }, Err(e)) => {
                ctx.toasts.error(format!("党费未保存：{e}"));
                if let Some(d) = &mut self.dues {
                    d.refused(&e);
                }
            }
            _ => {}
        }
    }

    fn has_unsaved(&self) -> bool {
        self.editor.is_dirty() || self.dues.as_ref().is_some_and(DuesView::is_dirty)
    }
}

impl MembersTab {
    fn refresh(&mut self, ctx: &mut AppCtx) {
        if self.loaded == Some(ctx.db.generation()) {
            return;
        }
        match (ctx.db.members(), ctx.db.transfers_by_member()) {
            (Ok(rows), Ok(transfers)) => {
                self.lines = rows
                    .iter()
                    .map(|m| roster::Line::new(m, &transfers, ctx.today))
                    .collect();
                self.rows = rows;
                self.transfers = transfers;
            }
            (Err(e), _) | (_, Err(e)) => ctx.toasts.error(format!("读取党员名册失败：{e}")),
        }
        self.loaded = Some(ctx.db.generation());
        self.pipeline
            .refresh(&self.rows, &self.transfers, ctx.db.generation(), ctx.today);
        let none = Vec::new();
        self.birthdays = self
            .rows
            .iter()
            .filter(|m| m.political_birthday_in(ctx.today.month()))
            .filter(|m| {
                let chain = m.id.and_then(|id| self.transfers.get(&id)).unwrap_or(&none);
                m.on_rolls_at(chain, ctx.today)
            })
            .map(|m| {
                let joined = m.probationary_on.map(date::chinese).unwrap_or_default();
                format!(
                    "{}（{}，{}入党）",
                    m.name,
                    ctx.org_name(m.org_id).trim_start(),
                    joined
                )
            })
            .collect();
    }

    /// A form was opened: a new member is of the organisation the roster is filtered to; a stored
    /// one's page (transfers, events, dues) and change history are read.
    fn opened(&mut self, ctx: &mut AppCtx) {
        let filter_org = self.filter.org;
        self.editor.opened_with(|m| {
            if m.id.is_none() {
                m.org_id = filter_org.or(m.org_id);
            }
        });
        match self.editor.loaded().cloned() {
            Some(m) => {
                self.history = ctx.db.history("member", &m.uid).unwrap_or_default();
                self.page = load_page(&m, ctx);
            }
            None => {
                self.history.clear();
                self.page = MemberPage::default();
            }
        }
    }

    /// Validates the form. A change of status away from 在册 is confirmed first.
    fn save(&mut self, ctx: &AppCtx) -> Option<Action> {
        let was = self.editor.form()?.original().status;
        let write = self.editor.checked(ctx)?;
        if let Write::Member(m, _) = &write
            && m.status != Status::OnRolls
            && m.status != was
        {
            self.status_change = Some(write);
            return None;
        }
        Some(Action::Write(write))
    }

    /// The open member's page, read again after one of its records changed.
    fn reload_page(&mut self, ctx: &mut AppCtx) {
        let id = self.editor.form().and_then(|f| f.draft.id);
        if let Some(m) = id.and_then(|id| ctx.db.member(id).ok()) {
            self.page = load_page(&m, ctx);
            self.history = ctx.db.history("member", &m.uid).unwrap_or_default();
            // The organisation may have moved with a transfer; the rest of the draft stays.
            if let Some(form) = self.editor.form_mut() {
                form.draft.org_id = Some(m.org_id);
            }
            self.editor.reloaded(m);
        }
    }

    fn open_transfer(&mut self) {
        let Some(form) = self.editor.form() else {
            return;
        };
        let Some(id) = form.draft.id else { return };
        let original = form.original();
        self.dialog = Some(Dialog::Transfer {
            name: original.name.clone(),
            home: original.org_id.unwrap_or_default(),
            chain: self.page.transfers.clone(),
            input: TransferInput {
                member_id: id,
                ..Default::default()
            },
            errors: FieldErrors::new(),
        });
    }

    /// The next step of 发展党员 for member `id`, with the full members to pick introducers from.
    fn open_step(&mut self, id: i64, ctx: &mut AppCtx) {
        if self.editor.is_dirty() {
            ctx.toasts
                .error("请先保存或取消正在编辑的党员表单，再办理发展党员手续");
            return;
        }
        let Ok(member) = ctx.db.member(id) else {
            return;
        };
        let none = Vec::new();
        let full: Vec<(i64, String)> = self
            .rows
            .iter()
            .filter(|m| {
                let chain = m.id.and_then(|id| self.transfers.get(&id)).unwrap_or(&none);
                m.id != Some(id) && m.on_rolls_at(chain, ctx.today) && m.full_at(ctx.today)
            })
            .filter_map(|m| {
                Some((
                    m.id?,
                    format!("{}（{}）", m.name, ctx.org_name(m.org_id).trim_start()),
                ))
            })
            .collect();
        self.dialog = Some(Dialog::step(member, full, ctx));
    }

    /// 表彰 / 走访慰问 / 民主评议 for several members; `member` is ticked already.
    fn open_event(&mut self, kind: Option<EventKind>, member: Option<i64>, ctx: &AppCtx) {
        let people = ctx.db.members_on_rolls(ctx.today).unwrap_or_default();
        self.dialog = Some(Dialog::Event {
            input: EventInput {
                kind,
                date: date::iso(ctx.today),
                for_year: (ctx.today.year() - 1).to_string(),
                members: member.into_iter().collect(),
                ..Default::default()
            },
            errors: FieldErrors::new(),
            people,
            search: String::new(),
        });
    }

    fn confirm_status_change(&mut self, ui: &Ui) -> Option<Action> {
        let Some(Write::Member(member, _)) = self.status_change.as_ref() else {
            return None;
        };
        let text = format!(
            "确认将{}的状态改为“{}”（{}）？\n该党员不会被删除，名册中仍可按状态筛选查到，历史记录照常保留。",
            member.name,
            member.status,
            member.status_date.map(date::chinese).unwrap_or_default()
        );
        match confirm(ui.ctx(), "member_status", "变更党员状态", &text, "确认变更") {
            Some(true) => self.status_change.take().map(Action::Write),
            Some(false) => {
                self.status_change = None;
                None
            }
            None => None,
        }
    }
}
