//! The printed documents: text taken back out of each PDF as a reader would see it, tables over
//! pages with their header repeated, page numbers, fonts subset, and 打印 from the 统计 tab.

mod common;

use common::{d, db_with_branch, member};
use dangwu::model::activity::{Activity, Attendance, Presence};
use dangwu::print::{self, PrintFonts, documents};
use dangwu::store::Db;
use dangwu::tally::{self, Scope};
use dangwu::ui::{DangwuApp, Tab, fonts};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

fn text_of(pdf: &[u8]) -> String {
    pdf_extract::extract_text_from_mem(pdf).unwrap()
}

/// Text without the spaces and line breaks a PDF reader puts between glyph runs.
fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn meeting(org_id: i64, people: &[(i64, String)]) -> Activity {
    Activity {
        id: None,
        uid: String::new(),
        date: d(2026, 3, 5),
        time: "14:30".into(),
        org_id,
        type_ids: vec![1],
        theme_ids: Vec::new(),
        topic: "学习贯彻党的二十大精神，深入学习《中国共产党章程》和《中国共产党纪律处分条例》，结合本单位养老服务、社会救助工作实际研究部署".into(),
        content: "集中学习党章第一章至第三章。".into(),
        host: "王珺".into(),
        lecturer: "李堃".into(),
        place: "三楼会议室".into(),
        recorder: "赵昇".into(),
        guests: String::new(),
        minutes: "会议由王珺主持。".into(),
        outcome: "统一了思想。".into(),
        speech_date: None,
        for_year: None,
        expected: None,
        present: None,
        attendance: people
            .iter()
            .enumerate()
            .map(|(i, (id, name))| Attendance {
                member_id: *id,
                name: name.clone(),
                presence: if i == 1 { Presence::Leave } else { Presence::Present },
                reason: if i == 1 { "出差".into() } else { String::new() },
            })
            .collect(),
        attachments: Vec::new(),
    }
}

fn branch_of(n: usize) -> (Db, i64, Vec<(i64, String)>) {
    let (mut db, org) = db_with_branch();
    let mut people = Vec::new();
    for i in 0..n {
        let mut m = member(org);
        m.name = format!("党员{:02}", i + 1);
        m.id_number.clear();
        people.push((db.save_member(&m).unwrap(), m.name));
    }
    (db, org, people)
}

#[test]
fn a_sign_in_sheet_of_sixty_splits_over_pages_with_its_header_on_each() {
    let (mut db, org, people) = branch_of(60);
    let id = db.save_activity(&meeting(org, &people)).unwrap();
    let (minutes, sheet) = documents::from_store::activity(&db, id, d(2026, 11, 22)).unwrap();
    let out = print::render(&sheet, &PrintFonts::embedded()).unwrap();
    assert!(out.pages >= 2, "{} pages", out.pages);
    let text = squeeze(&text_of(&out.pdf));
    for (_, name) in &people {
        assert!(text.contains(name.as_str()), "{name} missing");
    }
    // The header row on every page, and the page numbers.
    assert_eq!(text.matches("签名").count(), out.pages);
    for n in 1..=out.pages {
        assert!(text.contains(&format!("第{n}页共{}页", out.pages)));
    }
    assert!(text.contains("机关第一党支部签到表"));
    assert!(text.contains("打印日期：2026年11月22日"));

    // The minutes: who was on leave, and why; the long topic whole.
    let out = print::render(&minutes, &PrintFonts::embedded()).unwrap();
    let text = squeeze(&text_of(&out.pdf));
    assert!(text.contains("党员02（请假：出差）"), "{text}");
    assert!(text.contains("应到/实到60人/59人"), "{text}");
    assert!(text.contains(&squeeze(&meeting(org, &people).topic)));
}

/// However many sign, a table that runs onto another page takes at least two rows with it: the
/// last name is never alone under a repeated header.
#[test]
fn a_table_never_leaves_its_last_row_alone_on_a_page() {
    let (mut db, org, people) = branch_of(75);
    let mut checked = 0;
    for n in 20..=75 {
        let id = db.save_activity(&meeting(org, &people[..n])).unwrap();
        let (_, sheet) = documents::from_store::activity(&db, id, d(2026, 11, 22)).unwrap();
        let out = print::render(&sheet, &PrintFonts::embedded()).unwrap();
        let pages = pdf_extract::extract_text_from_mem_by_pages(&out.pdf).unwrap();
        assert_eq!(pages.len(), out.pages);
        if out.pages < 2 {
            continue;
        }
        checked += 1;
        let last = squeeze(&pages[out.pages - 1]);
        let names = last.matches("党员").count();
        assert!(
            names >= 2,
            "{n} names: the last page holds {names} ({last})"
        );
    }
    assert!(checked > 20, "only {checked} sheets ran over a page");
}

#[test]
fn the_tally_prints_its_paragraph_in_a_small_file_with_only_the_glyphs_used() {
    let (mut db, org, people) = branch_of(3);
    db.save_activity(&meeting(org, &people)).unwrap();
    db.set_setting(dangwu::store::settings::UNIT_NAME, "某市民政局")
        .unwrap();
    let today = d(2026, 11, 22);
    let scope = Scope::year(2026, today);
    let doc = documents::from_store::tally(&db, &scope, today).unwrap();
    assert_eq!(doc.title, "某市民政局2026年度党建工作统计");
    let out = print::render(&doc, &PrintFonts::embedded()).unwrap();
    // Every type is listed, zeros included (as on the 统计 tab): two pages, the second holding
    // 整改 and 落实情况.
    assert_eq!(out.pages, 2, "a small bureau's year on two pages");
    // The embedded font is 3 MB: only the glyphs used go in.
    assert!(out.pdf.len() < 300_000, "{} bytes", out.pdf.len());
    let text = squeeze(&text_of(&out.pdf));
    let t = tally::compute(&db, &scope).unwrap();
    let paragraph = tally::report::paragraph(&t, today);
    assert!(text.contains(&squeeze(&paragraph)), "{text}");
    assert!(text.contains("第1页共2页"));
    // The rows the 统计 tab shows: every type and every kind of talk, those with 0 too.
    for a in &t.activities {
        let row = squeeze(&format!("{}{}次", a.label, a.count));
        assert!(text.contains(&row), "{row} missing: {text}");
    }
    assert!(t.activities.iter().any(|a| a.count == 0));
    for k in &t.talks.by_kind {
        assert!(text.contains(&squeeze(&k.kind)), "{} missing", k.kind);
    }
}

#[test]
fn the_fonts_named_in_the_pdf_are_the_ones_chosen() {
    let (db, _, _) = branch_of(1);
    let today = d(2026, 11, 22);
    let doc = documents::from_store::tally(&db, &Scope::year(2026, today), today).unwrap();
    let out = print::render(&doc, &PrintFonts::embedded()).unwrap();
    // krilla names a subset font after the face's PostScript name.
    let raw = String::from_utf8_lossy(&out.pdf);
    assert!(raw.contains("WenQuanYi"), "the embedded face is named");
}

#[test]
fn printing_from_the_stats_tab_asks_for_the_unit_once_and_writes_the_file() {
    let (db, _, _) = branch_of(2);
    let dir = tempfile::tempdir().unwrap();
    let mut app = DangwuApp::new(Ok(db), None, d(2026, 11, 22));
    app.set_tab(Tab::Stats);
    app.print_into(dir.path().to_path_buf());
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_context_setup(|ctx| {
            fonts::install(ctx, fonts::embedded());
            fonts::install_style(ctx);
        })
        .build_ui_state(|ui, app: &mut DangwuApp| app.show(ui), app);
    h.run();
    h.get_by_label("打印…").click();
    h.run();
    // No 单位名称 yet: asked first.
    h.get_by_role_and_label(Role::TextInput, "单位名称").click();
    h.run();
    h.get_by_role_and_label(Role::TextInput, "单位名称")
        .type_text("某市民政局");
    h.run();
    h.get_by_label("保存").click();
    // The PDF is being written on the worker (a spinner turns): step, then wait for it.
    h.step();
    let ctx = h.ctx.clone();
    h.state_mut().finish_work(&ctx);
    h.run();
    let file = dir.path().join("某市民政局2026年度党建工作统计.pdf");
    assert!(
        file.exists(),
        "{:?}",
        std::fs::read_dir(dir.path()).unwrap().collect::<Vec<_>>()
    );
    let text = squeeze(&text_of(&std::fs::read(&file).unwrap()));
    assert!(text.contains("某市民政局2026年度党建工作统计"));
    assert_eq!(
        h.state()
            .db()
            .unwrap()
            .setting(dangwu::store::settings::UNIT_NAME)
            .unwrap()
            .as_deref(),
        Some("某市民政局")
    );
    // Asked once: the second print goes straight to the file.
    std::fs::remove_file(&file).unwrap();
    h.get_by_label("打印…").click();
    h.step();
    h.step();
    assert!(
        h.query_by_role_and_label(Role::TextInput, "单位名称")
            .is_none()
    );
    let ctx = h.ctx.clone();
    h.state_mut().finish_work(&ctx);
    assert!(file.exists());
}

#[test]
fn the_rectification_ledger_prints_landscape_with_every_item() {
    let mut db = Db::open_in_memory().unwrap();
    for (i, found) in ["2026-01-10", "2026-02-11", "2026-03-12"]
        .iter()
        .enumerate()
    {
        let input = dangwu::model::rectify::RectInput {
            source: Some(dangwu::model::rectify::Source::Inspection),
            found_on: found.to_string(),
            description: format!("第{}个问题：台账记录不规范", i + 1),
            unit: "办公室".into(),
            deadline: "2026-06-30".into(),
            ..Default::default()
        };
        db.save_rectification(&input.validate(d(2026, 11, 22), None).unwrap())
            .unwrap();
    }
    let items = documents::from_store::live_items(&db).unwrap();
    let doc =
        documents::from_store::rectification(&db, &items, "状态：逾期", d(2026, 11, 22)).unwrap();
    assert!(doc.landscape);
    let out = print::render(&doc, &PrintFonts::embedded()).unwrap();
    let text = squeeze(&text_of(&out.pdf));
    for i in 1..=3 {
        assert!(
            text.contains(&format!("第{i}个问题：台账记录不规范")),
            "{text}"
        );
    }
    assert!(text.contains("状态：逾期共3个问题"));
    assert!(text.contains("未整改（逾期）"));
    assert!(text.contains("第1页共1页"));
}

#[test]
fn the_dues_notice_lists_each_month_paid_and_counts_the_months_owed() {
    let (mut db, org, people) = branch_of(2);
    db.set_setting(dangwu::store::settings::UNIT_NAME, "某市民政局")
        .unwrap();
    let paid = |member_id: i64, month: u32, amount_fen: i64| dangwu::model::dues::Dues {
        member_id,
        org_id: org,
        year: 2025,
        month,
        basis: dangwu::model::dues::Basis::InService,
        base_fen: Some(456_700),
        amount_fen,
    };
    for month in 1..=12 {
        let mut rows = vec![paid(people[0].0, month, 4567)];
        if month != 3 {
            rows.push(paid(people[1].0, month, 4567));
        }
        db.save_dues_month(org, 2025, month, &rows).unwrap();
    }
    let today = d(2026, 11, 22);
    let doc = documents::from_store::dues(&db, org, 2025, today).unwrap();
    assert_eq!(doc.title, "某市民政局机关第一党支部2025年度党费收缴公示表");
    let out = print::render(&doc, &PrintFonts::embedded()).unwrap();
    assert_eq!(out.pages, 1);
    let text = squeeze(&text_of(&out.pdf));
    assert!(text.contains("共2人合计1050.41元"), "{text}");
    assert!(text.contains("4567.001%"), "base and rate: {text}");
    assert!(text.contains("548.04"), "a full year: {text}");
    assert!(text.contains("502.371个月"), "one month owed: {text}");
}
