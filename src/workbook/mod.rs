//! The Excel workbook of `../shared/spec/workbook.md`: the sheets and their columns (with the header
//! spellings staff use), reading any workbook into plain tables, exporting, importing.
//!
//! Reading is calamine (.xlsx, .xls, .ods: what Excel and WPS save); writing is rust_xlsxwriter.

pub mod export;
pub mod import;
mod sheets;

use std::collections::HashMap;
use std::path::Path;

use calamine::{Data, DataRef, Reader};
use chrono::NaiveDate;

use crate::model::FieldKey;
use crate::model::field::Field;
pub use crate::model::field::Kind;
pub use sheets::{SHEETS, SheetKind};

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

/// Writes a file the user asked for (an export, an error list) whole or not at all: into an
/// owner-only `….partial` beside it (personal data: ID numbers, phones), renamed over `path` only
/// once complete. A full disk leaves neither a half-written workbook nor a damaged older one.
pub fn save_whole(
    path: &Path,
    write: impl FnOnce(&Path) -> Result<(), String>,
) -> Result<(), String> {
    let partial = crate::store::beside(path, ".partial");
    let _ = std::fs::remove_file(&partial);
    let failed = |e: std::io::Error| {
        format!(
            "无法写入“{}”：{}",
            path.display(),
            crate::paths::io_message(&e)
        )
    };
    crate::store::private::create_file(&partial).map_err(failed)?;
    let written = write(&partial).and_then(|()| std::fs::rename(&partial, path).map_err(failed));
    if written.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    written
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

/// Reads every sheet of a workbook (.xlsx, .xls, .ods) into tables of the cells that hold
/// something. A file that is not a workbook, or is damaged, is said so in Chinese.
pub fn read(path: &Path) -> Result<Vec<Table>, String> {
    let name = path.display();
    let mut book = calamine::open_workbook_auto(path).map_err(|e| {
        format!(
            "无法读取 {name}：不是 Excel / WPS 工作簿（.xlsx、.xls、.ods），或文件已损坏（{e}）"
        )
    })?;
    let sheets = book.sheet_names().to_vec();
    let mut out = Vec::new();
    for sheet in sheets {
        let mut cells: HashMap<u32, Vec<(u32, Value)>> = HashMap::new();
        let damaged =
            |e: &dyn std::fmt::Display| format!("工作表“{sheet}”无法读取，文件可能已损坏（{e}）");
        match &mut book {
            // Only the cells that hold something: a sheet of a million formatted empty rows is
            // read as what it is, empty.
            calamine::Sheets::Xlsx(x) => {
                let mut reader = x.worksheet_cells_reader(&sheet).map_err(|e| damaged(&e))?;
                let mut count = 0_usize;
                while let Some(cell) = reader.next_cell().map_err(|e| damaged(&e))? {
                    let v = from_ref(cell.get_value());
                    if v.is_empty() {
                        continue;
                    }
                    let (r, c) = cell.get_position();
                    cells.entry(r).or_default().push((c, v));
                    count += 1;
                    if cells.len() > MAX_ROWS || count > MAX_ROWS * 40 {
                        return Err(format!(
                            "工作表“{sheet}”超过 {MAX_ROWS} 行，不像台账，未导入"
                        ));
                    }
                }
            }
            other => {
                let range = other.worksheet_range(&sheet).map_err(|e| damaged(&e))?;
                let (r0, c0) = range.start().unwrap_or((0, 0));
                for (r, row) in range.rows().enumerate() {
                    for (c, d) in row.iter().enumerate() {
                        let v = from_data(d);
                        if !v.is_empty() {
                            cells
                                .entry(r0 + r as u32)
                                .or_default()
                                .push((c0 + c as u32, v));
                        }
                    }
                    if cells.len() > MAX_ROWS {
                        return Err(format!(
                            "工作表“{sheet}”超过 {MAX_ROWS} 行，不像台账，未导入"
                        ));
                    }
                }
            }
        }
        let last = cells.keys().copied().max().map_or(0, |r| r as usize + 1);
        let mut rows = vec![Vec::new(); last];
        for (r, mut row) in cells {
            row.sort_by_key(|(c, _)| *c);
            let width = row.last().map_or(0, |(c, _)| *c as usize + 1);
            let mut dense = vec![Value::Empty; width];
            for (c, v) in row {
                dense[c as usize] = v;
            }
            rows[r as usize] = dense;
        }
        out.push(Table { name: sheet, rows });
    }
    Ok(out)
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
