//! The store: opening and refusing files, migrations, round trips, audit, backups.

mod common;

use common::{d, db_with_branch, member, org};
use dangwu::model::FieldKey;
use dangwu::model::member::{MemberField, Status};
use dangwu::model::org::{CommitteeMember, CommitteeRole, OrgField, OrgKind};
use dangwu::store::{Db, OpenError, StoreError, backup, schema};
use rusqlite::Connection;

fn schema_of(conn: &Connection) -> Vec<(String, String)> {
    let mut stmt = conn
        .prepare("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn bytes(path: &std::path::Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

#[test]
fn upgrading_from_every_past_schema_equals_a_fresh_one() {
    let dir = tempfile::tempdir().unwrap();
    let fresh_path = dir.path().join("fresh.sqlite");
    drop(Db::open(&fresh_path).unwrap());
    let fresh = schema_of(&Connection::open(&fresh_path).unwrap());
    assert!(fresh.iter().any(|(n, _)| n == "member"));

    for version in 1..schema::latest_version() {
        let path = dir.path().join(format!("v{version}.sqlite"));
        let conn = Connection::open(&path).unwrap();
        for sql in &schema::MIGRATIONS[..version as usize] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", version).unwrap();
        conn.pragma_update(None, "application_id", schema::APPLICATION_ID)
            .unwrap();
        drop(conn);
        let db = Db::open(&path).unwrap();
        assert_eq!(db.schema_version().unwrap(), schema::latest_version());
        drop(db);
        assert_eq!(
            schema_of(&Connection::open(&path).unwrap()),
            fresh,
            "from v{version}"
        );
    }
}

#[test]
fn opening_twice_migrates_nothing_and_keeps_the_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dangwu.sqlite");
    let mut db = Db::open(&path).unwrap();
    let org_id = db
        .save_org(&org("机关第一党支部", OrgKind::Branch, None), &[])
        .unwrap();
    db.save_member(&member(org_id)).unwrap();
    let before = schema_of(db_conn(&path).as_ref().unwrap());
    drop(db);
    let db = Db::open(&path).unwrap();
    assert_eq!(db.schema_version().unwrap(), schema::latest_version());
    assert_eq!(db.members().unwrap().len(), 1);
    drop(db);
    assert_eq!(schema_of(db_conn(&path).as_ref().unwrap()), before);
}

fn db_conn(path: &std::path::Path) -> Option<Connection> {
    Connection::open(path).ok()
}

#[test]
fn every_member_field_survives_a_round_trip() {
    let (mut db, org_id) = db_with_branch();
    let m = member(org_id);
    let id = db.save_member(&m).unwrap();
    let loaded = db.member(id).unwrap();
    assert!(!loaded.uid.is_empty());
    assert_eq!(
        loaded,
        dangwu::model::member::Member {
            id: Some(id),
            uid: loaded.uid.clone(),
            ..m
        }
    );
}

#[test]
fn organisations_and_committees_round_trip() {
    let mut db = Db::open_in_memory().unwrap();
    let parent = db
        .save_org(&org("机关党委", OrgKind::Committee, None), &[])
        .unwrap();
    let mut branch = org("社会福利院党支部", OrgKind::Branch, Some(parent));
    branch.has_groups = true;
    branch.note = "含护理部党小组".into();
    let committee = vec![
        CommitteeMember {
            id: None,
            uid: String::new(),
            role: CommitteeRole::Secretary,
            name: "李堃".into(),
            member_id: None,
            duty: String::new(),
            appointed: Some(d(2024, 3, 15)),
            ended: None,
        },
        CommitteeMember {
            id: None,
            uid: String::new(),
            role: CommitteeRole::Member,
            name: "赵昇".into(),
            member_id: None,
            duty: "纪检委员".into(),
            appointed: None,
            ended: None,
        },
    ];
    let id = db.save_org(&branch, &committee).unwrap();
    let loaded = db
        .orgs(d(2026, 11, 22))
        .unwrap()
        .into_iter()
        .find(|s| s.org.id == Some(id))
        .unwrap()
        .org;
    assert_eq!(
        loaded,
        dangwu::model::org::Org {
            id: Some(id),
            uid: loaded.uid.clone(),
            ..branch.clone()
        }
    );
    let rows = db.committee(id).unwrap();
    assert_eq!(
        rows.iter()
            .map(|c| (c.role, c.name.as_str(), c.duty.as_str()))
            .collect::<Vec<_>>(),
        vec![
            (CommitteeRole::Secretary, "李堃", ""),
            (CommitteeRole::Member, "赵昇", "纪检委员"),
        ]
    );
    assert_eq!(rows[0].appointed, Some(d(2024, 3, 15)));

    // Removing a committee member on the next save removes the row and logs it.
    let saved = db
        .orgs(d(2026, 11, 22))
        .unwrap()
        .into_iter()
        .find(|s| s.org.id == Some(id))
        .unwrap()
        .org;
    db.save_org(&saved, &rows[..1]).unwrap();
    assert_eq!(db.committee(id).unwrap().len(), 1);
    let history = db.history("committee_member", &rows[1].uid).unwrap();
    assert_eq!(history.last().unwrap().action, "delete");
}

#[test]
fn every_change_is_audited_with_before_and_after() {
    let (mut db, org_id) = db_with_branch();
    let id = db.save_member(&member(org_id)).unwrap();
    let mut m = db.member(id).unwrap();
    m.status = Status::Deceased;
    m.status_date = Some(d(2026, 4, 1));
    db.save_member(&m).unwrap();
    // Saving unchanged adds no row.
    db.save_member(&m).unwrap();

    let history = db.history("member", &m.uid).unwrap();
    assert_eq!(
        history
            .iter()
            .map(|h| h.action.as_str())
            .collect::<Vec<_>>(),
        ["insert", "update"]
    );
    assert!(history[0].before.is_none());
    assert!(history[1].before.as_ref().unwrap().contains("在册"));
    assert!(history[1].after.as_ref().unwrap().contains("去世"));
    // A member who left is still there.
    assert_eq!(db.members().unwrap().len(), 1);
}

#[test]
fn the_same_id_number_twice_is_refused_with_the_holders_name() {
    let (mut db, org_id) = db_with_branch();
    db.save_member(&member(org_id)).unwrap();
    let mut twin = member(org_id);
    twin.name = "王玥".into();
    match db.save_member(&twin) {
        Err(StoreError::Refused {
            field: Some(FieldKey::Member(MemberField::IdNumber)),
            message: m,
        }) => {
            assert!(m.contains("王珺") && m.contains("机关第一党支部"), "{m}")
        }
        other => panic!("expected a refusal at the ID number, got {other:?}"),
    }
    assert_eq!(db.members().unwrap().len(), 1);
    // Blank numbers do not clash.
    let mut a = member(org_id);
    a.id_number.clear();
    let mut b = a.clone();
    b.name = "另一人".into();
    db.save_member(&a).unwrap();
    db.save_member(&b).unwrap();
}

#[test]
fn an_organisation_cannot_be_put_under_itself() {
    let mut db = Db::open_in_memory().unwrap();
    let top = db
        .save_org(&org("机关党委", OrgKind::Committee, None), &[])
        .unwrap();
    let child = db
        .save_org(&org("机关第一党支部", OrgKind::Branch, Some(top)), &[])
        .unwrap();
    let mut moved = db
        .orgs(d(2026, 11, 22))
        .unwrap()
        .into_iter()
        .find(|s| s.org.id == Some(top))
        .unwrap()
        .org;
    moved.parent_id = Some(child);
    assert_eq!(
        db.save_org(&moved, &[]).unwrap_err().field(),
        Some(FieldKey::Org(OrgField::Parent))
    );
    let dup = org("机关党委", OrgKind::Branch, None);
    assert_eq!(
        db.save_org(&dup, &[]).unwrap_err().field(),
        Some(FieldKey::Org(OrgField::Name))
    );
}

#[test]
fn a_file_that_is_not_sqlite_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("名单.xlsx");
    std::fs::write(&path, "这不是数据库，而是一份名单").unwrap();
    let before = bytes(&path);
    assert!(matches!(Db::open(&path), Err(OpenError::NotSqlite(_))));
    assert_eq!(bytes(&path), before);
    let message = Db::open(&path).err().unwrap().to_string();
    assert!(
        message.contains("不是 SQLite 数据文件") && message.contains("未作任何改动"),
        "{message}"
    );
}

#[test]
fn another_programs_database_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.sqlite");
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('x');")
        .unwrap();
    drop(conn);
    let before = bytes(&path);
    assert!(matches!(Db::open(&path), Err(OpenError::NotOurs(_))));
    assert_eq!(bytes(&path), before);
}

#[test]
fn another_programs_database_with_a_wal_beside_it_is_refused_with_both_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let live = dir.path().join("live.sqlite");
    let conn = Connection::open(&live).unwrap();
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0;
         CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('x');",
    )
    .unwrap();
    // As a crash leaves it: the file and a -wal not yet merged into it.
    let path = dir.path().join("other.sqlite");
    let wal = dir.path().join("other.sqlite-wal");
    std::fs::copy(&live, &path).unwrap();
    std::fs::copy(dir.path().join("live.sqlite-wal"), &wal).unwrap();
    drop(conn);
    let (before, wal_before) = (bytes(&path), bytes(&wal));
    assert!(!wal_before.is_empty());
    let e = Db::open(&path).err().unwrap();
    assert!(matches!(e, OpenError::NotOurs(_)), "{e}");
    let message = e.to_string();
    assert!(
        message.contains("文件未作任何改动，旁边的日志文件“other.sqlite-wal”也保持原样"),
        "{message}"
    );
    assert_eq!(bytes(&path), before);
    assert_eq!(bytes(&wal), wal_before);
}

#[test]
fn a_file_from_a_newer_version_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("newer.sqlite");
    drop(Db::open(&path).unwrap());
    let conn = Connection::open(&path).unwrap();
    conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    let before = bytes(&path);
    match Db::open(&path) {
        Err(e @ OpenError::Newer { found: 99, .. }) => assert!(e.to_string().contains("更新版本")),
        other => panic!("expected Newer, got {:?}", other.err()),
    }
    assert_eq!(bytes(&path), before);
}

#[test]
fn a_corrupt_file_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("corrupt.sqlite");
    let mut db = Db::open(&path).unwrap();
    let org_id = db
        .save_org(&org("机关第一党支部", OrgKind::Branch, None), &[])
        .unwrap();
    for i in 0..200 {
        let mut m = member(org_id);
        m.id_number.clear();
        m.name = format!("党员{i}");
        db.save_member(&m).unwrap();
    }
    drop(db);
    // Back to a single file, then overwrite the pages after the first with garbage.
    let conn = Connection::open(&path).unwrap();
    conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
    drop(conn);
    let mut data = bytes(&path);
    assert!(data.len() > 8192);
    for b in &mut data[4096..] {
        *b = 0x5A;
    }
    std::fs::write(&path, &data).unwrap();
    match Db::open(&path) {
        Err(e @ OpenError::Corrupt { .. }) => assert!(e.to_string().contains("已损坏")),
        other => panic!("expected Corrupt, got {:?}", other.err()),
    }
    assert_eq!(bytes(&path), data);
}

#[test]
fn daily_backups_are_made_once_a_day_and_thirty_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dangwu.sqlite");
    let mut db = Db::open(&path).unwrap();
    db.save_org(&org("机关第一党支部", OrgKind::Branch, None), &[])
        .unwrap();

    let first = backup::daily(&path, d(2026, 11, 22)).unwrap().unwrap();
    assert!(first.ends_with("backups/dangwu.sqlite-2026-11-22.sqlite"));
    assert_eq!(backup::daily(&path, d(2026, 11, 22)).unwrap(), None);
    // The backup is a working database with the data in it.
    assert_eq!(
        Db::open(&first)
            .unwrap()
            .orgs(d(2026, 11, 22))
            .unwrap()
            .len(),
        1
    );

    let other = backup::backups_dir(&path).join("我的备份.sqlite");
    std::fs::write(&other, b"kept").unwrap();
    for day in 1..=40 {
        backup::daily(&path, d(2026, 12, 31) + chrono::Duration::days(day)).unwrap();
    }
    let mut names: Vec<String> = std::fs::read_dir(backup::backups_dir(&path))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 31, "{names:?}");
    assert_eq!(names[0], "dangwu.sqlite-2027-01-11.sqlite");
    assert!(names.contains(&"我的备份.sqlite".to_string()));
}

#[test]
fn backup_to_copies_an_open_database() {
    let dir = tempfile::tempdir().unwrap();
    let (mut db, org_id) = db_with_branch();
    db.save_member(&member(org_id)).unwrap();
    let dest = dir.path().join("copy.sqlite");
    db.backup_to(&dest).unwrap();
    let copy = Db::open(&dest).unwrap();
    assert_eq!(copy.members().unwrap()[0].name, "王珺");
}

#[test]
fn damage_deep_inside_the_file_is_reported_by_the_daily_backup() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dangwu.sqlite");
    let mut db = Db::open(&path).unwrap();
    let org_id = db
        .save_org(&org("机关第一党支部", OrgKind::Branch, None), &[])
        .unwrap();
    for i in 0..3000 {
        let mut m = member(org_id);
        m.id_number.clear();
        m.name = format!("党员{i}");
        db.save_member(&m).unwrap();
    }
    drop(db);
    let conn = Connection::open(&path).unwrap();
    conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
    drop(conn);
    // Garbage over pages near the end (leaves of the member table), sparing the roots near the start.
    let mut data = bytes(&path);
    let len = data.len();
    for b in &mut data[len - 40 * 4096..len - 4096] {
        *b = 0xA5;
    }
    std::fs::write(&path, &data).unwrap();
    // Opening only probes the roots, so it succeeds; the daily backup reads every page and says so.
    drop(Db::open(&path).expect("the roots are intact"));
    let err = backup::daily(&path, d(2026, 11, 22))
        .unwrap_err()
        .to_string();
    assert!(err.contains("可能已损坏"), "{err}");
    assert!(
        !backup::backups_dir(&path)
            .join("dangwu.sqlite-2026-11-22.sqlite")
            .exists()
    );
}

#[test]
fn upgrading_a_v3_file_gives_its_talks_and_items_the_top_organisation() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v3.sqlite");
    let conn = Connection::open(&path).unwrap();
    for sql in &schema::MIGRATIONS[..3] {
        conn.execute_batch(sql).unwrap();
    }
    conn.execute_batch(
        "INSERT INTO org (uid, name, kind) VALUES ('o1', '机关第一党支部', '党支部');
         INSERT INTO org (uid, name, kind) VALUES ('o2', '市民政局党组', '党组');
         INSERT INTO talk (uid, date, kind_id, form, talkers, subject_names, subjects)
              VALUES ('t1', '2022-03-01', 1, '个别', '王书记', '李堃', 1);
         INSERT INTO rectification (uid, source, found_on, description)
              VALUES ('r1', '自查', '2022-02-01', '台账不全');",
    )
    .unwrap();
    conn.pragma_update(None, "user_version", 3).unwrap();
    conn.pragma_update(None, "application_id", schema::APPLICATION_ID)
        .unwrap();
    drop(conn);
    let db = Db::open(&path).unwrap();
    let leading = db
        .orgs(d(2026, 11, 22))
        .unwrap()
        .into_iter()
        .find(|s| s.org.name == "市民政局党组")
        .and_then(|s| s.org.id);
    let talk = &db.talks(Some(2022)).unwrap()[0];
    assert_eq!(talk.org_id, leading, "the 党组 is the top organisation");
    assert_eq!(db.rectifications().unwrap()[0].org_id, leading);
    // The data survived, with the copy taken before the upgrade.
    assert_eq!(talk.subject_names, "李堃");
    let backups: Vec<_> = std::fs::read_dir(dir.path().join("backups"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains("升级前-v3"))
        .collect();
    assert_eq!(backups.len(), 1);
}

#[test]
fn a_save_refused_by_a_busy_or_read_only_file_is_said_in_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("只读.sqlite");
    let mut db = Db::open(&path).unwrap();
    db.save_org(&org("机关第一党支部", OrgKind::Branch, None), &[])
        .unwrap();
    drop(db);
    // Tests run as root, whom file modes do not stop: a second connection holding the write
    // lock plays the other program, and query_only a read-only medium.
    let holder = Connection::open(&path).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let mut db = Db::open(&path).unwrap();
    let e = db.save_member(&member(1)).unwrap_err().to_string();
    assert_eq!(
        e,
        "数据文件正被其他程序使用，请稍后再试；表单中的内容仍在。"
    );
    holder.execute_batch("ROLLBACK").unwrap();
    let e = dangwu::store::sqlite_message(&rusqlite::Error::SqliteFailure(
        rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_READONLY),
        None,
    ));
    assert!(e.starts_with("数据文件是只读的"), "{e}");
    assert!(db.members().unwrap().is_empty(), "nothing half-saved");
}

#[cfg(unix)]
#[test]
fn a_killed_writer_leaves_no_stale_lock() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("台账.sqlite");
    drop(Db::open(&path).unwrap());
    // demo-data holds the writer's lock while it works; a large ledger keeps it busy.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_dangwu"))
        .arg("--db")
        .arg(&path)
        .args([
            "demo-data",
            "--years",
            "10",
            "--members",
            "2000",
            "--records",
            "200000",
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut held = false;
    for _ in 0..500 {
        if dangwu::store::lock::acquire(&path).unwrap().is_none() {
            held = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert!(held, "demo-data took the lock");
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    assert!(
        dangwu::store::lock::acquire(&path).unwrap().is_some(),
        "the lock is free at once after the writer was killed"
    );
    // And the file is whole, and opens.
    drop(Db::open(&path).unwrap());
    assert_eq!(common::integrity(&path), "ok");
}

#[test]
fn a_file_held_by_another_program_is_not_called_corrupt_and_an_empty_foreign_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("台账.sqlite");
    drop(Db::open(&path).unwrap());
    // Another program holds an exclusive lock (as a copy tool or a sync client may).
    let other = Connection::open(&path).unwrap();
    other
        .pragma_update(None, "locking_mode", "EXCLUSIVE")
        .unwrap();
    other.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let e = Db::open(&path).err().unwrap().to_string();
    assert!(
        e.contains("正被其他程序使用") && !e.contains("已损坏"),
        "{e}"
    );
    drop(other);
    assert!(Db::open(&path).is_ok());

    // An empty SQLite file of another program, stamped with its own version: refused, untouched.
    let foreign = dir.path().join("其他程序.sqlite");
    let conn = Connection::open(&foreign).unwrap();
    conn.pragma_update(None, "user_version", 2).unwrap();
    drop(conn);
    let before = bytes(&foreign);
    let e = Db::open(&foreign).err().unwrap().to_string();
    assert!(e.contains("其他程序的数据库"), "{e}");
    assert_eq!(bytes(&foreign), before);
}

#[cfg(unix)]
#[test]
fn twenty_kills_lose_no_record_that_was_reported_saved() {
    use std::io::{BufRead, BufReader};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("台账.sqlite");
    drop(Db::open(&path).unwrap());
    let mut rng = 20_261_122_u64;
    let mut reported = std::collections::BTreeSet::new();
    for round in 0..20 {
        // This test binary again, running only the writer below.
        let mut child = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["soak_writer", "--exact", "--nocapture", "--test-threads=1"])
            .env("DANGWU_SOAK_WRITER", &path)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
                .filter_map(|l| l.trim().parse::<i64>().ok())
                .collect::<Vec<i64>>()
        });
        // A different moment each round: 30 to 330 ms after the start.
        rng = rng.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        std::thread::sleep(std::time::Duration::from_millis(30 + (rng >> 33) % 300));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let ids = reader.join().unwrap();
        reported.extend(ids);
        let db = Db::open(&path).unwrap();
        let stored: std::collections::BTreeSet<i64> = db
            .talks(None)
            .unwrap()
            .into_iter()
            .filter_map(|t| t.id)
            .collect();
        let lost: Vec<_> = reported.difference(&stored).collect();
        assert!(lost.is_empty(), "round {round}: reported but lost {lost:?}");
    }
    assert!(
        reported.len() > 20,
        "the writer got going ({} saves)",
        reported.len()
    );
    assert_eq!(common::integrity(&path), "ok");
}

/// Not a test of its own: the writer the kill test above runs in a process of its own. It saves
/// talks through the ordinary store call until killed, printing each id after its commit.
#[test]
fn soak_writer() {
    use std::io::Write;
    let Some(path) = std::env::var_os("DANGWU_SOAK_WRITER") else {
        return;
    };
    let mut db = Db::open(std::path::Path::new(&path)).unwrap();
    let kind = db.talk_kinds().unwrap()[0].id.unwrap();
    let mut out = std::io::stdout().lock();
    for i in 0_u64.. {
        let talk = dangwu::model::talk::Talk {
            date: d(2026, 1, 1),
            kind_id: kind,
            talkers: "测试".into(),
            subject_names: format!("对象{i}"),
            content: "x".repeat(2000),
            ..Default::default()
        };
        let id = db.save_talk(&talk).unwrap();
        writeln!(out, "{id}").unwrap();
        out.flush().unwrap();
    }
}

#[test]
fn long_text_emoji_and_control_characters_are_kept_or_refused_plainly() {
    use dangwu::model::member::MemberInput;
    use dangwu::model::talk::{TalkForm, TalkInput};
    let (mut db, org_id) = db_with_branch();
    let today = d(2026, 11, 22);
    // A name of 10,000 characters is refused at its field, without a panic.
    let long = MemberInput {
        name: "王".repeat(10_000),
        ..MemberInput::new(Some(org_id))
    };
    let e = long.validate(today).unwrap_err();
    assert_eq!(
        e.get(dangwu::model::member::MemberField::Name),
        Some("姓名过长（最多30个字）")
    );
    // Surrounding spaces are trimmed; emoji and control characters in free text are kept as typed.
    let odd = MemberInput {
        name: "  　张喆\t ".into(),
        note: format!("备注🙂\u{7}{}", "长".repeat(10_000)),
        ..MemberInput::new(Some(org_id))
    };
    let m = odd.validate(today).unwrap();
    assert_eq!(m.name, "张喆");
    let id = db.save_member(&m).unwrap();
    let back = db.member(id).unwrap();
    assert_eq!(back.note, m.note);
    // Dates that do not exist are refused, not guessed.
    let talk = TalkInput {
        date: "2022-02-30".into(),
        kind_id: Some(1),
        form: TalkForm::Individual,
        talkers: "王书记".into(),
        subject_names: "李堃".into(),
        ..Default::default()
    };
    assert!(talk.validate(today).is_err());
}

/// Personal data kept close: everything made beside the data file is its owner's alone.
#[cfg(unix)]
#[test]
fn the_data_file_its_journal_backups_attachments_and_lock_are_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("党务台账");
    let path = folder.join("台账.sqlite");
    let mut db = Db::open(&path).unwrap();
    let org_id = db
        .save_org(&org("机关第一党支部", OrgKind::Branch, None), &[])
        .unwrap();
    let photo = dir.path().join("签到表.jpg");
    std::fs::write(&photo, b"jpeg").unwrap();
    let stored = db.import_attachment(&photo).unwrap();
    let lock = dangwu::store::lock::acquire(&path).unwrap().unwrap();
    let daily = backup::daily(&path, d(2026, 11, 22)).unwrap().unwrap();
    let chosen = dir.path().join("U盘备份.sqlite");
    db.backup_to(&chosen).unwrap();
    db.save_member(&member(org_id)).unwrap();

    assert_eq!(mode(&folder), 0o700);
    for file in [
        path.clone(),
        folder.join("台账.sqlite-wal"),
        folder.join("台账.sqlite-shm"),
        folder.join("台账.sqlite.lock"),
        daily.clone(),
        chosen,
        folder.join("attachments").join(&stored),
    ] {
        assert_eq!(mode(&file), 0o600, "{}", file.display());
    }
    assert_eq!(mode(daily.parent().unwrap()), 0o700);
    assert_eq!(mode(&folder.join("attachments")), 0o700);
    drop(lock);
}

/// The audit keeps that an ID number or a phone number changed, never the numbers.
#[test]
fn the_audit_keeps_that_an_id_number_changed_not_the_number() {
    let (mut db, org_id) = db_with_branch();
    let mut m = member(org_id);
    m.phone = "13800138000".into();
    let id = db.save_member(&m).unwrap();
    let mut m = db.member(id).unwrap();
    let old_id = m.id_number.clone();
    m.id_number = "110105198001010016".into();
    m.phone = "13900139000".into();
    db.save_member(&m).unwrap();
    let mut m = db.member(id).unwrap();
    m.job = "科长".into();
    db.save_member(&m).unwrap();

    let history = db.history("member", &m.uid).unwrap();
    assert_eq!(history.len(), 3);
    let all: String = history
        .iter()
        .flat_map(|h| [h.before.clone(), h.after.clone()])
        .flatten()
        .collect();
    for number in [
        old_id.as_str(),
        "110105198001010016",
        "13800138000",
        "13900139000",
    ] {
        assert!(!all.contains(number), "{number} is in the audit");
    }
    let change = history[1].after.as_deref().unwrap();
    assert!(
        change.contains("\"id_number\":\"（已修改，不记录）\""),
        "{change}"
    );
    assert!(
        change.contains("\"phone\":\"（已修改，不记录）\""),
        "{change}"
    );
    // A change of something else says the numbers stayed as they were.
    let other = history[2].after.as_deref().unwrap();
    assert!(other.contains("\"id_number\":\"（不记录）\""), "{other}");
    assert!(other.contains("科长"));
}

/// A changed phone number does not linger in the file's free space (secure_delete).
#[test]
fn an_old_phone_number_leaves_no_trace_in_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("台账.sqlite");
    let mut db = Db::open(&path).unwrap();
    let org_id = db
        .save_org(&org("机关第一党支部", OrgKind::Branch, None), &[])
        .unwrap();
    let mut m = member(org_id);
    m.phone = "13812345678".into();
    m.note = "长".repeat(300);
    let id = db.save_member(&m).unwrap();
    let mut m = db.member(id).unwrap();
    m.phone = "13987654321".into();
    m.note = "短".into();
    db.save_member(&m).unwrap();
    drop(db);
    let raw = std::fs::read(&path).unwrap();
    let needle = "13812345678".as_bytes();
    assert!(
        !raw.windows(needle.len()).any(|w| w == needle),
        "the old phone number is still in the file"
    );
}

/// A data file with a branch, a member and an activity holding an attachment, in `dir/name`.
fn ledger_with_attachment(dir: &std::path::Path, name: &str) -> (Db, std::path::PathBuf, String) {
    let path = dir.join(name);
    let mut db = Db::open(&path).unwrap();
    let org_id = db
        .save_org(&org("机关第一党支部", OrgKind::Branch, None), &[])
        .unwrap();
    db.save_member(&member(org_id)).unwrap();
    let photo = dir.join("签到表.jpg");
    std::fs::write(&photo, b"a photo of the sign-in sheet").unwrap();
    let types = db.activity_types().unwrap();
    let a = common::activity(
        org_id,
        d(2026, 4, 2),
        vec![types[0].id.unwrap()],
        "学习党章",
    );
    let id = db.save_activity_with_files(&a, &[photo]).unwrap();
    let stored = db.activity(id).unwrap().attachments[0].clone();
    (db, path, stored)
}

#[test]
fn a_backup_holds_the_attachments_and_restores_them_into_a_new_folder() {
    let dir = tempfile::tempdir().unwrap();
    let (db, path, stored) = ledger_with_attachment(dir.path(), "台账.sqlite");
    let usb = dir.path().join("U盘").join("备份.sqlite");
    std::fs::create_dir_all(usb.parent().unwrap()).unwrap();
    let summary = backup::copy_file(&path, &usb).unwrap();
    assert_eq!(
        (summary.members, summary.activities, summary.attachments),
        (1, 1, 1)
    );
    assert!(summary.describe().contains("附件 1 个"));
    assert!(backup::attachments_of(&usb).join(&stored).is_file());
    drop(db);

    // On another PC: a new, empty ledger in a new folder, restored from the backup.
    let other = dir.path().join("新电脑");
    let mut fresh = Db::open(&other.join("台账.sqlite")).unwrap();
    let restored = fresh.restore_from(&usb).unwrap();
    assert_eq!(fresh.members().unwrap().len(), 1);
    assert_eq!(fresh.activities_full(None).unwrap()[0].topic, "学习党章");
    assert_eq!(
        std::fs::read(other.join("attachments").join(&stored)).unwrap(),
        b"a photo of the sign-in sheet"
    );
    assert_eq!(restored.summary.attachments, 1);
    // What was there before (nothing) is kept, checked, in backups/.
    assert!(restored.kept_as.is_file());
    assert!(
        restored
            .kept_as
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("台账.sqlite-恢复前-")
    );
    assert_eq!(
        Db::open(&restored.kept_as)
            .unwrap()
            .members()
            .unwrap()
            .len(),
        0
    );
}

#[test]
fn a_restore_over_a_file_with_a_stale_wal_gives_exactly_the_backups_rows() {
    let dir = tempfile::tempdir().unwrap();
    let (mut db, path, _) = ledger_with_attachment(dir.path(), "台账.sqlite");
    let chosen = dir.path().join("备份.sqlite");
    db.backup_to(&chosen).unwrap();
    let backup_members = Connection::open(&chosen)
        .unwrap()
        .query_row("SELECT count(*) FROM member", [], |r| r.get::<_, i64>(0))
        .unwrap();
    // Work after the backup, then a crash: the file with a -wal not merged into it.
    let org_id = db.orgs(d(2026, 1, 1)).unwrap()[0].org.id.unwrap();
    for i in 0..20 {
        let mut m = member(org_id);
        m.id_number.clear();
        m.name = format!("新党员{i}");
        db.save_member(&m).unwrap();
    }
    let crashed = dir.path().join("崩溃后.sqlite");
    std::fs::copy(&path, &crashed).unwrap();
    std::fs::copy(
        dir.path().join("台账.sqlite-wal"),
        dir.path().join("崩溃后.sqlite-wal"),
    )
    .unwrap();
    drop(db);

    let mut live = Db::open(&crashed).unwrap();
    assert_eq!(live.members().unwrap().len(), 21, "the -wal was recovered");
    live.restore_from(&chosen).unwrap();
    assert_eq!(live.members().unwrap().len() as i64, backup_members);
    drop(live);
    let reopened = Db::open(&crashed).unwrap();
    assert_eq!(reopened.members().unwrap().len() as i64, backup_members);
    assert_eq!(common::integrity(&crashed), "ok");
}

#[test]
fn two_files_with_one_stem_get_two_daily_backups() {
    let dir = tempfile::tempdir().unwrap();
    let (_a, first, _) = ledger_with_attachment(dir.path(), "ledger.sqlite");
    let second = dir.path().join("ledger.db");
    drop(Db::open(&second).unwrap());
    let one = backup::daily(&first, d(2026, 11, 22)).unwrap().unwrap();
    let two = backup::daily(&second, d(2026, 11, 22)).unwrap().unwrap();
    assert_ne!(one, two);
    assert_eq!(Db::open(&one).unwrap().members().unwrap().len(), 1);
    assert_eq!(Db::open(&two).unwrap().members().unwrap().len(), 0);
    // Attachments of the daily backup sit beside it.
    assert_eq!(
        std::fs::read_dir(backup::attachments_of(&one))
            .unwrap()
            .count(),
        1
    );
}

#[test]
fn leftovers_of_an_interrupted_backup_are_cleaned_and_a_damaged_source_leaves_no_backup() {
    let dir = tempfile::tempdir().unwrap();
    let (db, path, _) = ledger_with_attachment(dir.path(), "台账.sqlite");
    drop(db);
    let backups = backup::backups_dir(&path);
    std::fs::create_dir_all(&backups).unwrap();
    std::fs::write(backups.join("台账.sqlite-2026-11-20.partial"), b"half").unwrap();
    std::fs::write(backups.join("台账.sqlite-2026-11-21.sqlite"), b"").unwrap();
    backup::daily(&path, d(2026, 11, 22)).unwrap();
    let mut names: Vec<String> = std::fs::read_dir(&backups)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "台账.sqlite-2026-11-22.sqlite",
            "台账.sqlite-2026-11-22.sqlite-附件"
        ]
    );
    // A chosen backup of a file that is not a ledger: refused, nothing written.
    let text = dir.path().join("说明.sqlite");
    std::fs::write(&text, "这不是数据库").unwrap();
    let dest = dir.path().join("备份.sqlite");
    assert!(backup::copy_file(&text, &dest).is_err());
    assert!(!dest.exists());
    assert!(!dest.with_extension("partial").exists());
}

/// `备份.sqlite` and later `备份.db` in one folder: each has its own attachment folder, neither
/// removes the other's, and both restore with their attachments.
#[test]
fn two_backups_side_by_side_each_keep_their_attachments() {
    let dir = tempfile::tempdir().unwrap();
    let (db, path, stored) = ledger_with_attachment(dir.path(), "台账.sqlite");
    let usb = dir.path().join("U盘");
    std::fs::create_dir_all(&usb).unwrap();
    let (one, two) = (usb.join("党务备份.sqlite"), usb.join("党务备份.db"));
    backup::copy_file(&path, &one).unwrap();
    backup::copy_file(&path, &two).unwrap();
    drop(db);
    assert_ne!(backup::attachments_of(&one), backup::attachments_of(&two));
    for (i, b) in [&one, &two].into_iter().enumerate() {
        assert!(
            backup::attachments_of(b).join(&stored).is_file(),
            "{}",
            b.display()
        );
        let other = dir.path().join(format!("新电脑{i}"));
        let mut fresh = Db::open(&other.join("台账.sqlite")).unwrap();
        let restored = fresh.restore_from(b).unwrap();
        assert_eq!(restored.summary.attachments, 1);
        assert!(other.join("attachments").join(&stored).is_file());
    }
    // A folder the backup did not make is never removed: a third backup to a name whose folder
    // is taken is refused, and the folder stays as it was.
    let taken = usb.join("其他.sqlite");
    std::fs::create_dir_all(backup::attachments_of(&taken)).unwrap();
    std::fs::write(backup::attachments_of(&taken).join("照片.jpg"), b"x").unwrap();
    let e = backup::copy_file(&path, &taken).unwrap_err();
    assert!(e.to_string().contains("已有文件夹"), "{e}");
    assert!(backup::attachments_of(&taken).join("照片.jpg").is_file());
    assert!(!taken.exists());
}

/// A backup crafted to name `../../outside/pwned.sh` as an attachment is refused before anything
/// is written: no file outside the ledger's folder, the current data untouched and not even
/// copied aside. A live file with such a name is not backed up either.
#[test]
fn a_backup_naming_a_path_out_of_its_folder_is_refused_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("单位").join("台账");
    std::fs::create_dir_all(&home).unwrap();
    let (db, path, _) = ledger_with_attachment(&home, "台账.sqlite");
    let usb = dir.path().join("U盘");
    std::fs::create_dir_all(&usb).unwrap();
    let crafted = usb.join("备份.sqlite");
    db.backup_to(&crafted).unwrap();
    drop(db);
    rusqlite::Connection::open(&crafted)
        .unwrap()
        .execute("UPDATE attachment SET path = '../../outside/pwned.sh'", [])
        .unwrap();
    let mut db = Db::open(&path).unwrap();
    let e = db.restore_from(&crafted).unwrap_err();
    assert!(e.to_string().contains("不是附件文件夹中的文件名"), "{e}");
    drop(db);
    assert!(!dir.path().join("单位").join("outside").exists());
    assert!(!dir.path().join("outside").exists());
    let kept_aside = std::fs::read_dir(home.join("backups"))
        .map(|d| {
            d.filter_map(|e| e.ok())
                .filter(|e| e.file_name().to_string_lossy().contains("恢复前"))
                .count()
        })
        .unwrap_or(0);
    assert_eq!(kept_aside, 0, "nothing was going to be written");
    assert_eq!(Db::open(&path).unwrap().members().unwrap().len(), 1);
    // The same name in the live file: not backed up either.
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute("UPDATE attachment SET path = '../x'", [])
        .unwrap();
    let e = backup::copy_file(&path, &usb.join("又一份.sqlite")).unwrap_err();
    assert!(e.to_string().contains("不是附件文件夹中的文件名"), "{e}");
    assert!(!usb.join("又一份.sqlite").exists());
}

/// tally, export, print and backup read a file and change no byte of it, and make nothing beside
/// it: a file in rollback-journal mode (a backup, a copy) stays so, a read-only file gets no -shm,
/// and a read-only folder is no obstacle.
#[cfg(unix)]
#[test]
fn read_commands_change_no_byte_and_leave_nothing_beside_the_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("输出");
    std::fs::create_dir_all(&out).unwrap();
    let source = dir.path().join("源.sqlite");
    dangwu::demo::fill(
        &mut Db::open(&source).unwrap(),
        &dangwu::demo::DemoOptions {
            years: 1,
            members: 40,
            records: None,
            talks: None,
            items: None,
            today: chrono::Local::now().date_naive(),
        },
    )
    .unwrap();
    let cases = ["回滚日志", "只读文件", "只读文件夹"];
    for (i, case) in cases.iter().enumerate() {
        let folder = dir.path().join(case);
        std::fs::create_dir_all(&folder).unwrap();
        let file = folder.join("台账.sqlite");
        std::fs::copy(&source, &file).unwrap();
        // As a backup or a copy lies: a rollback journal, not WAL.
        rusqlite::Connection::open(&file)
            .unwrap()
            .pragma_update(None, "journal_mode", "DELETE")
            .unwrap();
        match i {
            1 => std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o400)).unwrap(),
            2 => std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o500)).unwrap(),
            _ => {}
        }
        let before = std::fs::read(&file).unwrap();
        let listing = || {
            let mut names: Vec<String> = std::fs::read_dir(&folder)
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            names.sort();
            names
        };
        let run = |args: &[&str]| {
            let o = std::process::Command::new(env!("CARGO_BIN_EXE_dangwu"))
                .arg("--db")
                .arg(&file)
                .args(args)
                .output()
                .unwrap();
            assert!(
                o.status.success(),
                "{case} {args:?}: {}",
                String::from_utf8_lossy(&o.stderr)
            );
        };
        let year = chrono::Local::now().date_naive().format("%Y").to_string();
        let o = |name: &str| out.join(format!("{i}-{name}")).display().to_string();
        run(&["tally", "--year", &year, "--format", "json"]);
        run(&["export", &o("导出.xlsx")]);
        run(&["print", "rectification", "--pdf", &o("整改.pdf")]);
        run(&["backup", "--to", &o("备份.sqlite")]);
        assert_eq!(
            std::fs::read(&file).unwrap(),
            before,
            "{case}: a byte changed"
        );
        assert_eq!(
            listing(),
            ["台账.sqlite"],
            "{case}: something was made beside it"
        );
        // What the commands wrote holds personal data: the owner's alone.
        for name in ["导出.xlsx", "整改.pdf", "备份.sqlite"] {
            let mode = std::fs::metadata(o(name)).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{name}");
        }
        std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o700)).unwrap();
    }
}

/// A 换届选举 changed since its dialog opened is not overwritten: the guard says what changed.
#[test]
fn an_election_changed_since_it_was_opened_is_not_overwritten() {
    use dangwu::model::election::ElectionInput;
    use dangwu::model::org::{CommitteeInput, CommitteeRole};
    let (mut db, branch) = common::db_with_branch();
    let input = ElectionInput {
        org_id: Some(branch),
        held: "2024-03-15".into(),
        elected: vec![CommitteeInput {
            role: CommitteeRole::Secretary,
            name: "张喆".into(),
            ..Default::default()
        }],
        ..Default::default()
    };
    let id = db
        .save_election(&input.validate(d(2026, 11, 22)).unwrap())
        .unwrap();
    let loaded = db.election(id).unwrap();
    let mut elsewhere = loaded.clone();
    elsewhere.voters_expected = Some(30);
    db.save_election(&elsewhere).unwrap();
    let mut mine = loaded.clone();
    mine.note = "补记".into();
    let e = db
        .save_election_as_loaded(&mine, Some(&loaded))
        .unwrap_err();
    assert!(e.to_string().contains("此记录已被修改"), "{e}");
    assert!(e.to_string().contains("应到人数现为“30”"), "{e}");
    assert_eq!(db.election(id).unwrap().note, "");
}
