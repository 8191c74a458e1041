//! Talks (counts by kind and 人次) and the rectification ledger (销号, reopen, 作废, history).

mod common;

use common::{d, db_with_branch, member};
use dangwu::model::rectify::{Closing, EventKind, RectInput, RectStatus, Source};
use dangwu::model::talk::{BUILTIN_KINDS, Talk, TalkForm};
use dangwu::store::{Db, StoreError};
use dangwu::tally;

fn talk(kind_id: i64, date: chrono::NaiveDate) -> Talk {
    Talk {
        date,
        kind_id,
        form: TalkForm::Individual,
        talkers: "王书记".into(),
        content: "提醒注意工作作风".into(),
        ..Default::default()
    }
}

#[test]
fn talks_are_counted_by_kind_and_by_people_talked_to() {
    let (mut db, org) = db_with_branch();
    let m = db.save_member(&member(org)).unwrap();
    let kinds = db.talk_kinds().unwrap();
    assert_eq!(
        kinds.iter().map(|k| k.label.as_str()).collect::<Vec<_>>(),
        BUILTIN_KINDS
    );
    let (daily, collective) = (kinds[0].id.unwrap(), kinds[6].id.unwrap());

    let mut a = talk(daily, d(2026, 3, 1));
    a.subjects = vec![(m, "王珺".into())];
    a.subject_names = "李堃、赵昇".into();
    db.save_talk(&a).unwrap();
    let mut b = talk(collective, d(2026, 5, 8));
    b.form = TalkForm::Collective;
    b.headcount = Some(35);
    db.save_talk(&b).unwrap();
    db.save_talk(&talk(daily, d(2025, 12, 30))).unwrap();

    // The list reads each talk as it reads alone: its 谈话对象, by name.
    let mut c = talk(daily, d(2024, 6, 2));
    let other = db
        .save_member(&dangwu::model::member::Member {
            name: "白雪".into(),
            id_number: String::new(),
            ..member(org)
        })
        .unwrap();
    c.subjects = vec![(m, "王珺".into()), (other, "白雪".into())];
    let c = db.save_talk(&c).unwrap();
    let listed = db.talks(None).unwrap();
    assert_eq!(listed.len(), 4);
    for t in &listed {
        assert_eq!(t, &db.talk(t.id.unwrap()).unwrap());
    }
    let read = db.talk(c).unwrap();
    assert_eq!(read.subjects.len(), 2);

    let figures = tally::talk_figures(&kinds, &db.talks(Some(2026)).unwrap());
    let counts = &figures.by_kind;
    let daily_count = counts.iter().find(|c| c.kind == "日常谈话").unwrap();
    assert_eq!((daily_count.count, daily_count.subjects), (1, 3));
    let coll = counts.iter().find(|c| c.kind == "集体廉政谈话").unwrap();
    assert_eq!((coll.count, coll.subjects), (1, 35));
    assert_eq!(figures.subjects, 38);
    assert_eq!(figures.total, 2);
    assert_eq!(
        counts.len(),
        BUILTIN_KINDS.len(),
        "every kind is listed, with 0 where none"
    );

    let loaded = db.talks(Some(2026)).unwrap();
    assert_eq!(loaded.len(), 2);
    assert_eq!(loaded[1].subjects, vec![(m, "王珺".to_string())]);
}

fn item(db: &mut Db) -> i64 {
    let input = RectInput {
        source: Some(Source::DemocraticLife),
        found_on: "2026-01-10".into(),
        description: "理论学习不够深入".into(),
        unit: "办公室".into(),
        deadline: "2026-06-30".into(),
        ..Default::default()
    };
    db.save_rectification(&input.validate(d(2026, 11, 22), None).unwrap())
        .unwrap()
}

#[test]
fn an_item_is_closed_reopened_with_a_reason_and_keeps_its_history() {
    let mut db = Db::open_in_memory().unwrap();
    let id = item(&mut db);
    db.add_progress(id, d(2026, 3, 1), "制定学习计划").unwrap();
    assert_eq!(db.rectification(id).unwrap().status, RectStatus::InProgress);
    let closing = Closing {
        date: d(2026, 6, 20),
        evidence: "完成12次集中学习".into(),
        evidence_file: String::new(),
        verifier: "李堃".into(),
    };
    db.close_rectification(id, &closing).unwrap();
    let closed = db.rectification(id).unwrap();
    assert_eq!(
        (closed.status, closed.closed_on, closed.verifier.as_str()),
        (RectStatus::Closed, Some(d(2026, 6, 20)), "李堃")
    );
    assert!(!closed.is_overdue(d(2026, 11, 22)));

    assert!(matches!(
        db.reopen_rectification(id, d(2026, 8, 1), "  "),
        Err(StoreError::Refused { .. })
    ));
    assert_eq!(db.rectification(id).unwrap().status, RectStatus::Closed);
    db.reopen_rectification(id, d(2026, 8, 1), "复查发现学习记录不全")
        .unwrap();
    let reopened = db.rectification(id).unwrap();
    assert_eq!(
        (reopened.status, reopened.closed_on),
        (RectStatus::InProgress, None)
    );
    assert!(reopened.is_overdue(d(2026, 11, 22)));

    let kinds: Vec<EventKind> = db
        .rectification_history(id)
        .unwrap()
        .into_iter()
        .map(|e| e.kind)
        .collect();
    assert_eq!(
        kinds,
        [
            EventKind::Created,
            EventKind::Progress,
            EventKind::Closed,
            EventKind::Reopened
        ]
    );
    // Both the closing and the reopening are in the audit log too.
    let audit = db.history("rectification", &reopened.uid).unwrap();
    assert!(
        audit
            .iter()
            .any(|a| a.after.as_deref().unwrap_or("").contains("已销号"))
    );
}

#[test]
fn a_void_item_stays_on_record() {
    let mut db = Db::open_in_memory().unwrap();
    let id = item(&mut db);
    assert!(db.void_rectification(id, d(2026, 2, 1), "").is_err());
    db.void_rectification(id, d(2026, 2, 1), "重复登记")
        .unwrap();
    let all = db.rectifications().unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].status, RectStatus::Void);
    assert!(!all[0].is_overdue(d(2026, 11, 22)));
    assert!(db.add_progress(id, d(2026, 3, 1), "x").is_err());
}

#[test]
fn the_store_follows_the_models_transitions() {
    let mut db = Db::open_in_memory().unwrap();
    let input = RectInput {
        source: Some(Source::SelfCheck),
        found_on: "2026-01-10".into(),
        description: "台账不全".into(),
        ..Default::default()
    };
    let id = db
        .save_rectification(&input.validate(d(2026, 11, 22), None).unwrap())
        .unwrap();
    // Dated before the item was found: refused at the date.
    assert_eq!(
        db.void_rectification(id, d(2026, 1, 9), "重复登记")
            .unwrap_err()
            .to_string(),
        "作废日期不能早于发现日期（2026-01-10）"
    );
    let closing = Closing {
        date: d(2026, 3, 1),
        evidence: "已补齐".into(),
        evidence_file: String::new(),
        verifier: "李堃".into(),
    };
    db.close_rectification(id, &closing).unwrap();
    // A closed item cannot be voided, closed again or given progress; it can be reopened.
    let refused = |r: Result<(), StoreError>| r.unwrap_err().to_string();
    assert_eq!(
        refused(db.void_rectification(id, d(2026, 4, 1), "x")),
        "该问题已销号，不能作废"
    );
    assert_eq!(
        refused(db.close_rectification(id, &closing)),
        "该问题已销号，不能销号"
    );
    assert_eq!(
        refused(db.add_progress(id, d(2026, 4, 1), "继续")),
        "该问题已销号，不能添加进展"
    );
    assert_eq!(db.rectification_history(id).unwrap().len(), 2);
    db.reopen_rectification(id, d(2026, 4, 1), "复查发现反弹")
        .unwrap();
    assert_eq!(db.rectification(id).unwrap().status, RectStatus::InProgress);
}

#[test]
fn settings_rows_are_saved_together_or_not_at_all() {
    let mut db = Db::open_in_memory().unwrap();
    let before = db.activity_types().unwrap();
    let mut renamed = before[5].clone();
    renamed.frequency = dangwu::model::activity::Frequency::Quarter;
    let mut clash = before[0].clone();
    clash.id = None;
    clash.builtin = false;
    let e = db
        .save_activity_types(&[renamed.clone(), clash])
        .unwrap_err();
    assert_eq!(e.field(), Some(dangwu::model::FieldKey::Row(1)));
    assert_eq!(db.activity_types().unwrap(), before, "nothing saved");
    db.save_activity_types(&[renamed]).unwrap();
    assert_eq!(
        db.activity_types().unwrap()[5].frequency,
        dangwu::model::activity::Frequency::Quarter
    );
}

/// Each record a form edits is saved over the record as the form loaded it: a change made since
/// (another window, an import) is never reverted, and the refusal names the newer value.
#[test]
fn a_save_over_a_record_changed_since_it_was_loaded_is_refused_for_every_kind() {
    let (mut db, org_id) = db_with_branch();
    let refused = |r: Result<i64, StoreError>, names: &str| {
        let e = r.unwrap_err().to_string();
        assert!(e.starts_with("此记录已被修改"), "{e}");
        assert!(e.contains(names), "{e}");
    };

    // A talk.
    let kind = db.talk_kinds().unwrap()[0].id.unwrap();
    let id = db.save_talk(&talk(kind, d(2026, 3, 1))).unwrap();
    let loaded = db.talk(id).unwrap();
    let mut elsewhere = loaded.clone();
    elsewhere.place = "第二会议室".into();
    db.save_talk(&elsewhere).unwrap();
    let mut mine = loaded.clone();
    mine.follow_up = "已整改".into();
    refused(
        db.save_talk_as_loaded(&mine, Some(&loaded)),
        "地点现为“第二会议室”",
    );
    assert_eq!(db.talk(id).unwrap(), elsewhere);
    // Loaded again, the same edit saves.
    let fresh = db.talk(id).unwrap();
    let mut mine = fresh.clone();
    mine.follow_up = "已整改".into();
    db.save_talk_as_loaded(&mine, Some(&fresh)).unwrap();
    assert_eq!(db.talk(id).unwrap().place, "第二会议室");

    // An activity record.
    let types = db.activity_types().unwrap();
    let a = common::activity(
        org_id,
        d(2026, 4, 2),
        vec![types[0].id.unwrap()],
        "学习党章",
    );
    let id = db.save_activity(&a).unwrap();
    let loaded = db.activity(id).unwrap();
    let mut elsewhere = loaded.clone();
    elsewhere.topic = "学习党章（第二次）".into();
    db.save_activity(&elsewhere).unwrap();
    let mut mine = loaded.clone();
    mine.place = "党员活动室".into();
    refused(
        db.save_activity_as_loaded(&mine, &[], Some(&loaded)),
        "主题现为“学习党章（第二次）”",
    );
    assert_eq!(db.activity(id).unwrap().topic, "学习党章（第二次）");
    assert_eq!(db.activity(id).unwrap().place, "");

    // An organisation and its committee.
    let loaded = (db.org(org_id).unwrap(), db.committee(org_id).unwrap());
    let mut elsewhere = loaded.0.clone();
    elsewhere.note = "2026年换届".into();
    db.save_org(&elsewhere, &[]).unwrap();
    let mut mine = loaded.0.clone();
    mine.name = "机关一支部".into();
    refused(
        db.save_org_as_loaded(&mine, &[], Some(&loaded)),
        "备注现为“2026年换届”",
    );
    assert_eq!(db.org(org_id).unwrap().name, "机关第一党支部");

    // A rectification item closed elsewhere after the form opened it.
    let id = item(&mut db);
    let loaded = db.rectification(id).unwrap();
    let closing = Closing {
        date: d(2026, 6, 20),
        evidence: "完成12次集中学习".into(),
        evidence_file: String::new(),
        verifier: "李堃".into(),
    };
    db.close_rectification(id, &closing).unwrap();
    let mut mine = loaded.clone();
    mine.measures = "每月集中学习一次".into();
    refused(
        db.save_rectification_as_loaded(&mine, Some(&loaded)),
        "验收人现为“李堃”",
    );
    let now = db.rectification(id).unwrap();
    assert_eq!(
        (now.status, now.measures.as_str()),
        (RectStatus::Closed, loaded.measures.as_str())
    );
}
