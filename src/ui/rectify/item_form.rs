//! The form of one item: what the problem is (the draft), its status buttons, progress notes and
//! history.

use super::*;

impl Editable for RectInput {
    type Field = F;
    type Loaded = Rectification;

    fn blank(ctx: &AppCtx) -> Self {
        RectInput {
            found_on: date::iso(ctx.today),
            org_id: ctx.orgs.first_id(),
            ..Default::default()
        }
    }

    fn load(ctx: &AppCtx, id: i64) -> Result<(Rectification, Self), StoreError> {
        let item = ctx.db.rectification(id)?;
        let input = item.to_input();
        Ok((item, input))
    }

    /// What the problem is; its status stays as loaded (it changes through the dialogs).
    fn write(&self, loaded: Option<&Rectification>, ctx: &AppCtx) -> Result<Write, FieldErrors<F>> {
        let item = self.validate(ctx.today, loaded)?;
        Ok(Write::Rectification(
            Box::new(item),
            loaded.cloned().map(Box::new),
        ))
    }

    fn is_save(write: &Write) -> bool {
        matches!(write, Write::Rectification(..))
    }

    fn saved(_: &Write) -> String {
        "已保存问题".into()
    }

    fn cannot_open(e: &StoreError) -> String {
        format!("无法打开该问题：{e}")
    }
}

/// The form of one item, its status buttons (those its status allows), progress notes and history.
/// Returns the save bar's action, and a progress note to write.
pub(super) fn editor_ui(
    ui: &mut Ui,
    editor: &mut Editor<RectInput>,
    item: &mut ItemState,
    ctx: &AppCtx,
    dialog: &mut Option<Dialog>,
) -> (Option<FormAction>, Option<Write>) {
    let current = editor.loaded().cloned();
    let title = match &current {
        None => "登记问题".to_string(),
        Some(c) => format!("问题（{}）", c.status),
    };
    let action = editor.save_bar(ui, &title);
    let mut write = None;
    let Some(form) = editor.form_mut() else {
        return (action, None);
    };
    let errors = &form.errors;
    let input = &mut form.draft;
    egui::ScrollArea::vertical()
        .id_salt(("rect_form_scroll", input.id))
        .show(ui, |ui| {
            egui::Grid::new("rect_grid")
                .min_col_width(form::LABEL_WIDTH)
                .num_columns(2)
                .spacing([12.0, 6.0])
                .show(ui, |ui| {
                    let sources: Vec<(Source, String)> = Source::ALL
                        .iter()
                        .map(|s| (*s, s.label().to_string()))
                        .collect();
                    choice_row(
                        ui,
                        "问题来源",
                        true,
                        errors.get(F::Source),
                        &mut input.source,
                        &sources,
                        None,
                    );
                    choice_row(
                        ui,
                        "所属组织",
                        false,
                        None,
                        &mut input.org_id,
                        ctx.org_options(),
                        None,
                    );
                    row(
                        ui,
                        "发现日期",
                        true,
                        errors.get(F::FoundOn),
                        |ui, id| {
                            date_field(ui, &mut input.found_on, id);
                        },
                    );
                    row(
                        ui,
                        "问题描述",
                        true,
                        errors.get(F::Description),
                        |ui, id| {
                            ui.add(
                                TextEdit::multiline(&mut input.description)
                                    .desired_rows(3)
                                    .desired_width(320.0),
                            )
                            .labelled_by(id);
                        },
                    );
                    text_row(ui, "问题类别", false, None, &mut input.category);
                    text_row(ui, "责任单位", false, None, &mut input.unit);
                    text_row(ui, "责任人", false, None, &mut input.person);
                    row(ui, "整改措施", false, None, |ui, id| {
                        ui.add(
                            TextEdit::multiline(&mut input.measures)
                                .desired_rows(3)
                                .desired_width(320.0),
                        )
                        .labelled_by(id);
                    });
                    row(
                        ui,
                        "整改时限",
                        false,
                        errors.get(F::Deadline),
                        |ui, id| {
                            date_field(ui, &mut input.deadline, id);
                        },
                    );
                });
            let Some(current) = current else {
                return;
            };
            let Some(id) = current.id else { return };
            ui.add_space(8.0);
            if current.is_overdue(ctx.today) {
                ui.label(
                    RichText::new("！已超过整改时限，尚未销号")
                        .color(form::ERROR)
                        .strong(),
                );
            }
            if current.status == RectStatus::Closed {
                ui.label(format!(
                    "已于{}销号，验收人：{}。整改成效：{}",
                    current.closed_on.map(date::chinese).unwrap_or_default(),
                    current.verifier,
                    current.evidence
                ));
                evidence_ui(
                    ui,
                    &current.evidence_file,
                    ctx.db.attachments_dir().as_deref(),
                );
            }
            if current.status == RectStatus::Void {
                ui.label(RichText::new("此问题已作废，记录保留备查。").weak());
            }
            // Only what the item's status allows is offered (model::rectify::RectStatus::allows).
            ui.horizontal(|ui| {
                for t in current.status.transitions() {
                    let clicked = match t {
                        Transition::Progress => false,
                        Transition::Close => ui.button(RichText::new("销号…").strong()).clicked(),
                        _ => ui.button(format!("{t}…")).clicked(),
                    };
                    if !clicked {
                        continue;
                    }
                    let today = date::iso(ctx.today);
                    *dialog = Some(match t {
                        Transition::Close => Dialog::Close {
                            item: current.clone(),
                            input: CloseInput {
                                date: today,
                                ..Default::default()
                            },
                            errors: FieldErrors::new(),
                            checked: None,
                        },
                        _ => Dialog::Reason {
                            item: current.clone(),
                            transition: t,
                            input: ReasonInput {
                                date: today,
                                reason: String::new(),
                            },
                            errors: FieldErrors::new(),
                            checked: None,
                        },
                    });
                }
            });
            if current.status.allows(Transition::Progress) {
                ui.add_space(8.0);
                ui.strong("整改进展");
                ui.horizontal(|ui| {
                    let label = ui.label("日期");
                    date_field(ui, &mut item.progress_date, label.id);
                });
                ui.horizontal(|ui| {
                    let label = ui.label("进展情况");
                    ui.add(TextEdit::singleline(&mut item.progress_text).desired_width(260.0))
                        .labelled_by(label.id);
                    if ui.button("添加进展").clicked() {
                        match (parse_date(&item.progress_date), item.progress_text.trim()) {
                            (_, "") => item.progress_error = Some("请填写进展情况".into()),
                            (Err(e), _) => item.progress_error = Some(format!("日期：{e}")),
                            (Ok(d), _) if d > ctx.today => {
                                item.progress_error = Some("进展日期不能晚于今天".into())
                            }
                            (Ok(d), text) => {
                                item.progress_error = None;
                                write = Some(Write::Progress {
                                    id,
                                    date: d,
                                    text: text.to_string(),
                                });
                            }
                        }
                    }
                });
                if let Some(e) = &item.progress_error {
                    ui.label(RichText::new(e).color(form::ERROR));
                }
            }
            ui.add_space(8.0);
            ui.strong("历史记录");
            egui::Grid::new("rect_history")
                .striped(true)
                .num_columns(3)
                .show(ui, |ui| {
                    for e in &item.history {
                        ui.label(date::iso(e.date));
                        ui.label(e.kind.label());
                        ui.label(&e.text);
                        ui.end_row();
                    }
                });
        });
    (action, write)
}

/// The evidence file kept with a closed item: its name, and buttons that open it or the folder it
/// is kept in (opening is no write). Says so in Chinese when the system cannot.
fn evidence_ui(ui: &mut Ui, stored: &str, dir: Option<&std::path::Path>) {
    if stored.is_empty() {
        ui.label(RichText::new("佐证材料：未附文件").weak());
        return;
    }
    let Some(dir) = dir else { return };
    let path = dir.join(stored);
    let failed_id = ui.scope_id().with(("evidence_failed", stored));
    ui.horizontal_wrapped(|ui| {
        ui.label(format!("佐证材料：{stored}"));
        if ui.button("打开").clicked() && open::that(&path).is_err() {
            ui.data_mut(|d| d.insert_temp(failed_id, true));
        }
        if ui.button("打开所在文件夹").clicked() && open::that(dir).is_err() {
            ui.data_mut(|d| d.insert_temp(failed_id, true));
        }
    });
    if !path.exists() {
        ui.label(RichText::new(format!("找不到该文件：{}", path.display())).color(form::ERROR));
    } else if ui.data(|d| d.get_temp::<bool>(failed_id)).unwrap_or(false) {
        ui.label(
            RichText::new(format!(
                "无法自动打开，请在文件夹“{}”中找到“{stored}”",
                dir.display()
            ))
            .color(form::WARNING),
        );
    }
}
