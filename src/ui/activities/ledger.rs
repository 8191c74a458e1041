//! The 台账: the filter toolbar and the virtualised list of records.

use egui::{RichText, Ui};
use egui_extras::Column;

use crate::model::activity::{ActivityType, first_topic_late_by};
use crate::model::date;
use crate::model::org::with_descendants;
use crate::store::{ActivityFilter, ActivityRow};
use crate::ui::AppCtx;
use crate::ui::widgets::form;
use crate::ui::widgets::table::{Sort, record_table};

/// The columns the ledger sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum SortKey {
    Date,
    Org,
    Types,
    Attendance,
    Topic,
}

/// The list filter as the toolbar shows it.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Filter {
    pub year: Option<i32>,
    pub month: Option<u32>,
    pub org: Option<i64>,
    pub type_id: Option<i64>,
    pub text: String,
}

/// A row as the list shows it: its text made once when the rows are read, not every frame.
struct Line {
    row: ActivityRow,
    date: String,
    types: String,
    attendance: String,
    /// 第一议题 studied late: "！讲话后N天才学习".
    late: Option<String>,
}

impl Line {
    fn new(row: ActivityRow, types: &[ActivityType]) -> Self {
        let label = |id: &i64| {
            types
                .iter()
                .find(|t| t.id == Some(*id))
                .map_or("？", |t| t.label.as_str())
        };
        Line {
            date: date::iso(row.date),
            types: row
                .type_ids
                .iter()
                .map(label)
                .collect::<Vec<_>>()
                .join("、"),
            attendance: match (row.present, row.expected) {
                (Some(p), Some(e)) => format!("{p}/{e}"),
                _ => "—".into(),
            },
            // Only 第一议题 records keep a speech date.
            late: row
                .speech_date
                .and_then(|s| first_topic_late_by(s, row.date))
                .map(|days| format!("！讲话后{days}天才学习")),
            row,
        }
    }
}

pub struct Ledger {
    pub filter: Filter,
    rows: Vec<Line>,
    rows_for: Option<(u64, Filter)>,
    /// Newest first until a header is clicked; remembered between runs.
    sort: Sort<SortKey>,
    sort_read: bool,
}

impl Default for Ledger {
    fn default() -> Self {
        Self {
            filter: Filter::default(),
            rows: Vec::new(),
            rows_for: None,
            sort: Sort {
                key: SortKey::Date,
                ascending: false,
            },
            sort_read: false,
        }
    }
}

impl Ledger {
    /// The records the list shows.
    pub fn ids(&self) -> Vec<i64> {
        self.rows.iter().map(|l| l.row.id).collect()
    }

    pub fn filters(&mut self, ui: &mut Ui, ctx: &AppCtx, years: &[i32], types: &[ActivityType]) {
        let years: Vec<(i32, String)> = years.iter().map(|y| (*y, format!("{y}年"))).collect();
        form::filter_choice(
            ui,
            "年份",
            "act_year",
            &mut self.filter.year,
            &years,
            "全部年份",
            100.0,
        );
        let months: Vec<(u32, String)> = (1..=12).map(|m| (m, format!("{m}月"))).collect();
        form::filter_choice(
            ui,
            "月份",
            "act_month",
            &mut self.filter.month,
            &months,
            "全年",
            80.0,
        );
        form::filter_choice(
            ui,
            "组织",
            "act_org",
            &mut self.filter.org,
            ctx.org_options(),
            "全部组织",
            150.0,
        );
        let types: Vec<(i64, String)> = types
            .iter()
            .filter_map(|t| Some((t.id?, t.label.clone())))
            .collect();
        form::filter_choice(
            ui,
            "类型",
            "act_type",
            &mut self.filter.type_id,
            &types,
            "全部类型",
            150.0,
        );
        form::filter_text(ui, "搜索", &mut self.filter.text, "主题或内容", 120.0);
    }

    /// `types` are read with the same generation of the file, so a renamed type reads anew.
    fn load(&mut self, ctx: &mut AppCtx, types: &[ActivityType]) {
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
            Ok(rows) => self.rows = rows.into_iter().map(|r| Line::new(r, types)).collect(),
            Err(e) => ctx.toasts.error(format!("读取活动失败：{e}")),
        }
        self.rows_for = Some(key);
        self.sort_rows(ctx);
    }

    /// Sorts the rows read, once per read or click (never per frame). Organisations sort as the
    /// tree shows them.
    fn sort_rows(&mut self, ctx: &AppCtx) {
        let rank: std::collections::HashMap<i64, usize> = ctx
            .org_options()
            .iter()
            .enumerate()
            .map(|(i, (id, _))| (*id, i))
            .collect();
        let sort = self.sort;
        self.rows
            .sort_by(|Line { row: a, .. }, Line { row: b, .. }| {
                let order = match sort.key {
                    SortKey::Date => a.date.cmp(&b.date),
                    SortKey::Org => rank.get(&a.org_id).cmp(&rank.get(&b.org_id)),
                    SortKey::Types => a.type_ids.cmp(&b.type_ids),
                    SortKey::Attendance => a.present.cmp(&b.present),
                    SortKey::Topic => a.topic.cmp(&b.topic),
                };
                sort.apply(
                    order
                        .then_with(|| b.date.cmp(&a.date))
                        .then(b.id.cmp(&a.id)),
                )
            });
    }

    /// The list; returns the record clicked. `selected` is the record open in the form.
    pub fn table(
        &mut self,
        ui: &mut Ui,
        ctx: &mut AppCtx,
        types: &[ActivityType],
        selected: Option<i64>,
    ) -> Option<i64> {
        if !self.sort_read {
            self.sort = self.sort.remembered(ui.ctx(), "activities");
            self.sort_read = true;
            self.rows_for = None;
        }
        self.load(ctx, types);
        ui.label(format!("共 {} 条记录", self.rows.len()));
        if self.rows.is_empty() {
            ui.add_space(20.0);
            ui.label(
                "没有符合条件的活动记录。点击“＋ 登记活动”登记一次会议或学习（可补录以前的日期）。",
            );
            return None;
        }
        let mut clicked = None;
        let mut resort = false;
        let sort = &mut self.sort;
        record_table(ui, "activity_table", |table| {
            // 实到/应到 before 主题, and 主题 takes the spare width: a form beside the list
            // narrows 主题, never hides the figures.
            table
                .column(Column::initial(96.0))
                .column(Column::initial(150.0).clip(true))
                .column(Column::initial(170.0).clip(true))
                .column(Column::initial(84.0))
                .column(Column::remainder().at_least(160.0).clip(true))
                .resizable(true)
                .header(28.0, |mut h| {
                    for (title, key) in [
                        ("日期", SortKey::Date),
                        ("组织", SortKey::Org),
                        ("类型", SortKey::Types),
                        ("实到/应到", SortKey::Attendance),
                        ("主题", SortKey::Topic),
                    ] {
                        h.col(|ui| {
                            resort |= sort.header(ui, title, key);
                        });
                    }
                })
                .body(|body| {
                    body.rows(28.0, self.rows.len(), |mut row| {
                        let line = &self.rows[row.index()];
                        let r = &line.row;
                        row.set_selected(Some(r.id) == selected);
                        row.col(|ui| {
                            ui.label(&line.date);
                        });
                        row.col(|ui| {
                            ui.label(ctx.org_name(r.org_id));
                        });
                        row.col(|ui| {
                            ui.label(&line.types);
                        });
                        row.col(|ui| {
                            ui.label(&line.attendance);
                        });
                        row.col(|ui| {
                            ui.label(&r.topic);
                            if let Some(late) = &line.late {
                                ui.label(RichText::new(late).color(form::WARNING));
                            }
                        });
                        if row.response().clicked() {
                            clicked = Some(r.id);
                        }
                    });
                });
        });
        if resort {
            self.sort.remember(ui.ctx(), "activities");
            self.sort_rows(ctx);
        }
        clicked
    }
}
