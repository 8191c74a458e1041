//! 年度党建工作总结初稿: the Word draft read back as Word would read it — every figure of the
//! tally in it, no "0次" in its sentences, the 公文 page set-up and fonts in its XML — and made from
//! the 统计 tab.

mod common;

use std::collections::HashSet;
use std::io::Read;

use dangwu::print::docx::{self, DocFonts};
use dangwu::store::Db;
use dangwu::tally::{self, Scope, summary};
use dangwu::ui::{DangwuApp, Tab, fonts};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

fn today() -> chrono::NaiveDate {
    common::d(2026, 11, 22)
}

fn demo() -> Db {
    let mut db = Db::open_in_memory().unwrap();
    dangwu::demo::fill(
        &mut db,
        &dangwu::demo::DemoOptions {
            years: 2,
            members: 80,
            records: None,
            talks: None,
            items: None,
            today: today(),
        },
    )
    .unwrap();
    db.set_setting(dangwu::store::settings::UNIT_NAME, "某市民政局")
        .unwrap();
    db
}

/// A part of the .docx, as XML.
fn part(file: &std::path::Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(file).unwrap()).unwrap();
    let mut xml = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut xml).unwrap();
    xml
}

/// The text of a part: what lies between the tags, as one string.
fn text(xml: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in xml.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag && !c.is_whitespace() => out.push(c),
            _ => {}
        }
    }
    out
}

/// Where `text` says a zero count: a 0 before 次/名/个/人 that is not the end of 10, 20 …
fn zero_counts(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    (1..chars.len())
        .filter(|&i| {
            chars[i - 1] == '0'
                && "次名个人份".contains(chars[i])
                && (i < 2 || !chars[i - 2].is_ascii_digit() && chars[i - 2] != '.')
        })
        .map(|i| chars[i.saturating_sub(8)..=i].iter().collect())
        .collect()
}

#[test]
fn the_draft_holds_every_figure_of_the_tally_in_gongwen_format() {
    let db = demo();
    let scope = Scope::year(2025, today());
    let t = tally::compute(&db, &scope).unwrap();
    let draft = summary::draft(&t, "某市民政局", today());
    assert_eq!(draft.title, "某市民政局2025年度党建工作总结");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("总结.docx");
    // A PC without the 公文 fonts: the usual Windows ones.
    docx::write(&draft, &DocFonts::with_installed(&HashSet::new()), &file).unwrap();
    let xml = part(&file, "word/document.xml");
    let all = text(&xml);
    let (body, tables) = all.split_once("附表1").expect("the 附表 follow the text");

    // The 附表: every row of the 统计 tab, zeros included.
    for a in &t.activities {
        let row = format!("{}{}{}", a.group, a.label, a.count);
        assert!(tables.contains(&row), "{row}");
    }
    let m = &t.members;
    for (what, n) in [
        ("在册党员", m.on_rolls),
        ("其中正式党员", m.full),
        ("其中预备党员", m.probationary),
        ("新增入党申请人", m.new_applicants),
        ("新增入党积极分子", m.new_activists),
        ("新增发展对象", m.new_candidates),
        ("接收预备党员", m.new_probationary),
        ("转为正式党员", m.converted_to_full),
        ("转入", m.transferred_in),
        ("转出", m.transferred_out),
        ("表彰", t.commendations),
        ("走访慰问", t.visits),
        ("缴纳党费人数", t.dues.members_paid),
    ] {
        assert!(tables.contains(&format!("{what}{n}")), "{what}{n}");
    }
    for k in &t.talks.by_kind {
        let row = format!("{}{}{}", k.kind, k.count, k.subjects);
        assert!(tables.contains(&row), "{row}");
    }
    let r = &t.rectification;
    assert!(tables.contains(&format!("合计{}{}", t.talks.total, t.talks.subjects)));
    for (what, n) in [
        ("查摆问题", r.found),
        ("已整改销号", r.closed),
        ("未销号", r.open),
        ("逾期", r.overdue),
        ("上年结转", r.carried_over),
        ("上年结转已销号", r.carried_closed),
    ] {
        assert!(tables.contains(&format!("{what}{n}个")), "{what}{n}个");
    }

    // The text: the figures the report's sentences need, and never a zero count.
    assert!(t.talks.total > 0 && t.first_topic.count > 0 && t.dues.collected_fen > 0);
    assert!(body.contains(&format!("开展谈话提醒{}次", t.talks.total)));
    assert!(body.contains(&format!("谈话对象{}人次", t.talks.subjects)));
    assert!(body.contains(&format!(
        "学习习近平总书记重要讲话和重要指示批示精神{}次",
        t.first_topic.count
    )));
    assert!(body.contains(&format!(
        "收缴党费{}元",
        tally::report::yuan(t.dues.collected_fen)
    )));
    assert!(body.contains(&format!("共有在册党员{}名", m.on_rolls)));
    assert!(body.contains(&format!("召开党员大会{}次", t.count_of("党员大会"))));
    assert!(body.contains(&format!("查摆问题{}个", r.found)));
    for heading in [
        "一、主要工作",
        "（一）理论学习",
        "（二）组织建设",
        "（三）党风廉政建设",
        "（四）问题整改",
        "二、存在的不足",
        "三、下一步工作打算",
    ] {
        assert!(body.contains(heading), "{heading}");
    }
    assert_eq!(zero_counts(body), Vec::<String>::new());

    // 公文 format: A4, the margins in twips, 三号 body on a fixed 28.9 pt line, the fonts.
    assert!(
        xml.contains(r#"<w:pgSz w:w="11906" w:h="16838""#),
        "page size"
    );
    for margin in [
        r#"w:top="2098""#,
        r#"w:bottom="1984""#,
        r#"w:left="1587""#,
        r#"w:right="1474""#,
    ] {
        assert!(xml.contains(margin), "{margin}");
    }
    assert!(
        xml.contains(r#"w:line="578" w:lineRule="exact""#)
            || xml.contains(r#"w:lineRule="exact" w:line="578""#)
    );
    for font in ["宋体", "仿宋", "黑体", "楷体"] {
        assert!(
            xml.contains(&format!(r#"w:eastAsia="{font}""#)),
            "{font} as an East Asian font"
        );
    }
    assert!(xml.contains(r#"<w:sz w:val="44" />"#), "二号 title");
    assert!(xml.contains(r#"<w:sz w:val="32" />"#), "三号 body");
    let footer = part(&file, "word/footer1.xml");
    assert!(footer.contains("PAGE") && text(&footer).contains("—"));

    // A PC with the 公文 fonts: the document names them.
    let installed: HashSet<String> = ["方正小标宋简体", "仿宋_GB2312", "楷体_GB2312"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    docx::write(&draft, &DocFonts::with_installed(&installed), &file).unwrap();
    let xml = part(&file, "word/document.xml");
    for font in ["方正小标宋简体", "仿宋_GB2312", "楷体_GB2312", "黑体"] {
        assert!(xml.contains(&format!(r#"w:eastAsia="{font}""#)), "{font}");
    }
}

/// An empty year: every part says there is nothing recorded, in words, with no zero counts.
#[test]
fn a_year_without_records_says_so_in_words() {
    let db = demo();
    let t = tally::compute(&db, &Scope::year(2019, today())).unwrap();
    let draft = summary::draft(&t, "某市民政局", today());
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("总结.docx");
    docx::write(&draft, &DocFonts::with_installed(&HashSet::new()), &file).unwrap();
    let all = text(&part(&file, "word/document.xml"));
    let (body, _) = all.split_once("附表1").unwrap();
    assert!(body.contains("本年度尚未登记理论学习记录"), "{body}");
    assert!(body.contains("本年度未登记查摆问题"), "{body}");
    assert_eq!(zero_counts(body), Vec::<String>::new());
}

#[test]
fn the_stats_tab_makes_the_draft_into_a_file() {
    let db = demo();
    let dir = tempfile::tempdir().unwrap();
    let mut app = DangwuApp::new(Ok(db), None, today());
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
    h.get_by_label("生成总结初稿（Word）…").click();
    h.step();
    let ctx = h.ctx.clone();
    h.state_mut().finish_work(&ctx);
    h.run();
    let file = dir.path().join("某市民政局2026年度党建工作总结.docx");
    assert!(
        file.is_file(),
        "{:?}",
        std::fs::read_dir(dir.path()).unwrap().collect::<Vec<_>>()
    );
    assert!(text(&part(&file, "word/document.xml")).contains("某市民政局2026年度党建工作总结"));
    assert!(h.query_by_label_contains("已生成").is_some());
}
