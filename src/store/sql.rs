//! Conversions between model enums and their stored Chinese labels.

use super::conn::{Conn, Row};
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};

use crate::model::activity::{ExpectedOf, Frequency, Presence, Requires};
use crate::model::dues::Basis;
use crate::model::member::{Category, Gender, Status};
use crate::model::member_event::{EventKind as MemberEventKind, Grade};
use crate::model::org::{CommitteeRole, OrgKind};
use crate::model::rectify::{EventKind, RectStatus, Source};
use crate::model::talk::TalkForm;

macro_rules! sql_label {
    ($($t:ty),+) => {$(
        impl ToSql for $t {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::from(self.label()))
            }
        }
        impl FromSql for $t {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                let s = value.as_str()?;
                <$t>::from_label(s).ok_or_else(|| FromSqlError::Other(format!("unknown label {s:?}").into()))
            }
        }
    )+};
}

sql_label!(
    Category,
    Gender,
    Status,
    CommitteeRole,
    OrgKind,
    Frequency,
    ExpectedOf,
    Requires,
    Presence,
    TalkForm,
    RectStatus,
    Source,
    EventKind,
    Basis,
    MemberEventKind,
    Grade
);

/// Empty text is stored as NULL (so the unique index on 公民身份号码 ignores blanks).
pub fn non_empty(s: &str) -> Option<&str> {
    let s = s.trim();
    (!s.is_empty()).then_some(s)
}

/// The SQL twin of `model::transfer::org_at`: the organisation of the member row aliased `m` at
/// `at`, from its transfers, or 0 when outside the bureau then (ids start at 1). The last transfer
/// on or before the date says where the member went; before the first, where the first one
/// started; a member never transferred belongs to `member.org_id`.
pub fn org_at(m: &str, at: &str) -> String {
    format!(
        "coalesce(\
           (SELECT coalesce(t.to_org_id, 0) FROM transfer t WHERE t.member_id = {m}.id AND t.date <= {at} \
            ORDER BY t.date DESC, t.id DESC LIMIT 1), \
           (SELECT coalesce(t.from_org_id, 0) FROM transfer t WHERE t.member_id = {m}.id \
            ORDER BY t.date, t.id LIMIT 1), \
           {m}.org_id)"
    )
}

/// The SQL twin of `Member::on_rolls_at` (the one definition of 在册): a condition on the member
/// row aliased `m`, at the date bound to the parameter `at` (e.g. `"?2"`). Every query that lists,
/// rolls or counts members on the rolls takes its condition from here.
pub fn on_rolls(m: &str, at: &str) -> String {
    on_rolls_placed(m, at, &org_at(m, at))
}

/// [`on_rolls`] with the member's organisation at `at` already worked out as `org` (a column of
/// [`placed`]): a query that counts every member by organisation works it out once a member.
pub fn on_rolls_placed(m: &str, at: &str, org: &str) -> String {
    format!(
        "(({m}.probationary_on <= {at} OR ({m}.probationary_on IS NULL AND {m}.category IN ('预备党员', '正式党员'))) \
         AND ({m}.status = '在册' OR {m}.status_date > {at}) AND {org} <> 0)"
    )
}

/// A common table `placed (member_id, org_id)`: every member's organisation at `at` by the rule of
/// [`org_at`] (the last transfer on or before the date; before the first, where it started; never
/// transferred, `member.org_id`), worked out for all members at once from the transfers numbered
/// per member, rather than by two look-ups a member: a count over every member reads the few
/// transfers once. MATERIALIZED, so that neither SQLite nor a server works it out again at each
/// place the query uses it. tests/members.rs holds it to the model on every day of three years.
pub fn placed(at: &str) -> String {
    format!(
        "placed AS MATERIALIZED (
           SELECT m.id AS member_id,
                  CASE WHEN latest.member_id IS NOT NULL THEN coalesce(latest.to_org_id, 0)
                       WHEN earliest.member_id IS NOT NULL THEN coalesce(earliest.from_org_id, 0)
                       ELSE m.org_id END AS org_id
           FROM member m
           LEFT JOIN (SELECT member_id, to_org_id,
                             row_number() OVER (PARTITION BY member_id ORDER BY date DESC, id DESC) AS n
                      FROM transfer WHERE date <= {at}) latest
                  ON latest.member_id = m.id AND latest.n = 1
           LEFT JOIN (SELECT member_id, from_org_id,
                             row_number() OVER (PARTITION BY member_id ORDER BY date, id) AS n
                      FROM transfer) earliest
                  ON earliest.member_id = m.id AND earliest.n = 1)"
    )
}

/// The SQL twin of `Member::full_at`.
pub fn full_at(m: &str, at: &str) -> String {
    format!("({m}.full_on <= {at} OR ({m}.full_on IS NULL AND {m}.category = '正式党员'))")
}

/// Rows a multi-row INSERT takes at most (SQLite allows 32,766 parameters in a statement).
pub const ROWS_PER_INSERT: usize = 64;

/// `INSERT INTO table (columns) VALUES (?, ?), (?, ?), …` for `rows` rows of `width` values.
pub fn insert_rows(table: &str, columns: &str, width: usize, rows: usize) -> String {
    let row = format!("({})", vec!["?"; width].join(", "));
    format!(
        "INSERT INTO {table} ({columns}) VALUES {}",
        vec![row; rows].join(", ")
    )
}

/// Runs `write` with the secondary indexes of `table` set aside and made again after it, in the
/// same transaction: an index made once from its rows, sorted, is faster than one kept up to date
/// row by row when hundreds of thousands of rows go in. The indexes are made again from their own
/// definitions in the file; an error rolls the whole transaction back, indexes included.
pub fn with_indexes_rebuilt<T>(
    tx: &Conn,
    table: &str,
    write: impl FnOnce() -> super::Result<T>,
) -> super::Result<T> {
    if tx.sqlite().is_none() {
        // A server keeps its indexes up to date in bulk well enough; they are not its files.
        return write();
    }
    let indexes: Vec<(String, String)> = tx
        .prepare(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?1 AND sql IS NOT NULL",
        )?
        .query_map([table], |r| Ok((r.get("name")?, r.get("sql")?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (name, _) in &indexes {
        tx.execute_batch(&format!("DROP INDEX \"{name}\""))?;
    }
    let out = write()?;
    for (_, sql) in &indexes {
        tx.execute_batch(sql)?;
    }
    Ok(out)
}

/// A stored date (`YYYY-MM-DD`) read without chrono's format parser: for a list of 100,000 rows
/// the generic "%F" parse cost more than reading the rest of the row. Anything else goes the
/// usual way, with its usual error.
pub fn date_at(r: &Row, i: usize) -> rusqlite::Result<chrono::NaiveDate> {
    match r.get_ref(i)? {
        ValueRef::Text(t) => iso_date(t).map_or_else(|| r.get(i), Ok),
        _ => r.get(i),
    }
}

/// `date_at` for a column that may be NULL.
pub fn optional_date_at(r: &Row, i: usize) -> rusqlite::Result<Option<chrono::NaiveDate>> {
    match r.get_ref(i)? {
        ValueRef::Null => Ok(None),
        ValueRef::Text(t) => iso_date(t).map_or_else(|| r.get(i), |d| Ok(Some(d))),
        _ => r.get(i),
    }
}

fn iso_date(b: &[u8]) -> Option<chrono::NaiveDate> {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let number = |s: &[u8]| {
        s.iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    chrono::NaiveDate::from_ymd_opt(number(&b[..4])? as i32, number(&b[5..7])?, number(&b[8..])?)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_stored_date_reads_as_chrono_reads_it() {
        for s in ["2026-11-30", "2024-02-29", "0001-01-01", "9999-12-31"] {
            assert_eq!(super::iso_date(s.as_bytes()), s.parse().ok(), "{s}");
        }
        for s in [
            "2023-02-29",
            "2026-13-01",
            "2026-1-011",
            "2026/11/30",
            "２０２６-11-30",
        ] {
            assert_eq!(super::iso_date(s.as_bytes()), None, "{s}");
        }
    }
}
