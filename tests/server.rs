//! The ledger on a PostgreSQL-compatible server, against a real PostgreSQL (a throwaway cluster,
//! tests/common/pg.rs): the same figures as the file, moving up and back, several PCs at once,
//! and access by organisation enforced by the server.

mod common;

use common::pg::cluster;
use dangwu::demo::{DemoOptions, fill};
use dangwu::store::Db;
use dangwu::store::server::Address;

fn today() -> chrono::NaiveDate {
    common::d(2026, 11, 30)
}

fn demo_file(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("demo.sqlite");
    let mut db = Db::open(&path).unwrap();
    fill(
        &mut db,
        &DemoOptions {
            years: 2,
            members: 80,
            records: None,
            talks: None,
            items: None,
            today: today(),
        },
    )
    .unwrap();
    path
}

fn connect(url: &str) -> Db {
    let a = Address::parse(url).unwrap();
    Db::connect(&a, a.known_password().as_deref()).unwrap()
}

/// A server ledger holding the demo bureau, copied from a file.
fn demo_on_server(dir: &std::path::Path, name: &str) -> (std::path::PathBuf, String) {
    let file = demo_file(dir);
    let c = cluster();
    let url = c.admin_url(&c.database(name));
    let a = Address::parse(&url).unwrap();
    let source = Db::open_for_reading(&file).unwrap();
    source
        .copy_to_server(&a, a.known_password().as_deref())
        .unwrap();
    (file, url)
}

fn tally_json(db: &Db, year: i32, org: Option<&str>) -> String {
    let scope = dangwu::tally::resolve_scope(db, year, None, org, today()).unwrap();
    serde_json::to_string_pretty(&dangwu::tally::compute(db, &scope).unwrap()).unwrap()
}

#[test]
fn the_tally_is_the_same_on_the_file_and_on_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let (file, url) = demo_on_server(dir.path(), "same");
    let file = Db::open_for_reading(&file).unwrap();
    let server = connect(&url);
    for year in [2025, 2026] {
        assert_eq!(
            tally_json(&file, year, None),
            tally_json(&server, year, None),
            "{year}"
        );
    }
    let branch = file.orgs(today()).unwrap()[1].org.name.clone();
    assert_eq!(
        tally_json(&file, 2026, Some(&branch)),
        tally_json(&server, 2026, Some(&branch))
    );
}
