//! 落实情况: for each organisation and year, which periods each expected activity was held in. A view
//! of its own, so the 统计 tab can show the same grid.

use std::collections::HashSet;

use chrono::Datelike;
use egui::{Color32, RichText, Ui};

use crate::model::activity::Frequency;
use crate::model::date;
use crate::model::org::with_descendants;
use crate::tally::compliance::{self, CellState, ComplianceRow};
use crate::ui::AppCtx;
use crate::ui::widgets::form;

#[derive(Default)]
pub struct ComplianceView {
    year: Option<i32>,
    org: Option<i64>,
    rows: Vec<ComplianceRow>,
    rows_for: Option<(u64, i32)>,
}

impl ComplianceView {
    /// The pickers (year among `years`, organisation) and the grids; a 缺 clicked, as the meeting
    /// to record for it.
    pub fn ui(&mut self, ui: &mut Ui, ctx: &mut AppCtx, years: &[i32]) -> Option<Missing> {
        let this_year = ctx.today.year();
        ui.horizontal(|ui| {
            let years: Vec<(i32, String)> = years.iter().map(|y| (*y, format!("{y}年"))).collect();
            let label = ui.label("年份");
            let mut year = Some(self.year.unwrap_or(this_year));
            form::choice(
                ui,
                "compliance_year",
                label.id,
                &mut year,
                &years,
                None,
                100.0,
            );
            self.year = year;
            let label = ui.label("组织");
            form::choice(
                ui,
                "compliance_org",
                label.id,
                &mut self.org,
                ctx.org_options(),
                Some("全部组织"),
                180.0,
            );
        });
        let year = self.year.unwrap_or(this_year);
        self.show(ui, ctx, year, self.org)
    }

    /// The grids of `year` for `org` and those under it (all organisations for `None`).
    pub fn show(
        &mut self,
        ui: &mut Ui,
        ctx: &mut AppCtx,
        year: i32,
        org: Option<i64>,
    ) -> Option<Missing> {
        let key = (ctx.db.generation(), year);
        let as_of = crate::tally::as_of(year, ctx.today);
        if self.rows_for != Some(key) {
            match compliance::for_year(ctx.db, year, as_of) {
                Ok(rows) => self.rows = rows,
                Err(e) => ctx.toasts.error(format!("计算落实情况失败：{e}")),
            }
            self.rows_for = Some(key);
        }
        show_rows(ui, ctx, &self.rows, as_of, org, true)
    }
}

/// A period an organisation did not hold a type in: (organisation, type, period). Clicked on
/// 落实情况, it opens the meeting form filled in for it.
pub type Missing = (i64, i64, crate::model::activity::Period);

/// The grids of `rows` computed up to `as_of`, one collapsible block per organisation (of `org`
/// and those under it); `open_missing` opens the blocks with missing periods.
pub fn show_rows(
    ui: &mut Ui,
    ctx: &AppCtx,
    rows: &[ComplianceRow],
    as_of: chrono::NaiveDate,
    org: Option<i64>,
    open_missing: bool,
) -> Option<Missing> {
    let mut clicked = None;
    {
        ui.label(
            RichText::new(format!(
                "统计至{}。“√”已开展（数字为次数），“缺”为已到期未开展，“—”为未到期。",
                date::chinese(as_of)
            ))
            .weak(),
        );
        let shown: Option<HashSet<i64>> = org.map(|id| with_descendants(&ctx.orgs.list, id));
        let mut by_org: Vec<(i64, &str, Vec<&ComplianceRow>)> = Vec::new();
        for &(id, _) in ctx.org_options() {
            if shown.as_ref().is_some_and(|s| !s.contains(&id)) {
                continue;
            }
            let rows: Vec<&ComplianceRow> = rows.iter().filter(|r| r.org_id == id).collect();
            if !rows.is_empty() {
                by_org.push((id, ctx.org_name(id), rows));
            }
        }
        if by_org.is_empty() {
            ui.add_space(20.0);
            ui.label("没有需要按频次开展活动的组织。党支部、党组和党委建立后，这里显示各项活动的落实情况。");
            return None;
        }
        egui::ScrollArea::vertical()
            .id_salt("compliance_scroll")
            .show(ui, |ui| {
                for (org_id, name, rows) in by_org {
                    let missing: u32 = rows.iter().map(|r| r.required - r.held).sum();
                    let mut title = if missing == 0 {
                        format!("{name}：应开展的活动均已开展")
                    } else {
                        format!("{name}：{missing}项次未开展")
                    };
                    if let Some(day) = rows.iter().find_map(|r| r.counted_from) {
                        title.push_str(&format!(
                            "（未填写成立日期，自录入之日{}起计算）",
                            crate::model::date::chinese(day)
                        ));
                    }
                    egui::CollapsingHeader::new(RichText::new(title).strong())
                        .id_salt(("compliance_org", org_id))
                        .default_open(open_missing && missing > 0)
                        .show(ui, |ui| {
                            if let Some(m) = grids(ui, org_id, &rows) {
                                clicked = Some(m);
                            }
                        });
                }
            });
    }
    clicked
}

/// One grid per frequency: rows are types, columns the periods of the year. A 缺 is a button:
/// the period clicked.
fn grids(ui: &mut Ui, org_id: i64, rows: &[&ComplianceRow]) -> Option<Missing> {
    let mut clicked = None;
    for frequency in [Frequency::Month, Frequency::Quarter, Frequency::Year] {
        let rows: Vec<&&ComplianceRow> = rows.iter().filter(|r| r.frequency == frequency).collect();
        if rows.is_empty() {
            continue;
        }
        ui.label(RichText::new(frequency.label()).weak());
        egui::Grid::new(("compliance_grid", org_id, frequency.label()))
            .striped(true)
            .spacing([6.0, 4.0])
            .show(ui, |ui| {
                ui.label("");
                for (p, _) in &rows[0].cells {
                    ui.label(RichText::new(p.column_label()).small());
                }
                ui.label("");
                ui.end_row();
                for r in rows {
                    ui.label(&r.type_label);
                    for (period, state) in &r.cells {
                        if *state == CellState::Missing {
                            let b = ui
                                .add(
                                    egui::Button::new(
                                        RichText::new("缺").color(form::ERROR).strong(),
                                    )
                                    .small(),
                                )
                                .on_hover_text("点击登记这一期的活动");
                            if b.clicked() {
                                clicked = Some((org_id, r.type_id, *period));
                            }
                            continue;
                        }
                        let (text, color) = match state {
                            CellState::Held(1) => {
                                ("√".to_string(), Color32::from_rgb(0x1E, 0x7B, 0x34))
                            }
                            CellState::Held(n) => {
                                (format!("√{n}"), Color32::from_rgb(0x1E, 0x7B, 0x34))
                            }
                            CellState::Missing => ("缺".to_string(), form::ERROR),
                            CellState::NotDue => ("—".to_string(), Color32::GRAY),
                        };
                        ui.label(RichText::new(text).color(color).strong());
                    }
                    if r.missing.is_empty() {
                        ui.label(RichText::new(format!("{}/{}", r.held, r.required)).weak());
                    } else {
                        ui.label(
                            RichText::new(format!("缺：{}", r.missing.join("、")))
                                .color(form::ERROR),
                        );
                    }
                    ui.end_row();
                }
            });
        ui.add_space(4.0);
    }
    clicked
}
