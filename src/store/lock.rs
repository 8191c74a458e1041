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
    let mut name = db_path.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

/// Takes the writer's lock of the data file at `db_path`: `Ok(None)` when another process (or
/// another window of this one) holds it.
pub fn acquire(db_path: &Path) -> io::Result<Option<WriterLock>> {
    let path = lock_path(db_path);
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)?;
    match file.try_lock() {
        Ok(()) => Ok(Some(WriterLock { _file: file })),
        Err(TryLockError::WouldBlock) => Ok(None),
        Err(TryLockError::Error(e)) => Err(e),
    }
}

/// The sentence a command that writes prints when a window holds the file.
pub const HELD: &str = "该数据文件正在党务台账窗口中使用，请先关闭窗口再执行此命令（只读的命令如 tally、backup、print 不受影响）";
