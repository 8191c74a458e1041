//! The roster of the 党员 tab: its toolbar (search, filters, 导出当前列表), the reminders above it,
//! and the table, virtualised for 10,000 rows, sorted by a clicked header.

use super::*;

impl MembersTab {
    pub(super) fn toolbar(
        &mut self,
        ui: &mut Ui,
        ctx: &AppCtx,
        next: &mut Option<Next>,
        action: &mut Option<Action>,
    ) {
        if ui.button(RichText::new("＋ 新增党员").strong()).clicked() {
            *next = Some(Next::New);
        }
        if ui
            .button("导出当前列表…")
            .on_hover_text("把当前列表（按所选条件）导出为 Excel 工作簿，公民身份号码完整导出")
            .clicked()
        {
            *action = Some(Action::ExportList {
                sheet: crate::workbook::SheetKind::Members.name(),
                ids: self.view.iter().filter_map(|&i| self.rows[i].id).collect(),
                name: "党员名册".into(),
            });
        }
        ui.separator();
        form::filter_text(
            ui,
            "搜索",
            &mut self.filter.search,
            "姓名或公民身份号码",
            130.0,
        );
        let orgs = ctx.org_options();
        form::filter_choice(
            ui,
            "组织",
            "filter_org",
            &mut self.filter.org,
            orgs,
            "全部组织",
            130.0,
        );
        let categories: Vec<_> = Category::ALL
            .iter()
            .map(|c| (*c, c.label().to_string()))
            .collect();
        form::filter_choice(
            ui,
            "类别",
            "filter_category",
            &mut self.filter.category,
            &categories,
            "全部类别",
            110.0,
        );
        let statuses: Vec<_> = STANDINGS.iter().map(|s| (*s, s.to_string())).collect();
        form::filter_choice(
            ui,
            "状态",
            "filter_status",
            &mut self.filter.status,
            &statuses,
            "全部状态",
            100.0,
        );
        if self.filter != Filter::default() && ui.button("清除筛选").clicked() {
            self.filter = Filter::default();
        }
    }

    /// The pipeline's due and overdue count (a link to 发展党员) and this month's 政治生日.
    pub(super) fn reminders(&mut self, ui: &mut Ui) {
        let (due, overdue) = self.pipeline.counts();
        if due + overdue > 0 {
            let text = format!("！发展党员：本月到期 {due} 人，逾期 {overdue} 人（点击查看）");
            if ui.link(RichText::new(text).color(form::WARNING)).clicked() {
                self.pipeline.only_due = true;
                self.section = View::Pipeline;
            }
        }
        let birthdays = &self.birthdays;
        if !birthdays.is_empty() {
            egui::CollapsingHeader::new(format!("本月政治生日（{}人）", birthdays.len()))
                .id_salt("political_birthdays")
                .show(ui, |ui| {
                    egui::ScrollArea::vertical()
                        .max_height(120.0)
                        .id_salt("birthday_scroll")
                        .show(ui, |ui| {
                            ui.label(birthdays.join("；"));
                        });
                });
        }
    }

    pub(super) fn update_view(&mut self, ctx: &AppCtx) {
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
                    && f.status.is_none_or(|s| s == self.lines[i].standing)
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
        let lines = &self.lines;
        self.view.sort_by(|&ia, &ib| {
            let (a, b) = (&rows[ia], &rows[ib]);
            let by_name = || lines[ia].name_key.cmp(&lines[ib].name_key);
            let order = match self.sort {
                SortKey::Name => by_name(),
                SortKey::Org => rank(a.org_id).cmp(&rank(b.org_id)).then_with(by_name),
                SortKey::Category => a.category.cmp(&b.category),
                SortKey::Status => lines[ia].standing.cmp(lines[ib].standing),
                SortKey::Age => b.birth_date.cmp(&a.birth_date),
                SortKey::PartyAge => b.full_on.cmp(&a.full_on),
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
    pub(super) fn table(&mut self, ui: &mut Ui, ctx: &AppCtx) -> Option<i64> {
        self.update_view(ctx);
        let on_rolls = self
            .view
            .iter()
            .filter(|&&i| {
                let m = &self.rows[i];
                let chain = m.id.and_then(|id| self.transfers.get(&id));
                m.on_rolls_at(chain.map_or(&[][..], Vec::as_slice), ctx.today)
            })
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
                .column(Column::initial(48.0))
                .column(Column::initial(48.0))
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
                    h.col(|ui| header(ui, "年龄", SortKey::Age, s, a, &mut sort_by));
                    h.col(|ui| header(ui, "党龄", SortKey::PartyAge, s, a, &mut sort_by));
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
                        let i = self.view[row.index()];
                        let (m, line) = (&self.rows[i], &self.lines[i]);
                        row.set_selected(m.id.is_some() && m.id == selected);
                        // Those who left are dimmed; applicants are on our books, not dimmed.
                        let text = |s: &str| {
                            if line.dim {
                                RichText::new(s).weak()
                            } else {
                                RichText::new(s)
                            }
                        };
                        row.col(|ui| {
                            ui.label(text(&m.name));
                        });
                        row.col(|ui| {
                            ui.label(text(m.gender.map_or("", |g| g.label())));
                        });
                        row.col(|ui| {
                            ui.label(text(&line.age));
                        });
                        row.col(|ui| {
                            ui.label(text(&line.party_age));
                        });
                        row.col(|ui| {
                            ui.label(text(ctx.org_name(m.org_id)));
                        });
                        row.col(|ui| {
                            ui.label(text(m.category.label()));
                        });
                        row.col(|ui| {
                            ui.label(text(line.standing));
                        });
                        row.col(|ui| {
                            // Whole only in the form: lists are seen over shoulders.
                            ui.label(text(&line.masked_id));
                        });
                        row.col(|ui| {
                            ui.label(text(&m.phone));
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
}

/// A member as the 名册 shows them, made when the roster is read: the list filters, sorts and
/// draws from these, and computes nothing per row per frame.
pub(super) struct Line {
    /// Pinyin, for sorting by name.
    pub name_key: String,
    /// 在册, or an applicant's stage, or why they left (`Member::roster_label`).
    pub standing: &'static str,
    /// Not 在册 nor an applicant on our books: drawn dimmed.
    pub dim: bool,
    pub age: String,
    pub party_age: String,
    pub masked_id: String,
}

impl Line {
    pub fn new(
        m: &Member,
        transfers: &HashMap<i64, Vec<Transfer>>,
        today: chrono::NaiveDate,
    ) -> Self {
        let chain =
            m.id.and_then(|id| transfers.get(&id))
                .map_or(&[][..], Vec::as_slice);
        let years = |n: Option<i32>| n.map(|n| n.to_string()).unwrap_or_default();
        Line {
            name_key: pinyin_key(&m.name),
            standing: m.roster_label(chain, today),
            dim: m.standing_label(chain, today) != "在册",
            age: years(m.age(today)),
            party_age: years(m.party_age(today)),
            masked_id: mask_id(&m.id_number),
        }
    }
}
