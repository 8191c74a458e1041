//! The 学习活动 tab on a large ledger: 100,000 records with about 2,000,000 attendance rows
//! (`dangwu demo-data --years 10 --members 2000 --records 100000`). Run with
//! `cargo bench --bench activities`. Prints timings; asserts nothing about them.
//!
//! The data file is generated once into target/bench-data/ and copied for each run.
//! Frames are driven by egui_kittest without a GPU: a frame here is egui's CPU work.

mod support;

use std::time::Instant;

use chrono::Datelike;
use dangwu::model::activity::{Attendance, Presence};
use dangwu::store::{ActivityFilter, Db};
use dangwu::ui::{DangwuApp, Tab};
use egui_kittest::Harness;

use support::{data_file, median};

fn main() {
    let today = chrono::Local::now().date_naive();
    let source = data_file(today);
    let work = tempfile::tempdir().unwrap();
    let path = work.path().join("bench.sqlite");
    std::fs::copy(&source, &path).unwrap();

    let t = Instant::now();
    let mut db = Db::open(&path).unwrap();
    println!("打开数据文件（含完整性快速检查）：{:?}", t.elapsed());

    // Each read five times (the first warms the page cache): the median.
    let timed = |f: &ActivityFilter| {
        let mut times = Vec::new();
        let mut rows = Vec::new();
        for _ in 0..5 {
            let t = Instant::now();
            rows = db.activities(f).unwrap();
            times.push(t.elapsed());
        }
        (rows, median(times))
    };
    let (all, took) = timed(&ActivityFilter::default());
    println!("读取全部 {} 条活动（全部年份）：中位数 {took:?}", all.len());
    let (year, took) = timed(&ActivityFilter {
        year: Some(today.year()),
        ..Default::default()
    });
    println!("读取本年 {} 条活动：中位数 {took:?}", year.len());
    let floor_cells = ready_made(&db, &year, today);

    // Saving a record with a branch's attendance.
    let template = db.activity(all[all.len() / 2].id).unwrap();
    let mut saves = Vec::new();
    for i in 0..30 {
        let mut a = template.clone();
        a.id = None;
        a.uid = String::new();
        a.topic = format!("基准测试记录{i}");
        a.attendance
            .iter_mut()
            .enumerate()
            .for_each(|(k, x): (usize, &mut Attendance)| {
                if k % 7 == 0 {
                    x.presence = Presence::Leave;
                    x.reason = "出差".into();
                }
            });
        let t = Instant::now();
        db.save_activity(&a).unwrap();
        saves.push(t.elapsed());
    }
    println!(
        "保存一条记录（{}人出席名单，含审计）：中位数 {:?}，最慢 {:?}",
        template.attendance.len(),
        median(saves.clone()),
        saves.iter().max().unwrap()
    );

    let mut app = DangwuApp::new(Ok(db), Some(path.clone()), today);
    app.set_tab(Tab::Orgs);
    let mut h = support::window(app);
    h.run();

    h.state_mut().set_tab(Tab::Activities);
    let t = Instant::now();
    h.step();
    println!(
        "打开学习活动页（首帧：类型、沉寂支部、本年列表、排版）：{:?}",
        t.elapsed()
    );
    for _ in 0..5 {
        h.step();
    }

    let visible = |h: &Harness<DangwuApp>| -> Vec<String> {
        use egui_kittest::kittest::{NodeT, Queryable};
        h.query_all_by_role(egui::accesskit::Role::Label)
            .filter_map(|n| {
                let node = n.accesskit_node();
                node.label().or_else(|| node.value())
            })
            .filter(|t| t.len() == 10 && t.starts_with(&today.year().to_string()))
            .collect()
    };
    let before = visible(&h);
    assert!(!before.is_empty(), "no records on screen");
    let at = egui::pos2(300.0, 400.0);
    let mut frames = support::scroll(&mut h, at, true);
    // Other rows on screen: the list really moved.
    assert_ne!(visible(&h), before, "the list did not scroll");
    frames.extend(support::scroll(&mut h, at, false));
    support::print_beside_floor(
        &format!("本年 {} 条的学习活动页", year.len()),
        frames,
        support::floor(floor_cells),
    );
}

/// The cells the ledger shows for `rows`, as plain strings: 日期, 组织, 类型, 实到/应到, 主题.
fn ready_made(
    db: &Db,
    rows: &[dangwu::store::ActivityRow],
    today: chrono::NaiveDate,
) -> Vec<Vec<String>> {
    let orgs: std::collections::HashMap<i64, String> = db
        .orgs(today)
        .unwrap()
        .into_iter()
        .filter_map(|o| Some((o.org.id?, o.org.name)))
        .collect();
    let types: std::collections::HashMap<i64, String> = db
        .activity_types()
        .unwrap()
        .into_iter()
        .filter_map(|t| Some((t.id?, t.label)))
        .collect();
    rows.iter()
        .map(|r| {
            vec![
                r.date.to_string(),
                orgs[&r.org_id].clone(),
                r.type_ids
                    .iter()
                    .map(|t| types[t].as_str())
                    .collect::<Vec<_>>()
                    .join("、"),
                format!("{}/{}", r.present.unwrap_or(0), r.expected.unwrap_or(0)),
                r.topic.clone(),
            ]
        })
        .collect()
}
