//! How a sheet is read: which of the ledger's sheets it is, where its header row is, which column
//! goes to which field, which rows are records. A template sheet is known by its name; any other
//! (党员花名册, Sheet1, 机关第一党支部2022年台账) by its header row, wherever it is in the first
//! rows, with the header words staff use (the fields' synonyms). Titles above the header and rows
//! that are not records (合计, 填表人, 说明, blank) are skipped and said. A sheet whose kind is not
//! clear is listed, not guessed.

use std::collections::HashMap;

use crate::workbook::{Col, EXAMPLE_MARK, Kind, Sheet, SheetKind, Table, Value};

/// How far down a header row is looked for: a title or two, a date line, a blank row.
const HEADER_SEARCH_ROWS: usize = 12;

/// Words that start a row below the records: totals, signatures, notes.
const NOT_RECORDS: &[&str] = &[
    "合计",
    "小计",
    "总计",
    "共计",
    "填表人",
    "填报人",
    "制表人",
    "审核人",
    "负责人",
    "填表日期",
    "填报日期",
    "制表日期",
    "统计日期",
    "说明",
    "注：",
    "注:",
    "备注：",
    "备注:",
];

/// Columns that number the rows and are no field's.
const ROW_NUMBERS: &[&str] = &["序号", "编号", "No", "NO", "No.", "NO."];

/// A correction the user made to a reading, remembered for the next file with the same headers.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Correction {
    /// The sheet's kind by its template name (党员, 活动 …), or empty for "not a ledger sheet".
    pub kind: Option<String>,
    /// Header as written → the template header it goes to ("" for none).
    pub columns: Vec<(String, String)>,
}

/// One sheet as read.
#[derive(Debug, Clone, Default)]
pub struct Reading {
    /// The sheet's name in the workbook.
    pub name: String,
    pub kind: Option<SheetKind>,
    /// Why the kind is not clear (listed, not imported).
    pub unclear: Option<String>,
    /// Index of the header row in the table.
    pub header_row: usize,
    /// Each header as written, and the template header it was taken for (`None`: left out).
    pub columns: Vec<(String, Option<&'static str>)>,
    /// Indexes of the rows read as records.
    pub records: Vec<usize>,
    /// Rows left out: (index, why).
    pub skipped: Vec<(usize, String)>,
    /// The text of the title rows and the sheet's name, where an organisation may be named.
    pub title: String,
}

/// Header text as compared: no spaces, no required-marks, no line breaks.
pub fn clean(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '*' | '＊' | ' ' | '　' | '\n' | '\r'))
        .collect()
}

fn col_for<'s>(sheet: &'s Sheet, header: &str) -> Option<&'s Col> {
    sheet
        .cols
        .iter()
        .find(|c| c.header == header || c.synonyms.contains(&header))
}

/// How many of `sheet`'s columns the row names.
fn score(sheet: &Sheet, row: &[Value]) -> usize {
    let mut seen: Vec<&str> = Vec::new();
    for cell in row {
        if let Some(c) = col_for(sheet, &clean(&cell.text()))
            && !seen.contains(&c.header)
        {
            seen.push(c.header);
        }
    }
    seen.len()
}

/// The columns a sheet must have to be read as that kind: its required columns, except the
/// organisation, which a title may give.
fn missing_required(sheet: &Sheet, row: &[Value]) -> Vec<&'static str> {
    let present: Vec<&str> = row
        .iter()
        .filter_map(|v| col_for(sheet, &clean(&v.text())).map(|c| c.header))
        .collect();
    sheet
        .cols
        .iter()
        .filter(|c| c.required && c.kind != Kind::Org && !present.contains(&c.header))
        .map(|c| c.header)
        .collect()
}

fn is_blank(row: &[Value]) -> bool {
    row.iter().all(|v| v.text().trim().is_empty())
}

fn row_text(row: &[Value]) -> String {
    row.iter()
        .map(|v| v.text().trim().to_string())
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Reads `table` (named `name` in the workbook). `correction`, when the user gave one for these
/// headers, decides the kind and columns.
pub fn read(name: &str, table: &Table, correction: Option<&Correction>) -> Reading {
    let mut reading = Reading {
        name: name.to_string(),
        ..Default::default()
    };
    let rows = &table.rows;
    let search = rows.len().min(HEADER_SEARCH_ROWS);
    // The kind the user set (`Some(None)`: not to be imported), else the one a template name gives.
    let forced: Option<Option<SheetKind>> = correction
        .and_then(|c| c.kind.as_ref())
        .map(|k| SheetKind::named(k))
        .or_else(|| SheetKind::named(name).map(Some));
    // The header row: the row of the first rows that names the most columns of a sheet.
    let kinds: Vec<SheetKind> = match forced {
        Some(Some(k)) => vec![k],
        Some(None) => {
            reading.unclear = Some("已设为不导入".into());
            return reading;
        }
        None => SheetKind::ALL.to_vec(),
    };
    let mut scored: Vec<(usize, usize, SheetKind)> = Vec::new(); // (score, row, kind)
    for (i, row) in rows.iter().take(search).enumerate() {
        for &k in &kinds {
            let s = score(k.sheet(), row);
            if s > 0 {
                scored.push((s, i, k));
            }
        }
    }
    // The most columns named; of equals, the higher row.
    let best = scored
        .iter()
        .copied()
        .max_by_key(|(s, i, _)| (*s, std::cmp::Reverse(*i)));
    let tied = best.is_some_and(|(s, i, k)| {
        scored
            .iter()
            .any(|(s2, i2, k2)| *s2 == s && *i2 == i && *k2 != k)
    });
    let Some((points, header_row, kind)) = best else {
        reading.unclear = Some("前几行中没有认识的表头（如 姓名、日期、主题）".into());
        return reading;
    };
    let header = &rows[header_row];
    if forced.is_none() {
        let missing = missing_required(kind.sheet(), header);
        if tied || points < 2 {
            reading.unclear = Some(format!(
                "看不出是哪一种台账（第{}行的表头{}）",
                header_row + 1,
                row_text(header)
            ));
            return reading;
        }
        if !missing.is_empty() {
            reading.unclear = Some(format!(
                "像是“{}”表，但缺少必填的列：{}",
                kind.name(),
                missing.join("、")
            ));
            return reading;
        }
    }
    reading.kind = Some(kind);
    reading.header_row = header_row;
    let sheet = kind.sheet();
    let corrected: HashMap<&str, &str> = correction
        .map(|c| {
            c.columns
                .iter()
                .map(|(a, b)| (a.as_str(), b.as_str()))
                .collect()
        })
        .unwrap_or_default();
    let mut taken: Vec<&'static str> = Vec::new();
    for cell in header {
        let text = clean(&cell.text());
        let to = match corrected.get(text.as_str()) {
            Some(&"") => None,
            Some(h) => sheet.cols.iter().find(|c| c.header == *h).map(|c| c.header),
            None if ROW_NUMBERS.contains(&text.as_str()) => None,
            None => col_for(sheet, &text).map(|c| c.header),
        };
        // A second column for the same field is left out: the first one counts.
        let to = to.filter(|h| !taken.contains(h));
        taken.extend(to);
        reading.columns.push((text, to));
    }
    let mut title: Vec<String> = vec![name.to_string()];
    for (i, row) in rows.iter().enumerate() {
        if i < header_row {
            if !is_blank(row) {
                title.push(row_text(row));
                reading
                    .skipped
                    .push((i, format!("表头上方的标题：{}", row_text(row))));
            }
            continue;
        }
        if i == header_row {
            continue;
        }
        if is_blank(row) {
            continue;
        }
        let first = row
            .iter()
            .map(|v| v.text().trim().to_string())
            .find(|t| !t.is_empty())
            .unwrap_or_default();
        if first.starts_with(EXAMPLE_MARK) {
            continue;
        }
        if let Some(word) = NOT_RECORDS.iter().find(|w| first.starts_with(**w)) {
            let word = word.trim_end_matches([':', '：']);
            reading
                .skipped
                .push((i, format!("“{word}”行不是记录：{}", row_text(row))));
            continue;
        }
        reading.records.push(i);
    }
    reading.title = title.join(" ");
    reading
}

impl Reading {
    /// Header → column index, as the rows are read.
    pub fn map(&self) -> HashMap<&'static str, usize> {
        self.columns
            .iter()
            .enumerate()
            .filter_map(|(i, (_, to))| to.map(|h| (h, i)))
            .collect()
    }

    /// The headers left out, as written (序号 and empty ones not said).
    pub fn ignored(&self) -> Vec<String> {
        self.columns
            .iter()
            .filter(|(text, to)| {
                to.is_none() && !text.is_empty() && !ROW_NUMBERS.contains(&text.as_str())
            })
            .map(|(text, _)| text.clone())
            .collect()
    }

    /// The template header of the sheet's organisation column, when the sheet has none: the
    /// organisation must come from its title or name, or from the user.
    pub fn org_column_missing(&self) -> Option<&'static str> {
        let sheet = self.kind?.sheet();
        let col = sheet
            .cols
            .iter()
            .find(|c| c.kind == Kind::Org && c.required)?;
        (!self.columns.iter().any(|(_, to)| *to == Some(col.header))).then_some(col.header)
    }

    /// The correction that gives this reading (to remember it).
    pub fn correction(&self) -> Correction {
        Correction {
            kind: Some(self.kind.map_or(String::new(), |k| k.name().to_string())),
            columns: self
                .columns
                .iter()
                .map(|(a, b)| (a.clone(), b.unwrap_or("").to_string()))
                .collect(),
        }
    }

    /// The key a correction is remembered by: the sheet's header words.
    pub fn key(table: &Table) -> String {
        table
            .rows
            .iter()
            .take(HEADER_SEARCH_ROWS)
            .enumerate()
            // The first of the fullest rows: the header, not a record as full as it.
            .max_by_key(|(i, r)| {
                (
                    r.iter().filter(|v| !v.text().trim().is_empty()).count(),
                    std::cmp::Reverse(*i),
                )
            })
            .map(|(_, r)| r)
            .map(|r| {
                r.iter()
                    .map(|v| clean(&v.text()))
                    .collect::<Vec<_>>()
                    .join("|")
            })
            .unwrap_or_default()
    }
}

/// The organisation named in `text` (a title, a sheet's name) when exactly one of `names` is: a
/// name inside a longer name that is also there (第一党支部 in 机关第一党支部) does not count.
pub fn org_named<'n>(
    text: &str,
    names: impl IntoIterator<Item = &'n str>,
) -> Result<&'n str, Vec<&'n str>> {
    let found: Vec<&str> = names
        .into_iter()
        .filter(|n| !n.is_empty() && text.contains(n))
        .collect();
    let longest: Vec<&str> = found
        .iter()
        .copied()
        .filter(|n| !found.iter().any(|m| m.len() > n.len() && m.contains(n)))
        .collect();
    match longest.as_slice() {
        [one] => Ok(one),
        _ => Err(longest),
    }
}
