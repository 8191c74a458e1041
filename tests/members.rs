//! 党员 in depth through the store: transfers deciding the roll at a date, the upgrade that turns
//! old 转出 statuses into records, dues written a branch-month at a time, member events.

mod common;

use common::{d, db_with_branch, member, org, transfer};
use dangwu::model::FieldKey;
use dangwu::model::dues::{Basis, Dues};
use dangwu::model::member_event::{EventKind, MemberEvent};
use dangwu::model::org::OrgKind;
use dangwu::store::{Db, schema};
use rusqlite::Connection;

fn ids(db: &Db, org: i64, day: chrono::NaiveDate) -> Vec<i64> {
    db.roll_at(org, day)
        .unwrap()
        .into_iter()
        .map(|(id, _)| id)
        .collect()
}

#[test]
fn moved_in_march_is_on_a_in_february_and_on_b_in_april() {
    let (mut db, a) = db_with_branch();
    let b = db
        .save_org(&org("机关第二党支部", OrgKind::Branch, None), &[])
        .unwrap();
    let id = db.save_member(&member(a)).unwrap();
    db.save_transfer(&transfer(id, d(2022, 3, 15), Some(a), Some(b)))
        .unwrap();
    assert_eq!(ids(&db, a, d(2022, 2, 28)), [id]);
    assert!(ids(&db, b, d(2022, 2, 28)).is_empty());
    assert!(ids(&db, a, d(2022, 4, 1)).is_empty());
    assert_eq!(ids(&db, b, d(2022, 4, 1)), [id]);
    // The member's record follows the chain to where it ends.
    assert_eq!(db.member(id).unwrap().org_id, b);
    // The organisation list counts each member once, where they are on the day.
    let counts: Vec<(String, i64)> = db
        .orgs(d(2022, 2, 1))
        .unwrap()
        .into_iter()
        .map(|s| (s.org.name, s.members_on_rolls))
        .collect();
    assert!(counts.contains(&("机关第一党支部".into(), 1)));
    assert!(counts.contains(&("机关第二党支部".into(), 0)));
}

#[test]
fn a_transfer_that_does_not_continue_the_chain_is_refused_and_nothing_changes() {
    let (mut db, a) = db_with_branch();
    let id = db.save_member(&member(a)).unwrap();
    let out = db
        .save_transfer(&transfer(id, d(2022, 6, 1), Some(a), None))
        .unwrap();
    // A second 转出 while outside.
    let e = db
        .save_transfer(&transfer(id, d(2023, 1, 1), Some(a), None))
        .unwrap_err();
    assert!(e.to_string().contains("2022-06-01该党员已转出"), "{e}");
    assert_eq!(db.transfers_of(id).unwrap().len(), 1);
    // Coming back later is the same person: a 转入, never a second member.
    let back = db
        .save_transfer(&transfer(id, d(2024, 9, 1), None, Some(a)))
        .unwrap();
    assert!(ids(&db, a, d(2023, 1, 1)).is_empty());
    assert_eq!(ids(&db, a, d(2024, 9, 1)), [id]);
    let mut again = member(a);
    again.name = "王珺".into();
    let e = db.save_member(&again).unwrap_err().to_string();
    assert!(e.contains("已登记为王珺") && e.contains("登记转入"), "{e}");
    assert_eq!(db.members().unwrap().len(), 1);
    // Removing the 转入 between a 转出 and a later move would leave the move starting inside
    // while the member is outside: refused.
    let b = db
        .save_org(&org("机关第二党支部", OrgKind::Branch, None), &[])
        .unwrap();
    let moved = db
        .save_transfer(&transfer(id, d(2025, 3, 1), Some(a), Some(b)))
        .unwrap();
    let e = db.delete_transfer(back).unwrap_err();
    assert!(e.to_string().contains("接不上"), "{e}");
    assert_eq!(db.transfers_of(id).unwrap().len(), 3);
    for t in [moved, back, out] {
        db.delete_transfer(t).unwrap();
    }
    assert_eq!(ids(&db, a, d(2023, 1, 1)), [id]);
    let history = db.history("member", &db.member(id).unwrap().uid).unwrap();
    assert_eq!(
        history.len(),
        3,
        "moved to B and back with the chain, audited"
    );
    assert_eq!(db.member(id).unwrap().org_id, a);
}

/// A file as version 5 wrote it: a branch, a member transferred out (as a status), one staying.
fn v5_file(path: &std::path::Path) {
    let conn = Connection::open(path).unwrap();
    for sql in &schema::MIGRATIONS[..5] {
        conn.execute_batch(sql).unwrap();
    }
    conn.execute_batch(
        "INSERT INTO org (uid, name, kind) VALUES ('o1', '机关第一党支部', '党支部');
         INSERT INTO member (uid, name, org_id, category, probationary_on, full_on, status, status_date)
              VALUES ('m1', '赵昇', 1, '正式党员', '2015-06-01', '2016-06-01', '转出', '2022-04-20');
         INSERT INTO member (uid, name, org_id, category, probationary_on, full_on)
              VALUES ('m2', '李堃', 1, '正式党员', '2015-06-01', '2016-06-01');",
    )
    .unwrap();
    conn.pragma_update(None, "user_version", 5).unwrap();
    conn.pragma_update(None, "application_id", schema::APPLICATION_ID)
        .unwrap();
}

#[test]
fn upgrading_a_v5_file_turns_old_transferred_out_statuses_into_records() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v5.sqlite");
    v5_file(&path);
    let db = Db::open(&path).unwrap();
    let members = db.members().unwrap();
    let gone = members.iter().find(|m| m.name == "赵昇").unwrap();
    let chain = db.transfers_of(gone.id.unwrap()).unwrap();
    assert_eq!(chain.len(), 1);
    assert_eq!(
        (chain[0].date, chain[0].from_org, chain[0].to_org),
        (d(2022, 4, 20), Some(1), None)
    );
    assert_eq!(gone.status, dangwu::model::member::Status::OnRolls);
    assert_eq!(ids(&db, 1, d(2022, 4, 19)).len(), 2);
    assert_eq!(
        ids(&db, 1, d(2022, 4, 20)),
        [members
            .iter()
            .find(|m| m.name == "李堃")
            .unwrap()
            .id
            .unwrap()]
    );
    let t =
        dangwu::tally::compute(&db, &dangwu::tally::Scope::year(2022, d(2026, 11, 22))).unwrap();
    assert_eq!((t.members.on_rolls, t.members.transferred_out), (1, 1));
}

fn paid(member_id: i64, org_id: i64, amount_fen: i64) -> Dues {
    Dues {
        member_id,
        org_id,
        year: 2022,
        month: 3,
        basis: Basis::InService,
        base_fen: Some(amount_fen * 100),
        amount_fen,
    }
}

#[test]
fn a_branch_month_of_dues_is_written_whole_or_not_at_all() {
    let (mut db, a) = db_with_branch();
    let b = db
        .save_org(&org("机关第二党支部", OrgKind::Branch, None), &[])
        .unwrap();
    let one = db.save_member(&member(a)).unwrap();
    let mut m = member(a);
    m.name = "李堃".into();
    m.id_number.clear();
    let two = db.save_member(&m).unwrap();
    db.save_dues_month(a, 2022, 3, &[paid(one, a, 1500), paid(two, a, 5000)])
        .unwrap();
    assert_eq!(db.dues_of_month(a, 2022, 3).unwrap().len(), 2);
    // Unticking one removes its row; the other changes.
    db.save_dues_month(a, 2022, 3, &[paid(two, a, 4500)])
        .unwrap();
    let rows = db.dues_of_month(a, 2022, 3).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0].member_id, rows[0].amount_fen), (two, 4500));
    // Paid already in branch A: branch B's form is refused at that row, and writes nothing.
    let e = db
        .save_dues_month(b, 2022, 3, &[paid(one, b, 1500), paid(two, b, 4500)])
        .unwrap_err();
    assert_eq!(e.field(), Some(FieldKey::Row(1)));
    assert!(
        e.to_string()
            .contains("李堃2022年3月的党费已在机关第一党支部登记"),
        "{e}"
    );
    assert!(db.dues_of_month(b, 2022, 3).unwrap().is_empty());
    // The audit keeps who paid how much, per branch-month.
    let org_uid = db
        .orgs(d(2026, 1, 1))
        .unwrap()
        .into_iter()
        .find(|s| s.org.id == Some(a))
        .unwrap()
        .org
        .uid;
    let history = db.history("dues", &format!("{org_uid}/2022-03")).unwrap();
    assert_eq!(history.len(), 2);
    assert!(
        !history[1]
            .after
            .as_ref()
            .unwrap()
            .contains("11010519491231002X")
    );
}

#[test]
fn an_event_of_a_member_outside_the_bureau_is_refused_whole() {
    let (mut db, a) = db_with_branch();
    let here = db.save_member(&member(a)).unwrap();
    let mut m = member(a);
    m.name = "赵昇".into();
    m.id_number.clear();
    let gone = db.save_member(&m).unwrap();
    db.save_transfer(&transfer(gone, d(2022, 4, 20), Some(a), None))
        .unwrap();
    let row = |member_id| MemberEvent {
        id: None,
        uid: String::new(),
        act_uid: String::new(),
        kind: EventKind::Commendation,
        date: d(2022, 6, 30),
        for_year: None,
        member_id,
        org_id: 0,
        title: "优秀共产党员".into(),
        grade: None,
        note: String::new(),
    };
    let e = db.save_member_events(&[row(here), row(gone)]).unwrap_err();
    assert!(
        e.to_string().contains("赵昇在2022-06-30不在本单位党组织"),
        "{e}"
    );
    assert!(db.events_of_member(here).unwrap().is_empty());
    db.save_member_events(&[row(here)]).unwrap();
    let saved = db.events_of_member(here).unwrap();
    assert_eq!((saved.len(), saved[0].org_id), (1, a));
    assert_eq!(db.events_of_year(2022).unwrap().len(), 1);
}

#[test]
fn commands_that_read_leave_an_older_file_exactly_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v5.sqlite");
    v5_file(&path);
    let before = std::fs::read(&path).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_dangwu"))
        .args([
            "--db",
            path.to_str().unwrap(),
            "tally",
            "--year",
            "2022",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        json["members"]["transferred_out"], 1,
        "read through a migrated copy"
    );
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "the file itself untouched"
    );
    assert!(
        !dir.path().join("backups").exists(),
        "and nothing written beside it"
    );
}

#[test]
fn the_organisation_counts_place_every_member_as_the_model_does_on_every_day() {
    // Forty members with chains of up to four transfers between three branches and outside (the
    // counts read every member's place at once, store::sql::placed): on each day of three years
    // the count of each branch is the model's count from Member::on_rolls_at.
    let (mut db, a) = db_with_branch();
    let b = db
        .save_org(&org("机关第二党支部", OrgKind::Branch, None), &[])
        .unwrap();
    let c = db
        .save_org(&org("机关第三党支部", OrgKind::Branch, None), &[])
        .unwrap();
    let places = [Some(a), Some(b), Some(c), None];
    let mut seed = 7u64;
    let mut next = |n: u64| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) % n
    };
    let mut transfers = 0;
    for i in 0..40 {
        let mut m = member(places[next(3) as usize].unwrap());
        m.id_number = String::new();
        m.name = format!("党员{i}");
        let id = db.save_member(&m).unwrap();
        let mut here = Some(m.org_id);
        let mut day = d(2021, 1, 1) + chrono::Days::new(next(200));
        for _ in 0..next(5) {
            let to = loop {
                let to = places[next(4) as usize];
                if to != here {
                    break to;
                }
            };
            db.save_transfer(&transfer(id, day, here, to)).unwrap();
            transfers += 1;
            here = to;
            // Two on one day now and then: the later one (by id) decides.
            day = day + chrono::Days::new(next(300));
        }
    }
    assert!(transfers > 40, "{transfers}");
    let members = db.members().unwrap();
    let chains = db.transfers_by_member().unwrap();
    let mut day = d(2021, 1, 1);
    while day < d(2024, 1, 1) {
        let counted: Vec<(i64, i64)> = db
            .orgs(day)
            .unwrap()
            .into_iter()
            .map(|s| (s.org.id.unwrap(), s.members_on_rolls))
            .collect();
        for (org, n) in counted {
            let expected = members
                .iter()
                .filter(|m| {
                    let chain = chains.get(&m.id.unwrap()).map_or(&[][..], Vec::as_slice);
                    m.on_rolls_at(chain, day) && m.org_at(chain, day) == Some(org)
                })
                .count() as i64;
            assert_eq!(n, expected, "organisation {org} on {day}");
        }
        day = day + chrono::Days::new(11);
    }
}
