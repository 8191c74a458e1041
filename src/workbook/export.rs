//! Writing the workbook: every sheet of workbook.md from the records (导出台账), or empty with
//! notes and example rows (下载导入模板). Headers bold, frozen, filtered; dates as date cells,
//! numbers as numbers; widths that fit Chinese text.
//!
//! A column that shows a field is filled from the record by the field's declaration (an
//! organisation by its name, money in 元, a yes/no as 是/否); only a sheet's own columns are
//! written here by hand. Sheets are written row by row as the records are read (rust_xlsxwriter's
//! constant-memory mode), a year of activities at a time, so a large ledger exports in little
//! memory.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{Color, ExcelDateTime, Format, FormatBorder, Note, Workbook, Worksheet};

use super::sheets::{
    ABSENT, ELECTED, HISTORY, LEAVE, MEMBER_SUBJECTS, PERSON, PERSON_ID, PRESENT, SECRETARY,
    SUBJECTS,
};
use super::{Col, Kind, Sheet, SheetKind, Value};
use crate::model::activity::Presence;
use crate::model::dues::{Basis, DuesField, Rate, rate};
use crate::model::field::{self, Record};
use crate::model::org::CommitteeRole;
use crate::model::{FieldKey, FormField};
use crate::store::{Db, StoreError};

/// How many rows each sheet got, in sheet order.
pub type Summary = Vec<(&'static str, usize)>;

fn text(s: impl Into<String>) -> Value {
    let s = s.into();
    if s.is_empty() {
        Value::Empty
    } else {
        Value::Text(s)
    }
}

/// Names of what records point to by id: organisations, activity types, talk kinds, members.
struct Names {
    orgs: HashMap<i64, String>,
    types: HashMap<i64, String>,
    themes: HashMap<i64, String>,
    kinds: HashMap<i64, String>,
    /// Member id → (name, 公民身份号码).
    people: HashMap<i64, (String, String)>,
}

impl Names {
    fn read(db: &Db, today: NaiveDate) -> Result<Names, StoreError> {
        Ok(Names {
            orgs: db
                .orgs(today)?
                .into_iter()
                .filter_map(|s| Some((s.org.id?, s.org.name)))
                .collect(),
            types: db
                .activity_types()?
                .into_iter()
                .filter_map(|t| Some((t.id?, t.label)))
                .collect(),
            themes: db
                .themes()?
                .into_iter()
                .filter_map(|t| Some((t.id?, t.label)))
                .collect(),
            kinds: db
                .talk_kinds()?
                .into_iter()
                .filter_map(|k| Some((k.id?, k.label)))
                .collect(),
            people: db
                .members()?
                .into_iter()
                .filter_map(|m| Some((m.id?, (m.name, m.id_number))))
                .collect(),
        })
    }

    fn org(&self, id: Option<i64>) -> String {
        id.and_then(|i| self.orgs.get(&i).cloned())
            .unwrap_or_default()
    }

    fn person(&self, id: i64) -> (&str, &str) {
        self.people
            .get(&id)
            .map_or(("", ""), |(n, i)| (n.as_str(), i.as_str()))
    }
}

/// A stored value as the cell of a column of `kind` shows it.
fn cell(v: field::Value, kind: Kind, names: &Names) -> Value {
    use field::Value as V;
    match (v, kind) {
        (V::Null, _) => Value::Empty,
        (V::Int(id), Kind::Org) => text(names.org(Some(id))),
        (V::Int(fen), Kind::Money) => Value::Number(fen as f64 / 100.0),
        (V::Int(n), Kind::Bool) => text(if n != 0 { "是" } else { "否" }),
        (V::Int(n), _) => Value::Number(n as f64),
        (V::Date(d), _) => Value::Date(d),
        (V::Text(s), _) => text(s),
    }
}

/// The row of `r` in `sheet`: each column that shows a field of `R` from the record, the others
/// from `own` (a sheet's own columns, and fields a sheet writes its own way).
fn row_of<R: Record>(
    sheet: &Sheet,
    r: &R,
    names: &Names,
    own: impl Fn(&Col) -> Option<Value>,
) -> Vec<Value>
where
    R::Field: FormField,
{
    sheet
        .cols
        .iter()
        .map(|c| {
            own(c).unwrap_or_else(
                || match c.field.and_then(<R::Field as FormField>::from_key) {
                    Some(f) => cell(r.get(f), c.kind, names),
                    None => Value::Empty,
                },
            )
        })
        .collect()
}

/// Where the rows of a sheet go: a worksheet (with the widths its text needs), or a count.
trait Rows {
    /// Writes one row; `key` is the id of the record it shows.
    fn row(&mut self, key: i64, cells: &[Value]) -> Result<(), String>;
}

/// Each sheet's rows, from the records of `year` (all when `None`; organisations, members and the
/// committees always whole). Rows come in an order that does not depend on row ids, so that a file
/// imported from this workbook exports the same workbook.
fn sheet_rows(
    db: &Db,
    kind: SheetKind,
    year: Option<i32>,
    today: NaiveDate,
    names: &Names,
    out: &mut dyn Rows,
) -> Result<(), String> {
    let e = |e: StoreError| e.to_string();
    let sheet = kind.sheet();
    let in_year = |d: NaiveDate| year.is_none_or(|y| d.year() == y);
    // Members by organisation, name and number: the order of every sheet about members.
    let mut members = db.members().map_err(e)?;
    members.sort_by(|a, b| {
        (names.org(Some(a.org_id)), &a.name, &a.id_number).cmp(&(
            names.org(Some(b.org_id)),
            &b.name,
            &b.id_number,
        ))
    });
    let rank: HashMap<i64, usize> = members
        .iter()
        .enumerate()
        .filter_map(|(i, m)| Some((m.id?, i)))
        .collect();
    let rank_of = |id: i64| rank.get(&id).copied().unwrap_or(usize::MAX);
    let person = |c: &Col, id: i64| {
        let (name, number) = names.person(id);
        match c.header {
            h if h == PERSON.header => Some(text(name)),
            h if h == PERSON_ID.header => Some(text(number)),
            _ => None,
        }
    };
    match kind {
        SheetKind::Orgs => {
            let types = &names.types;
            for o in db.orgs(today).map_err(e)?.into_iter().map(|s| s.org) {
                let id = o.id.unwrap_or_default();
                let committee = db.committee(id).map_err(e)?;
                let row = row_of(sheet, &o, names, |c| match c {
                    c if c.header == SECRETARY.header => Some(text(
                        committee
                            .iter()
                            .find(|m| m.role == CommitteeRole::Secretary)
                            .map(|m| m.name.clone())
                            .unwrap_or_default(),
                    )),
                    c if c.field == Some(crate::model::org::OrgField::Expectations.into()) => {
                        Some(text(expectations_text(&o.expectations, types)))
                    }
                    _ => None,
                });
                out.row(id, &row)?;
            }
        }
        SheetKind::Elections => {
            let mut elections = db.elections(None).map_err(e)?;
            elections.retain(|x| in_year(x.held));
            elections.sort_by(|a, b| {
                (names.org(Some(a.org_id)), a.held).cmp(&(names.org(Some(b.org_id)), b.held))
            });
            let mut same_name: HashMap<&str, usize> = HashMap::new();
            for m in &members {
                *same_name.entry(m.name.as_str()).or_default() += 1;
            }
            for x in &elections {
                // "姓名（分工）", with the tail of the ID number where two members share the name.
                let cell = |role: CommitteeRole| {
                    let list: Vec<String> = x
                        .elected
                        .iter()
                        .filter(|m| m.role == role)
                        .map(|m| {
                            let number = m.member_id.map_or("", |i| names.person(i).1);
                            let shared = same_name.get(m.name.as_str()).is_some_and(|n| *n > 1);
                            let name = crate::model::tagged_name(&m.name, number, shared);
                            match m.duty.as_str() {
                                "" => name,
                                duty => format!("{name}（{duty}）"),
                            }
                        })
                        .collect();
                    text(list.join("、"))
                };
                let row = row_of(sheet, x, names, |c| match c.header {
                    h if h == ELECTED[0].header => Some(cell(CommitteeRole::Secretary)),
                    h if h == ELECTED[1].header => Some(cell(CommitteeRole::Deputy)),
                    h if h == ELECTED[2].header => Some(cell(CommitteeRole::Member)),
                    _ => None,
                });
                out.row(x.org_id, &row)?;
            }
        }
        SheetKind::Committee => {
            for o in db.orgs(today).map_err(e)?.into_iter().map(|s| s.org) {
                let id = o.id.unwrap_or_default();
                for m in db.committee_history(id).map_err(e)? {
                    let row = row_of(sheet, &m, names, |c| match c.header {
                        "组织名称" => Some(text(&o.name)),
                        h if h == PERSON_ID.header => {
                            Some(text(m.member_id.map_or("", |i| names.person(i).1)))
                        }
                        _ => None,
                    });
                    out.row(id, &row)?;
                }
            }
        }
        SheetKind::Members => {
            let transfers = db.transfers_by_member().map_err(e)?;
            let none = Vec::new();
            for m in &members {
                let chain = m.id.and_then(|id| transfers.get(&id)).unwrap_or(&none);
                let row = row_of(sheet, m, names, |c| {
                    (c.field == Some(crate::model::member::MemberField::Status.into()))
                        .then(|| text(m.standing_label(chain, today)))
                });
                out.row(m.id.unwrap_or_default(), &row)?;
            }
        }
        SheetKind::Transfers => {
            let transfers = db.transfers_by_member().map_err(e)?;
            for m in &members {
                for t in m.id.and_then(|id| transfers.get(&id)).into_iter().flatten() {
                    if in_year(t.date) {
                        let row = row_of(sheet, t, names, |c| person(c, t.member_id));
                        out.row(t.member_id, &row)?;
                    }
                }
            }
        }
        SheetKind::Dues => {
            let mut dues = db.dues_all(year).map_err(e)?;
            dues.sort_by_cached_key(|d| (rank_of(d.member_id), d.year, d.month));
            let field = |c: &Col| {
                c.field.and_then(|f| match f {
                    FieldKey::Dues(d) => Some(d),
                    _ => None,
                })
            };
            for d in &dues {
                let row: Vec<Value> = sheet
                    .cols
                    .iter()
                    .map(|c| {
                        person(c, d.member_id).unwrap_or_else(|| match field(c) {
                            Some(DuesField::Month) => text(d.month_key()),
                            Some(DuesField::Base) => d
                                .base_fen
                                .map_or(Value::Empty, |f| Value::Number(f as f64 / 100.0)),
                            Some(DuesField::Rate) => {
                                text(match (d.basis, rate(d.basis, d.base_fen.unwrap_or(0))) {
                                    (Basis::Flat, _) | (_, Rate::Flat) => "定额".to_string(),
                                    (_, r) => r.label().trim_end_matches('%').to_string(),
                                })
                            }
                            Some(DuesField::Amount) => Value::Number(d.amount_fen as f64 / 100.0),
                            Some(DuesField::Basis) => text(d.basis.label()),
                            _ => Value::Empty,
                        })
                    })
                    .collect();
                out.row(d.member_id, &row)?;
            }
        }
        SheetKind::Events => {
            let mut events = db.events_in(year).map_err(e)?;
            events.sort_by_cached_key(|(e, _)| (e.date, e.kind, rank_of(e.member_id)));
            for (ev, _) in &events {
                let row = row_of(sheet, ev, names, |c| person(c, ev.member_id));
                out.row(ev.id.unwrap_or_default(), &row)?;
            }
        }
        SheetKind::Activities => {
            let years = match year {
                Some(y) => vec![y],
                None => {
                    let mut y = db.activity_years().map_err(e)?;
                    y.reverse();
                    y
                }
            };
            // A year at a time: ten years of attendance names need not all be in memory at once.
            for y in years {
                for a in db.activities_full(Some(y)).map_err(e)? {
                    // Two members of one name on the list are told apart by their numbers.
                    let shared =
                        |name: &str| a.attendance.iter().filter(|x| x.name == name).count() > 1;
                    let names_of = |want: &dyn Fn(Presence) -> bool, reasons: bool| {
                        a.attendance
                            .iter()
                            .filter(|x| want(x.presence))
                            .map(|x| {
                                let name = crate::model::tagged_name(
                                    &x.name,
                                    names.person(x.member_id).1,
                                    shared(&x.name),
                                );
                                match reasons && !x.reason.is_empty() {
                                    true => format!("{name}（{}）", x.reason),
                                    false => name,
                                }
                            })
                            .collect::<Vec<_>>()
                            .join("、")
                    };
                    let row = row_of(sheet, &a, names, |c| match c.header {
                        h if h == PRESENT.header => {
                            Some(text(names_of(&|p| p == Presence::Present, false)))
                        }
                        h if h == LEAVE.header => {
                            Some(text(names_of(&|p| p == Presence::Leave, true)))
                        }
                        h if h == ABSENT.header => {
                            Some(text(names_of(&|p| p == Presence::Absent, true)))
                        }
                        _ if c.field
                            == Some(crate::model::activity::ActivityField::Types.into()) =>
                        {
                            let labels: Vec<&str> = a
                                .type_ids
                                .iter()
                                .filter_map(|t| names.types.get(t).map(String::as_str))
                                .collect();
                            Some(text(labels.join("、")))
                        }
                        _ if c.field
                            == Some(crate::model::activity::ActivityField::Themes.into()) =>
                        {
                            let labels: Vec<&str> = a
                                .theme_ids
                                .iter()
                                .filter_map(|t| names.themes.get(t).map(String::as_str))
                                .collect();
                            Some(text(labels.join("、")))
                        }
                        _ => None,
                    });
                    out.row(a.id.unwrap_or_default(), &row)?;
                }
            }
        }
        SheetKind::Talks => {
            let mut talks = db.talks(year).map_err(e)?;
            talks.sort_by_key(|t| (t.date, t.id));
            for t in &talks {
                let row = row_of(sheet, t, names, |c| match c.header {
                    h if h == SUBJECTS.header => Some(text(t.named_subjects().join("、"))),
                    h if h == MEMBER_SUBJECTS.header => Some(text(
                        t.subjects
                            .iter()
                            .map(|(id, name)| match names.person(*id).1 {
                                "" => name.clone(),
                                number => number.to_string(),
                            })
                            .collect::<Vec<_>>()
                            .join("、"),
                    )),
                    _ if c.field == Some(crate::model::talk::TalkField::Kind.into()) => Some(text(
                        names.kinds.get(&t.kind_id).cloned().unwrap_or_default(),
                    )),
                    _ => None,
                });
                out.row(t.id.unwrap_or_default(), &row)?;
            }
        }
        SheetKind::Rectify => {
            let mut items = db.rectifications().map_err(e)?;
            items.retain(|r| in_year(r.found_on));
            items.sort_by_key(|r| (r.found_on, r.id));
            for r in &items {
                let id = r.id.unwrap_or_default();
                let history = db.rectification_history(id).map_err(e)?;
                let row = row_of(sheet, r, names, |c| {
                    (c.header == HISTORY.header).then(|| {
                        text(
                            history
                                .iter()
                                .map(|h| {
                                    format!(
                                        "{} {}：{}",
                                        crate::model::date::iso(h.date),
                                        h.kind,
                                        h.text.replace(['\n', '\r'], " ")
                                    )
                                })
                                .collect::<Vec<_>>()
                                .join("\n"),
                        )
                    })
                });
                out.row(id, &row)?;
            }
        }
    }
    Ok(())
}

/// 应开展的活动 as the 支部 sheet writes it: "要求：党小组会；不要求：民主生活会".
pub fn expectations_text(list: &[(i64, bool)], types: &HashMap<i64, String>) -> String {
    let of = |want: bool| -> Vec<&str> {
        list.iter()
            .filter(|(_, e)| *e == want)
            .filter_map(|(t, _)| types.get(t).map(String::as_str))
            .collect()
    };
    let mut parts = Vec::new();
    for (word, want) in [("要求", true), ("不要求", false)] {
        let labels = of(want);
        if !labels.is_empty() {
            parts.push(format!("{word}：{}", labels.join("、")));
        }
    }
    parts.join("；")
}

/// Display width of text in characters, Chinese counting double.
fn width_of(s: &str) -> f64 {
    s.chars()
        .map(|c| if c.is_ascii() { 1.1 } else { 2.1 })
        .sum()
}

fn xlsx_error(e: rust_xlsxwriter::XlsxError) -> String {
    format!("写入 Excel 文件失败：{e}")
}

/// The formats every sheet uses.
struct Formats {
    header: Format,
    required: Format,
    date: Format,
    money: Format,
}

impl Formats {
    fn new() -> Self {
        let header = Format::new()
            .set_bold()
            .set_background_color(Color::RGB(0xDDE7F3))
            .set_border(FormatBorder::Thin);
        Formats {
            required: header.clone().set_font_color(Color::RGB(0xA00000)),
            header,
            date: Format::new().set_num_format("yyyy-mm-dd"),
            money: Format::new().set_num_format("0.00"),
        }
    }
}

/// A worksheet being written: its header is down, rows follow one by one, widths grow with them.
struct SheetWriter<'a> {
    ws: &'a mut Worksheet,
    sheet: &'a Sheet,
    widths: Vec<f64>,
    next: u32,
    /// Only the rows of these records (导出当前列表).
    keep: Option<&'a HashSet<i64>>,
}

impl<'a> SheetWriter<'a> {
    fn start(
        ws: &'a mut Worksheet,
        sheet: &'a Sheet,
        formats: &'a Formats,
        notes: bool,
        keep: Option<&'a HashSet<i64>>,
    ) -> Result<Self, String> {
        ws.set_name(sheet.name).map_err(xlsx_error)?;
        for (c, col) in sheet.cols.iter().enumerate() {
            // Dates and money take their format from the column: a cell written without a format
            // looks its column's up by number, where a format given per cell is hashed each time
            // (a third of the time of 200,000 rows of dues).
            match col.kind {
                Kind::Date => {
                    ws.set_column_format(c as u16, &formats.date)
                        .map_err(xlsx_error)?;
                }
                Kind::Money => {
                    ws.set_column_format(c as u16, &formats.money)
                        .map_err(xlsx_error)?;
                }
                _ => {}
            }
            let (title, format) = if col.required {
                (format!("{}*", col.header), &formats.required)
            } else {
                (col.header.to_string(), &formats.header)
            };
            ws.write_with_format(0, c as u16, title, format)
                .map_err(xlsx_error)?;
            if notes && !col.note.is_empty() {
                let note = Note::new(col.note).set_author("党务台账");
                ws.insert_note(0, c as u16, &note).map_err(xlsx_error)?;
            }
        }
        Ok(SheetWriter {
            widths: sheet
                .cols
                .iter()
                .map(|c| width_of(c.header) + 3.0)
                .collect(),
            ws,
            sheet,
            next: 1,
            keep,
        })
    }

    fn finish(self) -> Result<usize, String> {
        for (c, w) in self.widths.iter().enumerate() {
            self.ws.set_column_width(c as u16, *w).map_err(xlsx_error)?;
        }
        self.ws.set_freeze_panes(1, 0).map_err(xlsx_error)?;
        self.ws
            .autofilter(0, 0, self.next - 1, self.sheet.cols.len() as u16 - 1)
            .map_err(xlsx_error)?;
        Ok(self.next as usize - 1)
    }
}

impl Rows for SheetWriter<'_> {
    fn row(&mut self, key: i64, cells: &[Value]) -> Result<(), String> {
        if self.keep.is_some_and(|k| !k.contains(&key)) {
            return Ok(());
        }
        let r = self.next;
        for (c, v) in cells.iter().enumerate() {
            let c16 = c as u16;
            match v {
                Value::Empty => {}
                Value::Text(s) => {
                    self.ws.write_string(r, c16, s).map_err(xlsx_error)?;
                    self.widths[c] = self.widths[c].max(width_of(s).min(60.0));
                }
                Value::Number(n) => {
                    self.ws.write_number(r, c16, *n).map_err(xlsx_error)?;
                }
                Value::Date(d) => {
                    let cell =
                        ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
                            .map_err(xlsx_error)?;
                    self.ws.write_datetime(r, c16, &cell).map_err(xlsx_error)?;
                    self.widths[c] = self.widths[c].max(12.0);
                }
            }
        }
        self.next += 1;
        Ok(())
    }
}

/// Writes the sheets of `kinds` to `path`, each filled by `fill`; returns the rows of each.
fn write_book(
    path: &Path,
    kinds: &[SheetKind],
    notes: bool,
    keep: Option<&HashSet<i64>>,
    mut fill: impl FnMut(SheetKind, &mut dyn Rows) -> Result<(), String>,
) -> Result<Summary, String> {
    let mut book = Workbook::new();
    // Deflate level 3 instead of 6: most of a large export's time is compression, and level 3
    // saves about a third of it for a file some 6% larger (rust_xlsxwriter's measurements).
    book.set_zip_compression_level(3);
    let formats = Formats::new();
    let mut summary = Vec::new();
    for &kind in kinds {
        let ws = book
            .add_worksheet_with_constant_memory()
            .map_err(xlsx_error)?;
        let started = std::time::Instant::now();
        let mut w = SheetWriter::start(ws, kind.sheet(), &formats, notes, keep)?;
        fill(kind, &mut w)?;
        summary.push((kind.name(), w.finish()?));
        if std::env::var_os("DANGWU_TIMING").is_some() {
            eprintln!("导出“{}”：{:?}", kind.name(), started.elapsed());
        }
    }
    let started = std::time::Instant::now();
    crate::paths::save_whole(path, |partial| book.save(partial).map_err(xlsx_error))?;
    if std::env::var_os("DANGWU_TIMING").is_some() {
        eprintln!("压缩并写入文件：{:?}", started.elapsed());
    }
    Ok(summary)
}

/// 导出台账: every sheet from the records of `year` (all when `None`).
pub fn export(
    db: &Db,
    path: &Path,
    year: Option<i32>,
    today: NaiveDate,
) -> Result<Summary, String> {
    let names = Names::read(db, today).map_err(|e| e.to_string())?;
    write_book(path, &SheetKind::ALL, false, None, |kind, out| {
        sheet_rows(db, kind, year, today, &names, out)
    })
}

/// 导出当前列表: the rows of the sheet named `sheet` whose records are `ids`, in the export's
/// order, as a workbook of that one sheet.
pub fn export_list(
    db: &Db,
    path: &Path,
    sheet: &str,
    ids: &[i64],
    today: NaiveDate,
) -> Result<usize, String> {
    let kind = SheetKind::named(sheet).ok_or_else(|| format!("没有“{sheet}”这张表"))?;
    let names = Names::read(db, today).map_err(|e| e.to_string())?;
    let keep: HashSet<i64> = ids.iter().copied().collect();
    let summary = write_book(path, &[kind], false, Some(&keep), |kind, out| {
        sheet_rows(db, kind, None, today, &names, out)
    })?;
    Ok(summary.first().map_or(0, |(_, n)| *n))
}

/// The rows of one sheet as cells, for tests and the preview: what an export would write.
pub fn rows(
    db: &Db,
    kind: SheetKind,
    year: Option<i32>,
    today: NaiveDate,
) -> Result<Vec<Vec<Value>>, String> {
    struct Collect(Vec<Vec<Value>>);
    impl Rows for Collect {
        fn row(&mut self, _: i64, cells: &[Value]) -> Result<(), String> {
            self.0.push(cells.to_vec());
            Ok(())
        }
    }
    let names = Names::read(db, today).map_err(|e| e.to_string())?;
    let mut out = Collect(Vec::new());
    sheet_rows(db, kind, year, today, &names, &mut out)?;
    Ok(out.0)
}

/// 下载导入模板: the sheets empty, a note on each header, one example row each.
pub fn template(path: &Path) -> Result<(), String> {
    write_book(path, &SheetKind::ALL, true, None, |kind, out| {
        let cells: Vec<Value> = kind.sheet().example.iter().map(|t| text(*t)).collect();
        out.row(0, &cells)
    })
    .map(|_| ())
}
