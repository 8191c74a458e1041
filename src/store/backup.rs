//! Backups: a copy a day into `backups/` beside the data file (the last 30 kept), a copy before any
//! schema upgrade, and a copy on demand. Always through SQLite (`VACUUM INTO` or the online backup
//! API), never by copying a live file.

use std::io;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rusqlite::{Connection, OpenFlags};

use super::{Db, Result};

/// How many daily backups are kept.
pub const KEEP_DAILY: usize = 30;

pub fn backups_dir(db_path: &Path) -> PathBuf {
    db_path.parent().unwrap_or(Path::new(".")).join("backups")
}

fn stem(db_path: &Path) -> String {
    db_path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "dangwu".into())
}

fn to_io(e: rusqlite::Error) -> io::Error {
    io::Error::other(e.to_string())
}

/// Writes a compact copy of the database behind `conn` to `dest` (through a temporary name, so a
/// half-written file never passes for a backup).
fn vacuum_into(conn: &Connection, dest: &Path) -> io::Result<()> {
    let partial = dest.with_extension("partial");
    let _ = std::fs::remove_file(&partial);
    // Owner-only from the start: VACUUM INTO fills an empty file it is given.
    drop(super::private::create_file(&partial)?);
    conn.execute("VACUUM INTO ?1", [partial.to_string_lossy()])
        .map_err(to_io)?;
    std::fs::rename(&partial, dest)
}

/// Makes today's backup if there is none yet and prunes the daily backups to the newest
/// [`KEEP_DAILY`]. Returns the new file, or `None` when today's already existed.
/// Opens its own read-only connection, so it can run on a background thread.
pub fn daily(db_path: &Path, today: NaiveDate) -> io::Result<Option<PathBuf>> {
    let dir = backups_dir(db_path);
    super::private::create_dir_all(&dir)?;
    let prefix = format!("{}-", stem(db_path));
    let dest = dir.join(format!("{prefix}{}.sqlite", today.format("%Y-%m-%d")));
    let made = if dest.exists() {
        None
    } else {
        let conn = Connection::open_with_flags(db_path, OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(to_io)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(to_io)?;
        // VACUUM INTO reads every page: this is where damage the quick checks at open miss shows up.
        vacuum_into(&conn, &dest).map_err(|e| {
            io::Error::other(format!(
                "{e}。数据文件可能已损坏，请停止录入，并从 backups 文件夹中最近的备份恢复"
            ))
        })?;
        Some(dest)
    };
    prune(&dir, &prefix)?;
    Ok(made)
}

/// Daily backups are named `<stem>-YYYY-MM-DD.sqlite`; anything else in the folder is left alone.
fn prune(dir: &Path, prefix: &str) -> io::Result<()> {
    let mut daily: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            name.strip_prefix(prefix)
                .and_then(|rest| rest.strip_suffix(".sqlite"))
                .is_some_and(|date| NaiveDate::parse_from_str(date, "%Y-%m-%d").is_ok())
        })
        .collect();
    daily.sort();
    let excess = daily.len().saturating_sub(KEEP_DAILY);
    for old in &daily[..excess] {
        std::fs::remove_file(old)?;
    }
    Ok(())
}

/// Copies the data file at `db_path` to `dest` (which must not exist) through its own read-only
/// connection, so that 备份到… can run on the window's worker thread while the window keeps its own.
pub fn copy_file(db_path: &Path, dest: &Path) -> io::Result<()> {
    if dest.exists() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            "该文件已存在，为免覆盖，请换一个文件名",
        ));
    }
    let conn =
        Connection::open_with_flags(db_path, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(to_io)?;
    conn.busy_timeout(std::time::Duration::from_secs(10))
        .map_err(to_io)?;
    vacuum_into(&conn, dest)
}

/// A copy taken before migrating a file from schema `version`; kept for good.
pub(crate) fn before_upgrade(
    conn: &Connection,
    db_path: &Path,
    version: i32,
) -> io::Result<PathBuf> {
    let dir = backups_dir(db_path);
    super::private::create_dir_all(&dir)?;
    let dest = dir.join(format!(
        "{}-升级前-v{version}-{}.sqlite",
        stem(db_path),
        chrono::Local::now().format("%Y%m%d-%H%M%S")
    ));
    vacuum_into(conn, &dest)?;
    Ok(dest)
}

impl Db {
    /// Copies the open database to `dest` with SQLite's online backup API.
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        drop(super::private::create_file(dest).map_err(|e| {
            super::StoreError::refused(format!("无法创建备份文件“{}”：{e}", dest.display()))
        })?);
        let mut target = Connection::open(dest)?;
        let backup = rusqlite::backup::Backup::new(self.conn(), &mut target)?;
        backup.run_to_completion(256, std::time::Duration::from_millis(0), None)?;
        Ok(())
    }
}
