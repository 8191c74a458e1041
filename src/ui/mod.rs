//! The egui window. Tabs hold only view state; they read and write through `store::Db`.

mod activities;
pub mod app;
pub mod fonts;
mod members;
mod orgs;
mod rectify;
mod talks;
pub mod widgets;

use chrono::NaiveDate;

use crate::store::{Db, OrgSummary};
use widgets::toasts::Toasts;

pub use app::{DangwuApp, Tab, run};

/// What a tab gets to work with during one frame.
pub struct AppCtx<'a> {
    pub db: &'a mut Db,
    /// All organisations, cached by the app and reloaded after writes.
    pub orgs: &'a [OrgSummary],
    pub toasts: &'a mut Toasts,
    pub today: NaiveDate,
}

impl AppCtx<'_> {
    /// Organisations in tree order, indented with full-width spaces, for combo boxes.
    pub fn org_options(&self) -> Vec<(i64, String)> {
        let orgs: Vec<_> = self.orgs.iter().map(|s| s.org.clone()).collect();
        crate::model::org::tree_order(&orgs)
            .into_iter()
            .filter_map(|(depth, i)| {
                Some((
                    orgs[i].id?,
                    format!("{}{}", "　".repeat(depth), orgs[i].name),
                ))
            })
            .collect()
    }

    pub fn org_name(&self, id: i64) -> &str {
        self.orgs
            .iter()
            .find(|s| s.org.id == Some(id))
            .map(|s| s.org.name.as_str())
            .unwrap_or("（未知组织）")
    }
}

/// A yes/no confirmation. Returns `Some(true)` on confirm, `Some(false)` on cancel or Escape.
pub fn confirm(
    ctx: &egui::Context,
    id: &str,
    title: &str,
    text: &str,
    confirm_label: &str,
) -> Option<bool> {
    let mut answer = None;
    let modal = egui::Modal::new(egui::Id::unique(id)).show(ctx, |ui| {
        ui.set_max_width(420.0);
        ui.heading(title);
        ui.add_space(4.0);
        ui.label(text);
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui.button(confirm_label).clicked() {
                answer = Some(true);
            }
            if ui.button("取消").clicked() {
                answer = Some(false);
            }
        });
    });
    if answer.is_none() && modal.should_close() {
        answer = Some(false);
    }
    answer
}

/// Asks before unsaved changes in a form are thrown away.
pub fn confirm_discard(ctx: &egui::Context, id: &str) -> Option<bool> {
    confirm(
        ctx,
        id,
        "放弃修改？",
        "当前表单有尚未保存的修改，继续将放弃这些修改。",
        "放弃修改",
    )
}

/// Where a tab with a form goes next. `next` is what the user asked for this frame; with unsaved
/// changes (`dirty`) it waits in `pending` until the user confirms throwing them away.
/// Returns where to go now, if anywhere.
pub fn next_after_confirm<N: Copy>(
    ctx: &egui::Context,
    id: &str,
    dirty: bool,
    next: Option<N>,
    pending: &mut Option<N>,
) -> Option<N> {
    if let Some(n) = next {
        if !dirty {
            return Some(n);
        }
        *pending = Some(n);
    }
    let n = (*pending)?;
    match confirm_discard(ctx, id) {
        Some(true) => {
            *pending = None;
            Some(n)
        }
        Some(false) => {
            *pending = None;
            None
        }
        None => None,
    }
}
