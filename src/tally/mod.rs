//! The year-end figures. Everything here is computed from the records; nothing is typed in.

pub mod compliance;

use chrono::{Datelike, NaiveDate};

/// The day figures for `year` are counted up to: 31 December, or `today` within the current year.
pub fn as_of(year: i32, today: NaiveDate) -> NaiveDate {
    if year >= today.year() {
        today
    } else {
        NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(today)
    }
}
