//! 换届选举 and the committee of an organisation at a date.

use super::conn::Conn;
use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params};

use super::record::{self, Reader};
use super::{Db, Result, StoreError, audit, new_uid};
use crate::model::election::{self, Election};
use crate::model::org::{CommitteeMember, CommitteeRole, OrgKind};

fn elected_of(conn: &Conn, election_id: i64) -> Result<Vec<CommitteeMember>> {
    let mut stmt = conn.prepare_cached(
        "SELECT e.role, e.name, e.member_id, e.duty, x.held
         FROM election_member e JOIN election x ON x.id = e.election_id
         WHERE e.election_id = ?1 ORDER BY e.position, e.id",
    )?;
    let rows = stmt.query_map([election_id], |r| {
        let role: String = r.get("role")?;
        Ok(CommitteeMember {
            id: None,
            uid: String::new(),
            role: CommitteeRole::from_label(&role).unwrap_or_default(),
            name: r.get("name")?,
            member_id: r.get("member_id")?,
            duty: r.get("duty")?,
            appointed: r.get("held")?,
            ended: None,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The elections of `org_id` (all when `None`), newest first, each with the people it elected.
fn elections_of(conn: &Conn, org_id: Option<i64>) -> Result<Vec<Election>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {} FROM election WHERE ?1 IS NULL OR org_id = ?1 ORDER BY held DESC, id DESC",
        record::select::<Election>()
    ))?;
    let reader = Reader::<Election>::new(&stmt)?;
    let list: Vec<Election> = stmt
        .query_map([org_id], |r| reader.read(r))?
        .collect::<rusqlite::Result<_>>()?;
    list.into_iter()
        .map(|mut e| {
            e.elected = elected_of(conn, e.id.unwrap_or_default())?;
            Ok(e)
        })
        .collect()
}

fn election_by_id(conn: &Conn, id: i64) -> Result<Option<Election>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {} FROM election WHERE id = ?1",
        record::select::<Election>()
    ))?;
    let reader = Reader::<Election>::new(&stmt)?;
    let Some(mut e) = stmt.query_row([id], |r| reader.read(r)).optional()? else {
        return Ok(None);
    };
    e.elected = elected_of(conn, id)?;
    Ok(Some(e))
}

/// Closes the current committee of `org_id` on `held`: each row gets 离任日期 `held` (history
/// kept), except the rows appointed that very day, which are the election's own, written again.
fn close_terms(tx: &Conn, org_id: i64, held: NaiveDate) -> Result<()> {
    for row in super::orgs::committee_rows(tx, org_id, false)? {
        let Some(id) = row.id else { continue };
        if row.appointed == Some(held) {
            tx.prepare_cached("DELETE FROM committee_member WHERE id = ?1")?
                .execute([id])?;
            audit::record(tx, "committee_member", &row.uid, Some(&row), None)?;
        } else {
            let closed = CommitteeMember {
                ended: Some(held),
                ..row.clone()
            };
            tx.prepare_cached("UPDATE committee_member SET ended = ?1 WHERE id = ?2")?
                .execute(params![held, id])?;
            audit::record(tx, "committee_member", &row.uid, Some(&row), Some(&closed))?;
        }
    }
    Ok(())
}

impl Db {
    /// The elections of one organisation (every one when `None`), newest first.
    pub fn elections(&self, org_id: Option<i64>) -> Result<Vec<Election>> {
        elections_of(self.conn(), org_id)
    }

    pub fn election(&self, id: i64) -> Result<Election> {
        election_by_id(self.conn(), id)?.ok_or(StoreError::NotFound)
    }

    /// Saves an election with the people it elected, in one transaction. When it is the
    /// organisation's latest, it closes the previous terms: the committee kept on the organisation
    /// becomes the one elected (the rows it replaces are audited) and the term starts on its date,
    /// so the 换届 reminder counts from it.
    pub fn save_election(&mut self, e: &Election) -> Result<i64> {
        self.write(|tx| {
            let before = match e.id {
                Some(id) => Some(election_by_id(tx, id)?.ok_or(StoreError::NotFound)?),
                None => None,
            };
            let mut saved = e.clone();
            if saved.uid.is_empty() {
                saved.uid = before
                    .as_ref()
                    .map(|b| b.uid.clone())
                    .unwrap_or_else(new_uid);
            }
            let id = match saved.id {
                Some(id) => {
                    record::update(tx, "election", &saved, id, &[])?;
                    id
                }
                None => record::insert(tx, "election", &saved, &[])?,
            };
            saved.id = Some(id);
            tx.prepare_cached("DELETE FROM election_member WHERE election_id = ?1")?
                .execute([id])?;
            let mut add = tx.prepare_cached(
                "INSERT INTO election_member (election_id, role, name, member_id, duty, position)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            for (position, m) in (0_i64..).zip(&saved.elected) {
                add.execute(params![
                    id,
                    m.role.label(),
                    m.name,
                    m.member_id,
                    m.duty,
                    position
                ])?;
            }
            let after = election_by_id(tx, id)?.ok_or(StoreError::NotFound)?;
            audit::record(tx, "election", &after.uid, before.as_ref(), Some(&after))?;

            let latest: Option<i64> = tx
                .prepare_cached(
                    "SELECT id FROM election WHERE org_id = ?1 ORDER BY held DESC, id DESC LIMIT 1",
                )?
                .query_row([saved.org_id], |r| r.get(0))
                .optional()?;
            // Saved again unchanged (a note corrected), it leaves the committee as it is now: a
            // 补选 recorded since on the organisation stays.
            let elected_changed = before.as_ref().is_none_or(|b| b.elected != after.elected);
            if latest == Some(id) && elected_changed {
                let mut org =
                    super::orgs::org_by_id(tx, saved.org_id)?.ok_or(StoreError::NotFound)?;
                close_terms(tx, saved.org_id, saved.held)?;
                for (position, m) in (0_i64..).zip(&after.elected) {
                    let row = CommitteeMember {
                        uid: new_uid(),
                        ..m.clone()
                    };
                    super::orgs::insert_committee_member(tx, saved.org_id, &row, position)?;
                    audit::record(tx, "committee_member", &row.uid, None, Some(&row))?;
                }
                if org.term_start != Some(saved.held) {
                    let was = org.clone();
                    org.term_start = Some(saved.held);
                    super::orgs::write_row(tx, &org)?;
                    audit::record(tx, "org", &org.uid, Some(&was), Some(&org))?;
                }
            }
            Ok(id)
        })
    }

    /// The committee of `org_id` on `date`, from its elections and the rows kept by hand
    /// (`model::election::committee_at`).
    pub fn committee_at(&self, org_id: i64, date: NaiveDate) -> Result<Vec<CommitteeMember>> {
        let hand = self.committee_history(org_id)?;
        let elections = self.elections(Some(org_id))?;
        Ok(election::committee_at(date, &hand, &elections))
    }

    /// The leadership (领导班子) whose lectures the tally counts: the committees of the 党组, or
    /// where the ledger has none, of the 党委 at the top. Each as (rows kept by hand, elections).
    pub fn leadership(&self) -> Result<Vec<(Vec<CommitteeMember>, Vec<Election>)>> {
        let orgs: Vec<(i64, String, Option<i64>)> = self
            .conn()
            .prepare_cached("SELECT id, kind, parent_id FROM org ORDER BY id")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let of = |k: OrgKind, top: bool| -> Vec<i64> {
            orgs.iter()
                .filter(|(_, kind, parent)| kind == k.label() && (!top || parent.is_none()))
                .map(|(id, _, _)| *id)
                .collect()
        };
        let mut leading = of(OrgKind::LeadingGroup, false);
        if leading.is_empty() {
            leading = of(OrgKind::Committee, true);
        }
        leading
            .into_iter()
            .map(|id| Ok((self.committee_history(id)?, self.elections(Some(id))?)))
            .collect()
    }
}

impl Db {
    /// The names on the leadership's committee on `date` (each once), offered as 主讲人.
    pub fn leader_names(&self, date: NaiveDate) -> Result<Vec<String>> {
        let mut names: Vec<String> = Vec::new();
        for (hand, elections) in self.leadership()? {
            for m in election::committee_at(date, &hand, &elections) {
                if !names.contains(&m.name) {
                    names.push(m.name);
                }
            }
        }
        Ok(names)
    }
}
