//! The egui window. Tabs hold only view state; they read and write through `store::Db`.

mod activities;
pub mod app;
pub mod fonts;
mod members;
mod orgs;
mod rectify;
mod talks;
pub mod widgets;

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::model::org::{Org, tree_order, with_descendants};
use crate::store::{Db, OrgSummary};
use widgets::toasts::Toasts;

pub use app::{DangwuApp, Tab, run};

/// The organisations as the tabs need them, derived once each time the database changes rather
/// than every frame.
#[derive(Default)]
pub struct OrgCatalog {
    /// As the store returns them, with their members on the rolls.
    pub summaries: Vec<OrgSummary>,
    /// The same organisations (for the model's tree functions).
    pub list: Vec<Org>,
    /// (depth, index into `list`) in tree order.
    pub tree: Vec<(usize, usize)>,
    /// In tree order, indented with full-width spaces, for combo boxes.
    pub options: Vec<(i64, String)>,
    /// Members on the rolls of each organisation and all those under it.
    pub subtree_on_rolls: HashMap<i64, i64>,
    names: HashMap<i64, String>,
}

impl OrgCatalog {
    pub fn new(summaries: Vec<OrgSummary>) -> Self {
        let list: Vec<Org> = summaries.iter().map(|s| s.org.clone()).collect();
        let tree = tree_order(&list);
        let options = tree
            .iter()
            .filter_map(|&(depth, i)| {
                Some((
                    list[i].id?,
                    format!("{}{}", "　".repeat(depth), list[i].name),
                ))
            })
            .collect();
        let direct: HashMap<i64, i64> = summaries
            .iter()
            .filter_map(|s| Some((s.org.id?, s.members_on_rolls)))
            .collect();
        let subtree_on_rolls = list
            .iter()
            .filter_map(|o| o.id)
            .map(|id| {
                (
                    id,
                    with_descendants(&list, id)
                        .iter()
                        .filter_map(|x| direct.get(x))
                        .sum(),
                )
            })
            .collect();
        let names = list
            .iter()
            .filter_map(|o| Some((o.id?, o.name.clone())))
            .collect();
        Self {
            summaries,
            list,
            tree,
            options,
            subtree_on_rolls,
            names,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The first organisation, the default for a new record.
    pub fn first_id(&self) -> Option<i64> {
        self.options.first().map(|(id, _)| *id)
    }
}

/// What a tab gets to work with during one frame.
pub struct AppCtx<'a> {
    pub db: &'a mut Db,
    /// All organisations, cached by the app and rebuilt after writes.
    pub orgs: &'a OrgCatalog,
    pub toasts: &'a mut Toasts,
    pub today: NaiveDate,
}

impl AppCtx<'_> {
    /// Organisations in tree order, indented, for combo boxes.
    pub fn org_options(&self) -> &[(i64, String)] {
        &self.orgs.options
    }

    pub fn org_name(&self, id: i64) -> &str {
        self.orgs
            .names
            .get(&id)
            .map(String::as_str)
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
