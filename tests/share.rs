//! A data file on a network share: a rollback journal instead of WAL (whose shared memory a share
//! does not carry between PCs), said in the window, and back to WAL on a local disk.

mod common;

use common::org;
use dangwu::model::org::OrgKind;
use dangwu::store::Db;
use dangwu::store::share::Location;

fn journal_mode(path: &std::path::Path) -> String {
    rusqlite::Connection::open(path)
        .unwrap()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap()
}

fn beside(path: &std::path::Path, suffix: &str) -> std::path::PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    name.into()
}

#[test]
fn a_file_on_a_share_has_a_rollback_journal_and_goes_back_to_wal_on_a_local_disk() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("台账.sqlite");
    {
        let mut db = Db::open_at(&path, Location::Share("SMB")).unwrap();
        db.save_org(&org("机关第一党支部", OrgKind::Branch, None), &[])
            .unwrap();
        // Open and written: nothing beside the file that a second PC would need to share.
        assert!(!beside(&path, "-wal").exists());
        assert!(!beside(&path, "-shm").exists());
        assert!(
            db.location()
                .notice()
                .unwrap()
                .contains("只有一台电脑能修改")
        );
    }
    assert_eq!(journal_mode(&path), "delete");
    // A restore on the share keeps the share's journal, whatever the backup's.
    let backup = dir.path().join("备份.sqlite");
    Db::open_at(&path, Location::Share("SMB"))
        .unwrap()
        .backup_to(&backup)
        .unwrap();
    {
        let mut db = Db::open_at(&path, Location::Share("SMB")).unwrap();
        db.restore_from(&backup).unwrap();
        assert_eq!(db.orgs(common::d(2026, 11, 30)).unwrap().len(), 1);
    }
    assert_eq!(journal_mode(&path), "delete");
    // Copied back to a local disk: WAL again.
    let db = Db::open_at(&path, Location::Local).unwrap();
    assert_eq!(db.location().notice(), None);
    drop(db);
    assert_eq!(journal_mode(&path), "wal");
}

/// The real thing, as far as this machine allows: a FUSE mount is told as a share by the system's
/// own answer (statfs), not by a location passed in.
#[cfg(target_os = "linux")]
#[test]
fn a_file_on_a_fuse_mount_is_found_to_be_on_a_share() {
    let Some(share) = common::FuseShare::mount() else {
        eprintln!("跳过：没有 bindfs 或 /dev/fuse，无法挂载测试用的 FUSE 文件夹");
        return;
    };
    let path = share.dir.path().join("党建").join("台账.sqlite");
    assert_eq!(
        dangwu::store::share::locate(&path),
        Location::Share("FUSE"),
        "a file not made yet is asked about by its folder"
    );
    {
        let mut db = Db::open(&path).unwrap();
        assert_eq!(db.location(), Location::Share("FUSE"));
        db.save_org(&org("机关第一党支部", OrgKind::Branch, None), &[])
            .unwrap();
        assert!(!beside(&path, "-wal").exists());
    }
    assert_eq!(journal_mode(&path), "delete");
    // A read on the share goes through SQLite's locks (another PC may be writing) and still makes
    // nothing beside the file.
    let before = std::fs::read(&path).unwrap();
    let db = Db::open_for_reading(&path).unwrap();
    assert_eq!(db.orgs(common::d(2026, 11, 30)).unwrap().len(), 1);
    drop(db);
    assert_eq!(std::fs::read(&path).unwrap(), before);
    let names: Vec<_> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["台账.sqlite"]);
    assert_eq!(
        dangwu::store::share::locate(std::env::temp_dir().as_path()),
        Location::Local
    );
}
