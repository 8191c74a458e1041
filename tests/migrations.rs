//! Every past schema version upgraded on data. The fixtures in `tests/fixtures/migrations/vN.sqlite`
//! hold a small bureau as version N stored it: made by `make_fixtures` below, which applies the
//! first N migrations (the schema of version N: migrations are append-only) and the rows each
//! version could hold. Made once and committed, so a later change to a migration that would break
//! an old file shows here. Regenerate only when adding a version:
//! `cargo test --test migrations -- --ignored make_fixtures`.

mod common;

use common::d;
use dangwu::store::{Db, schema};
use rusqlite::Connection;

/// The rows a version can hold, by the version that introduced their tables.
const DATA: &[(i32, &str)] = &[
    (
        1,
        "INSERT INTO org (id, uid, name, kind) VALUES (1, 'o1', '市民政局党组', '党组');
         INSERT INTO org (id, uid, name, kind, parent_id, term_start) VALUES (2, 'o2', '机关第一党支部', '党支部', 1, '2021-06-01');
         INSERT INTO member (id, uid, name, gender, id_number, phone, org_id, category, probationary_on, full_on)
              VALUES (1, 'm1', '王珺', '女', '11010519491231002X', '13800138000', 2, '正式党员', '2017-06-20', '2018-06-20');
         INSERT INTO member (id, uid, name, gender, org_id, category, probationary_on)
              VALUES (2, 'm2', '李堃', '男', 2, '预备党员', '2026-03-01');
         INSERT INTO member (id, uid, name, gender, org_id, category, full_on, status, status_date)
              VALUES (3, 'm3', '赵昇', '男', 2, '正式党员', '2010-07-01', '转出', '2022-05-10');
         INSERT INTO committee_member (uid, org_id, role, name, member_id) VALUES ('c1', 2, '书记', '王珺', 1);
         INSERT INTO audit (uid, at, actor, tbl, row_uid, action, after)
              VALUES ('a1', '2022-01-01 09:00:00', '办公室', 'member', 'm1', 'insert', '{\"name\":\"王珺\"}');",
    ),
    (
        2,
        "INSERT INTO activity (id, uid, date, org_id, topic) VALUES (1, 'x1', '2022-03-20', 2, '学习党章');
         INSERT INTO activity_kind (activity_id, type_id) SELECT 1, id FROM activity_type WHERE label = '党员大会';
         INSERT INTO attendance (activity_id, member_id, presence, reason) VALUES (1, 1, '出席', '');
         INSERT INTO attendance (activity_id, member_id, presence, reason) VALUES (1, 3, '请假', '出差');",
    ),
    (
        3,
        "INSERT INTO talk (id, uid, date, kind_id, form, talkers, subject_names, subjects)
              SELECT 1, 't1', '2022-04-01', id, '个别', '王书记', '', 1 FROM talk_kind WHERE label = '提醒谈话';
         INSERT INTO talk_subject (talk_id, member_id) VALUES (1, 2);
         INSERT INTO rectification (id, uid, source, found_on, description, deadline)
              VALUES (1, 'r1', '自查', '2022-02-01', '台账不全', '2022-06-30');
         INSERT INTO rectification_event (uid, item_id, date, kind) VALUES ('e1', 1, '2022-02-01', '登记');",
    ),
    // From 4 on, the app gave each talk and item an organisation (4 itself gave the older ones the
    // top organisation).
    (
        4,
        "UPDATE talk SET org_id = 1; UPDATE rectification SET org_id = 1;
         INSERT INTO org_expectation (org_id, type_id, expected)
              SELECT 2, id, 0 FROM activity_type WHERE label = '党小组会';",
    ),
    (5, "INSERT INTO setting (key, value) VALUES ('unit_name', '某市民政局');"),
    (
        6,
        "UPDATE member SET status = '在册', status_date = NULL WHERE id = 3;
         INSERT INTO transfer (uid, member_id, date, from_org_id, other_org)
              VALUES ('tr1', 3, '2022-05-10', 2, '省厅机关党委');
         INSERT INTO dues (member_id, org_id, month, basis, base_fen, amount_fen)
              VALUES (1, 2, '2022-03', '在职', 500000, 5000);
         INSERT INTO member_event (uid, act_uid, kind, date, member_id, org_id, title)
              VALUES ('v1', 'act1', '表彰', '2022-07-01', 1, 2, '优秀共产党员');",
    ),
    (
        8,
        "INSERT INTO activity_theme (activity_id, theme_id) SELECT 1, id FROM theme WHERE label = '党史学习教育';",
    ),
];

fn fixture(version: i32) -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join(format!("tests/fixtures/migrations/v{version}.sqlite"))
}

/// Writes the fixture of every past version (all but the current one).
#[test]
#[ignore = "regenerates the committed fixtures; run by hand when adding a schema version"]
fn make_fixtures() {
    for version in 1..schema::latest_version() {
        let path = fixture(version);
        let _ = std::fs::remove_file(&path);
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
        for sql in &schema::MIGRATIONS[..version as usize] {
            conn.execute_batch(sql).unwrap();
        }
        for (since, sql) in DATA {
            if *since <= version {
                conn.execute_batch(sql).unwrap();
            }
        }
        conn.pragma_update(None, "user_version", version).unwrap();
        conn.pragma_update(None, "application_id", schema::APPLICATION_ID)
            .unwrap();
        conn.execute_batch("VACUUM").unwrap();
    }
}

#[test]
fn every_past_version_upgrades_with_its_data_and_a_copy_of_it_as_it_was() {
    assert!(
        fixture(schema::latest_version() - 1).exists(),
        "a fixture for every past version: run make_fixtures after adding one"
    );
    for version in 1..schema::latest_version() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("台账.sqlite");
        std::fs::copy(fixture(version), &path).unwrap();
        let db = Db::open(&path).unwrap_or_else(|e| panic!("v{version}: {e}"));
        assert_eq!(db.schema_version().unwrap(), schema::latest_version());
        let at = |what: &str| format!("v{version}: {what}");

        // Members, with their values; the old 转出 status is a transfer record now.
        let members = db.members().unwrap();
        assert_eq!(members.len(), 3, "{}", at("members"));
        let wang = members.iter().find(|m| m.name == "王珺").unwrap();
        assert_eq!(wang.id_number, "11010519491231002X", "{}", at("ID number"));
        assert_eq!(wang.full_on, Some(d(2018, 6, 20)), "{}", at("转正"));
        let zhao = members.iter().find(|m| m.name == "赵昇").unwrap();
        let zhao_transfers = db.transfers_of(zhao.id.unwrap()).unwrap();
        assert_eq!(zhao_transfers.len(), 1, "{}", at("转出 as a record"));
        assert_eq!(zhao_transfers[0].date, d(2022, 5, 10));
        assert_eq!(
            db.committee(2).unwrap()[0].name,
            "王珺",
            "{}",
            at("committee")
        );

        if version >= 2 {
            let a = db.activities_full(Some(2022)).unwrap();
            assert_eq!(a.len(), 1, "{}", at("activities"));
            assert_eq!(a[0].topic, "学习党章");
            assert_eq!(a[0].attendance.len(), 2, "{}", at("attendance"));
            assert!(
                a[0].attendance.iter().any(|x| x.reason == "出差"),
                "{}",
                at("leave reason")
            );
        }
        if version >= 3 {
            let talks = db.talks(Some(2022)).unwrap();
            assert_eq!(talks.len(), 1, "{}", at("talks"));
            assert_eq!(talks[0].subjects, vec![(2, "李堃".to_string())]);
            assert_eq!(talks[0].org_id, Some(1), "{}", at("talk's organisation"));
            let items = db.rectifications().unwrap();
            assert_eq!(items[0].description, "台账不全", "{}", at("items"));
            assert_eq!(db.rectification_history(1).unwrap().len(), 1);
        }
        if version >= 5 {
            assert_eq!(
                db.setting(dangwu::store::settings::UNIT_NAME)
                    .unwrap()
                    .as_deref(),
                Some("某市民政局")
            );
        }
        if version >= 6 {
            assert_eq!(
                db.dues_of_year(Some(2), 2022).unwrap().len(),
                1,
                "{}",
                at("dues")
            );
            assert_eq!(
                db.events_of_year(2022).unwrap().len(),
                1,
                "{}",
                at("events")
            );
        }
        if version >= 8 {
            let themes = db.themes().unwrap();
            let a = &db.activities_full(Some(2022)).unwrap()[0];
            let named: Vec<&str> = a
                .theme_ids
                .iter()
                .filter_map(|id| themes.iter().find(|t| t.id == Some(*id)))
                .map(|t| t.label.as_str())
                .collect();
            assert_eq!(named, ["党史学习教育"], "{}", at("专题"));
        }
        assert_eq!(common::integrity(&path), "ok", "{}", at("integrity"));

        // The copy taken before the upgrade is the file as it was, still at its version.
        let copies: Vec<_> = std::fs::read_dir(dir.path().join("backups"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with(&format!("台账.sqlite-升级前-v{version}-"))
            })
            .collect();
        assert_eq!(copies.len(), 1, "{}", at("升级前 copy"));
        let old = Connection::open(&copies[0]).unwrap();
        let old_version: i32 = old
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(old_version, version);
        let old_members: i64 = old
            .query_row("SELECT count(*) FROM member", [], |r| r.get(0))
            .unwrap();
        assert_eq!(old_members, 3, "{}", at("members in the copy"));
    }
}
