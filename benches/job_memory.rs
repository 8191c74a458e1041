//! What the window keeps after a long job (issue 23): its resident memory (VmRSS) before and
//! after printing the year's 统计 PDF with the system's fonts and exporting the whole workbook,
//! each run as the window runs it, on its worker thread (`ui::worker::Worker`). The demo bureau,
//! 300 members, in a file. Run with `cargo bench --bench job_memory` (Linux: reads /proc).
//! Prints the figures; asserts nothing about them.

use std::path::PathBuf;

use chrono::Datelike;
use dangwu::demo::{self, DemoOptions};
use dangwu::print::{self, PrintFonts, documents::from_store};
use dangwu::store::Db;
use dangwu::tally::Scope;
use dangwu::ui::worker::{JobResult, Worker};

fn rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn main() {
    let today = chrono::Local::now().date_naive();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("demo.sqlite");
    let mut db = Db::open(&data).unwrap();
    demo::fill(
        &mut db,
        &DemoOptions {
            years: 3,
            members: 300,
            records: None,
            talks: None,
            items: None,
            today,
        },
    )
    .unwrap();
    db.set_setting(dangwu::store::settings::UNIT_NAME, "某市民政局")
        .unwrap();
    let ctx = egui::Context::default();
    let mut worker = Worker::default();
    let scope = Scope::year(today.year() - 1, today);
    // The tally once, as the 统计 tab has it before 打印 is clicked.
    from_store::tally(&db, &scope, today).unwrap();

    let before = rss_mb();
    println!("开始：{before:.1} MB");
    for i in 1..=3 {
        let doc = from_store::tally(&db, &scope, today).unwrap();
        let path: PathBuf = dir.path().join(format!("统计-{i}.pdf"));
        worker
            .start("正在生成 PDF", &ctx, move || JobResult::Printed {
                result: print::write(&doc, &PrintFonts::system(), &path).map(|_| vec![path]),
            })
            .unwrap();
        let done = worker.wait();
        assert!(matches!(done, Some(JobResult::Printed { result: Ok(_) })));
        println!(
            "第{i}次打印统计 PDF（{}）之后：{:.1} MB（比开始 {:+.1} MB）",
            PrintFonts::system().body.name,
            rss_mb(),
            rss_mb() - before
        );
    }
    for i in 1..=2 {
        let (source, file) = (data.clone(), dir.path().join(format!("台账-{i}.xlsx")));
        worker
            .start("正在导出", &ctx, move || {
                let result = Db::open(&source)
                    .map_err(|e| e.to_string())
                    .and_then(|db| dangwu::workbook::export::export(&db, &file, None, today))
                    .map(|_| ());
                JobResult::Exported { file, result }
            })
            .unwrap();
        let done = worker.wait();
        assert!(matches!(
            done,
            Some(JobResult::Exported { result: Ok(_), .. })
        ));
        println!(
            "第{i}次导出整本工作簿之后：{:.1} MB（比开始 {:+.1} MB）",
            rss_mb(),
            rss_mb() - before
        );
    }
}
