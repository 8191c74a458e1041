//! Excel in and out at a bureau's full size: 2,000 members and 20,000 activities (with about
//! 400,000 attendance names) over ten years, with their dues, events, talks and items. Run with
//! `cargo bench --bench workbook`. Prints timings and the import's peak memory (the import runs
//! in a child process of its own, so the export's memory is not counted); asserts nothing.

mod support;

use std::time::Instant;

use dangwu::demo::{self, DemoOptions};
use dangwu::store::Db;
use dangwu::workbook::{self, export, import};

/// Peak resident memory of this process so far (Linux), in MB.
fn peak_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let [_, flag, file, target] = args.as_slice()
        && flag == "--import-child"
    {
        import_child(file.as_ref(), target.as_ref());
        return;
    }
    let today = chrono::Local::now().date_naive();
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    std::fs::create_dir_all(&dir).unwrap();
    let version = dangwu::store::schema::latest_version();
    let source = dir.join(format!("workbook-20k-v{version}-{today}.sqlite"));
    if !source.exists() {
        let mut db = Db::open(&source).unwrap();
        demo::fill(
            &mut db,
            &DemoOptions {
                years: 10,
                members: 2000,
                records: Some(20_000),
                today,
            },
        )
        .unwrap();
    }
    let db = Db::open(&source).unwrap();
    let file = dir.join("workbook-export.xlsx");
    let mut runs = Vec::new();
    let mut summary = Vec::new();
    for _ in 0..3 {
        let started = Instant::now();
        summary = export::export(&db, &file, None, today).unwrap();
        runs.push(started.elapsed());
    }
    let rows: Vec<String> = summary.iter().map(|(s, n)| format!("{s} {n}")).collect();
    println!(
        "导出（{}）：中位数 {:?}（3 次）",
        rows.join("，"),
        support::median(runs)
    );
    let names: usize = db
        .activities_full(None)
        .unwrap()
        .iter()
        .map(|a| a.attendance.len())
        .sum();
    println!(
        "  其中出席名单 {names} 人次；文件 {} KB",
        std::fs::metadata(&file).unwrap().len() / 1024
    );
    drop(db);

    let target = dir.join("workbook-import.sqlite");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", target.display()));
    }
    let status = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--import-child",
            file.to_str().unwrap(),
            target.to_str().unwrap(),
        ])
        .status()
        .unwrap();
    assert!(status.success());
}

/// The import, alone in its process: into an empty file, then the same workbook again.
fn import_child(file: &std::path::Path, target: &std::path::Path) {
    let today = chrono::Local::now().date_naive();
    let mut empty = Db::open(target).unwrap();
    let started = Instant::now();
    let tables = workbook::read(file).unwrap();
    let read = started.elapsed();
    let report = import::import(&mut empty, &tables, false, today);
    let total = started.elapsed();
    assert!(
        report.errors.is_empty(),
        "{:?}",
        &report.errors[..report.errors.len().min(3)]
    );
    println!(
        "导入到空白文件：读取工作簿 {read:?}，共 {total:?}；进程内存峰值 {:.0} MB",
        peak_mb().unwrap_or(0.0)
    );
    println!("{}", report.summary());
    // The content the issue names on its own: organisations, members, activities with attendance.
    let named: Vec<workbook::Table> = tables
        .iter()
        .filter(|t| ["支部", "党员", "活动"].contains(&t.name.as_str()))
        .cloned()
        .collect();
    let other = target.with_file_name("workbook-import-named.sqlite");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", other.display()));
    }
    let mut fresh = Db::open(&other).unwrap();
    let started = Instant::now();
    let named_report = import::import(&mut fresh, &named, false, today);
    assert!(named_report.errors.is_empty());
    println!(
        "只导入支部、党员、活动三张表（已读入的表格）：{:?}；加上读取整个工作簿的 {read:?}",
        started.elapsed()
    );
    let started = Instant::now();
    let again = import::import(&mut empty, &tables, false, today);
    println!(
        "再次导入同一工作簿（全部未变）：{:?}，新增 {}",
        started.elapsed(),
        again.sheets.iter().map(|s| s.added).sum::<usize>()
    );
}
