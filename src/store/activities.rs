//! The 三会一课 and study ledger: activity types, records with their types, attendance and attachments.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::conn::{Conn, Row};
use chrono::{Datelike, NaiveDate};
use rusqlite::types::ToSql;
use rusqlite::{OptionalExtension, params};

use super::record::{self, Reader};
use super::{Db, Result, StoreError, audit, new_uid, sql};
use crate::model::FieldKey;
use crate::model::activity::{Activity, ActivityField, ActivityType, Attendance};

/// A line of the ledger list: enough to show and filter, without minutes or attendance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityRow {
    pub id: i64,
    pub date: NaiveDate,
    pub org_id: i64,
    pub type_ids: Vec<i64>,
    pub topic: String,
    pub expected: Option<u32>,
    pub present: Option<u32>,
    /// For 第一议题: days from the speech to its study.
    pub speech_date: Option<NaiveDate>,
}

/// How many records of one type an organisation held in one month (for one 所属年度), as
/// compliance and the tally count them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Held {
    pub org_id: i64,
    pub type_id: i64,
    /// The first day of the month the records were held in.
    pub month: NaiveDate,
    pub for_year: Option<i32>,
    pub count: u32,
}

/// Which records the list shows. `None` means "any".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActivityFilter {
    pub year: Option<i32>,
    pub month: Option<u32>,
    /// The organisations (usually one and those under it).
    pub org_ids: Option<Vec<i64>>,
    pub type_id: Option<i64>,
    /// Words in the topic or the content.
    pub text: String,
}

fn type_from_row(r: &Row) -> rusqlite::Result<ActivityType> {
    Ok(ActivityType {
        id: r.get("id")?,
        uid: r.get("uid")?,
        group: r.get("grp")?,
        label: r.get("label")?,
        frequency: r.get("frequency")?,
        expected_of: r.get("expected_of")?,
        requires: r.get("requires")?,
        builtin: r.get("builtin")?,
        hidden: r.get("hidden")?,
    })
}

fn ids(list: Option<String>) -> Vec<i64> {
    list.unwrap_or_default()
        .split(',')
        .filter_map(|s| s.parse().ok())
        .collect()
}

fn activity_by_id(conn: &Conn, id: i64) -> Result<Option<Activity>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {},
                (SELECT group_concat(type_id) FROM activity_kind WHERE activity_id = activity.id) AS types,
                (SELECT group_concat(theme_id) FROM activity_theme WHERE activity_id = activity.id) AS themes
         FROM activity WHERE id = ?1",
        record::select::<Activity>()
    ))?;
    let reader = Reader::<Activity>::new(&stmt)?;
    let Some(mut a) = stmt
        .query_row([id], |r| {
            let mut a = reader.read(r)?;
            a.type_ids = ids(r.get("types")?);
            a.theme_ids = ids(r.get("themes")?);
            Ok(a)
        })
        .optional()?
    else {
        return Ok(None);
    };
    a.type_ids.sort_unstable();
    a.theme_ids.sort_unstable();
    let mut stmt = conn.prepare_cached(
        "SELECT a.member_id, m.name, a.presence, a.reason FROM attendance a JOIN member m ON m.id = a.member_id
         WHERE a.activity_id = ?1 ORDER BY m.name, a.member_id",
    )?;
    a.attendance = stmt
        .query_map([id], |r| {
            Ok(Attendance {
                member_id: r.get(0)?,
                name: r.get(1)?,
                presence: r.get(2)?,
                reason: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut stmt = conn.prepare_cached(
        "SELECT path FROM attachment WHERE activity_id = ?1 ORDER BY position, id",
    )?;
    a.attachments = stmt
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Some(a))
}

/// Writes a record's types, 专题, attendance and attachments; `replacing` those of an existing record
/// (a new one has none to replace, and an import writes 20,000 new ones).
pub(super) fn write_children(tx: &Conn, id: i64, a: &Activity, replacing: bool) -> Result<()> {
    let mut kept: HashMap<String, String> = HashMap::new();
    if replacing {
        tx.prepare_cached("DELETE FROM activity_kind WHERE activity_id = ?1")?
            .execute([id])?;
        tx.prepare_cached("DELETE FROM activity_theme WHERE activity_id = ?1")?
            .execute([id])?;
        tx.prepare_cached("DELETE FROM attendance WHERE activity_id = ?1")?
            .execute([id])?;
        // Attachments keep their uid across saves; only their order may change.
        kept = tx
            .prepare_cached("SELECT path, uid FROM attachment WHERE activity_id = ?1")?
            .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        tx.prepare_cached("DELETE FROM attachment WHERE activity_id = ?1")?
            .execute([id])?;
    }
    let mut kind =
        tx.prepare_cached("INSERT INTO activity_kind (activity_id, type_id) VALUES (?1, ?2)")?;
    for t in &a.type_ids {
        kind.execute([id, *t])?;
    }
    let mut theme =
        tx.prepare_cached("INSERT INTO activity_theme (activity_id, theme_id) VALUES (?1, ?2)")?;
    for t in &a.theme_ids {
        theme.execute([id, *t])?;
    }
    // Many rows to a statement: an import writes half a million names, and a statement per name
    // spends most of its time starting and ending the statement.
    for chunk in a.attendance.chunks(super::sql::ROWS_PER_INSERT) {
        let sql = super::sql::insert_rows(
            "attendance",
            "activity_id, member_id, presence, reason",
            4,
            chunk.len(),
        );
        let mut values: Vec<&dyn ToSql> = Vec::with_capacity(chunk.len() * 4);
        for x in chunk {
            values.extend([&id as &dyn ToSql, &x.member_id, &x.presence, &x.reason]);
        }
        tx.prepare_cached(&sql)?.execute(values.as_slice())?;
    }
    let mut file = tx.prepare_cached(
        "INSERT INTO attachment (uid, activity_id, path, position) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (position, path) in (0_i64..).zip(&a.attachments) {
        let uid = kept.get(path).cloned().unwrap_or_else(new_uid);
        file.execute(params![uid, id, path, position])?;
    }
    Ok(())
}

impl Db {
    /// Every type, hidden ones too, in their display order.
    pub fn activity_types(&self) -> Result<Vec<ActivityType>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, uid, grp, label, frequency, expected_of, requires, builtin, hidden FROM activity_type
             ORDER BY position, id",
        )?;
        let rows = stmt.query_map([], type_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Adds a type or changes one (frequency, who it is expected of, hidden). Types are never deleted.
    pub fn save_activity_type(&mut self, t: &ActivityType) -> Result<i64> {
        Ok(self.save_activity_types(std::slice::from_ref(t))?[0])
    }

    /// Saves the rows of the type settings in one transaction: all of them or, when one is refused,
    /// none, with the refusal naming that row (`FieldKey::Row`, its index in `rows`).
    pub fn save_activity_types(&mut self, rows: &[ActivityType]) -> Result<Vec<i64>> {
        self.write(|tx| {
            rows.iter()
                .enumerate()
                .map(|(i, t)| {
                    if t.label.trim().is_empty() {
                        return Err(StoreError::at(FieldKey::Row(i), "类型名称不能为空"));
                    }
                    write_type(tx, t).map_err(|e| at_row(i, e))
                })
                .collect()
        })
    }

    /// The ledger lines matching `f`, newest first.
    pub fn activities(&self, f: &ActivityFilter) -> Result<Vec<ActivityRow>> {
        let (from, to) = match (f.year, f.month) {
            (Some(y), Some(m)) => (format!("{y}-{m:02}-01"), format!("{y}-{m:02}-99")),
            (Some(y), None) => (format!("{y}-01-01"), format!("{y}-12-99")),
            _ => (String::new(), "9999".to_string()),
        };
        // All years is a plain scan: through the date index it was 100,000 look-ups of the
        // table in random order. The types come in one second read, not one subquery a row
        // (which had tripled the time), and the rows are put in order here.
        let (range, kinds) = if f.year.is_some() {
            (
                "a.date >= ?1 AND a.date <= ?2",
                "SELECT k.activity_id, k.type_id FROM activity_kind k JOIN activity a ON a.id = k.activity_id
                 WHERE a.date >= ?1 AND a.date <= ?2",
            )
        } else {
            (
                "?1 <= ?2",
                "SELECT activity_id, type_id FROM activity_kind WHERE ?1 <= ?2",
            )
        };
        let orgs = f
            .org_ids
            .as_ref()
            .map(|ids| serde_json::to_string(ids).unwrap_or_default());
        let text = f.text.trim();
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT a.id, a.date, a.org_id, a.topic, a.expected, a.present, a.speech_date
             FROM activity a
             WHERE {range}
               AND (?3 IS NULL OR a.org_id IN (SELECT value FROM json_each(?3)))
               AND (?4 IS NULL OR EXISTS (SELECT 1 FROM activity_kind k WHERE k.activity_id = a.id AND k.type_id = ?4))
               AND (?5 = '' OR instr(a.topic, ?5) > 0 OR instr(a.content, ?5) > 0)"
        ))?;
        let mut rows: Vec<ActivityRow> = stmt
            .query_map(params![from, to, orgs, f.type_id, text], |r| {
                Ok(ActivityRow {
                    id: r.get(0)?,
                    date: sql::date_at(r, 1)?,
                    org_id: r.get(2)?,
                    topic: r.get(3)?,
                    expected: r.get(4)?,
                    present: r.get(5)?,
                    speech_date: sql::optional_date_at(r, 6)?,
                    type_ids: Vec::new(),
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        rows.sort_unstable_by_key(|r| std::cmp::Reverse((r.date, r.id)));
        let index: HashMap<i64, usize> = rows.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
        let mut stmt = conn.prepare_cached(kinds)?;
        let mut kinds = stmt.query(params![from, to])?;
        while let Some(k) = kinds.next()? {
            if let Some(&i) = index.get(&k.get::<_, i64>(0)?) {
                rows[i].type_ids.push(k.get(1)?);
            }
        }
        for r in &mut rows {
            r.type_ids.sort_unstable();
        }
        Ok(rows)
    }

    /// The years that have records, newest first.
    /// The years from the first record's to the last's, newest first. Read from the two ends of
    /// the date index: a DISTINCT over every record took 56 ms on 100,000 records.
    /// Every record of `year` (all when `None`) with its types, attendance and attachments, by
    /// date: the workbook export reads them in four queries, not one per record.
    pub fn activities_full(&self, year: Option<i32>) -> Result<Vec<Activity>> {
        let (from, to) = match year {
            Some(y) => (format!("{y:04}-01-01"), format!("{y:04}-12-31")),
            None => ("0000-01-01".into(), "9999-12-31".into()),
        };
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {} FROM activity WHERE date BETWEEN ?1 AND ?2 ORDER BY date, id",
            record::select::<Activity>()
        ))?;
        let reader = Reader::<Activity>::new(&stmt)?;
        let mut out: Vec<Activity> = stmt
            .query_map(params![from, to], |r| reader.read(r))?
            .collect::<rusqlite::Result<_>>()?;
        let index: HashMap<i64, usize> = out
            .iter()
            .enumerate()
            .filter_map(|(i, a)| Some((a.id?, i)))
            .collect();
        let mut stmt = conn.prepare_cached(
            "SELECT k.activity_id, k.type_id FROM activity_kind k JOIN activity a ON a.id = k.activity_id
             WHERE a.date BETWEEN ?1 AND ?2 ORDER BY k.activity_id, k.type_id",
        )?;
        for r in stmt.query_map(params![from, to], |r| Ok((r.get::<_, i64>(0)?, r.get(1)?)))? {
            let (id, ty) = r?;
            if let Some(&i) = index.get(&id) {
                out[i].type_ids.push(ty);
            }
        }
        let mut stmt = conn.prepare_cached(
            "SELECT t.activity_id, t.theme_id FROM activity_theme t JOIN activity a ON a.id = t.activity_id
             WHERE a.date BETWEEN ?1 AND ?2 ORDER BY t.activity_id, t.theme_id",
        )?;
        for r in stmt.query_map(params![from, to], |r| Ok((r.get::<_, i64>(0)?, r.get(1)?)))? {
            let (id, theme) = r?;
            if let Some(&i) = index.get(&id) {
                out[i].theme_ids.push(theme);
            }
        }
        // Names from one read of the members, not a join per attendance row (a year of a large
        // bureau has 50,000 of them).
        let names: HashMap<i64, String> = conn
            .prepare_cached("SELECT id, name FROM member")?
            .query_map([], |r| Ok((r.get("id")?, r.get("name")?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut stmt = conn.prepare_cached(
            "SELECT t.activity_id, t.member_id, t.presence, t.reason
             FROM attendance t JOIN activity a ON a.id = t.activity_id
             WHERE a.date BETWEEN ?1 AND ?2",
        )?;
        for r in stmt.query_map(params![from, to], |r| {
            Ok((
                r.get::<_, i64>("activity_id")?,
                r.get::<_, i64>("member_id")?,
                r.get("presence")?,
                r.get("reason")?,
            ))
        })? {
            let (id, member_id, presence, reason) = r?;
            if let Some(&i) = index.get(&id) {
                out[i].attendance.push(Attendance {
                    member_id,
                    name: names.get(&member_id).cloned().unwrap_or_default(),
                    presence,
                    reason,
                });
            }
        }
        // By name, as a record read alone lists them.
        for a in &mut out {
            a.attendance
                .sort_by(|x, y| (&x.name, x.member_id).cmp(&(&y.name, y.member_id)));
        }
        let mut stmt = conn.prepare_cached(
            "SELECT f.activity_id, f.path FROM attachment f JOIN activity a ON a.id = f.activity_id
             WHERE a.date BETWEEN ?1 AND ?2 ORDER BY f.activity_id, f.position, f.id",
        )?;
        for r in stmt.query_map(params![from, to], |r| {
            Ok((r.get::<_, i64>("activity_id")?, r.get("path")?))
        })? {
            let (id, path) = r?;
            if let Some(&i) = index.get(&id) {
                out[i].attachments.push(path);
            }
        }
        Ok(out)
    }

    /// (date, organisation, topic) of every record: how an imported row is matched.
    pub fn activity_keys(&self) -> Result<Vec<(NaiveDate, i64, String)>> {
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT date, org_id, topic FROM activity")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn activity_years(&self) -> Result<Vec<i32>> {
        // Two statements: SQLite reads an index end only for a lone min() or max().
        let end = |sql: &str| -> Result<Option<NaiveDate>> {
            Ok(self
                .conn()
                .prepare_cached(sql)?
                .query_row([], |r| r.get(0))?)
        };
        let first = end("SELECT min(date) FROM activity")?;
        let last = end("SELECT max(date) FROM activity")?;
        Ok(match (first, last) {
            (Some(first), Some(last)) => (first.year()..=last.year()).rev().collect(),
            _ => Vec::new(),
        })
    }

    /// The id of the record with `uid`, if there is one.
    pub fn activity_by_uid(&self, uid: &str) -> Result<Option<i64>> {
        Ok(self
            .conn()
            .prepare_cached("SELECT id FROM activity WHERE uid = ?1")?
            .query_row([uid], |r| r.get(0))
            .optional()?)
    }

    pub fn activity(&self, id: i64) -> Result<Activity> {
        activity_by_id(self.conn(), id)?.ok_or(StoreError::NotFound)
    }

    /// Inserts or updates a record with its types, attendance and attachments, in one transaction.
    pub fn save_activity(&mut self, a: &Activity) -> Result<i64> {
        self.write(|tx| {
            let before = match a.id {
                Some(id) => Some(activity_by_id(tx, id)?.ok_or(StoreError::NotFound)?),
                None => None,
            };
            let mut saved = a.clone();
            if saved.uid.is_empty() {
                saved.uid = before
                    .as_ref()
                    .map(|b| b.uid.clone())
                    .unwrap_or_else(new_uid);
            }
            let id = write_row(tx, &saved)?;
            saved.id = Some(id);
            write_children(tx, id, &saved, before.is_some())?;
            // The names in the attendance list come from the member records, as a reload would show
            // them. A new record's list was just taken from them (the roll of the day), so only a
            // changed one is read back (an import of 20,000 records skips 20,000 reads).
            let after = match before {
                Some(_) => activity_by_id(tx, id)?.ok_or(StoreError::NotFound)?,
                None => saved,
            };
            audit::record(tx, "activity", &after.uid, before.as_ref(), Some(&after))?;
            Ok(id)
        })
    }

    /// Saves a record together with files the user chose for it in the form: they are copied into
    /// `attachments/` now, in the same step as the write (a form that is cancelled never copies
    /// anything), and the copies are removed again if the write is refused.
    pub fn save_activity_with_files(&mut self, a: &Activity, files: &[PathBuf]) -> Result<i64> {
        let mut copied: Vec<String> = Vec::with_capacity(files.len());
        for source in files {
            match self.import_attachment(source) {
                Ok(stored) => copied.push(stored),
                Err(e) => {
                    copied.iter().for_each(|c| self.remove_attachment(c));
                    return Err(StoreError::at(
                        ActivityField::Attachments,
                        format!("附件“{}”无法复制：{e}", source.display()),
                    ));
                }
            }
        }
        let mut saved = a.clone();
        saved.attachments.extend(copied.iter().cloned());
        self.save_activity(&saved).inspect_err(|_| {
            copied.iter().for_each(|c| self.remove_attachment(c));
        })
    }

    /// Deletes a record (the user has confirmed); the audit row keeps all of it.
    pub fn delete_activity(&mut self, id: i64) -> Result<()> {
        self.write(|tx| {
            let before = activity_by_id(tx, id)?.ok_or(StoreError::NotFound)?;
            tx.prepare_cached("DELETE FROM activity WHERE id = ?1")?
                .execute([id])?;
            audit::record(tx, "activity", &before.uid, Some(&before), None)
        })
    }

    /// Records per organisation, type and month held from `from` to `to` (for `orgs`, all when
    /// `None`), and the yearly meetings held later for `from`'s year (所属年度): what compliance and
    /// the tally's counts by type and organisation are made from, in one scan of the range.
    pub fn held_counts(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        orgs: Option<&[i64]>,
    ) -> Result<Vec<Held>> {
        let orgs = orgs.map(|ids| serde_json::to_string(ids).unwrap_or_else(|_| "[]".into()));
        let mut out = Vec::new();
        for sql in [super::tally::HELD_SQL, super::tally::HELD_LATER_SQL] {
            let mut stmt = self.conn().prepare_cached(sql)?;
            let rows = stmt.query_map(params![from, to, orgs], |r| {
                Ok(Held {
                    org_id: r.get(0)?,
                    type_id: r.get(1)?,
                    month: NaiveDate::parse_from_str(
                        &format!("{}-01", r.get::<_, String>(2)?),
                        "%Y-%m-%d",
                    )
                    .map_err(|e| {
                        rusqlite::Error::FromSqlConversionFailure(
                            2,
                            rusqlite::types::Type::Text,
                            Box::new(e),
                        )
                    })?,
                    for_year: r.get(3)?,
                    count: r.get(4)?,
                })
            })?;
            for row in rows {
                out.push(row?);
            }
        }
        Ok(out)
    }

    /// (date, organisation, speech date) of the 第一议题 records held on or after `from`.
    pub fn first_topic_records(&self, from: NaiveDate) -> Result<Vec<(NaiveDate, i64, NaiveDate)>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT date, org_id, speech_date FROM activity
             WHERE speech_date IS NOT NULL AND date >= ?1 ORDER BY date",
        )?;
        let rows = stmt.query_map([from], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The date of each organisation's latest record.
    pub fn last_activity_dates(&self) -> Result<HashMap<i64, NaiveDate>> {
        let mut stmt = self
            .conn()
            // One index seek per organisation (a GROUP BY read every record: 34 ms on 100,000).
            .prepare_cached(
                "SELECT o.id, (SELECT max(a.date) FROM activity a WHERE a.org_id = o.id) AS last
                 FROM org o WHERE last IS NOT NULL",
            )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// `attachments/` beside the data file (`None` for a database in memory).
    pub fn attachments_dir(&self) -> Option<PathBuf> {
        self.path().map(super::backup::attachments_beside)
    }

    /// Removes a copy made by `import_attachment` that no record came to hold.
    pub(crate) fn remove_attachment(&self, stored: &str) {
        if let Some(dir) = self.attachments_dir() {
            // Best effort: a copy left behind wastes space but loses nothing.
            let _ = std::fs::remove_file(dir.join(stored));
        }
    }

    /// Copies `source` into the attachments folder under a name of its own and returns the stored path
    /// (relative to that folder). The copy stays with the data file when the folder is moved together.
    pub fn import_attachment(&self, source: &Path) -> std::io::Result<String> {
        let dir = self
            .attachments_dir()
            .ok_or_else(|| {
                std::io::Error::other(if self.server().is_some() {
                    "服务器上的台账暂不能保存附件（照片、扫描件）：请把附件存放在单位的共享文件夹中，并在备注中写明位置"
                } else {
                    "内存数据库不能保存附件"
                })
            })?;
        super::private::create_dir_all(&dir)?;
        let name = source
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "附件".into());
        let stored = format!("{}-{name}", &new_uid()[..8]);
        std::fs::copy(source, dir.join(&stored))?;
        super::private::restrict(&dir.join(&stored))?;
        Ok(stored)
    }
}

/// Inserts `s` (no id) or updates it (with one), without its types, attendance and attachments;
/// returns its id. `s.uid` is already set.
pub(super) fn write_row(tx: &Conn, s: &Activity) -> Result<i64> {
    match s.id {
        Some(id) => {
            record::update(tx, "activity", s, id, &[])?;
            Ok(id)
        }
        None => record::insert(tx, "activity", s, &[]),
    }
}

/// Adds a type or changes one. A built-in keeps its name and group.
fn write_type(tx: &Conn, t: &ActivityType) -> Result<i64> {
    let clash: Option<i64> = tx
        .prepare_cached("SELECT id FROM activity_type WHERE label = ?1")?
        .query_row([&t.label], |r| r.get(0))
        .optional()?;
    if clash.is_some() && clash != t.id {
        return Err(StoreError::refused(format!(
            "已有名为“{}”的活动类型",
            t.label
        )));
    }
    let before: Option<ActivityType> = match t.id {
        Some(id) => Some(
            tx.prepare_cached(
                "SELECT id, uid, grp, label, frequency, expected_of, requires, builtin, hidden
                 FROM activity_type WHERE id = ?1",
            )?
            .query_row([id], type_from_row)
            .optional()?
            .ok_or(StoreError::NotFound)?,
        ),
        None => None,
    };
    let mut saved = t.clone();
    if let Some(b) = &before {
        // A built-in keeps its name and group: reports and imports rely on them.
        saved.uid = b.uid.clone();
        saved.builtin = b.builtin;
        if b.builtin {
            saved.label = b.label.clone();
            saved.group = b.group.clone();
        }
    }
    let id = match saved.id {
        Some(id) => {
            tx.prepare_cached(
                "UPDATE activity_type SET grp = ?1, label = ?2, frequency = ?3, expected_of = ?4,
                 requires = ?5, hidden = ?6 WHERE id = ?7",
            )?
            .execute(params![
                saved.group,
                saved.label,
                saved.frequency,
                saved.expected_of,
                saved.requires,
                saved.hidden,
                id
            ])?;
            id
        }
        None => {
            saved.uid = new_uid();
            saved.builtin = false;
            tx.insert(
                "INSERT INTO activity_type (uid, grp, label, frequency, expected_of, requires, builtin,
                 hidden, position) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, ?7,
                 (SELECT coalesce(max(position), 0) + 1 FROM activity_type))",
                params![
                    saved.uid,
                    saved.group,
                    saved.label,
                    saved.frequency,
                    saved.expected_of,
                    saved.requires,
                    saved.hidden
                ],
            )?
        }
    };
    saved.id = Some(id);
    audit::record(
        tx,
        "activity_type",
        &saved.uid,
        before.as_ref(),
        Some(&saved),
    )?;
    Ok(id)
}

/// A refusal of one row of a settings list, named by its index.
pub(super) fn at_row(i: usize, e: StoreError) -> StoreError {
    match e {
        StoreError::Refused { message, .. } => StoreError::at(FieldKey::Row(i), message),
        e => e,
    }
}
