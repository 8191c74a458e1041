//! A date field: type `2022-3-5`, `2022年3月5日`, `2022.3.5` or `20220305`, or pick a day from a
//! calendar with Chinese month and weekday names. It edits the form's text, so what was typed is
//! kept even when it is not (yet) a date; the form validates it on 保存.

use chrono::{Datelike, Local, NaiveDate};
use egui::{Id, Popup, PopupCloseBehavior, Response, RichText, TextEdit, Ui};

use crate::model::date::{self, WEEKDAYS, parse_date};

/// The month the calendar shows, kept in egui's memory while the popup is open.
#[derive(Clone, Copy)]
struct Shown {
    year: i32,
    month: u32,
}

/// Shows the field; `label_id` is the id of the label naming it (for screen readers and tests).
pub fn date_field(ui: &mut Ui, text: &mut String, label_id: Id) -> Response {
    ui.horizontal(|ui| {
        let edit = ui
            .add(
                TextEdit::singleline(text)
                    .desired_width(120.0)
                    .hint_text("年-月-日"),
            )
            .labelled_by(label_id);
        let button = ui
            .button("日历")
            .on_hover_text("从日历中选择")
            .accessible_name("选择日期");
        let shown_id = edit.id.with("shown");
        let opened = button.clicked();
        if opened {
            let start = parse_date(text).unwrap_or_else(|_| Local::now().date_naive());
            ui.data_mut(|d| {
                d.insert_temp(
                    shown_id,
                    Shown {
                        year: start.year(),
                        month: start.month(),
                    },
                )
            });
        }
        let mut changed = false;
        Popup::from_toggle_button_response(&button)
            .close_behavior(PopupCloseBehavior::CloseOnClickOutside)
            .show(|ui| {
                if calendar(ui, text, shown_id) {
                    changed = true;
                    ui.close();
                }
            });
        if let Ok(d) = parse_date(text) {
            // Once the user leaves the field, show what was understood in the one stored form.
            if edit.lost_focus() {
                *text = date::iso(d);
            }
            let weekday = WEEKDAYS[d.weekday().num_days_from_monday() as usize];
            ui.label(RichText::new(format!("周{weekday}")).weak())
                .on_hover_text(date::chinese(d));
        }
        let mut edit = edit;
        if changed {
            edit.mark_changed();
        }
        edit
    })
    .inner
}

/// The calendar popup. Returns true when a day was chosen (or the field cleared).
fn calendar(ui: &mut Ui, text: &mut String, shown_id: Id) -> bool {
    let today = Local::now().date_naive();
    let selected = parse_date(text).ok();
    let mut shown = ui.data(|d| d.get_temp::<Shown>(shown_id)).unwrap_or(Shown {
        year: today.year(),
        month: today.month(),
    });
    let mut picked = false;
    ui.set_min_width(260.0);
    ui.horizontal(|ui| {
        if ui.button("上月").clicked() {
            (shown.year, shown.month) = if shown.month == 1 {
                (shown.year - 1, 12)
            } else {
                (shown.year, shown.month - 1)
            };
        }
        egui::ComboBox::from_id_salt(shown_id.with("year"))
            .selected_text(format!("{}年", shown.year))
            .width(80.0)
            .show_ui(ui, |ui| {
                for y in (1920..=today.year() + 1).rev() {
                    ui.selectable_value(&mut shown.year, y, format!("{y}年"));
                }
            });
        egui::ComboBox::from_id_salt(shown_id.with("month"))
            .selected_text(format!("{}月", shown.month))
            .width(60.0)
            .show_ui(ui, |ui| {
                for m in 1..=12 {
                    ui.selectable_value(&mut shown.month, m, format!("{m}月"));
                }
            });
        if ui.button("下月").clicked() {
            (shown.year, shown.month) = if shown.month == 12 {
                (shown.year + 1, 1)
            } else {
                (shown.year, shown.month + 1)
            };
        }
    });
    let first = NaiveDate::from_ymd_opt(shown.year, shown.month, 1).unwrap_or(today);
    let offset = first.weekday().num_days_from_monday() as i64;
    egui::Grid::new(shown_id.with("days"))
        .spacing([2.0, 2.0])
        .show(ui, |ui| {
            for w in WEEKDAYS {
                ui.label(RichText::new(w).strong());
            }
            ui.end_row();
            for cell in 0..42 {
                let day = first + chrono::Duration::days(cell - offset);
                if day.month() == shown.month {
                    let mut label = RichText::new(format!("{:>2}", day.day()));
                    if day == today {
                        label = label.underline().strong();
                    }
                    let button = egui::Button::selectable(Some(day) == selected, label)
                        .min_size(egui::vec2(32.0, 26.0));
                    if ui.add(button).on_hover_text(date::chinese(day)).clicked() {
                        *text = date::iso(day);
                        picked = true;
                    }
                } else {
                    ui.label("");
                }
                if cell % 7 == 6 {
                    ui.end_row();
                }
            }
        });
    ui.horizontal(|ui| {
        if ui.button("今天").clicked() {
            *text = date::iso(today);
            picked = true;
        }
        if ui.button("清空").clicked() {
            text.clear();
            picked = true;
        }
    });
    ui.data_mut(|d| d.insert_temp(shown_id, shown));
    picked
}
