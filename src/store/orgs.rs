//! Organisations and their committees.

use std::collections::HashMap;

use super::conn::Conn;
use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params};

use super::record::{self, Reader};
use super::{Db, Result, StoreError, audit, new_uid};
use crate::model::org::{CommitteeMember, Org, OrgField};

/// An organisation with the figures the tree shows beside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgSummary {
    pub org: Org,
    pub members_on_rolls: i64,
    /// The user's order among siblings (上移 / 下移); equal ones follow the kind and the name.
    pub position: i64,
}

/// Sorts organisations into the one order they are shown in: the user's position, then 党组,
/// 党委, 党总支, 党支部, then the name as staff number it (第一、第二……). Parents and children
/// are put together by `model::org::tree_order`, which keeps this order among siblings.
pub fn display_order(list: &mut [OrgSummary]) {
    list.sort_by_cached_key(|s| {
        (
            // Never moved: after those placed by hand (a branch added later goes last).
            if s.position == 0 {
                i64::MAX
            } else {
                s.position
            },
            crate::model::org::OrgKind::ALL
                .iter()
                .position(|k| *k == s.org.kind)
                .unwrap_or(9),
            crate::model::collate::org_key(&s.org.name),
        )
    });
}

/// Every organisation's own expectations, by organisation id.
fn expectations(conn: &Conn) -> Result<std::collections::HashMap<i64, Vec<(i64, bool)>>> {
    let mut out: std::collections::HashMap<i64, Vec<(i64, bool)>> = Default::default();
    let mut stmt = conn.prepare_cached(
        "SELECT org_id, type_id, expected FROM org_expectation ORDER BY org_id, type_id",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    for row in rows {
        let (org, ty, expected): (i64, i64, bool) = row?;
        out.entry(org).or_default().push((ty, expected));
    }
    Ok(out)
}

/// Replaces an organisation's own expectations with `list`.
fn write_expectations(tx: &Conn, org_id: i64, list: &[(i64, bool)]) -> Result<()> {
    tx.prepare_cached("DELETE FROM org_expectation WHERE org_id = ?1")?
        .execute([org_id])?;
    let mut add = tx.prepare_cached(
        "INSERT INTO org_expectation (org_id, type_id, expected) VALUES (?1, ?2, ?3)",
    )?;
    for (type_id, expected) in list {
        add.execute(params![org_id, type_id, expected])?;
    }
    Ok(())
}

pub(super) fn org_by_id(tx: &Conn, id: i64) -> Result<Option<Org>> {
    let mut stmt = tx.prepare_cached(&format!(
        "SELECT {} FROM org WHERE id = ?1",
        record::select::<Org>()
    ))?;
    let reader = Reader::<Org>::new(&stmt)?;
    let org = stmt.query_row([id], |r| reader.read(r)).optional()?;
    Ok(org.map(|mut o| {
        o.expectations = expectations(tx)
            .ok()
            .and_then(|mut all| all.remove(&id))
            .unwrap_or_default();
        o
    }))
}

/// The current committee of `org_id` (no 离任日期).
fn committee_of(conn: &Conn, org_id: i64) -> Result<Vec<CommitteeMember>> {
    committee_rows(conn, org_id, false)
}

/// The rows of `org_id`'s committee: the current ones, or with `history` those closed too.
pub(super) fn committee_rows(
    conn: &Conn,
    org_id: i64,
    history: bool,
) -> Result<Vec<CommitteeMember>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {} FROM committee_member WHERE org_id = ?1 AND (?2 = 1 OR ended IS NULL)
         ORDER BY ended IS NOT NULL, ended, position, id",
        record::select::<CommitteeMember>()
    ))?;
    let reader = Reader::<CommitteeMember>::new(&stmt)?;
    let rows = stmt.query_map(params![org_id, history], |r| reader.read(r))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Refuses a parent that would put the organisation under itself.
fn check_parent(tx: &Conn, org_id: Option<i64>, parent_id: Option<i64>) -> Result<()> {
    let mut next = parent_id;
    let mut steps = 0;
    while let Some(id) = next {
        if Some(id) == org_id {
            return Err(StoreError::at(
                OrgField::Parent,
                "上级组织不能是本组织或其下级组织",
            ));
        }
        next = tx
            .prepare_cached("SELECT parent_id FROM org WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?
            .ok_or_else(|| StoreError::at(OrgField::Parent, "所选上级组织不存在"))?;
        steps += 1;
        if steps > 100 {
            return Err(StoreError::at(OrgField::Parent, "组织层级过深或存在循环"));
        }
    }
    Ok(())
}

impl Db {
    /// All organisations, parents before children is not guaranteed: sorted by kind, then name.
    /// With each its members on the rolls on `date`.
    pub fn orgs(&self, date: NaiveDate) -> Result<Vec<OrgSummary>> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "WITH {}
             SELECT {}, coalesce(c.n, 0) AS on_rolls, org.position AS position
             FROM org LEFT JOIN (SELECT p.org_id, count(*) AS n FROM member m
                                 JOIN placed p ON p.member_id = m.id WHERE {} GROUP BY 1) c
                  ON c.org_id = org.id",
            super::sql::placed("?1"),
            record::select::<Org>(),
            super::sql::on_rolls_placed("m", "?1", "p.org_id")
        ))?;
        let reader = Reader::<Org>::new(&stmt)?;
        let rows = stmt.query_map([date], |r| {
            Ok(OrgSummary {
                org: reader.read(r)?,
                members_on_rolls: r.get("on_rolls")?,
                position: r.get("position")?,
            })
        })?;
        let mut own = expectations(self.conn())?;
        let mut list: Vec<OrgSummary> = rows.collect::<rusqlite::Result<_>>()?;
        display_order(&mut list);
        // The tree's order: each organisation followed by those under it.
        let plain: Vec<Org> = list.iter().map(|s| s.org.clone()).collect();
        let mut slots: Vec<Option<OrgSummary>> = list.into_iter().map(Some).collect();
        let mut list: Vec<OrgSummary> = crate::model::org::tree_order(&plain)
            .into_iter()
            .filter_map(|(_, i)| slots[i].take())
            .collect();
        for s in &mut list {
            if let Some(e) = s.org.id.and_then(|id| own.remove(&id)) {
                s.org.expectations = e;
            }
        }
        Ok(list)
    }

    /// The day each organisation was entered in this ledger (its first audited insert), by id:
    /// for one without 成立日期, nothing is expected of it before then.
    pub fn org_entry_dates(&self) -> Result<HashMap<i64, NaiveDate>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT o.id, min(substr(a.at, 1, 10)) FROM org o
             JOIN audit a ON a.tbl = 'org' AND a.row_uid = o.uid AND a.action = 'insert'
             GROUP BY o.id",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
        let mut out = HashMap::new();
        for row in rows {
            let (id, day) = row?;
            if let Ok(d) = NaiveDate::parse_from_str(&day, "%Y-%m-%d") {
                out.insert(id, d);
            }
        }
        Ok(out)
    }

    /// Moves an organisation one place up (or down) among its siblings, as the tree shows them:
    /// the siblings are numbered in their present order and the two swap.
    pub fn move_org(&mut self, id: i64, up: bool) -> Result<()> {
        // Any day will do: only the order is read, not who is on the rolls.
        let all = self.orgs(NaiveDate::MIN)?;
        let parent = all
            .iter()
            .find(|s| s.org.id == Some(id))
            .ok_or(StoreError::NotFound)?
            .org
            .parent_id;
        let mut siblings: Vec<i64> = all
            .iter()
            .filter(|s| s.org.parent_id == parent)
            .filter_map(|s| s.org.id)
            .collect();
        let Some(i) = siblings.iter().position(|x| *x == id) else {
            return Err(StoreError::NotFound);
        };
        let j = if up { i.checked_sub(1) } else { Some(i + 1) };
        let Some(j) = j.filter(|j| *j < siblings.len()) else {
            return Ok(());
        };
        siblings.swap(i, j);
        self.write(|tx| {
            let mut set = tx.prepare_cached("UPDATE org SET position = ?1 WHERE id = ?2")?;
            for (position, org) in (1_i64..).zip(&siblings) {
                set.execute(params![position, org])?;
            }
            Ok(())
        })
    }

    /// One organisation with its own expectations.
    pub fn org(&self, id: i64) -> Result<Org> {
        org_by_id(self.conn(), id)?.ok_or(StoreError::NotFound)
    }

    /// The current committee (as the 组织 form shows it).
    pub fn committee(&self, org_id: i64) -> Result<Vec<CommitteeMember>> {
        committee_of(self.conn(), org_id)
    }

    /// Every committee row of `org_id`: the current ones, then those closed, oldest first.
    pub fn committee_history(&self, org_id: i64) -> Result<Vec<CommitteeMember>> {
        committee_rows(self.conn(), org_id, true)
    }

    /// Inserts or updates an organisation together with its committee, in one transaction.
    /// Committee rows missing from `committee` are removed (their removal is audited).
    pub fn save_org(&mut self, org: &Org, committee: &[CommitteeMember]) -> Result<i64> {
        self.write(|tx| {
            let clash: Option<i64> = tx
                .prepare_cached("SELECT id FROM org WHERE name = ?1")?
                .query_row([&org.name], |r| r.get(0))
                .optional()?;
            if clash.is_some() && clash != org.id {
                return Err(StoreError::at(
                    OrgField::Name,
                    format!("已有名为“{}”的组织", org.name),
                ));
            }
            check_parent(tx, org.id, org.parent_id)?;

            let before = match org.id {
                Some(id) => Some(org_by_id(tx, id)?.ok_or(StoreError::NotFound)?),
                None => None,
            };
            let mut saved = org.clone();
            if saved.uid.is_empty() {
                saved.uid = before
                    .as_ref()
                    .map(|b| b.uid.clone())
                    .unwrap_or_else(new_uid);
            }
            let id = write_row(tx, &saved)?;
            saved.id = Some(id);
            audit::record(tx, "org", &saved.uid, before.as_ref(), Some(&saved))?;
            save_committee(tx, id, committee)?;
            Ok(id)
        })
    }
}

/// Writes `rows` as the committee of `org_id`. A current row missing from them is removed (its
/// removal audited); rows closed before (离任) stay unless given.
pub(super) fn save_committee(tx: &Conn, org_id: i64, rows: &[CommitteeMember]) -> Result<()> {
    let existing = committee_rows(tx, org_id, true)?;
    for old in &existing {
        if old.ended.is_none() && !rows.iter().any(|r| r.id == old.id) {
            tx.prepare_cached("DELETE FROM committee_member WHERE id = ?1")?
                .execute([old.id])?;
            audit::record(tx, "committee_member", &old.uid, Some(old), None)?;
        }
    }
    for (position, row) in (0_i64..).zip(rows) {
        let before = existing.iter().find(|e| e.id.is_some() && e.id == row.id);
        if row.id.is_some() && before.is_none() {
            return Err(StoreError::NotFound);
        }
        let mut saved = row.clone();
        if saved.uid.is_empty() {
            saved.uid = before.map(|b| b.uid.clone()).unwrap_or_else(new_uid);
        }
        match saved.id {
            Some(id) => record::update(
                tx,
                "committee_member",
                &saved,
                id,
                &[("position", &position)],
            )?,
            None => saved.id = Some(insert_committee_member(tx, org_id, &saved, position)?),
        }
        audit::record(tx, "committee_member", &saved.uid, before, Some(&saved))?;
    }
    Ok(())
}

/// Inserts one committee member of `org_id` at `position` (its uid already set); returns its id.
pub(super) fn insert_committee_member(
    tx: &Conn,
    org_id: i64,
    c: &CommitteeMember,
    position: i64,
) -> Result<i64> {
    record::insert(
        tx,
        "committee_member",
        c,
        &[("org_id", &org_id), ("position", &position)],
    )
}

/// Inserts `o` (no id) or updates it (with one), with its own expectations; returns its id.
/// `o.uid` is already set.
pub(super) fn write_row(tx: &Conn, o: &Org) -> Result<i64> {
    let id = match o.id {
        Some(id) => {
            record::update(tx, "org", o, id, &[])?;
            id
        }
        None => record::insert(tx, "org", o, &[])?,
    };
    write_expectations(tx, id, &o.expectations)?;
    Ok(id)
}
