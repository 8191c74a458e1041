//! Backup and restore at a bureau's full size: the 100,000-record demo ledger (about 2,000,000
//! attendance rows, 75 MB). Run with `cargo bench --bench backup`. Prints the timings of a checked
//! backup (备份到…: copy, integrity check, counts) and of a restore into a live file (keeping the
//! current data first); asserts nothing about them.

mod support;

use std::time::Instant;

use dangwu::store::{Db, backup};

use support::{data_file, median};

fn main() {
    let today = chrono::Local::now().date_naive();
    let source = data_file(today);
    println!(
        "数据文件 {:.0} MB",
        std::fs::metadata(&source).unwrap().len() as f64 / 1048576.0
    );
    let work = tempfile::tempdir().unwrap();
    let live = work.path().join("台账.sqlite");
    std::fs::copy(&source, &live).unwrap();
    drop(Db::open(&live).unwrap());

    let mut runs = Vec::new();
    let mut summary = None;
    for i in 0..3 {
        let dest = work.path().join(format!("备份{i}.sqlite"));
        let started = Instant::now();
        summary = Some(backup::copy_file(&live, &dest).unwrap());
        runs.push(started.elapsed());
    }
    println!(
        "备份到（写出并核对）：中位数 {:?}（3 次）；{}",
        median(runs),
        summary.unwrap().describe()
    );

    let mut runs = Vec::new();
    for i in 0..3 {
        let mut db = Db::open(&live).unwrap();
        let started = Instant::now();
        db.restore_from(&work.path().join(format!("备份{i}.sqlite")))
            .unwrap();
        runs.push(started.elapsed());
        // The 恢复前 copies pile up; they are not what is timed.
        for e in std::fs::read_dir(backup::backups_dir(&live)).unwrap() {
            let _ = std::fs::remove_file(e.unwrap().path());
        }
    }
    println!(
        "恢复备份（含先另存当前数据）：中位数 {:?}（3 次）",
        median(runs)
    );
}
