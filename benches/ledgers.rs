//! The 谈话 and 整改台账 lists at 10,000 rows each, and the 党费 month of a branch of 200, scrolled,
//! beside their floor: a bare egui_extras table of the same rows and columns of ready-made
//! strings, timed the same way.
//! Run with `cargo bench --bench ledgers`. Prints timings; asserts nothing about them.
//!
//! The ledger is the demo bureau (300 members, this year) made with 10,000 talks and 10,000
//! rectification items (`demo-data --years 1 --talks 10000 --items 10000`).

mod support;

use std::time::Instant;

use chrono::{Datelike, NaiveDate};
use dangwu::demo::{self, DemoOptions};
use dangwu::store::Db;
use dangwu::ui::{DangwuApp, Tab};

use support::median;

const ROWS: usize = 10_000;

fn main() {
    let today = chrono::Local::now().date_naive();
    let started = Instant::now();
    let mut db = Db::open_in_memory().unwrap();
    // `dangwu demo-data --years 1 --talks 10000 --items 10000`: this year's lists hold them all.
    demo::fill(
        &mut db,
        &DemoOptions {
            years: 1,
            members: 300,
            records: None,
            talks: Some(ROWS),
            items: Some(ROWS),
            today,
        },
    )
    .unwrap();
    println!(
        "造数：演示单位（300 名党员，一年），谈话、整改各 {ROWS} 条，用时 {:?}",
        started.elapsed()
    );

    let mut reads = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        db.talks(Some(today.year())).unwrap();
        reads.push(t.elapsed());
    }
    println!("读取本年谈话：中位数 {:?}", median(reads));
    let mut reads = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        db.rectifications().unwrap();
        reads.push(t.elapsed());
    }
    println!("读取整改问题：中位数 {:?}", median(reads));

    let talk_cells = talk_cells(&db, today);
    let rect_cells = rect_cells(&db, today);
    let mut app = DangwuApp::new(Ok(db), None, today);
    app.set_tab(Tab::Orgs);
    let mut h = support::window(app);
    h.run();

    for (tab, name, cells) in [
        (Tab::Talks, "谈话", talk_cells),
        (Tab::Rectify, "整改台账", rect_cells),
    ] {
        h.state_mut().set_tab(tab);
        let t = Instant::now();
        h.step();
        println!("打开{name}页（首帧，含读取）：{:?}", t.elapsed());
        for _ in 0..5 {
            h.step();
        }
        let at = egui::pos2(400.0, 500.0);
        let frames = support::scroll_down_and_up(&mut h, at);
        support::print_beside_floor(
            &format!("{} 行的{name}页", cells.len()),
            frames,
            support::floor(cells),
        );
    }
    dues_month(today);
}

/// A branch of 200 members, this month's 党费 form (a checkbox, a drop-down and two fields a row).
fn dues_month(today: NaiveDate) {
    use dangwu::model::member::{Category, Member, Status};
    use dangwu::model::org::{Org, OrgKind};
    const MEMBERS: usize = 200;
    let mut db = Db::open_in_memory().unwrap();
    let org = db
        .save_org(
            &Org {
                name: "机关第一党支部".into(),
                kind: OrgKind::Branch,
                founded: NaiveDate::from_ymd_opt(2001, 7, 1),
                term_years: 3,
                has_committee: true,
                ..Default::default()
            },
            &[],
        )
        .unwrap();
    let surnames = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"];
    for i in 0..MEMBERS {
        db.save_member(&Member {
            name: format!(
                "{}{}",
                surnames[i % 10],
                ["伟", "芳", "娜", "敏", "静"][i / 10 % 5]
            ),
            org_id: org,
            category: Category::Full,
            status: Status::OnRolls,
            full_on: NaiveDate::from_ymd_opt(2000 + (i % 20) as i32, 7, 1),
            ..Default::default()
        })
        .unwrap();
    }
    let cells: Vec<Vec<String>> = (0..MEMBERS)
        .map(|i| {
            vec![
                format!(
                    "□ {}{}",
                    surnames[i % 10],
                    ["伟", "芳", "娜", "敏", "静"][i / 10 % 5]
                ),
                "在职".into(),
                "6000".into(),
                "1%".into(),
                "60.00".into(),
                "60.00".into(),
            ]
        })
        .collect();
    let mut h = support::window(DangwuApp::new(Ok(db), None, today));
    h.run();
    {
        use egui_kittest::kittest::Queryable;
        h.get_by_label("党费").click();
    }
    let t = Instant::now();
    h.step();
    h.step();
    println!("打开党费页（点击后两帧，含读取）：{:?}", t.elapsed());
    for _ in 0..5 {
        h.step();
    }
    let at = egui::pos2(400.0, 500.0);
    let frames = support::scroll_down_and_up(&mut h, at);
    support::print_beside_floor(
        &format!("{MEMBERS} 人支部的党费按月登记"),
        frames,
        support::floor(cells),
    );
}

/// 日期, 类型, 形式, 谈话人, 人次, 谈话对象: what the 谈话 list shows, as plain strings.
fn talk_cells(db: &Db, today: NaiveDate) -> Vec<Vec<String>> {
    let kinds = db.talk_kinds().unwrap();
    db.talks(Some(today.year()))
        .unwrap()
        .iter()
        .map(|t| {
            let kind = kinds.iter().find(|k| k.id == Some(t.kind_id));
            vec![
                t.date.to_string(),
                kind.map(|k| k.label.clone()).unwrap_or_default(),
                t.form.to_string(),
                t.talkers.clone(),
                t.subjects.len().to_string(),
                t.subjects
                    .iter()
                    .map(|(_, n)| n.as_str())
                    .collect::<Vec<_>>()
                    .join("、"),
            ]
        })
        .collect()
}

/// 发现日期, 来源, 状态, 整改时限, 责任单位, 问题描述.
fn rect_cells(db: &Db, _today: NaiveDate) -> Vec<Vec<String>> {
    db.rectifications()
        .unwrap()
        .iter()
        .map(|r| {
            vec![
                r.found_on.to_string(),
                r.source.to_string(),
                r.status.to_string(),
                r.deadline.map(|d| d.to_string()).unwrap_or_default(),
                r.unit.clone(),
                r.description.clone(),
            ]
        })
        .collect()
}
