//! Personal data kept close: the data file, its backups, attachments, locks and logs are made
//! readable by their owner only (0600 files, 0700 folders on Unix), so that another account on a
//! shared office PC cannot read ID numbers, phone numbers or 谈话 content. SQLite gives the -wal
//! and -shm files the mode of the data file. On Windows the user's profile folder already is
//! private; these are plain creations there.

use std::io;
use std::path::Path;

/// Makes `dir` and its missing parents, the new ones owner-only.
pub fn create_dir_all(dir: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// Makes an empty owner-only file at `path` (which must not exist).
pub fn create_file(path: &Path) -> io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

/// Makes a file something else wrote (SQLite's VACUUM INTO, a copy) owner-only.
pub fn restrict(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}
