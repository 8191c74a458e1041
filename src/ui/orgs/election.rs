//! The 换届选举 dialog of the 组织 tab: the date, the voters and the people elected. Saving it is a
//! write the app applies; when it is the organisation's latest election the committee and the
//! term follow (`Db::save_election`).

use egui::{Id, RichText, TextEdit, Ui};

use super::committee::committee_ui;
use crate::model::FieldErrors;
use crate::model::date;
use crate::model::election::{Election, ElectionField as F, ElectionInput};
use crate::model::org::{CommitteeInput, CommitteeRole};
use crate::store::StoreError;
use crate::ui::action::Write;
use crate::ui::widgets::date_field::date_field;
use crate::ui::widgets::form::{self, row};

pub struct ElectionDialog {
    input: ElectionInput,
    /// The form as it opened: typed changes keep it open on Escape.
    opened: ElectionInput,
    loaded: Option<Election>,
    errors: FieldErrors<F>,
    refusal: Option<String>,
    /// Waiting for the app to apply the write.
    pub sent: bool,
}

pub enum DialogEvent {
    Save(Write),
    Close,
}

impl ElectionDialog {
    /// A new election of `org_id`, proposing the committee as it is now.
    pub fn new(org_id: i64, current: Vec<CommitteeInput>) -> Self {
        let elected = current
            .into_iter()
            .map(|c| CommitteeInput {
                id: None,
                uid: String::new(),
                appointed: String::new(),
                ..c
            })
            .collect();
        Self::with(
            ElectionInput {
                org_id: Some(org_id),
                elected,
                ..Default::default()
            },
            None,
        )
    }

    pub fn edit(e: Election) -> Self {
        Self::with(e.to_input(), Some(e))
    }

    fn with(input: ElectionInput, loaded: Option<Election>) -> Self {
        Self {
            opened: input.clone(),
            input,
            loaded,
            errors: FieldErrors::new(),
            refusal: None,
            sent: false,
        }
    }

    pub fn refused(&mut self, e: &StoreError) {
        self.sent = false;
        self.refusal = Some(format!("{e}。未保存。"));
    }

    pub fn show(
        &mut self,
        ctx: &egui::Context,
        org_name: &str,
        candidates: &[(i64, String)],
        today: chrono::NaiveDate,
    ) -> Option<DialogEvent> {
        let mut event = None;
        let title = if self.loaded.is_some() {
            format!("换届选举：{org_name}")
        } else {
            format!("登记换届选举：{org_name}")
        };
        let modal = egui::Modal::new(Id::unique("election_dialog")).show(ctx, |ui| {
            ui.set_width(720.0);
            ui.heading(&title);
            ui.label(
                RichText::new(
                    "登记后，本次选举产生的委员会成为本组织当前的委员会，本届任期从选举日期起算（换届提醒随之更新）。",
                )
                .weak(),
            );
            ui.add_space(6.0);
            egui::ScrollArea::vertical()
                .max_height(440.0)
                .id_salt("election_scroll")
                .show(ui, |ui| self.fields(ui, candidates));
            if let Some(m) = &self.refusal {
                ui.label(RichText::new(m).color(form::ERROR));
            }
            ui.horizontal(|ui| {
                let save = ui.add_enabled(!self.sent, egui::Button::new(RichText::new("保存").strong()));
                if save.clicked() {
                    match self.input.validate(today) {
                        Ok(e) => {
                            self.errors = FieldErrors::new();
                            self.refusal = None;
                            self.sent = true;
                            event = Some(DialogEvent::Save(Write::Election(
                                Box::new(e),
                                self.loaded.clone().map(Box::new),
                            )));
                        }
                        Err(errors) => {
                            self.refusal = Some(format!("有{}处需要修改，见红字。", errors.len()));
                            self.errors = errors;
                        }
                    }
                }
                if ui.button("取消").clicked() {
                    event = Some(DialogEvent::Close);
                }
            });
        });
        let typed = self.input != self.opened;
        if event.is_none() && crate::ui::dismissed(modal.should_close(), typed) && !self.sent {
            event = Some(DialogEvent::Close);
        }
        event
    }

    fn fields(&mut self, ui: &mut Ui, candidates: &[(i64, String)]) {
        let (input, errors) = (&mut self.input, &self.errors);
        egui::Grid::new("election_form")
            .min_col_width(form::LABEL_WIDTH)
            .num_columns(2)
            .spacing([12.0, 6.0])
            .show(ui, |ui| {
                row(ui, "选举日期", true, errors.get(F::Held), |ui, id| {
                    date_field(ui, &mut input.held, id);
                });
                let count = |ui: &mut Ui, text: &mut String, id: Id| {
                    ui.add(TextEdit::singleline(text).desired_width(60.0))
                        .labelled_by(id);
                };
                row(
                    ui,
                    "应到人数",
                    false,
                    errors.get(F::VotersExpected),
                    |ui, id| count(ui, &mut input.voters_expected, id),
                );
                row(
                    ui,
                    "实到人数",
                    false,
                    errors.get(F::VotersPresent),
                    |ui, id| count(ui, &mut input.voters_present, id),
                );
                row(ui, "备注", false, errors.get(F::Note), |ui, id| {
                    ui.add(TextEdit::singleline(&mut input.note).desired_width(320.0))
                        .labelled_by(id);
                });
            });
        ui.add_space(8.0);
        ui.strong("当选人员");
        if let Some(e) = errors.get(F::Elected) {
            ui.label(RichText::new(e).color(form::ERROR));
        }
        committee_ui(
            ui,
            "elected",
            &mut input.elected,
            |i| errors.get(F::ElectedRow(i)),
            candidates,
            false,
        );
    }
}

/// One line of an organisation's elections: 2023年3月1日 选举书记王珺，副书记1名、委员3名.
pub fn describe(e: &Election) -> String {
    let (_, deputies, members) = crate::model::election::role_counts(&e.elected);
    let secretary = e
        .elected
        .iter()
        .find(|m| m.role == CommitteeRole::Secretary)
        .map(|m| format!("书记{}", m.name));
    let mut parts: Vec<String> = secretary.into_iter().collect();
    if deputies > 0 {
        parts.push(format!("副书记{deputies}名"));
    }
    if members > 0 {
        parts.push(format!("委员{members}名"));
    }
    let voters = match (e.voters_expected, e.voters_present) {
        (Some(x), Some(p)) => format!("（应到{x}人，实到{p}人）"),
        _ => String::new(),
    };
    format!("{} 选举{}{voters}", date::chinese(e.held), parts.join("，"))
}
