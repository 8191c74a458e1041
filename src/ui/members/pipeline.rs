//! 发展党员: everyone between 入党申请人 and 预备党员, with the next step and its date by the rules,
//! "due this month" and "overdue" first.

use std::collections::HashMap;

use egui::{RichText, Ui};
use egui_extras::Column;

use crate::model::date;
use crate::model::member::{Category, Member};
use crate::model::pipeline::{self, DueState, Standing};
use crate::model::transfer::Transfer;
use crate::ui::AppCtx;
use crate::ui::widgets::form::{self, ERROR, WARNING};
use crate::ui::widgets::table::record_table;

#[derive(Default)]
pub struct PipelineView {
    pub stage: Option<Category>,
    pub only_due: bool,
    rows: Vec<(usize, Standing)>,
    rows_of: Option<(u64, chrono::NaiveDate)>,
}

impl PipelineView {
    /// Counts for the roster's reminder: (due this month, overdue).
    pub fn counts(&self) -> (usize, usize) {
        let due = self
            .rows
            .iter()
            .filter(|(_, s)| s.state == DueState::DueThisMonth)
            .count();
        let overdue = self
            .rows
            .iter()
            .filter(|(_, s)| s.state == DueState::Overdue)
            .count();
        (due, overdue)
    }

    pub fn refresh(
        &mut self,
        members: &[Member],
        transfers: &HashMap<i64, Vec<Transfer>>,
        generation: u64,
        today: chrono::NaiveDate,
    ) {
        if self.rows_of != Some((generation, today)) {
            self.rows = pipeline::everyone(members, transfers, today);
            self.rows_of = Some((generation, today));
        }
    }

    /// The view; returns the member whose next step was asked for (`true`) or who was opened.
    pub fn ui(&mut self, ui: &mut Ui, members: &[Member], ctx: &AppCtx) -> Option<(i64, bool)> {
        let (due, overdue) = self.counts();
        ui.horizontal_wrapped(|ui| {
            ui.label(format!("发展党员共 {} 人：", self.rows.len()));
            ui.label(RichText::new(format!("本月到期 {due} 人")).color(WARNING));
            ui.label(RichText::new(format!("逾期 {overdue} 人")).color(ERROR));
            ui.separator();
            let stages: Vec<_> = Category::ALL[..4]
                .iter()
                .map(|c| (*c, c.label().to_string()))
                .collect();
            let label = ui.label("阶段");
            form::choice(
                ui,
                "pipeline_stage",
                label.id,
                &mut self.stage,
                &stages,
                Some("全部阶段"),
                130.0,
            );
            ui.checkbox(&mut self.only_due, "只看本月到期和逾期");
        });
        ui.label(
            RichText::new(
                "规则：入党积极分子每半年考察一次，培养一年以上可列为发展对象；预备期一年，自支部大会通过之日算起，可延长一次（半年至一年）。",
            )
            .weak(),
        );
        let shown: Vec<&(usize, Standing)> = self
            .rows
            .iter()
            .filter(|(_, s)| self.stage.is_none_or(|c| c == s.stage))
            .filter(|(_, s)| {
                !self.only_due || matches!(s.state, DueState::DueThisMonth | DueState::Overdue)
            })
            .collect();
        let mut clicked = None;
        record_table(ui, "pipeline_table", |table| {
            table
                .column(Column::exact(80.0).clip(true))
                .column(Column::exact(150.0).clip(true))
                .column(Column::exact(100.0))
                .column(Column::exact(96.0))
                .column(Column::exact(120.0).clip(true))
                .column(Column::exact(104.0))
                .column(Column::exact(96.0))
                .column(Column::remainder().at_least(160.0).clip(true))
                .header(28.0, |mut h| {
                    for t in [
                        "姓名",
                        "所在组织",
                        "当前阶段",
                        "阶段日期",
                        "下一步",
                        "最早可办日期",
                        "状态",
                        "说明",
                    ] {
                        h.col(|ui| {
                            ui.strong(t);
                        });
                    }
                })
                .body(|body| {
                    body.rows(28.0, shown.len(), |mut row| {
                        let (i, s) = shown[row.index()];
                        let m = &members[*i];
                        row.col(|ui| {
                            if ui.link(&m.name).on_hover_text("打开该党员").clicked() {
                                clicked = m.id.map(|id| (id, false));
                            }
                        });
                        row.col(|ui| {
                            ui.label(ctx.org_name(m.org_id).trim_start());
                        });
                        row.col(|ui| {
                            ui.label(s.stage.label());
                        });
                        row.col(|ui| {
                            ui.label(s.since.map(date::iso).unwrap_or_else(|| "未填".into()));
                        });
                        row.col(|ui| {
                            if ui
                                .button(s.next.label())
                                .on_hover_text("办理下一步")
                                .clicked()
                            {
                                clicked = m.id.map(|id| (id, true));
                            }
                        });
                        row.col(|ui| {
                            ui.label(s.earliest.map(date::iso).unwrap_or_default());
                        });
                        row.col(|ui| {
                            let color = match s.state {
                                DueState::Overdue => ERROR,
                                DueState::DueThisMonth => WARNING,
                                _ => ui.visuals().text_color(),
                            };
                            ui.label(RichText::new(s.state.label()).color(color));
                        });
                        row.col(|ui| {
                            ui.label(&s.note);
                        });
                    });
                });
        });
        clicked
    }
}
