//! Backups: a copy a day into `backups/` beside the data file (the last 30 kept), a copy before any
//! schema upgrade and before a restore, and a copy on demand (备份到…). Each is written through
//! SQLite's online backup API in one read transaction, never by copying a live file, and checked
//! before it counts: integrity, the rows of every table, the attachments. A backup is one
//! `.sqlite` file (a ledger that opens as it is) and, when the records name attachments, the
//! folder `<name>-附件` beside it holding them.

use std::io;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rusqlite::{Connection, OpenFlags};

use super::Db;

/// How many daily backups are kept.
pub const KEEP_DAILY: usize = 30;

pub fn backups_dir(db_path: &Path) -> PathBuf {
    db_path.parent().unwrap_or(Path::new(".")).join("backups")
}

fn to_io(e: rusqlite::Error) -> io::Error {
    io::Error::other(super::sqlite_message(&e))
}

/// The system's own words for a file error ("No such file or directory (os error 2)") become
/// ours, naming `path` and what was being done; our own messages pass unchanged.
fn in_words(e: io::Error, doing: &str, path: &Path) -> io::Error {
    if e.raw_os_error().is_none() {
        return e;
    }
    io::Error::new(
        e.kind(),
        format!(
            "{doing}“{}”时出错：{}",
            path.display(),
            crate::paths::io_message(&e)
        ),
    )
}

/// The folder a backup to `dest` would go into, when it does not exist: the window offers to
/// create it, the command line says so. A backup never makes folders on its own (a mistyped
/// drive letter must not become a tree of folders).
pub fn missing_folder(dest: &Path) -> Option<PathBuf> {
    let parent = dest.parent().filter(|p| !p.as_os_str().is_empty())?;
    (!parent.is_dir()).then(|| parent.to_path_buf())
}

/// The backup to restore from is there (asked before anything is locked or written).
pub fn backup_exists(from: &Path) -> io::Result<()> {
    if from.is_file() {
        return Ok(());
    }
    Err(io::Error::new(
        io::ErrorKind::NotFound,
        format!(
            "找不到备份文件“{}”：请检查路径（或插好U盘）后重试。数据未作任何改动",
            from.display()
        ),
    ))
}

/// `dest` can take a new backup: no file of that name, and its folder exists.
fn ready_for(dest: &Path) -> io::Result<()> {
    if dest.exists() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            "该文件已存在，为免覆盖，请换一个文件名",
        ));
    }
    if let Some(folder) = missing_folder(dest) {
        return Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!(
                "备份位置的文件夹“{}”不存在：请先建立该文件夹（或插好U盘），或换一个位置",
                folder.display()
            ),
        ));
    }
    Ok(())
}

/// What a verified backup holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub members: i64,
    pub activities: i64,
    /// Rows of every table together.
    pub rows: i64,
    /// Attachment files copied beside the backup.
    pub attachments: usize,
    /// Attachments the records name but the folder did not have (nothing to copy).
    pub missing: Vec<String>,
}

impl Summary {
    /// The counts of a ledger, without attachments yet.
    fn of(counts: &Counts) -> Summary {
        let rows_of = |table: &str| {
            counts
                .iter()
                .find(|(t, _)| t == table)
                .map_or(0, |(_, n)| *n)
        };
        Summary {
            rows: counts.iter().map(|(_, n)| n).sum(),
            members: rows_of("member"),
            activities: rows_of("activity"),
            ..Summary::default()
        }
    }

    /// "已核对：党员 2000 人，活动记录 20000 条，共 612345 行；附件 12 个", as the window and the
    /// command line report a backup.
    pub fn describe(&self) -> String {
        let mut text = format!(
            "已核对：党员 {} 人，活动记录 {} 条，共 {} 行；附件 {} 个",
            self.members, self.activities, self.rows, self.attachments
        );
        if !self.missing.is_empty() {
            text.push_str(&format!(
                "（另有 {} 个附件在数据文件旁的 attachments 文件夹中已找不到，未能备份：{}）",
                self.missing.len(),
                self.missing.join("、")
            ));
        }
        text
    }
}

/// The folder beside a backup file that holds its attachments, named after the whole file name:
/// `党务备份.sqlite` → `党务备份.sqlite-附件`, so that `党务备份.db` beside it has its own.
pub fn attachments_of(backup: &Path) -> PathBuf {
    super::beside(backup, "-附件")
}

/// Where a backup's attachments are, reading it: its own folder, or for a backup written before
/// folders were named after the whole file name, `党务备份-附件`.
fn attachments_found(backup: &Path) -> PathBuf {
    let own = attachments_of(backup);
    if own.is_dir() {
        return own;
    }
    let stem = backup
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    backup.with_file_name(format!("{stem}-附件"))
}

/// Rows per table, by table name.
type Counts = Vec<(String, i64)>;

/// Rows per table, read in the caller's transaction.
fn counts(conn: &Connection) -> rusqlite::Result<Counts> {
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    tables
        .into_iter()
        .map(|t| {
            let n = conn.query_row(&format!("SELECT count(*) FROM \"{t}\""), [], |r| r.get(0))?;
            Ok((t, n))
        })
        .collect()
}

/// The files under `attachments/` the records name, each a plain file name (a name that would
/// lead out of the folder — `../x`, an absolute path, a drive — makes the file not a valid ledger
/// or backup: nothing is copied).
fn named_files(conn: &Connection) -> io::Result<Vec<String>> {
    let files = recorded_files(conn).map_err(to_io)?;
    if let Some(bad) = files
        .iter()
        .find(|f| crate::model::plain_file_name(f).is_err())
    {
        return Err(io::Error::other(format!(
            "记录中的附件名“{}”不是附件文件夹中的文件名，这不是一个有效的台账或备份，未写入任何内容",
            bad.escape_debug()
        )));
    }
    Ok(files)
}

fn recorded_files(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let has = |t: &str| -> rusqlite::Result<bool> {
        conn.query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1",
            [t],
            |r| r.get::<_, i64>(0).map(|n| n > 0),
        )
    };
    let mut files = Vec::new();
    if has("attachment")? {
        files.extend(
            conn.prepare("SELECT path FROM attachment")?
                .query_map([], |r| r.get::<_, String>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?,
        );
    }
    if has("rectification")? {
        files.extend(
            conn.prepare("SELECT evidence_file FROM rectification WHERE evidence_file <> ''")?
                .query_map([], |r| r.get::<_, String>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?,
        );
    }
    files.sort();
    files.dedup();
    Ok(files)
}

/// How deep a backup is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// `integrity_check`: every page, every b-tree, and every index against its table (1.5 s on
    /// the 85 MB demo ledger). For the backups the user keeps.
    Full,
    /// `quick_check`: every page and every b-tree, not the indexes against the tables (0.6 s).
    /// For the two checks of a restore: the backup was checked in full when it was written, and
    /// the copy kept before it is of a file the daily backup checks in full; the row counts
    /// compared with each catch a lost row either way.
    Quick,
}

/// Whether a file at `path` is a sound ledger: SQLite's integrity check, ours, and not newer.
pub fn check_file(path: &Path, depth: Check) -> io::Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(to_io)?;
    let damaged = |detail: String| {
        io::Error::other(format!("备份文件“{}”已损坏（{detail}）", path.display()))
    };
    let (app_id, version, _) = super::read_identity(&conn).map_err(|e| damaged(e.to_string()))?;
    if app_id != super::schema::APPLICATION_ID {
        return Err(io::Error::other(format!(
            "“{}”不是党务台账的数据文件或备份",
            path.display()
        )));
    }
    if version > super::schema::latest_version() {
        return Err(io::Error::other(format!(
            "“{}”来自更新版本的党务台账（数据版本 {version}），请升级程序后再恢复",
            path.display()
        )));
    }
    let pragma = match depth {
        Check::Full => "PRAGMA integrity_check(1)",
        Check::Quick => "PRAGMA quick_check(1)",
    };
    let verdict: String = conn
        .query_row(pragma, [], |r| r.get(0))
        .map_err(|e| damaged(e.to_string()))?;
    if verdict != "ok" {
        return Err(damaged(verdict));
    }
    Ok(conn)
}

/// Writes a backup of the database behind `source` (attachments from `attachments`) to `dest`
/// and checks it: SQLite's integrity check, the rows of every table equal to the source's at the
/// moment of the copy, every attachment there. `link` makes attachment copies hard links where
/// the disk allows (the daily backups: stored attachments never change). A failure removes what
/// was written and says why; a half-written backup never passes for one.
pub fn write_verified(
    source: &Connection,
    attachments: Option<&Path>,
    dest: &Path,
    link: bool,
    depth: Check,
) -> io::Result<Summary> {
    let partial = dest.with_extension("partial");
    // The attachments go into a folder of this run's own, renamed when the backup is whole: a
    // failure removes only what this run wrote, and a folder it did not make is never touched.
    let staging = attachments_of(&partial);
    let folder = attachments_of(dest);
    if folder.exists() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!(
                "备份位置已有文件夹“{}”，为免覆盖，请换一个文件名",
                folder.display()
            ),
        ));
    }
    let clean = || {
        let _ = std::fs::remove_file(&partial);
        let _ = std::fs::remove_dir_all(&staging);
    };
    clean();
    let result = (|| -> io::Result<Summary> {
        drop(super::private::create_file(&partial)?);
        // One read transaction: the counts and the copy see the same moment of the file, while a
        // window goes on writing through its own connection.
        source.execute_batch("BEGIN").map_err(to_io)?;
        let files = named_files(source);
        let copied = (|| -> rusqlite::Result<Counts> {
            let expected = counts(source)?;
            let mut out = Connection::open(&partial)?;
            rusqlite::backup::Backup::new(source, &mut out)?.run_to_completion(
                i32::MAX,
                std::time::Duration::ZERO,
                None,
            )?;
            // One plain file, with no -wal beside it to lose on the way to a USB stick.
            out.pragma_update(None, "journal_mode", "DELETE")?;
            Ok(expected)
        })();
        let _ = source.execute_batch("COMMIT");
        let files = files?;
        let expected = copied.map_err(|e| {
            use rusqlite::ErrorCode as C;
            io::Error::other(match e.sqlite_error_code() {
                // Where the backup goes, not the data file: said as such.
                Some(C::DiskFull) => {
                    "备份位置的磁盘空间不足，备份未完成（未写完的文件已删除），数据文件不受影响"
                        .to_string()
                }
                Some(C::CannotOpen | C::PermissionDenied | C::ReadOnly) => format!(
                    "无法写入备份位置“{}”（文件夹不存在、只读或没有权限），数据文件不受影响",
                    dest.parent().unwrap_or(Path::new(".")).display()
                ),
                Some(C::DatabaseCorrupt | C::NotADatabase) => format!(
                    "{}。数据文件可能已损坏，请停止录入，并从 backups 文件夹中最近的备份恢复",
                    super::sqlite_message(&e)
                ),
                _ => format!("备份未完成：{}", super::sqlite_message(&e)),
            })
        })?;
        let check = check_file(&partial, depth).map_err(|e| {
            io::Error::other(format!(
                "备份核对未通过：{e}。数据文件可能已损坏，请停止录入，并从 backups 文件夹中最近的备份恢复"
            ))
        })?;
        let found = counts(&check).map_err(to_io)?;
        drop(check);
        if found != expected {
            return Err(io::Error::other(
                "备份文件的记录数与数据文件不一致，备份未完成",
            ));
        }
        let mut summary = Summary::of(&found);
        if let Some(from) = attachments {
            for name in &files {
                let source_file = from.join(name);
                if !source_file.is_file() {
                    summary.missing.push(name.clone());
                    continue;
                }
                super::private::create_dir_all(&staging)?;
                let target = staging.join(name);
                if !(link && std::fs::hard_link(&source_file, &target).is_ok()) {
                    std::fs::copy(&source_file, &target)?;
                    super::private::restrict(&target)?;
                }
                summary.attachments += 1;
            }
            let present = std::fs::read_dir(&staging).map_or(0, |d| d.count());
            if present != summary.attachments {
                return Err(io::Error::other("备份的附件数与数据文件不一致，备份未完成"));
            }
        }
        if staging.exists() {
            std::fs::rename(&staging, &folder)?;
        }
        if let Err(e) = std::fs::rename(&partial, dest) {
            let _ = std::fs::rename(&folder, &staging);
            return Err(e);
        }
        Ok(summary)
    })();
    if result.is_err() {
        clean();
    }
    result
}

fn open_source(db_path: &Path) -> io::Result<Connection> {
    let conn = Connection::open_with_flags(
        db_path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(to_io)?;
    conn.busy_timeout(std::time::Duration::from_secs(10))
        .map_err(to_io)?;
    Ok(conn)
}

/// `attachments/` beside the data file at `db_path` (the one definition; `Db::attachments_dir`
/// asks it too).
pub(crate) fn attachments_beside(db_path: &Path) -> PathBuf {
    db_path
        .parent()
        .unwrap_or(Path::new("."))
        .join("attachments")
}

/// The daily backups of the data file at `db_path` are named after its whole file name, so that
/// `台账.sqlite` and `台账.db` in one folder each have their own.
fn daily_prefix(db_path: &Path) -> String {
    let name = db_path
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "dangwu".into());
    format!("{name}-")
}

/// Makes today's backup if there is none yet and prunes the daily backups to the newest
/// [`KEEP_DAILY`]. Returns the new file, or `None` when today's already existed.
/// Opens its own read-only connection, so it can run on a background thread.
pub fn daily(db_path: &Path, today: NaiveDate) -> io::Result<Option<PathBuf>> {
    let dir = backups_dir(db_path);
    super::private::create_dir_all(&dir)?;
    clean_leftovers(&dir);
    let prefix = daily_prefix(db_path);
    let dest = dir.join(format!("{prefix}{}.sqlite", today.format("%Y-%m-%d")));
    let made = if dest.exists() {
        None
    } else {
        let conn = open_source(db_path)?;
        write_verified(
            &conn,
            Some(&attachments_beside(db_path)),
            &dest,
            true,
            Check::Full,
        )?;
        Some(dest)
    };
    prune(&dir, &prefix)?;
    Ok(made)
}

/// What an interrupted backup left: `.partial` files and empty backups (a full disk), which would
/// otherwise open later as an empty ledger.
fn clean_leftovers(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
        let is = |ext: &str| path.extension().is_some_and(|e| e == ext);
        let empty = std::fs::metadata(&path).is_ok_and(|m| m.is_file() && m.len() == 0);
        if is("partial") || (is("sqlite") && empty) {
            let _ = std::fs::remove_file(&path);
            let _ = std::fs::remove_dir_all(attachments_of(&path));
        }
        // An attachment folder left by a run that died before its backup was renamed into place:
        // in the backups folder, which is ours, beside no backup.
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        if let Some(of) = name.as_deref().and_then(|n| n.strip_suffix("-附件"))
            && path.is_dir()
            && (of.ends_with(".partial") || (of.ends_with(".sqlite") && !dir.join(of).exists()))
        {
            let _ = std::fs::remove_dir_all(&path);
        }
    }
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
        // Its attachments, in the folder named either way (these backups are the app's own).
        let _ = std::fs::remove_dir_all(attachments_of(old));
        let _ = std::fs::remove_dir_all(attachments_found(old));
    }
    Ok(())
}

/// Backs the data file at `db_path` up to `dest` (which must not exist), attachments included, and
/// checks the backup; through its own read-only connection, so that 备份到… can run on the
/// window's worker thread while the window keeps its own.
pub fn copy_file(db_path: &Path, dest: &Path) -> io::Result<Summary> {
    ready_for(dest)?;
    let conn = open_source(db_path)?;
    write_verified(
        &conn,
        Some(&attachments_beside(db_path)),
        dest,
        false,
        Check::Full,
    )
    .map_err(|e| in_words(e, "备份到", dest))
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
        "{}升级前-v{version}-{}.sqlite",
        daily_prefix(db_path),
        chrono::Local::now().format("%Y%m%d-%H%M%S")
    ));
    // The attachments do not change in an upgrade: the data alone, checked.
    write_verified(conn, None, &dest, false, Check::Full)?;
    Ok(dest)
}

impl Db {
    /// Backs the open database up to `dest` (which must not exist), attachments included, and
    /// checks the backup (see [`write_verified`]).
    pub fn backup_to(&self, dest: &Path) -> io::Result<Summary> {
        ready_for(dest)?;
        let Some(conn) = self.conn().sqlite() else {
            return super::copy::backup_server(self, dest).map_err(|e| in_words(e, "备份到", dest));
        };
        write_verified(
            conn,
            self.attachments_dir().as_deref(),
            dest,
            false,
            Check::Full,
        )
        .map_err(|e| in_words(e, "备份到", dest))
    }
}

/// A restore done: the copy of the data as it was before, and what the restored data holds.
#[derive(Debug, Clone)]
pub struct Restored {
    pub kept_as: PathBuf,
    pub summary: Summary,
}

/// A backup found in the backups folder, for the window's list.
#[derive(Debug, Clone)]
pub struct Found {
    pub path: PathBuf,
    pub modified: Option<chrono::NaiveDateTime>,
    pub bytes: u64,
    pub members: Option<i64>,
    pub activities: Option<i64>,
}

/// The backups beside the data file at `db_path` (daily, before upgrades and restores, and any
/// other ledger file put there), newest first, with their counts where they can be read.
pub fn list(db_path: &Path) -> Vec<Found> {
    let Ok(entries) = std::fs::read_dir(backups_dir(db_path)) else {
        return Vec::new();
    };
    let mut found: Vec<Found> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "sqlite") && p.is_file())
        .map(|path| {
            let meta = std::fs::metadata(&path).ok();
            let count = |table: &str| -> Option<i64> {
                let conn = Connection::open_with_flags(
                    &path,
                    OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )
                .ok()?;
                conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
                    .ok()
            };
            Found {
                modified: meta
                    .as_ref()
                    .and_then(|m| m.modified().ok())
                    .map(|t| chrono::DateTime::<chrono::Local>::from(t).naive_local()),
                bytes: meta.map_or(0, |m| m.len()),
                members: count("member"),
                activities: count("activity"),
                path,
            }
        })
        .collect();
    found.sort_by(|a, b| b.modified.cmp(&a.modified).then(b.path.cmp(&a.path)));
    found
}

impl Db {
    /// Replaces the data of this file with the backup at `from`, after keeping the data as it is
    /// now as `backups/…-恢复前-….sqlite`. Written through SQLite's backup API into the open
    /// file, never by copying a file over one that may have a -wal beside it; the backup is
    /// checked first (integrity, ours, not newer) and the result counted against it. Attachments
    /// in the backup's folder come back into `attachments/` (files already there are kept).
    pub fn restore_from(&mut self, from: &Path) -> io::Result<Restored> {
        backup_exists(from)?;
        self.restore_checked(from)
            .map_err(|e| in_words(e, "从备份恢复", from))
    }

    fn restore_checked(&mut self, from: &Path) -> io::Result<Restored> {
        if self.server().is_some() {
            return Err(io::Error::other(
                "服务器上的台账不能直接从备份恢复：请由管理员用“dangwu copy --from 备份文件 --to 服务器地址”放到一个空的数据库中。数据未作任何改动",
            ));
        }
        let path = self
            .path()
            .map(Path::to_path_buf)
            .ok_or_else(|| io::Error::other("内存中的数据库不能恢复备份"))?;
        let source = check_file(from, Check::Quick)?;
        // A backup that names a file outside its attachment folder is refused before anything
        // is written.
        named_files(&source)?;
        let version: i32 = source
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(to_io)?;
        let expected = counts(&source).map_err(to_io)?;
        let dir = backups_dir(&path);
        super::private::create_dir_all(&dir)?;
        let kept_as = dir.join(format!(
            "{}恢复前-{}.sqlite",
            daily_prefix(&path),
            chrono::Local::now().format("%Y%m%d-%H%M%S")
        ));
        let conn = self
            .conn
            .sqlite()
            .ok_or_else(|| io::Error::other("not a file"))?;
        write_verified(
            conn,
            self.attachments_dir().as_deref(),
            &kept_as,
            true,
            Check::Quick,
        )?;
        let live = self
            .conn
            .sqlite_mut()
            .ok_or_else(|| io::Error::other("not a file"))?;
        rusqlite::backup::Backup::new(&source, live)
            .and_then(|b| b.run_to_completion(i32::MAX, std::time::Duration::ZERO, None))
            .map_err(to_io)?;
        // The live file keeps the journal its place needs (WAL, or a rollback journal on a
        // share), whatever the backup's was.
        let journal = self.location().journal().pragma();
        let live = self
            .conn
            .sqlite()
            .ok_or_else(|| io::Error::other("not a file"))?;
        live.pragma_update(None, "journal_mode", journal)
            .map_err(to_io)?;
        self.generation += 1;
        if version == super::schema::latest_version() {
            let found = counts(live).map_err(to_io)?;
            if found != expected {
                return Err(io::Error::other(format!(
                    "恢复后的记录数与备份不一致；恢复前的数据在“{}”",
                    kept_as.display()
                )));
            }
        }
        self.migrate().map_err(to_io)?;
        let live = self
            .conn
            .sqlite()
            .ok_or_else(|| io::Error::other("not a file"))?;
        let mut summary = Summary::of(&counts(live).map_err(to_io)?);
        let from_folder = attachments_found(from);
        if let Some(to_folder) = self.attachments_dir() {
            for name in named_files(live)? {
                let target = to_folder.join(&name);
                if target.is_file() {
                    summary.attachments += 1;
                    continue;
                }
                let file = from_folder.join(&name);
                if file.is_file() {
                    super::private::create_dir_all(&to_folder)?;
                    std::fs::copy(&file, &target)?;
                    super::private::restrict(&target)?;
                    summary.attachments += 1;
                } else {
                    summary.missing.push(name);
                }
            }
        }
        Ok(Restored { kept_as, summary })
    }
}
