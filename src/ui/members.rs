//! Tab 党员: the member list (search, filters, sorting; virtualised for 10,000 rows) and the form.

use std::collections::HashSet;

use egui::{RichText, TextEdit, Ui};
use egui_extras::Column;

use super::widgets::date_field::date_field;
use super::widgets::form::{self, FormAction, choice_row, row, text_row};
use super::widgets::table::record_table;
use super::{AppCtx, confirm, confirm_discard};
use crate::model::FieldErrors;
use crate::model::collate::pinyin_key;
use crate::model::date;
use crate::model::member::{
    Category, Gender, Member, MemberField as F, MemberInput, PIPELINE_DATES, Status,
};
use crate::model::org::with_descendants;
use crate::store::{AuditEntry, StoreError};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum SortKey {
    Name,
    Org,
    Category,
    Status,
    Birth,
}

#[derive(Clone, PartialEq, Eq, Default, Debug)]
struct Filter {
    search: String,
    org: Option<i64>,
    category: Option<Category>,
    status: Option<Status>,
}

struct MemberForm {
    input: MemberInput,
    original: MemberInput,
    errors: FieldErrors<F>,
    /// What the store refused that belongs to no one field.
    store_error: Option<String>,
    history: Vec<AuditEntry>,
}

/// What waits for the user's answer in a modal.
enum Pending {
    /// Unsaved changes would be lost by opening `next`.
    Discard(Next),
    /// A status change away from 在册, to be confirmed before saving.
    StatusChange(Box<Member>),
}

#[derive(Clone, Copy)]
enum Next {
    Edit(i64),
    New,
    Close,
}

pub struct MembersTab {
    rows: Vec<Member>,
    /// Pinyin sort keys of the names, parallel to `rows`, computed once per load.
    name_keys: Vec<String>,
    loaded: Option<u64>,
    /// Indices into `rows` after filtering and sorting, recomputed only when `view_of` changes.
    view: Vec<usize>,
    view_of: Option<(u64, Filter, SortKey, bool)>,
    filter: Filter,
    sort: SortKey,
    ascending: bool,
    form: Option<MemberForm>,
    pending: Option<Pending>,
}

impl Default for MembersTab {
    fn default() -> Self {
        Self {
            rows: Vec::new(),
            name_keys: Vec::new(),
            loaded: None,
            view: Vec::new(),
            view_of: None,
            filter: Filter::default(),
            sort: SortKey::Org,
            ascending: true,
            form: None,
            pending: None,
        }
    }
}

impl MembersTab {
    pub fn ui(&mut self, ui: &mut Ui, ctx: &mut AppCtx) {
        self.refresh(ctx);
        let mut next: Option<Next> = None;
        let mut save = false;

        ui.horizontal_wrapped(|ui| self.toolbar(ui, ctx, &mut next));
        ui.separator();

        if let Some(form) = &mut self.form {
            egui::Panel::right("member_form")
                .resizable(true)
                .default_size(470.0)
                .min_size(360.0)
                .show(ui, |ui| match form_ui(ui, form, ctx) {
                    Some(FormAction::Save) => save = true,
                    Some(FormAction::Cancel) => next = Some(Next::Close),
                    None => {}
                });
        }
        egui::CentralPanel::default().show(ui, |ui| {
            self.due_list(ui, ctx, &mut next);
            if let Some(id) = self.table(ui, ctx) {
                next = Some(Next::Edit(id));
            }
        });

        if save {
            self.save(ctx, false);
        }
        if let Some(next) = next {
            if self.form.as_ref().is_some_and(|f| f.input != f.original) {
                self.pending = Some(Pending::Discard(next));
            } else {
                self.go(next, ctx);
            }
        }
        self.modals(ui, ctx);
    }

    fn refresh(&mut self, ctx: &mut AppCtx) {
        if self.loaded == Some(ctx.db.generation()) {
            return;
        }
        match ctx.db.members() {
            Ok(rows) => {
                self.name_keys = rows.iter().map(|m| pinyin_key(&m.name)).collect();
                self.rows = rows;
            }
            Err(e) => ctx.toasts.error(format!("读取党员名册失败：{e}")),
        }
        self.loaded = Some(ctx.db.generation());
    }

    fn toolbar(&mut self, ui: &mut Ui, ctx: &AppCtx, next: &mut Option<Next>) {
        if ui.button(RichText::new("＋ 新增党员").strong()).clicked() {
            *next = Some(Next::New);
        }
        ui.separator();
        let label = ui.label("搜索");
        ui.add(
            TextEdit::singleline(&mut self.filter.search)
                .hint_text("姓名或公民身份号码")
                .desired_width(160.0),
        )
        .labelled_by(label.id);
        let orgs = ctx.org_options();
        let label = ui.label("组织");
        form::choice(
            ui,
            "filter_org",
            label.id,
            &mut self.filter.org,
            orgs,
            Some("全部组织"),
            150.0,
        );
        let categories: Vec<_> = Category::ALL
            .iter()
            .map(|c| (*c, c.label().to_string()))
            .collect();
        let label = ui.label("类别");
        form::choice(
            ui,
            "filter_category",
            label.id,
            &mut self.filter.category,
            &categories,
            Some("全部类别"),
            150.0,
        );
        let statuses: Vec<_> = Status::ALL
            .iter()
            .map(|s| (*s, s.label().to_string()))
            .collect();
        let label = ui.label("状态");
        form::choice(
            ui,
            "filter_status",
            label.id,
            &mut self.filter.status,
            &statuses,
            Some("全部状态"),
            150.0,
        );
        if self.filter != Filter::default() && ui.button("清除筛选").clicked() {
            self.filter = Filter::default();
        }
    }

    /// Members whose probation ends soon, or activists ready to become candidates.
    fn due_list(&mut self, ui: &mut Ui, ctx: &AppCtx, next: &mut Option<Next>) {
        let due: Vec<(i64, String)> = self
            .rows
            .iter()
            .filter_map(|m| {
                Some((
                    m.id?,
                    format!(
                        "{}（{}）：{}",
                        m.name,
                        ctx.org_name(m.org_id),
                        m.due(ctx.today)?
                    ),
                ))
            })
            .collect();
        if due.is_empty() {
            return;
        }
        egui::CollapsingHeader::new(
            RichText::new(format!("！发展党员提醒（{}条）", due.len())).color(form::WARNING),
        )
        .id_salt("due_list")
        .show(ui, |ui| {
            egui::ScrollArea::vertical()
                .max_height(140.0)
                .id_salt("due_scroll")
                .show(ui, |ui| {
                    for (id, text) in &due {
                        if ui.link(text).clicked() {
                            *next = Some(Next::Edit(*id));
                        }
                    }
                });
        });
    }

    fn update_view(&mut self, ctx: &AppCtx) {
        let key = (
            ctx.db.generation(),
            self.filter.clone(),
            self.sort,
            self.ascending,
        );
        if self.view_of.as_ref() == Some(&key) {
            return;
        }
        let orgs = &ctx.orgs.list;
        let in_org: Option<HashSet<i64>> = self.filter.org.map(|id| with_descendants(orgs, id));
        let needle = self.filter.search.trim().to_uppercase();
        let f = &self.filter;
        self.view = (0..self.rows.len())
            .filter(|&i| {
                let m = &self.rows[i];
                in_org.as_ref().is_none_or(|s| s.contains(&m.org_id))
                    && f.category.is_none_or(|c| c == m.category)
                    && f.status.is_none_or(|s| s == m.status)
                    && (needle.is_empty()
                        || m.name.contains(&needle)
                        || m.id_number.contains(&needle))
            })
            .collect();
        let rows = &self.rows;
        // Organisations sort as the tree shows them (党组, 机关党委 and its branches, …), not by name.
        let org_rank: std::collections::HashMap<i64, usize> = ctx
            .org_options()
            .iter()
            .enumerate()
            .map(|(rank, (id, _))| (*id, rank))
            .collect();
        let rank = |id| org_rank.get(&id).copied().unwrap_or(usize::MAX);
        let keys = &self.name_keys;
        self.view.sort_by(|&ia, &ib| {
            let (a, b) = (&rows[ia], &rows[ib]);
            let by_name = || keys[ia].cmp(&keys[ib]);
            let order = match self.sort {
                SortKey::Name => by_name(),
                SortKey::Org => rank(a.org_id).cmp(&rank(b.org_id)).then_with(by_name),
                SortKey::Category => a.category.cmp(&b.category),
                SortKey::Status => a.status.cmp(&b.status),
                SortKey::Birth => a.birth_date.cmp(&b.birth_date),
            };
            if self.ascending {
                order
            } else {
                order.reverse()
            }
        });
        self.view_of = Some(key);
    }

    /// The member table; returns the member clicked.
    fn table(&mut self, ui: &mut Ui, ctx: &AppCtx) -> Option<i64> {
        self.update_view(ctx);
        let on_rolls = self
            .view
            .iter()
            .filter(|&&i| self.rows[i].status == Status::OnRolls)
            .count();
        ui.label(format!(
            "共 {} 人，其中在册 {} 人（名册总数 {} 人）",
            self.view.len(),
            on_rolls,
            self.rows.len()
        ));
        if self.rows.is_empty() {
            ui.add_space(20.0);
            ui.label(if ctx.orgs.is_empty() {
                "还没有党员。请先在“组织”页新增组织，再回到此处点击“＋ 新增党员”。"
            } else {
                "还没有党员。点击左上角“＋ 新增党员”开始录入。"
            });
            return None;
        }
        let selected = self.form.as_ref().and_then(|f| f.input.id);
        let mut clicked = None;
        let mut sort_by = None;
        let header = |ui: &mut Ui,
                      label: &str,
                      key: SortKey,
                      sort: SortKey,
                      ascending: bool,
                      sort_by: &mut Option<SortKey>| {
            let arrow = if sort == key {
                if ascending { " ▲" } else { " ▼" }
            } else {
                ""
            };
            if ui
                .add(
                    egui::Button::new(RichText::new(format!("{label}{arrow}")).strong())
                        .frame(false),
                )
                .on_hover_text("点击排序")
                .clicked()
            {
                *sort_by = Some(key);
            }
        };
        record_table(ui, "member_table", |table| {
            table
                .column(Column::initial(80.0).at_least(60.0).clip(true))
                .column(Column::initial(40.0))
                .column(Column::initial(96.0))
                .column(Column::initial(160.0).at_least(80.0).clip(true))
                .column(Column::initial(96.0))
                .column(Column::initial(50.0))
                .column(Column::initial(176.0).clip(true))
                .column(Column::initial(130.0).clip(true))
                .resizable(true)
                .header(28.0, |mut h| {
                    let (s, a) = (self.sort, self.ascending);
                    h.col(|ui| header(ui, "姓名", SortKey::Name, s, a, &mut sort_by));
                    h.col(|ui| {
                        ui.strong("性别");
                    });
                    h.col(|ui| header(ui, "出生日期", SortKey::Birth, s, a, &mut sort_by));
                    h.col(|ui| header(ui, "所在组织", SortKey::Org, s, a, &mut sort_by));
                    h.col(|ui| header(ui, "人员类别", SortKey::Category, s, a, &mut sort_by));
                    h.col(|ui| header(ui, "状态", SortKey::Status, s, a, &mut sort_by));
                    h.col(|ui| {
                        ui.strong("公民身份号码");
                    });
                    h.col(|ui| {
                        ui.strong("联系电话");
                    });
                })
                .body(|body| {
                    body.rows(28.0, self.view.len(), |mut row| {
                        let m = &self.rows[self.view[row.index()]];
                        row.set_selected(m.id.is_some() && m.id == selected);
                        let dim = m.status != Status::OnRolls;
                        let text = |s: String| {
                            if dim {
                                RichText::new(s).weak()
                            } else {
                                RichText::new(s)
                            }
                        };
                        row.col(|ui| {
                            ui.label(text(m.name.clone()));
                        });
                        row.col(|ui| {
                            ui.label(text(
                                m.gender.map(|g| g.label().to_string()).unwrap_or_default(),
                            ));
                        });
                        row.col(|ui| {
                            ui.label(text(m.birth_date.map(date::iso).unwrap_or_default()));
                        });
                        row.col(|ui| {
                            ui.label(text(ctx.org_name(m.org_id).to_string()));
                        });
                        row.col(|ui| {
                            ui.label(text(m.category.label().into()));
                        });
                        row.col(|ui| {
                            ui.label(text(m.status.label().into()));
                        });
                        row.col(|ui| {
                            ui.label(text(m.id_number.clone()));
                        });
                        row.col(|ui| {
                            ui.label(text(m.phone.clone()));
                        });
                        if row.response().clicked() {
                            clicked = m.id;
                        }
                    });
                });
        });
        if let Some(key) = sort_by {
            if self.sort == key {
                self.ascending = !self.ascending;
            } else {
                self.sort = key;
                self.ascending = true;
            }
        }
        clicked
    }

    fn go(&mut self, next: Next, ctx: &mut AppCtx) {
        self.pending = None;
        self.form = match next {
            Next::Close => None,
            Next::New => {
                let input = MemberInput::new(self.filter.org.or_else(|| ctx.orgs.first_id()));
                Some(MemberForm {
                    original: input.clone(),
                    input,
                    errors: FieldErrors::new(),
                    store_error: None,
                    history: Vec::new(),
                })
            }
            Next::Edit(id) => match ctx.db.member(id) {
                Ok(m) => {
                    let history = ctx.db.history("member", &m.uid).unwrap_or_default();
                    let input = m.to_input();
                    Some(MemberForm {
                        original: input.clone(),
                        input,
                        errors: FieldErrors::new(),
                        store_error: None,
                        history,
                    })
                }
                Err(e) => {
                    ctx.toasts.error(format!("无法打开该党员：{e}"));
                    None
                }
            },
        };
    }

    /// Validates and writes the form; `confirmed` skips the question about leaving the rolls.
    fn save(&mut self, ctx: &mut AppCtx, confirmed: bool) {
        let Some(form) = &mut self.form else { return };
        form.store_error = None;
        let member = match form.input.validate(ctx.today) {
            Ok(m) => m,
            Err(errors) => {
                form.errors = errors;
                return;
            }
        };
        form.errors = FieldErrors::new();
        if !confirmed && member.status != Status::OnRolls && form.original.status != member.status {
            self.pending = Some(Pending::StatusChange(Box::new(member)));
            return;
        }
        match ctx.db.save_member(&member) {
            Ok(id) => {
                ctx.toasts.success(format!("已保存：{}", member.name));
                self.go(Next::Edit(id), ctx);
            }
            Err(StoreError::Conflict(message)) => form.errors.push(F::IdNumber, message),
            Err(e) => form.store_error = Some(e.to_string()),
        }
    }

    fn modals(&mut self, ui: &Ui, ctx: &mut AppCtx) {
        match &self.pending {
            None => {}
            Some(Pending::Discard(next)) => {
                let next = *next;
                match confirm_discard(ui.ctx(), "member_discard") {
                    Some(true) => self.go(next, ctx),
                    Some(false) => self.pending = None,
                    None => {}
                }
            }
            Some(Pending::StatusChange(member)) => {
                let text = format!(
                    "确认将{}的状态改为“{}”（{}）？\n该党员不会被删除，名册中仍可按状态筛选查到，历史记录照常保留。",
                    member.name,
                    member.status,
                    member.status_date.map(date::chinese).unwrap_or_default()
                );
                match confirm(ui.ctx(), "member_status", "变更党员状态", &text, "确认变更")
                {
                    Some(true) => {
                        self.pending = None;
                        self.save(ctx, true);
                    }
                    Some(false) => self.pending = None,
                    None => {}
                }
            }
        }
    }
}

fn form_ui(ui: &mut Ui, form: &mut MemberForm, ctx: &AppCtx) -> Option<FormAction> {
    let title = match form.input.id {
        None => "新增党员".to_string(),
        Some(_) => format!("编辑党员：{}", form.original.name),
    };
    let action = form::save_bar(ui, &title, form.errors.len(), form.store_error.as_deref());
    let input = &mut form.input;
    let errors = &form.errors;
    egui::ScrollArea::vertical()
        .id_salt(("member_form_scroll", input.id))
        .show(ui, |ui| {
            ui.strong("基本信息");
            egui::Grid::new("member_basic")
                .min_col_width(form::LABEL_WIDTH)
                .num_columns(2)
                .spacing([12.0, 6.0])
                .show(ui, |ui| {
                    text_row(ui, "姓名", true, errors.get(F::Name), &mut input.name);
                    let genders: Vec<_> = Gender::ALL
                        .iter()
                        .map(|g| (*g, g.label().to_string()))
                        .collect();
                    choice_row(
                        ui,
                        "性别",
                        false,
                        errors.get(F::Gender),
                        &mut input.gender,
                        &genders,
                        Some("（未填）"),
                    );
                    text_row(
                        ui,
                        "民族",
                        false,
                        errors.get(F::Ethnicity),
                        &mut input.ethnicity,
                    );
                    row(
                        ui,
                        "公民身份号码",
                        false,
                        errors.get(F::IdNumber),
                        |ui, id| {
                            ui.add(
                                TextEdit::singleline(&mut input.id_number)
                                    .desired_width(220.0)
                                    .hint_text("18位，末位可为X"),
                            )
                            .labelled_by(id);
                        },
                    );
                    row(
                        ui,
                        "出生日期",
                        false,
                        errors.get(F::BirthDate),
                        |ui, id| {
                            date_field(ui, &mut input.birth_date, id);
                        },
                    );
                    text_row(
                        ui,
                        "学历",
                        false,
                        errors.get(F::Education),
                        &mut input.education,
                    );
                    text_row(ui, "职务", false, errors.get(F::Job), &mut input.job);
                    text_row(
                        ui,
                        "联系电话",
                        false,
                        errors.get(F::Phone),
                        &mut input.phone,
                    );
                });
            ui.add_space(8.0);
            ui.strong("组织与类别");
            egui::Grid::new("member_org")
                .min_col_width(form::LABEL_WIDTH)
                .num_columns(2)
                .spacing([12.0, 6.0])
                .show(ui, |ui| {
                    let orgs = ctx.org_options();
                    choice_row(
                        ui,
                        "所在组织",
                        true,
                        errors.get(F::Org),
                        &mut input.org_id,
                        orgs,
                        None,
                    );
                    let categories: Vec<_> = Category::ALL
                        .iter()
                        .map(|c| (*c, c.label().to_string()))
                        .collect();
                    choice_row(
                        ui,
                        "人员类别",
                        true,
                        errors.get(F::Category),
                        &mut input.category,
                        &categories,
                        None,
                    );
                    text_row(
                        ui,
                        "党内职务",
                        false,
                        errors.get(F::PartyPost),
                        &mut input.party_post,
                    );
                });
            ui.add_space(8.0);
            ui.strong("发展党员");
            egui::Grid::new("member_pipeline")
                .min_col_width(form::LABEL_WIDTH)
                .num_columns(2)
                .spacing([12.0, 6.0])
                .show(ui, |ui| {
                    for ((field, label, _), text) in
                        PIPELINE_DATES.iter().zip(input.pipeline.iter_mut())
                    {
                        row(ui, label, false, errors.get(*field), |ui, id| {
                            date_field(ui, text, id);
                        });
                    }
                    row(
                        ui,
                        "入党介绍人",
                        false,
                        errors.get(F::Introducers),
                        |ui, id| {
                            ui.add(
                                TextEdit::singleline(&mut input.introducers)
                                    .desired_width(220.0)
                                    .hint_text("两名正式党员，用“、”分隔"),
                            )
                            .labelled_by(id);
                        },
                    );
                });
            if let Ok(m) = input.validate(ctx.today) {
                for w in m.warnings() {
                    ui.label(RichText::new(format!("！{w}")).color(form::WARNING));
                }
            }
            ui.add_space(8.0);
            ui.strong("状态");
            egui::Grid::new("member_status")
                .min_col_width(form::LABEL_WIDTH)
                .num_columns(2)
                .spacing([12.0, 6.0])
                .show(ui, |ui| {
                    let statuses: Vec<_> = Status::ALL
                        .iter()
                        .map(|s| (*s, s.label().to_string()))
                        .collect();
                    let mut status = Some(input.status);
                    choice_row(
                        ui,
                        "状态",
                        false,
                        errors.get(F::Status),
                        &mut status,
                        &statuses,
                        None,
                    );
                    input.status = status.unwrap_or_default();
                    row(
                        ui,
                        "状态变更日期",
                        input.status != Status::OnRolls,
                        errors.get(F::StatusDate),
                        |ui, id| {
                            date_field(ui, &mut input.status_date, id);
                        },
                    );
                    row(ui, "备注", false, errors.get(F::Note), |ui, id| {
                        ui.add(
                            TextEdit::multiline(&mut input.note)
                                .desired_rows(2)
                                .desired_width(220.0),
                        )
                        .labelled_by(id);
                    });
                });
            if !form.history.is_empty() {
                ui.add_space(8.0);
                egui::CollapsingHeader::new(format!("修改记录（{}条）", form.history.len()))
                    .id_salt("member_history")
                    .show(ui, |ui| {
                        for h in form.history.iter().rev() {
                            let what = match h.action.as_str() {
                                "insert" => "新增",
                                "update" => "修改",
                                _ => "删除",
                            };
                            ui.label(format!("{} {} {}", h.at, h.actor, what));
                        }
                    });
            }
        });
    action
}
