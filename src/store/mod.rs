//! The SQLite store. One `Db` per open file; everything the app keeps goes through here.
//! Nothing in this module knows about egui.

mod access;
mod activities;
mod audit;
pub mod backup;
mod bulk;
pub mod conn;
mod copy;
mod dialect;
mod dues;
mod elections;
mod guard;
mod labels;
pub mod lock;
mod member_events;
mod members;
mod orgs;
pub mod private;
mod record;
mod rectify;
pub mod schema;
pub mod server;
pub mod settings;
pub mod share;
mod sql;
mod talks;
pub mod tally;
mod tls;
mod transfers;

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use crate::model::FieldKey;
use conn::Conn;

pub use activities::{ActivityFilter, ActivityRow, Held};
pub use audit::AuditEntry;
pub use bulk::MemberRecords;
pub use dues::roll_day;
pub use orgs::OrgSummary;

/// Why a file could not be opened. Every message is for the user, in Chinese, and in every case
/// the file was left exactly as it was.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("“{0}”不是 SQLite 数据文件，无法作为党务台账打开。文件未作任何改动。")]
    NotSqlite(PathBuf),
    #[error(
        "“{}”是其他程序的数据库，不是党务台账的数据文件。文件未作任何改动{}。",
        .0.display(),
        sidecars_untouched(.0)
    )]
    NotOurs(PathBuf),
    #[error(
        "“{}”由更新版本的党务台账创建（数据版本 {found}，本程序支持到 {supported}）。请升级程序后再打开；文件未作任何改动{}。",
        path.display(),
        sidecars_untouched(path)
    )]
    Newer {
        path: PathBuf,
        found: i32,
        supported: i32,
    },
    #[error("“{0}”正被其他程序使用，请关闭该程序后再打开。文件未作任何改动。")]
    Busy(PathBuf),
    #[error(
        "“{path}”已损坏，无法打开（{detail}）。文件未作任何改动，请从 backups 文件夹中的备份恢复。"
    )]
    Corrupt { path: PathBuf, detail: String },
    #[error("无法读取“{path}”：{source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}", sqlite_message(.0))]
    Sqlite(#[from] rusqlite::Error),
    /// A server that cannot be reached, or refuses: said for the user.
    #[error("{0}")]
    Server(String),
}

/// `台账.sqlite` + `-wal` → `台账.sqlite-wal`: the files SQLite and the lock keep beside a data file.
pub fn beside(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// The journal files SQLite may keep beside a data file: a -wal not yet merged into it, or the
/// journal of a transaction cut short (a "hot" journal). The first read of an ordinary connection
/// merges or rolls them back, writing the file.
fn sidecars(path: &Path) -> Vec<PathBuf> {
    ["-wal", "-journal"]
        .iter()
        .map(|suffix| beside(path, suffix))
        .filter(|p| std::fs::metadata(p).is_ok_and(|m| m.len() > 0))
        .collect()
}

/// ", 旁边的“x-wal”也保持原样" when such files are there (a refusal left them as they were too).
fn sidecars_untouched(path: &Path) -> String {
    let names: Vec<String> = sidecars(path)
        .iter()
        .filter_map(|p| p.file_name())
        .map(|n| format!("“{}”", n.to_string_lossy()))
        .collect();
    if names.is_empty() {
        String::new()
    } else {
        format!("，旁边的日志文件{}也保持原样", names.join("、"))
    }
}

/// A read-only connection that reads the file exactly as it lies on the disk: SQLite neither
/// looks at nor makes a -wal, -shm or journal beside it.
fn open_immutable(path: &Path) -> rusqlite::Result<Connection> {
    let mut name = path
        .display()
        .to_string()
        .replace('%', "%25")
        .replace('?', "%3f")
        .replace('#', "%23");
    if cfg!(windows) {
        // "file:C:/Users/…": SQLite's URIs take forward slashes.
        name = name.replace('\\', "/");
    }
    Connection::open_with_flags(
        format!("file:{name}?immutable=1"),
        OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_URI
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
}

/// A file on a share with a rollback journal may be written by another PC at any moment, with
/// nothing beside it to tell (its `-journal` lives only during a commit): it is read through
/// SQLite's file locks, never as `immutable`. Reading it that way makes nothing beside it.
fn written_elsewhere(path: &Path, location: share::Location) -> bool {
    // Bytes 18 and 19 of the header: 1 for a rollback journal, 2 for WAL.
    let rollback = File::open(path)
        .and_then(|mut f| {
            let mut header = [0u8; 20];
            f.read_exact(&mut header)?;
            Ok(header[18] == 1)
        })
        .unwrap_or(false);
    location != share::Location::Local && rollback
}

/// Who a file with journals beside it belongs to, read without merging or rolling back either.
/// A -wal is read by a read-only connection (which never merges it; the -shm it needs is removed
/// again when it was not there before); a rolled-back journal's transaction never happened, so the
/// file is read as it lies, as immutable.
fn identity_beside_journals(path: &Path) -> rusqlite::Result<(i32, i32, i64)> {
    if !std::fs::metadata(beside(path, "-wal")).is_ok_and(|m| m.len() > 0) {
        return read_identity(&open_immutable(path)?);
    }
    let shm = beside(path, "-shm");
    let had_shm = shm.exists();
    let identity = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .and_then(|c| read_identity(&c));
    if !had_shm {
        let _ = std::fs::remove_file(&shm);
    }
    identity
}

/// What SQLite reports, in the words of a user: the cases a user meets (a read-only or full disk,
/// a file another program holds) said plainly; anything else with SQLite's own text behind.
pub fn sqlite_message(e: &rusqlite::Error) -> String {
    use rusqlite::ErrorCode as C;
    // A server's errors come already said for the user (server::PgError).
    if let rusqlite::Error::SqliteFailure(_, Some(m)) = e
        && server::is_said(m)
    {
        return m.clone();
    }
    match e.sqlite_error_code() {
        Some(C::ReadOnly) => {
            "数据文件是只读的（或所在文件夹不允许写入），修改无法保存，表单中的内容仍在。".into()
        }
        Some(C::DatabaseBusy | C::DatabaseLocked) => {
            "数据文件正被其他程序使用，请稍后再试；表单中的内容仍在。".into()
        }
        Some(C::DiskFull) => {
            "磁盘已满，修改无法保存，表单中的内容仍在。请清理磁盘空间后再保存。".into()
        }
        Some(C::CannotOpen) => "无法打开数据文件（文件或文件夹不存在，或没有权限）".into(),
        Some(C::PermissionDenied) => "没有读写数据文件的权限".into(),
        _ => format!("数据库错误：{e}"),
    }
}

/// Why a write failed. `Refused` carries a Chinese sentence for the user and, where the refusal is
/// about one field (a duplicate ID number, a parent that does not exist), that field's key, so the
/// form shows the sentence at that field.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{message}")]
    Refused {
        field: Option<FieldKey>,
        message: String,
    },
    #[error("记录不存在（可能已被修改），请刷新后重试")]
    NotFound,
    #[error("{}", sqlite_message(.0))]
    Sqlite(#[from] rusqlite::Error),
    #[error("序列化失败：{0}")]
    Json(#[from] serde_json::Error),
}

impl StoreError {
    /// A refusal about `field`.
    pub fn at(field: impl Into<FieldKey>, message: impl Into<String>) -> Self {
        StoreError::Refused {
            field: Some(field.into()),
            message: message.into(),
        }
    }

    /// A refusal about the record as a whole.
    pub fn refused(message: impl Into<String>) -> Self {
        StoreError::Refused {
            field: None,
            message: message.into(),
        }
    }

    /// The field the refusal is about, if any.
    pub fn field(&self) -> Option<FieldKey> {
        match self {
            StoreError::Refused { field, .. } => *field,
            _ => None,
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Where a ledger is, for a job that opens its own connection to it (the window's worker).
#[derive(Clone)]
pub enum Source {
    File(PathBuf),
    Server(server::Address),
}

impl Source {
    /// A connection of its own to the ledger.
    pub fn open(&self) -> std::result::Result<Db, String> {
        match self {
            Source::File(path) => Db::open(path),
            Source::Server(a) => Db::connect(a, a.known_password().as_deref()),
        }
        .map_err(|e| e.to_string())
    }
}

pub struct Db {
    conn: Conn,
    path: Option<PathBuf>,
    /// The server this ledger is on (`None` for a file), with the password this connection was
    /// made with: kept in memory for the session so that the worker's jobs can connect too
    /// (never written; the address shows no password).
    server: Option<server::Address>,
    /// Whether the connection to the server is encrypted (asked once, when connecting).
    encrypted: Option<bool>,
    /// The organisation a server login is limited to (with those under it), when it is.
    limited_to: Option<i64>,
    /// Bumped by every committed write, so views know when their cached rows are stale.
    generation: u64,
    /// Inside `batch`: writes join its one transaction instead of opening their own.
    in_batch: bool,
    /// Opened with [`Db::open_read_only`]: every write is refused.
    read_only: bool,
    /// A local disk or a network share: decides the journal (see [`share`]).
    location: share::Location,
}

const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

impl Db {
    /// Opens (or creates) the data file at `path`, refusing — without touching it — a file that is
    /// not SQLite, belongs to another program, comes from a newer version, or is corrupt. An older
    /// schema is backed up into `backups/` and then migrated.
    pub fn open(path: &Path) -> Result<Db, OpenError> {
        Db::open_at(path, share::locate(path))
    }

    /// [`Db::open`] with the file's location given rather than asked of the system: on a
    /// [`share::Location::Share`] the file gets a rollback journal, on a local disk WAL (a file
    /// moved between the two is switched when opened).
    pub fn open_at(path: &Path, location: share::Location) -> Result<Db, OpenError> {
        let exists = path.exists();
        if exists {
            check_header(path)?;
        } else if let Some(parent) = path.parent() {
            private::create_dir_all(parent).map_err(|source| OpenError::Io {
                path: path.to_path_buf(),
                source,
            })?;
        }
        // Only damage is called damage: a file another program holds, or one the system does not
        // let us read, is said as such (a user told "已损坏" restores an older backup over good data).
        let corrupt = |e: rusqlite::Error| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
                OpenError::Busy(path.to_path_buf())
            }
            Some(rusqlite::ErrorCode::NotADatabase) => OpenError::NotSqlite(path.to_path_buf()),
            Some(
                rusqlite::ErrorCode::CannotOpen
                | rusqlite::ErrorCode::PermissionDenied
                | rusqlite::ErrorCode::ReadOnly,
            ) => OpenError::Io {
                path: path.to_path_buf(),
                source: std::io::Error::other(sqlite_message(&e)),
            },
            _ => OpenError::Corrupt {
                path: path.to_path_buf(),
                detail: e.to_string(),
            },
        };
        let flags = if exists {
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX
        } else {
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX
        };
        if exists && !sidecars(path).is_empty() {
            // Whose file this is, asked before SQLite merges the -wal or rolls the journal back
            // (which writes): a file not ours is refused with both left exactly as they were.
            if let Ok(identity) = identity_beside_journals(path) {
                refuse_unless_ours(path, identity)?;
            }
        }
        if !exists {
            // Made owner-only before SQLite writes a byte (it opens an empty file as a new one).
            private::create_file(path).map_err(|source| OpenError::Io {
                path: path.to_path_buf(),
                source,
            })?;
        }
        let conn = Connection::open_with_flags(path, flags)?;
        // Only reads until every check has passed: a refused file stays byte-for-byte as it was.
        // Wait for a writer elsewhere before the first read, not only after it.
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let (app_id, version, tables) = read_identity(&conn).map_err(corrupt)?;
        refuse_unless_ours(path, (app_id, version, tables))?;
        if tables > 0 {
            // A full `PRAGMA quick_check` reads every page: two seconds on a ledger of 2,000,000
            // attendance rows, at every start. Here we only touch the root of every table and index;
            // the daily backup reads every page and reports deeper damage (see backup::daily).
            probe_every_tree(&conn).map_err(corrupt)?;
            if version < schema::latest_version() {
                backup::before_upgrade(&conn, path, version).map_err(|source| OpenError::Io {
                    path: path.to_path_buf(),
                    source,
                })?;
            }
        }
        let mut db = Db {
            conn: Conn::Sqlite(conn),
            server: None,
            encrypted: None,
            limited_to: None,
            path: Some(path.to_path_buf()),
            generation: 0,
            in_batch: false,
            read_only: false,
            location,
        };
        db.configure(Some(location.journal()))?;
        db.migrate()?;
        Ok(db)
    }

    /// Opens an existing file for a command that only reads (tally, print, export, backup): the
    /// file is not written at all and nothing is made beside it — not migrated, not backed up, its
    /// journal mode left as it is — so it works on a read-only file and in a read-only folder. A
    /// file nobody has open is read as it lies on the disk (SQLite's `immutable`); one a window
    /// has open (its -wal and -shm beside it) through a read-only connection that shares them; an
    /// older schema is copied into memory and migrated there. The same checks as [`Db::open`]
    /// refuse what is not ours, newer, or damaged.
    pub fn open_for_reading(path: &Path) -> Result<Db, OpenError> {
        if !path.exists() {
            return Err(OpenError::Io {
                path: path.to_path_buf(),
                source: std::io::Error::new(std::io::ErrorKind::NotFound, "找不到数据文件"),
            });
        }
        check_header(path)?;
        let shared = beside(path, "-shm").exists() && beside(path, "-wal").exists();
        let journal = std::fs::metadata(beside(path, "-journal")).is_ok_and(|m| m.len() > 0);
        if journal || (!shared && !sidecars(path).is_empty()) {
            // A transaction cut short, or a -wal without its -shm (a crash): read through a copy
            // in memory, so that nothing is rolled back or made beside the file.
            return Db::open_read_only(path);
        }
        let location = share::locate(path);
        let source = if shared || written_elsewhere(path, location) {
            Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?
        } else {
            open_immutable(path)?
        };
        source.busy_timeout(std::time::Duration::from_secs(5))?;
        let identity = read_identity(&source).map_err(|e| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::NotADatabase) => OpenError::NotSqlite(path.to_path_buf()),
            _ => OpenError::Corrupt {
                path: path.to_path_buf(),
                detail: e.to_string(),
            },
        })?;
        refuse_unless_ours(path, identity)?;
        if identity.1 < schema::latest_version() {
            return Db::copied_from(path, &source);
        }
        let mut db = Db {
            conn: Conn::Sqlite(source),
            server: None,
            encrypted: None,
            limited_to: None,
            path: Some(path.to_path_buf()),
            generation: 0,
            in_batch: false,
            read_only: true,
            location,
        };
        db.configure(None)?;
        Ok(db)
    }

    /// Opens a file this process may not write (its mode is read-only, or its folder allows no
    /// writing): the window shows it read-only. The file is copied into memory and never written
    /// (not migrated, no -wal or -shm made beside it); every save is refused.
    pub fn open_read_only(path: &Path) -> Result<Db, OpenError> {
        if !path.exists() {
            return Err(OpenError::Io {
                path: path.to_path_buf(),
                source: std::io::Error::new(std::io::ErrorKind::NotFound, "找不到数据文件"),
            });
        }
        check_header(path)?;
        // Without a -wal beside it the file on the disk is complete: read it as "immutable", so
        // that SQLite makes no -wal or -shm beside it (it cannot in a folder that allows no
        // writing). With one (a crash before it was merged) its commits must be read with it.
        let location = share::locate(path);
        let source = if !sidecars(path).is_empty() || written_elsewhere(path, location) {
            Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?
        } else {
            open_immutable(path)?
        };
        let mut db = Db::copied_from(path, &source)?;
        db.read_only = true;
        db.location = location;
        Ok(db)
    }

    /// A copy in memory of the file open as `source`, migrated there, after the checks of
    /// [`Db::open`] (not ours, newer, damaged).
    fn copied_from(path: &Path, source: &Connection) -> Result<Db, OpenError> {
        source.busy_timeout(std::time::Duration::from_secs(5))?;
        let identity = read_identity(source).map_err(|e| OpenError::Io {
            path: path.to_path_buf(),
            source: std::io::Error::other(sqlite_message(&e)),
        })?;
        refuse_unless_ours(path, identity)?;
        let mut copy = Connection::open_in_memory()?;
        rusqlite::backup::Backup::new(source, &mut copy)?
            .run_to_completion(1024, std::time::Duration::ZERO, None)
            .map_err(|e| OpenError::Corrupt {
                path: path.to_path_buf(),
                detail: e.to_string(),
            })?;
        let mut db = Db {
            conn: Conn::Sqlite(copy),
            server: None,
            encrypted: None,
            limited_to: None,
            path: Some(path.to_path_buf()),
            generation: 0,
            in_batch: false,
            read_only: false,
            location: share::Location::Local,
        };
        db.configure(None)?;
        db.migrate()?;
        Ok(db)
    }

    /// A fresh database in memory, for tests.
    pub fn open_in_memory() -> Result<Db, OpenError> {
        let mut db = Db {
            conn: Conn::Sqlite(Connection::open_in_memory()?),
            server: None,
            encrypted: None,
            limited_to: None,
            path: None,
            generation: 0,
            in_batch: false,
            read_only: false,
            location: share::Location::Local,
        };
        db.configure(None)?;
        db.migrate()?;
        Ok(db)
    }

    /// `journal`: the journal the file is given (`None` for a copy in memory and for a file
    /// opened only to read, whose journal is left as it is).
    fn configure(&mut self, journal: Option<share::Journal>) -> rusqlite::Result<()> {
        let Some(conn) = self.conn.sqlite() else {
            return Ok(());
        };
        if let Some(journal) = journal {
            conn.pragma_update(None, "journal_mode", journal.pragma())?;
            conn.pragma_update(None, "synchronous", journal.synchronous())?;
        }
        conn.pragma_update(None, "foreign_keys", true)?;
        // A removed 谈话 or ID number is overwritten, not left readable in free pages.
        conn.pragma_update(None, "secure_delete", true)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        Ok(())
    }

    /// Applies every pending migration in one transaction: all of them or none. (A ledger on a
    /// server is migrated by [`server`] when connected.)
    fn migrate(&mut self) -> rusqlite::Result<()> {
        let Some(conn) = self.conn.sqlite_mut() else {
            return Ok(());
        };
        let version: i32 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version >= schema::latest_version() {
            return Ok(());
        }
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        for sql in &schema::MIGRATIONS[version as usize..] {
            tx.execute_batch(sql)?;
        }
        tx.pragma_update(None, "user_version", schema::latest_version())?;
        tx.pragma_update(None, "application_id", schema::APPLICATION_ID)?;
        tx.commit()
    }

    /// Where the file lies: the window says so when it is a network share.
    pub fn location(&self) -> share::Location {
        self.location
    }

    /// Whether this file was opened read-only ([`Db::open_read_only`]).
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    fn refuse_if_read_only(&self) -> Result<()> {
        if self.read_only {
            return Err(StoreError::refused(
                "数据文件以只读方式打开，不能保存修改；表单中的内容仍在。",
            ));
        }
        Ok(())
    }

    /// The file this database lives in (`None` in memory).
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Changes with every committed write; compare to know whether cached rows are stale.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    pub fn schema_version(&self) -> rusqlite::Result<i32> {
        match self.conn.sqlite() {
            Some(c) => c.pragma_query_value(None, "user_version", |r| r.get(0)),
            None => Ok(match server::found(&self.conn)? {
                server::Found::Ledger(v) => v,
                server::Found::Empty | server::Found::NotOurs => 0,
            }),
        }
    }

    /// Where this ledger is, for a job on another thread (`None` in memory).
    pub fn source(&self) -> Option<Source> {
        match (&self.server, &self.path) {
            (Some(a), _) => Some(Source::Server(a.clone())),
            (None, Some(p)) => Some(Source::File(p.clone())),
            (None, None) => None,
        }
    }

    /// The organisation this server login is limited to (`server grant --org`): its tally and
    /// lists cover that organisation and those under it. `None` for a file and a login for the
    /// whole bureau.
    pub fn limited_to(&self) -> Option<i64> {
        self.limited_to
    }

    /// The server this ledger is on, `None` for a file.
    pub fn server(&self) -> Option<&server::Address> {
        self.server.as_ref()
    }

    /// What the title bar and messages call this ledger: the file's path or the server's address.
    pub fn describe(&self) -> String {
        match (&self.server, &self.path) {
            (Some(a), _) => format!("服务器 {a}"),
            (None, Some(p)) => p.display().to_string(),
            (None, None) => "内存中的台账".into(),
        }
    }

    /// Another connection wrote to the file (an import on the worker): views read it again.
    pub fn changed_elsewhere(&mut self) {
        self.generation += 1;
    }

    pub(crate) fn conn(&self) -> &Conn {
        &self.conn
    }

    /// Runs `f` in one IMMEDIATE transaction; commits only if it succeeds. Inside `batch`, `f` is
    /// part of the batch's transaction.
    pub(crate) fn write<T>(&mut self, f: impl FnOnce(&Conn) -> Result<T>) -> Result<T> {
        if self.in_batch {
            // SQLite rolls a transaction back by itself after some errors (a full disk, an I/O
            // error): a later write of the batch must not then commit on its own.
            if self.conn.is_autocommit() {
                return Err(StoreError::Sqlite(rusqlite::Error::SqliteFailure(
                    rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_ABORT),
                    Some("事务已被 SQLite 中止".into()),
                )));
            }
            return f(&self.conn);
        }
        self.refuse_if_read_only()?;
        let out = self.conn.writing(|| f(&self.conn))?;
        self.generation += 1;
        Ok(out)
    }

    /// Runs many ordinary saves (with their checks and audit rows) as one transaction: all of them
    /// or none (an import). `f` gets the database back to call them.
    pub fn batch<T>(&mut self, f: impl FnOnce(&mut Db) -> Result<T>) -> Result<T> {
        if self.in_batch {
            return f(self);
        }
        self.refuse_if_read_only()?;
        // A batch writes far more pages than the default 2 MB cache holds: spilling them to the WAL
        // in the middle of the transaction doubled an import's time.
        if let Some(c) = self.conn.sqlite() {
            c.execute_batch("PRAGMA cache_size = -131072")?;
        }
        self.conn.begin_write()?;
        self.in_batch = true;
        // A panic in the middle (the window catches panics and goes on) must not leave the
        // transaction open or the database believing it is still in the batch.
        let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(self)));
        self.in_batch = false;
        let out = match out {
            Ok(out) => out,
            Err(panic) => {
                if !self.conn.is_autocommit() {
                    let _ = self.conn.rollback();
                }
                std::panic::resume_unwind(panic);
            }
        };
        if let Some(c) = self.conn.sqlite() {
            let _ = c.execute_batch("PRAGMA cache_size = -2000");
        }
        match out {
            Ok(v) => {
                if let Err(e) = self.conn.commit() {
                    if !self.conn.is_autocommit() {
                        let _ = self.conn.rollback();
                    }
                    return Err(e.into());
                }
                self.generation += 1;
                Ok(v)
            }
            Err(e) => {
                // Already rolled back when SQLite ended the transaction itself.
                if !self.conn.is_autocommit() {
                    self.conn.rollback()?;
                }
                Err(e)
            }
        }
    }
}

fn check_header(path: &Path) -> Result<(), OpenError> {
    let io = |source| OpenError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut file = File::open(path).map_err(io)?;
    let len = file.metadata().map_err(io)?.len();
    if len == 0 {
        return Ok(()); // an empty file is a new database
    }
    let mut header = [0u8; 16];
    if len < 16 || file.read_exact(&mut header).is_err() || &header != SQLITE_HEADER {
        return Err(OpenError::NotSqlite(path.to_path_buf()));
    }
    Ok(())
}

/// Reads the first entry of every table and index, which fails on a damaged root page.
fn probe_every_tree(conn: &Connection) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare(
        "SELECT type, name, tbl_name FROM sqlite_master WHERE type IN ('table', 'index')",
    )?;
    let trees: Vec<(String, String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (kind, name, table) in trees {
        let sql = if kind == "table" {
            format!("SELECT 1 FROM \"{name}\" LIMIT 1")
        } else {
            format!("SELECT 1 FROM \"{table}\" INDEXED BY \"{name}\" LIMIT 1")
        };
        // Indexes of WITHOUT ROWID tables and automatic ones cannot be named in INDEXED BY: skip those.
        match conn.prepare(&sql) {
            Ok(mut q) => {
                q.query_map([], |_| Ok(()))?
                    .collect::<rusqlite::Result<Vec<()>>>()?;
            }
            Err(e) if kind == "index" => {
                let _ = e;
            }
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Refuses a file that is not ours (another program's tables, or its version stamp on an empty
/// file) or comes from a newer version, given its (application id, version, tables).
fn refuse_unless_ours(
    path: &Path,
    (app_id, version, tables): (i32, i32, i64),
) -> Result<(), OpenError> {
    if app_id != schema::APPLICATION_ID && (tables > 0 || version != 0) {
        return Err(OpenError::NotOurs(path.to_path_buf()));
    }
    if version > schema::latest_version() {
        return Err(OpenError::Newer {
            path: path.to_path_buf(),
            found: version,
            supported: schema::latest_version(),
        });
    }
    Ok(())
}

fn read_identity(conn: &Connection) -> rusqlite::Result<(i32, i32, i64)> {
    let app_id = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
    let version = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let tables = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
    Ok((app_id, version, tables))
}

/// A new stable identifier for a row, so records can later be merged between files.
pub(crate) fn new_uid() -> String {
    uuid::Uuid::new_v4().to_string()
}
