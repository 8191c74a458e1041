//! The year-end tally on the large demo ledger (`demo-data --years 10 --members 2000 --records
//! 100000`, about 2,100,000 attendance rows). Run with `cargo bench --bench tally`. Prints timings;
//! asserts nothing about them.
//!
//! It also writes the tally's SQL, with its parameters filled in, beside the data file, so the same
//! statements can be timed in the sqlite3 command-line tool against `dangwu tally` (both as whole
//! processes; the file names are printed at the end).

mod support;

use std::time::Instant;

use chrono::Datelike;
use dangwu::store::{Db, tally as store_tally};
use dangwu::tally::{self, Scope};
use dangwu::ui::{DangwuApp, Tab};
use egui_kittest::kittest::Queryable;

use support::{data_file, median};

fn main() {
    let today = chrono::Local::now().date_naive();
    let path = data_file(today);
    let db = Db::open(&path).unwrap();
    let last_year = today.year() - 1;

    for (what, scope) in [
        ("上一年全年", Scope::year(last_year, today)),
        ("本年截至今天", Scope::year(today.year(), today)),
    ] {
        let mut runs = Vec::new();
        let mut t = None;
        for _ in 0..21 {
            let started = Instant::now();
            t = Some(tally::compute(&db, &scope).unwrap());
            runs.push(started.elapsed());
        }
        let t = t.unwrap();
        println!(
            "统计{what}（{} 条活动，{} 名在册党员）：中位数 {:?}，最快 {:?}，最慢 {:?}（21 次）",
            t.activities_total,
            t.members.on_rolls,
            median(runs.clone()),
            runs.iter().min().unwrap(),
            runs.iter().max().unwrap()
        );
    }

    for (what, f) in [
        (
            "members()",
            &(|db: &Db| db.members().map(|_| ())) as &dyn Fn(&Db) -> dangwu::store::Result<()>,
        ),
        ("activity_years()", &|db: &Db| {
            db.activity_years().map(|_| ())
        }),
        ("last_activity_dates()", &|db: &Db| {
            db.last_activity_dates().map(|_| ())
        }),
        ("rectifications()", &|db: &Db| {
            db.rectifications().map(|_| ())
        }),
        ("orgs()", &|db: &Db| db.orgs(today).map(|_| ())),
    ] {
        let started = Instant::now();
        f(&db).unwrap();
        println!("  {what}: {:?}", started.elapsed());
    }
    let scope = Scope::year(last_year, today);
    let script = store_tally::script(scope.first_day(), scope.as_of, None);
    let sql_path = path.with_file_name(format!("tally-{last_year}.sql"));
    std::fs::write(&sql_path, script).unwrap();

    let mut app = DangwuApp::new(Ok(db), Some(path.clone()), today);
    app.set_tab(Tab::Orgs);
    let mut h = support::window(app);
    h.run();
    h.state_mut().set_tab(Tab::Stats);
    let started = Instant::now();
    h.step();
    println!(
        "打开统计页（首帧：统计本年、待办、排版）：{:?}",
        started.elapsed()
    );
    for _ in 0..5 {
        h.step();
    }
    for view in ["概览", "各组织开展情况", "落实情况"] {
        h.get_by_label(view).click();
        h.run();
        let mut idle = Vec::new();
        for _ in 0..100 {
            let started = Instant::now();
            h.step();
            idle.push(started.elapsed());
        }
        let mut scrolling = Vec::new();
        for i in 0..100 {
            let delta = if i < 50 { -240.0 } else { 240.0 };
            h.event(egui::Event::MouseWheel {
                unit: egui::MouseWheelUnit::Point,
                delta: egui::vec2(0.0, delta),
                modifiers: egui::Modifiers::NONE,
                phase: egui::TouchPhase::Move,
                source: egui::MouseWheelSource::Wheel,
            });
            h.hover_at(egui::pos2(640.0, 500.0));
            let started = Instant::now();
            h.step();
            scrolling.push(started.elapsed());
        }
        println!(
            "统计页“{view}”每帧：静止时中位数 {:?}，最慢 {:?}；滚动时中位数 {:?}，最慢 {:?}（各 100 帧）",
            median(idle.clone()),
            idle.iter().max().unwrap(),
            median(scrolling.clone()),
            scrolling.iter().max().unwrap()
        );
    }
    println!(
        "同一 SQL 供 sqlite3 对照：sqlite3 {} \".read {}\"；dangwu --db {} tally --year {last_year} --format json",
        path.display(),
        sql_path.display(),
        path.display()
    );
}
