//! The member form, with the member's page beside it: 组织关系转接, the next step of 发展党员,
//! 表彰 / 慰问 / 评议 and this year's 党费.

use chrono::Datelike;
use egui::{RichText, TextEdit, Ui};

use super::{Intent, MemberPage};
use crate::model::FieldErrors;
use crate::model::date;
use crate::model::dues::{Dues, month_is_due, yuan};
use crate::model::member::{
    Category, Gender, Member, MemberField as F, MemberInput, PIPELINE_DATES, Status,
};
use crate::model::pipeline;
use crate::store::{AuditEntry, StoreError, roll_day};
use crate::ui::AppCtx;
use crate::ui::action::Write;
use crate::ui::editor::{Editable, Editor, FormAction};
use crate::ui::widgets::date_field::date_field;
use crate::ui::widgets::form::{self, choice_row, row, text_row};

pub fn form_ui(
    ui: &mut Ui,
    editor: &mut Editor<MemberInput>,
    history: &[AuditEntry],
    page: &MemberPage,
    intent: &mut Option<Intent>,
    ctx: &AppCtx,
) -> Option<FormAction> {
    let title = match editor.form().map(|f| (f.draft.id, &f.original().name)) {
        Some((Some(_), name)) => format!("编辑党员：{name}"),
        _ => "新增党员".to_string(),
    };
    let action = editor.save_bar(ui, &title);
    let dirty = editor.is_dirty();
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
                    if page.transfers.is_empty() {
                        choice_row(
                            ui,
                            "所在组织",
                            true,
                            errors.get(F::Org),
                            &mut input.org_id,
                            orgs,
                            None,
                        );
                    } else {
                        // The organisation comes from the transfer records once there are any.
                        row(ui, "所在组织", true, errors.get(F::Org), |ui, _| {
                            ui.label(input.org_id.map_or("", |o| ctx.org_name(o)).trim_start())
                                .on_hover_text("有组织关系转接记录，调整请用下方“登记转接…”");
                        });
                    }
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
            if let Some(ext) = input.probation_extended_to {
                ui.label(format!("预备期已延长至 {}", date::iso(ext)));
            }
            if let Ok(m) = input.validate(ctx.today) {
                for w in m.warnings() {
                    ui.label(RichText::new(format!("！{w}")).color(form::WARNING));
                }
                if input.id.is_some()
                    && let Some(s) = pipeline::standing(&m, &page.transfers, ctx.today)
                {
                    ui.horizontal_wrapped(|ui| {
                        ui.label(format!("{}：{}", s.state.label(), s.note));
                        let button = ui.add_enabled(
                            !dirty,
                            egui::Button::new(format!("办理：{}…", s.next.label())),
                        );
                        if button
                            .on_disabled_hover_text("请先保存表单的修改")
                            .clicked()
                        {
                            *intent = Some(Intent::Step);
                        }
                    });
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
            if input.id.is_some() {
                page_ui(ui, page, intent, ctx);
            }
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

/// The member's records beside the form: transfers, events and this year's dues.
fn page_ui(ui: &mut Ui, page: &MemberPage, intent: &mut Option<Intent>, ctx: &AppCtx) {
    ui.add_space(8.0);
    ui.horizontal(|ui| {
        ui.strong("组织关系转接");
        if ui.button("登记转接…").clicked() {
            *intent = Some(Intent::Transfer);
        }
    });
    if page.transfers.is_empty() {
        ui.label(RichText::new("无转接记录").weak());
    }
    for t in page.transfers.iter().rev() {
        let name = |o: Option<i64>| {
            o.map_or(t.other_org.clone(), |o| {
                ctx.org_name(o).trim_start().to_string()
            })
        };
        let text = format!(
            "{} {}：{} → {}{}",
            date::iso(t.date),
            t.kind(),
            name(t.from_org),
            name(t.to_org),
            if t.note.is_empty() {
                String::new()
            } else {
                format!("（{}）", t.note)
            }
        );
        ui.horizontal_wrapped(|ui| {
            ui.label(&text);
            if ui.small_button("删除").clicked()
                && let Some(id) = t.id
            {
                *intent = Some(Intent::DeleteTransfer(id, text.clone()));
            }
        });
    }
    ui.add_space(8.0);
    ui.horizontal(|ui| {
        ui.strong("表彰 · 慰问 · 评议");
        if ui.button("登记…").clicked() {
            *intent = Some(Intent::Event);
        }
    });
    if page.events.is_empty() {
        ui.label(RichText::new("无记录").weak());
    }
    for e in &page.events {
        ui.horizontal_wrapped(|ui| {
            ui.label(e.summary());
            if ui.small_button("删除").clicked()
                && let Some(id) = e.id
            {
                *intent = Some(Intent::DeleteEvent(id, e.summary()));
            }
        });
    }
    ui.add_space(8.0);
    ui.strong(format!("{}年党费", page.year));
    let total: i64 = page.dues.iter().map(|d| d.amount_fen).sum();
    let months: Vec<String> = page
        .dues
        .iter()
        .map(|d| format!("{}月 {}", d.month, yuan(d.amount_fen)))
        .collect();
    ui.label(if months.is_empty() {
        "本年尚无缴纳记录".to_string()
    } else {
        format!(
            "已缴 {} 个月，共 {} 元：{}",
            months.len(),
            yuan(total),
            months.join("，")
        )
    });
    if !page.arrears.is_empty() {
        let owed: Vec<String> = page.arrears.iter().map(|m| format!("{m}月")).collect();
        ui.label(
            RichText::new(format!("欠缴 {} 个月：{}", owed.len(), owed.join("、")))
                .color(form::ERROR),
        );
    }
}

impl Editable for MemberInput {
    type Field = F;
    type Loaded = Member;

    fn blank(ctx: &AppCtx) -> Self {
        MemberInput::new(ctx.orgs.first_id())
    }

    fn load(ctx: &AppCtx, id: i64) -> Result<(Member, Self), StoreError> {
        let m = ctx.db.member(id)?;
        let input = m.to_input();
        Ok((m, input))
    }

    fn write(&self, loaded: Option<&Member>, ctx: &AppCtx) -> Result<Write, FieldErrors<F>> {
        let member = self.validate(ctx.today)?;
        Ok(Write::Member(
            Box::new(member),
            loaded.cloned().map(Box::new),
        ))
    }

    fn is_save(write: &Write) -> bool {
        matches!(write, Write::Member(..))
    }

    fn saved(write: &Write) -> String {
        match write {
            Write::Member(m, _) => format!("已保存：{}", m.name),
            _ => "已保存".into(),
        }
    }

    fn cannot_open(e: &StoreError) -> String {
        format!("无法打开该党员：{e}")
    }
}

/// The member's transfers, events and this year's dues with the months owed.
pub(super) fn load_page(m: &Member, ctx: &AppCtx) -> MemberPage {
    let Some(id) = m.id else {
        return MemberPage::default();
    };
    let year = ctx.today.year();
    let transfers = ctx.db.transfers_of(id).unwrap_or_default();
    let dues: Vec<Dues> = ctx
        .db
        .dues_of_member(id)
        .unwrap_or_default()
        .into_iter()
        .filter(|d| d.year == year)
        .collect();
    let arrears = (1..=12)
        .filter(|&month| month_is_due(year, month, ctx.today))
        .filter(|&month| m.on_rolls_at(&transfers, roll_day(year, month, ctx.today)))
        .filter(|&month| !dues.iter().any(|d| d.month == month))
        .collect();
    MemberPage {
        events: ctx.db.events_of_member(id).unwrap_or_default(),
        transfers,
        year,
        dues,
        arrears,
    }
}
