//! Integrity talks and their kinds.

use std::collections::HashMap;

use super::conn::Conn;
use chrono::NaiveDate;
use rusqlite::types::ToSql;
use rusqlite::{OptionalExtension, params};

use super::record::{self, Reader};
use super::{Db, Result, StoreError, audit, new_uid};
use crate::model::talk::{Talk, TalkKind};

fn talk_by_id(conn: &Conn, id: i64) -> Result<Option<Talk>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {} FROM talk WHERE id = ?1",
        record::select::<Talk>()
    ))?;
    let reader = Reader::<Talk>::new(&stmt)?;
    let Some(mut t) = stmt.query_row([id], |r| reader.read(r)).optional()? else {
        return Ok(None);
    };
    t.subjects = conn
        .prepare_cached(
            "SELECT m.id, m.name FROM talk_subject s JOIN member m ON m.id = s.member_id WHERE s.talk_id = ?1
             ORDER BY m.name, m.id",
        )?
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Some(t))
}

impl Db {
    pub fn talk_kinds(&self) -> Result<Vec<TalkKind>> {
        super::labels::all(self.conn(), &super::labels::TALK_KINDS)
    }

    /// Adds a kind, or renames or hides one. Kinds are never deleted.
    pub fn save_talk_kind(&mut self, k: &TalkKind) -> Result<i64> {
        Ok(self.save_talk_kinds(std::slice::from_ref(k))?[0])
    }

    /// Saves the rows of the kind settings in one transaction: all or none, naming the refused row.
    pub fn save_talk_kinds(&mut self, rows: &[TalkKind]) -> Result<Vec<i64>> {
        self.write(|tx| super::labels::save(tx, &super::labels::TALK_KINDS, rows))
    }

    /// The talks of `year` (or all), newest first.
    pub fn talks(&self, year: Option<i32>) -> Result<Vec<Talk>> {
        let (from, to) = match year {
            Some(y) => (format!("{y}-01-01"), format!("{y}-12-99")),
            None => (String::new(), "9999".into()),
        };
        self.talks_between(&from, &to)
    }

    /// The talks dated `from` to `to` (ISO text, both included), newest first, each with its
    /// 谈话对象 as [`Db::talk`] reads them.
    pub(crate) fn talks_between(&self, from: &str, to: &str) -> Result<Vec<Talk>> {
        // Two reads, the talks and their 谈话对象, not two a talk (10,000 talks took 150 ms).
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {} FROM talk WHERE date >= ?1 AND date <= ?2 ORDER BY date DESC, id DESC",
            record::select::<Talk>()
        ))?;
        let reader = Reader::<Talk>::new(&stmt)?;
        let mut talks: Vec<Talk> = stmt
            .query_map(params![from, to], |r| reader.read(r))?
            .collect::<rusqlite::Result<_>>()?;
        let index: HashMap<i64, usize> = talks
            .iter()
            .enumerate()
            .filter_map(|(i, t)| Some((t.id?, i)))
            .collect();
        // By name, as `talk` lists them.
        let mut stmt = conn.prepare_cached(
            "SELECT s.talk_id, m.id, m.name FROM talk_subject s
             JOIN talk t ON t.id = s.talk_id JOIN member m ON m.id = s.member_id
             WHERE t.date >= ?1 AND t.date <= ?2 ORDER BY m.name, m.id",
        )?;
        let mut rows = stmt.query(params![from, to])?;
        while let Some(r) = rows.next()? {
            if let Some(&i) = index.get(&r.get::<_, i64>(0)?) {
                talks[i].subjects.push((r.get(1)?, r.get(2)?));
            }
        }
        Ok(talks)
    }

    pub fn talk(&self, id: i64) -> Result<Talk> {
        talk_by_id(self.conn(), id)?.ok_or(StoreError::NotFound)
    }

    pub fn save_talk(&mut self, t: &Talk) -> Result<i64> {
        self.write(|tx| {
            let before = match t.id {
                Some(id) => Some(talk_by_id(tx, id)?.ok_or(StoreError::NotFound)?),
                None => None,
            };
            let mut saved = t.clone();
            if saved.uid.is_empty() {
                saved.uid = before
                    .as_ref()
                    .map(|b| b.uid.clone())
                    .unwrap_or_else(new_uid);
            }
            let s = &saved;
            // 谈话对象人次 kept beside the record, so the tally sums a column.
            let subjects = s.subject_count();
            let extra: [(&str, &dyn ToSql); 1] = [("subjects", &subjects)];
            let id = match s.id {
                Some(id) => {
                    record::update(tx, "talk", s, id, &extra)?;
                    id
                }
                None => record::insert(tx, "talk", s, &extra)?,
            };
            tx.prepare_cached("DELETE FROM talk_subject WHERE talk_id = ?1")?
                .execute([id])?;
            let mut add = tx.prepare_cached(
                "INSERT OR IGNORE INTO talk_subject (talk_id, member_id) VALUES (?1, ?2)",
            )?;
            for (member_id, _) in &s.subjects {
                add.execute([id, *member_id])?;
            }
            let after = talk_by_id(tx, id)?.ok_or(StoreError::NotFound)?;
            audit::record(tx, "talk", &after.uid, before.as_ref(), Some(&after))?;
            Ok(id)
        })
    }

    /// Members on the rolls (any organisation) with their organisation, to pick 谈话对象 from.
    pub fn members_on_rolls(&self, date: NaiveDate) -> Result<Vec<(i64, String, String)>> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT m.id, m.name, o.name FROM member m JOIN org o ON o.id = {}
             WHERE {} ORDER BY o.name, m.name",
            super::sql::org_at("m", "?1"),
            super::sql::on_rolls("m", "?1")
        ))?;
        let rows = stmt.query_map([date], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
