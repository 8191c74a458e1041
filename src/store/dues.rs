//! 党费 records: one row per member and month, written a branch-month at a time.

use super::conn::Row;
use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use super::{Db, Result, StoreError, audit};
use crate::model::FieldKey;
use crate::model::dues::{Basis, Dues, month_key};

fn from_row(r: &Row) -> rusqlite::Result<Dues> {
    let month: String = r.get(2)?;
    Ok(Dues {
        member_id: r.get(0)?,
        org_id: r.get(1)?,
        year: month[..4].parse().unwrap_or_default(),
        month: month[5..].parse().unwrap_or_default(),
        basis: r.get(3)?,
        base_fen: r.get(4)?,
        amount_fen: r.get(5)?,
    })
}

const COLUMNS: &str = "member_id, org_id, month, basis, base_fen, amount_fen";

/// What the audit keeps of a branch-month: who paid how much (names, never ID numbers).
#[derive(Serialize, PartialEq)]
struct Paid {
    member_id: i64,
    amount_fen: i64,
}

impl Db {
    /// The dues recorded in `org_id` for one month.
    pub fn dues_of_month(&self, org_id: i64, year: i32, month: u32) -> Result<Vec<Dues>> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {COLUMNS} FROM dues WHERE org_id = ?1 AND month = ?2 ORDER BY member_id"
        ))?;
        let rows = stmt.query_map(params![org_id, month_key(year, month)], from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The dues of one year, of `org_id` or of every organisation.
    pub fn dues_of_year(&self, org_id: Option<i64>, year: i32) -> Result<Vec<Dues>> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {COLUMNS} FROM dues WHERE month BETWEEN ?1 AND ?2 AND (?3 IS NULL OR org_id = ?3)
             ORDER BY member_id, month"
        ))?;
        let rows = stmt.query_map(
            params![month_key(year, 1), month_key(year, 12), org_id],
            from_row,
        )?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every dues row of `year` (all when `None`), by member and month.
    pub fn dues_all(&self, year: Option<i32>) -> Result<Vec<Dues>> {
        let (from, to) = match year {
            Some(y) => (month_key(y, 1), month_key(y, 12)),
            None => ("0000-00".into(), "9999-99".into()),
        };
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {COLUMNS} FROM dues WHERE month BETWEEN ?1 AND ?2 ORDER BY member_id, month"
        ))?;
        let rows = stmt.query_map(params![from, to], from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Records or changes many members' dues (the workbook import), in one statement each, with
    /// one audit row for all of them (who paid how much is the dues table itself). A month paid in
    /// another organisation is refused, naming the member and the month.
    pub fn import_dues(&mut self, rows: &[Dues]) -> Result<usize> {
        self.write(|tx| {
            // A row already paid in another organisation is left alone by the upsert (its WHERE),
            // which then changes fewer rows than it was given: that is the refusal, found row by
            // row only then. Many rows to a statement: an import writes hundreds of thousands.
            let upsert = |n: usize| {
                format!(
                    "{} ON CONFLICT (member_id, month) DO UPDATE SET
                        basis = excluded.basis, base_fen = excluded.base_fen, amount_fen = excluded.amount_fen
                     WHERE dues.org_id = excluded.org_id",
                    super::sql::insert_rows(
                        "dues",
                        "member_id, org_id, month, basis, base_fen, amount_fen",
                        6,
                        n
                    )
                )
            };
            let insert = || -> Result<()> {
            for chunk in rows.chunks(super::sql::ROWS_PER_INSERT) {
                let keys: Vec<String> = chunk.iter().map(Dues::month_key).collect();
                let mut values: Vec<&dyn rusqlite::ToSql> = Vec::with_capacity(chunk.len() * 6);
                for (d, key) in chunk.iter().zip(&keys) {
                    values.extend([
                        &d.member_id as &dyn rusqlite::ToSql,
                        &d.org_id,
                        key,
                        &d.basis,
                        &d.base_fen,
                        &d.amount_fen,
                    ]);
                }
                let changed = tx
                    .prepare_cached(&upsert(chunk.len()))?
                    .execute(values.as_slice())?;
                if changed == chunk.len() {
                    continue;
                }
                for d in chunk {
                    let taken: Option<String> = tx
                        .prepare_cached(
                            "SELECT m.name FROM dues d JOIN member m ON m.id = d.member_id
                             WHERE d.member_id = ?1 AND d.month = ?2 AND d.org_id <> ?3",
                        )?
                        .query_row(params![d.member_id, d.month_key(), d.org_id], |r| r.get(0))
                        .optional()?;
                    if let Some(name) = taken {
                        return Err(StoreError::refused(format!(
                            "{name}{}年{}月的党费已在另一个党组织登记",
                            d.year, d.month
                        )));
                    }
                }
            }
            Ok(())
            };
            if rows.len() > 20_000 {
                super::sql::with_indexes_rebuilt(tx, "dues", insert)?;
            } else {
                insert()?;
            }
            #[derive(Serialize)]
            struct Imported {
                rows: usize,
                fen: i64,
            }
            let summary = Imported {
                rows: rows.len(),
                fen: rows.iter().map(|d| d.amount_fen).sum(),
            };
            audit::record(tx, "dues", &format!("导入/{}", super::new_uid()), None, Some(&summary))?;
            Ok(rows.len())
        })
    }

    /// One member's dues, oldest first.
    pub fn dues_of_member(&self, member_id: i64) -> Result<Vec<Dues>> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {COLUMNS} FROM dues WHERE member_id = ?1 ORDER BY month"
        ))?;
        let rows = stmt.query_map([member_id], from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Each member's basis and base as last recorded on or before the month (to prefill the form),
    /// for the members given.
    pub fn last_dues_basis(
        &self,
        members: &[i64],
        year: i32,
        month: u32,
    ) -> Result<Vec<(i64, Basis, Option<i64>)>> {
        // SQLite takes the bare columns from the row holding max(month).
        let mut stmt = self.conn().prepare_cached(
            "SELECT member_id, basis, base_fen, max(month) FROM dues
             WHERE month <= ?1 AND member_id IN (SELECT value FROM json_each(?2))
             GROUP BY member_id",
        )?;
        let ids = serde_json::to_string(members)?;
        let rows = stmt.query_map(params![month_key(year, month), ids], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Writes a branch's dues for one month as the form shows them, in one transaction: the rows
    /// given are paid (added or changed); a member of this branch-month not among them is unpaid
    /// (their row removed). A member whose month was already paid in another organisation is
    /// refused at that row (`FieldKey::Row(i)`).
    pub fn save_dues_month(
        &mut self,
        org_id: i64,
        year: i32,
        month: u32,
        rows: &[Dues],
    ) -> Result<usize> {
        let key = month_key(year, month);
        self.write(|tx| {
            let org_uid: String = tx
                .query_row("SELECT uid FROM org WHERE id = ?1", [org_id], |r| r.get(0))
                .optional()?
                .ok_or(StoreError::NotFound)?;
            for (i, d) in rows.iter().enumerate() {
                let elsewhere: Option<(String, String)> = tx
                    .prepare_cached(
                        "SELECT m.name, o.name FROM dues d JOIN member m ON m.id = d.member_id
                         JOIN org o ON o.id = d.org_id
                         WHERE d.member_id = ?1 AND d.month = ?2 AND d.org_id <> ?3",
                    )?
                    .query_row(params![d.member_id, key, org_id], |r| {
                        Ok((r.get(0)?, r.get(1)?))
                    })
                    .optional()?;
                if let Some((name, org)) = elsewhere {
                    return Err(StoreError::at(
                        FieldKey::Row(i),
                        format!("{name}{year}年{month}月的党费已在{org}登记，未保存任何修改"),
                    ));
                }
                if d.amount_fen < 0 || d.base_fen.is_some_and(|b| b < 0) {
                    return Err(StoreError::at(FieldKey::Row(i), "金额不能为负数"));
                }
            }
            let before: Vec<Paid> = tx
                .prepare_cached(
                    "SELECT member_id, amount_fen FROM dues WHERE org_id = ?1 AND month = ?2
                     ORDER BY member_id",
                )?
                .query_map(params![org_id, key], |r| {
                    Ok(Paid {
                        member_id: r.get(0)?,
                        amount_fen: r.get(1)?,
                    })
                })?
                .collect::<rusqlite::Result<_>>()?;
            let ids = serde_json::to_string(&rows.iter().map(|d| d.member_id).collect::<Vec<_>>())?;
            tx.prepare_cached(
                "DELETE FROM dues WHERE org_id = ?1 AND month = ?2
                 AND member_id NOT IN (SELECT value FROM json_each(?3))",
            )?
            .execute(params![org_id, key, ids])?;
            let mut upsert = tx.prepare_cached(
                "INSERT INTO dues (member_id, org_id, month, basis, base_fen, amount_fen)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (member_id, month) DO UPDATE SET
                    basis = excluded.basis, base_fen = excluded.base_fen, amount_fen = excluded.amount_fen",
            )?;
            for d in rows {
                upsert.execute(params![d.member_id, org_id, key, d.basis, d.base_fen, d.amount_fen])?;
            }
            let mut after: Vec<Paid> = rows
                .iter()
                .map(|d| Paid {
                    member_id: d.member_id,
                    amount_fen: d.amount_fen,
                })
                .collect();
            after.sort_by_key(|p| p.member_id);
            let had = (!before.is_empty()).then_some(&before);
            audit::record(tx, "dues", &format!("{org_uid}/{key}"), had, Some(&after))?;
            Ok(rows.len())
        })
    }
}

/// The last day of a month, the day its roll is taken (or `today` for the month under way).
pub fn roll_day(year: i32, month: u32, today: NaiveDate) -> NaiveDate {
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    };
    next.and_then(|d| d.pred_opt()).unwrap_or(today).min(today)
}
