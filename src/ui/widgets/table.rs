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

/// A column as wide as `widest` (the longest thing it shows, such as 状态's "未整改（逾期）") in the
/// body font: a cell wider than its column would push the rest of its row out of line.
pub fn fitting(ui: &Ui, widest: &str) -> egui_extras::Column {
    let font = egui::TextStyle::Body.resolve(ui.style());
    let text = ui.fonts_mut(|f| {
        f.layout_no_wrap(widest.to_string(), font, egui::Color32::WHITE)
            .size()
            .x
    });
    egui_extras::Column::initial(text + 2.0 * ui.spacing().item_spacing.x + 4.0)
}

/// Which column a list is sorted by, and which way. Kept between runs with the window's other
/// settings (egui's persisted memory), by the list's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Sort<K> {
    pub key: K,
    pub ascending: bool,
}

impl<K: Copy + PartialEq> Sort<K> {
    /// A header that sorts: its label, with ▲ or ▼ when the list is sorted by it. Clicked, the
    /// list sorts by it (a second click turns the order round). Whether the sort changed.
    pub fn header(&mut self, ui: &mut Ui, label: &str, key: K) -> bool {
        let arrow = match (self.key == key, self.ascending) {
            (true, true) => " ▲",
            (true, false) => " ▼",
            _ => "",
        };
        let clicked = ui
            .add(
                egui::Button::new(egui::RichText::new(format!("{label}{arrow}")).strong())
                    .frame(false),
            )
            .on_hover_text("点击排序")
            .clicked();
        if clicked {
            if self.key == key {
                self.ascending = !self.ascending;
            } else {
                *self = Sort {
                    key,
                    ascending: true,
                };
            }
        }
        clicked
    }

    /// The sort the user last chose for the list `name` (the last session's too), or `self`.
    pub fn remembered(self, ctx: &egui::Context, name: &str) -> Self
    where
        K: serde::Serialize + serde::de::DeserializeOwned + Send + Sync + 'static,
    {
        ctx.data_mut(|d| d.get_persisted(egui::Id::unique(("sort", name))))
            .unwrap_or(self)
    }

    /// Keeps this sort as the list `name`'s.
    pub fn remember(self, ctx: &egui::Context, name: &str)
    where
        K: serde::Serialize + serde::de::DeserializeOwned + Send + Sync + 'static,
    {
        ctx.data_mut(|d| d.insert_persisted(egui::Id::unique(("sort", name)), self));
    }

    /// `order` as this sort wants it.
    pub fn apply(&self, order: std::cmp::Ordering) -> std::cmp::Ordering {
        if self.ascending {
            order
        } else {
            order.reverse()
        }
    }
}
