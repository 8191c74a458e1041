//! Rectification figures read from each item's history, so that what happened later (an item
//! reopened in February) does not rewrite an earlier year's figures.

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::rectify::{EventKind, RectStatus};
use crate::store::tally::ItemHistory;

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct RectFigures {
    /// Items found in the year up to as-of (void items excluded).
    pub found: u32,
    /// Of those, closed by as-of and not reopened by then.
    pub closed: u32,
    pub open: u32,
    /// Items found by as-of, not closed by then, past their deadline.
    pub overdue: u32,
    /// Items found before the year and still open on its first day.
    pub carried_over: u32,
    /// Of those, closed in the year by as-of (and not reopened by then).
    pub carried_closed: u32,
    /// closed / found, `None` when nothing was found.
    pub closure_rate: Option<f64>,
}

/// Whether the item was closed at the end of `date`: its last 销号 or 重新打开 on or before it.
pub fn closed_at(h: &ItemHistory, date: NaiveDate) -> bool {
    h.events
        .iter()
        .filter(|(d, _)| *d <= date)
        .fold(false, |closed, (_, kind)| match kind {
            EventKind::Closed => true,
            EventKind::Reopened => false,
            _ => closed,
        })
}

/// An item registered in error (作废) was never a problem: it counts in no year.
fn counts(h: &ItemHistory) -> bool {
    h.item.status != RectStatus::Void && !h.events.iter().any(|(_, k)| *k == EventKind::Voided)
}

/// Overdue on `date`: found by then, not closed by then, past its deadline.
pub fn overdue_at(h: &ItemHistory, date: NaiveDate) -> bool {
    counts(h)
        && h.item.found_on <= date
        && !closed_at(h, date)
        && h.item.deadline.is_some_and(|d| d < date)
}

pub fn figures(items: &[ItemHistory], first_day: NaiveDate, as_of: NaiveDate) -> RectFigures {
    let mut f = RectFigures::default();
    let eve = first_day.pred_opt().unwrap_or(first_day);
    for h in items.iter().filter(|h| counts(h)) {
        let found = h.item.found_on;
        if found >= first_day && found <= as_of {
            f.found += 1;
            if closed_at(h, as_of) {
                f.closed += 1;
            } else {
                f.open += 1;
            }
        }
        if found < first_day && !closed_at(h, eve) {
            f.carried_over += 1;
            if closed_at(h, as_of) {
                f.carried_closed += 1;
            }
        }
        if overdue_at(h, as_of) {
            f.overdue += 1;
        }
    }
    f.closure_rate = (f.found > 0).then(|| round4(f.closed as f64 / f.found as f64));
    f
}

/// Rates are given to four places (0.8333), as tally.md writes them.
pub fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}
