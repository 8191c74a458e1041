//! Tab 组织: the organisation tree, and a form for an organisation with its committee and term.

use egui::{RichText, TextEdit, Ui};

use super::widgets::date_field::date_field;
use super::widgets::form::{self, FormAction, choice_row, row, text_row};
use super::{AppCtx, next_after_confirm};
use crate::model::FieldErrors;
use crate::model::org::{
    CommitteeInput, CommitteeRole, OrgField as F, OrgInput, OrgKind, TermState,
};
use crate::store::StoreError;

struct OrgForm {
    input: OrgInput,
    committee: Vec<CommitteeInput>,
    original: (OrgInput, Vec<CommitteeInput>),
    errors: FieldErrors<F>,
    store_error: Option<String>,
    /// Members on the rolls of this organisation, to pick committee members from.
    candidates: Vec<(i64, String)>,
}

impl OrgForm {
    fn dirty(&self) -> bool {
        (&self.input, &self.committee) != (&self.original.0, &self.original.1)
    }
}

#[derive(Clone, Copy)]
enum Next {
    Edit(i64),
    New,
}

#[derive(Default)]
pub struct OrgsTab {
    form: Option<OrgForm>,
    pending: Option<Next>,
    reopen: Option<i64>,
}

impl OrgsTab {
    pub fn ui(&mut self, ui: &mut Ui, ctx: &mut AppCtx) {
        if let Some(id) = self.reopen.take() {
            self.open(Next::Edit(id), ctx);
        }
        let mut next = None;
        let mut save = false;
        egui::Panel::left("org_tree")
            .resizable(true)
            .default_size(320.0)
            .min_size(220.0)
            .show(ui, |ui| self.tree(ui, ctx, &mut next));
        egui::CentralPanel::default().show(ui, |ui| match &mut self.form {
            None => overview(ui, ctx, &mut next),
            Some(form) => match form_ui(ui, form, ctx) {
                Some(FormAction::Save) => save = true,
                Some(FormAction::Cancel) => {
                    let id = form.input.id;
                    self.open(id.map_or(Next::New, Next::Edit), ctx);
                }
                None => {}
            },
        });
        if save {
            self.save(ctx);
        }
        let dirty = self.form.as_ref().is_some_and(OrgForm::dirty);
        if let Some(next) =
            next_after_confirm(ui.ctx(), "org_discard", dirty, next, &mut self.pending)
        {
            self.open(next, ctx);
        }
    }

    fn tree(&mut self, ui: &mut Ui, ctx: &AppCtx, next: &mut Option<Next>) {
        if ui.button(RichText::new("＋ 新增组织").strong()).clicked() {
            *next = Some(Next::New);
        }
        ui.separator();
        let selected = self.form.as_ref().and_then(|f| f.input.id);
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

    fn open(&mut self, next: Next, ctx: &mut AppCtx) {
        self.pending = None;
        let (input, committee) = match next {
            Next::New => (OrgInput::default(), Vec::new()),
            Next::Edit(id) => {
                let Some(summary) = ctx.orgs.summaries.iter().find(|s| s.org.id == Some(id)) else {
                    self.form = None;
                    return;
                };
                match ctx.db.committee(id) {
                    Ok(rows) => (
                        summary.org.to_input(),
                        rows.iter().map(|c| c.to_input()).collect(),
                    ),
                    Err(e) => {
                        ctx.toasts.error(format!("读取支部委员会失败：{e}"));
                        return;
                    }
                }
            }
        };
        let candidates = match input.id {
            Some(id) => ctx.db.member_names_of(id).unwrap_or_default(),
            None => Vec::new(),
        };
        self.form = Some(OrgForm {
            original: (input.clone(), committee.clone()),
            input,
            committee,
            errors: FieldErrors::new(),
            store_error: None,
            candidates,
        });
    }

    fn save(&mut self, ctx: &mut AppCtx) {
        let Some(form) = &mut self.form else { return };
        form.store_error = None;
        let (org, committee) = match form.input.validate(&form.committee, ctx.today) {
            Ok(v) => v,
            Err(errors) => {
                form.errors = errors;
                return;
            }
        };
        form.errors = FieldErrors::new();
        match ctx.db.save_org(&org, &committee) {
            Ok(id) => {
                ctx.toasts.success(format!("已保存：{}", org.name));
                // Reopened from the database next frame, once the app has reloaded its organisations.
                self.reopen = Some(id);
            }
            Err(StoreError::Conflict(m)) => form.errors.push(F::Name, m),
            Err(StoreError::Invalid(m)) => form.errors.push(F::Parent, m),
            Err(e) => form.store_error = Some(e.to_string()),
        }
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

fn form_ui(ui: &mut Ui, form: &mut OrgForm, ctx: &AppCtx) -> Option<FormAction> {
    let title = match form.input.id {
        None => "新增组织".to_string(),
        Some(_) => format!("组织：{}", form.original.0.name),
    };
    let action = form::save_bar(ui, &title, form.errors.len(), form.store_error.as_deref());
    let errors = &form.errors;
    let input = &mut form.input;
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
            ui.strong("委员会成员");
            committee_ui(ui, &mut form.committee, errors, &form.candidates);
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
