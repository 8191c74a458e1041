//! The workbook is a faithful copy, and a sheet only changes what it has: export → import into an
//! empty file gives the same rows in every record table and the same tally for every year; a
//! sheet with some of the columns changes those fields and leaves the others; an import that
//! meets a full disk writes every row or none.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{book, d, member, org};
use dangwu::demo::{self, DemoOptions};
use dangwu::model::activity::{Attendance, Presence};
use dangwu::model::org::{CommitteeMember, CommitteeRole, OrgKind};
use dangwu::model::talk::{Talk, TalkForm};
use dangwu::store::Db;
use dangwu::workbook::{self, export, import};

fn today() -> chrono::NaiveDate {
    d(2026, 11, 22)
}

fn import_file(db: &mut Db, path: &Path) -> import::Report {
    let report = import::import(db, &workbook::read(path).unwrap(), false, today());
    assert!(
        report.is_clean(),
        "{:?} {:?}",
        report.failure,
        &report.errors[..report.errors.len().min(5)]
    );
    report
}

/// Every record table as rows of what they say, with ids and uids replaced by what they point at
/// (an organisation's name, a member's number and name, a meeting's date, organisation and topic).
fn dump(path: &Path) -> BTreeMap<&'static str, Vec<String>> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let member = "(SELECT coalesce(id_number, '') || name FROM member WHERE id = {})";
    let org = "(SELECT name FROM org WHERE id = {})";
    let act = "(SELECT date || (SELECT name FROM org WHERE id = a.org_id) || topic FROM activity a WHERE a.id = {})";
    let talk = "(SELECT date || talkers || subject_names || content FROM talk t WHERE t.id = {})";
    let item = "(SELECT found_on || description FROM rectification r WHERE r.id = {})";
    let q: Vec<(&str, String)> = vec![
        (
            "org",
            format!(
                "SELECT name, kind, {}, founded, dissolved, term_start, term_years, has_committee, has_groups, note FROM org",
                org.replace("{}", "org.parent_id")
            ),
        ),
        (
            "org_expectation",
            format!(
                "SELECT {}, (SELECT label FROM activity_type WHERE id = type_id), expected FROM org_expectation",
                org.replace("{}", "org_id")
            ),
        ),
        (
            "election",
            format!(
                "SELECT {}, held, voters_expected, voters_present, note FROM election",
                org.replace("{}", "org_id")
            ),
        ),
        (
            "election_member",
            format!(
                "SELECT (SELECT held || {} FROM election x WHERE x.id = election_id), role, name, {}, duty, position
                 FROM election_member",
                org.replace("{}", "x.org_id"),
                member.replace("{}", "member_id")
            ),
        ),
        (
            "committee_member",
            format!(
                "SELECT {}, role, name, {}, duty, appointed, ended, position FROM committee_member",
                org.replace("{}", "org_id"),
                member.replace("{}", "member_id")
            ),
        ),
        (
            "member",
            format!(
                "SELECT name, gender, ethnicity, birth_date, id_number, education, job, phone, {}, category,
                 applied_on, activist_on, candidate_on, probationary_on, full_on, probation_extended_to,
                 party_post, introducers, status, status_date, note FROM member",
                org.replace("{}", "org_id")
            ),
        ),
        (
            "transfer",
            format!(
                "SELECT {}, date, {}, {}, other_org, note FROM transfer",
                member.replace("{}", "member_id"),
                org.replace("{}", "from_org_id"),
                org.replace("{}", "to_org_id")
            ),
        ),
        (
            "dues",
            format!(
                "SELECT {}, {}, month, basis, base_fen, amount_fen FROM dues",
                member.replace("{}", "member_id"),
                org.replace("{}", "org_id")
            ),
        ),
        (
            "member_event",
            format!(
                "SELECT {}, kind, date, for_year, {}, title, grade, note FROM member_event",
                member.replace("{}", "member_id"),
                org.replace("{}", "org_id")
            ),
        ),
        (
            "activity",
            format!(
                "SELECT date, time, {}, topic, content, host, lecturer, place, recorder, guests, minutes,
                 outcome, speech_date, for_year, expected, present FROM activity",
                org.replace("{}", "org_id")
            ),
        ),
        (
            "activity_kind",
            format!(
                "SELECT {}, (SELECT label FROM activity_type WHERE id = type_id) FROM activity_kind",
                act.replace("{}", "activity_id")
            ),
        ),
        (
            "activity_theme",
            format!(
                "SELECT {}, (SELECT label FROM theme WHERE id = theme_id) FROM activity_theme",
                act.replace("{}", "activity_id")
            ),
        ),
        (
            "attendance",
            format!(
                "SELECT {}, {}, presence, reason FROM attendance",
                act.replace("{}", "activity_id"),
                member.replace("{}", "member_id")
            ),
        ),
        (
            "attachment",
            format!(
                "SELECT {}, path, position FROM attachment",
                act.replace("{}", "activity_id")
            ),
        ),
        (
            "talk",
            format!(
                "SELECT date, (SELECT label FROM talk_kind WHERE id = kind_id), form, talkers, subject_names,
                 headcount, subjects, place, reason, content, follow_up, {} FROM talk",
                org.replace("{}", "org_id")
            ),
        ),
        (
            "talk_subject",
            format!(
                "SELECT {}, {} FROM talk_subject",
                talk.replace("{}", "talk_id"),
                member.replace("{}", "member_id")
            ),
        ),
        (
            "rectification",
            format!(
                "SELECT source, found_on, description, category, unit, person, measures, deadline, status,
                 closed_on, evidence, evidence_file, verifier, {} FROM rectification",
                org.replace("{}", "org_id")
            ),
        ),
        (
            "rectification_event",
            format!(
                "SELECT {}, date, kind, text FROM rectification_event",
                item.replace("{}", "item_id")
            ),
        ),
        (
            "activity_type",
            "SELECT grp, label, frequency, expected_of, requires, builtin, hidden FROM activity_type".into(),
        ),
        (
            "talk_kind",
            "SELECT label, builtin, hidden FROM talk_kind".into(),
        ),
        ("theme", "SELECT label, builtin, hidden FROM theme".into()),
    ];
    // Every table a record lives in is compared (the audit and settings are not records).
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for t in &tables {
        assert!(
            ["audit", "setting"].contains(&t.as_str()) || q.iter().any(|(n, _)| n == t),
            "table {t} is not compared"
        );
    }
    q.into_iter()
        .map(|(name, sql)| {
            let mut stmt = conn.prepare(&sql).unwrap();
            let n = stmt.column_count();
            let mut rows: Vec<String> = stmt
                .query_map([], |r| {
                    Ok((0..n)
                        .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
                        .collect::<Vec<_>>()
                        .join("|"))
                })
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            rows.sort();
            (name, rows)
        })
        .collect()
}

#[test]
fn export_then_import_into_an_empty_file_is_the_same_ledger_with_the_same_tally_every_year() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("演示.sqlite");
    let options = DemoOptions {
        years: 3,
        members: 300,
        records: None,
        talks: None,
        items: None,
        today: today(),
    };
    demo::fill(&mut Db::open(&source).unwrap(), &options).unwrap();
    let file = dir.path().join("全部台账.xlsx");
    export::export(&Db::open(&source).unwrap(), &file, None, today()).unwrap();

    let copy = dir.path().join("副本.sqlite");
    let mut db = Db::open(&copy).unwrap();
    let audit_before = db.history_count().unwrap();
    let report = import_file(&mut db, &file);
    assert!(report.written);
    assert!(
        report.warnings.is_empty(),
        "a whole ledger imports without a hint: {:?}",
        &report.warnings[..report.warnings.len().min(5)]
    );
    // At most one audit row per record written (the dues of a sheet share one).
    let written: usize = report.sheets.iter().map(|s| s.added + s.updated).sum();
    let audit = (db.history_count().unwrap() - audit_before) as usize;
    assert!(audit <= written, "{audit} audit rows for {written} records");
    drop(db);

    let (a, b) = (dump(&source), dump(&copy));
    for (table, rows) in &a {
        let other = &b[table];
        let missing: Vec<&String> = rows.iter().filter(|r| !other.contains(r)).take(3).collect();
        let extra: Vec<&String> = other.iter().filter(|r| !rows.contains(r)).take(3).collect();
        assert!(
            rows == other,
            "{table}: {} rows vs {}; only in the original {missing:#?}; only in the copy {extra:#?}",
            rows.len(),
            other.len()
        );
    }
    let (a, b) = (
        Db::open_for_reading(&source).unwrap(),
        Db::open_for_reading(&copy).unwrap(),
    );
    for year in 2024..=2026 {
        let scope = dangwu::tally::Scope::year(year, today());
        let (x, y) = (
            dangwu::tally::compute(&a, &scope).unwrap(),
            dangwu::tally::compute(&b, &scope).unwrap(),
        );
        assert_eq!(
            serde_json::to_value(&x).unwrap(),
            serde_json::to_value(&y).unwrap(),
            "tally of {year}"
        );
        assert_eq!(
            dangwu::tally::report::text(&x, today()),
            dangwu::tally::report::text(&y, today())
        );
    }
}

/// A small bureau with one record of each kind, every field filled.
struct Bureau {
    db: Db,
    branch: i64,
    other: i64,
    member: i64,
    activity: i64,
    talk: i64,
    item: i64,
}

fn bureau() -> Bureau {
    let mut db = Db::open_in_memory().unwrap();
    let mut b = org("机关第一党支部", OrgKind::Branch, None);
    b.has_groups = true;
    b.note = "示范党支部".into();
    let committee = vec![CommitteeMember {
        id: None,
        uid: String::new(),
        role: CommitteeRole::Secretary,
        name: "张喆".into(),
        member_id: None,
        duty: String::new(),
        appointed: Some(d(2024, 3, 15)),
        ended: None,
    }];
    let branch = db.save_org(&b, &committee).unwrap();
    let other = db
        .save_org(&org("机关第二党支部", OrgKind::Branch, None), &committee)
        .unwrap();
    let member = db.save_member(&member(branch)).unwrap();
    let types = db.activity_types().unwrap();
    let ty = |l: &str| {
        types
            .iter()
            .find(|t| t.label == l)
            .and_then(|t| t.id)
            .unwrap()
    };
    let mut a = common::activity(
        branch,
        d(2025, 3, 20),
        vec![ty("党员大会")],
        "学习党的二十大精神",
    );
    a.host = "张喆".into();
    a.minutes = "会议记录全文".into();
    a.attachments = vec!["签到表 2025.jpg".into()];
    a.attendance = vec![Attendance {
        member_id: member,
        name: "王珺".into(),
        presence: Presence::Leave,
        reason: "出差".into(),
    }];
    a.expected = Some(1);
    a.present = Some(0);
    let activity = db.save_activity(&a).unwrap();
    let kind = db.talk_kinds().unwrap()[0].id.unwrap();
    let talk = db
        .save_talk(&Talk {
            date: d(2025, 4, 1),
            kind_id: kind,
            form: TalkForm::Individual,
            org_id: Some(branch),
            talkers: "张喆".into(),
            subjects: vec![(member, "王珺".into())],
            place: "会议室".into(),
            reason: "提醒".into(),
            content: "谈话内容".into(),
            follow_up: "已跟进".into(),
            ..Default::default()
        })
        .unwrap();
    let item = db
        .save_rectification(&dangwu::model::rectify::Rectification {
            source: dangwu::model::rectify::Source::SelfCheck,
            org_id: Some(branch),
            found_on: d(2025, 2, 1),
            description: "台账记录不规范".into(),
            unit: "办公室".into(),
            person: "赵科长".into(),
            measures: "统一台账格式".into(),
            deadline: Some(d(2025, 6, 1)),
            ..Default::default()
        })
        .unwrap();
    Bureau {
        db,
        branch,
        other,
        member,
        activity,
        talk,
        item,
    }
}

/// Imports a workbook of the given sheets into the bureau.
fn import_sheets(b: &mut Bureau, sheets: &[(&str, Vec<Vec<&str>>)]) -> import::Report {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("部分列.xlsx");
    book(&file, sheets);
    import_file(&mut b.db, &file)
}

#[test]
fn a_members_sheet_of_five_columns_changes_the_phone_and_nothing_else() {
    let mut b = bureau();
    let before = b.db.member(b.member).unwrap();
    let tally = |db: &Db| {
        dangwu::tally::compute(db, &dangwu::tally::Scope::year(2025, today()))
            .unwrap()
            .members
    };
    let figures = tally(&b.db);
    let report = import_sheets(
        &mut b,
        &[(
            "党员",
            vec![
                vec!["姓名", "公民身份号码", "所在支部", "人员类别", "联系电话"],
                vec![
                    "王珺",
                    "11010519491231002X",
                    "机关第一党支部",
                    "正式党员",
                    "13900000000",
                ],
            ],
        )],
    );
    assert_eq!(report.sheets[1].updated, 1, "{:?}", report.sheets);
    let after = b.db.member(b.member).unwrap();
    assert_eq!(after.phone, "13900000000");
    assert_eq!(
        dangwu::model::member::Member {
            phone: before.phone.clone(),
            ..after.clone()
        },
        before,
        "民族, 学历, every 发展党员 date kept"
    );
    assert_eq!(tally(&b.db), figures);
    // A present column with an empty cell clears its field.
    import_sheets(
        &mut b,
        &[(
            "党员",
            vec![
                vec!["姓名", "公民身份号码", "所在支部", "人员类别", "学历"],
                vec![
                    "王珺",
                    "11010519491231002X",
                    "机关第一党支部",
                    "正式党员",
                    "",
                ],
            ],
        )],
    );
    let cleared = b.db.member(b.member).unwrap();
    assert_eq!(cleared.education, "");
    assert_eq!(cleared.ethnicity, "汉族");
}

#[test]
fn an_organisations_sheet_with_a_note_keeps_the_settings_and_the_committee() {
    let mut b = bureau();
    let before = b.db.org(b.branch).unwrap();
    let committee = b.db.committee(b.branch).unwrap();
    import_sheets(
        &mut b,
        &[(
            "支部",
            vec![
                vec!["组织名称", "备注"],
                vec!["机关第一党支部", "五星党支部"],
            ],
        )],
    );
    let after = b.db.org(b.branch).unwrap();
    assert_eq!(after.note, "五星党支部");
    assert!(after.has_groups && after.has_committee);
    assert_eq!(
        (after.founded, after.term_start),
        (before.founded, before.term_start)
    );
    assert_eq!(b.db.committee(b.branch).unwrap(), committee);
}

#[test]
fn a_committee_sheet_replaces_the_committees_it_lists_only() {
    let mut b = bureau();
    let untouched = b.db.committee(b.other).unwrap();
    import_sheets(
        &mut b,
        &[(
            "委员会",
            vec![
                vec!["组织名称", "职务", "姓名", "公民身份号码", "分工"],
                vec!["机关第一党支部", "书记", "张喆", "", ""],
                vec![
                    "机关第一党支部",
                    "委员",
                    "王珺",
                    "11010519491231002X",
                    "组织委员",
                ],
            ],
        )],
    );
    let c = b.db.committee(b.branch).unwrap();
    assert_eq!(c.len(), 2);
    assert_eq!(c[1].member_id, Some(b.member));
    assert_eq!(c[1].duty, "组织委员");
    assert_eq!(
        c[0].appointed,
        Some(d(2024, 3, 15)),
        "the secretary's record kept"
    );
    assert_eq!(b.db.committee(b.other).unwrap(), untouched);
}

#[test]
fn an_activities_sheet_with_a_place_keeps_the_host_minutes_and_attendance() {
    let mut b = bureau();
    let before = b.db.activity(b.activity).unwrap();
    import_sheets(
        &mut b,
        &[(
            "活动",
            vec![
                vec!["日期", "组织", "类型", "主题", "地点"],
                vec![
                    "2025-03-20",
                    "机关第一党支部",
                    "党员大会",
                    "学习党的二十大精神",
                    "党员活动室",
                ],
            ],
        )],
    );
    let after = b.db.activity(b.activity).unwrap();
    assert_eq!(after.place, "党员活动室");
    assert_eq!(
        dangwu::model::activity::Activity {
            place: before.place.clone(),
            ..after
        },
        before
    );
}

#[test]
fn a_talks_sheet_with_a_place_keeps_what_was_said_and_who_was_talked_to() {
    let mut b = bureau();
    let before = b.db.talk(b.talk).unwrap();
    import_sheets(
        &mut b,
        &[(
            "谈话",
            vec![
                vec!["谈话日期", "谈话类型", "谈话人", "谈话对象", "地点"],
                vec!["2025-04-01", "日常谈话", "张喆", "王珺", "办公室"],
            ],
        )],
    );
    let after = b.db.talk(b.talk).unwrap();
    assert_eq!(after.place, "办公室");
    assert_eq!(
        Talk {
            place: before.place.clone(),
            ..after
        },
        before
    );
}

#[test]
fn a_rectification_sheet_with_new_measures_keeps_the_deadline_and_the_person() {
    let mut b = bureau();
    let before = b.db.rectification(b.item).unwrap();
    import_sheets(
        &mut b,
        &[(
            "整改",
            vec![
                vec!["问题来源", "发现日期", "问题描述", "整改措施"],
                vec!["自查", "2025-02-01", "台账记录不规范", "建立台账月检制度"],
            ],
        )],
    );
    let after = b.db.rectification(b.item).unwrap();
    assert_eq!(after.measures, "建立台账月检制度");
    assert_eq!(
        (after.deadline, &after.person),
        (before.deadline, &before.person)
    );
    // A 销号 through the sheet goes through the 销号 rules: evidence and verifier required.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("销号.xlsx");
    book(
        &file,
        &[(
            "整改",
            vec![
                vec!["问题来源", "发现日期", "问题描述", "状态", "完成日期"],
                vec![
                    "自查",
                    "2025-02-01",
                    "台账记录不规范",
                    "已销号",
                    "2025-05-01",
                ],
            ],
        )],
    );
    let report = import::import(&mut b.db, &workbook::read(&file).unwrap(), false, today());
    let lines: Vec<String> = report.errors.iter().map(|e| e.to_string()).collect();
    assert!(
        lines
            .iter()
            .any(|l| l.contains("“整改成效”列：请填写整改成效或佐证材料")),
        "{lines:#?}"
    );
}

#[test]
fn dues_transfers_and_events_sheets_change_only_their_columns() {
    let mut b = bureau();
    b.db.import_dues(&[dangwu::model::dues::Dues {
        member_id: b.member,
        org_id: b.branch,
        year: 2025,
        month: 3,
        basis: dangwu::model::dues::Basis::InService,
        base_fen: Some(500_000),
        amount_fen: 5000,
    }])
    .unwrap();
    let mut t = common::transfer(b.member, d(2025, 8, 1), Some(b.branch), Some(b.other));
    t.note = "工作调动".into();
    b.db.save_transfer(&t).unwrap();
    b.db.save_member_events(&[dangwu::model::member_event::MemberEvent {
        kind: dangwu::model::member_event::EventKind::Commendation,
        date: d(2025, 6, 30),
        member_id: b.member,
        title: "优秀共产党员".into(),
        note: "局党组表彰".into(),
        ..Default::default()
    }])
    .unwrap();
    import_sheets(
        &mut b,
        &[
            (
                "党费",
                vec![vec!["姓名", "月份", "金额"], vec!["王珺", "2025-03", "#60"]],
            ),
            (
                "组织关系",
                vec![
                    vec!["姓名", "转接类型", "日期", "对方组织"],
                    vec!["王珺", "本单位内转接", "2025-08-01", ""],
                ],
            ),
            (
                "表彰慰问",
                vec![
                    vec!["姓名", "类型", "日期", "内容", "评议年度"],
                    vec!["王珺", "表彰", "2025-06-30", "优秀共产党员", ""],
                ],
            ),
        ],
    );
    let dues = b.db.dues_all(Some(2025)).unwrap();
    assert_eq!(
        (dues[0].amount_fen, dues[0].base_fen),
        (6000, Some(500_000)),
        "the base kept"
    );
    assert_eq!(b.db.transfers_of(b.member).unwrap()[0].note, "工作调动");
    let events = b.db.events_of_member(b.member).unwrap();
    assert_eq!(events.len(), 1, "the same commendation, not a second one");
    assert_eq!(
        events[0].note, "局党组表彰",
        "no 备注 column: the note kept"
    );
    import_sheets(
        &mut b,
        &[(
            "表彰慰问",
            vec![
                vec!["姓名", "类型", "日期", "内容", "备注"],
                vec!["王珺", "表彰", "2025-06-30", "优秀共产党员", "市委表彰"],
            ],
        )],
    );
    let events = b.db.events_of_member(b.member).unwrap();
    assert_eq!((events.len(), events[0].note.as_str()), (1, "市委表彰"));
}

#[test]
fn attachment_names_round_trip_and_a_path_out_of_the_folder_is_refused() {
    let b = bureau();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("台账.xlsx");
    export::export(&b.db, &file, None, today()).unwrap();
    let mut empty = Db::open_in_memory().unwrap();
    import_file(&mut empty, &file);
    let a = &empty.activities_full(Some(2025)).unwrap()[0];
    assert_eq!(a.attachments, vec!["签到表 2025.jpg".to_string()]);
    assert_eq!(a.minutes, "会议记录全文");
    assert_eq!(a.attendance[0].reason, "出差");
    let t = &empty.talks(Some(2025)).unwrap()[0];
    assert_eq!(t.subjects.len(), 1, "a member talked to stays a member");
    assert_eq!(t.follow_up, "已跟进");

    let bad = dir.path().join("坏附件.xlsx");
    book(
        &bad,
        &[
            ("支部", vec![vec!["组织名称"], vec!["机关第一党支部"]]),
            (
                "活动",
                vec![
                    vec!["日期", "组织", "类型", "主题", "附件"],
                    vec![
                        "2025-03-20",
                        "机关第一党支部",
                        "党员大会",
                        "学习",
                        "../../outside/pwned.sh",
                    ],
                ],
            ),
        ],
    );
    let mut db = Db::open_in_memory().unwrap();
    let report = import::import(&mut db, &workbook::read(&bad).unwrap(), false, today());
    assert!(!report.written);
    assert!(
        report
            .errors
            .iter()
            .any(|e| e.column == "附件" && e.message.contains("不是附件文件名")),
        "{:?}",
        report.errors
    );
}

/// An import onto a disk that fills up: at every size, afterwards either every row is there or
/// none, the file is whole, and the command says why and exits non-zero.
#[test]
#[cfg(target_os = "linux")]
fn an_import_on_a_full_disk_writes_every_row_or_none() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("演示.sqlite");
    let options = DemoOptions {
        years: 1,
        members: 120,
        records: None,
        talks: None,
        items: None,
        today: today(),
    };
    demo::fill(&mut Db::open(&source).unwrap(), &options).unwrap();
    let file = dir.path().join("台账.xlsx");
    export::export(&Db::open(&source).unwrap(), &file, None, today()).unwrap();
    let members = |p: &Path| Db::open_for_reading(p).unwrap().members().unwrap().len();
    let mut outcomes = Vec::new();
    for size in ["400k", "600k", "1M", "2M", "8M"] {
        let Some(disk) = common::SmallDisk::mount(size) else {
            eprintln!("跳过：此账户不能挂载测试用的小磁盘");
            return;
        };
        let target = disk.dir.path().join("台账.sqlite");
        Db::open(&target).unwrap();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_dangwu"))
            .args([
                "--db",
                target.to_str().unwrap(),
                "import",
                file.to_str().unwrap(),
            ])
            .env("TMPDIR", disk.dir.path())
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            !stdout.contains("试导入"),
            "only a dry run says 试导入: {stdout}"
        );
        assert_eq!(common::integrity(&target), "ok", "{size}");
        let n = members(&target);
        if out.status.success() {
            assert_eq!(n, 120, "{size}: every row");
            outcomes.push("all");
        } else {
            assert!(
                err.contains("磁盘空间不足，未导入任何内容"),
                "{size}: {err}"
            );
            assert_eq!(n, 0, "{size}: no row");
            outcomes.push("none");
        }
    }
    assert!(
        outcomes.contains(&"none") && outcomes.contains(&"all"),
        "{outcomes:?}"
    );
}

/// Two members of one name in a branch: which of them was on leave survives the round trip.
#[test]
fn two_members_of_one_name_keep_their_own_attendance() {
    let mut db = Db::open_in_memory().unwrap();
    let branch = db
        .save_org(&org("机关第一党支部", OrgKind::Branch, None), &[])
        .unwrap();
    let first = db.save_member(&member(branch)).unwrap();
    let mut twin = member(branch);
    twin.id_number = "110101199003077352".into();
    twin.birth_date = Some(d(1990, 3, 7));
    twin.gender = Some(dangwu::model::member::Gender::Male);
    let second = db.save_member(&twin).unwrap();
    let types = db.activity_types().unwrap();
    let mut a = common::activity(branch, d(2025, 3, 20), vec![types[0].id.unwrap()], "学习");
    let mark = |id, presence, reason: &str| Attendance {
        member_id: id,
        name: "王珺".into(),
        presence,
        reason: reason.into(),
    };
    a.attendance = vec![
        mark(first, Presence::Leave, "出差"),
        mark(second, Presence::Present, ""),
    ];
    db.save_activity(&a).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("同名.xlsx");
    export::export(&db, &file, None, today()).unwrap();
    let mut copy = Db::open_in_memory().unwrap();
    import_file(&mut copy, &file);
    let on_leave: Vec<String> = copy.activities_full(Some(2025)).unwrap()[0]
        .attendance
        .iter()
        .filter(|x| x.presence == Presence::Leave)
        .map(|x| copy.member(x.member_id).unwrap().id_number)
        .collect();
    assert_eq!(on_leave, vec!["11010519491231002X".to_string()]);
}
