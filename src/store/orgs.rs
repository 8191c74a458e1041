//! Organisations and their committees.

use rusqlite::{OptionalExtension, Row, Transaction, params};

use super::{Db, Result, StoreError, audit, new_uid};
use crate::model::org::{CommitteeMember, Org, OrgField};

/// An organisation with the figures the tree shows beside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgSummary {
    pub org: Org,
    pub members_on_rolls: i64,
}

const ORG_COLUMNS: &str = "id, uid, name, kind, parent_id, founded, term_start, term_years, has_committee, has_groups, note";

fn org_from_row(r: &Row) -> rusqlite::Result<Org> {
    Ok(Org {
        id: r.get("id")?,
        uid: r.get("uid")?,
        name: r.get("name")?,
        kind: r.get("kind")?,
        parent_id: r.get("parent_id")?,
        founded: r.get("founded")?,
        term_start: r.get("term_start")?,
        term_years: r.get("term_years")?,
        has_committee: r.get("has_committee")?,
        has_groups: r.get("has_groups")?,
        note: r.get("note")?,
    })
}

fn committee_from_row(r: &Row) -> rusqlite::Result<CommitteeMember> {
    Ok(CommitteeMember {
        id: r.get("id")?,
        uid: r.get("uid")?,
        role: r.get("role")?,
        name: r.get("name")?,
        member_id: r.get("member_id")?,
        duty: r.get("duty")?,
        appointed: r.get("appointed")?,
    })
}

fn org_by_id(tx: &Transaction, id: i64) -> Result<Option<Org>> {
    Ok(tx
        .prepare_cached(&format!("SELECT {ORG_COLUMNS} FROM org WHERE id = ?1"))?
        .query_row([id], org_from_row)
        .optional()?)
}

fn committee_of(conn: &rusqlite::Connection, org_id: i64) -> Result<Vec<CommitteeMember>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, uid, role, name, member_id, duty, appointed FROM committee_member
         WHERE org_id = ?1 ORDER BY position, id",
    )?;
    let rows = stmt.query_map([org_id], committee_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Refuses a parent that would put the organisation under itself.
fn check_parent(tx: &Transaction, org_id: Option<i64>, parent_id: Option<i64>) -> Result<()> {
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
    pub fn orgs(&self) -> Result<Vec<OrgSummary>> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {ORG_COLUMNS},
                    (SELECT count(*) FROM member m WHERE m.org_id = org.id AND m.status = '在册') AS on_rolls
             FROM org
             ORDER BY CASE kind WHEN '党组' THEN 0 WHEN '党委' THEN 1 WHEN '党总支' THEN 2 ELSE 3 END, name"
        ))?;
        let rows = stmt.query_map([], |r| {
            Ok(OrgSummary {
                org: org_from_row(r)?,
                members_on_rolls: r.get("on_rolls")?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn committee(&self, org_id: i64) -> Result<Vec<CommitteeMember>> {
        committee_of(self.conn(), org_id)
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

fn save_committee(tx: &Transaction, org_id: i64, rows: &[CommitteeMember]) -> Result<()> {
    let existing = committee_of(tx, org_id)?;
    for old in &existing {
        if !rows.iter().any(|r| r.id == old.id) {
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
            Some(id) => {
                tx.prepare_cached(
                    "UPDATE committee_member SET role = ?1, name = ?2, member_id = ?3, duty = ?4,
                     appointed = ?5, position = ?6 WHERE id = ?7",
                )?
                .execute(params![
                    saved.role,
                    saved.name,
                    saved.member_id,
                    saved.duty,
                    saved.appointed,
                    position,
                    id
                ])?;
            }
            None => {
                tx.prepare_cached(
                    "INSERT INTO committee_member (uid, org_id, role, name, member_id, duty, appointed, position)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )?
                .execute(params![
                    saved.uid,
                    org_id,
                    saved.role,
                    saved.name,
                    saved.member_id,
                    saved.duty,
                    saved.appointed,
                    position
                ])?;
                saved.id = Some(tx.last_insert_rowid());
            }
        }
        audit::record(tx, "committee_member", &saved.uid, before, Some(&saved))?;
    }
    Ok(())
}

/// Inserts `o` (no id) or updates it (with one); returns its id. `o.uid` is already set.
pub(super) fn write_row(tx: &Transaction, o: &Org) -> Result<i64> {
    let p = params![
        o.uid,
        o.name,
        o.kind,
        o.parent_id,
        o.founded,
        o.term_start,
        o.term_years,
        o.has_committee,
        o.has_groups,
        o.note
    ];
    let id = match o.id {
        Some(id) => {
            tx.prepare_cached(
                "UPDATE org SET uid = ?1, name = ?2, kind = ?3, parent_id = ?4, founded = ?5,
                 term_start = ?6, term_years = ?7, has_committee = ?8, has_groups = ?9, note = ?10
                 WHERE id = ?11",
            )?
            .execute(rusqlite::params_from_iter(
                p.iter().copied().chain([&id as &dyn rusqlite::ToSql]),
            ))?;
            id
        }
        None => {
            tx.prepare_cached(
                "INSERT INTO org (uid, name, kind, parent_id, founded, term_start, term_years,
                 has_committee, has_groups, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?
            .execute(p)?;
            tx.last_insert_rowid()
        }
    };
    Ok(id)
}
