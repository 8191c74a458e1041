//! The year-end tally on a server beside the same ledger in a file, in one run: the large demo
//! ledger of `benches/tally.rs` (10 years, 2,000 members, 100,000 activities, about 2,100,000
//! attendance rows) copied onto a throwaway PostgreSQL cluster on this machine
//! (tests/common/pg.rs), then `tally::compute` timed on both, 21 runs each, and the ratio printed.
//! Run with `cargo bench --bench server`. Prints timings; asserts nothing about them.

mod support;

#[path = "../tests/common/pg.rs"]
mod pg;

use std::time::Instant;

use chrono::Datelike;
use dangwu::store::Db;
use dangwu::store::server::Address;
use dangwu::tally::{self, Scope};

use support::{data_file, median};

fn main() {
    let today = chrono::Local::now().date_naive();
    let path = data_file(today);
    let file = Db::open_for_reading(&path).unwrap();
    let cluster = pg::cluster();
    let url = cluster.admin_url(&cluster.database("bench"));
    let address = Address::parse(&url).unwrap();
    let started = Instant::now();
    let copied = file
        .copy_to_server(&address, address.known_password().as_deref())
        .unwrap();
    println!(
        "复制到服务器：{} 行，用时 {:?}",
        copied.iter().map(|(_, n)| n).sum::<i64>(),
        started.elapsed()
    );
    cluster.psql(&address.dbname, "VACUUM ANALYZE");
    let plain = Address::parse(&format!("{url}?sslmode=disable")).unwrap();
    let servers = [
        (
            "服务器（TLS）",
            Db::connect(&address, address.known_password().as_deref()).unwrap(),
        ),
        (
            "服务器（不加密）",
            Db::connect(&plain, plain.known_password().as_deref()).unwrap(),
        ),
    ];
    for (what, scope) in [
        ("上一年全年", Scope::year(today.year() - 1, today)),
        ("本年截至今天", Scope::year(today.year(), today)),
    ] {
        let time = |db: &Db| {
            let mut runs = Vec::new();
            let mut json = String::new();
            for _ in 0..21 {
                let started = Instant::now();
                let t = tally::compute(db, &scope).unwrap();
                runs.push(started.elapsed());
                json = serde_json::to_string(&t).unwrap();
            }
            (median(runs), json)
        };
        let (on_file, file_json) = time(&file);
        println!("统计{what}：数据文件 中位数 {on_file:?}");
        for (name, db) in &servers {
            let (on_server, server_json) = time(db);
            println!(
                "统计{what}：{name} 中位数 {on_server:?}，为数据文件的 {:.2} 倍{}",
                on_server.as_secs_f64() / on_file.as_secs_f64(),
                if server_json == file_json {
                    ""
                } else {
                    "（结果不同！）"
                }
            );
        }
    }
}
