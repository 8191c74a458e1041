//! The year-end tally (tally.md): a year of records written through the store, every figure
//! asserted, with the edge cases the definitions name; `--org`, `--as-of`, and the command line.

mod common;

use chrono::{Datelike, NaiveDate};
use common::{d, org, transfer};
use dangwu::model::activity::{Activity, BUILTIN_TYPES};
use dangwu::model::dues::{Basis, Dues};
use dangwu::model::member::{Category, Member};
use dangwu::model::member_event::{EventKind, Grade, MemberEvent};
use dangwu::model::org::OrgKind;
use dangwu::model::rectify::{Closing, RectInput, Source};
use dangwu::model::talk::{Talk, TalkForm};
use dangwu::store::Db;
use dangwu::tally::{self, Scope, Tally, report};

const TODAY: (i32, u32, u32) = (2026, 11, 22);

fn today() -> NaiveDate {
    d(TODAY.0, TODAY.1, TODAY.2)
}

struct Bureau {
    db: Db,
    party_committee: i64,
    first: i64,
    second: i64,
    station: i64,
}

fn person(org_id: i64, name: &str, category: Category) -> Member {
    let mut m = common::member(org_id);
    m.name = name.into();
    m.id_number.clear();
    m.category = category;
    m.applied_on = None;
    m.activist_on = None;
    m.candidate_on = None;
    m.probationary_on = None;
    m.full_on = None;
    m
}

fn full(org_id: i64, name: &str) -> Member {
    let mut m = person(org_id, name, Category::Full);
    m.probationary_on = Some(d(2015, 6, 1));
    m.full_on = Some(d(2016, 6, 1));
    m
}

fn event_row(kind: EventKind, date: NaiveDate, member_id: i64) -> MemberEvent {
    MemberEvent {
        id: None,
        uid: String::new(),
        act_uid: String::new(),
        kind,
        date,
        for_year: None,
        member_id,
        org_id: 0,
        title: "优秀共产党员".into(),
        grade: None,
        note: String::new(),
    }
}

fn event(db: &mut Db, kind: EventKind, date: NaiveDate, members: &[i64]) {
    let rows: Vec<MemberEvent> = members.iter().map(|&m| event_row(kind, date, m)).collect();
    db.save_member_events(&rows).unwrap();
}

fn activity(org_id: i64, date: NaiveDate, types: Vec<i64>) -> Activity {
    common::activity(org_id, date, types, "学习")
}

fn talk(org_id: i64, kind_id: i64, date: NaiveDate) -> Talk {
    Talk {
        date,
        kind_id,
        form: TalkForm::Individual,
        org_id: Some(org_id),
        talkers: "王书记".into(),
        ..Default::default()
    }
}

fn type_id(db: &Db, label: &str) -> i64 {
    db.activity_types()
        .unwrap()
        .into_iter()
        .find(|t| t.label == label)
        .unwrap()
        .id
        .unwrap()
}

fn item(db: &mut Db, org_id: i64, found: &str, deadline: &str) -> i64 {
    let input = RectInput {
        source: Some(Source::SelfCheck),
        org_id: Some(org_id),
        found_on: found.into(),
        description: format!("问题{found}"),
        deadline: deadline.into(),
        ..Default::default()
    };
    db.save_rectification(&input.validate(today(), None).unwrap())
        .unwrap()
}

fn closing(date: NaiveDate) -> Closing {
    Closing {
        date,
        evidence: "已整改".into(),
        evidence_file: String::new(),
        verifier: "李堃".into(),
    }
}

/// A bureau with a year (2022) of records, and records of the years around it.
fn bureau() -> Bureau {
    let mut db = Db::open_in_memory().unwrap();
    let leading = db
        .save_org(&org("市民政局党组", OrgKind::LeadingGroup, None), &[])
        .unwrap();
    let mut committee = org("机关党委", OrgKind::Committee, None);
    let types = db.activity_types().unwrap();
    let id_of = |label: &str| {
        types
            .iter()
            .find(|t| t.label == label)
            .and_then(|t| t.id)
            .unwrap()
    };
    // A 机关党委 is a 党委 but no leadership group: it holds no 民主生活会 (its own setting).
    committee.expectations = vec![
        (id_of("民主生活会"), false),
        (id_of("党建工作专题会议"), false),
    ];
    let party_committee = db.save_org(&committee, &[]).unwrap();
    let first = db
        .save_org(
            &org("机关第一党支部", OrgKind::Branch, Some(party_committee)),
            &[],
        )
        .unwrap();
    let mut second = org("机关第二党支部", OrgKind::Branch, Some(party_committee));
    second.founded = Some(d(2022, 3, 25));
    let second = db.save_org(&second, &[]).unwrap();
    let mut station = org("市救助站党支部", OrgKind::Branch, None);
    station.dissolved = Some(d(2022, 6, 15));
    let station = db.save_org(&station, &[]).unwrap();
    let _ = leading;

    // 机关第一党支部: ten full members, and three activists (who are not 在册).
    let mut full_ids = Vec::new();
    for i in 0..10 {
        full_ids.push(db.save_member(&full(first, &format!("正式{i}"))).unwrap());
    }
    for (i, on) in [d(2021, 5, 1), d(2022, 6, 1), d(2022, 6, 1)]
        .iter()
        .enumerate()
    {
        let mut a = person(first, &format!("积极分子{i}"), Category::Activist);
        a.activist_on = Some(*on);
        db.save_member(&a).unwrap();
    }
    // 转正 on 26 December: a full member at year end, and converted in the year.
    let mut late = person(first, "年底转正", Category::Full);
    late.probationary_on = Some(d(2021, 12, 26));
    late.full_on = Some(d(2022, 12, 26));
    db.save_member(&late).unwrap();
    // Received as probationary in July.
    let mut new = person(first, "新预备党员", Category::Probationary);
    new.candidate_on = Some(d(2022, 1, 10));
    new.probationary_on = Some(d(2022, 7, 1));
    db.save_member(&new).unwrap();
    // Transferred out in April: on the March roll, not on the year-end roll.
    let gone = db.save_member(&full(first, "四月转出")).unwrap();
    db.save_transfer(&transfer(gone, d(2022, 4, 10), Some(first), None))
        .unwrap();
    // Moved from the first branch to the second in March: one record, out of one and into the other.
    let moved = db.save_member(&full(first, "三月调动")).unwrap();
    db.save_transfer(&transfer(moved, d(2022, 3, 15), Some(first), Some(second)))
        .unwrap();
    // Came from outside the bureau in August: not on the rolls before.
    let came = db.save_member(&full(second, "八月转入")).unwrap();
    db.save_transfer(&transfer(came, d(2022, 8, 1), None, Some(second)))
        .unwrap();
    // 七一 commendation of two, a visit before 春节, one of 2021 that does not count.
    event(
        &mut db,
        EventKind::Commendation,
        d(2022, 6, 30),
        &full_ids[..2],
    );
    event(&mut db, EventKind::Visit, d(2022, 1, 20), &full_ids[2..3]);
    event(
        &mut db,
        EventKind::Commendation,
        d(2021, 6, 30),
        &full_ids[3..4],
    );
    // 民主评议 of 2022, held in February 2023: one 优秀, one 合格.
    for (id, grade) in [
        (full_ids[0], Grade::Excellent),
        (full_ids[1], Grade::Qualified),
    ] {
        let mut e = event_row(EventKind::Review, d(2023, 2, 20), id);
        e.for_year = Some(2022);
        e.grade = Some(grade);
        db.save_member_events(&[e]).unwrap();
    }
    // Dues: March 2022 for two members (15 元 + 50 元); December 2021 does not count.
    let paid = |member_id, year, month, amount_fen| Dues {
        member_id,
        org_id: first,
        year,
        month,
        basis: Basis::InService,
        base_fen: None,
        amount_fen,
    };
    db.save_dues_month(
        first,
        2022,
        3,
        &[
            paid(full_ids[0], 2022, 3, 1500),
            paid(full_ids[1], 2022, 3, 5000),
        ],
    )
    .unwrap();
    db.save_dues_month(first, 2021, 12, &[paid(full_ids[0], 2021, 12, 1500)])
        .unwrap();
    // A new applicant in the second branch.
    let mut applicant = person(second, "申请人", Category::Applicant);
    applicant.applied_on = Some(d(2022, 5, 1));
    db.save_member(&applicant).unwrap();

    // Activities.
    let (meeting, theme_day, committee_meeting, org_life) = (
        id_of("党员大会"),
        id_of("主题党日"),
        id_of("支委会"),
        id_of("组织生活会"),
    );
    // One record with two types counts under both, once in the total.
    let mut both = activity(first, d(2022, 3, 20), vec![meeting, theme_day]);
    both.expected = Some(10);
    both.present = Some(9);
    db.save_activity(&both).unwrap();
    let mut typed = activity(first, d(2022, 5, 10), vec![committee_meeting]);
    typed.expected = Some(5);
    typed.present = Some(5);
    db.save_activity(&typed).unwrap();
    db.save_activity(&activity(second, d(2022, 4, 8), vec![theme_day]))
        .unwrap();
    // The years before and after change nothing.
    db.save_activity(&activity(first, d(2021, 12, 30), vec![meeting]))
        .unwrap();
    db.save_activity(&activity(first, d(2023, 1, 5), vec![theme_day]))
        .unwrap();
    // 2022's 组织生活会, held in January 2023: counts for 2022 in compliance, by date in 2023.
    let mut for_2022 = activity(first, d(2023, 1, 15), vec![org_life]);
    for_2022.for_year = Some(2022);
    db.save_activity(&for_2022).unwrap();

    // Talks: a one-to-one talk (1 人次), a collective one (35), one of 2021.
    let kinds = db.talk_kinds().unwrap();
    let (daily, collective) = (kinds[0].id.unwrap(), kinds[6].id.unwrap());
    let mut one = talk(first, daily, d(2022, 3, 1));
    one.subject_names = "正式1".into();
    db.save_talk(&one).unwrap();
    let mut many = talk(leading, collective, d(2022, 7, 1));
    many.form = TalkForm::Collective;
    many.headcount = Some(35);
    db.save_talk(&many).unwrap();
    let mut old = talk(first, daily, d(2021, 11, 1));
    old.subject_names = "正式2".into();
    db.save_talk(&old).unwrap();

    // Rectification.
    // A: found in February, closed in June, reopened in February 2023: closed for 2022.
    let a = item(&mut db, first, "2022-02-01", "2022-05-01");
    db.close_rectification(a, &closing(d(2022, 6, 10))).unwrap();
    db.reopen_rectification(a, d(2023, 2, 1), "复查反弹")
        .unwrap();
    // B: found the year before and still open: carried over, and overdue.
    item(&mut db, leading, "2021-10-01", "2022-03-01");
    // C: found in September, not yet due.
    item(&mut db, first, "2022-09-01", "2023-03-01");
    // D: entered in error: counts nowhere.
    let void = item(&mut db, first, "2022-04-01", "2022-05-01");
    db.void_rectification(void, d(2022, 4, 2), "重复登记")
        .unwrap();

    Bureau {
        db,
        party_committee,
        first,
        second,
        station,
    }
}

fn tally_of(b: &Bureau, scope: &Scope) -> Tally {
    tally::compute(&b.db, scope).unwrap()
}

fn compliance<'a>(t: &'a Tally, org: &str, label: &str) -> Option<&'a tally::ComplianceEntry> {
    t.compliance
        .iter()
        .find(|c| c.organisation == org && c.label == label)
}

#[test]
fn every_figure_of_a_year() {
    let b = bureau();
    let t = tally_of(&b, &Scope::year(2022, today()));
    assert_eq!(t.as_of, d(2022, 12, 31));
    assert_eq!(t.activities_total, 3);
    assert_eq!(t.count_of("党员大会"), 1);
    assert_eq!(
        t.count_of("主题党日"),
        2,
        "the two-type record counts under both"
    );
    assert_eq!(t.count_of("支委会"), 1);
    assert_eq!(t.count_of("组织生活会"), 0, "counted by date: held in 2023");
    let labels: Vec<&str> = t.activities.iter().map(|a| a.label.as_str()).collect();
    for (_, label, ..) in BUILTIN_TYPES {
        assert!(labels.contains(label), "{label} listed, with 0 where none");
    }
    assert_eq!((t.attendance.expected, t.attendance.present), (15, 14));
    assert_eq!(t.attendance.rate, Some(0.9333));

    let m = &t.members;
    // 10 full + 三月调动 + 八月转入 + 年底转正 + 新预备党员; 四月转出 has left; activists and
    // applicants are not 在册.
    assert_eq!((m.on_rolls, m.full, m.probationary), (14, 13, 1));
    assert_eq!(m.new_applicants, 1);
    assert_eq!(m.new_activists, 2);
    assert_eq!(m.new_candidates, 1);
    assert_eq!(m.new_probationary, 1);
    assert_eq!(m.converted_to_full, 1);
    assert_eq!(
        (m.transferred_in, m.transferred_out),
        (1, 1),
        "a move between two branches of the bureau is neither"
    );

    assert_eq!((t.talks.total, t.talks.subjects), (2, 36));
    let daily = &t.talks.by_kind[0];
    assert_eq!(
        (daily.kind.as_str(), daily.count, daily.subjects),
        ("日常谈话", 1, 1)
    );

    let r = &t.rectification;
    assert_eq!(
        (r.found, r.closed, r.open),
        (2, 1, 1),
        "reopened in 2023: closed in 2022"
    );
    assert_eq!((r.overdue, r.carried_over), (1, 1));
    assert_eq!(r.closure_rate, Some(0.5));

    assert_eq!((t.commendations, t.visits), (2, 1), "人次 dated in 2022");
    assert_eq!((t.dues.collected_fen, t.dues.members_paid), (6500, 2));
    let grades: Vec<(&str, u32)> = t.reviews.iter().map(|g| (g.grade, g.count)).collect();
    assert_eq!(
        grades,
        [("优秀", 1), ("合格", 1), ("基本合格", 0), ("不合格", 0)]
    );
    let text = report::text(&t, today());
    assert!(text.contains("党费 65.00 元，缴费人数 2"), "{text}");
    assert!(text.contains("民主评议 优秀 1、合格 1"), "{text}");
}

#[test]
fn the_paragraph_is_phrased_as_the_report_writes_it() {
    let b = bureau();
    let t = tally_of(&b, &Scope::year(2022, today()));
    assert_eq!(
        report::paragraph(&t, today()),
        "2022年，召开党员大会1次、支委会1次，开展主题党日活动2次。\
         发展正式党员1名、预备党员1名、入党积极分子2名，表彰优秀党员2名，走访慰问困难党员1名。\
         开展谈话提醒2次，其中日常谈话1次、集体廉政谈话1次，谈话对象36人次。\
         收缴党费65.00元。查摆问题2个，已整改销号1个，整改率50.0%；上年结转1个，尚未销号。"
    );
    // An interim figure says how far it reaches.
    let mut q3 = Scope::year(2022, today());
    q3.as_of = d(2022, 9, 30);
    assert!(report::paragraph(&tally_of(&b, &q3), today()).starts_with("2022年截至第三季度，"));
    let empty = tally_of(&b, &Scope::year(2019, today()));
    assert_eq!(
        report::paragraph(&empty, today()),
        "2019年尚无登记的活动、谈话和整改记录。"
    );
}

#[test]
fn compliance_follows_founding_dissolution_own_settings_and_the_year_a_meeting_is_for() {
    let b = bureau();
    let t = tally_of(&b, &Scope::year(2022, today()));
    // Founded on 25 March: January–March and Q1 are not required.
    let theme = compliance(&t, "机关第二党支部", "主题党日").unwrap();
    assert_eq!(theme.required, 9);
    assert!(
        !theme.missing.iter().any(|p| p.as_str() <= "2022-03"),
        "{:?}",
        theme.missing
    );
    let meeting = compliance(&t, "机关第二党支部", "党员大会").unwrap();
    assert_eq!(meeting.required, 3);
    assert!(!meeting.missing.contains(&"2022Q1".to_string()));
    // Dissolved on 15 June: nothing is required after May, nor the year's meetings.
    let station = compliance(&t, "市救助站党支部", "主题党日").unwrap();
    assert_eq!(station.required, 5);
    assert_eq!(
        compliance(&t, "市救助站党支部", "组织生活会")
            .unwrap()
            .required,
        0
    );
    // The 机关党委's own settings: no 民主生活会, no 党建工作专题会议.
    assert!(compliance(&t, "机关党委", "民主生活会").is_none());
    assert!(compliance(&t, "机关党委", "党建工作专题会议").is_none());
    assert!(compliance(&t, "市民政局党组", "民主生活会").is_some());
    // 2022's 组织生活会, held in January 2023, counts for 2022 and not for 2023.
    let life = compliance(&t, "机关第一党支部", "组织生活会").unwrap();
    assert_eq!((life.required, life.held), (1, 1));
    let next = tally_of(&b, &Scope::year(2023, today()));
    assert_eq!(
        compliance(&next, "机关第一党支部", "组织生活会")
            .unwrap()
            .held,
        0
    );
    assert_eq!(
        next.count_of("组织生活会"),
        1,
        "by date, it is a 2023 record"
    );
    // A dissolved branch is not silent; the organisations' 在册 count is the tally's.
    let orgs: Vec<_> = b.db.orgs(today()).unwrap();
    let all: Vec<_> = orgs.iter().map(|s| s.org.clone()).collect();
    let silent = tally::compliance::silent_branches(&all, &Default::default(), today());
    assert!(!silent.iter().any(|s| s.org_id == b.station));
    let first = orgs.iter().find(|s| s.org.id == Some(b.first)).unwrap();
    assert_eq!(
        first.members_on_rolls, 12,
        "activists are not counted as 在册"
    );
    let _ = b.second;
}

#[test]
fn one_organisation_counts_itself_and_those_under_it() {
    let b = bureau();
    let mut scope = Scope::year(2022, today());
    scope.org = Some(b.party_committee);
    let t = tally_of(&b, &scope);
    assert_eq!(t.organisation.as_deref(), Some("机关党委"));
    assert_eq!(
        t.activities_total, 3,
        "both branches are under the 机关党委"
    );
    assert_eq!(t.members.on_rolls, 14);
    assert_eq!(t.members.new_applicants, 1);
    // The collective talk and item B belong to the 党组.
    assert_eq!((t.talks.total, t.talks.subjects), (1, 1));
    assert_eq!(
        (t.rectification.found, t.rectification.carried_over),
        (2, 0)
    );
    assert!(
        t.compliance
            .iter()
            .all(|c| c.organisation != "市民政局党组")
    );
    assert_eq!(
        (t.members.transferred_in, t.members.transferred_out),
        (1, 1),
        "the March move stays inside the 机关党委"
    );
    scope.org = Some(b.second);
    let t = tally_of(&b, &scope);
    assert_eq!((t.activities_total, t.members.on_rolls), (1, 2));
    assert_eq!(
        (t.members.transferred_in, t.members.transferred_out),
        (2, 0),
        "moved in from the first branch, and in from outside"
    );
    scope.org = Some(b.first);
    let t = tally_of(&b, &scope);
    assert_eq!(
        (t.members.transferred_in, t.members.transferred_out),
        (0, 2)
    );
    assert_eq!(t.members.on_rolls, 12, "ten, 年底转正 and 新预备党员");
    assert_eq!((t.commendations, t.dues.collected_fen), (2, 6500));
}

#[test]
fn an_interim_figure_counts_up_to_its_date() {
    let b = bureau();
    let mut scope = Scope::year(2022, today());
    scope.as_of = d(2022, 3, 31);
    let t = tally_of(&b, &scope);
    assert_eq!(t.activities_total, 1);
    // The April transfer and the August 转入 have not happened yet; the December 转正 neither.
    assert_eq!((t.members.on_rolls, t.members.full), (13, 12));
    assert_eq!(t.members.transferred_out, 0);
    // Item A is open at the end of March and not yet due; B is overdue.
    let r = &t.rectification;
    assert_eq!((r.found, r.closed, r.open, r.overdue), (1, 0, 1, 1));
    let theme = compliance(&t, "机关第一党支部", "主题党日").unwrap();
    assert_eq!(theme.required, 3);
}

fn cli(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_dangwu"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn the_command_line_prints_the_json_of_tally_md() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("台账.sqlite");
    {
        let mut db = Db::open(&path).unwrap();
        let branch = db
            .save_org(&org("机关第一党支部", OrgKind::Branch, None), &[])
            .unwrap();
        db.save_member(&full(branch, "王珺")).unwrap();
        let meeting = type_id(&db, "党员大会");
        db.save_activity(&activity(branch, d(2022, 3, 20), vec![meeting]))
            .unwrap();
    }
    let file = path.to_str().unwrap();
    let out = cli(&["--db", file, "tally", "--year", "2022", "--format", "json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for key in [
        "year",
        "organisation",
        "as_of",
        "activities_total",
        "activities",
        "attendance",
        "members",
        "commendations",
        "visits",
        "dues",
        "talks",
        "rectification",
        "compliance",
    ] {
        assert!(json.get(key).is_some(), "key {key}");
    }
    assert_eq!(json["year"], 2022);
    assert_eq!(json["as_of"], "2022-12-31");
    assert_eq!(json["activities_total"], 1);
    assert_eq!(json["members"]["on_rolls"], 1);
    assert_eq!(
        json["rectification"]["closure_rate"],
        serde_json::Value::Null
    );
    let activities = json["activities"].as_array().unwrap();
    assert_eq!(activities.len(), BUILTIN_TYPES.len());
    assert_eq!(activities[0]["group"], "三会一课");
    assert_eq!(activities[0]["type"], "党员大会");
    assert_eq!(activities[0]["count"], 1);
    let c = &json["compliance"].as_array().unwrap()[0];
    assert_eq!(c["organisation"], "机关第一党支部");
    assert_eq!(c["period"], "quarter");
    assert_eq!(c["missing"][0], "2022Q2");

    // A year without records: zeros, exit 0.
    let out = cli(&["--db", file, "tally", "--year", "2019", "--format", "json"]);
    assert!(out.status.success());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["activities_total"], 0);

    // An organisation that does not exist: a Chinese sentence naming those that do, non-zero.
    let out = cli(&[
        "--db",
        file,
        "tally",
        "--year",
        "2022",
        "--org",
        "机关第九党支部",
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("找不到组织“机关第九党支部”") && err.contains("机关第一党支部"),
        "{err}"
    );

    // The text format: the paragraph first.
    let out = cli(&[
        "--db",
        file,
        "tally",
        "--year",
        "2022",
        "--as-of",
        "2022-6-30",
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("2022年截至第二季度，召开党员大会1次。"),
        "{text}"
    );

    // A missing file is reported, not created.
    let missing = dir.path().join("没有这个文件.sqlite");
    let out = cli(&["--db", missing.to_str().unwrap(), "tally", "--year", "2022"]);
    assert!(!out.status.success() && !missing.exists());
}

#[test]
fn the_model_and_its_sql_agree_on_who_is_on_the_rolls() {
    let b = bureau();
    let members = b.db.members().unwrap();
    let transfers = b.db.transfers_by_member().unwrap();
    for day in [
        d(2022, 2, 28),
        d(2022, 3, 15),
        d(2022, 7, 31),
        d(2022, 8, 1),
        d(2015, 5, 31),
        d(2015, 6, 1),
        d(2021, 12, 26),
        d(2022, 4, 9),
        d(2022, 4, 10),
        d(2022, 7, 1),
        d(2022, 12, 31),
    ] {
        for org_id in [b.first, b.second] {
            let by_model: Vec<i64> = members
                .iter()
                .filter(|m| {
                    let chain = transfers.get(&m.id.unwrap()).cloned().unwrap_or_default();
                    m.org_at(&chain, day) == Some(org_id) && m.on_rolls_at(&chain, day)
                })
                .filter_map(|m| m.id)
                .collect();
            let mut by_sql: Vec<i64> =
                b.db.roll_at(org_id, day)
                    .unwrap()
                    .into_iter()
                    .map(|(id, _)| id)
                    .collect();
            by_sql.sort_unstable();
            let mut by_model = by_model;
            by_model.sort_unstable();
            assert_eq!(by_model, by_sql, "{day}");
            assert_eq!(b.db.roll_at(org_id, day).unwrap().len(), by_model.len());
        }
    }
}

/// Items carried over from the year before, and closed in the year: counted in `carried_closed`
/// and said in the paragraph after the year's own (tally.md: 上年结转M个，已销号J个).
#[test]
fn items_carried_over_and_closed_in_the_year_are_counted_and_said() {
    let mut db = Db::open_in_memory().unwrap();
    let branch = db
        .save_org(&org("机关第一党支部", OrgKind::Branch, None), &[])
        .unwrap();
    // Carried into 2022 and closed in March 2022.
    let x = item(&mut db, branch, "2021-05-01", "2021-09-01");
    db.close_rectification(x, &closing(d(2022, 3, 15))).unwrap();
    // Carried into 2022 and still open.
    item(&mut db, branch, "2021-11-01", "2022-06-01");
    // Closed in 2021: not carried.
    let z = item(&mut db, branch, "2021-08-01", "2021-12-01");
    db.close_rectification(z, &closing(d(2021, 12, 20)))
        .unwrap();
    // 2022's own, closed.
    let w = item(&mut db, branch, "2022-02-01", "2022-05-01");
    db.close_rectification(w, &closing(d(2022, 4, 1))).unwrap();

    let t = tally::compute(&db, &Scope::year(2022, today())).unwrap();
    let r = &t.rectification;
    assert_eq!(
        (r.found, r.closed, r.carried_over, r.carried_closed),
        (1, 1, 2, 1)
    );
    let paragraph = report::paragraph(&t, today());
    assert!(
        paragraph.contains("查摆问题1个，已整改销号1个，整改率100.0%；上年结转2个，已销号1个。"),
        "{paragraph}"
    );
    let json = serde_json::to_value(&t).unwrap();
    assert_eq!(json["rectification"]["carried_closed"], 1);
    assert!(report::text(&t, today()).contains("上年结转 2（已销号 1）"));

    // Up to February: X was not closed yet.
    let mut feb = Scope::year(2022, today());
    feb.as_of = d(2022, 2, 28);
    let t = tally::compute(&db, &feb).unwrap();
    assert_eq!(
        (t.rectification.carried_over, t.rectification.carried_closed),
        (2, 0)
    );
    let paragraph = report::paragraph(&t, today());
    assert!(
        paragraph.contains("上年结转2个，尚未销号") && !paragraph.contains("已销号0个"),
        "{paragraph}"
    );

    // 2023 found nothing of its own: the one still open is said alone.
    let t = tally::compute(&db, &Scope::year(2023, today())).unwrap();
    assert_eq!(
        (t.rectification.found, t.rectification.carried_over),
        (0, 1)
    );
    let paragraph = report::paragraph(&t, today());
    assert!(
        paragraph.contains("上年结转问题1个，尚未销号。") && !paragraph.contains("查摆问题"),
        "{paragraph}"
    );
}

/// 第一议题: the records of the year, and those studied within 7 days of the speech (tally.md
/// first_topic); a record without the speech's date is not counted as within.
#[test]
fn first_topic_counts_the_studies_within_seven_days_of_the_speech() {
    let mut db = Db::open_in_memory().unwrap();
    let leading = db
        .save_org(&org("市民政局党组", OrgKind::LeadingGroup, None), &[])
        .unwrap();
    let first_topic = type_id(&db, "第一议题");
    for (studied, speech) in [
        (d(2022, 3, 8), Some(d(2022, 3, 1))),     // 7 days: within
        (d(2022, 5, 20), Some(d(2022, 5, 10))),   // 10 days: late
        (d(2022, 7, 1), None),                    // no date recorded
        (d(2022, 9, 2), Some(d(2022, 9, 2))),     // the same day
        (d(2021, 12, 30), Some(d(2021, 12, 28))), // another year
    ] {
        let mut a = activity(leading, studied, vec![first_topic]);
        a.speech_date = speech;
        db.save_activity(&a).unwrap();
    }
    let t = tally::compute(&db, &Scope::year(2022, today())).unwrap();
    assert_eq!((t.first_topic.count, t.first_topic.within_7_days), (4, 2));
    assert_eq!(t.count_of("第一议题"), 4);
    let json = serde_json::to_value(&t).unwrap();
    assert_eq!(
        json["first_topic"],
        serde_json::json!({"count": 4, "within_7_days": 2})
    );
    let paragraph = report::paragraph(&t, today());
    assert!(
        paragraph.contains("第一议题学习4场次（其中2场次在讲话发表后7日内）"),
        "{paragraph}"
    );
    assert!(report::text(&t, today()).contains("第一议题 4 次，其中讲话发表后7日内学习 2 次"));
    // As of June: two studied, one within.
    let mut june = Scope::year(2022, today());
    june.as_of = d(2022, 6, 30);
    let t = tally::compute(&db, &june).unwrap();
    assert_eq!((t.first_topic.count, t.first_topic.within_7_days), (2, 1));
}

/// 专题: the records of each 专题, and of a type and 专题 together (tally.md topics,
/// topics_by_type), said as the reports say them: 组织党员学习党史N次，党组会议研究意识形态工作M次.
#[test]
fn topics_count_the_records_of_each_theme_and_of_each_type_with_it() {
    use dangwu::model::theme::{IDEOLOGY, PARTY_HISTORY};
    let mut db = Db::open_in_memory().unwrap();
    let leading = db
        .save_org(&org("市民政局党组", OrgKind::LeadingGroup, None), &[])
        .unwrap();
    let branch = db
        .save_org(&org("机关第一党支部", OrgKind::Branch, Some(leading)), &[])
        .unwrap();
    let themes = db.themes().unwrap();
    let theme = |label: &str| {
        themes
            .iter()
            .find(|t| t.label == label)
            .unwrap()
            .id
            .unwrap()
    };
    let (ideology, history) = (theme(IDEOLOGY), theme(PARTY_HISTORY));
    let meeting = type_id(&db, "党组会议");
    let theme_day = type_id(&db, "主题党日");
    let add = |db: &mut Db, org_id: i64, date: NaiveDate, ty: i64, themes: Vec<i64>| {
        let mut a = activity(org_id, date, vec![ty]);
        a.theme_ids = themes;
        db.save_activity(&a).unwrap();
    };
    add(&mut db, leading, d(2022, 2, 10), meeting, vec![ideology]);
    add(&mut db, leading, d(2022, 8, 10), meeting, vec![ideology]);
    add(&mut db, leading, d(2022, 9, 10), meeting, vec![]);
    add(&mut db, branch, d(2022, 3, 1), theme_day, vec![history]);
    add(
        &mut db,
        branch,
        d(2022, 4, 1),
        theme_day,
        vec![history, ideology],
    );
    add(&mut db, branch, d(2022, 5, 1), theme_day, vec![history]);
    add(&mut db, branch, d(2021, 5, 1), theme_day, vec![history]);
    // A 专题 retired later: its records still count; an unused retired one is not listed.
    let mut retired = dangwu::model::label::Label::new("作风建设年");
    let retired_id = db.save_themes(&[retired.clone()]).unwrap()[0];
    add(&mut db, branch, d(2022, 6, 1), theme_day, vec![retired_id]);
    retired.id = Some(retired_id);
    retired.hidden = true;
    let mut unused = dangwu::model::label::Label::new("未用专题");
    unused.hidden = true;
    db.save_themes(&[retired, unused]).unwrap();

    let t = tally::compute(&db, &Scope::year(2022, today())).unwrap();
    assert_eq!(t.topic_count(PARTY_HISTORY), 3);
    assert_eq!(t.topic_count(IDEOLOGY), 3, "two 党组会议 and one 主题党日");
    assert_eq!(t.topic_count("作风建设年"), 1);
    assert!(t.topics.iter().all(|x| x.topic != "未用专题"));
    assert!(
        t.topics
            .iter()
            .any(|x| x.topic == "主题教育" && x.count == 0)
    );
    assert_eq!(t.topic_type_count("党组会议", IDEOLOGY), 2);
    assert_eq!(t.topic_type_count("主题党日", IDEOLOGY), 1);
    assert_eq!(t.topic_type_count("主题党日", PARTY_HISTORY), 3);
    let json = serde_json::to_value(&t).unwrap();
    assert!(
        json["topics"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!({"topic": "党史学习教育", "count": 3}))
    );
    assert!(
        json["topics_by_type"].as_array().unwrap().contains(
            &serde_json::json!({"type": "党组会议", "topic": "意识形态工作", "count": 2})
        )
    );
    let paragraph = report::paragraph(&t, today());
    assert!(
        paragraph.contains("组织党员学习党史3次，党组会议研究意识形态工作2次。"),
        "{paragraph}"
    );
    // One organisation: the branch's records only.
    let mut scope = Scope::year(2022, today());
    scope.org = Some(branch);
    let t = tally::compute(&db, &scope).unwrap();
    assert_eq!(
        (
            t.topic_count(IDEOLOGY),
            t.topic_type_count("党组会议", IDEOLOGY)
        ),
        (1, 0)
    );
}

/// A 党组 whose committee changed at its 2022 election, and a branch that held its own: who was
/// elected, and which 党课 were given by a member of the leadership on the day they were given.
#[test]
fn elections_and_lectures_by_the_leadership_are_counted_by_the_committee_of_the_day() {
    use dangwu::model::election::ElectionInput;
    use dangwu::model::org::{CommitteeInput, CommitteeMember, CommitteeRole};
    let mut db = Db::open_in_memory().unwrap();
    // Before any election was recorded: the committee kept by hand, 王珺 its secretary.
    let hand = |role, name: &str| CommitteeMember {
        role,
        name: name.into(),
        ..Default::default()
    };
    let leading = db
        .save_org(
            &org("市民政局党组", OrgKind::LeadingGroup, None),
            &[
                hand(CommitteeRole::Secretary, "王珺"),
                hand(CommitteeRole::Member, "李明"),
            ],
        )
        .unwrap();
    let branch = db
        .save_org(&org("机关第一党支部", OrgKind::Branch, Some(leading)), &[])
        .unwrap();
    let elect = |db: &mut Db, org_id: i64, held: &str, people: &[(CommitteeRole, &str)]| {
        let input = ElectionInput {
            org_id: Some(org_id),
            held: held.into(),
            elected: people
                .iter()
                .map(|(role, name)| CommitteeInput {
                    role: *role,
                    name: name.to_string(),
                    ..Default::default()
                })
                .collect(),
            ..Default::default()
        };
        db.save_election(&input.validate(today()).unwrap()).unwrap()
    };
    use CommitteeRole::{Deputy, Member as Committee, Secretary};
    // The 党组's 2022 election: 周航 succeeds 王珺, 李明 stays.
    elect(
        &mut db,
        leading,
        "2022-06-01",
        &[(Secretary, "周航"), (Committee, "李明")],
    );
    elect(
        &mut db,
        branch,
        "2022-03-15",
        &[
            (Secretary, "赵丽"),
            (Deputy, "钱伟"),
            (Committee, "孙娜"),
            (Committee, "吴军"),
        ],
    );
    // An election of another year is not this year's.
    elect(&mut db, branch, "2019-03-15", &[(Secretary, "郑强")]);

    // The election closed the terms before it: the committee and the term follow it.
    let names = |db: &Db, org_id: i64| -> Vec<String> {
        db.committee(org_id)
            .unwrap()
            .into_iter()
            .map(|c| c.name)
            .collect()
    };
    assert_eq!(names(&db, leading), ["周航", "李明"]);
    assert_eq!(db.org(leading).unwrap().term_start, Some(d(2022, 6, 1)));
    assert_eq!(names(&db, branch), ["赵丽", "钱伟", "孙娜", "吴军"]);

    let lecture = type_id(&db, "党课");
    let give = |db: &mut Db, date: NaiveDate, lecturer: &str| {
        let mut a = activity(branch, date, vec![lecture]);
        a.lecturer = lecturer.into();
        db.save_activity(&a).unwrap();
    };
    give(&mut db, d(2022, 3, 1), "王珺"); // secretary of the 党组 that day: counted
    give(&mut db, d(2022, 7, 1), "王珺"); // no longer on it: not counted
    give(&mut db, d(2022, 7, 2), "周航"); // elected in June: counted
    give(&mut db, d(2022, 8, 1), "李明、赵丽"); // one of two lecturers: counted once
    give(&mut db, d(2022, 9, 1), "赵丽"); // the branch's secretary: not the leadership
    give(&mut db, d(2021, 9, 1), "王珺"); // another year

    let t = tally::compute(&db, &Scope::year(2022, today())).unwrap();
    assert_eq!(t.leaders_lectures, 3);
    assert_eq!(t.count_of("党课"), 5);
    let json = serde_json::to_value(&t).unwrap();
    assert_eq!(
        json["elections"],
        serde_json::json!({"held": 2, "secretaries": 2, "deputies": 1, "members": 3})
    );
    assert_eq!(json["leaders_lectures"], 3);
    let paragraph = report::paragraph(&t, today());
    assert!(
        paragraph.contains("讲党课5次，其中领导班子成员带头讲党课3次"),
        "{paragraph}"
    );
    assert!(
        paragraph.contains("2个党组织完成换届选举，选举产生书记2名、副书记1名、委员3名。"),
        "{paragraph}"
    );
    let text = report::text(&t, today());
    assert!(
        text.contains("换届选举 2 次（选举书记 2，副书记 1，委员 3）"),
        "{text}"
    );

    // The branch alone: its own election; the lectures given in it by the leadership still count.
    let mut scope = Scope::year(2022, today());
    scope.org = Some(branch);
    let t = tally::compute(&db, &scope).unwrap();
    assert_eq!(
        (t.elections.held, t.elections.members, t.leaders_lectures),
        (1, 2, 3)
    );
    // A year without elections says nothing of them.
    let t = tally::compute(&db, &Scope::year(2021, today())).unwrap();
    assert_eq!(t.elections.held, 0);
    assert!(!report::paragraph(&t, today()).contains("换届"));
}

/// A 党委 just typed in without 成立日期 is not missing last month's meetings: it is counted from
/// the day it was entered in the ledger, and 落实情况 says so.
#[test]
fn an_organisation_without_a_founding_date_is_counted_from_its_entry() {
    let mut db = Db::open_in_memory().unwrap();
    let mut o = org("机关党委", OrgKind::Committee, None);
    o.founded = None;
    let id = db.save_org(&o, &[]).unwrap();
    // Entered today (the audit's clock): nothing before today is required of it.
    let now = chrono::Local::now().date_naive();
    let t = tally::compute(&db, &Scope::year(now.year(), now)).unwrap();
    let required: u32 = t.compliance.iter().map(|c| c.required).sum();
    let held: u32 = t.compliance.iter().map(|c| c.held).sum();
    assert_eq!(required - held, 0, "{:?}", t.compliance);
    let rows = dangwu::tally::compliance::for_year(&db, now.year(), now).unwrap();
    assert!(
        rows.iter()
            .all(|r| r.org_id != id || r.counted_from == Some(now))
    );
    // With its 成立日期 filled in, the months before count again.
    let mut o = db.org(id).unwrap();
    o.founded = Some(d(2001, 7, 1));
    db.save_org(&o, &[]).unwrap();
    let rows = dangwu::tally::compliance::for_year(&db, 2025, d(2025, 12, 31)).unwrap();
    assert!(rows.iter().all(|r| r.counted_from.is_none()));
    assert!(rows.iter().any(|r| !r.missing.is_empty()), "{rows:?}");
}

/// One order of organisations: 第一、第二、第三 by number (not code point), a 党委 above its
/// branches in every table even with no records of its own, and the user's 上移 kept.
#[test]
fn organisations_come_in_one_order_that_the_user_can_change() {
    let mut db = Db::open_in_memory().unwrap();
    let top = db
        .save_org(&org("机关党委", OrgKind::Committee, None), &[])
        .unwrap();
    let mut ids = Vec::new();
    for name in ["机关第三党支部", "机关第一党支部", "机关第二党支部"] {
        ids.push(
            db.save_org(&org(name, OrgKind::Branch, Some(top)), &[])
                .unwrap(),
        );
    }
    let names = |db: &Db| -> Vec<String> {
        db.orgs(today())
            .unwrap()
            .into_iter()
            .map(|s| s.org.name)
            .collect()
    };
    assert_eq!(
        names(&db),
        [
            "机关党委",
            "机关第一党支部",
            "机关第二党支部",
            "机关第三党支部"
        ]
    );
    let meeting = type_id(&db, "党员大会");
    for id in &ids {
        db.save_activity(&activity(*id, d(2022, 3, 1), vec![meeting]))
            .unwrap();
    }
    let t = tally::compute(&db, &Scope::year(2022, today())).unwrap();
    let rows: Vec<(usize, &str)> = t
        .org_rows(&[meeting])
        .into_iter()
        .map(|(depth, id)| (depth, t.org_names[&id].as_str()))
        .collect();
    assert_eq!(
        rows,
        [
            (0, "机关党委"),
            (1, "机关第一党支部"),
            (1, "机关第二党支部"),
            (1, "机关第三党支部")
        ]
    );
    // 第三 moved up once: before 第二, everywhere.
    db.move_org(ids[0], true).unwrap();
    assert_eq!(
        names(&db),
        [
            "机关党委",
            "机关第一党支部",
            "机关第三党支部",
            "机关第二党支部"
        ]
    );
    let t = tally::compute(&db, &Scope::year(2022, today())).unwrap();
    let order: Vec<&str> =
        t.compliance
            .iter()
            .map(|c| c.organisation.as_str())
            .fold(Vec::new(), |mut v, n| {
                if v.last() != Some(&n) {
                    v.push(n);
                }
                v
            });
    assert_eq!(
        order,
        [
            "机关党委",
            "机关第一党支部",
            "机关第三党支部",
            "机关第二党支部"
        ],
        "the compliance list too"
    );
}
