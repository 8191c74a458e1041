//! Where the data file lives by default.

use std::path::{Path, PathBuf};

/// `<user data folder>/dangwu/dangwu.sqlite`: `~/.local/share/dangwu/` on Linux,
/// `%APPDATA%\dangwu\data\` on Windows.
pub fn default_db_path() -> PathBuf {
    directories::ProjectDirs::from("cn", "", "dangwu")
        .map(|d| d.data_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from("."))
        .join("dangwu.sqlite")
}

/// What went wrong with a file, in the words of a user (the system's own text only for the
/// rare cases not named here).
pub fn io_message(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotFound => "文件或文件夹不存在".into(),
        K::PermissionDenied => "没有权限（文件是只读的，或所在文件夹不允许写入）".into(),
        K::StorageFull | K::QuotaExceeded => "磁盘空间不足".into(),
        K::ReadOnlyFilesystem => "磁盘是只读的".into(),
        K::AlreadyExists => "已有同名的文件".into(),
        K::IsADirectory => "这是一个文件夹，不是文件".into(),
        K::NotADirectory => "路径中有一段不是文件夹".into(),
        K::InvalidFilename => "文件名不合法".into(),
        K::ResourceBusy => "文件正被其他程序使用".into(),
        _ => format!("读写出错（{e}）"),
    }
}

/// Writes a file the user asked for (an export, an error list, a PDF) whole or not at all: into an
/// owner-only `….partial` beside it (personal data: ID numbers, phones), renamed over `path` only
/// once complete. A full disk leaves neither a half-written workbook nor a damaged older one.
pub fn save_whole(
    path: &Path,
    write: impl FnOnce(&Path) -> Result<(), String>,
) -> Result<(), String> {
    let partial = crate::store::beside(path, ".partial");
    let _ = std::fs::remove_file(&partial);
    let failed = |e: std::io::Error| format!("无法写入“{}”：{}", path.display(), io_message(&e));
    crate::store::private::create_file(&partial).map_err(failed)?;
    let written = write(&partial).and_then(|()| std::fs::rename(&partial, path).map_err(failed));
    if written.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    written
}
