//! 党员 in depth on the large demo ledger (2,000 members, 10 years, about 220,000 dues rows):
//! the month's branch dues form (open and save), and the 发展党员 pipeline. Run with
//! `cargo bench --bench dues`. Prints timings; asserts nothing about them.

mod support;

use std::time::Instant;

use chrono::Datelike;
use dangwu::model::dues::Dues;
use dangwu::model::pipeline;
use dangwu::store::{Db, roll_day};
use dangwu::ui::{DangwuApp, Tab};
use egui_kittest::kittest::Queryable;

use support::{data_file, median};

fn main() {
    let today = chrono::Local::now().date_naive();
    let path = padded(&data_file(today), today);
    let mut db = Db::open(&path).unwrap();
    let rows: i64 = db_count(&path, "SELECT count(*) FROM dues");
    // The branch with the most members, last month (a month that is paid).
    let (year, month) = if today.month() == 1 {
        (today.year() - 1, 12)
    } else {
        (today.year(), today.month() - 1)
    };
    let day = roll_day(year, month, today);
    let org = db
        .orgs(day)
        .unwrap()
        .into_iter()
        .max_by_key(|s| s.members_on_rolls)
        .and_then(|s| s.org.id)
        .unwrap();

    // What the form reads when it opens: the roll, the month's rows, each member's last basis.
    let mut runs = Vec::new();
    let mut roll = Vec::new();
    for _ in 0..21 {
        let started = Instant::now();
        roll = db.roll_at(org, day).unwrap();
        let paid = db.dues_of_month(org, year, month).unwrap();
        let ids: Vec<i64> = roll.iter().map(|(id, _)| *id).collect();
        let last = db.last_dues_basis(&ids, year, month).unwrap();
        runs.push(started.elapsed());
        assert!(paid.len() <= roll.len() + 5 && last.len() <= ids.len());
    }
    println!(
        "党费按月登记（{rows} 条党费记录，该支部 {} 人）读取：中位数 {:?}，最慢 {:?}（21 次）",
        roll.len(),
        median(runs.clone()),
        runs.iter().max().unwrap()
    );

    // Saving the month: every member of the roll, amounts changed each time so it writes.
    let mut saves = Vec::new();
    for i in 0..21 {
        let rows: Vec<Dues> = roll
            .iter()
            .map(|(id, _)| Dues {
                member_id: *id,
                org_id: org,
                year,
                month,
                basis: dangwu::model::dues::Basis::InService,
                base_fen: Some(500_000 + i),
                amount_fen: 5000 + i,
            })
            .collect();
        let started = Instant::now();
        db.save_dues_month(org, year, month, &rows).unwrap();
        saves.push(started.elapsed());
    }
    println!(
        "党费按月登记保存（{} 人，一个事务）：中位数 {:?}，最慢 {:?}（21 次）",
        roll.len(),
        median(saves.clone()),
        saves.iter().max().unwrap()
    );

    // The pipeline: reading the roster and its transfers, then everyone's standing.
    let started = Instant::now();
    let members = db.members().unwrap();
    let transfers = db.transfers_by_member().unwrap();
    let read = started.elapsed();
    let mut runs = Vec::new();
    let mut n = 0;
    for _ in 0..21 {
        let started = Instant::now();
        n = pipeline::everyone(&members, &transfers, today).len();
        runs.push(started.elapsed());
    }
    println!(
        "发展党员：读取名册与转接 {read:?}；计算 {n} 人的阶段与到期 中位数 {:?}（{} 名党员）",
        median(runs),
        members.len()
    );

    // The window: the 党员 tab open, then the 发展党员 and 党费 views, first frame each.
    let mut app = DangwuApp::new(Ok(db), Some(path.clone()), today);
    app.set_tab(Tab::Members);
    let mut h = support::window(app);
    h.run();
    for view in ["发展党员", "党费"] {
        h.get_by_label(view).click();
        let started = Instant::now();
        h.step();
        h.step();
        let first = started.elapsed();
        let mut idle = Vec::new();
        for _ in 0..50 {
            let started = Instant::now();
            h.step();
            idle.push(started.elapsed());
        }
        println!(
            "打开“{view}”（点击后两帧，含读取）：{first:?}；之后每帧中位数 {:?}",
            median(idle)
        );
    }
}

/// A copy of the demo ledger with a dues row for every member and month of its ten years
/// (2,000 × 120 = 240,000 rows, the figure the issue names); the demo pays only while on the rolls.
fn padded(demo: &std::path::Path, today: chrono::NaiveDate) -> std::path::PathBuf {
    let path = demo.with_file_name(format!(
        "dues-{}",
        demo.file_name().unwrap().to_string_lossy()
    ));
    if !path.exists() {
        std::fs::copy(demo, &path).unwrap();
        let first = format!("{}-01-01", today.year() - 9);
        rusqlite::Connection::open(&path)
            .unwrap()
            .execute(
                "WITH RECURSIVE k(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM k WHERE n < 119)
                 INSERT OR IGNORE INTO dues (member_id, org_id, month, basis, base_fen, amount_fen)
                 SELECT m.id, m.org_id, substr(date(?1, '+' || k.n || ' months'), 1, 7), '在职', 600000, 9000
                 FROM member m, k",
                [first],
            )
            .unwrap();
    }
    path
}

fn db_count(path: &std::path::Path, sql: &str) -> i64 {
    rusqlite::Connection::open(path)
        .unwrap()
        .query_row(sql, [], |r| r.get(0))
        .unwrap()
}
