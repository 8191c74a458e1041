//! The egui window. Tabs hold only view state and read through `store::Db`; what they want
//! written they return as an `Action`, which the app applies after the frame (`action::apply`).

pub mod action;
mod activities;
pub mod app;
pub mod connect;
pub mod editor;
mod exchange;
pub mod fonts;
mod guide;
mod members;
mod orgs;
mod rectify;
mod restore;
mod stats;
mod talks;
pub mod widgets;
pub mod worker;

use std::collections::HashMap;

use chrono::NaiveDate;
use egui::Ui;
use serde::{Deserialize, Serialize};

use crate::model::org::{Org, tree_order, with_descendants};
use crate::store::{Db, OrgSummary};
use action::{Action, Done};
use widgets::toasts::Toasts;

pub use app::{DangwuApp, run, run_server};

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

    /// The first organisation in tree order with members of its own on the rolls: a new meeting
    /// opens on a roll, not on an empty 党组.
    pub fn first_with_members(&self) -> Option<i64> {
        self.options.iter().map(|(id, _)| *id).find(|id| {
            self.summaries
                .iter()
                .any(|s| s.org.id == Some(*id) && s.members_on_rolls > 0)
        })
    }
}

/// What a tab gets to work with during one frame: the database to read, never to write.
pub struct AppCtx<'a> {
    pub db: &'a Db,
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

/// Whether a dialog closes on its own (Escape, a click beside it): not while it holds what the
/// user typed, which an accidental key would throw away; then only 取消 closes it.
pub fn dismissed(should_close: bool, typed: bool) -> bool {
    should_close && !typed
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

/// A tab of the window: its view state, one frame of it, and the outcome of what it asked for.
pub trait Page {
    /// Shows the tab; returns the write it wants, applied by the app after the frame.
    fn ui(&mut self, ui: &mut Ui, ctx: &mut AppCtx) -> Option<Action>;

    /// The write this tab asked for has been applied (or refused).
    fn done(&mut self, done: Done, ctx: &mut AppCtx);

    /// Whether a form of the tab holds changes not yet saved.
    fn has_unsaved(&self) -> bool;

    /// Another tab asked to show `target` here (the 统计 tab opens the ledger filtered).
    fn goto(&mut self, _target: &action::Target) {}
}

/// The tabs, in the order of the tab bar: one line each. Tabs come with their issues; there are no
/// empty pages.
macro_rules! tabs {
    ($($variant:ident => $label:literal, $page:ty;)+) => {
        #[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
        pub enum Tab { $($variant),+ }

        impl Tab {
            pub const ALL: &'static [Tab] = &[$(Tab::$variant),+];

            pub fn label(self) -> &'static str {
                match self { $(Tab::$variant => $label),+ }
            }
        }

        /// A fresh page for every tab (a new data file starts them anew).
        fn new_pages() -> Vec<Box<dyn Page>> {
            vec![$(Box::new(<$page>::default())),+]
        }
    };
}

tabs! {
    Members => "党员", members::MembersTab;
    Orgs => "组织", orgs::OrgsTab;
    Activities => "学习活动", activities::ActivitiesTab;
    Talks => "谈话", talks::TalksTab;
    Rectify => "整改台账", rectify::RectifyTab;
    Stats => "统计", stats::StatsTab;
}

impl Default for Tab {
    fn default() -> Self {
        Tab::ALL[0]
    }
}
