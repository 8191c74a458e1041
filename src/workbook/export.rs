//! Writing the workbook: every sheet of workbook.md from the records (导出台账), or empty with
//! notes and example rows (下载导入模板). Headers bold, frozen, filtered; dates as date cells,
//! numbers as numbers; widths that fit Chinese text.

use std::collections::HashMap;
use std::path::Path;

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{Color, ExcelDateTime, Format, FormatBorder, Note, Workbook, XlsxError};

use super::{Kind, SHEETS, Sheet, Value};
use crate::model::activity::Presence;
use crate::model::dues::{Basis, Rate, rate};
use crate::model::member_event::EventKind;
use crate::model::org::CommitteeRole;
use crate::model::rectify::RectStatus;
use crate::store::{Db, StoreError};

/// How many rows each sheet got, in sheet order.
pub type Summary = Vec<(&'static str, usize)>;

/// A sheet's rows, with the id of the record each row shows.
pub type Keyed = (Vec<i64>, Vec<Vec<Value>>);

fn text(s: impl Into<String>) -> Value {
    let s = s.into();
    if s.is_empty() {
        Value::Empty
    } else {
        Value::Text(s)
    }
}

fn date(d: Option<NaiveDate>) -> Value {
    d.map_or(Value::Empty, Value::Date)
}

fn int(n: Option<impl Into<f64>>) -> Value {
    n.map_or(Value::Empty, |n| Value::Number(n.into()))
}

fn money(fen: Option<i64>) -> Value {
    fen.map_or(Value::Empty, |f| Value::Number(f as f64 / 100.0))
}

/// The rows of every sheet, from the records of `year` (all when `None`; organisations and members
/// always whole).
pub fn rows(
    db: &Db,
    year: Option<i32>,
    today: NaiveDate,
) -> Result<Vec<Vec<Vec<Value>>>, StoreError> {
    Ok(keyed_rows(db, year, today)?
        .into_iter()
        .map(|(_, rows)| rows)
        .collect())
}

/// Each sheet's rows with, beside them, the id of the record each row shows (the member's for
/// 组织关系 and 党费): a tab's list exports the rows of the records it shows.
pub fn keyed_rows(db: &Db, year: Option<i32>, today: NaiveDate) -> Result<Vec<Keyed>, StoreError> {
    let orgs: Vec<_> = db.orgs(today)?.into_iter().map(|s| s.org).collect();
    let org_name: HashMap<i64, String> = orgs
        .iter()
        .filter_map(|o| Some((o.id?, o.name.clone())))
        .collect();
    let name_of = |id: Option<i64>| {
        id.and_then(|i| org_name.get(&i).cloned())
            .unwrap_or_default()
    };
    let in_year = |d: NaiveDate| year.is_none_or(|y| d.year() == y);

    let mut org_rows = Vec::new();
    for o in &orgs {
        let secretary = match o.id {
            Some(id) => db
                .committee(id)?
                .into_iter()
                .find(|c| c.role == CommitteeRole::Secretary)
                .map(|c| c.name)
                .unwrap_or_default(),
            None => String::new(),
        };
        org_rows.push(vec![
            text(&o.name),
            text(o.kind.label()),
            text(name_of(o.parent_id)),
            text(secretary),
            date(o.founded),
            date(o.term_start),
            int(Some(o.term_years)),
            date(o.dissolved),
            text(&o.note),
        ]);
    }

    // Rows in an order that does not depend on row ids (a file imported from this workbook
    // exports the same workbook): members by organisation, name and number.
    let mut members = db.members()?;
    members.sort_by(|a, b| {
        (name_of(Some(a.org_id)), &a.name, &a.id_number).cmp(&(
            name_of(Some(b.org_id)),
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
    let transfers = db.transfers_by_member()?;
    let none = Vec::new();
    let people: HashMap<i64, (&str, &str)> = members
        .iter()
        .filter_map(|m| Some((m.id?, (m.name.as_str(), m.id_number.as_str()))))
        .collect();
    let member_rows = members
        .iter()
        .map(|m| {
            let chain = m.id.and_then(|id| transfers.get(&id)).unwrap_or(&none);
            let status = m.standing_label(chain, today);
            vec![
                text(&m.name),
                text(m.gender.map(|g| g.label()).unwrap_or_default()),
                text(&m.ethnicity),
                date(m.birth_date),
                text(&m.id_number),
                text(&m.education),
                text(name_of(Some(m.org_id))),
                text(m.category.label()),
                date(m.applied_on),
                date(m.activist_on),
                date(m.candidate_on),
                date(m.probationary_on),
                date(m.full_on),
                text(&m.party_post),
                text(&m.phone),
                text(status),
                date(m.status_date),
                text(&m.job),
                text(&m.introducers),
                text(&m.note),
            ]
        })
        .collect();

    let mut transfer_rows = Vec::new();
    let mut transfer_ids = Vec::new();
    for m in &members {
        for t in m.id.and_then(|id| transfers.get(&id)).unwrap_or(&none) {
            if !in_year(t.date) {
                continue;
            }
            transfer_ids.push(t.member_id);
            transfer_rows.push(vec![
                text(&m.name),
                text(&m.id_number),
                text(t.kind().label()),
                date(Some(t.date)),
                text(&t.other_org),
                text(name_of(t.from_org)),
                text(name_of(t.to_org)),
                text(&t.note),
            ]);
        }
    }

    let who = |id: i64| people.get(&id).copied().unwrap_or(("", ""));
    let mut dues = db.dues_all(year)?;
    dues.sort_by_key(|d| (rank_of(d.member_id), d.year, d.month));
    let dues_rows = dues
        .iter()
        .map(|d| {
            let (name, number) = who(d.member_id);
            let pct = match (d.basis, rate(d.basis, d.base_fen.unwrap_or(0))) {
                (Basis::Flat, _) | (_, Rate::Flat) => "定额".to_string(),
                (_, Rate::PerMille(p)) => {
                    Rate::PerMille(p).label().trim_end_matches('%').to_string()
                }
            };
            vec![
                text(name),
                text(number),
                text(d.month_key()),
                money(d.base_fen),
                text(pct),
                money(Some(d.amount_fen)),
                Value::Empty,
                text(d.basis.label()),
            ]
        })
        .collect();

    let mut events = db.events_in(year)?;
    events.sort_by_key(|(e, _)| (e.date, e.kind, rank_of(e.member_id)));
    let event_rows = events
        .iter()
        .map(|(e, name)| {
            let number = who(e.member_id).1;
            vec![
                text(name),
                text(number),
                text(match e.kind {
                    EventKind::Visit => "慰问",
                    k => k.label(),
                }),
                date(Some(e.date)),
                text(&e.title),
                int(e.for_year),
                text(e.grade.map(|g| g.label()).unwrap_or_default()),
            ]
        })
        .collect();

    let types: HashMap<i64, String> = db
        .activity_types()?
        .into_iter()
        .filter_map(|t| Some((t.id?, t.label)))
        .collect();
    let activities = db.activities_full(year)?;
    let activity_rows = activities
        .iter()
        .map(|a| {
            let labels: Vec<&str> = a
                .type_ids
                .iter()
                .filter_map(|t| types.get(t).map(String::as_str))
                .collect();
            let present: Vec<&str> = a
                .attendance
                .iter()
                .filter(|x| x.presence == Presence::Present)
                .map(|x| x.name.as_str())
                .collect();
            let away: Vec<String> = a
                .attendance
                .iter()
                .filter(|x| x.presence != Presence::Present)
                .map(|x| {
                    if x.reason.is_empty() {
                        x.name.clone()
                    } else {
                        format!("{}（{}）", x.name, x.reason)
                    }
                })
                .collect();
            vec![
                date(Some(a.date)),
                text(name_of(Some(a.org_id))),
                text(labels.join("、")),
                text(&a.topic),
                text(&a.host),
                text(&a.lecturer),
                text(&a.place),
                int(a.expected),
                int(a.present),
                text(present.join("、")),
                text(away.join("、")),
                text(&a.content),
                int(a.for_year),
                text(&a.outcome),
            ]
        })
        .collect();

    let kinds: HashMap<i64, String> = db
        .talk_kinds()?
        .into_iter()
        .filter_map(|k| Some((k.id?, k.label)))
        .collect();
    let mut talks = Vec::new();
    for y in match year {
        Some(y) => vec![Some(y)],
        None => vec![None],
    } {
        talks.extend(db.talks(y)?);
    }
    talks.sort_by_key(|t| (t.date, t.id));
    let talk_rows = talks
        .iter()
        .map(|t| {
            vec![
                date(Some(t.date)),
                text(kinds.get(&t.kind_id).cloned().unwrap_or_default()),
                text(t.form.label()),
                text(&t.talkers),
                text(t.named_subjects().join("、")),
                int(t.headcount),
                text(name_of(t.org_id)),
                text(&t.place),
                text(&t.content),
                text(&t.reason),
            ]
        })
        .collect();

    let mut items = db.rectifications()?;
    items.retain(|r| r.status != RectStatus::Void && in_year(r.found_on));
    items.sort_by_key(|r| (r.found_on, r.id));
    let rect_rows = items
        .iter()
        .map(|r| {
            vec![
                text(r.source.label()),
                date(Some(r.found_on)),
                text(&r.description),
                text(&r.category),
                text(&r.unit),
                text(name_of(r.org_id)),
                text(&r.person),
                text(&r.measures),
                date(r.deadline),
                text(r.status.label()),
                date(r.closed_on),
                text(&r.evidence),
                text(&r.verifier),
            ]
        })
        .collect();

    let ids = |v: Vec<Option<i64>>| v.into_iter().map(Option::unwrap_or_default).collect();
    Ok(vec![
        (ids(orgs.iter().map(|o| o.id).collect()), org_rows),
        (ids(members.iter().map(|m| m.id).collect()), member_rows),
        (transfer_ids, transfer_rows),
        (dues.iter().map(|d| d.member_id).collect(), dues_rows),
        (ids(events.iter().map(|(e, _)| e.id).collect()), event_rows),
        (
            ids(activities.iter().map(|a| a.id).collect()),
            activity_rows,
        ),
        (ids(talks.iter().map(|t| t.id).collect()), talk_rows),
        (ids(items.iter().map(|r| r.id).collect()), rect_rows),
    ])
}

/// Display width of text in characters, Chinese counting double.
fn width_of(s: &str) -> f64 {
    s.chars()
        .map(|c| if c.is_ascii() { 1.1 } else { 2.1 })
        .sum()
}

fn xlsx_error(e: XlsxError) -> String {
    format!("写入 Excel 文件失败：{e}")
}

/// Writes `sheets` (rows per sheet of [`SHEETS`]) to `path`; `notes` puts each column's note on
/// its header (the template).
pub fn write_book(path: &Path, sheets: &[Vec<Vec<Value>>], notes: bool) -> Result<(), String> {
    let pairs: Vec<(&Sheet, &Vec<Vec<Value>>)> = SHEETS.iter().copied().zip(sheets).collect();
    write_sheets(path, &pairs, notes)
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
    let index = SHEETS
        .iter()
        .position(|s| s.name == sheet)
        .ok_or_else(|| format!("没有“{sheet}”这张表"))?;
    let mut all = keyed_rows(db, None, today).map_err(|e| e.to_string())?;
    let (keys, rows) = all.swap_remove(index);
    let wanted: std::collections::HashSet<i64> = ids.iter().copied().collect();
    let rows: Vec<Vec<Value>> = keys
        .iter()
        .zip(rows)
        .filter(|(k, _)| wanted.contains(k))
        .map(|(_, r)| r)
        .collect();
    write_sheets(path, &[(SHEETS[index], &rows)], false)?;
    Ok(rows.len())
}

fn write_sheets(
    path: &Path,
    sheets: &[(&Sheet, &Vec<Vec<Value>>)],
    notes: bool,
) -> Result<(), String> {
    let mut book = Workbook::new();
    let header = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xDDE7F3))
        .set_border(FormatBorder::Thin);
    let required = header.clone().set_font_color(Color::RGB(0xA00000));
    let date_format = Format::new().set_num_format("yyyy-mm-dd");
    let money_format = Format::new().set_num_format("0.00");
    for &(sheet, rows) in sheets {
        let ws = book.add_worksheet();
        ws.set_name(sheet.name).map_err(xlsx_error)?;
        let mut widths: Vec<f64> = sheet
            .cols
            .iter()
            .map(|c| width_of(c.header) + 3.0)
            .collect();
        for (c, col) in sheet.cols.iter().enumerate() {
            let title = if col.required {
                format!("{}*", col.header)
            } else {
                col.header.to_string()
            };
            let format = if col.required { &required } else { &header };
            ws.write_with_format(0, c as u16, title, format)
                .map_err(xlsx_error)?;
            if notes && !col.note.is_empty() {
                let note = Note::new(col.note).set_author("党务台账");
                ws.insert_note(0, c as u16, &note).map_err(xlsx_error)?;
            }
        }
        for (r, row) in rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, v) in row.iter().enumerate() {
                let c16 = c as u16;
                let kind = sheet.cols.get(c).map_or(Kind::Text, |col| col.kind);
                match v {
                    Value::Empty => {}
                    Value::Text(s) => {
                        ws.write_string(r, c16, s).map_err(xlsx_error)?;
                        widths[c] = widths[c].max(width_of(s).min(60.0));
                    }
                    Value::Number(n) if kind == Kind::Money => {
                        ws.write_number_with_format(r, c16, *n, &money_format)
                            .map_err(xlsx_error)?;
                    }
                    Value::Number(n) => {
                        ws.write_number(r, c16, *n).map_err(xlsx_error)?;
                    }
                    Value::Date(d) => {
                        let cell = ExcelDateTime::from_ymd(
                            d.year() as u16,
                            d.month() as u8,
                            d.day() as u8,
                        )
                        .map_err(xlsx_error)?;
                        ws.write_datetime_with_format(r, c16, &cell, &date_format)
                            .map_err(xlsx_error)?;
                        widths[c] = widths[c].max(12.0);
                    }
                }
            }
        }
        for (c, w) in widths.iter().enumerate() {
            ws.set_column_width(c as u16, *w).map_err(xlsx_error)?;
        }
        ws.set_freeze_panes(1, 0).map_err(xlsx_error)?;
        ws.autofilter(0, 0, rows.len() as u32, sheet.cols.len() as u16 - 1)
            .map_err(xlsx_error)?;
    }
    book.save(path).map_err(xlsx_error)
}

/// 导出台账: every sheet from the records of `year` (all when `None`).
pub fn export(
    db: &Db,
    path: &Path,
    year: Option<i32>,
    today: NaiveDate,
) -> Result<Summary, String> {
    let sheets = rows(db, year, today).map_err(|e| e.to_string())?;
    write_book(path, &sheets, false)?;
    Ok(SHEETS
        .iter()
        .zip(&sheets)
        .map(|(s, r)| (s.name, r.len()))
        .collect())
}

/// 下载导入模板: the sheets empty, a note on each header, one example row each.
pub fn template(path: &Path) -> Result<(), String> {
    let sheets: Vec<Vec<Vec<Value>>> = SHEETS
        .iter()
        .map(|s: &&Sheet| vec![s.example.iter().map(|t| text(*t)).collect()])
        .collect();
    write_book(path, &sheets, true)
}
