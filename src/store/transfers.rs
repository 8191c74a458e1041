//! 组织关系转接 records. Each save keeps the member's chain whole (every transfer starts where the
//! one before it ended) and `member.org_id` at the organisation the chain ends in.

use std::collections::HashMap;

use super::conn::Conn;

use super::record::{self, Reader};
use super::{Db, Result, StoreError, audit, members, new_uid};
use crate::model::transfer::{Transfer, TransferField, chain_error};

fn query(conn: &Conn, sql: &str, params: impl super::conn::Args) -> Result<Vec<Transfer>> {
    let mut stmt = conn.prepare_cached(&sql.replace("{}", &record::select::<Transfer>()))?;
    let reader = Reader::<Transfer>::new(&stmt)?;
    let rows = stmt.query_map(params, |r| reader.read(r))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn of_member(tx: &Conn, member_id: i64) -> Result<Vec<Transfer>> {
    query(
        tx,
        "SELECT {} FROM transfer WHERE member_id = ?1 ORDER BY date, id",
        [member_id],
    )
}

fn by_id(tx: &Conn, id: i64) -> Result<Transfer> {
    query(tx, "SELECT {} FROM transfer WHERE id = ?1", [id])?
        .pop()
        .ok_or(StoreError::NotFound)
}

fn org_name(tx: &Conn, id: Option<i64>) -> String {
    match id {
        None => "本单位以外".into(),
        Some(id) => tx
            .query_row("SELECT name FROM org WHERE id = ?1", [id], |r| r.get(0))
            .unwrap_or_else(|_| format!("组织{id}")),
    }
}

/// Points `member.org_id` at the organisation the chain ends in (or, after a 转出, the one the
/// member left), so that lists grouped by organisation and members never transferred agree.
fn settle_member(tx: &Conn, member_id: i64) -> Result<()> {
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
        let mut out: HashMap<i64, Vec<Transfer>> = HashMap::new();
        for t in query(
            self.conn(),
            "SELECT {} FROM transfer ORDER BY member_id, date, id",
            [],
        )? {
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
            let before = t.id.map(|id| by_id(tx, id)).transpose()?;
            let mut saved = t.clone();
            if saved.uid.is_empty() {
                saved.uid = before.as_ref().map_or_else(new_uid, |b| b.uid.clone());
            }
            let id = match saved.id {
                Some(id) => {
                    record::update(tx, "transfer", &saved, id, &[])?;
                    id
                }
                None => record::insert(tx, "transfer", &saved, &[])?,
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
            let gone = by_id(tx, id)?;
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
