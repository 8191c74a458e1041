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

/// The demo bureau the server tests use: 80 members, two years.
fn demo_options() -> DemoOptions {
    DemoOptions {
        years: 2,
        members: 80,
        records: None,
        talks: None,
        items: None,
        today: today(),
    }
}

fn demo_file(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("demo.sqlite");
    let mut db = Db::open(&path).unwrap();
    fill(&mut db, &demo_options()).unwrap();
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

#[test]
fn every_sheet_of_the_export_reads_the_same_from_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let (file, url) = demo_on_server(dir.path(), "export");
    let from_file = dir.path().join("file.xlsx");
    let from_server = dir.path().join("server.xlsx");
    dangwu::workbook::export::export(
        &Db::open_for_reading(&file).unwrap(),
        &from_file,
        None,
        today(),
    )
    .unwrap();
    dangwu::workbook::export::export(&connect(&url), &from_server, None, today()).unwrap();
    let a = dangwu::workbook::read(&from_file).unwrap();
    let b = dangwu::workbook::read(&from_server).unwrap();
    assert_eq!(a.len(), b.len());
    for (a, b) in a.iter().zip(&b) {
        assert_eq!(format!("{a:?}"), format!("{b:?}"));
    }
    // And the lists the tabs show.
    let (file, server) = (Db::open_for_reading(&file).unwrap(), connect(&url));
    let all = dangwu::store::ActivityFilter::default();
    assert_eq!(
        format!("{:?}", file.activities(&all).unwrap()),
        format!("{:?}", server.activities(&all).unwrap())
    );
    assert_eq!(
        format!("{:?}", file.members().unwrap()),
        format!("{:?}", server.members().unwrap())
    );
    assert_eq!(
        format!("{:?}", file.talks(None).unwrap()),
        format!("{:?}", server.talks(None).unwrap())
    );
    assert_eq!(
        format!("{:?}", file.rectifications().unwrap()),
        format!("{:?}", server.rectifications().unwrap())
    );
}

#[test]
fn a_ledger_written_on_the_server_counts_as_the_same_ledger_in_a_file() {
    // Every write of the demo bureau (organisations, members, meetings with attendance, talks,
    // rectification items, transfers, dues, events) made through the server.
    let dir = tempfile::tempdir().unwrap();
    let file = demo_file(dir.path());
    let c = cluster();
    let url = c.admin_url(&c.database("written"));
    let mut server = connect(&url);
    fill(&mut server, &demo_options()).unwrap();
    let file = Db::open_for_reading(&file).unwrap();
    for year in [2025, 2026] {
        assert_eq!(
            tally_json(&file, year, None),
            tally_json(&server, year, None),
            "{year}"
        );
    }
    // A second connection sees it all, as another PC would.
    assert_eq!(
        tally_json(&connect(&url), 2026, None),
        tally_json(&file, 2026, None)
    );
}

#[test]
fn two_pcs_saving_one_member_the_second_is_told_and_nothing_is_lost() {
    let dir = tempfile::tempdir().unwrap();
    let (_, url) = demo_on_server(dir.path(), "twopcs");
    let mut pc1 = connect(&url);
    let mut pc2 = connect(&url);
    let loaded = pc1.members().unwrap()[0].clone();
    let id = loaded.id.unwrap();
    assert_eq!(
        pc2.member(id).unwrap(),
        loaded,
        "both PCs open the same form"
    );
    let mut first = loaded.clone();
    first.phone = "13900000001".into();
    pc1.save_member_as_loaded(&first, Some(&loaded)).unwrap();
    let mut second = loaded.clone();
    second.job = "另一台电脑改的职务".into();
    let refused = pc2
        .save_member_as_loaded(&second, Some(&loaded))
        .unwrap_err();
    assert!(refused.to_string().contains("此记录已被修改"), "{refused}");
    assert!(refused.to_string().contains("13900000001"), "{refused}");
    let now = connect(&url).member(id).unwrap();
    assert_eq!(now.phone, "13900000001");
    assert_eq!(now.job, loaded.job, "the refused save wrote nothing");
    // The history says which login saved (every PC may have the same Windows user).
    let history = connect(&url).history("member", &loaded.uid).unwrap();
    assert!(
        history
            .iter()
            .any(|e| e.actor.starts_with(&format!("{}（", common::pg::ADMIN))),
        "{:?}",
        history.iter().map(|e| &e.actor).collect::<Vec<_>>()
    );
}

#[test]
fn a_branch_login_reads_and_writes_only_its_branch() {
    let dir = tempfile::tempdir().unwrap();
    let (file, url) = demo_on_server(dir.path(), "branch");
    let file = Db::open_for_reading(&file).unwrap();
    let c = cluster();
    let admin = connect(&url);
    let orgs = admin.orgs(today()).unwrap();
    let ours = orgs
        .iter()
        .find(|o| o.org.kind == dangwu::model::org::OrgKind::Branch)
        .unwrap()
        .org
        .clone();
    let other = orgs
        .iter()
        .find(|o| o.org.kind == dangwu::model::org::OrgKind::Branch && o.org.id != ours.id)
        .unwrap()
        .org
        .clone();
    admin.grant("zhibu", ours.id, Some("支部-密码")).unwrap();
    let db_name = url.rsplit('/').next().unwrap();
    let mut branch = connect(&c.url("zhibu", "支部-密码", db_name));

    // Reads: its members, meetings and talks, nobody else's.
    let members = branch.members().unwrap();
    assert!(!members.is_empty());
    assert!(members.iter().all(|m| m.org_id == ours.id.unwrap()));
    let all_members = file.members().unwrap();
    assert_eq!(
        members.len(),
        all_members
            .iter()
            .filter(|m| m.org_id == ours.id.unwrap())
            .count()
    );
    let activities = branch
        .activities(&dangwu::store::ActivityFilter::default())
        .unwrap();
    assert!(!activities.is_empty());
    assert!(
        activities.iter().all(|a| a.org_id == ours.id.unwrap()),
        "meetings"
    );
    assert!(
        branch
            .talks(None)
            .unwrap()
            .iter()
            .all(|t| t.org_id == ours.id)
    );
    assert!(
        branch.talks(None).unwrap().len() < file.talks(None).unwrap().len(),
        "talks of other organisations are not read"
    );
    // Its tally is its branch's, as the file counts that branch.
    assert_eq!(branch.limited_to(), ours.id);
    assert_eq!(
        tally_json(&branch, 2026, None),
        tally_json(&file, 2026, Some(&ours.name))
    );
    let theirs = all_members
        .iter()
        .find(|m| m.org_id == other.id.unwrap())
        .unwrap();
    assert!(
        branch.member(theirs.id.unwrap()).is_err(),
        "another branch's member"
    );

    // Writes: into its own branch yes, into another no — refused by the server, nothing written.
    let mut newcomer = theirs.clone();
    newcomer.id = None;
    newcomer.uid = String::new();
    newcomer.id_number = String::new();
    newcomer.name = "新党员".into();
    let e = branch.save_member(&newcomer).unwrap_err();
    assert!(e.to_string().contains("没有权限"), "{e}");
    newcomer.org_id = ours.id.unwrap();
    branch.save_member(&newcomer).unwrap();
    let mut moved = members[0].clone();
    moved.org_id = other.id.unwrap();
    let e = branch.save_member(&moved).unwrap_err();
    assert!(e.to_string().contains("没有权限"), "{e}");
    assert_eq!(
        admin.member(moved.id.unwrap()).unwrap().org_id,
        ours.id.unwrap(),
        "the member stayed in the branch"
    );
    // A meeting of another branch is refused too; of its own, saved.
    let types: Vec<i64> = branch
        .activity_types()
        .unwrap()
        .iter()
        .filter_map(|t| t.id)
        .take(1)
        .collect();
    let meeting = common::activity(other.id.unwrap(), today(), types.clone(), "支部书记讲党课");
    let e = branch.save_activity(&meeting).unwrap_err();
    assert!(e.to_string().contains("没有权限"), "{e}");
    let held_before = admin
        .activities(&dangwu::store::ActivityFilter::default())
        .unwrap()
        .len();
    branch
        .save_activity(&common::activity(
            ours.id.unwrap(),
            today(),
            types,
            "支部书记讲党课",
        ))
        .unwrap();
    assert_eq!(
        admin
            .activities(&dangwu::store::ActivityFilter::default())
            .unwrap()
            .len(),
        held_before + 1,
        "only its own meeting was written"
    );
    // A backup would be a partial ledger: refused, nothing written.
    let partial = dir.path().join("支部备份.sqlite");
    let e = branch.backup_to(&partial).unwrap_err();
    assert!(e.to_string().contains("不能备份整份台账"), "{e}");
    assert!(!partial.exists());
    // Not the UI: the server itself refuses, whatever program asks.
    let out = std::process::Command::new("psql")
        .env("PGPASSWORD", "支部-密码")
        .args([
            "-h",
            "127.0.0.1",
            "-p",
            &c.port.to_string(),
            "-U",
            "zhibu",
            "-d",
            db_name,
        ])
        .args([
            "-At",
            "-c",
            &format!(
                "SELECT count(*) FROM member WHERE org_id = {}",
                other.id.unwrap()
            ),
        ])
        .output();
    if let Ok(out) = out {
        assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "0");
    }
}

#[test]
fn a_backup_of_the_server_restores_into_a_file_and_goes_back_up() {
    let dir = tempfile::tempdir().unwrap();
    let (file, url) = demo_on_server(dir.path(), "backup");
    let server = connect(&url);
    let backup = dir.path().join("服务器备份.sqlite");
    let summary = server.backup_to(&backup).unwrap();
    assert!(
        summary.describe().contains("党员"),
        "{}",
        summary.describe()
    );
    let restored = Db::open_for_reading(&backup).unwrap();
    let original = Db::open_for_reading(&file).unwrap();
    assert_eq!(
        tally_json(&restored, 2026, None),
        tally_json(&original, 2026, None)
    );
    // uids kept both ways.
    let uids = |db: &Db| {
        db.members()
            .unwrap()
            .into_iter()
            .map(|m| m.uid)
            .collect::<Vec<_>>()
    };
    assert_eq!(uids(&restored), uids(&original));

    let c = cluster();
    let again = Address::parse(&c.admin_url(&c.database("again"))).unwrap();
    restored
        .copy_to_server(&again, again.known_password().as_deref())
        .unwrap();
    let back = Db::connect(&again, again.known_password().as_deref()).unwrap();
    assert_eq!(
        tally_json(&back, 2026, None),
        tally_json(&original, 2026, None)
    );
    // New records get new ids past the copied ones.
    let mut m = back.members().unwrap()[0].clone();
    m.id = None;
    m.uid = String::new();
    m.id_number = String::new();
    let mut back = back;
    let id = back.save_member(&m).unwrap();
    assert!(
        id > original
            .members()
            .unwrap()
            .iter()
            .filter_map(|m| m.id)
            .max()
            .unwrap()
    );
}

#[test]
fn copying_onto_a_database_that_is_not_empty_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (file, url) = demo_on_server(dir.path(), "twice");
    let a = Address::parse(&url).unwrap();
    let e = Db::open_for_reading(&file)
        .unwrap()
        .copy_to_server(&a, a.known_password().as_deref())
        .unwrap_err();
    assert!(e.contains("不是空的"), "{e}");
}

/// The command line against the server, as the README shows it.
fn dangwu(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_dangwu"))
        .args(args)
        .env("PGPASSFILE", "/nonexistent")
        .output()
        .unwrap()
}

#[test]
fn the_commands_work_on_the_server_and_a_reading_command_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = demo_file(dir.path());
    let c = cluster();
    let url = c.admin_url(&c.database("cli"));
    let copied = dangwu(&["copy", "--from", file.to_str().unwrap(), "--to", &url]);
    assert!(
        copied.status.success(),
        "{}",
        String::from_utf8_lossy(&copied.stderr)
    );
    assert!(String::from_utf8_lossy(&copied.stdout).contains("已把"));
    let tally = |db: &str| {
        let out = dangwu(&["--db", db, "tally", "--year", "2025", "--format", "json"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    assert_eq!(tally(&url), tally(file.to_str().unwrap()));

    // A reading command on an empty database says so and makes no table there.
    let empty = c.database("empty");
    let out = dangwu(&["--db", &c.admin_url(&empty), "tally", "--year", "2025"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("还没有台账"));
    assert_eq!(
        c.psql(
            &empty,
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ),
        "0"
    );
    // A wrong password is said plainly, without the password.
    let wrong = c.url(common::pg::ADMIN, "wrong-password", &empty);
    let out = dangwu(&["--db", &wrong, "tally", "--year", "2025"]);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("用户名或密码不正确"), "{said}");
    assert!(!said.contains("wrong-password"));
}

#[test]
fn two_pcs_saving_one_member_at_the_same_moment_one_is_refused() {
    // Both read the member in their save's transaction before either writes: the guard's
    // comparison cannot tell, the server's isolation does.
    let dir = tempfile::tempdir().unwrap();
    let (_, url) = demo_on_server(dir.path(), "samemoment");
    let loaded = connect(&url).members().unwrap()[0].clone();
    let id = loaded.id.unwrap();
    let both_read = std::sync::Arc::new(std::sync::Barrier::new(2));
    let save = |phone: &'static str| {
        let (url, loaded, both_read) = (url.clone(), loaded.clone(), both_read.clone());
        std::thread::spawn(move || {
            let mut db = connect(&url);
            db.batch(|db| {
                db.member(id)?;
                both_read.wait();
                let mut m = loaded.clone();
                m.phone = phone.into();
                db.save_member_as_loaded(&m, Some(&loaded))
            })
            .map_err(|e| e.to_string())
        })
    };
    let (a, b) = (save("13900000001"), save("13900000002"));
    let results = [a.join().unwrap(), b.join().unwrap()];
    let saved: Vec<_> = results.iter().filter(|r| r.is_ok()).collect();
    assert_eq!(saved.len(), 1, "{results:?}");
    let refused = results.iter().find_map(|r| r.as_ref().err()).unwrap();
    assert!(refused.contains("此记录已被修改"), "{refused}");
    let now = connect(&url).member(id).unwrap().phone;
    assert!(now == "13900000001" || now == "13900000002");
}

#[test]
fn the_window_connects_to_the_server_from_the_file_menu() {
    use dangwu::ui::{DangwuApp, fonts};
    use egui::accesskit::Role;
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;

    let dir = tempfile::tempdir().unwrap();
    let (_, url) = demo_on_server(dir.path(), "window");
    let address = Address::parse(&url).unwrap();
    let (db, _) = common::db_with_branch();
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_context_setup(|ctx| {
            fonts::install(ctx, fonts::embedded());
            fonts::install_style(ctx);
        })
        .build_ui_state(
            |ui, app: &mut DangwuApp| app.show(ui),
            DangwuApp::new(Ok(db), None, today()),
        );
    let type_into = |h: &mut Harness<'_, DangwuApp>, label: &str, text: &str| {
        let role = if label == "密码" {
            Role::PasswordInput
        } else {
            Role::TextInput
        };
        h.get_by_role_and_label(role, label).click();
        h.run();
        h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
        h.run();
        h.get_by_role_and_label(role, label).type_text(text);
        h.run();
    };
    h.get_by_label("文件").click();
    h.run();
    h.get_by_label("连接单位服务器…").click();
    h.run();
    type_into(&mut h, "服务器地址", &address.host);
    type_into(&mut h, "端口", &address.port.to_string());
    type_into(&mut h, "数据库", &address.dbname);
    type_into(&mut h, "用户名", &address.user);
    type_into(&mut h, "密码", "不对的密码");
    h.get_by_role_and_label(Role::Button, "连接").click();
    h.step();
    assert_eq!(h.state().busy(), Some("正在连接服务器"));
    let ctx = h.ctx.clone();
    h.state_mut().finish_work(&ctx);
    h.run();
    assert!(
        h.query_by_label_contains("用户名或密码不正确").is_some(),
        "said at the form"
    );
    assert!(
        h.state().db().unwrap().server().is_none(),
        "still on the file"
    );

    type_into(&mut h, "密码", common::pg::ADMIN_PASSWORD);
    h.get_by_role_and_label(Role::Button, "连接").click();
    h.step();
    h.state_mut().finish_work(&ctx);
    h.run();
    assert_eq!(
        h.state().db().unwrap().server().map(|a| a.to_string()),
        Some(address.to_string())
    );
    assert!(
        h.query_by_label(&format!("单位服务器：{address}"))
            .is_some(),
        "the status bar names the server"
    );
    let someone = connect(&url).members().unwrap()[0].name.clone();
    assert!(
        h.query_by_label_contains(&someone).is_some(),
        "the roster is the server's"
    );
    assert!(
        h.query_by_label("连接单位服务器").is_none(),
        "the dialog closed"
    );
}

#[test]
fn the_connection_is_encrypted_where_the_server_offers_it_as_psql_would() {
    let c = cluster();
    let db = c.database("tls");
    let with = |query: &str| format!("{}?{query}", c.admin_url(&db));
    // The default (prefer) and require: encrypted.
    assert_eq!(connect(&c.admin_url(&db)).encrypted(), Some(true));
    assert_eq!(connect(&with("sslmode=require")).encrypted(), Some(true));
    assert_eq!(connect(&with("sslmode=disable")).encrypted(), Some(false));
    // verify-full: the server's certificate checked against the bureau's own root, name included.
    let root = c.certificate();
    let checked = with(&format!(
        "sslmode=verify-full&sslrootcert={}",
        root.display()
    ));
    assert_eq!(connect(&checked).encrypted(), Some(true));
    let chain = with(&format!("sslmode=verify-ca&sslrootcert={}", root.display()));
    assert_eq!(connect(&chain).encrypted(), Some(true));
    let a = Address::parse(&with("sslmode=verify-ca")).unwrap();
    assert!(
        Db::connect(&a, a.known_password().as_deref()).is_err(),
        "verify-ca without the root"
    );
    // Without that root the self-signed certificate is refused, and said so.
    let a = Address::parse(&with("sslmode=verify-full")).unwrap();
    let refused = Db::connect(&a, a.known_password().as_deref())
        .err()
        .unwrap()
        .to_string();
    assert!(refused.contains("无法连接服务器"), "{refused}");
}

#[test]
fn a_workbook_imports_into_the_server_as_into_a_file() {
    // The demo bureau exported as staff would keep it, imported into a new file and into a new
    // server ledger: the same report, the same figures; imported again, nothing new either side.
    let dir = tempfile::tempdir().unwrap();
    let source = Db::open_for_reading(&demo_file(dir.path())).unwrap();
    let book = dir.path().join("台账.xlsx");
    dangwu::workbook::export::export(&source, &book, None, today()).unwrap();
    let c = cluster();
    let mut server = connect(&c.admin_url(&c.database("import")));
    let mut file = Db::open(&dir.path().join("导入.sqlite")).unwrap();
    let options = dangwu::workbook::import::Options::default();
    for round in 0..2 {
        let mut summaries = Vec::new();
        for db in [&mut file, &mut server] {
            let book = dangwu::workbook::Book::open(&book).unwrap();
            let report = dangwu::workbook::import::import_with(db, book, &options, today());
            assert!(report.errors.is_empty(), "{:?}", report.errors);
            assert!(report.failure.is_none(), "{:?}", report.failure);
            summaries.push(report.summary());
        }
        assert_eq!(summaries[0], summaries[1], "round {round}");
    }
    assert_eq!(
        tally_json(&file, 2026, None),
        tally_json(&server, 2026, None)
    );
    assert_eq!(
        tally_json(&server, 2025, None),
        tally_json(&source, 2025, None)
    );
}

#[test]
fn a_server_that_cannot_be_reached_is_said_so_and_offers_to_connect_again() {
    use dangwu::ui::{DangwuApp, fonts};
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;

    // A port that takes the connection and never answers, as a server that hangs would.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = silent.local_addr().unwrap().port();
    let address = Address::parse(&format!("postgres://zhibu:pw@127.0.0.1:{port}/dangwu")).unwrap();
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_context_setup(|ctx| {
            fonts::install(ctx, fonts::embedded());
            fonts::install_style(ctx);
        })
        .build_ui_state(
            |ui, app: &mut DangwuApp| app.show(ui),
            DangwuApp::connect(address.clone(), today()),
        );
    // The window opens at once and connects on the worker.
    h.step();
    assert_eq!(h.state().busy(), Some("正在连接服务器"));
    assert_eq!(
        h.query_all_by_label("正在连接服务器…").count(),
        2,
        "the page and the status bar say so"
    );
    // It goes away: the connection ends, and the window says so.
    drop(silent);
    let ctx = h.ctx.clone();
    h.state_mut().finish_work(&ctx);
    h.run();
    assert!(h.query_by_label("无法连接单位服务器").is_some());
    assert!(h.query_by_label_contains("无法连接服务器").is_some());
    assert!(
        h.query_by_label(&format!("单位服务器：{address}（未连接）"))
            .is_some()
    );
    h.get_by_label("重新连接…").click();
    h.run();
    assert!(
        h.query_by_label("连接单位服务器").is_some(),
        "the dialog, filled in"
    );
}

#[test]
fn an_older_ledger_on_the_server_is_migrated_on_connecting_and_refused_by_a_reading_command() {
    // The last migration undone by hand, as a ledger made by the version before would be.
    let dir = tempfile::tempdir().unwrap();
    let (file, url) = demo_on_server(dir.path(), "older");
    let c = cluster();
    let db_name = url.rsplit('/').next().unwrap();
    let last = dangwu::store::schema::latest_version();
    c.psql(
        db_name,
        &format!(
            "ALTER TABLE org DROP COLUMN position; \
             UPDATE dangwu_meta SET value = '{}' WHERE key = 'schema_version'",
            last - 1
        ),
    );
    // A command that reads refuses it and writes nothing.
    let a = Address::parse(&url).unwrap();
    let e = Db::connect_for_reading(&a, a.known_password().as_deref())
        .err()
        .unwrap()
        .to_string();
    assert!(e.contains("旧版本"), "{e}");
    assert_eq!(
        c.psql(
            db_name,
            "SELECT value FROM dangwu_meta WHERE key = 'schema_version'"
        ),
        (last - 1).to_string()
    );
    // Connecting to write applies the migration, in the server's words.
    let server = connect(&url);
    assert_eq!(server.schema_version().unwrap(), last);
    assert_eq!(
        c.psql(
            db_name,
            "SELECT data_type FROM information_schema.columns WHERE table_name = 'org' AND column_name = 'position'"
        ),
        "bigint"
    );
    let file = Db::open_for_reading(&file).unwrap();
    assert_eq!(
        tally_json(&server, 2026, None),
        tally_json(&file, 2026, None)
    );
}

#[test]
fn a_window_started_on_a_server_that_wants_a_password_asks_for_it() {
    use dangwu::ui::{DangwuApp, fonts};
    use egui::accesskit::Role;
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;

    let c = cluster();
    let db = c.database("asks");
    // No password in the address (and none in PGPASSWORD or a pgpass file on the test machine).
    let address = Address::parse(&format!(
        "postgres://{}@127.0.0.1:{}/{db}",
        common::pg::ADMIN,
        c.port
    ))
    .unwrap();
    if address.known_password().is_some() {
        return; // this machine has a password for it: there is nothing to ask
    }
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_context_setup(|ctx| {
            fonts::install(ctx, fonts::embedded());
            fonts::install_style(ctx);
        })
        .build_ui_state(
            |ui, app: &mut DangwuApp| app.show(ui),
            DangwuApp::connect(address.clone(), today()),
        );
    h.step();
    let ctx = h.ctx.clone();
    h.state_mut().finish_work(&ctx);
    h.run();
    assert!(
        h.query_by_label("连接单位服务器").is_some(),
        "the dialog asks"
    );
    assert!(h.query_all_by_label_contains("要求输入密码").count() >= 1);
    h.get_by_role_and_label(Role::PasswordInput, "密码").click();
    h.run();
    h.get_by_role_and_label(Role::PasswordInput, "密码")
        .type_text(common::pg::ADMIN_PASSWORD);
    h.run();
    // Enter in the password field connects.
    h.key_press(egui::Key::Enter);
    h.step();
    h.state_mut().finish_work(&ctx);
    h.run();
    assert_eq!(
        h.state().db().unwrap().server().map(|a| a.to_string()),
        Some(address.to_string()),
        "connected with the password typed"
    );
}

#[test]
fn a_database_of_another_program_is_refused_untouched() {
    let c = cluster();
    let db = c.database("theirs");
    c.psql(
        &db,
        "CREATE TABLE payroll (id int); INSERT INTO payroll VALUES (1)",
    );
    let a = Address::parse(&c.admin_url(&db)).unwrap();
    let e = Db::connect(&a, a.known_password().as_deref())
        .err()
        .unwrap()
        .to_string();
    assert!(e.contains("其他程序的表"), "{e}");
    assert_eq!(
        c.psql(&db, "SELECT string_agg(table_name, ',') FROM information_schema.tables WHERE table_schema = 'public'"),
        "payroll"
    );
    // Nor is a copy put beside them.
    let dir = tempfile::tempdir().unwrap();
    let e = Db::open_for_reading(&demo_file(dir.path()))
        .unwrap()
        .copy_to_server(&a, a.known_password().as_deref())
        .unwrap_err();
    assert!(e.contains("不是空的"), "{e}");
}
