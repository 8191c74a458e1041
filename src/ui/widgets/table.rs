//! The list of records every tab shows beside its form.

use egui::{Align, Layout, Sense, Ui};
use egui_extras::TableBuilder;

/// A striped table whose rows are clicked to open a record, scrolling sideways when the form beside
/// it leaves too little room. `add` gives it its columns, header and rows.
pub fn record_table<R>(ui: &mut Ui, id_salt: &str, add: impl FnOnce(TableBuilder<'_>) -> R) -> R {
    egui::ScrollArea::horizontal()
        .id_salt((id_salt, "sideways"))
        .show(ui, |ui| {
            // Plain text cells: a selectable label would take the click meant for its row.
            ui.style_mut().interaction.selectable_labels = false;
            add(TableBuilder::new(ui)
                .id_salt(id_salt)
                .striped(true)
                .sense(Sense::click())
                .cell_layout(Layout::left_to_right(Align::Center)))
        })
        .inner
}
