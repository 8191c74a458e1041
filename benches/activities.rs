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
use dangwu::ui::{DangwuApp, Tab, fonts};
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

    let t = Instant::now();
    let all = db.activities(&ActivityFilter::default()).unwrap();
    println!(
        "读取全部 {} 条活动（全部年份）：{:?}",
        all.len(),
        t.elapsed()
    );
    let t = Instant::now();
    let year = db
        .activities(&ActivityFilter {
            year: Some(today.year()),
            ..Default::default()
        })
        .unwrap();
    println!("读取本年 {} 条活动：{:?}", year.len(), t.elapsed());

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
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_context_setup(|ctx| {
            fonts::install(ctx, fonts::embedded());
            fonts::install_style(ctx);
        })
        .build_ui_state(|ui, app: &mut DangwuApp| app.show(ui), app);
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
    let mut frames = Vec::new();
    for i in 0..200 {
        if i == 100 {
            assert_ne!(visible(&h), before, "the list did not scroll");
        }
        let delta = if i < 100 { -480.0 } else { 480.0 };
        h.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(0.0, delta),
            modifiers: egui::Modifiers::NONE,
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Wheel,
        });
        h.hover_at(egui::pos2(300.0, 400.0));
        let t = Instant::now();
        h.step();
        frames.push(t.elapsed());
    }
    println!(
        "滚动本年列表时每帧：中位数 {:?}，最慢 {:?}（200 帧）",
        median(frames.clone()),
        frames.iter().max().unwrap()
    );
}
