//! One dialog for the lists users may rename, hide and extend: activity types and talk kinds.
//! Rows are edited in place and new rows added below; 保存 sends every changed row in one write
//! (all or none), and a refused row is named in the dialog.

use egui::{Id, RichText, Ui};

use super::form::ERROR;
use crate::model::FieldKey;
use crate::store::StoreError;

/// A row of such a list.
pub trait SettingRow: Clone + PartialEq {
    /// The column headers, in order.
    const HEADERS: &'static [&'static str];

    /// A new, empty row, as 添加 appends it.
    fn blank() -> Self;

    /// The row's cells, one per header; `headers` are the header labels' ids, to name each field.
    fn cells(&mut self, ui: &mut Ui, index: usize, headers: &[Id]);
}

pub enum SettingsEvent<R> {
    /// Save these rows (changed or new) in one transaction.
    Save(Vec<R>),
    Close,
}

pub struct SettingsDialog<R> {
    title: &'static str,
    note: &'static str,
    rows: Vec<R>,
    original: Vec<R>,
    /// Indexes into `rows` of what the last 保存 sent, so a refusal naming row i of the write can be
    /// shown at the row the user sees.
    sent: Vec<usize>,
    message: Option<String>,
    bad_row: Option<usize>,
}

impl<R: SettingRow> SettingsDialog<R> {
    pub fn new(title: &'static str, note: &'static str, rows: Vec<R>) -> Self {
        Self {
            title,
            note,
            original: rows.clone(),
            rows,
            sent: Vec::new(),
            message: None,
            bad_row: None,
        }
    }

    /// The write was refused, naming a row of what was sent or none: say which row, keep
    /// everything as typed.
    pub fn refused(&mut self, error: &StoreError) {
        let written = match error.field() {
            Some(FieldKey::Row(i)) => Some(i),
            _ => None,
        };
        let message = error.to_string();
        self.bad_row = written.and_then(|i| self.sent.get(i).copied());
        self.message = Some(match self.bad_row {
            Some(i) => format!("第{}行：{message}。未保存任何修改。", i + 1),
            None => format!("{message}。未保存任何修改。"),
        });
    }

    pub fn show(&mut self, ctx: &egui::Context) -> Option<SettingsEvent<R>> {
        let mut event = None;
        let modal = egui::Modal::new(Id::unique(self.title)).show(ctx, |ui| {
            ui.set_width(780.0);
            ui.heading(self.title);
            ui.label(RichText::new(self.note).weak());
            egui::ScrollArea::vertical()
                .max_height(420.0)
                .id_salt(("settings_scroll", self.title))
                .show(ui, |ui| self.grid(ui));
            if ui.button("＋ 添加一行").clicked() {
                self.rows.push(R::blank());
            }
            if let Some(m) = &self.message {
                ui.label(RichText::new(m).color(ERROR));
            }
            ui.horizontal(|ui| {
                if ui.button(RichText::new("保存").strong()).clicked() {
                    event = Some(self.changes());
                }
                if ui.button("关闭").clicked() {
                    event = Some(SettingsEvent::Close);
                }
            });
        });
        let typed = self.rows != self.original;
        if event.is_none() && crate::ui::dismissed(modal.should_close(), typed) {
            event = Some(SettingsEvent::Close);
        }
        event
    }

    fn grid(&mut self, ui: &mut Ui) {
        egui::Grid::new(("settings_grid", self.title))
            .striped(true)
            .num_columns(R::HEADERS.len() + 1)
            .show(ui, |ui| {
                ui.label("");
                let headers: Vec<Id> = R::HEADERS.iter().map(|h| ui.strong(*h).id).collect();
                ui.end_row();
                for (i, row) in self.rows.iter_mut().enumerate() {
                    let number = format!("{}", i + 1);
                    if self.bad_row == Some(i) {
                        ui.label(RichText::new(format!("！{number}")).color(ERROR).strong());
                    } else {
                        ui.label(RichText::new(number).weak());
                    }
                    row.cells(ui, i, &headers);
                    ui.end_row();
                }
            });
    }

    /// The rows that differ from what was loaded, and the new ones; nothing when nothing changed.
    fn changes(&mut self) -> SettingsEvent<R> {
        self.sent = self
            .rows
            .iter()
            .enumerate()
            .filter(|(i, r)| self.original.get(*i) != Some(r))
            .map(|(i, _)| i)
            .collect();
        if self.sent.is_empty() {
            return SettingsEvent::Close;
        }
        SettingsEvent::Save(self.sent.iter().map(|&i| self.rows[i].clone()).collect())
    }
}
