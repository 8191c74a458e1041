//! 表彰 · 走访慰问 · 民主评议 of a year, entered for several members at once.

use chrono::Datelike;
use egui::{RichText, Ui};
use egui_extras::Column;

use crate::model::date;
use crate::model::member_event::{EventKind, Grade, MemberEvent};
use crate::ui::AppCtx;
use crate::ui::widgets::table::record_table;

pub struct EventsView {
    pub year: i32,
    pub kind: Option<EventKind>,
    rows: Vec<(MemberEvent, String)>,
    rows_of: Option<(u64, i32)>,
}

/// What the view asks of the tab.
pub enum EventsAsk {
    New(EventKind),
    Delete(i64, String),
    Open(i64),
}

impl EventsView {
    pub fn new(today: chrono::NaiveDate) -> Self {
        Self {
            year: today.year(),
            kind: None,
            rows: Vec::new(),
            rows_of: None,
        }
    }

    pub fn ui(&mut self, ui: &mut Ui, ctx: &AppCtx) -> Option<EventsAsk> {
        let key = (ctx.db.generation(), self.year);
        if self.rows_of != Some(key) {
            self.rows = ctx.db.events_of_year(self.year).unwrap_or_default();
            self.rows_of = Some(key);
        }
        let mut ask = None;
        ui.horizontal_wrapped(|ui| {
            let label = ui.label("年份");
            ui.add(egui::DragValue::new(&mut self.year).range(1950..=ctx.today.year()))
                .labelled_by(label.id);
            let kinds: Vec<_> = EventKind::ALL
                .iter()
                .map(|k| (*k, k.label().to_string()))
                .collect();
            let label = ui.label("类别");
            crate::ui::widgets::form::choice(
                ui,
                "events_kind",
                label.id,
                &mut self.kind,
                &kinds,
                Some("全部类别"),
                110.0,
            );
            ui.separator();
            for kind in EventKind::ALL {
                if ui.button(format!("＋ 登记{kind}…")).clicked() {
                    ask = Some(EventsAsk::New(*kind));
                }
            }
        });
        let count = |k: EventKind| self.rows.iter().filter(|(e, _)| e.kind == k).count();
        let grades: Vec<String> = Grade::ALL
            .iter()
            .map(|g| {
                let n = self
                    .rows
                    .iter()
                    .filter(|(e, _)| e.grade == Some(*g))
                    .count();
                format!("{g} {n}")
            })
            .collect();
        ui.label(format!(
            "{0}年：表彰 {1} 人次，走访慰问 {2} 人次，{0}年度民主评议 {3} 人（{4}）",
            self.year,
            count(EventKind::Commendation),
            count(EventKind::Visit),
            count(EventKind::Review),
            grades.join("、")
        ));
        let shown: Vec<&(MemberEvent, String)> = self
            .rows
            .iter()
            .filter(|(e, _)| self.kind.is_none_or(|k| k == e.kind))
            .collect();
        if self.rows.is_empty() {
            ui.add_space(12.0);
            ui.label("本年度还没有登记。点击上方按钮登记；一次可选择多名党员。");
            return ask;
        }
        record_table(ui, "events_table", |table| {
            table
                .column(Column::initial(96.0))
                .column(Column::initial(80.0))
                .column(Column::initial(80.0).clip(true))
                .column(Column::initial(150.0).clip(true))
                .column(Column::remainder().at_least(200.0).clip(true))
                .column(Column::initial(60.0))
                .header(28.0, |mut h| {
                    for t in ["日期", "类别", "姓名", "所在组织", "内容 / 结果", ""] {
                        h.col(|ui| {
                            ui.strong(t);
                        });
                    }
                })
                .body(|body| {
                    body.rows(28.0, shown.len(), |mut row| {
                        let (e, name) = shown[row.index()];
                        row.col(|ui| {
                            ui.label(date::iso(e.date));
                        });
                        row.col(|ui| {
                            ui.label(e.kind.label());
                        });
                        row.col(|ui| {
                            if ui.link(name).clicked() {
                                ask = Some(EventsAsk::Open(e.member_id));
                            }
                        });
                        row.col(|ui| {
                            ui.label(ctx.org_name(e.org_id).trim_start());
                        });
                        row.col(|ui| {
                            let text = match (e.grade, e.for_year) {
                                (Some(g), Some(y)) => format!("{y}年度 {g}"),
                                _ => e.title.clone(),
                            };
                            ui.label(text);
                        });
                        row.col(|ui| {
                            if ui.button(RichText::new("删除").small()).clicked()
                                && let Some(id) = e.id
                            {
                                ask = Some(EventsAsk::Delete(
                                    id,
                                    format!("{} {}", name, e.summary()),
                                ));
                            }
                        });
                    });
                });
        });
        ask
    }
}
