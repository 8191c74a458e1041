//! Members. Never deleted: leaving the rolls is a status with a date.

use super::conn::Conn;
use rusqlite::{OptionalExtension, params};

use chrono::NaiveDate;

use super::record::{self, Reader};
use super::sql::{non_empty, on_rolls, org_at};
use super::{Db, Result, StoreError, audit, new_uid};
use crate::model::member::{Member, MemberField};

/// Every member selected with `sql`, whose `{}` is replaced by the declared columns.
fn query(conn: &Conn, sql: &str, params: impl super::conn::Args) -> Result<Vec<Member>> {
    let mut stmt = conn.prepare_cached(&sql.replace("{}", &record::select::<Member>()))?;
    let reader = Reader::<Member>::new(&stmt)?;
    let rows = stmt.query_map(params, |r| reader.read(r))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(super) fn by_id(tx: &Conn, id: i64) -> Result<Option<Member>> {
    Ok(query(tx, "SELECT {} FROM member WHERE id = ?1", [id])?.pop())
}

impl Db {
    /// Every member, on the rolls or not, ordered by organisation then name.
    pub fn members(&self) -> Result<Vec<Member>> {
        query(
            self.conn(),
            "SELECT {} FROM member ORDER BY org_id, name, id",
            [],
        )
    }

    /// (id, name) of the members on the rolls of one organisation on `date`, by name: those the
    /// transfer records put there then, not those there today.
    pub fn roll_at(&self, org_id: i64, date: NaiveDate) -> Result<Vec<(i64, String)>> {
        // Members never transferred belong to `org_id` throughout: only the others need their
        // history read.
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT id, name FROM member m
             WHERE (m.org_id = ?1 OR m.id IN (SELECT member_id FROM transfer))
               AND {} = ?1 AND {} ORDER BY name",
            org_at("m", "?2"),
            on_rolls("m", "?2")
        ))?;
        let rows = stmt.query_map(params![org_id, date], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn member(&self, id: i64) -> Result<Member> {
        by_id(self.conn(), id)?.ok_or(StoreError::NotFound)
    }

    /// Inserts or updates a member in one transaction, with its audit row. A 公民身份号码 already held
    /// by someone else is refused with that person's name.
    pub fn save_member(&mut self, member: &Member) -> Result<i64> {
        self.write(|tx| {
            if let Some(number) = non_empty(&member.id_number) {
                let holder: Option<(i64, String, String)> = tx
                    .prepare_cached(
                        "SELECT m.id, m.name, o.name FROM member m JOIN org o ON o.id = m.org_id
                         WHERE m.id_number = ?1",
                    )?
                    .query_row([number], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                    .optional()?;
                if let Some((id, name, org)) = holder
                    && Some(id) != member.id
                {
                    return Err(StoreError::at(
                        MemberField::IdNumber,
                        format!(
                            "该公民身份号码已登记为{name}（{org}），同一人请勿重复录入；\
                             如系转出后又转回，请打开{name}，用“登记转接…”登记转入"
                        ),
                    ));
                }
            }
            let org_exists: Option<i64> = tx
                .prepare_cached("SELECT id FROM org WHERE id = ?1")?
                .query_row([member.org_id], |r| r.get(0))
                .optional()?;
            if org_exists.is_none() {
                return Err(StoreError::at(MemberField::Org, "所选组织不存在"));
            }

            let before = match member.id {
                Some(id) => Some(by_id(tx, id)?.ok_or(StoreError::NotFound)?),
                None => None,
            };
            let mut saved = member.clone();
            if saved.uid.is_empty() {
                saved.uid = before
                    .as_ref()
                    .map(|b| b.uid.clone())
                    .unwrap_or_else(new_uid);
            }
            let id = write_row(tx, &saved)?;
            saved.id = Some(id);
            audit::record(tx, "member", &saved.uid, before.as_ref(), Some(&saved))?;
            Ok(id)
        })
    }
}

/// Inserts `m` (no id) or updates it (with one); returns its id. `m.uid` is already set.
pub(super) fn write_row(tx: &Conn, m: &Member) -> Result<i64> {
    match m.id {
        Some(id) => {
            record::update(tx, "member", m, id, &[])?;
            Ok(id)
        }
        None => record::insert(tx, "member", m, &[]),
    }
}
