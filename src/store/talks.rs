//! Integrity talks and their kinds.

use chrono::NaiveDate;
use rusqlite::types::ToSql;
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::record::{self, Reader};
use super::{Db, Result, StoreError, audit, new_uid};
use crate::model::FieldKey;
use crate::model::talk::{Talk, TalkKind};

fn kind_from_row(r: &Row) -> rusqlite::Result<TalkKind> {
    Ok(TalkKind {
        id: r.get(0)?,
        uid: r.get(1)?,
        label: r.get(2)?,
        builtin: r.get(3)?,
        hidden: r.get(4)?,
    })
}

fn talk_by_id(conn: &rusqlite::Connection, id: i64) -> Result<Option<Talk>> {
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
             ORDER BY m.name",
        )?
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Some(t))
}

impl Db {
    pub fn talk_kinds(&self) -> Result<Vec<TalkKind>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, uid, label, builtin, hidden FROM talk_kind ORDER BY position, id",
        )?;
        let rows = stmt.query_map([], kind_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Adds a kind, or renames or hides one. Kinds are never deleted.
    pub fn save_talk_kind(&mut self, k: &TalkKind) -> Result<i64> {
        Ok(self.save_talk_kinds(std::slice::from_ref(k))?[0])
    }

    /// Saves the rows of the kind settings in one transaction: all or none, naming the refused row.
    pub fn save_talk_kinds(&mut self, rows: &[TalkKind]) -> Result<Vec<i64>> {
        self.write(|tx| {
            rows.iter()
                .enumerate()
                .map(|(i, k)| {
                    if k.label.trim().is_empty() {
                        return Err(StoreError::at(FieldKey::Row(i), "类型名称不能为空"));
                    }
                    write_kind(tx, k).map_err(|e| super::activities::at_row(i, e))
                })
                .collect()
        })
    }

    /// The talks of `year` (or all), newest first.
    pub fn talks(&self, year: Option<i32>) -> Result<Vec<Talk>> {
        let (from, to) = match year {
            Some(y) => (format!("{y}-01-01"), format!("{y}-12-99")),
            None => (String::new(), "9999".into()),
        };
        let ids: Vec<i64> = self
            .conn()
            .prepare_cached(
                "SELECT id FROM talk WHERE date >= ?1 AND date <= ?2 ORDER BY date DESC, id DESC",
            )?
            .query_map([from, to], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        ids.into_iter()
            .map(|id| talk_by_id(self.conn(), id)?.ok_or(StoreError::NotFound))
            .collect()
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

/// Adds a kind, or renames or hides one.
fn write_kind(tx: &Connection, k: &TalkKind) -> Result<i64> {
    let clash: Option<i64> = tx
        .prepare_cached("SELECT id FROM talk_kind WHERE label = ?1")?
        .query_row([&k.label], |r| r.get(0))
        .optional()?;
    if clash.is_some() && clash != k.id {
        return Err(StoreError::refused(format!(
            "已有名为“{}”的谈话类型",
            k.label
        )));
    }
    let before = match k.id {
        Some(id) => Some(
            tx.prepare_cached(
                "SELECT id, uid, label, builtin, hidden FROM talk_kind WHERE id = ?1",
            )?
            .query_row([id], kind_from_row)
            .optional()?
            .ok_or(StoreError::NotFound)?,
        ),
        None => None,
    };
    let mut saved = k.clone();
    let id = match (&before, k.id) {
        (Some(b), Some(id)) => {
            saved.uid = b.uid.clone();
            saved.builtin = b.builtin;
            tx.prepare_cached("UPDATE talk_kind SET label = ?1, hidden = ?2 WHERE id = ?3")?
                .execute(params![saved.label, saved.hidden, id])?;
            id
        }
        _ => {
            saved.uid = new_uid();
            saved.builtin = false;
            tx.prepare_cached(
                "INSERT INTO talk_kind (uid, label, builtin, hidden, position)
                 VALUES (?1, ?2, 0, ?3, (SELECT coalesce(max(position), 0) + 1 FROM talk_kind))",
            )?
            .execute(params![saved.uid, saved.label, saved.hidden])?;
            tx.last_insert_rowid()
        }
    };
    saved.id = Some(id);
    audit::record(tx, "talk_kind", &saved.uid, before.as_ref(), Some(&saved))?;
    Ok(id)
}
