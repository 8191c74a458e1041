//! Form rows: a label, the field, and the field's error right under it.

use egui::{Color32, Id, RichText, TextEdit, Ui};

pub const ERROR: Color32 = Color32::from_rgb(0xC0, 0x1C, 0x1C);
pub const WARNING: Color32 = Color32::from_rgb(0xA8, 0x60, 0x00);

/// The label column of every form, so the fields of a form's sections line up.
pub const LABEL_WIDTH: f32 = 136.0;

/// One row of a two-column `Grid`: the label (with a red * when required) and whatever `add` shows,
/// with `error` in red under it. `add` gets the label's id, to name its field with `labelled_by`.
pub fn row<R>(
    ui: &mut Ui,
    label: &str,
    required: bool,
    error: Option<&str>,
    add: impl FnOnce(&mut Ui, Id) -> R,
) -> R {
    let label_id = ui
        .horizontal(|ui| {
            let response = ui.label(label);
            if required {
                ui.label(RichText::new("*").color(ERROR))
                    .on_hover_text("必填");
            }
            response.id
        })
        .inner;
    let out = ui
        .vertical(|ui| {
            let out = add(ui, label_id);
            if let Some(message) = error {
                ui.label(RichText::new(message).color(ERROR));
            }
            out
        })
        .inner;
    ui.end_row();
    out
}

/// A labelled single-line text field row.
pub fn text_row(ui: &mut Ui, label: &str, required: bool, error: Option<&str>, text: &mut String) {
    row(ui, label, required, error, |ui, label_id| {
        ui.add(TextEdit::singleline(text).desired_width(220.0))
            .labelled_by(label_id);
    });
}

/// A combo box row choosing one of `options` (or none, shown as `none_label`).
pub fn choice_row<T: Copy + PartialEq>(
    ui: &mut Ui,
    label: &str,
    required: bool,
    error: Option<&str>,
    value: &mut Option<T>,
    options: &[(T, String)],
    none_label: Option<&str>,
) {
    row(ui, label, required, error, |ui, label_id| {
        choice(ui, label, label_id, value, options, none_label, 220.0);
    });
}

/// A combo box choosing one of `options`; `none_label` offers "none" as the first entry.
pub fn choice<T: Copy + PartialEq>(
    ui: &mut Ui,
    id_salt: &str,
    label_id: Id,
    value: &mut Option<T>,
    options: &[(T, String)],
    none_label: Option<&str>,
    width: f32,
) -> egui::Response {
    let selected = value
        .and_then(|v| options.iter().find(|(o, _)| *o == v))
        .map(|(_, text)| text.trim_start().to_string())
        .unwrap_or_else(|| none_label.unwrap_or("请选择").to_string());
    let inner = egui::ComboBox::from_id_salt(id_salt)
        .selected_text(selected)
        .width(width)
        .height(400.0)
        .show_ui(ui, |ui| {
            if let Some(none) = none_label {
                ui.selectable_value(value, None, none);
            }
            for (option, text) in options {
                ui.selectable_value(value, Some(*option), text);
            }
        });
    inner.response.labelled_by(label_id)
}

/// In a wrapping toolbar, starts a new row unless `width` more fits on this one: a label and its
/// field are laid out together and must not be cut at the window's edge.
fn keep_together(ui: &mut Ui, width: f32) {
    if ui.available_size_before_wrap().x < width {
        ui.end_row();
    }
}

/// A list's filter in its toolbar: the label and its drop-down (`any` is the unfiltered choice,
/// such as 全部组织), moved to the next row together when they do not fit (at 1024 px a label
/// must not end a row with its field on the next).
pub fn filter_choice<T: Copy + PartialEq>(
    ui: &mut Ui,
    label: &str,
    id_salt: &str,
    value: &mut Option<T>,
    options: &[(T, String)],
    any: &str,
    width: f32,
) {
    keep_together(ui, 200.0);
    ui.horizontal(|ui| {
        let label = ui.label(label);
        choice(ui, id_salt, label.id, value, options, Some(any), width);
    });
}

/// A list's search field in its toolbar, with its label, kept together as `filter_choice` is.
pub fn filter_text(ui: &mut Ui, label: &str, text: &mut String, hint: &str, width: f32) {
    keep_together(ui, (width + 80.0).max(200.0));
    ui.horizontal(|ui| {
        let label = ui.label(label);
        ui.add(
            egui::TextEdit::singleline(text)
                .hint_text(hint)
                .desired_width(width),
        )
        .labelled_by(label.id);
    });
}
