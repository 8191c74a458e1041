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
pub mod reading;
mod row;
mod who;

use std::collections::HashMap;

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
    /// How each sheet was read, in the order imported; then those left out.
    pub readings: Vec<SheetReading>,
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

/// What the user told the import beyond the workbook.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Check and roll back (the preview).
    pub dry_run: bool,
    /// The organisation of sheets that have no organisation column and name none in their title
    /// (`import --org 名称`), by sheet name; "" for every such sheet.
    pub orgs: HashMap<String, String>,
    /// Corrections of the reading, by the headers they were made for (`Reading::key`).
    pub corrections: HashMap<String, reading::Correction>,
}

/// One sheet as the preview shows it: what it was taken for, column by column, and what was
/// left out.
#[derive(Debug, Clone, Default)]
pub struct SheetReading {
    pub reading: reading::Reading,
    /// The headers' key, to remember a correction by.
    pub key: String,
    /// The organisation its rows take when it has no organisation column, and how it was found.
    pub org: Option<(String, &'static str)>,
}

impl SheetReading {
    /// One line: what the sheet was taken for, where its header is, whose rows they are.
    pub fn describe(&self) -> String {
        let r = &self.reading;
        match r.kind {
            None => format!(
                "“{}”表：{}，未导入",
                r.name,
                r.unclear.as_deref().unwrap_or("不是台账的工作表")
            ),
            Some(kind) => {
                let mut parts = vec![format!("第{}行为表头", r.header_row + 1)];
                if let Some((org, how)) = &self.org {
                    parts.push(format!("组织：{org}（{how}）"));
                }
                parts.push(format!("{}行记录", r.records.len()));
                if !r.skipped.is_empty() {
                    parts.push(format!("跳过{}行", r.skipped.len()));
                }
                format!(
                    "“{}”表按“{}”表读取：{}",
                    r.name,
                    kind.name(),
                    parts.join("，")
                )
            }
        }
    }
}

/// Imports the sheets of workbook.md found in `book` into `db`, in the spec's order, as one
/// transaction (rolled back for a dry run or when any row has a problem).
pub fn import(db: &mut Db, book: impl Sheets, dry_run: bool, today: NaiveDate) -> Report {
    import_with(
        db,
        book,
        &Options {
            dry_run,
            ..Default::default()
        },
        today,
    )
}

/// A sheet of the workbook in the order it is imported: its kind, its name, and its table and
/// reading once read (a template sheet is read when its turn comes and let go after).
struct Planned {
    kind: SheetKind,
    name: String,
    read: Option<(Table, reading::Reading)>,
}

/// Reads `name` and how it reads (with the user's correction for its headers, if any).
fn read_sheet(
    book: &mut impl Sheets,
    name: &str,
    options: &Options,
) -> Result<(Table, reading::Reading, String), String> {
    let table = book.sheet(name)?;
    let key = reading::Reading::key(&table);
    let r = reading::read(name, &table, options.corrections.get(&key));
    Ok((table, r, key))
}

/// As [`import`], with what the user said in the preview or on the command line. Template sheets
/// are known by name; any other sheet by its header row (`reading`), so a 党员花名册 with a title,
/// a 序号 column and a 合计 row reads as the 党员 sheet does.
pub fn import_with(
    db: &mut Db,
    mut book: impl Sheets,
    given: &Options,
    today: NaiveDate,
) -> Report {
    let mut report = Report::default();
    // The corrections remembered from earlier imports, the user's new ones over them.
    let remembered: HashMap<String, reading::Correction> = db
        .setting(crate::store::settings::IMPORT_CORRECTIONS)
        .ok()
        .flatten()
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default();
    let mut options = given.clone();
    options.corrections = remembered;
    options.corrections.extend(given.corrections.clone());
    let options = &options;
    let names = book.names();
    let known: Vec<&str> = SheetKind::ALL.iter().map(|k| k.name()).collect();
    let mut plan: Vec<Planned> = Vec::new();
    for name in &names {
        match SheetKind::named(name) {
            // Read when its turn comes, unless a correction might be about it.
            Some(kind) if options.corrections.is_empty() => plan.push(Planned {
                kind,
                name: name.clone(),
                read: None,
            }),
            _ => match read_sheet(&mut book, name, options) {
                Err(e) => {
                    report.failure = Some(format!("{e}；未导入任何内容。"));
                    return report;
                }
                Ok((table, r, key)) => match r.kind {
                    Some(kind) => plan.push(Planned {
                        kind,
                        name: name.clone(),
                        read: Some((table, r)),
                    }),
                    None => {
                        if !table.rows.iter().all(|row| row.is_empty()) {
                            report
                                .warnings
                                .push(unknown(name, r.unclear.as_deref(), &known));
                            report.readings.push(SheetReading {
                                reading: r,
                                key,
                                org: None,
                            });
                        }
                    }
                },
            },
        }
    }
    if plan.is_empty() {
        report.errors.push(Problem::about_sheet(
            "",
            format!(
                "工作簿中没有可导入的工作表。工作表应名为：{}，或第一行至第十二行中有这些表的表头（如 姓名、公民身份号码、所在组织）。可先用“下载导入模板”得到空白模板",
                known.join("、")
            ),
        ));
        return report;
    }
    // In the spec's order (organisations before members before the rest), the workbook's order
    // among sheets of one kind.
    plan.sort_by_key(|p| SheetKind::ALL.iter().position(|k| *k == p.kind));
    // The 委员会 sheets first: the organisations whose whole committee they give are known before
    // the 支部 sheet.
    for p in plan.iter_mut().filter(|p| p.kind == SheetKind::Committee) {
        if p.read.is_none() {
            match read_sheet(&mut book, &p.name, options) {
                Ok((t, r, _)) => p.read = Some((t, r)),
                Err(e) => {
                    report.failure = Some(format!("{e}；未导入任何内容。"));
                    return report;
                }
            }
        }
    }
    let committee: Option<Table> = {
        let rows: Vec<Vec<super::Value>> = plan
            .iter()
            .filter(|p| p.kind == SheetKind::Committee)
            .filter_map(|p| p.read.as_ref())
            .flat_map(|(t, r)| {
                let header: Vec<super::Value> = r
                    .columns
                    .iter()
                    .map(|(_, to)| super::Value::Text(to.unwrap_or("").to_string()))
                    .collect();
                std::iter::once(header).chain(r.records.iter().map(|&i| t.rows[i].clone()))
            })
            .collect();
        (!rows.is_empty()).then(|| Table {
            name: SheetKind::Committee.name().into(),
            rows,
        })
    };
    let has_transfers = plan.iter().any(|p| p.kind == SheetKind::Transfers);
    let mut unreadable = None;
    let mut counts: Vec<SheetCounts> = SheetKind::ALL
        .iter()
        .map(|k| SheetCounts {
            sheet: k.name(),
            present: plan.iter().any(|p| p.kind == *k),
            ..Default::default()
        })
        .collect();
    let mut readings = Vec::new();
    let result = db.batch(|db| {
        let mut who = Who::read(db, today, committee.as_ref(), has_transfers)?;
        let mut last_kind = None;
        for p in &mut plan {
            if last_kind.is_some_and(|k| k != p.kind) {
                // The kind before is done: what later sheets use is brought up to date.
                who.after_sheet(db, last_kind.unwrap_or(p.kind))?;
            }
            if last_kind != Some(p.kind) {
                who.before_sheet(db, p.kind)?;
            }
            last_kind = Some(p.kind);
            let (table, r) = match p.read.take() {
                Some(done) => done,
                None => match read_sheet(&mut book, &p.name, options) {
                    Ok((t, r, _)) => (t, r),
                    Err(e) => {
                        unreadable = Some(e);
                        return Err(StoreError::refused(ROLLED_BACK));
                    }
                },
            };
            let slot = SheetKind::ALL
                .iter()
                .position(|k| *k == p.kind)
                .unwrap_or_default();
            let started = std::time::Instant::now();
            let org = sheet(
                db,
                &mut who,
                &table,
                &r,
                options,
                &mut counts[slot],
                &mut report,
            )?;
            if std::env::var_os("DANGWU_TIMING").is_some() {
                eprintln!("导入“{}”：{:?}", p.name, started.elapsed());
            }
            readings.push(SheetReading {
                key: reading::Reading::key(&table),
                reading: r,
                org,
            });
        }
        if let Some(k) = last_kind {
            who.after_sheet(db, k)?;
        }
        if report.errors.is_empty() && !options.dry_run {
            if !given.corrections.is_empty() {
                // Remembered with the records they read, in the same transaction.
                let json = serde_json::to_string(&options.corrections)
                    .map_err(|e| StoreError::refused(e.to_string()))?;
                db.set_setting(crate::store::settings::IMPORT_CORRECTIONS, &json)?;
            }
            Ok(())
        } else {
            Err(StoreError::refused(ROLLED_BACK))
        }
    });
    report.sheets = counts;
    readings.append(&mut report.readings);
    report.readings = readings;
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

/// The 提示 for a sheet that is not one of the ledger's, or whose kind is not clear.
fn unknown(name: &str, why: Option<&str>, known: &[&str]) -> Problem {
    let why = why.map_or(String::new(), |w| format!("{w}，"));
    Problem::about_sheet(
        name,
        format!(
            "{why}未导入（可导入的工作表：{}；在预览中可指定这张表是哪一种）",
            known.join("、")
        ),
    )
}

/// Reads one sheet's rows into the records, as `r` reads them. Problems go into the rows; an `Err`
/// (SQLite's) stops the whole import. Gives the organisation the rows took from the title (or
/// the user), when the sheet has no organisation column.
fn sheet(
    db: &mut Db,
    who: &mut Who,
    table: &Table,
    r: &reading::Reading,
    options: &Options,
    counts: &mut SheetCounts,
    report: &mut Report,
) -> Result<Option<(String, &'static str)>, StoreError> {
    let Some(kind) = r.kind else { return Ok(None) };
    let sheet = kind.sheet();
    let name = r.name.as_str();
    let Some(headers) = table.rows.get(r.header_row) else {
        return Ok(None);
    };
    let header_number = r.header_row + 1;
    for (i, why) in &r.skipped {
        report.warnings.push(Problem {
            sheet: name.into(),
            row: i + 1,
            column: String::new(),
            value: String::new(),
            message: format!("{why}，已跳过"),
        });
    }
    for h in r.ignored() {
        report.warnings.push(Problem {
            sheet: name.into(),
            row: header_number,
            column: h,
            value: String::new(),
            message: "不认识的列，已忽略".into(),
        });
    }
    let map = r.map();
    // The organisation of a sheet without the column: the user's, else the one its title names.
    let mut fixed: Vec<(&'static str, super::Value)> = Vec::new();
    let mut org_taken = None;
    if let Some(header) = r.org_column_missing() {
        let given = options
            .orgs
            .get(name)
            .or_else(|| options.orgs.get(""))
            .filter(|o| !o.trim().is_empty());
        match given {
            Some(o) => org_taken = Some((o.trim().to_string(), "指定")),
            None => match reading::org_named(&r.title, who.org_names()) {
                Ok(o) => org_taken = Some((o.to_string(), "表名或标题")),
                Err(found) => {
                    let found = if found.is_empty() {
                        "其中没有本台账的组织名称".to_string()
                    } else {
                        format!("其中有多个组织名称：{}", found.join("、"))
                    };
                    report.errors.push(Problem::about_sheet(
                        name,
                        format!(
                            "没有“{header}”列，表名和标题中也看不出是哪个组织（{found}）：请在预览中选择组织，或用 --org 名称 指定"
                        ),
                    ));
                    return Ok(None);
                }
            },
        }
        if let Some((o, _)) = &org_taken {
            fixed.push((header, super::Value::Text(o.clone())));
        }
    }
    let missing: Vec<&str> = sheet
        .cols
        .iter()
        .filter(|c| {
            c.required && !map.contains_key(c.header) && !fixed.iter().any(|(h, _)| *h == c.header)
        })
        .map(|c| c.header)
        .collect();
    if !missing.is_empty() {
        report.errors.push(Problem {
            sheet: name.into(),
            row: header_number,
            column: missing.join("、"),
            value: String::new(),
            message: format!("缺少必填的列（第{header_number}行应为表头）"),
        });
        return Ok(org_taken);
    }
    let rows: Vec<(usize, &Vec<super::Value>)> =
        r.records.iter().map(|&i| (i, &table.rows[i])).collect();
    let rows = match kind {
        SheetKind::Orgs => orgs::parents_first(rows, &map, who),
        _ => rows,
    };
    let mut committee = orgs::Committees::default();
    for (index, cells) in rows {
        let mut row = Row::new((sheet, name), &map, &fixed, headers, cells, index + 1);
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
                .push(Problem::about_sheet(name, e.to_string())),
            other => other?,
        },
        _ => {}
    }
    Ok(org_taken)
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
