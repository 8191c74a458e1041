//! Reading a workbook into the records, all or nothing.
//!
//! Every row becomes the input the record's form builds (`MemberInput`, `ActivityInput` …: the
//! record as it is in the file when the row names one, with the sheet's columns set over it) and
//! is checked by the same `validate` the form calls; its messages are listed with the sheet, row
//! and column they are about, and the form's hints (发展党员细则) as 提示. The import adds only the
//! checks rows can fail together (the same ID number twice, a known number under another name).
//! A column the sheet does not have leaves its field alone; a present column with an empty cell
//! clears it.
//!
//! The writes are the ordinary saves inside one transaction (`Db::batch`): nothing is written while
//! there is one error, a dry run (the preview) makes them and rolls them back, and any SQLite error
//! (a full disk, an I/O error, a file held elsewhere) ends the whole import with nothing written.
//! Importing the same workbook twice changes nothing the second time.

mod elections;
mod ledger;
mod members;
mod orgs;
mod row;
mod who;

use chrono::NaiveDate;

use super::{SheetKind, Sheets, Table};
use crate::store::{Db, StoreError};
use row::Row;
use who::Who;

/// One problem, where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub sheet: String,
    /// Excel's row number (1 is the header row); 0 for the sheet as a whole.
    pub row: usize,
    pub column: String,
    pub value: String,
    pub message: String,
}

impl Problem {
    fn about_sheet(sheet: &str, message: impl Into<String>) -> Problem {
        Problem {
            sheet: sheet.into(),
            row: 0,
            column: String::new(),
            value: String::new(),
            message: message.into(),
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if !self.sheet.is_empty() {
            write!(f, "“{}”表", self.sheet)?;
        }
        if self.row > 0 {
            write!(f, "第{}行", self.row)?;
        }
        if !self.column.is_empty() {
            write!(f, "“{}”列", self.column)?;
        }
        if !self.value.is_empty() {
            write!(f, "（{}）", self.value)?;
        }
        if self.sheet.is_empty() && self.row == 0 && self.column.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "：{}", self.message)
        }
    }
}

/// What one sheet would do (or did).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SheetCounts {
    pub sheet: &'static str,
    pub present: bool,
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
}

#[derive(Debug, Clone, Default)]
pub struct Report {
    pub sheets: Vec<SheetCounts>,
    pub errors: Vec<Problem>,
    pub warnings: Vec<Problem>,
    /// Whether the records were written (no error, not a dry run).
    pub written: bool,
    /// Why the import stopped with nothing written although the rows were right: the disk is
    /// full, the file is held elsewhere, SQLite reported an error.
    pub failure: Option<String>,
}

impl Report {
    /// One line per sheet present, as the command line prints it.
    pub fn summary(&self) -> String {
        self.sheets
            .iter()
            .filter(|s| s.present)
            .map(|s| {
                format!(
                    "{}：新增 {}，更新 {}，未变 {}",
                    s.sheet, s.added, s.updated, s.unchanged
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Whether the import can be (or was) written: no problem in any row and no failure.
    pub fn is_clean(&self) -> bool {
        self.errors.is_empty() && self.failure.is_none()
    }
}

/// A row's outcome.
enum Outcome {
    Added,
    Updated,
    Unchanged,
}

impl Outcome {
    /// A row written: an update of a record that was there, else an addition.
    fn written(existed: bool) -> Self {
        if existed {
            Outcome::Updated
        } else {
            Outcome::Added
        }
    }
}

/// What a row did; `Ok(None)` when it had problems (listed in the row). An `Err` stops the import.
type Done = Result<Option<Outcome>, StoreError>;

/// The message of [`StoreError`] that rolls the batch back on purpose (errors in rows, a dry run).
const ROLLED_BACK: &str = "导入未写入";

/// Why an import stopped, in the words of a user, ending with what it means for the file.
fn failure_message(e: &StoreError) -> String {
    use rusqlite::ErrorCode as C;
    let code = match e {
        StoreError::Sqlite(s) => s.sqlite_error_code(),
        _ => None,
    };
    match code {
        Some(C::DiskFull) => "磁盘空间不足，未导入任何内容。请清理磁盘空间后重新导入。".into(),
        Some(C::DatabaseBusy | C::DatabaseLocked) => {
            "数据文件正被其他程序使用，未导入任何内容。请稍后重新导入。".into()
        }
        Some(C::ReadOnly) => "数据文件是只读的（或所在文件夹不允许写入），未导入任何内容。".into(),
        Some(C::SystemIoFailure) => {
            "读写数据文件时出错（磁盘或网络故障），未导入任何内容。数据文件保持导入前的样子。"
                .into()
        }
        _ => format!("{e}，未导入任何内容。"),
    }
}

/// Imports the sheets of workbook.md found in `book` into `db`, in the spec's order, as one
/// transaction (rolled back for a dry run or when any row has a problem). Each sheet is read when
/// its turn comes and let go after its rows are written.
pub fn import(db: &mut Db, mut book: impl Sheets, dry_run: bool, today: NaiveDate) -> Report {
    let mut report = Report::default();
    let names = book.names();
    let known: Vec<&str> = SheetKind::ALL.iter().map(|k| k.name()).collect();
    if !names.iter().any(|n| SheetKind::named(n).is_some()) {
        report.errors.push(Problem::about_sheet(
            "",
            format!(
                "工作簿中没有可导入的工作表。工作表应名为：{}（可先用“下载导入模板”得到空白模板）",
                known.join("、")
            ),
        ));
        for name in names.iter().filter(|n| SheetKind::named(n).is_none()) {
            report.warnings.push(unknown(name, &known));
        }
        return report;
    }
    let name_of = |kind: SheetKind| names.iter().find(|n| SheetKind::named(n) == Some(kind));
    // The sheets that are not the ledger's, looked at (last) only to say they were left out.
    let others: Vec<String> = names
        .iter()
        .filter(|n| SheetKind::named(n).is_none())
        .cloned()
        .collect();
    // The 委员会 sheet first: the organisations whose whole committee it gives are known before
    // the 支部 sheet.
    let committee = match name_of(SheetKind::Committee).map(|n| book.sheet(n)) {
        Some(Err(e)) => {
            report.failure = Some(format!("{e}；未导入任何内容。"));
            return report;
        }
        Some(Ok(t)) => Some(t),
        None => None,
    };
    let mut unreadable = None;
    let result = db.batch(|db| {
        let mut who = Who::read(
            db,
            today,
            committee.as_ref(),
            name_of(SheetKind::Transfers).is_some(),
        )?;
        for kind in SheetKind::ALL {
            let mut counts = SheetCounts {
                sheet: kind.name(),
                present: name_of(kind).is_some(),
                ..Default::default()
            };
            if let Some(name) = name_of(kind) {
                let read = match (kind, &committee) {
                    (SheetKind::Committee, Some(t)) => Ok(t.clone()),
                    _ => book.sheet(name),
                };
                let table = match read {
                    Ok(t) => t,
                    Err(e) => {
                        unreadable = Some(e);
                        return Err(StoreError::refused(ROLLED_BACK));
                    }
                };
                let started = std::time::Instant::now();
                sheet(db, &mut who, kind, &table, &mut counts, &mut report)?;
                if std::env::var_os("DANGWU_TIMING").is_some() {
                    eprintln!("导入“{}”：{:?}", kind.name(), started.elapsed());
                }
            }
            report.sheets.push(counts);
        }
        for name in &others {
            if book
                .sheet(name)
                .is_ok_and(|t| t.rows.iter().any(|r| !r.is_empty()))
            {
                report.warnings.push(unknown(name, &known));
            }
        }
        if report.errors.is_empty() && !dry_run {
            Ok(())
        } else {
            Err(StoreError::refused(ROLLED_BACK))
        }
    });
    match result {
        Ok(()) => report.written = true,
        Err(StoreError::Refused { message, .. }) if message == ROLLED_BACK => {
            if let Some(e) = unreadable {
                report.failure = Some(format!("{e}；未导入任何内容。"));
            }
        }
        Err(e) => report.failure = Some(failure_message(&e)),
    }
    report
}

/// The 提示 for a sheet that is not one of the ledger's.
fn unknown(name: &str, known: &[&str]) -> Problem {
    Problem::about_sheet(
        name,
        format!(
            "不是台账的工作表，已忽略（可导入的工作表：{}）",
            known.join("、")
        ),
    )
}

/// Reads one sheet's rows into the records. Problems go into the rows; an `Err` (SQLite's) stops
/// the whole import.
fn sheet(
    db: &mut Db,
    who: &mut Who,
    kind: SheetKind,
    table: &Table,
    counts: &mut SheetCounts,
    report: &mut Report,
) -> Result<(), StoreError> {
    let sheet = kind.sheet();
    let Some(headers) = table.rows.first() else {
        return Ok(());
    };
    let (map, ignored) = super::header_map(sheet, headers);
    for h in ignored {
        report.warnings.push(Problem {
            sheet: sheet.name.into(),
            row: 1,
            column: h,
            value: String::new(),
            message: "不认识的列，已忽略".into(),
        });
    }
    let missing: Vec<&str> = sheet
        .cols
        .iter()
        .filter(|c| c.required && !map.contains_key(c.header))
        .map(|c| c.header)
        .collect();
    if !missing.is_empty() {
        report.errors.push(Problem {
            sheet: sheet.name.into(),
            row: 1,
            column: missing.join("、"),
            value: String::new(),
            message: "缺少必填的列（第1行应为表头）".into(),
        });
        return Ok(());
    }
    who.before_sheet(db, kind)?;
    let rows: Vec<(usize, &Vec<super::Value>)> = table
        .rows
        .iter()
        .enumerate()
        .skip(1)
        .filter(|(_, r)| r.iter().any(|v| !v.is_empty()))
        .filter(|(_, r)| {
            !r.iter()
                .find(|v| !v.is_empty())
                .is_some_and(|v| v.text().starts_with(super::EXAMPLE_MARK))
        })
        .collect();
    let rows = match kind {
        SheetKind::Orgs => orgs::parents_first(rows, &map, who),
        _ => rows,
    };
    let mut committee = orgs::Committees::default();
    for (index, cells) in rows {
        let mut row = Row::new(sheet, &map, headers, cells, index + 1);
        let outcome = match kind {
            SheetKind::Orgs => orgs::org_row(db, who, &mut row),
            SheetKind::Elections => elections::election_row(db, who, &mut row),
            SheetKind::Committee => committee.add(db, who, &mut row),
            SheetKind::Members => members::member_row(db, who, &mut row),
            SheetKind::Transfers => members::transfer_row(db, who, &mut row),
            SheetKind::Dues => members::dues_row(db, who, &mut row),
            SheetKind::Events => members::event_row(db, who, &mut row),
            SheetKind::Activities => ledger::activity_row(db, who, &mut row),
            SheetKind::Talks => ledger::talk_row(db, who, &mut row),
            SheetKind::Rectify => ledger::rect_row(db, who, &mut row),
        };
        match outcome {
            Ok(Some(o)) => count(counts, o),
            Ok(None) => {}
            Err(e) => row.refused(e)?,
        }
        report.errors.append(&mut row.errors);
        report.warnings.append(&mut row.warnings);
    }
    match kind {
        SheetKind::Committee => {
            for (o, mut problems) in committee.save(db, who)? {
                if let Some(o) = o {
                    count(counts, o);
                }
                report.errors.append(&mut problems);
            }
        }
        SheetKind::Dues => match who.write_dues(db) {
            Err(e @ (StoreError::Refused { .. } | StoreError::NotFound)) => report
                .errors
                .push(Problem::about_sheet(sheet.name, e.to_string())),
            other => other?,
        },
        _ => {}
    }
    who.after_sheet(db, kind)
}

fn count(counts: &mut SheetCounts, o: Outcome) {
    match o {
        Outcome::Added => counts.added += 1,
        Outcome::Updated => counts.updated += 1,
        Outcome::Unchanged => counts.unchanged += 1,
    }
}

/// Writes the problems beside the original (`…-错误清单.xlsx`), so staff fix them in Excel.
pub fn write_problems(path: &std::path::Path, problems: &[Problem]) -> Result<(), String> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    let e = |e: rust_xlsxwriter::XlsxError| format!("写入错误清单失败：{e}");
    ws.set_name("错误清单").map_err(e)?;
    let bold = Format::new().set_bold();
    for (c, h) in ["工作表", "行", "列", "单元格内容", "问题及应填写的内容"]
        .iter()
        .enumerate()
    {
        ws.write_with_format(0, c as u16, *h, &bold).map_err(e)?;
    }
    for (r, p) in problems.iter().enumerate() {
        let r = r as u32 + 1;
        ws.write_string(r, 0, &p.sheet).map_err(e)?;
        ws.write_number(r, 1, p.row as f64).map_err(e)?;
        ws.write_string(r, 2, &p.column).map_err(e)?;
        ws.write_string(r, 3, &p.value).map_err(e)?;
        ws.write_string(r, 4, &p.message).map_err(e)?;
    }
    for (c, w) in [12.0, 6.0, 16.0, 24.0, 70.0].iter().enumerate() {
        ws.set_column_width(c as u16, *w).map_err(e)?;
    }
    ws.set_freeze_panes(1, 0).map_err(e)?;
    crate::paths::save_whole(path, |partial| book.save(partial).map_err(e))
}

/// The path of the error list beside `original`.
pub fn problems_path(original: &std::path::Path) -> std::path::PathBuf {
    let stem = original
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    original.with_file_name(format!("{stem}-错误清单.xlsx"))
}
