//! Excel in and out at a bureau's full size: `demo-data --years 10 --members 3000` (87
//! organisations, 23,750 activities with about 490,000 attendance names, 203,529 months of dues,
//! 16,331 commendations, visits and reviews). Run with `cargo bench --bench workbook`.
//!
//! The export and each import run in a child process of their own, so that each peak memory is
//! that job's alone; printed beside them is what SQLite alone takes to copy the same rows from one
//! file into another (`VACUUM INTO`), the floor of any import. Prints; asserts nothing.

mod support;

use std::path::Path;
use std::time::Instant;

use dangwu::demo::{self, DemoOptions};
use dangwu::store::Db;
use dangwu::workbook::{self, export, import};

/// Peak resident memory of this process so far (Linux), in MB.
fn peak_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            let line = s.lines().find(|l| l.starts_with("VmHWM:"))?.to_string();
            line.split_whitespace().nth(1)?.parse::<f64>().ok()
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn remove(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

fn child(args: &[&str]) {
    let status = std::process::Command::new(std::env::current_exe().unwrap())
        .args(args)
        .status()
        .unwrap();
    assert!(status.success());
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let today = chrono::Local::now().date_naive();
    match args.get(1).map(String::as_str) {
        Some("--export-child") => return export_child(args[2].as_ref(), args[3].as_ref(), today),
        Some("--import-child") => return import_child(args[2].as_ref(), args[3].as_ref(), today),
        _ => {}
    }
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    std::fs::create_dir_all(&dir).unwrap();
    let version = dangwu::store::schema::latest_version();
    let source = dir.join(format!("workbook-3000-v{version}-{today}.sqlite"));
    if !source.exists() {
        let mut db = Db::open(&source).unwrap();
        demo::fill(
            &mut db,
            &DemoOptions {
                years: 10,
                members: 3000,
                records: None,
                talks: None,
                items: None,
                today,
            },
        )
        .unwrap();
    }
    let file = dir.join("workbook-export.xlsx");
    let (s, f) = (source.to_str().unwrap(), file.to_str().unwrap());
    for _ in 0..3 {
        child(&["--export-child", s, f]);
    }
    println!(
        "  文件 {} KB",
        std::fs::metadata(&file).unwrap().len() / 1024
    );
    let target = dir.join("workbook-import.sqlite");
    let t = target.to_str().unwrap();
    for _ in 0..3 {
        remove(&target);
        child(&["--import-child", f, t]);
    }
    // The floor: SQLite copying the same ledger into a new file.
    let floor = dir.join("workbook-floor.sqlite");
    let mut runs = Vec::new();
    for _ in 0..3 {
        remove(&floor);
        let conn = rusqlite::Connection::open(&source).unwrap();
        let started = Instant::now();
        conn.execute("VACUUM INTO ?1", [floor.to_str().unwrap()])
            .unwrap();
        runs.push(started.elapsed());
    }
    println!(
        "对照：SQLite 把同一台账整个复制到新文件（VACUUM INTO）中位数 {:?}",
        support::median(runs)
    );
}

/// The export, alone in its process.
fn export_child(source: &Path, file: &Path, today: chrono::NaiveDate) {
    let db = Db::open_for_reading(source).unwrap();
    let started = Instant::now();
    let summary = export::export(&db, file, None, today).unwrap();
    let rows: Vec<String> = summary.iter().map(|(s, n)| format!("{s} {n}")).collect();
    println!(
        "导出（{}）：{:?}，进程内存峰值 {:.0} MB",
        rows.join("，"),
        started.elapsed(),
        peak_mb()
    );
}

/// The import into an empty file, alone in its process; then the same workbook again (nothing
/// changes, nothing is written) and the audit rows it left.
fn import_child(file: &Path, target: &Path, today: chrono::NaiveDate) {
    let mut empty = Db::open(target).unwrap();
    let started = Instant::now();
    let report = import::import(
        &mut empty,
        workbook::Book::open(file).unwrap(),
        false,
        today,
    );
    let total = started.elapsed();
    assert!(
        report.is_clean(),
        "{:?}",
        &report.errors[..report.errors.len().min(3)]
    );
    let records: usize = report.sheets.iter().map(|s| s.added + s.updated).sum();
    println!(
        "导入到空白文件：{total:?}（含读取工作簿），进程内存峰值 {:.0} MB；写入 {records} 条记录，审计 {} 行",
        peak_mb(),
        empty.history_count().unwrap()
    );
    let started = Instant::now();
    let again = import::import(
        &mut empty,
        workbook::Book::open(file).unwrap(),
        false,
        today,
    );
    println!(
        "  再次导入同一工作簿（全部未变）：{:?}，新增 {}，更新 {}",
        started.elapsed(),
        again.sheets.iter().map(|s| s.added).sum::<usize>(),
        again.sheets.iter().map(|s| s.updated).sum::<usize>()
    );
}
