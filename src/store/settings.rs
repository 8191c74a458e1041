//! Settings kept in the data file, so they travel with it: 单位名称 for printed titles.

use rusqlite::{OptionalExtension, params};

use super::{Db, Result, audit};

/// The unit's name printed in titles (XX市民政局).
pub const UNIT_NAME: &str = "unit_name";

/// The day of the last 备份到… (a copy away from this PC: USB stick, share), as 2026-11-22.
pub const LAST_BACKUP_TO: &str = "last_backup_to";

/// How the user said sheets of their own are read (`workbook::import::reading::Correction`, by
/// the sheet's header words), as JSON: the next file with the same headers reads the same way.
pub const IMPORT_CORRECTIONS: &str = "import_corrections";

/// Days without a 备份到… after which the window reminds, gently.
pub const BACKUP_TO_REMINDER_DAYS: i64 = 30;

impl Db {
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn()
            .prepare_cached("SELECT value FROM setting WHERE key = ?1")?
            .query_row([key], |r| r.get(0))
            .optional()?)
    }

    /// Sets `key` (trimmed), audited like any change.
    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<()> {
        let value = value.trim().to_string();
        self.write(|tx| {
            let before: Option<String> = tx
                .prepare_cached("SELECT value FROM setting WHERE key = ?1")?
                .query_row([key], |r| r.get(0))
                .optional()?;
            tx.prepare_cached(
                "INSERT INTO setting (key, value) VALUES (?1, ?2)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            )?
            .execute(params![key, value])?;
            audit::record(tx, "setting", key, before.as_ref(), Some(&value))
        })
    }
}
