//! A4 PDF documents: the year-end tally, the record of a meeting, a sign-in sheet and the
//! rectification ledger. A document is a list of blocks (`Doc`); `render` lays them out on pages
//! (`layout`) and writes them with krilla, which embeds only the glyphs used. Nothing here knows
//! egui; the window and the command line both call it.

pub mod documents;
pub mod docx;
pub mod fonts;
pub mod layout;

use std::path::Path;

use chrono::NaiveDate;
use krilla::Document;
use krilla::color::luma;
use krilla::geom::{PathBuilder, Point};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::{Font, TextDirection};

use crate::line_break::break_lines;
use crate::model::date;
pub use fonts::{PrintFont, PrintFonts};
use layout::Measure;

/// A cell's alignment in its column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub title: String,
    /// Share of the table's width.
    pub weight: f32,
    pub align: Align,
}

impl Column {
    pub fn new(title: &str, weight: f32) -> Self {
        Column {
            title: title.into(),
            weight,
            align: Align::Left,
        }
    }

    pub fn centered(title: &str, weight: f32) -> Self {
        Column {
            align: Align::Center,
            ..Column::new(title, weight)
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A section heading.
    Heading(String),
    /// Body text, first line indented two characters, as Chinese documents are set.
    Paragraph(String),
    /// A small note (grey, smaller).
    Note(String),
    /// A table; its header row (when `header`) is repeated on every page it runs onto. Rows are
    /// at least `min_row_height` high (a signature column needs room to sign).
    Table {
        columns: Vec<Column>,
        header: bool,
        rows: Vec<Vec<String>>,
        min_row_height: f32,
    },
    Space(f32),
}

/// A document: a title, an optional line under it, the blocks, and the date it is printed on.
#[derive(Debug, Clone, PartialEq)]
pub struct Doc {
    pub title: String,
    pub subtitle: Option<String>,
    pub landscape: bool,
    pub blocks: Vec<Block>,
    pub printed_on: NaiveDate,
}

/// Sizes in points.
const MARGIN_X: f32 = 56.0;
const MARGIN_TOP: f32 = 56.0;
const MARGIN_BOTTOM: f32 = 64.0;
const TITLE_SIZE: f32 = 20.0;
const HEADING_SIZE: f32 = 13.5;
const BODY_SIZE: f32 = 12.0;
const TABLE_SIZE: f32 = 10.5;
const NOTE_SIZE: f32 = 9.5;
const CELL_PAD: f32 = 4.0;
const RULE: f32 = 0.6;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Title,
    Body,
}

/// What is drawn on a page.
#[derive(Debug, Clone, PartialEq)]
enum Item {
    /// `y` is the baseline.
    Text {
        x: f32,
        y: f32,
        size: f32,
        role: Role,
        gray: u8,
        text: String,
    },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
    },
    Shade {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
    },
}

/// The result of `render`: the PDF and how many pages it has.
pub struct Rendered {
    pub pdf: Vec<u8>,
    pub pages: usize,
}

struct Pager<'a> {
    width: f32,
    height: f32,
    pages: Vec<Vec<Item>>,
    y: f32,
    title: &'a mut Measure,
    body: &'a mut Measure,
}

impl Pager<'_> {
    fn content_width(&self) -> f32 {
        self.width - 2.0 * MARGIN_X
    }

    fn bottom(&self) -> f32 {
        self.height - MARGIN_BOTTOM
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = MARGIN_TOP;
    }

    fn push(&mut self, item: Item) {
        if let Some(page) = self.pages.last_mut() {
            page.push(item);
        }
    }

    /// Starts a new page unless `h` more points fit on this one.
    fn room_for(&mut self, h: f32) {
        if self.y + h > self.bottom() {
            self.new_page();
        }
    }

    fn measure(&mut self, role: Role) -> &mut Measure {
        match role {
            Role::Title => self.title,
            Role::Body => self.body,
        }
    }

    fn text(&mut self, x: f32, y: f32, size: f32, role: Role, gray: u8, text: &str) {
        self.push(Item::Text {
            x,
            y,
            size,
            role,
            gray,
            text: text.to_string(),
        });
    }

    fn centered(&mut self, size: f32, role: Role, text: &str) {
        let w = self.measure(role).width(text, size);
        let x = (self.width - w) / 2.0;
        let y = self.y + size;
        self.text(x, y, size, role, 0, text);
        self.y += size * 1.6;
    }

    fn lines(&mut self, text: &str, size: f32, role: Role, gray: u8, indent: f32) {
        let width = self.content_width();
        let line_height = size * 1.75;
        // The first line is indented: break it alone, then the rest at full width.
        let m = self.measure(role);
        let first = break_lines(text, width - indent, |t| m.width(t, size));
        let mut rest_text = String::new();
        let mut lines = Vec::new();
        if let Some((head, tail)) = first.split_first() {
            lines.push((indent, head.clone()));
            rest_text = tail.concat();
        }
        if !rest_text.is_empty() {
            let m = self.measure(role);
            for l in break_lines(&rest_text, width, |t| m.width(t, size)) {
                lines.push((0.0, l));
            }
        }
        for (dx, l) in lines {
            self.room_for(line_height);
            let y = self.y + size;
            self.text(MARGIN_X + dx, y, size, role, gray, &l);
            self.y += line_height;
        }
    }

    /// Height of a note (`Block::Note`) as `lines` sets it, with the space above it.
    fn note_height(&mut self, text: &str) -> f32 {
        let width = self.content_width();
        let n = break_lines(text, width, |t| self.body.width(t, NOTE_SIZE)).len();
        4.0 + (n as f32 * NOTE_SIZE * 1.75).max(NOTE_SIZE * 2.0)
    }

    /// `tail`: the height of what must stay on the page of the last row (the note under a table).
    fn table(
        &mut self,
        columns: &[Column],
        header: bool,
        rows: &[Vec<String>],
        min_h: f32,
        tail: f32,
    ) {
        let total: f32 = columns.iter().map(|c| c.weight).sum::<f32>().max(1.0);
        let width = self.content_width();
        let widths: Vec<f32> = columns.iter().map(|c| width * c.weight / total).collect();
        let line_height = TABLE_SIZE * 1.45;
        let titles: Vec<String> = columns.iter().map(|c| c.title.clone()).collect();
        let layout_row = |p: &mut Pager, cells: &[String]| -> (Vec<Vec<String>>, f32) {
            let wrapped: Vec<Vec<String>> = cells
                .iter()
                .zip(&widths)
                .map(|(text, w)| {
                    break_lines(text, w - 2.0 * CELL_PAD, |t| p.body.width(t, TABLE_SIZE))
                })
                .collect();
            let n = wrapped.iter().map(Vec::len).max().unwrap_or(1).max(1);
            (
                wrapped,
                (n as f32 * line_height + 2.0 * CELL_PAD).max(min_h),
            )
        };
        let draw_row = |p: &mut Pager, wrapped: &[Vec<String>], h: f32, shade: bool| {
            let top = p.y;
            if shade {
                p.push(Item::Shade {
                    x: MARGIN_X,
                    y: top,
                    w: width,
                    h,
                });
            }
            let mut x = MARGIN_X;
            for ((lines, w), col) in wrapped.iter().zip(&widths).zip(columns) {
                for (i, l) in lines.iter().enumerate() {
                    let lw = p.body.width(l, TABLE_SIZE);
                    // Header cells and centred columns are centred; the rest start at the padding.
                    let dx = if shade || col.align == Align::Center {
                        (w - lw) / 2.0
                    } else {
                        CELL_PAD
                    };
                    let y = top + CELL_PAD + TABLE_SIZE + i as f32 * line_height;
                    p.text(x + dx.max(CELL_PAD), y, TABLE_SIZE, Role::Body, 0, l);
                }
                p.push(Item::Line {
                    x1: x,
                    y1: top,
                    x2: x,
                    y2: top + h,
                });
                x += w;
            }
            p.push(Item::Line {
                x1: x,
                y1: top,
                x2: x,
                y2: top + h,
            });
            for y in [top, top + h] {
                p.push(Item::Line {
                    x1: MARGIN_X,
                    y1: y,
                    x2: MARGIN_X + width,
                    y2: y,
                });
            }
            p.y = top + h;
        };
        let (head_cells, head_h) = layout_row(self, &titles);
        let laid: Vec<(Vec<Vec<String>>, f32)> = rows.iter().map(|r| layout_row(self, r)).collect();
        // The page the header was last drawn on: every page the table runs onto gets it again.
        let mut header_on: Option<usize> = None;
        let mut on_this_page = 0;
        for (i, (cells, h)) in laid.iter().enumerate() {
            let last = i + 1 == laid.len();
            let needs_header = header && header_on != Some(self.pages.len());
            let need = if needs_header { head_h } else { 0.0 } + h + if last { tail } else { 0.0 };
            // The last row never goes over alone (nor its note): when the last two rows would
            // part, both go, provided two stay behind.
            let widow = i + 2 == laid.len()
                && on_this_page >= 2
                && self.y + need + laid[i + 1].1 + tail > self.bottom();
            if self.y + need > self.bottom() || widow {
                self.new_page();
                on_this_page = 0;
            }
            if header && header_on != Some(self.pages.len()) {
                draw_row(self, &head_cells, head_h, true);
                header_on = Some(self.pages.len());
            }
            draw_row(self, cells, *h, false);
            on_this_page += 1;
        }
        if rows.is_empty() && header {
            self.room_for(head_h);
            draw_row(self, &head_cells, head_h, true);
        }
    }
}

/// Lays `doc` out on A4 pages and writes the PDF.
pub fn render(doc: &Doc, fonts: &PrintFonts) -> Result<Rendered, String> {
    let (width, height) = if doc.landscape {
        (841.89, 595.28)
    } else {
        (595.28, 841.89)
    };
    let mut title_m = Measure::new(fonts.title.data.clone(), fonts.title.index);
    let mut body_m = Measure::new(fonts.body.data.clone(), fonts.body.index);
    let mut p = Pager {
        width,
        height,
        pages: Vec::new(),
        y: MARGIN_TOP,
        title: &mut title_m,
        body: &mut body_m,
    };
    p.new_page();
    p.centered(TITLE_SIZE, Role::Title, &doc.title);
    if let Some(sub) = &doc.subtitle {
        p.centered(BODY_SIZE, Role::Body, sub);
    }
    p.y += 6.0;
    for (i, block) in doc.blocks.iter().enumerate() {
        let more = i + 1 < doc.blocks.len();
        match block {
            Block::Heading(text) => {
                p.y += 6.0;
                // A heading keeps with what it heads.
                p.room_for(HEADING_SIZE * 2.0 + 80.0);
                let y = p.y + HEADING_SIZE;
                p.text(MARGIN_X, y, HEADING_SIZE, Role::Title, 0, text);
                p.y += HEADING_SIZE * 1.9;
            }
            Block::Paragraph(text) => p.lines(text, BODY_SIZE, Role::Body, 0, BODY_SIZE * 2.0),
            Block::Note(text) => {
                // A note introduces what follows: never alone at the foot of a page.
                p.y += 4.0;
                p.room_for(NOTE_SIZE * 2.0 + if more { 60.0 } else { 0.0 });
                p.lines(text, NOTE_SIZE, Role::Body, 90, 0.0);
            }
            Block::Table {
                columns,
                header,
                rows,
                min_row_height,
            } => {
                // A note that ends the document is the table's own (应到…人): it stays with it.
                let tail = match doc.blocks.get(i + 1) {
                    Some(Block::Note(text)) if i + 2 == doc.blocks.len() => p.note_height(text),
                    _ => 0.0,
                };
                p.table(columns, *header, rows, *min_row_height, tail)
            }
            Block::Space(h) => p.y += h,
        }
    }
    let pages = p.pages;
    let count = pages.len();

    let title_font =
        Font::new(fonts.title.data.clone().into(), fonts.title.index).ok_or("标题字体无法使用")?;
    let body_font =
        Font::new(fonts.body.data.clone().into(), fonts.body.index).ok_or("正文字体无法使用")?;
    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(doc.title.clone())
            .language("zh-CN".into())
            .creator("党务台账".into()),
    );
    let printed = format!("打印日期：{}", date::chinese(doc.printed_on));
    for (n, items) in pages.iter().enumerate() {
        let settings = PageSettings::from_wh(width, height).ok_or("页面尺寸无效")?;
        let mut page = document.start_page_with(settings);
        let mut surface = page.surface();
        let footer = format!("第 {} 页 共 {} 页", n + 1, count);
        let footer_items = [
            Item::Text {
                x: (width - body_m.width(&footer, NOTE_SIZE)) / 2.0,
                y: height - 32.0,
                size: NOTE_SIZE,
                role: Role::Body,
                gray: 60,
                text: footer,
            },
            Item::Text {
                x: width - MARGIN_X - body_m.width(&printed, NOTE_SIZE),
                y: height - 32.0,
                size: NOTE_SIZE,
                role: Role::Body,
                gray: 60,
                text: printed.clone(),
            },
        ];
        for item in items.iter().chain(footer_items.iter()) {
            match item {
                Item::Text {
                    x,
                    y,
                    size,
                    role,
                    gray,
                    text,
                } => {
                    surface.set_fill(Some(Fill {
                        paint: luma::Color::new(*gray).into(),
                        ..Default::default()
                    }));
                    let font = match role {
                        Role::Title => title_font.clone(),
                        Role::Body => body_font.clone(),
                    };
                    surface.draw_text(
                        Point::from_xy(*x, *y),
                        font,
                        *size,
                        text,
                        false,
                        TextDirection::Auto,
                    );
                }
                Item::Line { x1, y1, x2, y2 } => {
                    let mut pb = PathBuilder::new();
                    pb.move_to(*x1, *y1);
                    pb.line_to(*x2, *y2);
                    if let Some(path) = pb.finish() {
                        surface.set_fill(None);
                        surface.set_stroke(Some(Stroke {
                            paint: luma::Color::new(0).into(),
                            width: RULE,
                            ..Default::default()
                        }));
                        surface.draw_path(&path);
                        surface.set_stroke(None);
                    }
                }
                Item::Shade { x, y, w, h } => {
                    let mut pb = PathBuilder::new();
                    if let Some(rect) = krilla::geom::Rect::from_xywh(*x, *y, *w, *h) {
                        pb.push_rect(rect);
                    }
                    if let Some(path) = pb.finish() {
                        surface.set_stroke(None);
                        surface.set_fill(Some(Fill {
                            paint: luma::Color::new(232).into(),
                            ..Default::default()
                        }));
                        surface.draw_path(&path);
                    }
                }
            }
        }
        surface.finish();
        page.finish();
    }
    let pdf = document
        .finish()
        .map_err(|e| format!("生成 PDF 失败：{e:?}"))?;
    Ok(Rendered { pdf, pages: count })
}

/// Where the documents after the first of a print job go: beside it, named by their titles'
/// last words (会议记录.pdf → 会议记录-签到表.pdf).
pub fn sibling(path: &Path, suffix: &str) -> std::path::PathBuf {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "打印".into());
    path.with_file_name(format!("{stem}-{suffix}.pdf"))
}

/// Writes `docs` (the first to `path`, each other beside it with its suffix); returns the files.
pub fn write_all(
    docs: &[(Doc, String)],
    fonts: &PrintFonts,
    path: &Path,
) -> Result<Vec<std::path::PathBuf>, String> {
    let mut written = Vec::new();
    for (i, (doc, suffix)) in docs.iter().enumerate() {
        let target = if i == 0 {
            path.to_path_buf()
        } else {
            sibling(path, suffix)
        };
        write(doc, fonts, &target)?;
        written.push(target);
    }
    Ok(written)
}

/// Renders `doc` and writes it to `path` (through a temporary name, so a failed write never
/// leaves half a file under the name the user chose; owner-only).
pub fn write(doc: &Doc, fonts: &PrintFonts, path: &Path) -> Result<Rendered, String> {
    let rendered = render(doc, fonts)?;
    // Owner-only, like every file holding personal data (a 党费公示表 has everyone's pay).
    crate::paths::save_whole(path, |partial| {
        std::fs::write(partial, &rendered.pdf).map_err(|e| {
            format!(
                "无法写入“{}”：{}",
                path.display(),
                crate::paths::io_message(&e)
            )
        })
    })?;
    Ok(rendered)
}
