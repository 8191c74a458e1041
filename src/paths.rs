//! Where the data file lives by default.

use std::path::PathBuf;

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
