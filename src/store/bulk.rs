//! Loading generated data (`dangwu demo-data`) into an empty file in one transaction, through the
//! same row writers as ordinary saves. No audit rows: nobody changed anything, and millions of them
//! would only bloat the file.

use super::{Db, Result, StoreError, activities, members, new_uid, orgs};
use rusqlite::params;

use crate::model::activity::Activity;
use crate::model::dues::Dues;
use crate::model::member::Member;
use crate::model::member_event::MemberEvent;
use crate::model::org::{CommitteeMember, Org};
use crate::model::transfer::Transfer;

/// What happens to members, for `bulk_load`: `member_id` and organisation ids index into the
/// member and organisation slices given beside them.
#[derive(Debug, Default)]
pub struct MemberRecords {
    pub transfers: Vec<Transfer>,
    pub dues: Vec<Dues>,
    pub events: Vec<MemberEvent>,
    /// Committee members, each with the index of its organisation (and, where the person is one
    /// of ours, `member_id` the member's index).
    pub committees: Vec<(usize, CommitteeMember)>,
}

impl Db {
    /// Whether the file holds any organisation, member or activity.
    pub fn has_records(&self) -> Result<bool> {
        Ok(self.conn().query_row(
            "SELECT EXISTS (SELECT 1 FROM org) OR EXISTS (SELECT 1 FROM member) OR EXISTS (SELECT 1 FROM activity)",
            [],
            |r| r.get(0),
        )?)
    }

    /// The first steps of a new ledger, done or not: 单位名称, an organisation, a member, a meeting.
    pub fn first_steps(&self) -> Result<[bool; 4]> {
        let unit = self
            .setting(super::settings::UNIT_NAME)?
            .is_some_and(|u| !u.trim().is_empty());
        let (orgs, members, activities) = self.conn().query_row(
            "SELECT EXISTS (SELECT 1 FROM org), EXISTS (SELECT 1 FROM member),
                    EXISTS (SELECT 1 FROM activity)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        Ok([unit, orgs, members, activities])
    }

    /// Inserts organisations (parents before children; `parent_id` indexes into `orgs`), members
    /// (`org_id` indexes into `orgs`), activities (`org_id` into `orgs`, attendance `member_id`
    /// into `members`) and the members' transfers, dues and events (indexed the same way).
    /// Refuses a file that already holds records.
    pub fn bulk_load(
        &mut self,
        orgs: &[Org],
        members: &[Member],
        activities: &[Activity],
        records: &MemberRecords,
    ) -> Result<()> {
        if self.has_records()? {
            return Err(StoreError::refused(
                "该数据文件中已有记录，演示数据只能写入空白文件",
            ));
        }
        self.write(|tx| {
            let mut org_ids: Vec<i64> = Vec::with_capacity(orgs.len());
            for o in orgs {
                let row = Org {
                    id: None,
                    uid: new_uid(),
                    parent_id: o.parent_id.map(|i| org_ids[i as usize]),
                    ..o.clone()
                };
                org_ids.push(orgs::write_row(tx, &row)?);
            }
            let mut member_ids = Vec::with_capacity(members.len());
            for m in members {
                let row = Member {
                    id: None,
                    uid: new_uid(),
                    org_id: org_ids[m.org_id as usize],
                    ..m.clone()
                };
                member_ids.push(members::write_row(tx, &row)?);
            }
            for a in activities {
                let mut row = Activity {
                    id: None,
                    uid: new_uid(),
                    org_id: org_ids[a.org_id as usize],
                    ..a.clone()
                };
                for x in &mut row.attendance {
                    x.member_id = member_ids[x.member_id as usize];
                }
                let id = activities::write_row(tx, &row)?;
                activities::write_children(tx, id, &row, false)?;
            }
            let mut position = std::collections::HashMap::new();
            for (o, c) in &records.committees {
                let p: &mut i64 = position.entry(*o).or_default();
                let row = CommitteeMember {
                    id: None,
                    uid: new_uid(),
                    member_id: c.member_id.map(|i| member_ids[i as usize]),
                    ..c.clone()
                };
                orgs::insert_committee_member(tx, org_ids[*o], &row, *p)?;
                *p += 1;
            }
            let org = |i: Option<i64>| i.map(|i| org_ids[i as usize]);
            let mut stmt = tx.prepare_cached(
                "INSERT INTO transfer (uid, member_id, date, from_org_id, to_org_id, other_org, note)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?;
            for t in &records.transfers {
                stmt.execute(params![
                    new_uid(),
                    member_ids[t.member_id as usize],
                    t.date,
                    org(t.from_org),
                    org(t.to_org),
                    t.other_org,
                    t.note
                ])?;
            }
            let mut stmt = tx.prepare_cached(
                "INSERT INTO dues (member_id, org_id, month, basis, base_fen, amount_fen)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            for d in &records.dues {
                stmt.execute(params![
                    member_ids[d.member_id as usize],
                    org_ids[d.org_id as usize],
                    d.month_key(),
                    d.basis,
                    d.base_fen,
                    d.amount_fen
                ])?;
            }
            let mut stmt = tx.prepare_cached(
                "INSERT INTO member_event (uid, act_uid, kind, date, for_year, member_id, org_id, title, grade, note)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?;
            // One uid per act: the generator names acts with any key.
            let mut acts = std::collections::HashMap::new();
            for e in &records.events {
                let act = acts.entry(e.act_uid.as_str()).or_insert_with(new_uid).clone();
                stmt.execute(params![
                    new_uid(),
                    act,
                    e.kind,
                    e.date,
                    e.for_year,
                    member_ids[e.member_id as usize],
                    org_ids[e.org_id as usize],
                    e.title,
                    e.grade,
                    e.note
                ])?;
            }
            Ok(())
        })
    }
}
