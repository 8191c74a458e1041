//! The dialogs that change an item's status: 销号 (with its evidence file), 重新打开 and 作废
//! (each with a date and a reason), offered only where the item's status allows them.

use super::*;

/// The dialogs that change an item's status, each for a transition the item allows.
pub(super) enum Dialog {
    Close {
        item: Rectification,
        input: CloseInput,
        errors: FieldErrors<CloseField>,
        /// The input the errors were found in: once it changes, the errors of fields now right go.
        checked: Option<CloseInput>,
    },
    Reason {
        item: Rectification,
        transition: Transition,
        input: ReasonInput,
        errors: FieldErrors<ReasonField>,
        checked: Option<ReasonInput>,
    },
}

/// A refusal shown in a dialog: at the field it names, else at `fallback`.
pub(super) fn refused_at<Fd: FormField>(
    errors: &mut FieldErrors<Fd>,
    e: &StoreError,
    fallback: Fd,
) {
    *errors = FieldErrors::new();
    let field = e.field().and_then(Fd::from_key).unwrap_or(fallback);
    errors.push(field, e.to_string());
}

impl RectifyTab {
    /// The open dialog; returns the write its confirmation asks for.
    pub(super) fn dialog_ui(
        &mut self,
        egui_ctx: &egui::Context,
        today: NaiveDate,
    ) -> Option<Write> {
        let dialog = self.dialog.as_mut()?;
        let mut write = None;
        let mut cancel = false;
        let modal = egui::Modal::new(egui::Id::unique("rect_dialog")).show(egui_ctx, |ui| {
            ui.set_width(480.0);
            match dialog {
                Dialog::Close {
                    item,
                    input,
                    errors,
                    checked,
                } => {
                    // An error goes as soon as its field is right (none is added before 确认).
                    if !errors.is_empty() && checked.as_ref() != Some(input) {
                        *checked = Some(input.clone());
                        errors.keep_still_wrong(&input.validate(item.found_on, today));
                    }
                    close_form(ui, input, errors);
                    ui.horizontal(|ui| {
                        if ui.button(RichText::new("确认销号").strong()).clicked() {
                            match input.validate(item.found_on, today) {
                                Err(e) => {
                                    *errors = e;
                                    *checked = Some(input.clone());
                                }
                                Ok(mut closing) => {
                                    *errors = FieldErrors::new();
                                    // The store copies the file when it writes the closing.
                                    let file = (!closing.evidence_file.is_empty())
                                        .then(|| PathBuf::from(&closing.evidence_file));
                                    closing.evidence_file.clear();
                                    write = item.id.map(|id| Write::Close { id, closing, file });
                                }
                            }
                        }
                        if ui.button("取消").clicked() {
                            cancel = true;
                        }
                    });
                }
                Dialog::Reason {
                    item,
                    transition,
                    input,
                    errors,
                    checked,
                } => {
                    if !errors.is_empty() && checked.as_ref() != Some(input) {
                        *checked = Some(input.clone());
                        errors.keep_still_wrong(&input.validate(*transition, item, today));
                    }
                    reason_form(ui, *transition, input, errors);
                    ui.horizontal(|ui| {
                        let label = format!("确认{transition}");
                        if ui.button(RichText::new(label).strong()).clicked() {
                            match input.validate(*transition, item, today) {
                                Err(e) => {
                                    *errors = e;
                                    *checked = Some(input.clone());
                                }
                                Ok((date, reason)) => {
                                    *errors = FieldErrors::new();
                                    write = item.id.map(|id| match transition {
                                        Transition::Reopen => Write::Reopen { id, date, reason },
                                        _ => Write::Void { id, date, reason },
                                    });
                                }
                            }
                        }
                        if ui.button("取消").clicked() {
                            cancel = true;
                        }
                    });
                }
            }
        });
        // Typed into (anything but the date it opened with): only 取消 closes it.
        let typed = match &self.dialog {
            Some(Dialog::Close { input, .. }) => {
                *input
                    != CloseInput {
                        date: date::iso(today),
                        ..Default::default()
                    }
            }
            Some(Dialog::Reason { input, .. }) => {
                input.date != date::iso(today) || !input.reason.is_empty()
            }
            None => false,
        };
        if cancel || (write.is_none() && crate::ui::dismissed(modal.should_close(), typed)) {
            self.dialog = None;
        }
        write
    }
}

fn close_form(ui: &mut Ui, input: &mut CloseInput, errors: &FieldErrors<CloseField>) {
    ui.heading("销号");
    ui.label(RichText::new("整改完成并经验收后销号。销号后如需重新整改，须说明原因。").weak());
    egui::Grid::new("close_grid")
        .min_col_width(110.0)
        .num_columns(2)
        .spacing([12.0, 6.0])
        .show(ui, |ui| {
            row(
                ui,
                "完成日期",
                true,
                errors.get(CloseField::Date),
                |ui, lid| {
                    date_field(ui, &mut input.date, lid);
                },
            );
            row(
                ui,
                "整改成效",
                true,
                errors.get(CloseField::Evidence),
                |ui, lid| {
                    ui.add(
                        TextEdit::multiline(&mut input.evidence)
                            .desired_rows(3)
                            .desired_width(300.0)
                            .hint_text("整改结果及佐证材料"),
                    )
                    .labelled_by(lid);
                },
            );
            row(ui, "佐证附件", false, None, |ui, lid| {
                ui.horizontal(|ui| {
                    ui.add(
                        TextEdit::singleline(&mut input.evidence_file)
                            .desired_width(220.0)
                            .hint_text("文件路径（可选）"),
                    )
                    .labelled_by(lid);
                    // Only the path is taken here; the file is copied when the closing is saved.
                    if ui.button("浏览…").clicked()
                        && let Some(p) = rfd::FileDialog::new().pick_file()
                    {
                        input.evidence_file = p.display().to_string();
                    }
                });
            });
            text_row(
                ui,
                "验收人",
                true,
                errors.get(CloseField::Verifier),
                &mut input.verifier,
            );
        });
}

fn reason_form(
    ui: &mut Ui,
    transition: Transition,
    input: &mut ReasonInput,
    errors: &FieldErrors<ReasonField>,
) {
    ui.heading(transition.label());
    ui.label(
        RichText::new(if transition == Transition::Reopen {
            "已销号的问题重新打开后恢复为“整改中”，原销号情况保留在历史记录中。"
        } else {
            "作废用于登记错误的问题：不再计入统计，但记录保留，不会删除。"
        })
        .weak(),
    );
    egui::Grid::new("reason_grid")
        .min_col_width(110.0)
        .num_columns(2)
        .spacing([12.0, 6.0])
        .show(ui, |ui| {
            row(
                ui,
                "日期",
                true,
                errors.get(ReasonField::Date),
                |ui, lid| {
                    date_field(ui, &mut input.date, lid);
                },
            );
            row(
                ui,
                "原因",
                true,
                errors.get(ReasonField::Reason),
                |ui, lid| {
                    ui.add(
                        TextEdit::multiline(&mut input.reason)
                            .desired_rows(2)
                            .desired_width(300.0),
                    )
                    .labelled_by(lid);
                },
            );
        });
}
