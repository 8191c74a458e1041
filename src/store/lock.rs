//! One writer per data file. The window holds an advisory lock on a file beside the data file
//! (`台账.sqlite.lock`) for as long as it runs; the operating system releases it when the process
//! ends, however it ends, so a crash never leaves a stale lock. A second window on the same file
//! sees the lock and opens it read-only; command-line writes refuse while a window holds it.

use std::fs::{File, OpenOptions, TryLockError};
use std::io;
use std::path::{Path, PathBuf};

/// The lock, held while this value lives.
#[derive(Debug)]
pub struct WriterLock {
    _file: File,
}

/// The sidecar file the lock is taken on.
pub fn lock_path(db_path: &Path) -> PathBuf {
    super::beside(db_path, ".lock")
}

/// Takes the writer's lock of the data file at `db_path`: `Ok(None)` when another process (or
/// another window of this one) holds it.
pub fn acquire(db_path: &Path) -> io::Result<Option<WriterLock>> {
    let path = lock_path(db_path);
    let mut options = OpenOptions::new();
    options.create(true).truncate(false).write(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options.open(&path)?;
    match file.try_lock() {
        Ok(()) => Ok(Some(WriterLock { _file: file })),
        Err(TryLockError::WouldBlock) => Ok(None),
        Err(TryLockError::Error(e)) => Err(e),
    }
}

/// The sentence a command that writes prints when a window holds the file.
pub const HELD: &str = "该数据文件正在党务台账窗口中使用，请先关闭窗口再执行此命令（只读的命令如 tally、backup、print 不受影响）";

/// How a window holds the data file it opened.
#[derive(Debug)]
pub enum Access {
    /// The one writer: saves go through.
    Writer(WriterLock),
    /// Another window holds the file: this one may only read it.
    HeldElsewhere,
    /// This window cannot write, and why (in the user's words).
    ReadOnly(String),
}

/// Opens `path` as a window does: takes the writer's lock first, then opens the file. A file the
/// system does not let us write (its mode, or a folder that allows no writing) is opened
/// read-only, with the reason, instead of failing at the first save.
pub fn open_for_window(path: &Path) -> (Result<super::Db, super::OpenError>, Access) {
    let read_only_file = std::fs::metadata(path).is_ok_and(|m| m.permissions().readonly());
    let lock = if read_only_file {
        Err(io::Error::from(io::ErrorKind::PermissionDenied))
    } else {
        acquire(path)
    };
    let cannot_write = lock.as_ref().is_err_and(|e| {
        matches!(
            e.kind(),
            io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem
        )
    });
    let db = if cannot_write && path.exists() {
        super::Db::open_read_only(path)
    } else {
        super::Db::open(path)
    };
    let access = match lock {
        Ok(Some(l)) => Access::Writer(l),
        Ok(None) => Access::HeldElsewhere,
        Err(_) if cannot_write => Access::ReadOnly(READ_ONLY_FILE.into()),
        Err(e) => Access::ReadOnly(format!(
            "无法锁定数据文件（{e}），此窗口只读，不能保存修改。"
        )),
    };
    (db, access)
}

/// The notice of a window on a file it may not write.
pub const READ_ONLY_FILE: &str = "数据文件是只读的（或所在文件夹不允许写入），此窗口只能查看、统计、打印，不能保存修改。如需修改，请把文件复制到可写的文件夹（如“文档”）后再打开，或请管理员开放写入权限。";

/// The notice of a second window on a file another window holds.
pub const HELD_ELSEWHERE: &str = "该数据文件正在另一个窗口中使用，此窗口不能保存修改。";
