//! The user-kept lists (谈话类型, 专题): one table each of the same shape, read and written here.
//! Entries are added, renamed and retired, never deleted; every change is audited.

use super::conn::{Conn, Row};
use rusqlite::{OptionalExtension, params};

use super::{Result, StoreError, audit, new_uid};
use crate::model::FieldKey;
use crate::model::label::Label;

/// One list: its table and what an entry is called in a message.
pub(crate) struct List {
    table: &'static str,
    noun: &'static str,
}

pub(crate) const TALK_KINDS: List = List {
    table: "talk_kind",
    noun: "谈话类型",
};

pub(crate) const THEMES: List = List {
    table: "theme",
    noun: "专题",
};

fn from_row(r: &Row) -> rusqlite::Result<Label> {
    Ok(Label {
        id: r.get(0)?,
        uid: r.get(1)?,
        label: r.get(2)?,
        builtin: r.get(3)?,
        hidden: r.get(4)?,
    })
}

/// Every entry of `list`, in its order.
pub(crate) fn all(conn: &Conn, list: &List) -> Result<Vec<Label>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT id, uid, label, builtin, hidden FROM {} ORDER BY position, id",
        list.table
    ))?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Saves the rows of a settings dialog in the caller's transaction, naming the refused row.
pub(crate) fn save(tx: &Conn, list: &List, rows: &[Label]) -> Result<Vec<i64>> {
    rows.iter()
        .enumerate()
        .map(|(i, k)| {
            if k.label.trim().is_empty() {
                return Err(StoreError::at(
                    FieldKey::Row(i),
                    format!("{}名称不能为空", list.noun),
                ));
            }
            write(tx, list, k).map_err(|e| super::activities::at_row(i, e))
        })
        .collect()
}

/// Adds an entry, or renames or retires one (built-in entries too: bureaus name them differently).
fn write(tx: &Conn, list: &List, k: &Label) -> Result<i64> {
    let table = list.table;
    let label = k.label.trim();
    let clash: Option<i64> = tx
        .prepare_cached(&format!("SELECT id FROM {table} WHERE label = ?1"))?
        .query_row([label], |r| r.get(0))
        .optional()?;
    if clash.is_some() && clash != k.id {
        return Err(StoreError::refused(format!(
            "已有名为“{label}”的{}",
            list.noun
        )));
    }
    let before = match k.id {
        Some(id) => Some(
            tx.prepare_cached(&format!(
                "SELECT id, uid, label, builtin, hidden FROM {table} WHERE id = ?1"
            ))?
            .query_row([id], from_row)
            .optional()?
            .ok_or(StoreError::NotFound)?,
        ),
        None => None,
    };
    let mut saved = k.clone();
    saved.label = label.to_string();
    let id = match (&before, k.id) {
        (Some(b), Some(id)) => {
            saved.uid = b.uid.clone();
            saved.builtin = b.builtin;
            tx.prepare_cached(&format!(
                "UPDATE {table} SET label = ?1, hidden = ?2 WHERE id = ?3"
            ))?
            .execute(params![saved.label, saved.hidden, id])?;
            id
        }
        _ => {
            saved.uid = new_uid();
            saved.builtin = false;
            tx.insert(
                &format!(
                    "INSERT INTO {table} (uid, label, builtin, hidden, position)
                     VALUES (?1, ?2, 0, ?3, (SELECT coalesce(max(position), 0) + 1 FROM {table}))"
                ),
                params![saved.uid, saved.label, saved.hidden],
            )?
        }
    };
    saved.id = Some(id);
    audit::record(tx, table, &saved.uid, before.as_ref(), Some(&saved))?;
    Ok(id)
}

impl super::Db {
    /// The 专题 list, in its order (retired ones included: old records keep theirs).
    pub fn themes(&self) -> Result<Vec<Label>> {
        all(self.conn(), &THEMES)
    }

    /// Saves the rows of the 专题 settings in one transaction: all or none, naming the refused row.
    pub fn save_themes(&mut self, rows: &[Label]) -> Result<Vec<i64>> {
        self.write(|tx| save(tx, &THEMES, rows))
    }
}
