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
