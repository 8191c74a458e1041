//! Tab 党员: the member list (search, filters, sorting; virtualised for 10,000 rows) and the form.

use std::collections::HashSet;

use egui::{RichText, TextEdit, Ui};
use egui_extras::Column;

use super::action::{Action, Done, Write};
use super::editor::{Editor, FormAction, Next};
use super::widgets::date_field::date_field;
use super::widgets::form::{self, choice_row, row, text_row};
use super::widgets::table::record_table;
use super::{AppCtx, Page, confirm};
use crate::model::collate::pinyin_key;
use crate::model::date;
use crate::model::member::{
    Category, Gender, Member, MemberField as F, MemberInput, PIPELINE_DATES, Status,
};
use crate::model::org::with_descendants;
use crate::store::AuditEntry;

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
    editor: Editor<MemberInput, F>,
    /// The open member's change history.
    history: Vec<AuditEntry>,
    /// A status change away from 在册, waiting for its confirmation before it is saved.
    status_change: Option<Box<Member>>,
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
            editor: Editor::new("member_discard"),
            history: Vec::new(),
            status_change: None,
        }
    }
}

impl Page for MembersTab {
    fn ui(&mut self, ui: &mut Ui, ctx: &mut AppCtx) -> Option<Action> {
        self.refresh(ctx);
        let mut asked: Option<Next> = None;
        let mut action = None;

        ui.horizontal_wrapped(|ui| self.toolbar(ui, ctx, &mut asked));
        ui.separator();

        if self.editor.form().is_some() {
            egui::Panel::right("member_form")
                .resizable(true)
                .default_size(470.0)
                .min_size(360.0)
                .show(ui, |ui| {
                    match form_ui(ui, &mut self.editor, &self.history, ctx) {
                        Some(FormAction::Save) => action = self.save(ctx),
                        Some(FormAction::Cancel) => asked = Some(Next::Close),
                        None => {}
                    }
                });
        }
        egui::CentralPanel::default().show(ui, |ui| {
            self.due_list(ui, ctx, &mut asked);
            if let Some(id) = self.table(ui, ctx) {
                asked = Some(Next::Edit(id));
            }
        });

        if let Some(next) = self.editor.navigate(ui.ctx(), asked) {
            self.go(next, ctx);
        }
        action.or_else(|| self.confirm_status_change(ui))
    }

    fn done(&mut self, done: Done, ctx: &mut AppCtx) {
        match (done.write, done.result) {
            (Write::Member(member), Ok(id)) => {
                ctx.toasts.success(format!("已保存：{}", member.name));
                self.go(Next::Edit(id), ctx);
            }
            (Write::Member(_), Err(e)) => self.editor.refused(&e),
            _ => {}
        }
    }

    fn has_unsaved(&self) -> bool {
        self.editor.is_dirty()
    }
}

impl MembersTab {
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
            .filter(|&&i| self.rows[i].on_rolls_at(ctx.today))
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
        let selected = self.editor.form().and_then(|f| f.draft.id);
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
        match next {
            Next::Close => self.editor.close(),
            Next::New => {
                self.history.clear();
                self.editor.open(MemberInput::new(
                    self.filter.org.or_else(|| ctx.orgs.first_id()),
                ));
            }
            Next::Edit(id) => match ctx.db.member(id) {
                Ok(m) => {
                    self.history = ctx.db.history("member", &m.uid).unwrap_or_default();
                    self.editor.open(m.to_input());
                }
                Err(e) => ctx.toasts.error(format!("无法打开该党员：{e}")),
            },
        }
    }

    /// Validates the form. A change of status away from 在册 is confirmed first.
    fn save(&mut self, ctx: &AppCtx) -> Option<Action> {
        let form = self.editor.form()?;
        let member = match form.draft.validate(ctx.today) {
            Ok(m) => m,
            Err(errors) => {
                self.editor.invalid(errors);
                return None;
            }
        };
        let leaves = member.status != Status::OnRolls && form.original().status != member.status;
        self.editor.clear_errors();
        if leaves {
            self.status_change = Some(Box::new(member));
            return None;
        }
        Some(Action::Write(Write::Member(Box::new(member))))
    }

    fn confirm_status_change(&mut self, ui: &Ui) -> Option<Action> {
        let member = self.status_change.as_ref()?;
        let text = format!(
            "确认将{}的状态改为“{}”（{}）？\n该党员不会被删除，名册中仍可按状态筛选查到，历史记录照常保留。",
            member.name,
            member.status,
            member.status_date.map(date::chinese).unwrap_or_default()
        );
        match confirm(ui.ctx(), "member_status", "变更党员状态", &text, "确认变更") {
            Some(true) => self
                .status_change
                .take()
                .map(|m| Action::Write(Write::Member(m))),
            Some(false) => {
                self.status_change = None;
                None
            }
            None => None,
        }
    }
}

fn form_ui(
    ui: &mut Ui,
    editor: &mut Editor<MemberInput, F>,
    history: &[AuditEntry],
    ctx: &AppCtx,
) -> Option<FormAction> {
    let title = match editor.form().map(|f| (f.draft.id, &f.original().name)) {
        Some((Some(_), name)) => format!("编辑党员：{name}"),
        _ => "新增党员".to_string(),
    };
    let action = editor.save_bar(ui, &title);
    let form = editor.form_mut()?;
    let input = &mut form.draft;
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
            if !history.is_empty() {
                ui.add_space(8.0);
                egui::CollapsingHeader::new(format!("修改记录（{}条）", history.len()))
                    .id_salt("member_history")
                    .show(ui, |ui| {
                        for h in history.iter().rev() {
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
