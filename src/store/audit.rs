//! The audit log: who changed what, when, with the row before and after, written in the same
//! transaction as the change itself.

use super::conn::Conn;
use rusqlite::params;
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

/// Fields whose values the audit does not keep (an ID number, a phone number): it keeps that they
/// changed. The record itself holds the current value; an old one is not kept anywhere.
const NOT_KEPT: &[&str] = &["id_number", "phone"];
const NOT_KEPT_MARK: &str = "（不记录）";
const CHANGED_MARK: &str = "（已修改，不记录）";

/// `before` and `after` as JSON, with the values of [`NOT_KEPT`] replaced by marks that still
/// show whether they changed.
fn redacted<T: Serialize>(
    before: Option<&T>,
    after: Option<&T>,
) -> serde_json::Result<(Option<String>, Option<String>)> {
    let plain_before = before.map(serde_json::to_string).transpose()?;
    let plain_after = after.map(serde_json::to_string).transpose()?;
    // Most records have none of these fields: their JSON is kept as it is, without a second pass.
    let has_any = |j: &Option<String>| {
        j.as_deref()
            .is_some_and(|j| NOT_KEPT.iter().any(|k| j.contains(&format!("\"{k}\":"))))
    };
    if !has_any(&plain_before) && !has_any(&plain_after) {
        return Ok((plain_before, plain_after));
    }
    let mut before = before.map(serde_json::to_value).transpose()?;
    let mut after = after.map(serde_json::to_value).transpose()?;
    for key in NOT_KEPT {
        let old = before.as_ref().and_then(|b| b.get(key)).cloned();
        let new = after.as_ref().and_then(|a| a.get(key)).cloned();
        let blank = |v: &Option<serde_json::Value>| {
            v.as_ref()
                .is_none_or(|v| v.is_null() || v.as_str().is_some_and(str::is_empty))
        };
        if let Some(serde_json::Value::Object(b)) = before.as_mut()
            && b.contains_key(*key)
            && !blank(&old)
        {
            b.insert(key.to_string(), NOT_KEPT_MARK.into());
        }
        if let Some(serde_json::Value::Object(a)) = after.as_mut()
            && a.contains_key(*key)
            && !blank(&new)
        {
            let mark = if before.is_some() && old != new {
                CHANGED_MARK
            } else {
                NOT_KEPT_MARK
            };
            a.insert(key.to_string(), mark.into());
        }
    }
    Ok((before.map(|v| v.to_string()), after.map(|v| v.to_string())))
}

pub(crate) fn record<T: Serialize>(
    tx: &Conn,
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
    let (before, after) = redacted(before, after)?;
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
        match tx.login() {
            // On a server every PC may have the same Windows user: the login says who.
            Some(login) => format!("{login}（{}）", actor()),
            None => actor(),
        },
        table,
        row_uid,
        action,
        before,
        after
    ])?;
    Ok(())
}

pub(crate) fn history(conn: &Conn, table: &str, row_uid: &str) -> Result<Vec<AuditEntry>> {
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
