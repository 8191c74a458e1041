//! The Excel workbook of `../shared/spec/workbook.md`: the sheets and their columns (with the header
//! spellings staff use), reading any workbook into plain tables, exporting, importing.
//!
//! Reading is calamine (.xlsx, .xls, .ods: what Excel and WPS save); writing is rust_xlsxwriter.

pub mod export;
pub mod import;
mod sheets;

use std::collections::HashMap;
use std::path::Path;

use calamine::{Data, DataRef, Reader as _};
use chrono::NaiveDate;

use crate::model::FieldKey;
use crate::model::field::Field;
pub use crate::model::field::Kind;
pub use sheets::{SHEETS, SheetKind, markdown as sheets_markdown};

/// One column of a sheet: its header, the other spellings staff write, and the note the template
/// puts on it. A column that shows a field takes all of these from the field's declaration.
#[derive(Debug, Clone, Copy)]
pub struct Col {
    pub header: &'static str,
    pub required: bool,
    pub kind: Kind,
    pub synonyms: &'static [&'static str],
    pub note: &'static str,
    /// The field the column shows; `None` for a column of the sheet's own (the person a row of
    /// 党费 is about, the 整改过程 of an item).
    pub field: Option<FieldKey>,
}

impl Col {
    /// The column of a declared field.
    pub fn of<K>(fields: &'static [Field<K>], key: K) -> Col
    where
        K: Copy + PartialEq + std::fmt::Debug + Into<FieldKey>,
    {
        let f = crate::model::field::find(fields, key);
        Col {
            header: f.label,
            required: f.required,
            kind: f.kind,
            synonyms: f.synonyms,
            note: f.note,
            field: Some(key.into()),
        }
    }

    /// A column of the sheet's own.
    pub const fn extra(header: &'static str, kind: Kind, note: &'static str) -> Col {
        Col {
            header,
            required: false,
            kind,
            synonyms: &[],
            note,
            field: None,
        }
    }

    pub const fn required(mut self) -> Col {
        self.required = true;
        self
    }

    pub const fn synonyms(mut self, synonyms: &'static [&'static str]) -> Col {
        self.synonyms = synonyms;
        self
    }

    /// Whether `header` (as cleaned) names this column.
    fn answers_to(&self, header: &str) -> bool {
        self.header == header || self.synonyms.contains(&header)
    }
}

/// One sheet: its name, columns, and the template's example row (same order as the columns).
pub struct Sheet {
    pub kind: SheetKind,
    pub name: &'static str,
    pub cols: Vec<Col>,
    pub example: Vec<&'static str>,
}

impl Sheet {
    /// The column with `header`.
    pub fn col(&self, header: &str) -> Option<&Col> {
        self.cols.iter().find(|c| c.header == header)
    }

    /// The column that shows `field`.
    pub fn col_of(&self, field: impl Into<FieldKey>) -> Option<&Col> {
        let key = field.into();
        self.cols.iter().find(|c| c.field == Some(key))
    }
}

/// Marks the template's example rows (skipped on import).
pub const EXAMPLE_MARK: &str = "【示例】";

/// A cell as read.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Empty,
    Text(String),
    Number(f64),
    Date(NaiveDate),
}

impl Value {
    /// As text, the way a user would read it in the cell.
    pub fn text(&self) -> String {
        match self {
            Value::Empty => String::new(),
            Value::Text(s) => s.trim().to_string(),
            Value::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Value::Number(n) => format!("{n}"),
            Value::Date(d) => crate::model::date::iso(*d),
        }
    }

    pub fn is_empty(&self) -> bool {
        match self {
            Value::Empty => true,
            Value::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }
}

/// One sheet read: row 0 is the header row. Row numbers in messages are Excel's (index + 1).
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub name: String,
    pub rows: Vec<Vec<Value>>,
}

/// More rows with content than any bureau has: refused rather than read into memory.
const MAX_ROWS: usize = 500_000;
/// A cell longer than this is not a ledger's (the longest are meeting minutes).
const MAX_CELL_BYTES: usize = 1 << 20;
/// A part of the file unpacked larger than this (a sheet, the shared strings) is refused before
/// it is unpacked: a ledger of ten years of a large bureau has sheets of tens of megabytes.
const MAX_PART_BYTES: u64 = 400 << 20;
/// The same for the whole file unpacked, and for an .xls (which is not packed).
const MAX_BOOK_BYTES: u64 = 1 << 30;

/// Excel's serial day 0 (with its 1900 leap-year bug, serials from 61 on count from here).
pub(crate) fn serial_date(serial: f64) -> Option<NaiveDate> {
    let base = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    (1.0..2_958_466.0)
        .contains(&serial)
        .then(|| base + chrono::Duration::days(serial.floor() as i64))
}

fn from_data(d: &Data) -> Value {
    match d {
        Data::Empty | Data::Error(_) => Value::Empty,
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => Value::Text(s.clone()),
        Data::Int(i) => Value::Number(*i as f64),
        Data::Float(f) => Value::Number(*f),
        Data::Bool(b) => Value::Text(if *b { "是" } else { "否" }.into()),
        Data::DateTime(dt) => serial_date(dt.as_f64()).map_or(Value::Empty, Value::Date),
    }
}

fn from_ref(d: &DataRef) -> Value {
    match d {
        DataRef::SharedString(s) => Value::Text((*s).to_string()),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => {
            Value::Text(s.clone())
        }
        DataRef::Int(i) => Value::Number(*i as f64),
        DataRef::Float(f) => Value::Number(*f),
        DataRef::Bool(b) => Value::Text(if *b { "是" } else { "否" }.into()),
        DataRef::DateTime(dt) => serial_date(dt.as_f64()).map_or(Value::Empty, Value::Date),
        DataRef::Error(_) | DataRef::Empty => Value::Empty,
    }
}

/// Refuses a workbook whose parts would not fit in memory (a zip bomb), from the sizes its zip
/// directory declares, before anything is unpacked; an .xls by its size.
fn check_size(path: &Path) -> Result<(), String> {
    let name = path.display();
    let io = |e: std::io::Error| format!("无法读取 {name}：{}", crate::paths::io_message(&e));
    let file = std::fs::File::open(path).map_err(io)?;
    let mut head = [0u8; 2];
    let is_zip = std::io::Read::read_exact(&mut &file, &mut head).is_ok() && head == *b"PK";
    if !is_zip {
        let len = file.metadata().map_err(io)?.len();
        if len > MAX_BOOK_BYTES {
            return Err(format!("{name} 有 {} MB，不像台账，未导入", len >> 20));
        }
        return Ok(());
    }
    // Not readable as a zip: calamine says why below.
    let Ok(mut zip) = zip::ZipArchive::new(std::fs::File::open(path).map_err(io)?) else {
        return Ok(());
    };
    let mut total = 0_u64;
    for i in 0..zip.len() {
        let Ok(part) = zip.by_index_raw(i) else {
            continue;
        };
        let size = part.size();
        total = total.saturating_add(size);
        if size > MAX_PART_BYTES || total > MAX_BOOK_BYTES {
            return Err(format!(
                "{name} 中的“{}”解压后有 {} MB，不像台账（可能是损坏或恶意的文件），未导入",
                part.name().unwrap_or_default(),
                size >> 20
            ));
        }
    }
    Ok(())
}

/// A workbook open for reading, one sheet at a time: an import reads a sheet, writes its rows and
/// lets it go before the next, so a large workbook is never in memory whole. (Reading the next
/// sheet on a second thread meanwhile was tried: 6% faster on two cores for 60 MB more.)
pub struct Book {
    book: Reader,
    names: Vec<String>,
}

type Reader = calamine::Sheets<std::io::BufReader<std::fs::File>>;

impl Book {
    /// Opens a workbook (.xlsx, .xls, .ods). A file that is not a workbook, is damaged, or would
    /// unpack to far more than a ledger is said so in Chinese.
    pub fn open(path: &Path) -> Result<Book, String> {
        check_size(path)?;
        let name = path.display();
        let book = calamine::open_workbook_auto(path).map_err(|e| {
            format!(
                "无法读取 {name}：不是 Excel / WPS 工作簿（.xlsx、.xls、.ods），或文件已损坏（{e}）"
            )
        })?;
        let names = book.sheet_names().to_vec();
        Ok(Book { book, names })
    }

    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The cells of one sheet that hold something.
    pub fn read_sheet(&mut self, sheet: &str) -> Result<Table, String> {
        read_sheet(&mut self.book, sheet)
    }
}

/// The cells of one sheet that hold something.
fn read_sheet(book: &mut Reader, sheet: &str) -> Result<Table, String> {
    let damaged =
        |e: &dyn std::fmt::Display| format!("工作表“{sheet}”无法读取，文件可能已损坏（{e}）");
    let too_many = || format!("工作表“{sheet}”超过 {MAX_ROWS} 行，不像台账，未导入");
    let mut rows: Vec<Vec<Value>> = Vec::new();
    let mut put = |r: u32, c: u32, v: Value| -> Result<(), String> {
        if let Value::Text(t) = &v
            && t.len() > MAX_CELL_BYTES
        {
            return Err(format!(
                "工作表“{sheet}”第{}行有一个单元格超过 1 MB，不像台账，未导入",
                r + 1
            ));
        }
        let (r, c) = (r as usize, c as usize);
        if r >= MAX_ROWS || c >= 1000 {
            return Err(too_many());
        }
        if rows.len() <= r {
            rows.resize_with(r + 1, Vec::new);
        }
        let row = &mut rows[r];
        if row.len() <= c {
            row.resize(c + 1, Value::Empty);
        }
        row[c] = v;
        Ok(())
    };
    match book {
        // Only the cells that hold something: a sheet of a million formatted empty rows is
        // read as what it is, empty.
        calamine::Sheets::Xlsx(x) => {
            let mut reader = x.worksheet_cells_reader(sheet).map_err(|e| damaged(&e))?;
            while let Some(cell) = reader.next_cell().map_err(|e| damaged(&e))? {
                let v = from_ref(cell.get_value());
                if !v.is_empty() {
                    let (r, c) = cell.get_position();
                    put(r, c, v)?;
                }
            }
        }
        other => {
            let range = other.worksheet_range(sheet).map_err(|e| damaged(&e))?;
            let (r0, c0) = range.start().unwrap_or((0, 0));
            for (r, row) in range.rows().enumerate() {
                for (c, d) in row.iter().enumerate() {
                    let v = from_data(d);
                    if !v.is_empty() {
                        put(r0 + r as u32, c0 + c as u32, v)?;
                    }
                }
            }
        }
    }
    Ok(Table {
        name: sheet.to_string(),
        rows,
    })
}

/// Reads every sheet of a workbook (.xlsx, .xls, .ods) into tables of the cells that hold
/// something. A file that is not a workbook, or is damaged, is said so in Chinese.
pub fn read(path: &Path) -> Result<Vec<Table>, String> {
    let mut book = Book::open(path)?;
    let names = book.names().to_vec();
    names.iter().map(|n| book.read_sheet(n)).collect()
}

/// Where an import takes its sheets from: a workbook read one sheet at a time, or tables already
/// read (tests, the preview's second look).
pub trait Sheets {
    fn names(&self) -> Vec<String>;
    /// The sheet called `name`, read now.
    fn sheet(&mut self, name: &str) -> Result<Table, String>;
}

impl Sheets for Book {
    fn names(&self) -> Vec<String> {
        self.names.clone()
    }

    fn sheet(&mut self, name: &str) -> Result<Table, String> {
        self.read_sheet(name)
    }
}

impl<T: AsRef<[Table]>> Sheets for T {
    fn names(&self) -> Vec<String> {
        self.as_ref().iter().map(|t| t.name.clone()).collect()
    }

    fn sheet(&mut self, name: &str) -> Result<Table, String> {
        self.as_ref()
            .iter()
            .find(|t| t.name == name)
            .cloned()
            .ok_or_else(|| format!("没有工作表“{name}”"))
    }
}

/// The position of each of `sheet`'s columns in `headers`, by header or synonym (ignoring `*`,
/// spaces and full-width brackets), and the headers that match nothing.
pub fn header_map(sheet: &Sheet, headers: &[Value]) -> (HashMap<&'static str, usize>, Vec<String>) {
    let clean = |s: &str| -> String {
        s.chars()
            .filter(|c| !matches!(c, '*' | '＊' | ' ' | '　' | '\n'))
            .collect()
    };
    let mut found = HashMap::new();
    let mut ignored = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        let text = clean(&h.text());
        if text.is_empty() {
            continue;
        }
        match sheet.cols.iter().find(|c| c.answers_to(&text)) {
            Some(c) => {
                found.entry(c.header).or_insert(i);
            }
            None => ignored.push(text),
        }
    }
    (found, ignored)
}
