//! Loading generated data (`dangwu demo-data`) into an empty file in one transaction. No audit rows:
//! nobody changed anything, and millions of them would only bloat the file.

use rusqlite::params;

use super::{Db, Result, StoreError, new_uid};
use crate::model::activity::Activity;
use crate::model::member::Member;
use crate::model::org::Org;

impl Db {
    /// Whether the file holds any organisation, member or activity.
    pub fn has_records(&self) -> Result<bool> {
        Ok(self.conn().query_row(
            "SELECT EXISTS (SELECT 1 FROM org) OR EXISTS (SELECT 1 FROM member) OR EXISTS (SELECT 1 FROM activity)",
            [],
            |r| r.get(0),
        )?)
    }

    /// Inserts organisations (parents before children; `parent_id` indexes into `orgs`), members
    /// (`org_id` indexes into `orgs`) and activities (`org_id` into `orgs`, attendance `member_id`
    /// into `members`). Refuses a file that already holds records.
    pub fn bulk_load(
        &mut self,
        orgs: &[Org],
        members: &[Member],
        activities: &[Activity],
    ) -> Result<()> {
        if self.has_records()? {
            return Err(StoreError::Invalid(
                "该数据文件中已有记录，演示数据只能写入空白文件".into(),
            ));
        }
        self.write(|tx| {
            let mut org_ids = Vec::with_capacity(orgs.len());
            {
                let mut stmt = tx.prepare(
                    "INSERT INTO org (uid, name, kind, parent_id, founded, term_start, term_years, has_committee,
                     has_groups, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                )?;
                for o in orgs {
                    let parent = o.parent_id.map(|i| org_ids[i as usize]);
                    stmt.execute(params![
                        new_uid(),
                        o.name,
                        o.kind,
                        parent,
                        o.founded,
                        o.term_start,
                        o.term_years,
                        o.has_committee,
                        o.has_groups,
                        o.note
                    ])?;
                    org_ids.push(tx.last_insert_rowid());
                }
            }
            let mut member_ids = Vec::with_capacity(members.len());
            {
                let mut stmt = tx.prepare(
                    "INSERT INTO member (uid, name, gender, ethnicity, birth_date, id_number, education, job, phone,
                     org_id, category, applied_on, activist_on, candidate_on, probationary_on, full_on, party_post,
                     introducers, status, status_date, note)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19,
                             ?20, ?21)",
                )?;
                for m in members {
                    stmt.execute(params![
                        new_uid(),
                        m.name,
                        m.gender,
                        m.ethnicity,
                        m.birth_date,
                        super::sql::non_empty(&m.id_number),
                        m.education,
                        m.job,
                        m.phone,
                        org_ids[m.org_id as usize],
                        m.category,
                        m.applied_on,
                        m.activist_on,
                        m.candidate_on,
                        m.probationary_on,
                        m.full_on,
                        m.party_post,
                        m.introducers,
                        m.status,
                        m.status_date,
                        m.note
                    ])?;
                    member_ids.push(tx.last_insert_rowid());
                }
            }
            let mut activity = tx.prepare(
                "INSERT INTO activity (uid, date, time, org_id, topic, content, host, lecturer, place, recorder,
                 guests, minutes, outcome, speech_date, expected, present)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
            )?;
            let mut kind = tx.prepare("INSERT INTO activity_kind (activity_id, type_id) VALUES (?1, ?2)")?;
            let mut attendance =
                tx.prepare("INSERT INTO attendance (activity_id, member_id, presence, reason) VALUES (?1, ?2, ?3, ?4)")?;
            for a in activities {
                activity.execute(params![
                    new_uid(),
                    a.date,
                    a.time,
                    org_ids[a.org_id as usize],
                    a.topic,
                    a.content,
                    a.host,
                    a.lecturer,
                    a.place,
                    a.recorder,
                    a.guests,
                    a.minutes,
                    a.outcome,
                    a.speech_date,
                    a.expected,
                    a.present
                ])?;
                let id = tx.last_insert_rowid();
                for t in &a.type_ids {
                    kind.execute([id, *t])?;
                }
                for x in &a.attendance {
                    attendance.execute(params![id, member_ids[x.member_id as usize], x.presence, x.reason])?;
                }
            }
            Ok(())
        })
    }
}
