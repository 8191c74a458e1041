//! The ledger of 三会一课 and study: types, records, attendance, compliance, silent branches.

mod common;

use common::{activity, d, db_with_branch, member};
use dangwu::model::activity::{Attendance, BUILTIN_TYPES, Frequency, Presence};
use dangwu::store::{ActivityFilter, Db};
use dangwu::tally::compliance::{self, CellState};

fn type_id(db: &Db, label: &str) -> i64 {
    db.activity_types()
        .unwrap()
        .into_iter()
        .find(|t| t.label == label)
        .unwrap()
        .id
        .unwrap()
}

#[test]
fn a_fresh_file_has_every_built_in_type_with_its_frequency() {
    let db = Db::open_in_memory().unwrap();
    let types = db.activity_types().unwrap();
    assert_eq!(types.len(), BUILTIN_TYPES.len());
    for ((group, label, frequency, expected, requires), t) in BUILTIN_TYPES.iter().zip(&types) {
        assert_eq!((t.group.as_str(), t.label.as_str()), (*group, *label));
        assert_eq!(
            (t.frequency, t.expected_of, t.requires),
            (*frequency, *expected, *requires),
            "{label}"
        );
        assert!(t.builtin && !t.hidden && t.uid.len() == 36);
    }
}

#[test]
fn a_type_is_hidden_not_deleted_and_its_frequency_can_change() {
    let mut db = Db::open_in_memory().unwrap();
    let mut lecture = db
        .activity_types()
        .unwrap()
        .into_iter()
        .find(|t| t.label == "党课")
        .unwrap();
    lecture.frequency = Frequency::Month;
    lecture.label = "改名".into(); // built-in names stay
    db.save_activity_type(&lecture).unwrap();
    let mut t = db
        .activity_types()
        .unwrap()
        .into_iter()
        .find(|t| t.id == lecture.id)
        .unwrap();
    assert_eq!((t.label.as_str(), t.frequency), ("党课", Frequency::Month));
    t.hidden = true;
    db.save_activity_type(&t).unwrap();
    assert!(
        db.activity_types()
            .unwrap()
            .iter()
            .any(|x| x.id == t.id && x.hidden)
    );
}

#[test]
fn a_record_with_attendance_round_trips_and_is_audited() {
    let (mut db, org) = db_with_branch();
    let m1 = db.save_member(&member(org)).unwrap();
    let mut other = member(org);
    other.name = "李堃".into();
    other.id_number.clear();
    let m2 = db.save_member(&other).unwrap();
    let mut a = activity(
        org,
        d(2022, 3, 5),
        vec![type_id(&db, "党员大会"), type_id(&db, "主题党日")],
        "学习党的二十大精神",
    );
    a.attendance = vec![
        Attendance {
            member_id: m2,
            name: "李堃".into(),
            presence: Presence::Leave,
            reason: "出差".into(),
        },
        Attendance {
            member_id: m1,
            name: "王珺".into(),
            presence: Presence::Present,
            reason: String::new(),
        },
    ];
    a.expected = Some(2);
    a.present = Some(1);
    a.attachments = vec!["1234abcd-签到表.jpg".into()];
    let id = db.save_activity(&a).unwrap();
    let loaded = db.activity(id).unwrap();
    assert_eq!(loaded.topic, "学习党的二十大精神");
    assert_eq!(loaded.type_ids.len(), 2);
    assert_eq!(loaded.attendance.len(), 2);
    let leave = loaded
        .attendance
        .iter()
        .find(|x| x.member_id == m2)
        .unwrap();
    assert_eq!(
        (leave.presence, leave.reason.as_str()),
        (Presence::Leave, "出差")
    );
    assert_eq!(loaded.attachments, vec!["1234abcd-签到表.jpg".to_string()]);

    db.delete_activity(id).unwrap();
    assert!(
        db.activities(&ActivityFilter::default())
            .unwrap()
            .is_empty()
    );
    let history = db.history("activity", &loaded.uid).unwrap();
    assert_eq!(
        history
            .iter()
            .map(|h| h.action.as_str())
            .collect::<Vec<_>>(),
        ["insert", "delete"]
    );
    assert!(history[1].before.as_ref().unwrap().contains("出差"));
}

#[test]
fn one_record_with_two_types_counts_for_both() {
    let (mut db, org) = db_with_branch();
    let (meeting, day) = (type_id(&db, "党员大会"), type_id(&db, "主题党日"));
    db.save_activity(&activity(
        org,
        d(2022, 3, 5),
        vec![meeting, day],
        "党员大会暨主题党日",
    ))
    .unwrap();
    let rows = compliance::for_year(&db, 2022, d(2022, 12, 31)).unwrap();
    let meeting_row = rows.iter().find(|r| r.type_label == "党员大会").unwrap();
    let day_row = rows.iter().find(|r| r.type_label == "主题党日").unwrap();
    assert_eq!(meeting_row.cells[0].1, CellState::Held(1)); // 2022Q1
    assert_eq!(day_row.cells[2].1, CellState::Held(1)); // 2022-03
    // Filtering the list by either type finds the one record.
    for t in [meeting, day] {
        let f = ActivityFilter {
            type_id: Some(t),
            ..Default::default()
        };
        assert_eq!(db.activities(&f).unwrap().len(), 1);
    }
}

#[test]
fn a_branch_missing_its_third_quarter_meeting_shows_2022q3() {
    let (mut db, org) = db_with_branch();
    let meeting = type_id(&db, "党员大会");
    for date in [d(2022, 2, 10), d(2022, 5, 12), d(2022, 11, 3)] {
        db.save_activity(&activity(org, date, vec![meeting], "党员大会"))
            .unwrap();
    }
    let rows = compliance::for_year(&db, 2022, d(2022, 12, 31)).unwrap();
    let row = rows.iter().find(|r| r.type_label == "党员大会").unwrap();
    assert_eq!((row.required, row.held), (4, 3));
    assert_eq!(row.missing, vec!["2022Q3".to_string()]);
    // Mid-year, the quarters not yet over are not missing.
    let rows = compliance::for_year(&db, 2022, d(2022, 8, 1)).unwrap();
    let row = rows.iter().find(|r| r.type_label == "党员大会").unwrap();
    assert_eq!((row.required, row.held, row.missing.len()), (2, 2, 0));
    // A 党组 is not expected to hold 党员大会, and a branch without a committee holds no 支委会.
    assert!(rows.iter().all(|r| r.type_label != "民主生活会"));
}

#[test]
fn a_member_transferred_out_in_april_is_not_expected_in_may() {
    let (mut db, org) = db_with_branch();
    let stays = db.save_member(&member(org)).unwrap();
    let mut leaving = member(org);
    leaving.name = "赵昇".into();
    leaving.id_number.clear();
    let leaves = db.save_member(&leaving).unwrap();
    db.save_transfer(&dangwu::model::transfer::Transfer {
        id: None,
        uid: String::new(),
        member_id: leaves,
        date: d(2022, 4, 20),
        from_org: Some(org),
        to_org: None,
        other_org: "省民政厅机关党委".into(),
        note: String::new(),
    })
    .unwrap();
    let ids = |date| {
        db.roll_at(org, date)
            .unwrap()
            .into_iter()
            .map(|(id, _)| id)
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(d(2022, 3, 10)).len(), 2);
    assert_eq!(ids(d(2022, 5, 10)), vec![stays]);
    assert!(!ids(d(2022, 5, 10)).contains(&leaves));
}

#[test]
fn silent_branches_are_named_after_thirty_days() {
    let (mut db, org) = db_with_branch();
    let orgs: Vec<_> = db
        .orgs(d(2026, 11, 22))
        .unwrap()
        .into_iter()
        .map(|s| s.org)
        .collect();
    let silent =
        compliance::silent_branches(&orgs, &db.last_activity_dates().unwrap(), d(2026, 11, 22));
    assert_eq!(silent.len(), 1);
    assert_eq!(silent[0].last, None);
    db.save_activity(&activity(
        org,
        d(2026, 10, 23),
        vec![type_id(&db, "支委会")],
        "支委会",
    ))
    .unwrap();
    let last = db.last_activity_dates().unwrap();
    assert!(compliance::silent_branches(&orgs, &last, d(2026, 11, 22)).is_empty());
    assert_eq!(
        compliance::silent_branches(&orgs, &last, d(2026, 11, 23)).len(),
        1
    );
}

#[test]
fn demo_data_fills_an_empty_file_and_refuses_one_with_records() {
    let mut db = Db::open_in_memory().unwrap();
    let options = dangwu::demo::DemoOptions {
        years: 2,
        members: 120,
        records: None,
        talks: None,
        items: None,
        today: d(2026, 11, 22),
    };
    let s = dangwu::demo::fill(&mut db, &options).unwrap();
    assert_eq!(db.members().unwrap().len(), 120);
    assert_eq!(db.orgs(d(2026, 11, 22)).unwrap().len(), s.orgs);
    assert_eq!(
        db.activities(&ActivityFilter::default()).unwrap().len(),
        s.activities
    );
    assert!(s.attendance > s.activities, "meetings have attendance");
    // Some months are missed on purpose, so compliance has something to show.
    let rows = compliance::for_year(&db, 2025, d(2025, 12, 31)).unwrap();
    assert!(rows.iter().any(|r| !r.missing.is_empty()));
    assert!(matches!(
        dangwu::demo::fill(&mut db, &options),
        Err(dangwu::store::StoreError::Refused { .. })
    ));
    assert_eq!(db.members().unwrap().len(), 120);
}

/// `demo-data --talks N --items N`: the 谈话 and 整改台账 of a large bureau, for the benches.
#[test]
fn demo_data_makes_as_many_talks_and_items_as_asked() {
    let mut db = Db::open_in_memory().unwrap();
    let options = dangwu::demo::DemoOptions {
        years: 2,
        members: 40,
        records: None,
        talks: Some(101),
        items: Some(33),
        today: d(2026, 11, 22),
    };
    let s = dangwu::demo::fill(&mut db, &options).unwrap();
    assert_eq!((s.talks, s.rectification), (101, 33));
    assert_eq!(db.talks(None).unwrap().len(), 101);
    assert_eq!(db.talks(Some(2026)).unwrap().len(), 50);
    assert_eq!(db.rectifications().unwrap().len(), 33);
    let too_many = dangwu::demo::DemoOptions {
        talks: Some(dangwu::demo::TALKS + 1),
        ..options
    };
    assert!(too_many.check().is_err());
}
