//! The attendance list of a meeting: the members on the organisation's roll that day, each present,
//! on leave (with a reason) or absent; 应到 and 实到 follow. Without a roll, head-counts are typed.

use std::collections::HashMap;

use egui::{RichText, TextEdit, Ui};

use super::form::{self, ERROR, row};
use crate::model::FieldErrors;
use crate::model::activity::{ActivityField as F, ActivityInput, Attendance, Presence, counts};
use crate::model::collate::pinyin_key;

/// Replaces the list with `roll` (id, name), keeping what was marked for members still on it;
/// everyone new is marked present.
pub fn merge_roll(list: &mut Vec<Attendance>, roll: Vec<(i64, String)>) {
    let old: HashMap<i64, Attendance> = list.drain(..).map(|a| (a.member_id, a)).collect();
    *list = roll
        .into_iter()
        .map(|(member_id, name)| {
            old.get(&member_id).cloned().unwrap_or(Attendance {
                member_id,
                name,
                presence: Presence::Present,
                reason: String::new(),
            })
        })
        .collect();
    sort_by_name(list);
}

/// Attendance lists read in pinyin order, as a sign-in sheet would.
pub fn sort_by_name(list: &mut [Attendance]) {
    list.sort_by_cached_key(|a| pinyin_key(&a.name));
}

pub fn attendance_ui(ui: &mut Ui, input: &mut ActivityInput, errors: &FieldErrors<F>) {
    ui.strong("出席情况");
    if input.attendance.is_empty() {
        ui.label(RichText::new("该组织在此日期没有在册党员名单，可直接填写人数。").weak());
        egui::Grid::new("headcount")
            .min_col_width(form::LABEL_WIDTH)
            .num_columns(2)
            .show(ui, |ui| {
                for (label, field, text) in [
                    ("应到人数", F::Expected, &mut input.expected),
                    ("实到人数", F::Present, &mut input.present),
                ] {
                    row(ui, label, false, errors.get(field), |ui, id| {
                        ui.add(TextEdit::singleline(text).desired_width(60.0))
                            .labelled_by(id);
                    });
                }
            });
        return;
    }
    let (expected, present) = counts(&input.attendance);
    ui.horizontal(|ui| {
        ui.label(format!("应到 {expected} 人，实到 {present} 人"));
        if ui.button("全部出席").clicked() {
            for a in &mut input.attendance {
                a.presence = Presence::Present;
                a.reason.clear();
            }
        }
    });
    let options: Vec<(Presence, String)> = Presence::ALL
        .iter()
        .map(|p| (*p, p.label().to_string()))
        .collect();
    // Two people to a row: a branch of 35 is 18 rows, not 35.
    let per_row = if ui.available_width() > 520.0 { 2 } else { 1 };
    egui::Grid::new("attendance")
        .striped(true)
        .num_columns(2 * per_row)
        .spacing([10.0, 4.0])
        .show(ui, |ui| {
            for (i, a) in input.attendance.iter_mut().enumerate() {
                let name = ui.label(&a.name);
                ui.vertical(|ui| {
                    let mut p = Some(a.presence);
                    form::choice(
                        ui,
                        &format!("presence_{}", a.member_id),
                        name.id,
                        &mut p,
                        &options,
                        None,
                        80.0,
                    );
                    a.presence = p.unwrap_or(Presence::Present);
                    if a.presence != Presence::Present {
                        ui.add(
                            TextEdit::singleline(&mut a.reason)
                                .desired_width(150.0)
                                .hint_text("事由"),
                        )
                        .labelled_by(name.id);
                        if let Some(e) = errors.get(F::Attendance(i)) {
                            ui.label(RichText::new(e).color(ERROR));
                        }
                    }
                });
                if (i + 1) % per_row == 0 {
                    ui.end_row();
                }
            }
        });
}
