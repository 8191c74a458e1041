//! Compliance (落实情况): for each organisation and each type it is expected to hold, the periods of a
//! year in which it was held and those in which it was not. Also the "silent branch" warning.

use std::collections::HashMap;

use chrono::NaiveDate;

use chrono::Datelike;

use crate::model::activity::{ActivityType, Frequency, Period, counts_for};
use crate::model::org::{Org, OrgKind};
use crate::store::{Db, Held, Result};

/// How one period stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellState {
    /// Held, this many times.
    Held(u32),
    /// Over (ended by as-of) and not held.
    Missing,
    /// Not over yet, or before the organisation existed: not required.
    NotDue,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComplianceRow {
    pub org_id: i64,
    pub organisation: String,
    pub type_id: i64,
    pub type_label: String,
    pub frequency: Frequency,
    pub cells: Vec<(Period, CellState)>,
    /// Periods that count: those over by as-of, and the current one once held.
    pub required: u32,
    pub held: u32,
    /// The missing periods as tally.md writes them: `2022-03`, `2022Q3`, `2022`.
    pub missing: Vec<String>,
    /// For an organisation without 成立日期: the day it was entered in the ledger, from which
    /// periods are counted.
    pub counted_from: Option<NaiveDate>,
}

/// The organisations as the rules read them: one without 成立日期 exists from the day it was
/// entered in the ledger (`entered`), not from the beginning of time: a 党委 just typed in is
/// not missing last year's meetings. Gives, by id, the organisations so dated.
pub fn dated_from_entry(
    orgs: &mut [Org],
    entered: &HashMap<i64, NaiveDate>,
) -> HashMap<i64, NaiveDate> {
    let mut dated = HashMap::new();
    for o in orgs.iter_mut().filter(|o| o.founded.is_none()) {
        if let Some(day) = o.id.and_then(|id| entered.get(&id)) {
            o.founded = Some(*day);
            dated.insert(o.id.unwrap_or_default(), *day);
        }
    }
    dated
}

/// Evaluates `year` up to `as_of` from the records held in it or for it.
///
/// Only periods the organisation existed for in full (between its 成立日期 and 撤销日期) are
/// required of it, and only the types it is expected to hold (`ActivityType::applies_to`, which
/// reads the organisation's own settings). A yearly meeting counts for its 所属年度; held after the
/// year ended (January–March), it counts in the year-end figures of the year it was for.
pub fn evaluate(
    orgs: &[Org],
    types: &[ActivityType],
    held: &[Held],
    year: i32,
    as_of: NaiveDate,
) -> Vec<ComplianceRow> {
    let mut count: HashMap<(i64, i64, Period), u32> = HashMap::new();
    let frequency_of: HashMap<i64, Frequency> = types
        .iter()
        .filter_map(|t| Some((t.id?, t.frequency)))
        .collect();
    let year_end = as_of.month() == 12 && as_of.day() == 31;
    for h in held {
        // Held after the year for it: counted in the year-end figures only.
        let for_later = h.for_year.is_some_and(|y| y < h.month.year());
        if h.month > as_of && !(for_later && year_end) {
            continue;
        }
        let period = frequency_of
            .get(&h.type_id)
            .and_then(|f| counts_for(*f, h.month, h.for_year));
        if let Some(p) = period {
            *count.entry((h.org_id, h.type_id, p)).or_default() += h.count;
        }
    }
    let mut rows = Vec::new();
    let first_day = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(as_of);
    for org in orgs {
        let Some(org_id) = org.id else { continue };
        // Not there at all in the year (up to as-of): no row.
        if org.dissolved.is_some_and(|d| d < first_day) || org.founded.is_some_and(|f| f > as_of) {
            continue;
        }
        for t in types.iter().filter(|t| t.applies_to(org)) {
            let Some(type_id) = t.id else { continue };
            let mut row = ComplianceRow {
                org_id,
                organisation: org.name.clone(),
                type_id,
                type_label: t.label.clone(),
                frequency: t.frequency,
                cells: Vec::new(),
                required: 0,
                held: 0,
                missing: Vec::new(),
                counted_from: None,
            };
            for p in Period::all_in(t.frequency, year) {
                let n = count.get(&(org_id, type_id, p)).copied().unwrap_or(0);
                let existed = org.existed_throughout(p.start(), p.end());
                let state = if n > 0 {
                    CellState::Held(n)
                } else if p.end() <= as_of && existed {
                    CellState::Missing
                } else {
                    CellState::NotDue
                };
                match state {
                    CellState::Held(_) => {
                        row.required += 1;
                        row.held += 1;
                    }
                    CellState::Missing => {
                        row.required += 1;
                        row.missing.push(p.to_string());
                    }
                    CellState::NotDue => {}
                }
                row.cells.push((p, state));
            }
            rows.push(row);
        }
    }
    rows
}

/// Compliance of every organisation for `year`, read from the database.
pub fn for_year(db: &Db, year: i32, as_of: NaiveDate) -> Result<Vec<ComplianceRow>> {
    let mut orgs: Vec<Org> = db.orgs(as_of)?.into_iter().map(|s| s.org).collect();
    let dated = dated_from_entry(&mut orgs, &db.org_entry_dates()?);
    let types = db.activity_types()?;
    let first_day = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(as_of);
    let held = db.held_counts(first_day, as_of, None)?;
    Ok(mark_counted_from(
        evaluate(&orgs, &types, &held, year, as_of),
        &dated,
    ))
}

/// Notes on each row of an organisation dated from its entry when that was counted from.
pub fn mark_counted_from(
    mut rows: Vec<ComplianceRow>,
    dated: &HashMap<i64, NaiveDate>,
) -> Vec<ComplianceRow> {
    for r in &mut rows {
        r.counted_from = dated.get(&r.org_id).copied();
    }
    rows
}

/// A branch with no record in the last [`SILENT_DAYS`] days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SilentBranch {
    pub org_id: i64,
    pub name: String,
    /// The latest record, if there ever was one.
    pub last: Option<NaiveDate>,
}

pub const SILENT_DAYS: i64 = 30;

/// 党支部 whose latest record is more than 30 days before `today` (or that have none and were
/// founded more than 30 days ago). A dissolved branch is never silent.
pub fn silent_branches(
    orgs: &[Org],
    last: &HashMap<i64, NaiveDate>,
    today: NaiveDate,
) -> Vec<SilentBranch> {
    orgs.iter()
        .filter(|o| o.kind == OrgKind::Branch && !o.dissolved_by(today))
        .filter_map(|o| {
            let id = o.id?;
            let last = last.get(&id).copied();
            let since = last.or(o.founded);
            let silent =
                since.is_none_or(|d| today.signed_duration_since(d).num_days() > SILENT_DAYS);
            silent.then(|| SilentBranch {
                org_id: id,
                name: o.name.clone(),
                last,
            })
        })
        .collect()
}
