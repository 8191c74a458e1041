//! How the 党员 tab copes with a large roll: 10,000 members in 20 organisations.
//! Run with `cargo bench --bench members`. Prints timings; asserts nothing about them.
//!
//! Frames are driven by egui_kittest without a GPU, so a "frame" here is egui's layout and
//! tessellation work on the CPU — the part our code controls.

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use dangwu::model::member::{Category, Gender, Member, Status};
use dangwu::model::org::{Org, OrgKind};
use dangwu::store::Db;
use dangwu::ui::{DangwuApp, fonts};
use egui_kittest::Harness;

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

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
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

    let app = DangwuApp::new(Ok(db), None, NaiveDate::from_ymd_opt(2026, 11, 22).unwrap());
    let t = Instant::now();
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_context_setup(|ctx| {
            fonts::install(ctx, fonts::embedded());
            fonts::install_style(ctx);
        })
        .build_ui_state(|ui, app: &mut DangwuApp| app.show(ui), app);

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
    let mut scrolling = Vec::new();
    for i in 0..200 {
        if i == 100 {
            // Proof that the list really moved: other rows are on screen now.
            assert_ne!(visible(&h), before, "the table did not scroll");
        }
        let delta = if i < 100 { -120.0 } else { 120.0 };
        h.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(0.0, delta * 4.0),
            modifiers: egui::Modifiers::NONE,
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Wheel,
        });
        h.hover_at(egui::pos2(400.0, 400.0));
        let t = Instant::now();
        h.step();
        scrolling.push(t.elapsed());
    }
    let worst = *scrolling.iter().max().unwrap();
    println!(
        "滚动时每帧：中位数 {:?}，最慢 {:?}（200 帧）",
        median(scrolling),
        worst
    );
}
