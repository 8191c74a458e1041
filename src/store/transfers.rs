//! 组织关系转接 records. Each save keeps the member's chain whole (every transfer starts where the
//! one before it ended) and `member.org_id` at the organisation the chain ends in.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::{Db, Result, StoreError, audit, members, new_uid};
use crate::model::transfer::{Transfer, TransferField, chain_error};

const COLUMNS: &str = "id, uid, member_id, date, from_org_id, to_org_id, other_org, note";

fn from_row(r: &Row) -> rusqlite::Result<Transfer> {
    Ok(Transfer {
        id: r.get(0)?,
        uid: r.get(1)?,
        member_id: r.get(2)?,
        date: r.get(3)?,
        from_org: r.get(4)?,
        to_org: r.get(5)?,
        other_org: r.get(6)?,
        note: r.get(7)?,
    })
}

fn of_member(tx: &rusqlite::Connection, member_id: i64) -> Result<Vec<Transfer>> {
    let mut stmt = tx.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM transfer WHERE member_id = ?1 ORDER BY date, id"
    ))?;
    let rows = stmt.query_map([member_id], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn org_name(tx: &Connection, id: Option<i64>) -> String {
    match id {
        None => "本单位以外".into(),
        Some(id) => tx
            .query_row("SELECT name FROM org WHERE id = ?1", [id], |r| r.get(0))
            .unwrap_or_else(|_| format!("组织{id}")),
    }
}

/// Points `member.org_id` at the organisation the chain ends in (or, after a 转出, the one the
/// member left), so that lists grouped by organisation and members never transferred agree.
fn settle_member(tx: &Connection, member_id: i64) -> Result<()> {
    let chain = of_member(tx, member_id)?;
    let Some(last) = chain.last() else {
        return Ok(());
    };
    let Some(org) = last.to_org.or(last.from_org) else {
        return Ok(());
    };
    let before = members::by_id(tx, member_id)?.ok_or(StoreError::NotFound)?;
    if before.org_id != org {
        let mut after = before.clone();
        after.org_id = org;
        members::write_row(tx, &after)?;
        audit::record(tx, "member", &after.uid, Some(&before), Some(&after))?;
    }
    Ok(())
}

impl Db {
    /// One member's transfers, oldest first.
    pub fn transfers_of(&self, member_id: i64) -> Result<Vec<Transfer>> {
        of_member(self.conn(), member_id)
    }

    /// Every member's transfers, oldest first, by member: lists decide 在册 and 转出 from them.
    pub fn transfers_by_member(&self) -> Result<HashMap<i64, Vec<Transfer>>> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {COLUMNS} FROM transfer ORDER BY member_id, date, id"
        ))?;
        let mut out: HashMap<i64, Vec<Transfer>> = HashMap::new();
        for t in stmt.query_map([], from_row)? {
            let t = t?;
            out.entry(t.member_id).or_default().push(t);
        }
        Ok(out)
    }

    /// Records a transfer (or corrects one), refused when it does not continue the member's chain.
    pub fn save_transfer(&mut self, t: &Transfer) -> Result<i64> {
        self.write(|tx| {
            let others: Vec<Transfer> = of_member(tx, t.member_id)?
                .into_iter()
                .filter(|o| o.id.is_none() || o.id != t.id)
                .collect();
            if let Some(why) = chain_error(t, &others, |id| org_name(tx, id)) {
                return Err(StoreError::at(TransferField::Date, why));
            }
            let before = match t.id {
                Some(id) => Some(
                    tx.prepare_cached(&format!("SELECT {COLUMNS} FROM transfer WHERE id = ?1"))?
                        .query_row([id], from_row)
                        .optional()?
                        .ok_or(StoreError::NotFound)?,
                ),
                None => None,
            };
            let mut saved = t.clone();
            if saved.uid.is_empty() {
                saved.uid = before.as_ref().map_or_else(new_uid, |b| b.uid.clone());
            }
            let values = params![
                saved.uid,
                saved.member_id,
                saved.date,
                saved.from_org,
                saved.to_org,
                saved.other_org,
                saved.note
            ];
            let id = match saved.id {
                Some(id) => {
                    tx.prepare_cached(
                        "UPDATE transfer SET uid = ?1, member_id = ?2, date = ?3, from_org_id = ?4,
                         to_org_id = ?5, other_org = ?6, note = ?7 WHERE id = ?8",
                    )?
                    .execute(rusqlite::params_from_iter(
                        values.iter().copied().chain([&id as &dyn rusqlite::ToSql]),
                    ))?;
                    id
                }
                None => {
                    tx.prepare_cached(
                        "INSERT INTO transfer (uid, member_id, date, from_org_id, to_org_id, other_org, note)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                    )?
                    .execute(values)?;
                    tx.last_insert_rowid()
                }
            };
            saved.id = Some(id);
            audit::record(tx, "transfer", &saved.uid, before.as_ref(), Some(&saved))?;
            settle_member(tx, saved.member_id)?;
            Ok(id)
        })
    }

    /// Removes a transfer entered by mistake; refused when the ones around it would no longer meet.
    pub fn delete_transfer(&mut self, id: i64) -> Result<()> {
        self.write(|tx| {
            let gone = tx
                .prepare_cached(&format!("SELECT {COLUMNS} FROM transfer WHERE id = ?1"))?
                .query_row([id], from_row)
                .optional()?
                .ok_or(StoreError::NotFound)?;
            let rest: Vec<Transfer> = of_member(tx, gone.member_id)?
                .into_iter()
                .filter(|o| o.id != Some(id))
                .collect();
            if rest.windows(2).any(|w| w[0].to_org != w[1].from_org) {
                return Err(StoreError::refused(
                    "删除后前后两条转接记录接不上，请先修改或删除之后的记录",
                ));
            }
            tx.prepare_cached("DELETE FROM transfer WHERE id = ?1")?
                .execute([id])?;
            audit::record(tx, "transfer", &gone.uid, Some(&gone), None)?;
            settle_member(tx, gone.member_id)
        })
    }
}
