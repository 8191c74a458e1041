//! The dialogs of the 党员 tab: 组织关系转接, the next step of 发展党员, and 表彰 / 走访慰问 / 民主评议
//! for several members at once. Each returns the write its confirmation asks for; the app applies
//! it and the tab closes the dialog when it is done (or shows the refusal in it).

use egui::{RichText, TextEdit, Ui};

use crate::model::FieldErrors;
use crate::model::date;
use crate::model::member::{Category, Member};
use crate::model::member_event::{EventField, EventInput, EventKind, Grade};
use crate::model::pipeline::{self, Conversion, Step};
use crate::model::transfer::{Transfer, TransferField, TransferInput, TransferKind};
use crate::ui::AppCtx;
use crate::ui::action::Write;
use crate::ui::widgets::date_field::date_field;
use crate::ui::widgets::form::{self, choice_row, row};

/// Who can be picked in a dialog: (id, name, organisation).
pub type Person = (i64, String, String);

pub enum Dialog {
    Transfer {
        name: String,
        home: i64,
        chain: Vec<Transfer>,
        input: TransferInput,
        errors: FieldErrors<TransferField>,
    },
    Step {
        member: Box<Member>,
        date: String,
        /// For 接收预备党员: the two introducers, picked from full members.
        introducers: [Option<i64>; 2],
        full_members: Vec<(i64, String)>,
        /// For 转正: extend the 预备期 instead, by `months`.
        extend: bool,
        months: u32,
        error: Option<String>,
    },
    Event {
        input: EventInput,
        errors: FieldErrors<EventField>,
        people: Vec<Person>,
        search: String,
    },
}

pub enum Outcome {
    Write(Write),
    Cancel,
}

impl Dialog {
    /// The 转正 / next-step dialog for `member`, with the date proposed by the rules.
    pub fn step(member: Member, full_members: Vec<(i64, String)>, ctx: &AppCtx) -> Self {
        let proposed = match member.category {
            Category::Probationary => pipeline::probation_end(&member)
                .map(|d| d.min(ctx.today))
                .unwrap_or(ctx.today),
            _ => ctx.today,
        };
        Dialog::Step {
            member: Box::new(member),
            date: date::iso(proposed),
            introducers: [None, None],
            full_members,
            extend: false,
            months: 6,
            error: None,
        }
    }

    /// A refusal from the store, shown where it belongs.
    pub fn refused(&mut self, error: &crate::store::StoreError) {
        match self {
            Dialog::Transfer { errors, .. } => {
                *errors = FieldErrors::new();
                errors.push(TransferField::Date, error.to_string());
            }
            Dialog::Step { error: e, .. } => *e = Some(error.to_string()),
            Dialog::Event { errors, .. } => {
                *errors = FieldErrors::new();
                errors.push(EventField::Members, error.to_string());
            }
        }
    }

    pub fn ui(&mut self, egui_ctx: &egui::Context, ctx: &AppCtx) -> Option<Outcome> {
        let mut out = None;
        let modal = egui::Modal::new(egui::Id::unique("member_dialog")).show(egui_ctx, |ui| {
            ui.set_width(520.0);
            out = match self {
                Dialog::Transfer {
                    name,
                    home,
                    chain,
                    input,
                    errors,
                } => transfer_ui(ui, name, *home, chain, input, errors, ctx),
                Dialog::Step { .. } => self.step_ui(ui, ctx),
                Dialog::Event {
                    input,
                    errors,
                    people,
                    search,
                } => event_ui(ui, input, errors, people, search, ctx),
            };
        });
        if out.is_none() && modal.should_close() {
            out = Some(Outcome::Cancel);
        }
        out
    }

    fn step_ui(&mut self, ui: &mut Ui, ctx: &AppCtx) -> Option<Outcome> {
        let Dialog::Step {
            member,
            date: text,
            introducers,
            full_members,
            extend,
            months,
            error,
        } = self
        else {
            return None;
        };
        let next = match member.category {
            Category::Applicant => "确定为入党积极分子",
            Category::Activist => "确定为发展对象",
            Category::Candidate => "接收为预备党员",
            Category::Probationary => "预备党员转正",
            Category::Full => return Some(Outcome::Cancel),
        };
        ui.heading(format!("{}：{next}", member.name));
        if let Some(s) = pipeline::standing(member, &[], ctx.today) {
            ui.label(RichText::new(&s.note).weak());
        }
        ui.add_space(4.0);
        let mut chosen_step = None;
        egui::Grid::new("step_grid")
            .min_col_width(110.0)
            .num_columns(2)
            .spacing([12.0, 6.0])
            .show(ui, |ui| {
                if member.category == Category::Probationary {
                    row(ui, "支部大会决定", true, None, |ui, id| {
                        ui.horizontal(|ui| {
                            ui.radio_value(extend, false, "按期转正").labelled_by(id);
                            let can_extend = member.probation_extended_to.is_none();
                            ui.add_enabled(
                                can_extend,
                                egui::RadioButton::new(*extend, "延长预备期"),
                            )
                            .on_disabled_hover_text("预备期只能延长一次")
                            .clicked()
                            .then(|| *extend = true);
                        });
                    });
                }
                if *extend {
                    row(ui, "延长月数", true, None, |ui, id| {
                        ui.add(egui::DragValue::new(months).range(6..=12).suffix(" 个月"))
                            .labelled_by(id);
                    });
                    if let Some(p) = member.probationary_on {
                        let end =
                            crate::model::date::add_years(p, 1) + chrono::Months::new(*months);
                        ui.label("");
                        ui.label(format!("预备期延长至 {}", date::iso(end)));
                        ui.end_row();
                    }
                } else {
                    let label = match member.category {
                        Category::Candidate => "支部大会日期",
                        Category::Probationary => "转正日期",
                        _ => "日期",
                    };
                    row(ui, label, true, None, |ui, id| {
                        date_field(ui, text, id);
                    });
                }
                if member.category == Category::Candidate {
                    let options: Vec<(i64, String)> = full_members.clone();
                    for (k, slot) in introducers.iter_mut().enumerate() {
                        row(
                            ui,
                            &format!("入党介绍人{}", k + 1),
                            true,
                            None,
                            |ui, id| {
                                form::choice(
                                    ui,
                                    &format!("introducer{k}"),
                                    id,
                                    slot,
                                    &options,
                                    Some("（未选）"),
                                    220.0,
                                );
                            },
                        );
                    }
                }
            });
        // The record as it would be, with the rule warnings (they warn; they do not block).
        let parsed = date::parse_date(text);
        let step = if *extend {
            Some(Step::Convert(Conversion::Extend { months: *months }))
        } else {
            match (&parsed, member.category) {
                (Err(_), _) => None,
                (Ok(d), Category::Applicant) => Some(Step::Activist(*d)),
                (Ok(d), Category::Activist) => Some(Step::Candidate(*d)),
                (Ok(d), Category::Candidate) => {
                    let names: Vec<String> = introducers
                        .iter()
                        .flatten()
                        .filter_map(|id| full_members.iter().find(|(i, _)| i == id))
                        .map(|(_, n)| n.clone())
                        .collect();
                    Some(Step::Probationary {
                        date: *d,
                        introducers: names.join("、"),
                    })
                }
                (Ok(d), _) => Some(Step::Convert(Conversion::Full(*d))),
            }
        };
        if let (Err(e), false) = (&parsed, *extend) {
            ui.label(RichText::new(e.to_string()).color(form::ERROR));
        }
        if let Some(step) = &step {
            match pipeline::advance(member, step) {
                Ok(after) => {
                    for w in after.warnings() {
                        ui.label(RichText::new(format!("！{w}")).color(form::WARNING));
                    }
                    chosen_step = Some(after);
                }
                Err(e) => {
                    ui.label(RichText::new(e).color(form::ERROR));
                }
            }
        }
        if parsed.as_ref().is_ok_and(|d| *d > ctx.today) && !*extend {
            ui.label(RichText::new("日期不能晚于今天").color(form::ERROR));
            chosen_step = None;
        }
        if let Some(e) = error {
            ui.label(RichText::new(e.as_str()).color(form::ERROR));
        }
        ui.add_space(8.0);
        let mut out = None;
        ui.horizontal(|ui| {
            let ok = chosen_step.is_some();
            if ui
                .add_enabled(ok, egui::Button::new(RichText::new("确认办理").strong()))
                .clicked()
                && let Some(after) = chosen_step.take()
            {
                out = Some(Outcome::Write(Write::Member(
                    Box::new(after),
                    Some(member.clone()),
                )));
            }
            if ui.button("取消").clicked() {
                out = Some(Outcome::Cancel);
            }
        });
        out
    }
}

fn transfer_ui(
    ui: &mut Ui,
    name: &str,
    home: i64,
    chain: &[Transfer],
    input: &mut TransferInput,
    errors: &mut FieldErrors<TransferField>,
    ctx: &AppCtx,
) -> Option<Outcome> {
    use TransferField as F;
    ui.heading(format!("组织关系转接：{name}"));
    ui.label(
        RichText::new("本单位内两个党组织之间的调动登记一次即可：原组织转出、新组织转入同时生效。")
            .weak(),
    );
    ui.add_space(4.0);
    egui::Grid::new("transfer_grid")
        .min_col_width(110.0)
        .num_columns(2)
        .spacing([12.0, 6.0])
        .show(ui, |ui| {
            let kinds: Vec<_> = TransferKind::ALL
                .iter()
                .map(|k| (*k, k.label().to_string()))
                .collect();
            choice_row(
                ui,
                "转接类别",
                true,
                errors.get(F::Kind),
                &mut input.kind,
                &kinds,
                None,
            );
            row(ui, "转接日期", true, errors.get(F::Date), |ui, id| {
                date_field(ui, &mut input.date, id);
            });
            if let Ok(d) = date::parse_date(&input.date) {
                let from = crate::model::transfer::org_at(home, chain, d);
                ui.label("当日所在组织");
                ui.label(from.map_or("本单位以外", |o| ctx.org_name(o)).trim_start());
                ui.end_row();
            }
            if input.kind != Some(TransferKind::Out) {
                let label = if input.kind == Some(TransferKind::In) {
                    "转入本单位的组织"
                } else {
                    "转往的组织"
                };
                choice_row(
                    ui,
                    label,
                    true,
                    errors.get(F::ToOrg),
                    &mut input.to_org,
                    ctx.org_options(),
                    None,
                );
            }
            if input.kind != Some(TransferKind::Within) {
                let label = if input.kind == Some(TransferKind::In) {
                    "原所在党组织"
                } else {
                    "转往的党组织"
                };
                row(ui, label, true, errors.get(F::OtherOrg), |ui, id| {
                    ui.add(
                        TextEdit::singleline(&mut input.other_org)
                            .desired_width(260.0)
                            .hint_text("本单位以外的党组织全称"),
                    )
                    .labelled_by(id);
                });
            }
            row(ui, "备注", false, None, |ui, id| {
                ui.add(TextEdit::singleline(&mut input.note).desired_width(260.0))
                    .labelled_by(id);
            });
        });
    ui.add_space(8.0);
    let mut out = None;
    ui.horizontal(|ui| {
        if ui.button(RichText::new("确认登记").strong()).clicked() {
            match input.validate(home, chain, ctx.today) {
                Ok(t) => {
                    *errors = FieldErrors::new();
                    out = Some(Outcome::Write(Write::Transfer(Box::new(t))));
                }
                Err(e) => *errors = e,
            }
        }
        if ui.button("取消").clicked() {
            out = Some(Outcome::Cancel);
        }
    });
    out
}

fn event_ui(
    ui: &mut Ui,
    input: &mut EventInput,
    errors: &mut FieldErrors<EventField>,
    people: &[Person],
    search: &mut String,
    ctx: &AppCtx,
) -> Option<Outcome> {
    use EventField as F;
    ui.heading("登记表彰、走访慰问或民主评议");
    egui::Grid::new("event_grid")
        .min_col_width(110.0)
        .num_columns(2)
        .spacing([12.0, 6.0])
        .show(ui, |ui| {
            let kinds: Vec<_> = EventKind::ALL
                .iter()
                .map(|k| (*k, k.label().to_string()))
                .collect();
            choice_row(
                ui,
                "类别",
                true,
                errors.get(F::Kind),
                &mut input.kind,
                &kinds,
                None,
            );
            row(ui, "日期", true, errors.get(F::Date), |ui, id| {
                date_field(ui, &mut input.date, id);
            });
            match input.kind {
                Some(EventKind::Review) => {
                    row(
                        ui,
                        "评议年度",
                        true,
                        errors.get(F::ForYear),
                        |ui, id| {
                            ui.add(
                                TextEdit::singleline(&mut input.for_year)
                                    .desired_width(80.0)
                                    .hint_text("如 2022"),
                            )
                            .labelled_by(id);
                        },
                    );
                    let grades: Vec<_> = Grade::ALL
                        .iter()
                        .map(|g| (*g, g.label().to_string()))
                        .collect();
                    choice_row(
                        ui,
                        "评议结果",
                        true,
                        errors.get(F::Grade),
                        &mut input.grade,
                        &grades,
                        None,
                    );
                }
                kind => {
                    let (label, hint) = if kind == Some(EventKind::Visit) {
                        ("慰问内容", "如 春节前走访慰问，送去慰问金500元")
                    } else {
                        ("表彰名称", "如 优秀共产党员")
                    };
                    let required = kind == Some(EventKind::Commendation);
                    row(ui, label, required, errors.get(F::Title), |ui, id| {
                        ui.add(
                            TextEdit::singleline(&mut input.title)
                                .desired_width(280.0)
                                .hint_text(hint),
                        )
                        .labelled_by(id);
                    });
                }
            }
            row(ui, "备注", false, None, |ui, id| {
                ui.add(TextEdit::singleline(&mut input.note).desired_width(280.0))
                    .labelled_by(id);
            });
        });
    ui.add_space(6.0);
    ui.horizontal(|ui| {
        ui.strong(format!("党员（已选 {} 人）", input.members.len()));
        let label = ui.label("查找");
        ui.add(
            TextEdit::singleline(search)
                .desired_width(120.0)
                .hint_text("姓名"),
        )
        .labelled_by(label.id);
    });
    if let Some(e) = errors.get(F::Members) {
        ui.label(RichText::new(e).color(form::ERROR));
    }
    egui::ScrollArea::vertical()
        .max_height(220.0)
        .id_salt("event_people")
        .show(ui, |ui| {
            let needle = search.trim();
            for (id, name, org) in people {
                let chosen = input.members.contains(id);
                if !chosen && !needle.is_empty() && !name.contains(needle) {
                    continue;
                }
                let mut on = chosen;
                if ui
                    .checkbox(&mut on, format!("{name}（{}）", org.trim_start()))
                    .changed()
                {
                    if on {
                        input.members.push(*id);
                    } else {
                        input.members.retain(|m| m != id);
                    }
                }
            }
        });
    ui.add_space(8.0);
    let mut out = None;
    ui.horizontal(|ui| {
        if ui.button(RichText::new("确认登记").strong()).clicked() {
            match input.validate(ctx.today) {
                Ok(rows) => {
                    *errors = FieldErrors::new();
                    out = Some(Outcome::Write(Write::MemberEvents(rows)));
                }
                Err(e) => *errors = e,
            }
        }
        if ui.button("取消").clicked() {
            out = Some(Outcome::Cancel);
        }
    });
    out
}
