//! What the benchmarks share: the large demo ledger they run on.
#![allow(dead_code)]

use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use dangwu::demo::{self, DemoOptions};
use dangwu::store::Db;

pub fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

pub fn data_file(today: NaiveDate) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    std::fs::create_dir_all(&dir).unwrap();
    // Named by schema version too: a file made by an older build lacks the newer records.
    let version = dangwu::store::schema::latest_version();
    let path = dir.join(format!("activities-v{version}-{today}.sqlite"));
    if !path.exists() {
        let started = Instant::now();
        let mut db = Db::open(&path).unwrap();
        let s = demo::fill(
            &mut db,
            &DemoOptions {
                years: 10,
                members: 2000,
                records: Some(100_000),
                today,
            },
        )
        .unwrap();
        println!(
            "造数：{} 条活动、{} 条出席记录、{} 名党员、{} 条党费记录，用时 {:?}",
            s.activities,
            s.attendance,
            s.members,
            s.dues,
            started.elapsed()
        );
    }
    path
}
