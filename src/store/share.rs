//! Whether the data file lies on a network share: a `\\server\党建` folder, a mapped drive, an NFS
//! or Samba mount. On a local disk the file uses WAL, whose index lives in shared memory (the
//! `-shm` file mapped by every reader); a share does not carry that memory between PCs, so two PCs
//! on one file there could corrupt it. On a share the file gets a rollback journal instead, which
//! needs only file locks (SMB and NFS carry those), and the window's lock file keeps it to one
//! writing PC at a time.

use std::path::Path;

/// Where a data file lies, as far as its journal is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    Local,
    /// On a network file system of this kind (for the notice: "SMB", "NFS", "映射的网络驱动器"…).
    Share(&'static str),
}

/// How SQLite keeps its journal for a file at a [`Location`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Journal {
    /// Write-ahead log: readers never wait for the writer. Local disks only.
    Wal,
    /// Rollback journal (`-journal`, deleted at each commit), fully synchronous: every commit is
    /// on the server before the save is reported.
    Rollback,
}

impl Location {
    /// The journal a file here must have.
    pub fn journal(self) -> Journal {
        match self {
            Location::Local => Journal::Wal,
            Location::Share(_) => Journal::Rollback,
        }
    }

    /// The status bar's notice for a file here, if any.
    pub fn notice(self) -> Option<String> {
        match self {
            Location::Local => None,
            Location::Share(kind) => Some(format!(
                "数据文件在网络共享上（{kind}）：同一时间只有一台电脑能修改，其他电脑只读打开"
            )),
        }
    }
}

impl Journal {
    /// The value of `PRAGMA journal_mode` that gives it.
    pub fn pragma(self) -> &'static str {
        match self {
            Journal::Wal => "WAL",
            Journal::Rollback => "DELETE",
        }
    }

    /// The value of `PRAGMA synchronous` that goes with it: NORMAL is safe in WAL mode; with a
    /// rollback journal only FULL is (and a share may lose what the server was not told).
    pub fn synchronous(self) -> &'static str {
        match self {
            Journal::Wal => "NORMAL",
            Journal::Rollback => "FULL",
        }
    }
}

/// Where the file at `path` lies (for a file not made yet, its nearest existing folder).
pub fn locate(path: &Path) -> Location {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    platform::locate(&absolute)
}

/// The network file systems among the types Linux's `statfs` reports (`f_type`, see statfs(2)).
/// FUSE is counted among them: sshfs and the like are FUSE, and a rollback journal is the safe
/// choice on any file system whose locking we cannot vouch for.
pub fn share_of_fs_type(f_type: u32) -> Option<&'static str> {
    match f_type {
        0x6969 => Some("NFS"),
        0x517B => Some("SMB"),
        0xFE53_4D42 => Some("SMB2"),
        0xFF53_4D42 => Some("CIFS"),
        0x6573_5546 => Some("FUSE"),
        0x0102_1997 => Some("9P"),
        0x00C3_6400 => Some("Ceph"),
        0x5346_414F | 0x6B41_4653 => Some("AFS"),
        0x7375_7245 => Some("Coda"),
        0x0BD0_0BD0 => Some("Lustre"),
        0x4750_4653 => Some("GPFS"),
        _ => None,
    }
}

/// The start of a Windows path, as far as telling a share goes.
#[derive(Debug, PartialEq, Eq)]
pub enum WindowsRoot {
    /// `\\server\share\…` (or `\\?\UNC\server\share\…`): always a share.
    Unc,
    /// `D:\…` (or `\\?\D:\…`): a share if the drive is a mapped network drive.
    Drive(char),
    /// A device path (`\\.\…`) or a relative one.
    Other,
}

/// Reads the root of a Windows path (written with `\` or `/`).
pub fn windows_root(path: &str) -> WindowsRoot {
    let p = path.replace('/', "\\");
    let upper = p.to_uppercase();
    if let Some(rest) = upper.strip_prefix(r"\\?\") {
        if rest.starts_with(r"UNC\") {
            return WindowsRoot::Unc;
        }
        return drive(rest);
    }
    if upper.starts_with(r"\\.\") {
        return WindowsRoot::Other;
    }
    if upper.starts_with(r"\\") {
        return WindowsRoot::Unc;
    }
    drive(&upper)
}

fn drive(path: &str) -> WindowsRoot {
    let mut chars = path.chars();
    match (chars.next(), chars.next()) {
        (Some(letter), Some(':')) if letter.is_ascii_alphabetic() => WindowsRoot::Drive(letter),
        _ => WindowsRoot::Other,
    }
}

#[cfg(target_os = "linux")]
mod platform {
    use super::Location;
    use std::path::Path;

    pub fn locate(path: &Path) -> Location {
        // The file, or for one not made yet the nearest folder that exists.
        let Some(existing) = path.ancestors().find(|p| p.exists()) else {
            return Location::Local;
        };
        let Ok(c_path) = std::ffi::CString::new(existing.as_os_str().as_encoded_bytes()) else {
            return Location::Local;
        };
        let mut stat = std::mem::MaybeUninit::<libc::statfs>::uninit();
        // SAFETY: c_path is a NUL-terminated string and stat a buffer of the size statfs fills.
        let done = unsafe { libc::statfs(c_path.as_ptr(), stat.as_mut_ptr()) };
        if done != 0 {
            return Location::Local;
        }
        // SAFETY: statfs returned 0, so it filled the buffer.
        let stat = unsafe { stat.assume_init() };
        // f_type's width differs between architectures; the magic numbers are 32-bit.
        #[allow(clippy::unnecessary_cast)]
        let f_type = stat.f_type as u32;
        super::share_of_fs_type(f_type).map_or(Location::Local, Location::Share)
    }
}

#[cfg(windows)]
mod platform {
    use super::{Location, WindowsRoot};
    use std::path::Path;

    unsafe extern "system" {
        fn GetDriveTypeW(root: *const u16) -> u32;
    }
    const DRIVE_REMOTE: u32 = 4;

    pub fn locate(path: &Path) -> Location {
        match super::windows_root(&path.to_string_lossy()) {
            WindowsRoot::Unc => Location::Share("网络共享文件夹"),
            WindowsRoot::Drive(letter) => {
                let root: Vec<u16> = format!("{letter}:\\").encode_utf16().chain([0]).collect();
                // SAFETY: root is a NUL-terminated UTF-16 string that outlives the call.
                let kind = unsafe { GetDriveTypeW(root.as_ptr()) };
                if kind == DRIVE_REMOTE {
                    Location::Share("映射的网络驱动器")
                } else {
                    Location::Local
                }
            }
            WindowsRoot::Other => Location::Local,
        }
    }
}

#[cfg(not(any(target_os = "linux", windows)))]
mod platform {
    use super::Location;
    use std::path::Path;

    pub fn locate(_path: &Path) -> Location {
        Location::Local
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn network_file_systems_get_a_rollback_journal_and_local_ones_wal() {
        for (f_type, kind) in [
            (0x6969, "NFS"),
            (0x517B, "SMB"),
            (0xFE53_4D42, "SMB2"),
            (0xFF53_4D42, "CIFS"),
            (0x6573_5546, "FUSE"),
        ] {
            let at = share_of_fs_type(f_type).map_or(Location::Local, Location::Share);
            assert_eq!(at, Location::Share(kind));
            assert_eq!(at.journal(), Journal::Rollback);
            assert!(at.notice().unwrap().contains(kind));
        }
        // ext4, btrfs, xfs, tmpfs, vfat (a USB stick), ntfs3.
        for f_type in [
            0xEF53,
            0x9123_683E,
            0x5846_5342,
            0x0102_1994,
            0x4d44,
            0x7366_746e,
        ] {
            let at = share_of_fs_type(f_type).map_or(Location::Local, Location::Share);
            assert_eq!(at, Location::Local, "{f_type:#x}");
            assert_eq!(at.journal(), Journal::Wal);
            assert_eq!(at.notice(), None);
        }
    }

    #[test]
    fn unc_paths_are_shares_and_drive_letters_are_asked_about() {
        assert_eq!(windows_root(r"\\server\党建\台账.sqlite"), WindowsRoot::Unc);
        assert_eq!(windows_root("//server/党建/台账.sqlite"), WindowsRoot::Unc);
        assert_eq!(
            windows_root(r"\\?\UNC\server\党建\台账.sqlite"),
            WindowsRoot::Unc
        );
        assert_eq!(
            windows_root(r"Z:\党建\台账.sqlite"),
            WindowsRoot::Drive('Z')
        );
        assert_eq!(windows_root(r"\\?\d:\台账.sqlite"), WindowsRoot::Drive('D'));
        assert_eq!(windows_root(r"\\.\PhysicalDrive0"), WindowsRoot::Other);
        assert_eq!(windows_root(r"党建\台账.sqlite"), WindowsRoot::Other);
    }
}
