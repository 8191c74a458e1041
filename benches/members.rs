//! How the 党员 tab copes with a large roll: 10,000 members in 20 organisations.
//! Run with `cargo bench --bench members`. Prints timings; asserts nothing about them.
//!
//! Frames are driven by egui_kittest without a GPU, so a "frame" here is egui's layout and
//! tessellation work on the CPU — the part our code controls.

mod support;

use std::time::Instant;

use chrono::NaiveDate;
use dangwu::model::member::{Category, Gender, Member, Status};
use dangwu::model::org::{Org, OrgKind};
use dangwu::store::Db;
use dangwu::ui::DangwuApp;
use egui_kittest::Harness;

use support::median;

const MEMBERS: usize = 10_000;
const ORGS: usize = 20;

fn roll() -> Db {
    let mut db = Db::open_in_memory().unwrap();
    let mut org_ids = Vec::new();
    for i in 0..ORGS {
        let org = Org {
            id: None,
            uid: String::new(),
            name: format!("第{}党支部", i + 1),
            kind: OrgKind::Branch,
            parent_id: None,
            founded: None,
            dissolved: None,
            term_start: NaiveDate::from_ymd_opt(2024, 1, 1),
            term_years: 3,
            has_committee: true,
            has_groups: false,
            note: String::new(),
            expectations: Vec::new(),
        };
        org_ids.push(db.save_org(&org, &[]).unwrap());
    }
    let surnames = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"];
    let given = [
        "喆", "堃", "昇", "玥", "珺", "彧", "伟", "芳", "娜", "敏", "静", "丽",
    ];
    for i in 0..MEMBERS {
        let m = Member {
            id: None,
            uid: String::new(),
            name: format!(
                "{}{}{}",
                surnames[i % 10],
                given[i % 12],
                given[(i / 12) % 12]
            ),
            gender: Some(if i % 2 == 0 {
                Gender::Male
            } else {
                Gender::Female
            }),
            ethnicity: "汉族".into(),
            birth_date: NaiveDate::from_ymd_opt(
                1960 + (i % 40) as i32,
                1 + (i % 12) as u32,
                1 + (i % 28) as u32,
            ),
            id_number: String::new(),
            education: "大学本科".into(),
            job: "科员".into(),
            phone: format!("138{:08}", i),
            org_id: org_ids[i % ORGS],
            category: Category::ALL[i % 5],
            applied_on: None,
            activist_on: None,
            candidate_on: None,
            probationary_on: None,
            full_on: None,
            party_post: String::new(),
            introducers: String::new(),
            status: if i % 50 == 0 {
                Status::Deceased
            } else {
                Status::OnRolls
            },
            status_date: (i % 50 == 0).then(|| NaiveDate::from_ymd_opt(2025, 6, 1).unwrap()),
            note: String::new(),
            probation_extended_to: None,
        };
        db.save_member(&m).unwrap();
    }
    db
}

fn main() {
    let started = Instant::now();
    let db = roll();
    println!(
        "造数：{MEMBERS} 名党员，{ORGS} 个支部，用时 {:?}",
        started.elapsed()
    );

    let t = Instant::now();
    let rows = db.members().unwrap();
    println!(
        "读取名册（db.members）：{:?}，{} 行",
        t.elapsed(),
        rows.len()
    );

    // The floor's cells: 姓名 性别 年龄 党龄 所在组织 人员类别 状态 公民身份号码 联系电话.
    let orgs: std::collections::HashMap<i64, String> = (1..=ORGS as i64)
        .map(|id| (id, format!("第{id}党支部")))
        .collect();
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|m| {
            vec![
                m.name.clone(),
                m.gender.map(|g| g.to_string()).unwrap_or_default(),
                "45".into(),
                "12".into(),
                orgs.get(&m.org_id).cloned().unwrap_or_default(),
                m.category.to_string(),
                "在册".into(),
                "330102********0010".into(),
                m.phone.clone(),
            ]
        })
        .collect();
    let app = DangwuApp::new(Ok(db), None, NaiveDate::from_ymd_opt(2026, 11, 22).unwrap());
    let t = Instant::now();
    let mut h = support::window(app);

    println!(
        "打开党员页（装字体、读取名册、排序、排版，直到画面稳定）：{:?}",
        t.elapsed()
    );
    for _ in 0..5 {
        h.step();
    }

    let mut idle = Vec::new();
    for _ in 0..50 {
        let t = Instant::now();
        h.step();
        idle.push(t.elapsed());
    }
    println!("静止时每帧（中位数）：{:?}", median(idle));

    let visible = |h: &Harness<DangwuApp>| -> Vec<String> {
        use egui_kittest::kittest::{NodeT, Queryable};
        h.query_all_by_role(egui::accesskit::Role::Label)
            .filter_map(|n| {
                let node = n.accesskit_node();
                node.label().or_else(|| node.value())
            })
            .filter(|text| text.starts_with("138"))
            .collect()
    };
    let before = visible(&h);
    assert!(!before.is_empty(), "no member rows on screen");
    let at = egui::pos2(400.0, 400.0);
    let mut frames = support::scroll(&mut h, at, true);
    // Other rows on screen: the table really moved.
    assert_ne!(visible(&h), before, "the table did not scroll");
    frames.extend(support::scroll(&mut h, at, false));
    support::print_beside_floor(
        &format!("{MEMBERS} 名党员的名册"),
        frames,
        support::floor(cells),
    );
}
