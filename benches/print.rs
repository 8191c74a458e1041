//! Printing: the 年度党建工作统计 PDF of a small bureau (the demo's 300 members, ten
//! organisations), rendered and written, with the embedded font and with the system's fonts.
//! Also the 年度党建工作总结初稿 (.docx) of the same year: tally, draft and file. Run with
//! `cargo bench --bench print`. Prints timings and sizes; asserts nothing about them.

mod support;

use std::time::Instant;

use chrono::Datelike;
use dangwu::demo::{self, DemoOptions};
use dangwu::print::{self, PrintFonts, documents::from_store};
use dangwu::store::Db;
use dangwu::tally::Scope;

use support::median;

fn main() {
    let today = chrono::Local::now().date_naive();
    let mut db = Db::open_in_memory().unwrap();
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
    let dir = tempfile::tempdir().unwrap();
    let scope = Scope::year(today.year() - 1, today);
    for (what, fonts) in [
        ("内置字体", PrintFonts::embedded()),
        ("系统字体", PrintFonts::system()),
    ] {
        let mut runs = Vec::new();
        let mut last = None;
        for i in 0..15 {
            let path = dir.path().join(format!("tally-{i}.pdf"));
            let started = Instant::now();
            let doc = from_store::tally(&db, &scope, today).unwrap();
            let out = print::write(&doc, &fonts, &path).unwrap();
            runs.push(started.elapsed());
            last = Some((out.pages, std::fs::metadata(&path).unwrap().len()));
        }
        let (pages, bytes) = last.unwrap();
        println!(
            "年度党建工作统计（{what}：标题 {}，正文 {}）：{pages} 页，{} KB；统计+排版+写文件 中位数 {:?}，最慢 {:?}（15 次）",
            fonts.title.name,
            fonts.body.name,
            bytes / 1024,
            median(runs.clone()),
            runs.iter().max().unwrap()
        );
    }
    // The Word draft: the tally, the draft, the .docx written (the fonts looked up once, before).
    let fonts = print::docx::DocFonts::this_pc();
    let mut runs = Vec::new();
    let mut bytes = 0;
    for i in 0..15 {
        let path = dir.path().join(format!("summary-{i}.docx"));
        let started = Instant::now();
        let draft = from_store::summary(&db, &scope, today).unwrap();
        print::docx::write(&draft, &fonts, &path).unwrap();
        runs.push(started.elapsed());
        bytes = std::fs::metadata(&path).unwrap().len();
    }
    println!(
        "年度党建工作总结初稿（正文 {}）：{} KB；统计+成文+写文件 中位数 {:?}，最慢 {:?}（15 次）",
        fonts.body,
        bytes / 1024,
        median(runs.clone()),
        runs.iter().max().unwrap()
    );
}
