//! 表彰 / 走访慰问 / 民主评议: member events, one act for several members in one transaction.

use rusqlite::{OptionalExtension, Row, params};

use super::{Db, Result, StoreError, audit, new_uid, sql};
use crate::model::FieldKey;
use crate::model::member_event::{EventField, MemberEvent};

const COLUMNS: &str = "e.id, e.uid, e.act_uid, e.kind, e.date, e.for_year, e.member_id, e.org_id, e.title, e.grade, e.note";

fn from_row(r: &Row) -> rusqlite::Result<MemberEvent> {
    Ok(MemberEvent {
        id: r.get(0)?,
        uid: r.get(1)?,
        act_uid: r.get(2)?,
        kind: r.get(3)?,
        date: r.get(4)?,
        for_year: r.get(5)?,
        member_id: r.get(6)?,
        org_id: r.get(7)?,
        title: r.get(8)?,
        grade: r.get(9)?,
        note: r.get(10)?,
    })
}

impl Db {
    /// Records one act (a commendation of five people is five rows with one `act_uid`). Each row
    /// takes the organisation its member belonged to on the date; a member outside the bureau then
    /// is refused by name, and nothing is written.
    pub fn save_member_events(&mut self, rows: &[MemberEvent]) -> Result<usize> {
        let org_at = format!(
            "SELECT {}, m.name FROM member m WHERE m.id = ?1",
            sql::org_at("m", "?2")
        );
        self.write(|tx| {
            let act = new_uid();
            for e in rows {
                let (org, name): (i64, String) = tx
                    .prepare_cached(&org_at)?
                    .query_row(params![e.member_id, e.date], |r| Ok((r.get(0)?, r.get(1)?)))
                    .optional()?
                    .ok_or(StoreError::NotFound)?;
                if org == 0 {
                    return Err(StoreError::at(
                        FieldKey::Event(EventField::Members),
                        format!("{name}在{}不在本单位党组织，未保存任何记录", e.date),
                    ));
                }
                let mut saved = e.clone();
                saved.uid = new_uid();
                saved.act_uid = act.clone();
                saved.org_id = org;
                tx.prepare_cached(
                    "INSERT INTO member_event (uid, act_uid, kind, date, for_year, member_id, org_id, title, grade, note)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                )?
                .execute(params![
                    saved.uid,
                    saved.act_uid,
                    saved.kind,
                    saved.date,
                    saved.for_year,
                    saved.member_id,
                    saved.org_id,
                    saved.title,
                    saved.grade,
                    saved.note
                ])?;
                saved.id = Some(tx.last_insert_rowid());
                audit::record(tx, "member_event", &saved.uid, None, Some(&saved))?;
            }
            Ok(rows.len())
        })
    }

    /// One member's events, newest first.
    pub fn events_of_member(&self, member_id: i64) -> Result<Vec<MemberEvent>> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {COLUMNS} FROM member_event e WHERE e.member_id = ?1 ORDER BY e.date DESC, e.id DESC"
        ))?;
        let rows = stmt.query_map([member_id], from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The events dated in `year`, with the member's name, by date.
    pub fn events_of_year(&self, year: i32) -> Result<Vec<(MemberEvent, String)>> {
        self.events_in(Some(year))
    }

    /// The events dated in `year` (all when `None`), with the member's name, by date.
    pub fn events_in(&self, year: Option<i32>) -> Result<Vec<(MemberEvent, String)>> {
        let (from, to) = match year {
            Some(y) => (format!("{y:04}-01-01"), format!("{y:04}-12-31")),
            None => ("0000-01-01".into(), "9999-12-31".into()),
        };
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {COLUMNS}, m.name FROM member_event e JOIN member m ON m.id = e.member_id
             WHERE e.date BETWEEN ?1 AND ?2 ORDER BY e.date, e.act_uid, m.name"
        ))?;
        let rows = stmt.query_map(params![from, to], |r| Ok((from_row(r)?, r.get(11)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Removes one member's event entered by mistake (audited with the whole row).
    pub fn delete_member_event(&mut self, id: i64) -> Result<()> {
        self.write(|tx| {
            let gone = tx
                .prepare_cached(&format!(
                    "SELECT {COLUMNS} FROM member_event e WHERE e.id = ?1"
                ))?
                .query_row([id], from_row)
                .optional()?
                .ok_or(StoreError::NotFound)?;
            tx.prepare_cached("DELETE FROM member_event WHERE id = ?1")?
                .execute([id])?;
            audit::record(tx, "member_event", &gone.uid, Some(&gone), None)
        })
    }
}
