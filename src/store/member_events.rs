//! 表彰 / 走访慰问 / 民主评议: member events, one act for several members in one transaction.

use super::conn::{Conn, Row};
use rusqlite::{OptionalExtension, params};

use super::record::{self, Reader};
use super::{Db, Result, StoreError, audit, new_uid, sql};
use crate::model::FieldKey;
use crate::model::member_event::{EventField, MemberEvent};

/// The events selected with `sql`, whose `{}` is replaced by the declared columns of `e`, and
/// whose rows are mapped with `also` from the row and the event read.
fn query<T>(
    conn: &Conn,
    sql: &str,
    params: impl super::conn::Args,
    also: impl Fn(&Row, MemberEvent) -> rusqlite::Result<T>,
) -> Result<Vec<T>> {
    let mut stmt =
        conn.prepare_cached(&sql.replace("{}", &record::select_from::<MemberEvent>("e")))?;
    let reader = Reader::<MemberEvent>::new(&stmt)?;
    let rows = stmt.query_map(params, |r| also(r, reader.read(r)?))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
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
                saved.id = Some(record::insert(tx, "member_event", &saved, &[])?);
                audit::record(tx, "member_event", &saved.uid, None, Some(&saved))?;
            }
            Ok(rows.len())
        })
    }

    /// Changes one member's event (its title, year, grade or note; the member, kind and date stay).
    pub fn update_member_event(&mut self, e: &MemberEvent) -> Result<()> {
        self.write(|tx| {
            let id = e.id.ok_or(StoreError::NotFound)?;
            let before = query(
                tx,
                "SELECT {} FROM member_event e WHERE e.id = ?1",
                [id],
                |_, e| Ok(e),
            )?
            .pop()
            .ok_or(StoreError::NotFound)?;
            let after = MemberEvent {
                title: e.title.clone(),
                for_year: e.for_year,
                grade: e.grade,
                note: e.note.clone(),
                ..before.clone()
            };
            record::update(tx, "member_event", &after, id, &[])?;
            audit::record(tx, "member_event", &after.uid, Some(&before), Some(&after))
        })
    }

    /// One member's events, newest first.
    pub fn events_of_member(&self, member_id: i64) -> Result<Vec<MemberEvent>> {
        query(
            self.conn(),
            "SELECT {} FROM member_event e WHERE e.member_id = ?1 ORDER BY e.date DESC, e.id DESC",
            [member_id],
            |_, e| Ok(e),
        )
    }

    /// The events of `year`, with the member's name, by date: 表彰 and 走访慰问 dated in it, and
    /// 民主评议 for it (评议年度, as the tally counts them, usually held the January after).
    pub fn events_of_year(&self, year: i32) -> Result<Vec<(MemberEvent, String)>> {
        query(
            self.conn(),
            "SELECT {}, m.name AS member_name FROM member_event e JOIN member m ON m.id = e.member_id
             WHERE (e.kind <> '民主评议' AND e.date BETWEEN ?1 AND ?2)
                OR (e.kind = '民主评议' AND e.for_year = ?3)
             ORDER BY e.date, e.act_uid, m.name",
            params![format!("{year:04}-01-01"), format!("{year:04}-12-31"), year],
            |r, e| Ok((e, r.get("member_name")?)),
        )
    }

    /// The events dated in `year` (all when `None`), with the member's name, by date.
    pub fn events_in(&self, year: Option<i32>) -> Result<Vec<(MemberEvent, String)>> {
        let (from, to) = match year {
            Some(y) => (format!("{y:04}-01-01"), format!("{y:04}-12-31")),
            None => ("0000-01-01".into(), "9999-12-31".into()),
        };
        query(
            self.conn(),
            "SELECT {}, m.name AS member_name FROM member_event e JOIN member m ON m.id = e.member_id
             WHERE e.date BETWEEN ?1 AND ?2 ORDER BY e.date, e.act_uid, m.name",
            params![from, to],
            |r, e| Ok((e, r.get("member_name")?)),
        )
    }

    /// Removes one member's event entered by mistake (audited with the whole row).
    pub fn delete_member_event(&mut self, id: i64) -> Result<()> {
        self.write(|tx| {
            let gone = query(
                tx,
                "SELECT {} FROM member_event e WHERE e.id = ?1",
                [id],
                |_, e| Ok(e),
            )?
            .pop()
            .ok_or(StoreError::NotFound)?;
            tx.prepare_cached("DELETE FROM member_event WHERE id = ?1")?
                .execute([id])?;
            audit::record(tx, "member_event", &gone.uid, Some(&gone), None)
        })
    }
}
