//! Tab 统计: the year's figures by the definitions of tally.md (computed in `crate::tally`), the
//! report paragraph ready to copy, a monthly chart, the per-organisation table (a click opens the
//! ledger filtered), compliance, and what staff must act on now.

use chrono::Datelike;
use egui::{Color32, RichText, Ui};
use egui_extras::Column;
use egui_plot::{Bar, BarChart, Plot};

use super::action::{Action, Done, PrintRequest, Target};
use super::activities::compliance_grids;
use super::widgets::date_field::date_field;
use super::widgets::form::{self, ERROR, WARNING};
use super::widgets::prose::prose;
use super::widgets::table::record_table;
use super::{AppCtx, Page, Tab};
use crate::model::activity::first_topic_late_by;
use crate::model::date;
use crate::model::member::Category;
use crate::model::pipeline::{self, DueState};
use crate::tally::compliance::silent_branches;
use crate::tally::report::{self, percent, reviews, yuan};
use crate::tally::{self, Scope, Tally};

/// The parts of the tab, one at a time: each stays light enough to lay out in a few milliseconds
/// on a bureau of a hundred branches.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
enum View {
    #[default]
    Overview,
    ByOrg,
    Compliance,
}

/// One line of the to-do panel.
struct Todo {
    text: String,
    urgent: bool,
}

#[derive(Default)]
pub struct StatsTab {
    view: View,
    year: Option<i32>,
    /// 截至 as typed; empty for the whole year (up to today in the current year).
    as_of_text: String,
    org: Option<i64>,
    years: Vec<i32>,
    years_for: Option<u64>,
    tally: Option<Tally>,
    paragraph: String,
    todos: Vec<Todo>,
    computed_for: Option<(u64, Scope)>,
    todos_for: Option<u64>,
    /// Shown once since start: the first time it opens at its top (the report paragraph), not
    /// where the last session left it scrolled.
    shown: bool,
}

impl Page for StatsTab {
    fn ui(&mut self, ui: &mut Ui, ctx: &mut AppCtx) -> Option<Action> {
        let mut action = None;
        let scope = self.toolbar(ui, ctx, &mut action);
        ui.separator();
        self.refresh(ctx, &scope);
        let Some(t) = &self.tally else {
            return None;
        };
        ui.horizontal(|ui| {
            ui.heading(format!(
                "{}{}年度党建工作统计",
                t.organisation.as_deref().unwrap_or(""),
                t.year
            ));
            ui.label(
                RichText::new(format!(
                    "统计至{}；各项数字均由台账记录自动计算。",
                    date::chinese(t.as_of)
                ))
                .weak(),
            );
        });
        ui.horizontal(|ui| {
            ui.selectable_value(&mut self.view, View::Overview, "概览");
            ui.selectable_value(&mut self.view, View::ByOrg, "各组织开展情况");
            ui.selectable_value(&mut self.view, View::Compliance, "落实情况");
        });
        ui.separator();
        match self.view {
            View::Overview => {
                let mut area = egui::ScrollArea::vertical()
                    .id_salt("stats_scroll")
                    .auto_shrink([false, false]);
                if !self.shown {
                    area = area.vertical_scroll_offset(0.0);
                    self.shown = true;
                }
                area.show(ui, |ui| {
                    paragraph_ui(ui, &self.paragraph, ctx);
                    ui.add_space(8.0);
                    todos_ui(ui, &self.todos);
                    ui.add_space(8.0);
                    figures_ui(ui, t);
                    ui.add_space(8.0);
                    ui.strong("各月活动记录数");
                    months_chart(ui, t);
                });
            }
            View::ByOrg => {
                ui.label(RichText::new("点击数字查看该组织该类活动的台账。").weak());
                action = by_org_ui(ui, t, ctx, scope.org);
            }
            View::Compliance => {
                // A 缺 is recorded from 学习活动 → 落实情况, where the form opens beside it.
                let _ = compliance_grids(ui, ctx, &t.compliance_rows, t.as_of, scope.org, false);
            }
        }
        action
    }

    fn done(&mut self, _done: Done, _ctx: &mut AppCtx) {}

    fn has_unsaved(&self) -> bool {
        false
    }
}

impl StatsTab {
    /// The pickers; returns the scope they describe.
    fn toolbar(&mut self, ui: &mut Ui, ctx: &mut AppCtx, action: &mut Option<Action>) -> Scope {
        let this_year = ctx.today.year();
        // The years on offer follow the records (two index reads, after each write only).
        if self.years_for != Some(ctx.db.generation()) {
            self.years_for = Some(ctx.db.generation());
            self.years = ctx.db.activity_years().unwrap_or_default();
            if !self.years.contains(&this_year) {
                self.years.insert(0, this_year);
            }
        }
        let mut as_of_error = None;
        let year = self.year.unwrap_or(this_year);
        let mut scope = Scope::year(year, ctx.today);
        if !self.as_of_text.trim().is_empty() {
            match date::parse_date(&self.as_of_text) {
                Ok(d) if d.year() == year && d <= ctx.today => scope.as_of = d,
                Ok(_) => as_of_error = Some(format!("截至日期须在{year}年内且不晚于今天")),
                Err(e) => as_of_error = Some(e.to_string()),
            }
        }
        // A server login limited to an organisation reads no other: its tally is that one's.
        if self.org.is_none() {
            self.org = ctx.db.limited_to();
        }
        scope.org = self.org;
        ui.horizontal_wrapped(|ui| {
            let years: Vec<(i32, String)> =
                self.years.iter().map(|y| (*y, format!("{y}年"))).collect();
            let label = ui.label("年份");
            let mut chosen = Some(year);
            form::choice(ui, "stats_year", label.id, &mut chosen, &years, None, 100.0);
            if chosen != Some(year) {
                self.year = chosen;
                self.as_of_text.clear();
            }
            let label = ui.label("截至");
            date_field(ui, &mut self.as_of_text, label.id);
            if self.as_of_text.is_empty() {
                ui.label(RichText::new("（空白为全年）").weak());
            }
            let label = ui.label("组织");
            form::choice(
                ui,
                "stats_org",
                label.id,
                &mut self.org,
                ctx.org_options(),
                Some("全局（全部组织）"),
                180.0,
            );
            ui.separator();
            if ui
                .button(RichText::new("打印…").strong())
                .on_hover_text("生成 A4 的年度党建工作统计 PDF，用系统的 PDF 阅读器打开后打印")
                .clicked()
            {
                *action = Some(Action::Print(PrintRequest::Tally(scope.clone())));
            }
            if ui
                .button("生成总结初稿（Word）…")
                .on_hover_text(
                    "按公文格式生成年度党建工作总结初稿（.docx），数字取自本页的统计，\
                     “存在的不足”“下一步工作打算”留给您补写",
                )
                .clicked()
            {
                *action = Some(Action::Print(PrintRequest::Summary(scope.clone())));
            }
        });
        if let Some(e) = as_of_error {
            ui.label(RichText::new(e).color(ERROR));
        }
        scope
    }

    /// Recomputes the figures when the records or the scope changed; never every frame.
    fn refresh(&mut self, ctx: &mut AppCtx, scope: &Scope) {
        let key = (ctx.db.generation(), scope.clone());
        if self.computed_for.as_ref() != Some(&key) {
            match tally::compute(ctx.db, scope) {
                Ok(t) => {
                    self.paragraph = report::paragraph(&t, ctx.today);
                    self.tally = Some(t);
                }
                Err(e) => ctx.toasts.error(format!("统计失败：{e}")),
            }
            self.computed_for = Some(key);
        }
        if self.todos_for != Some(ctx.db.generation()) {
            self.todos = todos(ctx);
            self.todos_for = Some(ctx.db.generation());
        }
    }
}

fn paragraph_ui(ui: &mut Ui, paragraph: &str, ctx: &mut AppCtx) {
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_max_width(ui.available_width());
        ui.horizontal(|ui| {
            ui.strong("报告段落");
            if ui.button("复制").clicked() {
                ui.ctx().copy_text(paragraph.to_string());
                ctx.toasts.success("已复制报告段落，可粘贴到年度总结中");
            }
        });
        prose(ui, paragraph, false);
    });
}

/// What must be acted on now, whatever year is shown.
fn todos(ctx: &mut AppCtx) -> Vec<Todo> {
    let today = ctx.today;
    let mut out = Vec::new();
    if let Ok(items) = ctx.db.rectifications() {
        for r in items.iter().filter(|r| r.is_overdue(today)) {
            out.push(Todo {
                text: format!(
                    "整改逾期：{}（整改时限{}）",
                    r.description,
                    r.deadline.map(date::iso).unwrap_or_default()
                ),
                urgent: true,
            });
        }
    }
    if let (Ok(members), Ok(transfers)) = (ctx.db.members(), ctx.db.transfers_by_member()) {
        let none = Vec::new();
        // 预备党员 whose 预备期 ends this month or has ended (model::pipeline, one rule).
        for m in &members {
            let chain = m.id.and_then(|id| transfers.get(&id)).unwrap_or(&none);
            if let Some(s) = pipeline::standing(m, chain, today)
                && s.stage == Category::Probationary
                && matches!(s.state, DueState::Overdue | DueState::DueThisMonth)
            {
                out.push(Todo {
                    text: format!("{}（{}）：{}", m.name, ctx.org_name(m.org_id), s.note),
                    urgent: s.state == DueState::Overdue,
                });
            }
        }
    }
    for o in &ctx.orgs.list {
        let state = o.term_state(today);
        if state.needs_attention() && !o.dissolved_by(today) {
            out.push(Todo {
                text: format!("换届：{}{}", o.name, state.describe()),
                urgent: false,
            });
        }
    }
    if let Ok(last) = ctx.db.last_activity_dates() {
        for s in silent_branches(&ctx.orgs.list, &last, today) {
            let since = s
                .last
                .map(|d| format!("最近一次{}", date::iso(d)))
                .unwrap_or_else(|| "尚无记录".into());
            out.push(Todo {
                text: format!("{}已超过30天未登记活动（{since}）", s.name),
                urgent: false,
            });
        }
    }
    let this_year = chrono::NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
    if let Ok(rows) = ctx.db.first_topic_records(this_year) {
        for (day, org_id, speech) in rows {
            if let Some(days) = first_topic_late_by(speech, day) {
                out.push(Todo {
                    text: format!(
                        "第一议题学习滞后：{} {}（讲话后{days}天才学习）",
                        date::iso(day),
                        ctx.org_name(org_id)
                    ),
                    urgent: false,
                });
            }
        }
    }
    out
}

fn todos_ui(ui: &mut Ui, todos: &[Todo]) {
    let title = if todos.is_empty() {
        "待办：目前没有需要处理的事项".to_string()
    } else {
        format!("！待办事项（{}项）", todos.len())
    };
    egui::CollapsingHeader::new(RichText::new(title).strong().color(if todos.is_empty() {
        Color32::GRAY
    } else {
        WARNING
    }))
    .id_salt("stats_todos")
    .default_open(!todos.is_empty())
    .show(ui, |ui| {
        egui::ScrollArea::vertical()
            .id_salt("stats_todos_scroll")
            .max_height(160.0)
            .show(ui, |ui| {
                for t in todos {
                    let color = if t.urgent { ERROR } else { WARNING };
                    ui.label(RichText::new(&t.text).color(color));
                }
            });
    });
}

/// A titled block of label / figure rows.
fn block(ui: &mut Ui, title: &str, rows: &[(String, String)]) {
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.vertical(|ui| {
            ui.strong(title);
            egui::Grid::new(("stats_block", title))
                .num_columns(2)
                .spacing([16.0, 2.0])
                .show(ui, |ui| {
                    for (label, value) in rows {
                        ui.label(label);
                        ui.label(RichText::new(value).strong());
                        ui.end_row();
                    }
                });
        });
    });
}

fn figures_ui(ui: &mut Ui, t: &Tally) {
    let counts = |pred: &dyn Fn(&str, &str) -> bool, unit: &str| -> Vec<(String, String)> {
        t.activities
            .iter()
            .filter(|a| pred(&a.group, &a.label))
            .map(|a| (a.label.clone(), format!("{}{unit}", a.count)))
            .collect()
    };
    // Meetings are what the report says 召开; everything else is study and activity.
    let is_meeting =
        |g: &str, l: &str| (g == "三会一课" && l != "党课") || g == "组织生活" || g == "党建工作";
    let study = counts(&|g, l| !is_meeting(g, l), "次");
    let meetings = counts(&is_meeting, "次");
    let required: u32 = t.compliance.iter().map(|c| c.required).sum();
    let held: u32 = t.compliance.iter().map(|c| c.held).sum();
    let building = vec![
        ("活动记录".to_string(), format!("{}条", t.activities_total)),
        (
            "出席".to_string(),
            format!("{}/{}人次", t.attendance.present, t.attendance.expected),
        ),
        ("出席率".to_string(), percent(t.attendance.rate)),
        (
            "第一议题7日内学习".to_string(),
            format!("{}/{}次", t.first_topic.within_7_days, t.first_topic.count),
        ),
        (
            "领导班子成员讲党课".to_string(),
            format!("{}次", t.leaders_lectures),
        ),
        ("换届选举".to_string(), format!("{}次", t.elections.held)),
        (
            "选举书记/副书记/委员".to_string(),
            format!(
                "{}/{}/{}名",
                t.elections.secretaries, t.elections.deputies, t.elections.members
            ),
        ),
        ("应开展项次".to_string(), required.to_string()),
        ("已开展项次".to_string(), held.to_string()),
        ("未开展项次".to_string(), (required - held).to_string()),
    ];
    let mut talks: Vec<(String, String)> = vec![
        ("谈话".to_string(), format!("{}次", t.talks.total)),
        ("谈话对象".to_string(), format!("{}人次", t.talks.subjects)),
    ];
    talks.extend(
        t.talks
            .by_kind
            .iter()
            .map(|k| (format!("　{}", k.kind), format!("{}次", k.count))),
    );
    let r = &t.rectification;
    let rect = vec![
        ("查摆问题".to_string(), format!("{}个", r.found)),
        ("已销号".to_string(), format!("{}个", r.closed)),
        ("未销号".to_string(), format!("{}个", r.open)),
        ("逾期".to_string(), format!("{}个", r.overdue)),
        ("上年结转".to_string(), format!("{}个", r.carried_over)),
        (
            "上年结转已销号".to_string(),
            format!("{}个", r.carried_closed),
        ),
        ("整改率".to_string(), percent(r.closure_rate)),
    ];
    let m = &t.members;
    let members = vec![
        ("在册党员".to_string(), format!("{}名", m.on_rolls)),
        ("　正式党员".to_string(), format!("{}名", m.full)),
        ("　预备党员".to_string(), format!("{}名", m.probationary)),
        (
            "新增入党申请人".to_string(),
            format!("{}名", m.new_applicants),
        ),
        (
            "新增入党积极分子".to_string(),
            format!("{}名", m.new_activists),
        ),
        (
            "新增发展对象".to_string(),
            format!("{}名", m.new_candidates),
        ),
        (
            "接收预备党员".to_string(),
            format!("{}名", m.new_probationary),
        ),
        (
            "转为正式党员".to_string(),
            format!("{}名", m.converted_to_full),
        ),
        (
            "转入 / 转出".to_string(),
            format!("{} / {}", m.transferred_in, m.transferred_out),
        ),
        (
            "表彰 / 慰问".to_string(),
            format!("{} / {}", t.commendations, t.visits),
        ),
        (
            "党费".to_string(),
            format!("{}元", yuan(t.dues.collected_fen)),
        ),
        ("民主评议".to_string(), reviews(&t.reviews)),
    ];
    // Every 专题, and beside it the types held under one (党组会议 · 意识形态工作).
    let topics: Vec<(String, String)> = t
        .topics
        .iter()
        .map(|x| (x.topic.clone(), format!("{}次", x.count)))
        .collect();
    let by_type: Vec<(String, String)> = t
        .topics_by_type
        .iter()
        .map(|x| {
            (
                format!("{} · {}", x.label, x.topic),
                format!("{}次", x.count),
            )
        })
        .collect();
    // Three blocks a row: each row as wide as the tab, at any zoom.
    let blocks = [
        ("学习与活动", study),
        ("会议", meetings),
        ("组织建设", building),
        ("谈话", talks),
        ("整改", rect),
        ("党员", members),
        ("专题", topics),
        ("各类活动中的专题", by_type),
    ];
    for row in blocks.chunks(3) {
        ui.columns(row.len(), |columns| {
            for (ui, (title, rows)) in columns.iter_mut().zip(row) {
                block(ui, title, rows);
            }
        });
        ui.add_space(6.0);
    }
}

fn months_chart(ui: &mut Ui, t: &Tally) {
    let bars: Vec<Bar> = t
        .months
        .iter()
        .enumerate()
        .map(|(i, n)| {
            Bar::new(i as f64 + 1.0, *n as f64)
                .width(0.7)
                .name(format!("{}月", i + 1))
        })
        .collect();
    Plot::new("stats_months")
        .height(170.0)
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .show_grid([false, true])
        .include_y(0.0)
        .x_axis_formatter(|mark, _| {
            let m = mark.value.round();
            if (1.0..=12.0).contains(&m) && (mark.value - m).abs() < 1e-6 {
                format!("{m}月")
            } else {
                String::new()
            }
        })
        .show(ui, |plot| {
            plot.bar_chart(
                BarChart::new("活动记录", bars).color(Color32::from_rgb(0xB0, 0x30, 0x30)),
            )
        });
}

/// Organisations as rows, the types held in the year as columns; a count opens the ledger filtered.
/// Only the rows on screen are laid out.
fn by_org_ui(ui: &mut Ui, t: &Tally, ctx: &AppCtx, org: Option<i64>) -> Option<Action> {
    let columns: Vec<&tally::TypeCount> = t.activities.iter().filter(|a| a.count > 0).collect();
    if columns.is_empty() {
        ui.label(RichText::new("本年度尚无活动记录。").weak());
        return None;
    }
    let shown: Option<std::collections::HashSet<i64>> =
        org.map(|id| crate::model::org::with_descendants(&ctx.orgs.list, id));
    // The organisations with records and those above them (the tree's order, as the PDF).
    let ids: Vec<i64> = columns.iter().map(|a| a.type_id).collect();
    let listed: std::collections::HashSet<i64> =
        t.org_rows(&ids).into_iter().map(|(_, id)| id).collect();
    let rows: Vec<&(i64, String)> = ctx
        .org_options()
        .iter()
        .filter(|(id, _)| shown.as_ref().is_none_or(|s| s.contains(id)))
        .filter(|(id, _)| listed.contains(id))
        .collect();
    let mut action = None;
    record_table(ui, "stats_by_org", |table| {
        let mut table = table.column(Column::initial(190.0).clip(true));
        for _ in &columns {
            table = table.column(Column::initial(76.0));
        }
        table
            .header(40.0, |mut h| {
                h.col(|ui| {
                    ui.strong("组织");
                });
                for c in &columns {
                    h.col(|ui| {
                        ui.add(egui::Label::new(RichText::new(&c.label).small().strong()).wrap());
                    });
                }
            })
            .body(|body| {
                body.rows(28.0, rows.len(), |mut row| {
                    let (id, name) = rows[row.index()];
                    let counts = t.by_org.get(id);
                    row.col(|ui| {
                        ui.label(name.as_str());
                    });
                    for c in &columns {
                        let n = counts.and_then(|m| m.get(&c.type_id)).copied().unwrap_or(0);
                        row.col(|ui| {
                            if n == 0 {
                                ui.label(RichText::new("·").weak());
                            } else if ui.link(n.to_string()).clicked() {
                                action = Some(Action::Goto(
                                    Tab::Activities,
                                    Target::Ledger {
                                        year: t.year,
                                        org: Some(*id),
                                        type_id: Some(c.type_id),
                                    },
                                ));
                            }
                        });
                    }
                });
            });
    });
    action
}
