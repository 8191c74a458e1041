//! The year-end draft (`tally::summary`) as a Word document in 公文 format (GB/T 9704-2012), for
//! staff to finish in Word or WPS: A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm;
//! the title in 方正小标宋简体 二号, centred; the body in 仿宋_GB2312 三号 at a fixed 28.9 pt line
//! (22 lines a page), first lines indented two characters; 一、 headings in 黑体, （一） headings in
//! 楷体_GB2312; page numbers "— 1 —" at the foot. Written with docx-rs, the field's usual .docx
//! writer; the Chinese fonts are declared as East Asian fonts, so Word and WPS use them for Chinese.

use std::collections::HashSet;
use std::path::Path;

use docx_rs::{
    AlignmentType, BreakType, Docx, Footer, LineSpacing, LineSpacingType, PageMargin, PageNum,
    Paragraph, Run, RunFonts, SpecialIndentType, Style, StyleType, Table, TableCell, TableRow,
};

use crate::tally::summary::{Block, Draft};

/// Twentieths of a point per millimetre.
const TWIPS_PER_MM: f32 = 56.693;
const A4: (u32, u32) = (11906, 16838);
/// 三号 = 16 pt, in half-points.
const SIZE_3: usize = 32;
/// 二号 = 22 pt.
const SIZE_2: usize = 44;
/// 四号 = 14 pt (page numbers).
const SIZE_4: usize = 28;
/// 小四 = 12 pt (the 附表).
const SIZE_SMALL_4: usize = 24;
/// 28.9 pt: 22 lines of 三号 on the type area of an A4 公文 page.
const LINE_TWIPS: i32 = 578;

fn mm(v: f32) -> i32 {
    (v * TWIPS_PER_MM).round() as i32
}

/// The fonts the document names, each the 公文 font where this PC has it, else the usual
/// Windows font of the same style (宋体, 仿宋, 楷体): a document naming a font nobody has is shown
/// in whatever Word substitutes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocFonts {
    pub title: String,
    pub body: String,
    pub heading: String,
    pub subheading: String,
}

/// (公文 font, fallback) for title, body, 一、 heading and （一） heading.
const CHOICES: [(&str, &str); 4] = [
    ("方正小标宋简体", "宋体"),
    ("仿宋_GB2312", "仿宋"),
    ("黑体", "黑体"),
    ("楷体_GB2312", "楷体"),
];

impl DocFonts {
    /// The fonts for a PC whose font families are `installed`.
    pub fn with_installed(installed: &HashSet<String>) -> Self {
        let pick = |(wanted, fallback): (&str, &str)| {
            if installed.contains(wanted) {
                wanted.to_string()
            } else {
                fallback.to_string()
            }
        };
        DocFonts {
            title: pick(CHOICES[0]),
            body: pick(CHOICES[1]),
            heading: pick(CHOICES[2]),
            subheading: pick(CHOICES[3]),
        }
    }

    /// The fonts for this PC (its font families read once per run).
    pub fn this_pc() -> Self {
        static FOUND: std::sync::OnceLock<DocFonts> = std::sync::OnceLock::new();
        FOUND
            .get_or_init(|| {
                let mut db = fontdb::Database::new();
                db.load_system_fonts();
                let families: HashSet<String> = db
                    .faces()
                    .flat_map(|f| f.families.iter().map(|(name, _)| name.clone()))
                    .collect();
                DocFonts::with_installed(&families)
            })
            .clone()
    }
}

fn fonts(name: &str) -> RunFonts {
    // East Asian text takes eastAsia; digits and Latin letters take ascii/hAnsi. 公文 sets both
    // in the same face.
    RunFonts::new()
        .east_asia(name)
        .ascii(name)
        .hi_ansi(name)
        .cs(name)
}

fn body_spacing() -> LineSpacing {
    LineSpacing::new()
        .line_rule(LineSpacingType::Exact)
        .line(LINE_TWIPS)
        .before(0)
        .after(0)
}

fn text_run(text: &str, font: &str, size: usize) -> Run {
    Run::new().add_text(text).fonts(fonts(font)).size(size)
}

/// A body paragraph: 三号, fixed line, first line indented two characters.
fn body(text: &str, f: &DocFonts) -> Paragraph {
    Paragraph::new()
        .add_run(text_run(text, &f.body, SIZE_3))
        .line_spacing(body_spacing())
        .indent(
            None,
            Some(SpecialIndentType::FirstLine(2 * SIZE_3 as i32 * 10)),
            None,
            Some(200),
        )
        .align(AlignmentType::Both)
}

/// Builds the document.
pub fn document(draft: &Draft, f: &DocFonts) -> Docx {
    let page_foot = Style::new("PageFoot", StyleType::Paragraph)
        .name("页码")
        .fonts(fonts("宋体"))
        .size(SIZE_4);
    let footer = Footer::new().add_paragraph(
        Paragraph::new()
            .style("PageFoot")
            .align(AlignmentType::Center)
            .add_run(text_run("— ", "宋体", SIZE_4))
            .add_page_num(PageNum::new())
            .add_run(text_run(" —", "宋体", SIZE_4)),
    );
    let mut doc = Docx::new()
        .page_size(A4.0, A4.1)
        .page_margin(
            PageMargin::new()
                .top(mm(37.0))
                .bottom(mm(35.0))
                .left(mm(28.0))
                .right(mm(26.0))
                .header(mm(15.0))
                .footer(mm(18.0)),
        )
        .default_fonts(fonts(&f.body))
        .default_size(SIZE_3)
        .add_style(page_foot)
        .footer(footer);
    doc = doc.add_paragraph(
        Paragraph::new()
            .add_run(text_run(&draft.title, &f.title, SIZE_2))
            .align(AlignmentType::Center)
            .line_spacing(
                LineSpacing::new()
                    .line_rule(LineSpacingType::Exact)
                    .line(LINE_TWIPS * 3 / 2)
                    .after(LINE_TWIPS as u32),
            ),
    );
    for block in &draft.blocks {
        doc = match block {
            Block::Text(text) => doc.add_paragraph(body(text, f)),
            Block::Prompt(text) => doc.add_paragraph(body(text, f)),
            Block::Heading(text) => doc.add_paragraph(
                Paragraph::new()
                    .add_run(text_run(text, &f.heading, SIZE_3))
                    .line_spacing(body_spacing())
                    .indent(
                        None,
                        Some(SpecialIndentType::FirstLine(2 * SIZE_3 as i32 * 10)),
                        None,
                        Some(200),
                    )
                    .keep_next(true),
            ),
            Block::Subheading(text) => doc.add_paragraph(
                Paragraph::new()
                    .add_run(text_run(text, &f.subheading, SIZE_3))
                    .line_spacing(body_spacing())
                    .indent(
                        None,
                        Some(SpecialIndentType::FirstLine(2 * SIZE_3 as i32 * 10)),
                        None,
                        Some(200),
                    )
                    .keep_next(true),
            ),
            Block::Signature { unit, date } => doc
                .add_paragraph(Paragraph::new().line_spacing(body_spacing()))
                .add_paragraph(
                    Paragraph::new()
                        .add_run(text_run(unit, &f.body, SIZE_3))
                        .align(AlignmentType::Right)
                        .line_spacing(body_spacing()),
                )
                .add_paragraph(
                    Paragraph::new()
                        .add_run(text_run(date, &f.body, SIZE_3))
                        .align(AlignmentType::Right)
                        .line_spacing(body_spacing()),
                ),
            Block::PageBreak => {
                doc.add_paragraph(Paragraph::new().add_run(Run::new().add_break(BreakType::Page)))
            }
            Block::Table {
                caption,
                header,
                rows,
            } => doc
                .add_paragraph(
                    Paragraph::new()
                        .add_run(text_run(caption, &f.heading, SIZE_3))
                        .line_spacing(body_spacing())
                        .keep_next(true),
                )
                .add_table(table(header, rows, f))
                .add_paragraph(Paragraph::new().line_spacing(body_spacing())),
        };
    }
    doc
}

fn table(header: &[String], rows: &[Vec<String>], f: &DocFonts) -> Table {
    let cell = |text: &str, bold: bool| {
        let mut run = text_run(text, &f.body, SIZE_SMALL_4);
        if bold {
            run = run.bold();
        }
        TableCell::new().add_paragraph(
            Paragraph::new()
                .add_run(run)
                .align(AlignmentType::Center)
                .line_spacing(LineSpacing::new().before(40).after(40)),
        )
    };
    let mut table_rows = vec![TableRow::new(
        header.iter().map(|h| cell(h, true)).collect(),
    )];
    table_rows.extend(
        rows.iter()
            .map(|r| TableRow::new(r.iter().map(|c| cell(c, false)).collect())),
    );
    Table::new(table_rows).align(docx_rs::TableAlignmentType::Center)
}

/// Writes the draft to `path` (through a temporary name; owner-only: it holds the ledger's
/// figures, and staff add their own words).
pub fn write(draft: &Draft, f: &DocFonts, path: &Path) -> Result<(), String> {
    let mut bytes = Vec::new();
    document(draft, f)
        .build()
        .pack(std::io::Cursor::new(&mut bytes))
        .map_err(|e| format!("无法生成 Word 文件：{e}"))?;
    crate::paths::save_whole(path, |partial| {
        std::fs::write(partial, &bytes).map_err(|e| {
            format!(
                "无法写入“{}”：{}",
                path.display(),
                crate::paths::io_message(&e)
            )
        })
    })
}
