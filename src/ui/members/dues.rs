//! 党费: a branch's month ("record this month for a branch": everyone on the roll with the amount
//! the bands give, adjustable, saved in one transaction) and the year's 党费收缴公示表.

use chrono::Datelike;
use egui::{RichText, TextEdit, Ui};
use egui_extras::Column;

use crate::model::dues::{self, Basis, Dues, parse_yuan, yuan};
use crate::store::roll_day;
use crate::tally::{self, DuesRow as YearRow};
use crate::ui::AppCtx;
use crate::ui::action::PrintRequest;
use crate::ui::action::{Action, Write};
use crate::ui::widgets::form::{self, ERROR};
use crate::ui::widgets::table::record_table;

/// One row of the month form, as typed.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub member_id: i64,
    pub name: String,
    pub paid: bool,
    pub basis: Basis,
    pub base: String,
    /// The amount paid; follows the computed amount until edited.
    pub amount: String,
    pub amount_edited: bool,
    pub error: Option<String>,
}

impl Line {
    fn base_fen(&self) -> Result<Option<i64>, String> {
        match self.basis {
            Basis::Flat => Ok(None),
            _ => parse_yuan(&self.base).map(Some),
        }
    }

    fn computed(&self) -> Option<i64> {
        self.base_fen()
            .ok()
            .map(|b| dues::amount(self.basis, b.unwrap_or(0)))
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Mode {
    Month,
    Year,
}

pub struct DuesView {
    pub org: Option<i64>,
    pub year: i32,
    pub month: u32,
    pub mode: Mode,
    lines: Vec<Line>,
    original: Vec<Line>,
    loaded: Option<(u64, i64, i32, u32)>,
    /// The year table: (name, base and rate of the last month, amounts by month, months owed).
    table: Vec<YearRow>,
    table_of: Option<(u64, i64, i32)>,
}

impl DuesView {
    pub fn new(today: chrono::NaiveDate) -> Self {
        Self {
            org: None,
            year: today.year(),
            month: today.month(),
            mode: Mode::Month,
            lines: Vec::new(),
            original: Vec::new(),
            loaded: None,
            table: Vec::new(),
            table_of: None,
        }
    }

    pub fn is_dirty(&self) -> bool {
        self.lines.iter().zip(&self.original).any(|(a, b)| {
            a.paid != b.paid || a.basis != b.basis || a.base != b.base || a.amount != b.amount
        })
    }

    /// After a save: read the month again.
    pub fn saved(&mut self) {
        self.loaded = None;
        self.table_of = None;
    }

    pub fn refused(&mut self, error: &crate::store::StoreError) {
        match error.field() {
            Some(crate::model::FieldKey::Row(i)) => {
                if let Some(l) = self.lines.get_mut(i) {
                    l.error = Some(error.to_string());
                }
            }
            _ => {
                if let Some(l) = self.lines.first_mut() {
                    l.error = Some(error.to_string());
                }
            }
        }
    }

    fn load_month(&mut self, ctx: &AppCtx, org: i64) {
        let key = (ctx.db.generation(), org, self.year, self.month);
        if self.loaded == Some(key) {
            return;
        }
        self.loaded = Some(key);
        let day = roll_day(self.year, self.month, ctx.today);
        let roll = ctx.db.roll_at(org, day).unwrap_or_default();
        let paid = ctx
            .db
            .dues_of_month(org, self.year, self.month)
            .unwrap_or_default();
        let mut people: Vec<(i64, String)> = roll;
        for d in &paid {
            if !people.iter().any(|(id, _)| *id == d.member_id)
                && let Ok(m) = ctx.db.member(d.member_id)
            {
                people.push((d.member_id, m.name));
            }
        }
        let ids: Vec<i64> = people.iter().map(|(id, _)| *id).collect();
        let last = ctx
            .db
            .last_dues_basis(&ids, self.year, self.month)
            .unwrap_or_default();
        self.lines = people
            .into_iter()
            .map(|(member_id, name)| {
                let own = paid.iter().find(|d| d.member_id == member_id);
                let (basis, base) = own
                    .map(|d| (d.basis, d.base_fen))
                    .or_else(|| {
                        last.iter()
                            .find(|(id, _, _)| *id == member_id)
                            .map(|(_, b, f)| (*b, *f))
                    })
                    .unwrap_or((Basis::InService, None));
                let mut line = Line {
                    member_id,
                    name,
                    paid: own.is_some(),
                    basis,
                    base: base.map(yuan).unwrap_or_default(),
                    amount: String::new(),
                    amount_edited: false,
                    error: None,
                };
                match own {
                    Some(d) => {
                        line.amount = yuan(d.amount_fen);
                        line.amount_edited = Some(d.amount_fen) != line.computed();
                    }
                    None => line.amount = line.computed().map(yuan).unwrap_or_default(),
                }
                line
            })
            .collect();
        self.original = self.lines.clone();
    }

    pub fn ui(&mut self, ui: &mut Ui, ctx: &AppCtx) -> Option<Action> {
        ui.horizontal_wrapped(|ui| {
            ui.selectable_value(&mut self.mode, Mode::Month, "按月登记");
            ui.selectable_value(&mut self.mode, Mode::Year, "年度公示表");
            ui.separator();
            let label = ui.label("党组织");
            let dirty = self.is_dirty();
            ui.add_enabled_ui(!dirty, |ui| {
                form::choice(
                    ui,
                    "dues_org",
                    label.id,
                    &mut self.org,
                    ctx.org_options(),
                    None,
                    180.0,
                );
                let label = ui.label("年份");
                ui.add(egui::DragValue::new(&mut self.year).range(1950..=ctx.today.year()))
                    .labelled_by(label.id);
                if self.mode == Mode::Month {
                    let label = ui.label("月份");
                    ui.add(
                        egui::DragValue::new(&mut self.month)
                            .range(1..=12)
                            .suffix("月"),
                    )
                    .labelled_by(label.id);
                }
            })
            .response
            .on_disabled_hover_text("请先保存或撤销本月的修改");
        });
        ui.separator();
        let Some(org) = self.org else {
            ui.label("请选择党组织。");
            return None;
        };
        match self.mode {
            Mode::Month => {
                self.load_month(ctx, org);
                self.month_ui(ui, org).map(Action::Write)
            }
            Mode::Year => self.year_ui(ui, ctx, org).map(Action::Print),
        }
    }

    fn month_ui(&mut self, ui: &mut Ui, org: i64) -> Option<Write> {
        let mut write = None;
        let total: i64 = self
            .lines
            .iter()
            .filter(|l| l.paid)
            .filter_map(|l| parse_yuan(&l.amount).ok())
            .sum();
        let paid = self.lines.iter().filter(|l| l.paid).count();
        ui.horizontal(|ui| {
            ui.label(format!(
                "{}年{}月：在册 {} 人，已交 {} 人，合计 {} 元",
                self.year,
                self.month,
                self.lines.len(),
                paid,
                yuan(total)
            ));
            if ui.button("全部已交").clicked() {
                self.lines.iter_mut().for_each(|l| l.paid = true);
            }
            let label = if self.is_dirty() {
                "保存本月党费 *"
            } else {
                "保存本月党费"
            };
            if ui.button(RichText::new(label).strong()).clicked() {
                write = self.validate(org);
            }
            if self.is_dirty() && ui.button("撤销修改").clicked() {
                self.lines = self.original.clone();
            }
        });
        if self.lines.is_empty() {
            ui.label("该组织本月没有在册党员。");
            return write;
        }
        let bases: Vec<(Basis, String)> = Basis::ALL
            .iter()
            .map(|b| (*b, b.label().to_string()))
            .collect();
        record_table(ui, "dues_month", |table| {
            table
                .column(Column::initial(110.0).clip(true))
                .column(Column::initial(96.0))
                .column(Column::initial(110.0))
                .column(Column::initial(70.0))
                .column(Column::initial(80.0))
                .column(Column::remainder().at_least(100.0))
                .header(28.0, |mut h| {
                    for title in [
                        "已交 · 姓名",
                        "缴纳类别",
                        "月工资基数(元)",
                        "比例",
                        "应交(元)",
                        "实交(元)",
                    ] {
                        h.col(|ui| {
                            ui.strong(title);
                        });
                    }
                })
                .body(|body| {
                    body.rows(30.0, self.lines.len(), |mut row| {
                        let i = row.index();
                        let line = &mut self.lines[i];
                        // The member's name names every field of the row (the checkbox carries it).
                        let mut name = None;
                        row.col(|ui| {
                            name = Some(ui.checkbox(&mut line.paid, &line.name).id);
                        });
                        let name = name.unwrap_or(egui::Id::NULL);
                        let before = line.computed();
                        row.col(|ui| {
                            let mut b = Some(line.basis);
                            form::choice(
                                ui,
                                &format!("basis{i}"),
                                name,
                                &mut b,
                                &bases,
                                None,
                                80.0,
                            );
                            line.basis = b.unwrap_or(Basis::InService);
                        });
                        row.col(|ui| {
                            ui.add_enabled(
                                line.basis != Basis::Flat,
                                TextEdit::singleline(&mut line.base)
                                    .desired_width(90.0)
                                    .hint_text("如 5000"),
                            )
                            .labelled_by(name);
                        });
                        let computed = line.computed();
                        // The amount follows the base until the user types one of their own.
                        if !line.amount_edited && (computed != before || line.amount.is_empty()) {
                            line.amount = computed.map(yuan).unwrap_or_default();
                        }
                        row.col(|ui| {
                            let rate = line
                                .base_fen()
                                .ok()
                                .map(|b| dues::rate(line.basis, b.unwrap_or(0)).label())
                                .unwrap_or_default();
                            ui.label(rate);
                        });
                        row.col(|ui| {
                            ui.label(computed.map(yuan).unwrap_or_else(|| "—".into()));
                        });
                        row.col(|ui| {
                            ui.horizontal(|ui| {
                                if ui
                                    .add(TextEdit::singleline(&mut line.amount).desired_width(70.0))
                                    .labelled_by(name)
                                    .changed()
                                {
                                    line.amount_edited = true;
                                }
                                if let Some(e) = &line.error {
                                    ui.label(RichText::new(e).color(ERROR));
                                }
                            });
                        });
                    });
                });
        });
        write
    }

    /// Checks every line; the write when all parse, else the errors at their lines.
    fn validate(&mut self, org: i64) -> Option<Write> {
        let mut rows = Vec::new();
        let mut ok = true;
        for line in &mut self.lines {
            line.error = None;
            if !line.paid {
                continue;
            }
            let base = match line.base_fen() {
                Ok(b) => b,
                Err(e) => {
                    line.error = Some(format!("工资基数：{e}"));
                    ok = false;
                    continue;
                }
            };
            match parse_yuan(&line.amount) {
                Ok(amount_fen) => rows.push(Dues {
                    member_id: line.member_id,
                    org_id: org,
                    year: self.year,
                    month: self.month,
                    basis: line.basis,
                    base_fen: base,
                    amount_fen,
                }),
                Err(e) => {
                    line.error = Some(e);
                    ok = false;
                }
            }
        }
        ok.then_some(Write::DuesMonth {
            org_id: org,
            year: self.year,
            month: self.month,
            rows,
        })
    }

    fn year_ui(&mut self, ui: &mut Ui, ctx: &AppCtx, org: i64) -> Option<PrintRequest> {
        let key = (ctx.db.generation(), org, self.year);
        if self.table_of != Some(key) {
            self.table = tally::dues_table(ctx.db, org, self.year, ctx.today).unwrap_or_default();
            self.table_of = Some(key);
        }
        let total: i64 = self
            .table
            .iter()
            .flat_map(|r| r.months.iter().flatten())
            .sum();
        let mut print = None;
        ui.horizontal(|ui| {
            ui.label(format!(
                "{}{}年度党费收缴公示：{} 人，合计 {} 元",
                ctx.org_name(org).trim_start(),
                self.year,
                self.table.len(),
                yuan(total)
            ));
            if ui.button("打印公示表…").clicked() {
                print = Some(PrintRequest::Dues {
                    org,
                    year: self.year,
                });
            }
        });
        record_table(ui, "dues_year", |table| {
            let mut t = table
                .column(Column::initial(70.0).clip(true))
                .column(Column::initial(70.0))
                .column(Column::initial(56.0));
            for _ in 0..12 {
                t = t.column(Column::initial(46.0));
            }
            t.column(Column::initial(64.0))
                .column(Column::remainder().at_least(80.0))
                .header(28.0, |mut h| {
                    let mut titles: Vec<String> = vec!["姓名".into(), "基数".into(), "比例".into()];
                    titles.extend((1..=12).map(|m| format!("{m}月")));
                    titles.push("合计".into());
                    titles.push("欠缴".into());
                    for title in titles {
                        h.col(|ui| {
                            ui.strong(title);
                        });
                    }
                })
                .body(|body| {
                    body.rows(26.0, self.table.len(), |mut row| {
                        let r = &self.table[row.index()];
                        row.col(|ui| {
                            ui.label(&r.name);
                        });
                        row.col(|ui| {
                            ui.label(&r.base);
                        });
                        row.col(|ui| {
                            ui.label(&r.rate);
                        });
                        for m in r.months {
                            row.col(|ui| {
                                ui.label(m.map(yuan).unwrap_or_default());
                            });
                        }
                        row.col(|ui| {
                            ui.label(yuan(r.months.iter().flatten().sum()));
                        });
                        row.col(|ui| {
                            if !r.owed.is_empty() {
                                let months: Vec<String> =
                                    r.owed.iter().map(|m| format!("{m}月")).collect();
                                ui.label(RichText::new(months.join("、")).color(ERROR));
                            }
                        });
                    });
                });
        });
        print
    }
}
