//! Tab 组织: the organisation tree, and a form for an organisation with its committee, term and
//! 换届选举.

mod committee;
mod election;

use egui::{RichText, TextEdit, Ui};

use super::action::{Action, Done, Write};
use super::editor::{Editable, Editor, FormAction, Next};
use super::widgets::date_field::date_field;
use super::widgets::form::{self, choice_row, row, text_row};
use super::{AppCtx, Page};
use crate::model::FieldErrors;
use crate::model::activity::{ActivityType, Frequency};
use crate::model::election::Election;
use crate::model::org::{
    CommitteeInput, CommitteeMember, Org, OrgField as F, OrgInput, OrgKind, TermState,
};
use crate::store::StoreError;

/// The organisation as typed, with its committee: saved together, dirty together.
#[derive(Clone, PartialEq)]
struct OrgDraft {
    org: OrgInput,
    committee: Vec<CommitteeInput>,
}

pub struct OrgsTab {
    editor: Editor<OrgDraft>,
    /// Activity types, for the organisation's own expectations; reloaded after a write.
    types: Vec<ActivityType>,
    types_for: Option<u64>,
    /// Members on the rolls of the open organisation, to pick committee members from.
    candidates: Vec<(i64, String)>,
    /// The open organisation's elections, newest first.
    elections: Vec<Election>,
    election: Option<election::ElectionDialog>,
}

/// Which election the form asked to open.
enum ElectionAsk {
    New,
    Edit(usize),
}

impl Default for OrgsTab {
    fn default() -> Self {
        Self {
            editor: Editor::new("org_discard"),
            types: Vec::new(),
            types_for: None,
            candidates: Vec::new(),
            elections: Vec::new(),
            election: None,
        }
    }
}

impl Page for OrgsTab {
    fn ui(&mut self, ui: &mut Ui, ctx: &mut AppCtx) -> Option<Action> {
        if self.types_for != Some(ctx.db.generation()) {
            match ctx.db.activity_types() {
                Ok(types) => self.types = types,
                Err(e) => ctx.toasts.error(format!("读取活动类型失败：{e}")),
            }
            self.types_for = Some(ctx.db.generation());
        }
        let mut asked = None;
        let mut action = None;
        let mut election_asked = None;
        egui::Panel::left("org_tree")
            .resizable(true)
            .default_size(320.0)
            .min_size(220.0)
            .show(ui, |ui| self.tree(ui, ctx, &mut asked, &mut action));
        egui::CentralPanel::default().show(ui, |ui| {
            if self.editor.form().is_none() {
                overview(ui, ctx, &mut asked);
                return;
            }
            let lists = Lists {
                candidates: &self.candidates,
                types: &self.types,
                elections: &self.elections,
            };
            match form_ui(ui, &mut self.editor, &lists, ctx, &mut election_asked) {
                Some(FormAction::Save) => action = self.editor.save(ctx),
                Some(FormAction::Cancel) => asked = Some(Next::Close),
                None => {}
            }
        });
        if let Some(ask) = election_asked {
            self.open_election(ask);
        }
        if let Some(dialog) = &mut self.election {
            let name = self
                .editor
                .form()
                .map(|f| f.original().org.name.clone())
                .unwrap_or_default();
            match dialog.show(ui.ctx(), &name, &self.candidates, ctx.today) {
                Some(election::DialogEvent::Save(write)) => action = Some(Action::Write(write)),
                Some(election::DialogEvent::Close) => self.election = None,
                None => {}
            }
        }
        if self.editor.follow(ui.ctx(), asked, ctx) {
            self.opened(ctx);
        }
        action
    }

    fn done(&mut self, done: Done, ctx: &mut AppCtx) {
        if let Write::MoveOrg { .. } = &done.write {
            if let Err(e) = &done.result {
                ctx.toasts.error(format!("未能调整顺序：{e}"));
            }
            return;
        }
        if let Write::Election(e, _) = &done.write {
            match &done.result {
                Ok(_) => {
                    ctx.toasts.success(format!(
                        "已保存换届选举（{}）",
                        crate::model::date::chinese(e.held)
                    ));
                    self.election = None;
                    // The committee and the term may have followed: show them as they are now.
                    if self.editor.go(Next::Edit(e.org_id), ctx) {
                        self.opened(ctx);
                    }
                }
                Err(err) => {
                    if let Some(d) = &mut self.election {
                        d.refused(err);
                    }
                }
            }
            return;
        }
        if self.editor.answered(&done, ctx) == Some(true) {
            self.opened(ctx);
        }
    }

    fn has_unsaved(&self) -> bool {
        self.editor.is_dirty()
    }
}

impl OrgsTab {
    fn tree(
        &mut self,
        ui: &mut Ui,
        ctx: &AppCtx,
        next: &mut Option<Next>,
        action: &mut Option<Action>,
    ) {
        ui.horizontal_wrapped(|ui| {
            if ui.button(RichText::new("＋ 新增组织").strong()).clicked() {
                *next = Some(Next::New);
            }
            // The one order of organisations (tree, lists, tally, PDF, workbook), changed here.
            if let Some(id) = self.editor.form().and_then(|f| f.draft.org.id) {
                if ui
                    .button("上移")
                    .on_hover_text("在同级组织中上移一位")
                    .clicked()
                {
                    *action = Some(Action::Write(Write::MoveOrg { id, up: true }));
                }
                if ui
                    .button("下移")
                    .on_hover_text("在同级组织中下移一位")
                    .clicked()
                {
                    *action = Some(Action::Write(Write::MoveOrg { id, up: false }));
                }
            }
        });
        ui.separator();
        let selected = self.editor.form().and_then(|f| f.draft.org.id);
        let orgs = &ctx.orgs.list;
        egui::ScrollArea::vertical()
            .id_salt("org_tree_scroll")
            .show(ui, |ui| {
                for &(depth, i) in &ctx.orgs.tree {
                    let org = &orgs[i];
                    // A 党委's members sit in its branches: the whole subtree counts.
                    let on_rolls = org
                        .id
                        .and_then(|id| ctx.orgs.subtree_on_rolls.get(&id))
                        .copied()
                        .unwrap_or(0);
                    let warn = if org.term_state(ctx.today).needs_attention() {
                        " ！"
                    } else {
                        ""
                    };
                    ui.horizontal(|ui| {
                        ui.add_space(18.0 * depth as f32);
                        let text =
                            format!("{}（{}，在册{}人）{warn}", org.name, org.kind, on_rolls);
                        if ui
                            .selectable_label(org.id == selected && selected.is_some(), text)
                            .clicked()
                            && let Some(id) = org.id
                        {
                            *next = Some(Next::Edit(id));
                        }
                    });
                }
            });
    }

    /// A form was opened: the members on the rolls of the organisation, to pick its committee
    /// from, and its elections.
    fn opened(&mut self, ctx: &mut AppCtx) {
        let id = self.editor.form().and_then(|f| f.draft.org.id);
        self.candidates = match id {
            Some(id) => ctx.db.roll_at(id, ctx.today).unwrap_or_default(),
            None => Vec::new(),
        };
        self.elections = match id.map(|id| ctx.db.elections(Some(id))) {
            Some(Ok(list)) => list,
            Some(Err(e)) => {
                ctx.toasts.error(format!("读取换届选举记录失败：{e}"));
                Vec::new()
            }
            None => Vec::new(),
        };
    }

    fn open_election(&mut self, ask: ElectionAsk) {
        let Some((org, committee)) = self.editor.loaded() else {
            return;
        };
        let Some(org_id) = org.id else { return };
        self.election = match ask {
            ElectionAsk::New => Some(election::ElectionDialog::new(
                org_id,
                committee.iter().map(|c| c.to_input()).collect(),
            )),
            ElectionAsk::Edit(i) => self
                .elections
                .get(i)
                .cloned()
                .map(election::ElectionDialog::edit),
        };
    }
}

impl Editable for OrgDraft {
    type Field = F;
    type Loaded = (Org, Vec<CommitteeMember>);

    fn blank(_: &AppCtx) -> Self {
        OrgDraft {
            org: OrgInput::default(),
            committee: Vec::new(),
        }
    }

    fn load(ctx: &AppCtx, id: i64) -> Result<(Self::Loaded, Self), StoreError> {
        let org = ctx.db.org(id)?;
        let rows = ctx.db.committee(id)?;
        let draft = OrgDraft {
            org: org.to_input(),
            committee: rows.iter().map(|c| c.to_input()).collect(),
        };
        Ok(((org, rows), draft))
    }

    fn write(&self, loaded: Option<&Self::Loaded>, ctx: &AppCtx) -> Result<Write, FieldErrors<F>> {
        let (org, committee) = self.org.validate(&self.committee, ctx.today)?;
        Ok(Write::Org(
            Box::new(org),
            committee,
            loaded.cloned().map(Box::new),
        ))
    }

    fn is_save(write: &Write) -> bool {
        matches!(write, Write::Org(..))
    }

    fn saved(write: &Write) -> String {
        match write {
            Write::Org(org, ..) => format!("已保存：{}", org.name),
            _ => "已保存".into(),
        }
    }

    fn cannot_open(e: &StoreError) -> String {
        format!("无法打开该组织：{e}")
    }
}

/// What the tab shows with nothing selected: how to start, and the 换届 that need attention.
fn overview(ui: &mut Ui, ctx: &AppCtx, next: &mut Option<Next>) {
    ui.add_space(20.0);
    if ctx.orgs.is_empty() {
        ui.label("还没有组织。点击左上方“＋ 新增组织”，先录入党组、机关党委或党支部。");
        return;
    }
    ui.label("请在左侧选择一个组织查看或修改，或点击“＋ 新增组织”。");
    let attention: Vec<_> = ctx
        .orgs
        .list
        .iter()
        .filter_map(|o| {
            let state = o.term_state(ctx.today);
            state
                .needs_attention()
                .then(|| (o.id, format!("{}：{}", o.name, state.describe())))
        })
        .collect();
    if attention.is_empty() {
        return;
    }
    ui.add_space(16.0);
    ui.label(
        RichText::new(format!("！换届提醒（{}个组织）", attention.len()))
            .color(form::WARNING)
            .strong(),
    );
    egui::ScrollArea::vertical()
        .id_salt("term_attention")
        .show(ui, |ui| {
            for (id, line) in attention {
                if ui.link(RichText::new(line).color(form::WARNING)).clicked() {
                    *next = id.map(Next::Edit);
                }
            }
        });
}

/// What the form shows besides the draft.
struct Lists<'a> {
    candidates: &'a [(i64, String)],
    types: &'a [ActivityType],
    elections: &'a [Election],
}

fn form_ui(
    ui: &mut Ui,
    editor: &mut Editor<OrgDraft>,
    lists: &Lists,
    ctx: &AppCtx,
    election_asked: &mut Option<ElectionAsk>,
) -> Option<FormAction> {
    let Lists {
        candidates,
        types,
        elections,
    } = *lists;
    let dirty = editor.is_dirty();
    let title = match editor
        .form()
        .map(|f| (f.draft.org.id, &f.original().org.name))
    {
        Some((Some(_), name)) => format!("组织：{name}"),
        _ => "新增组织".to_string(),
    };
    let action = editor.save_bar(ui, &title);
    let form = editor.form_mut()?;
    let errors = &form.errors;
    let OrgDraft {
        org: input,
        committee,
    } = &mut form.draft;
    egui::ScrollArea::vertical()
        .id_salt("org_form_scroll")
        .show(ui, |ui| {
            egui::Grid::new("org_form")
                .min_col_width(form::LABEL_WIDTH)
                .num_columns(2)
                .spacing([12.0, 6.0])
                .show(ui, |ui| {
                    text_row(ui, "组织名称", true, errors.get(F::Name), &mut input.name);
                    let kinds: Vec<_> = OrgKind::ALL
                        .iter()
                        .map(|k| (*k, k.label().to_string()))
                        .collect();
                    let mut kind = Some(input.kind);
                    choice_row(
                        ui,
                        "组织类别",
                        true,
                        errors.get(F::Kind),
                        &mut kind,
                        &kinds,
                        None,
                    );
                    input.kind = kind.unwrap_or(OrgKind::Branch);
                    let parents: Vec<_> = ctx
                        .org_options()
                        .iter()
                        .filter(|(id, _)| Some(*id) != input.id)
                        .cloned()
                        .collect();
                    choice_row(
                        ui,
                        "上级组织",
                        false,
                        errors.get(F::Parent),
                        &mut input.parent_id,
                        &parents,
                        Some("（无）"),
                    );
                    row(
                        ui,
                        "成立日期",
                        false,
                        errors.get(F::Founded),
                        |ui, id| {
                            date_field(ui, &mut input.founded, id);
                        },
                    );
                    row(
                        ui,
                        "撤销日期",
                        false,
                        errors.get(F::Dissolved),
                        |ui, id| {
                            ui.horizontal(|ui| {
                                date_field(ui, &mut input.dissolved, id);
                                ui.label(RichText::new("合并或撤销后填写").weak());
                            });
                        },
                    );
                    row(
                        ui,
                        "本届任期开始",
                        false,
                        errors.get(F::TermStart),
                        |ui, id| {
                            date_field(ui, &mut input.term_start, id);
                        },
                    );
                    row(
                        ui,
                        "任期年限",
                        true,
                        errors.get(F::TermYears),
                        |ui, id| {
                            ui.horizontal(|ui| {
                                ui.add(
                                    TextEdit::singleline(&mut input.term_years).desired_width(40.0),
                                )
                                .labelled_by(id);
                                ui.label("年（一般为3年，村和社区党组织为5年）");
                            });
                        },
                    );
                    row(ui, "换届", false, None, |ui, _| {
                        let preview = input
                            .validate(&[], ctx.today)
                            .map(|(org, _)| org.term_state(ctx.today));
                        match preview {
                            Ok(state @ (TermState::DueSoon { .. } | TermState::Overdue { .. })) => {
                                ui.label(
                                    RichText::new(format!("！{}", state.describe()))
                                        .color(form::WARNING)
                                        .strong(),
                                );
                            }
                            Ok(state) => {
                                ui.label(state.describe());
                            }
                            Err(_) => {
                                ui.label("—");
                            }
                        }
                    });
                    row(ui, "设置", false, None, |ui, _| {
                        ui.checkbox(&mut input.has_committee, "设有支部委员会");
                        ui.checkbox(&mut input.has_groups, "设有党小组");
                    });
                    row(ui, "备注", false, errors.get(F::Note), |ui, id| {
                        ui.add(
                            TextEdit::multiline(&mut input.note)
                                .desired_rows(2)
                                .desired_width(300.0),
                        )
                        .labelled_by(id);
                    });
                });
            ui.add_space(10.0);
            expectations_ui(ui, input, types, ctx);
            ui.add_space(10.0);
            ui.strong("委员会成员");
            committee::committee_ui(
                ui,
                "committee",
                committee,
                |i| errors.get(F::Committee(i)),
                candidates,
                true,
            );
            if input.id.is_some() {
                ui.add_space(10.0);
                elections_ui(ui, elections, dirty, election_asked);
            }
        });
    action
}

/// The organisation's 换届选举, newest first, and the button to record one. Recording one replaces
/// the committee, so it waits until the form's own changes are saved or cancelled.
fn elections_ui(ui: &mut Ui, elections: &[Election], dirty: bool, asked: &mut Option<ElectionAsk>) {
    ui.strong("换届选举");
    if elections.is_empty() {
        ui.label(RichText::new("尚未登记换届选举").weak());
    }
    for (i, e) in elections.iter().enumerate() {
        ui.horizontal_wrapped(|ui| {
            ui.label(election::describe(e));
            if ui
                .add_enabled(!dirty, egui::Button::new("查看/修改…"))
                .clicked()
            {
                *asked = Some(ElectionAsk::Edit(i));
            }
        });
    }
    ui.horizontal_wrapped(|ui| {
        if ui
            .add_enabled(!dirty, egui::Button::new("＋ 登记换届选举…"))
            .clicked()
        {
            *asked = Some(ElectionAsk::New);
        }
        if dirty {
            ui.label(RichText::new("请先保存或取消对本组织的修改").weak());
        }
    });
}

/// Which activity types this organisation is expected to hold: by the type's rule, or its own
/// answer (a 机关党委 is a 党委 but holds no 民主生活会). 落实情况 and the tally follow.
fn expectations_ui(ui: &mut Ui, input: &mut OrgInput, types: &[ActivityType], ctx: &AppCtx) {
    let preview = input.validate(&[], ctx.today).ok().map(|(org, _)| org);
    let rated: Vec<&ActivityType> = types
        .iter()
        .filter(|t| !t.hidden && t.frequency != Frequency::None)
        .collect();
    egui::CollapsingHeader::new(RichText::new("应开展的活动").strong())
        .id_salt("org_expectations")
        .default_open(!input.expectations.is_empty())
        .show(ui, |ui| {
            ui.label(
                RichText::new("默认按活动类型的规定；个别组织情况不同时可在此单独设置。").weak(),
            );
            egui::Grid::new("org_expectations_grid")
                .num_columns(3)
                .spacing([12.0, 4.0])
                .striped(true)
                .show(ui, |ui| {
                    for t in rated {
                        let Some(type_id) = t.id else { continue };
                        let label = ui.label(&t.label);
                        ui.label(RichText::new(t.frequency.label()).weak());
                        let by_rule = preview.as_ref().map(|o| t.expected_by_rule(o));
                        let rule_text = match by_rule {
                            Some(true) => "按规定（要求）",
                            Some(false) => "按规定（不要求）",
                            None => "按规定",
                        };
                        let options = [
                            (0_u8, rule_text.to_string()),
                            (1, "要求".to_string()),
                            (2, "不要求".to_string()),
                        ];
                        let own = input
                            .expectations
                            .iter()
                            .find(|(id, _)| *id == type_id)
                            .map(|(_, e)| *e);
                        let mut choice = Some(match own {
                            None => 0,
                            Some(true) => 1,
                            Some(false) => 2,
                        });
                        form::choice(
                            ui,
                            &format!("org_expect_{type_id}"),
                            label.id,
                            &mut choice,
                            &options,
                            None,
                            140.0,
                        );
                        input.expectations.retain(|(id, _)| *id != type_id);
                        match choice {
                            Some(1) => input.expectations.push((type_id, true)),
                            Some(2) => input.expectations.push((type_id, false)),
                            _ => {}
                        }
                        input.expectations.sort_unstable();
                        ui.end_row();
                    }
                });
        });
}
