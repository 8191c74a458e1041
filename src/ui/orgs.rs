//! Tab 组织: the organisation tree, and a form for an organisation with its committee and term.

use egui::{RichText, TextEdit, Ui};

use super::action::{Action, Done, Write};
use super::editor::{Editable, Editor, FormAction, Next};
use super::widgets::date_field::date_field;
use super::widgets::form::{self, choice_row, row, text_row};
use super::{AppCtx, Page};
use crate::model::FieldErrors;
use crate::model::activity::{ActivityType, Frequency};
use crate::model::org::{
    CommitteeInput, CommitteeMember, CommitteeRole, Org, OrgField as F, OrgInput, OrgKind,
    TermState,
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
}

impl Default for OrgsTab {
    fn default() -> Self {
        Self {
            editor: Editor::new("org_discard"),
            types: Vec::new(),
            types_for: None,
            candidates: Vec::new(),
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
        egui::Panel::left("org_tree")
            .resizable(true)
            .default_size(320.0)
            .min_size(220.0)
            .show(ui, |ui| self.tree(ui, ctx, &mut asked));
        egui::CentralPanel::default().show(ui, |ui| {
            if self.editor.form().is_none() {
                overview(ui, ctx, &mut asked);
                return;
            }
            match form_ui(ui, &mut self.editor, &self.candidates, &self.types, ctx) {
                Some(FormAction::Save) => action = self.editor.save(ctx),
                Some(FormAction::Cancel) => asked = Some(Next::Close),
                None => {}
            }
        });
        if self.editor.follow(ui.ctx(), asked, ctx) {
            self.opened(ctx);
        }
        action
    }

    fn done(&mut self, done: Done, ctx: &mut AppCtx) {
        if self.editor.answered(&done, ctx) == Some(true) {
            self.opened(ctx);
        }
    }

    fn has_unsaved(&self) -> bool {
        self.editor.is_dirty()
    }
}

impl OrgsTab {
    fn tree(&mut self, ui: &mut Ui, ctx: &AppCtx, next: &mut Option<Next>) {
        if ui.button(RichText::new("＋ 新增组织").strong()).clicked() {
            *next = Some(Next::New);
        }
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
    /// from.
    fn opened(&mut self, ctx: &AppCtx) {
        self.candidates = match self.editor.form().and_then(|f| f.draft.org.id) {
            Some(id) => ctx.db.roll_at(id, ctx.today).unwrap_or_default(),
            None => Vec::new(),
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

fn form_ui(
    ui: &mut Ui,
    editor: &mut Editor<OrgDraft>,
    candidates: &[(i64, String)],
    types: &[ActivityType],
    ctx: &AppCtx,
) -> Option<FormAction> {
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
            committee_ui(ui, committee, errors, candidates);
        });
    action
}

fn committee_ui(
    ui: &mut Ui,
    rows: &mut Vec<CommitteeInput>,
    errors: &FieldErrors<F>,
    candidates: &[(i64, String)],
) {
    let roles: Vec<_> = CommitteeRole::ALL
        .iter()
        .map(|r| (*r, r.label().to_string()))
        .collect();
    let mut remove = None;
    if rows.is_empty() {
        ui.label(RichText::new("尚未录入委员会成员").weak());
    }
    if !rows.is_empty() {
        egui::Grid::new("committee")
            .num_columns(6)
            .spacing([8.0, 6.0])
            .striped(true)
            .show(ui, |ui| {
                let headers = ["职务", "姓名", "从本组织党员中选", "分工", "任职日期", ""];
                let header_ids: Vec<egui::Id> = headers.iter().map(|h| ui.strong(*h).id).collect();
                ui.end_row();
                for (i, row) in rows.iter_mut().enumerate() {
                    let mut role = Some(row.role);
                    form::choice(
                        ui,
                        &format!("committee_role_{i}"),
                        header_ids[0],
                        &mut role,
                        &roles,
                        None,
                        80.0,
                    );
                    row.role = role.unwrap_or(CommitteeRole::Member);
                    if ui
                        .add_sized([90.0, 26.0], TextEdit::singleline(&mut row.name))
                        .labelled_by(header_ids[1])
                        .changed()
                    {
                        row.member_id = None;
                    }
                    egui::ComboBox::from_id_salt(format!("committee_pick_{i}"))
                        .selected_text("选择…")
                        .width(100.0)
                        .height(300.0)
                        .show_ui(ui, |ui| {
                            if candidates.is_empty() {
                                ui.label("本组织暂无在册党员");
                            }
                            for (id, name) in candidates {
                                if ui
                                    .selectable_label(row.member_id == Some(*id), name)
                                    .clicked()
                                {
                                    row.member_id = Some(*id);
                                    row.name = name.clone();
                                }
                            }
                        })
                        .response
                        .labelled_by(header_ids[2]);
                    // Sized explicitly: in a Grid a text field is only as wide as the column was last frame.
                    ui.add_sized(
                        [110.0, 26.0],
                        TextEdit::singleline(&mut row.duty).hint_text("如 组织委员"),
                    )
                    .labelled_by(header_ids[3]);
                    date_field(ui, &mut row.appointed, header_ids[4]);
                    if ui.button("移除").clicked() {
                        remove = Some(i);
                    }
                    ui.end_row();
                    if let Some(e) = errors.get(F::Committee(i)) {
                        ui.label("");
                        ui.label(RichText::new(e).color(form::ERROR));
                        ui.end_row();
                    }
                }
            });
    }
    if let Some(i) = remove {
        rows.remove(i);
    }
    if ui.button("＋ 添加委员").clicked() {
        let role = if rows.iter().any(|r| r.role == CommitteeRole::Secretary) {
            CommitteeRole::Member
        } else {
            CommitteeRole::Secretary
        };
        rows.push(CommitteeInput {
            id: None,
            uid: String::new(),
            role,
            name: String::new(),
            member_id: None,
            duty: String::new(),
            appointed: String::new(),
        });
    }
    if !rows.is_empty() {
        ui.label(RichText::new("委员会成员的增减在点击“保存”后生效，并记入修改记录。").weak());
    }
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
