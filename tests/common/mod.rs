//! Shared fixtures for the integration tests.
#![allow(dead_code)]

use chrono::NaiveDate;
use dangwu::model::activity::Activity;
use dangwu::model::member::{Category, Gender, Member, Status};
use dangwu::model::org::{Org, OrgKind};
use dangwu::store::Db;

pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

pub fn org(name: &str, kind: OrgKind, parent_id: Option<i64>) -> Org {
    Org {
        id: None,
        uid: String::new(),
        name: name.into(),
        kind,
        parent_id,
        founded: Some(d(2001, 7, 1)),
        dissolved: None,
        term_start: Some(d(2024, 3, 15)),
        term_years: 3,
        has_committee: true,
        has_groups: false,
        note: String::new(),
        expectations: Vec::new(),
    }
}

/// A member with every field filled, so round trips check them all.
pub fn member(org_id: i64) -> Member {
    Member {
        id: None,
        uid: String::new(),
        name: "王珺".into(),
        gender: Some(Gender::Female),
        ethnicity: "汉族".into(),
        birth_date: Some(d(1949, 12, 31)),
        id_number: "11010519491231002X".into(),
        education: "大学本科".into(),
        job: "科员".into(),
        phone: "0571-87654321".into(),
        org_id,
        category: Category::Full,
        applied_on: Some(d(2015, 3, 1)),
        activist_on: Some(d(2015, 9, 1)),
        candidate_on: Some(d(2016, 10, 1)),
        probationary_on: Some(d(2017, 6, 20)),
        full_on: Some(d(2018, 6, 20)),
        party_post: "组织委员".into(),
        introducers: "张喆、李堃".into(),
        status: Status::OnRolls,
        status_date: None,
        note: "备注：彧".into(),
        probation_extended_to: None,
    }
}

/// A 组织关系转接 record; `None` is outside the bureau.
pub fn transfer(
    member_id: i64,
    date: NaiveDate,
    from: Option<i64>,
    to: Option<i64>,
) -> dangwu::model::transfer::Transfer {
    dangwu::model::transfer::Transfer {
        id: None,
        uid: String::new(),
        member_id,
        date,
        from_org: from,
        to_org: to,
        other_org: if from.is_none() || to.is_none() {
            "省民政厅机关党委".into()
        } else {
            String::new()
        },
        note: String::new(),
    }
}

/// An in-memory database with one branch; returns the branch's id.
pub fn db_with_branch() -> (Db, i64) {
    let mut db = Db::open_in_memory().unwrap();
    let id = db
        .save_org(&org("机关第一党支部", OrgKind::Branch, None), &[])
        .unwrap();
    (db, id)
}

/// A record of `types` held by `org_id` on `date`, everything else empty.
pub fn activity(org_id: i64, date: NaiveDate, types: Vec<i64>, topic: &str) -> Activity {
    Activity {
        id: None,
        uid: String::new(),
        date,
        time: String::new(),
        org_id,
        type_ids: types,
        theme_ids: Vec::new(),
        topic: topic.into(),
        content: String::new(),
        host: String::new(),
        lecturer: String::new(),
        place: String::new(),
        recorder: String::new(),
        guests: String::new(),
        minutes: String::new(),
        outcome: String::new(),
        speech_date: None,
        for_year: None,
        expected: None,
        present: None,
        attendance: Vec::new(),
        attachments: Vec::new(),
    }
}

/// SQLite's own check of the whole file.
pub fn integrity(path: &std::path::Path) -> String {
    rusqlite::Connection::open(path)
        .unwrap()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap()
}

/// A small RAM disk of its own (Linux, when this process may mount one: as root, the way CI runs),
/// unmounted when dropped.
#[cfg(target_os = "linux")]
pub struct SmallDisk {
    pub dir: tempfile::TempDir,
}

#[cfg(target_os = "linux")]
impl SmallDisk {
    pub fn mount(size: &str) -> Option<SmallDisk> {
        let dir = tempfile::tempdir().ok()?;
        let ok = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .output()
            .is_ok_and(|o| o.status.success());
        ok.then_some(SmallDisk { dir })
    }

    /// Writes a filler file until the disk takes not one more byte.
    pub fn fill(&self) -> std::path::PathBuf {
        use std::io::Write;
        let filler = self.dir.path().join("filler");
        let mut f = std::fs::File::create(&filler).unwrap();
        for chunk in [64 * 1024, 4096, 1] {
            let bytes = vec![0u8; chunk];
            while f.write_all(&bytes).is_ok() {}
        }
        filler
    }
}

#[cfg(target_os = "linux")]
impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg(self.dir.path())
            .status();
    }
}

/// A folder seen through a FUSE mount (bindfs), as a share would be: Linux reports it as FUSE,
/// which the store counts among network file systems. `None` where bindfs or /dev/fuse is missing.
#[cfg(target_os = "linux")]
pub struct FuseShare {
    pub dir: tempfile::TempDir,
    _backing: tempfile::TempDir,
}

#[cfg(target_os = "linux")]
impl FuseShare {
    pub fn mount() -> Option<FuseShare> {
        let backing = tempfile::tempdir().ok()?;
        let dir = tempfile::tempdir().ok()?;
        let ok = std::process::Command::new("bindfs")
            .arg(backing.path())
            .arg(dir.path())
            .output()
            .is_ok_and(|o| o.status.success());
        ok.then_some(FuseShare {
            dir,
            _backing: backing,
        })
    }
}

#[cfg(target_os = "linux")]
impl Drop for FuseShare {
    fn drop(&mut self) {
        let _ = std::process::Command::new("fusermount")
            .arg("-u")
            .arg(self.dir.path())
            .status();
    }
}

/// A workbook written cell by cell, as a user might have filled it: text, or a number where the
/// text starts with `#` (`#50.005`).
pub fn book(path: &std::path::Path, sheets: &[(&str, Vec<Vec<&str>>)]) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    for (name, rows) in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(*name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                match v.strip_prefix('#') {
                    Some(n) => {
                        ws.write_number(r as u32, c as u16, n.parse::<f64>().unwrap())
                            .unwrap();
                    }
                    None if !v.is_empty() => {
                        ws.write_string(r as u32, c as u16, *v).unwrap();
                    }
                    None => {}
                }
            }
        }
    }
    wb.save(path).unwrap();
}

/// A rectification item from a self-check, found on `found` (2026-01-10) with `description`, as
/// its form saves it; its id.
pub fn rect_item(db: &mut Db, found: &str, description: &str) -> i64 {
    let input = dangwu::model::rectify::RectInput {
        source: Some(dangwu::model::rectify::Source::SelfCheck),
        found_on: found.into(),
        description: description.into(),
        ..Default::default()
    };
    db.save_rectification(&input.validate(d(2026, 11, 22), None).unwrap())
        .unwrap()
}
pub mod pg;
