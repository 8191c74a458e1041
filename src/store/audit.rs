//! The audit log: who changed what, when, with the row before and after, written in the same
//! transaction as the change itself.

use rusqlite::{Connection, params};
use serde::Serialize;

use super::{Result, new_uid};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub at: String,
    pub actor: String,
    pub table: String,
    pub row_uid: String,
    pub action: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// The operating-system user, the best "who" an offline desktop app has.
fn actor() -> String {
    std::env::var("USERNAME")
        .or_else(|_| std::env::var("USER"))
        .unwrap_or_else(|_| "未知用户".into())
}

/// The local time to the second, as the audit shows it. Formatted once a second at most: an
/// import logs tens of thousands of rows, and the local time zone is looked up on every call.
fn now() -> String {
    use std::cell::RefCell;
    use std::time::Instant;
    thread_local! {
        static LAST: RefCell<Option<(Instant, String)>> = const { RefCell::new(None) };
    }
    LAST.with(|last| {
        let mut last = last.borrow_mut();
        match &*last {
            Some((at, text)) if at.elapsed().as_millis() < 500 => text.clone(),
            _ => {
                let text = chrono::Local::now().format("%Y-%m-%d %H:%M:%S").to_string();
                *last = Some((Instant::now(), text.clone()));
                text
            }
        }
    })
}

pub(crate) fn record<T: Serialize>(
    tx: &Connection,
    table: &str,
    row_uid: &str,
    before: Option<&T>,
    after: Option<&T>,
) -> Result<()> {
    let action = match (before, after) {
        (None, Some(_)) => "insert",
        (Some(_), Some(_)) => "update",
        _ => "delete",
    };
    let before = before.map(serde_json::to_string).transpose()?;
    let after = after.map(serde_json::to_string).transpose()?;
    if before.is_some() && before == after {
        return Ok(()); // nothing changed: nothing to log
    }
    tx.prepare_cached(
        "INSERT INTO audit (uid, at, actor, tbl, row_uid, action, before, after)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        new_uid(),
        now(),
        actor(),
        table,
        row_uid,
        action,
        before,
        after
    ])?;
    Ok(())
}

pub(crate) fn history(conn: &Connection, table: &str, row_uid: &str) -> Result<Vec<AuditEntry>> {
    let mut stmt = conn.prepare_cached(
        "SELECT at, actor, tbl, row_uid, action, before, after FROM audit
         WHERE tbl = ?1 AND row_uid = ?2 ORDER BY id",
    )?;
    let rows = stmt.query_map(params![table, row_uid], |r| {
        Ok(AuditEntry {
            at: r.get("at")?,
            actor: r.get("actor")?,
            table: r.get("tbl")?,
            row_uid: r.get("row_uid")?,
            action: r.get("action")?,
            before: r.get("before")?,
            after: r.get("after")?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

impl super::Db {
    /// How many changes the audit has logged in all (a write that changes nothing logs none).
    pub fn history_count(&self) -> Result<i64> {
        Ok(self
            .conn()
            .query_row("SELECT count(*) FROM audit", [], |r| r.get(0))?)
    }

    /// Every logged change of one row, oldest first.
    pub fn history(&self, table: &str, row_uid: &str) -> Result<Vec<AuditEntry>> {
        history(self.conn(), table, row_uid)
    }
}
