//! The rectification ledger. Items are never deleted; every status change is an event in the same
//! transaction, with an audit row.

use std::path::Path;

use super::conn::Conn;
use chrono::NaiveDate;
use rusqlite::params;

use super::record::{self, Reader};
use super::{Db, Result, StoreError, audit, new_uid};
use crate::model::FieldKey;
use crate::model::rectify::{
    CloseField, Closing, EventKind, ReasonField, RectEvent, RectStatus, Rectification, Transition,
};

fn query(conn: &Conn, sql: &str, params: impl super::conn::Args) -> Result<Vec<Rectification>> {
    let mut stmt = conn.prepare_cached(&sql.replace("{}", &record::select::<Rectification>()))?;
    let reader = Reader::<Rectification>::new(&stmt)?;
    let rows = stmt.query_map(params, |r| reader.read(r))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn by_id(conn: &Conn, id: i64) -> Result<Rectification> {
    query(conn, "SELECT {} FROM rectification WHERE id = ?1", [id])?
        .pop()
        .ok_or(StoreError::NotFound)
}

fn event(tx: &Conn, item: i64, date: NaiveDate, kind: EventKind, text: &str) -> Result<()> {
    tx.prepare_cached("INSERT INTO rectification_event (uid, item_id, date, kind, text) VALUES (?1, ?2, ?3, ?4, ?5)")?
        .execute(params![new_uid(), item, date, kind, text])?;
    Ok(())
}

/// Writes `after` over the stored row (status changes included) with its audit row.
fn update(tx: &Conn, before: &Rectification, after: &Rectification) -> Result<()> {
    let a = after;
    record::update(
        tx,
        "rectification",
        a,
        a.id.ok_or(StoreError::NotFound)?,
        &[],
    )?;
    audit::record(tx, "rectification", &a.uid, Some(before), Some(after))
}

impl Db {
    /// Every item, newest found first.
    pub fn rectifications(&self) -> Result<Vec<Rectification>> {
        query(
            self.conn(),
            "SELECT {} FROM rectification ORDER BY found_on DESC, id DESC",
            [],
        )
    }

    pub fn rectification(&self, id: i64) -> Result<Rectification> {
        by_id(self.conn(), id)
    }

    pub fn rectification_history(&self, id: i64) -> Result<Vec<RectEvent>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT date, kind, text FROM rectification_event WHERE item_id = ?1 ORDER BY date, id",
        )?;
        let rows = stmt.query_map([id], |r| {
            Ok(RectEvent {
                date: r.get(0)?,
                kind: r.get(1)?,
                text: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Registers a problem or edits its description, measures and deadline; the status stays.
    pub fn save_rectification(&mut self, item: &Rectification) -> Result<i64> {
        self.write(|tx| match item.id {
            Some(id) => {
                let before = by_id(tx, id)?;
                let after = Rectification {
                    uid: before.uid.clone(),
                    status: before.status,
                    closed_on: before.closed_on,
                    evidence: before.evidence.clone(),
                    evidence_file: before.evidence_file.clone(),
                    verifier: before.verifier.clone(),
                    ..item.clone()
                };
                update(tx, &before, &after)?;
                Ok(id)
            }
            None => {
                let mut saved = item.clone();
                saved.uid = new_uid();
                saved.status = RectStatus::Open;
                let id = record::insert(tx, "rectification", &saved, &[])?;
                saved.id = Some(id);
                event(
                    tx,
                    id,
                    saved.found_on,
                    EventKind::Created,
                    &format!("来源：{}", saved.source),
                )?;
                audit::record(tx, "rectification", &saved.uid, None, Some(&saved))?;
                Ok(id)
            }
        })
    }

    /// An item brought in from a workbook with its whole history (checked by
    /// `rectify::replay`): the item as it stands, each entry as it was, one audit row.
    pub fn import_rectification(
        &mut self,
        item: &Rectification,
        history: &[RectEvent],
    ) -> Result<i64> {
        self.write(|tx| {
            let mut saved = item.clone();
            saved.id = None;
            saved.uid = new_uid();
            let id = record::insert(tx, "rectification", &saved, &[])?;
            saved.id = Some(id);
            for e in history {
                event(tx, id, e.date, e.kind, &e.text)?;
            }
            audit::record(tx, "rectification", &saved.uid, None, Some(&saved))?;
            Ok(id)
        })
    }

    /// A dated progress note; an item not yet started becomes 整改中.
    pub fn add_progress(&mut self, id: i64, date: NaiveDate, text: &str) -> Result<()> {
        self.transition(id, Transition::Progress, date, |before| {
            let after = Rectification {
                status: before.status.after(Transition::Progress),
                ..before.clone()
            };
            Ok((after, text.trim().to_string()))
        })
    }

    /// 销号: closes an open item with its completion date, evidence and verifier.
    pub fn close_rectification(&mut self, id: i64, c: &Closing) -> Result<()> {
        self.transition(id, Transition::Close, c.date, |before| {
            let after = Rectification {
                status: RectStatus::Closed,
                closed_on: Some(c.date),
                evidence: c.evidence.clone(),
                evidence_file: c.evidence_file.clone(),
                verifier: c.verifier.clone(),
                ..before.clone()
            };
            Ok((
                after,
                format!("验收人：{}；整改成效：{}", c.verifier, c.evidence),
            ))
        })
    }

    /// 销号 with an evidence file chosen by the user: the file is copied into `attachments/` in the
    /// same step as the write, and the copy removed again if the write is refused.
    pub fn close_rectification_with_file(
        &mut self,
        id: i64,
        c: &Closing,
        file: Option<&Path>,
    ) -> Result<()> {
        let Some(source) = file else {
            return self.close_rectification(id, c);
        };
        let stored = self
            .import_attachment(source)
            .map_err(|e| StoreError::at(CloseField::Evidence, format!("附件无法复制：{e}")))?;
        let closing = Closing {
            evidence_file: stored.clone(),
            ..c.clone()
        };
        self.close_rectification(id, &closing)
            .inspect_err(|_| self.remove_attachment(&stored))
    }

    /// Reopens a closed item; the reason is required and kept in the history with the old closing.
    pub fn reopen_rectification(&mut self, id: i64, date: NaiveDate, reason: &str) -> Result<()> {
        self.transition(id, Transition::Reopen, date, |before| {
            let after = Rectification {
                status: RectStatus::InProgress,
                closed_on: None,
                ..before.clone()
            };
            Ok((after, reason.trim().to_string()))
        })
    }

    /// 作废: an item entered in error leaves the ledger's counts but stays on record, with the reason.
    pub fn void_rectification(&mut self, id: i64, date: NaiveDate, reason: &str) -> Result<()> {
        self.transition(id, Transition::Void, date, |before| {
            let after = Rectification {
                status: RectStatus::Void,
                ..before.clone()
            };
            Ok((after, reason.trim().to_string()))
        })
    }

    /// Applies transition `t` dated `date` in one transaction, after the model's rules allow it
    /// (`RectStatus::allows`, `check_event_date`): `change` gives the item after it and the text of
    /// its history line, which is required.
    fn transition(
        &mut self,
        id: i64,
        t: Transition,
        date: NaiveDate,
        change: impl FnOnce(&Rectification) -> Result<(Rectification, String)>,
    ) -> Result<()> {
        self.write(|tx| {
            let before = by_id(tx, id)?;
            before.status.check(t).map_err(StoreError::refused)?;
            let date_field = match t {
                Transition::Close => FieldKey::Close(CloseField::Date),
                _ => FieldKey::Reason(ReasonField::Date),
            };
            before
                .check_event_date(t, date)
                .map_err(|m| StoreError::at(date_field, m))?;
            let (after, text) = change(&before)?;
            if text.is_empty() {
                let message = match t {
                    Transition::Progress => "请填写进展情况".to_string(),
                    _ => format!("{t}须填写原因"),
                };
                return Err(StoreError::at(ReasonField::Reason, message));
            }
            if after != before {
                update(tx, &before, &after)?;
            }
            let kind = match t {
                Transition::Progress => EventKind::Progress,
                Transition::Close => EventKind::Closed,
                Transition::Reopen => EventKind::Reopened,
                Transition::Void => EventKind::Voided,
            };
            event(tx, id, date, kind, &text)
        })
    }
}
