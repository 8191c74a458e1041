//! Reading a workbook into the records, all or nothing. Every row is checked; every problem is
//! listed (sheet, row, column, the value found, what was expected) and nothing is written while
//! there is one. The writes are the ordinary saves (with their checks and audit rows) inside one
//! transaction (`Db::batch`); a dry run (the preview) makes them and rolls them back, so it counts
//! exactly what an import would do. Importing the same workbook twice changes nothing the second time.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};

use super::{ACTIVITIES, EXAMPLE_MARK, MEMBERS, ORGS, SHEETS, Sheet, Table, Value, header_map};
use crate::model::activity::{Activity, Attendance, Presence};
use crate::model::date::{parse_date, parse_month};
use crate::model::dues::{Basis, Dues, parse_yuan};
use crate::model::id_card;
use crate::model::member::{Category, Gender, Member, Status};
use crate::model::member_event::{EventKind, Grade, MemberEvent};
use crate::model::org::{CommitteeMember, CommitteeRole, Org, OrgKind};
use crate::model::rectify::{Closing, RectStatus, Rectification, Source};
use crate::model::split_names;
use crate::model::talk::{Talk, TalkForm};
use crate::model::transfer::{Transfer, TransferKind};
use crate::store::{Db, StoreError};

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

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "“{}”表", self.sheet)?;
        if self.row > 0 {
            write!(f, "第{}行", self.row)?;
        }
        if !self.column.is_empty() {
            write!(f, "“{}”列", self.column)?;
        }
        if !self.value.is_empty() {
            write!(f, "（{}）", self.value)?;
        }
        write!(f, "：{}", self.message)
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
}

/// A sentinel that makes `Db::batch` roll back: there were errors, or it was a dry run.
fn rollback() -> StoreError {
    StoreError::refused("导入未写入")
}

/// Imports `tables` into `db`: every sheet of workbook.md present, in the spec's order.
pub fn import(db: &mut Db, tables: &[Table], dry_run: bool, today: NaiveDate) -> Report {
    let mut report = Report::default();
    let known: Vec<&str> = SHEETS.iter().map(|s| s.name).collect();
    for t in tables {
        if !known.contains(&t.name.trim()) && t.rows.iter().any(|r| !r.is_empty()) {
            report.warnings.push(Problem {
                sheet: t.name.clone(),
                row: 0,
                column: String::new(),
                value: String::new(),
                message: format!(
                    "不是台账的工作表，已忽略（可导入的工作表：{}）",
                    known.join("、")
                ),
            });
        }
    }
    let mut out = Report::default();
    let result = db.batch(|db| {
        let mut im = match Importer::new(db, today) {
            Ok(im) => im,
            Err(e) => {
                report.errors.push(Problem {
                    sheet: String::new(),
                    row: 0,
                    column: String::new(),
                    value: String::new(),
                    message: e.to_string(),
                });
                return Err(rollback());
            }
        };
        im.has_transfers = tables
            .iter()
            .any(|t| t.name.trim() == super::TRANSFERS.name);
        for sheet in SHEETS {
            let table = tables.iter().find(|t| t.name.trim() == sheet.name);
            let mut counts = SheetCounts {
                sheet: sheet.name,
                present: table.is_some(),
                ..Default::default()
            };
            if let Some(table) = table {
                let started = std::time::Instant::now();
                im.sheet(db, sheet, table, &mut counts, &mut report);
                if std::env::var_os("DANGWU_TIMING").is_some() {
                    eprintln!("导入“{}”：{:?}", sheet.name, started.elapsed());
                }
            }
            report.sheets.push(counts);
        }
        if report.errors.is_empty() && !dry_run {
            Ok(())
        } else {
            Err(rollback())
        }
    });
    out.written = result.is_ok();
    out.sheets = report.sheets;
    out.errors = report.errors;
    out.warnings = report.warnings;
    out
}

/// One row being read: its cells by column header, and where its problems go.
struct Row<'a> {
    sheet: &'static Sheet,
    map: &'a HashMap<&'static str, usize>,
    cells: &'a [Value],
    number: usize,
    errors: Vec<Problem>,
}

impl<'a> Row<'a> {
    fn raw(&self, header: &str) -> &'a Value {
        self.map
            .get(header)
            .and_then(|&i| self.cells.get(i))
            .unwrap_or(&Value::Empty)
    }

    fn error(&mut self, header: &str, message: impl Into<String>) {
        self.errors.push(Problem {
            sheet: self.sheet.name.into(),
            row: self.number,
            column: header.into(),
            value: self.raw(header).text(),
            message: message.into(),
        });
    }

    fn text(&self, header: &str) -> String {
        self.raw(header).text()
    }

    fn required(&mut self, header: &str) -> Option<String> {
        let t = self.text(header);
        if t.is_empty() {
            self.error(header, "必填，不能为空");
            None
        } else {
            Some(t)
        }
    }

    fn date(&mut self, header: &str) -> Option<NaiveDate> {
        match self.raw(header) {
            Value::Empty => None,
            Value::Date(d) => Some(*d),
            Value::Number(n) => {
                let d = super::serial_date(*n);
                if d.is_none() {
                    self.error(header, "应为日期，如 2022-03-20");
                }
                d
            }
            Value::Text(t) if t.trim().is_empty() => None,
            Value::Text(t) => match parse_date(t) {
                Ok(d) => Some(d),
                Err(e) => {
                    self.error(
                        header,
                        format!("{e}；应为日期，如 2022-03-20、2022/3/20、2022年3月20日"),
                    );
                    None
                }
            },
        }
    }

    fn required_date(&mut self, header: &str) -> Option<NaiveDate> {
        if self.raw(header).is_empty() {
            self.error(header, "必填，应为日期");
            return None;
        }
        self.date(header)
    }

    fn int(&mut self, header: &str) -> Option<u32> {
        match self.raw(header) {
            Value::Empty => None,
            Value::Number(n) if *n >= 0.0 && n.fract() == 0.0 && *n < 1e9 => Some(*n as u32),
            v => match v.text().trim_end_matches(['人', '年']).parse::<u32>() {
                Ok(n) => Some(n),
                Err(_) if v.is_empty() => None,
                Err(_) => {
                    self.error(header, "应为整数");
                    None
                }
            },
        }
    }

    fn money(&mut self, header: &str) -> Option<i64> {
        match self.raw(header) {
            Value::Empty => None,
            Value::Number(n) if *n >= 0.0 => Some((n * 100.0).round() as i64),
            v => match parse_yuan(&v.text()) {
                Ok(f) => Some(f),
                Err(e) => {
                    self.error(header, format!("{e}；应为金额（元），最多两位小数"));
                    None
                }
            },
        }
    }

    fn month(&mut self, header: &str) -> Option<(i32, u32)> {
        match self.raw(header) {
            Value::Empty => {
                self.error(header, "必填，应为月份，如 2022-03");
                None
            }
            Value::Date(d) => Some((d.year(), d.month())),
            v => {
                let m = parse_month(&v.text());
                if m.is_none() {
                    self.error(header, "应为月份，如 2022-03 或 2022年3月");
                }
                m
            }
        }
    }

    fn choice<T: Copy>(
        &mut self,
        header: &str,
        parse: fn(&str) -> Option<T>,
        expected: &str,
    ) -> Option<T> {
        let t = self.text(header);
        if t.is_empty() {
            return None;
        }
        let v = parse(&t);
        if v.is_none() {
            self.error(header, format!("应为{expected}之一"));
        }
        v
    }
}

/// Who is who in the file, kept up to date as rows are written; and the keys of the records
/// already there, read once per sheet (a row is matched against them, not against a query each).
struct Importer {
    today: NaiveDate,
    has_transfers: bool,
    rolls: Option<Rolls>,
    activity_keys: Known<(NaiveDate, i64, String)>,
    talk_keys: Known<(NaiveDate, i64, String, String)>,
    rect_keys: Known<(NaiveDate, String, Option<i64>, String)>,
    event_keys: Known<(i64, EventKind, NaiveDate, String)>,
    dues: HashMap<(i64, i32, u32), Dues>,
    /// Dues rows checked, written together at the end of the sheet.
    dues_out: Vec<Dues>,
    /// Members with their transfers, read once per member.
    people: HashMap<i64, (Member, Vec<Transfer>)>,
    orgs: HashMap<String, i64>,
    top_org: Option<i64>,
    by_number: HashMap<String, i64>,
    by_name: HashMap<String, Vec<(i64, i64)>>,
    types: HashMap<String, i64>,
    kinds: HashMap<String, i64>,
}

impl Importer {
    fn new(db: &Db, today: NaiveDate) -> Result<Self, StoreError> {
        let mut im = Importer {
            today,
            has_transfers: false,
            rolls: None,
            activity_keys: Known::default(),
            talk_keys: Known::default(),
            rect_keys: Known::default(),
            event_keys: Known::default(),
            dues: HashMap::new(),
            dues_out: Vec::new(),
            people: HashMap::new(),
            orgs: HashMap::new(),
            top_org: None,
            by_number: HashMap::new(),
            by_name: HashMap::new(),
            types: db
                .activity_types()?
                .into_iter()
                .filter_map(|t| Some((t.label, t.id?)))
                .collect(),
            kinds: db
                .talk_kinds()?
                .into_iter()
                .filter_map(|k| Some((k.label, k.id?)))
                .collect(),
        };
        im.reload_orgs(db)?;
        for m in db.members()? {
            im.know(&m);
        }
        Ok(im)
    }

    /// The keys of the records already in the file that rows of `sheet` are matched against.
    fn load_keys(&mut self, db: &Db, sheet: &Sheet) -> Result<(), StoreError> {
        match sheet.name {
            "党费" => {
                self.people.clear();
                self.dues = db
                    .dues_all(None)?
                    .into_iter()
                    .map(|d| ((d.member_id, d.year, d.month), d))
                    .collect();
            }
            "表彰慰问" => {
                self.event_keys = Known::of(
                    db.events_in(None)?
                        .into_iter()
                        .map(|(e, _)| (e.member_id, e.kind, e.date, e.title)),
                );
            }
            "活动" => {
                self.activity_keys = Known::of(db.activity_keys()?);
                self.rolls = Some(Rolls::new(db.members()?, db.transfers_by_member()?));
            }
            "谈话" => {
                self.talk_keys = Known::of(db.talks(None)?.iter().map(|t| {
                    (
                        t.date,
                        t.kind_id,
                        t.talkers.clone(),
                        t.named_subjects().join("、"),
                    )
                }));
            }
            "整改" => {
                self.rect_keys = Known::of(
                    db.rectifications()?
                        .into_iter()
                        .filter(|r| r.status != RectStatus::Void)
                        .map(|r| (r.found_on, r.description, r.org_id, r.unit)),
                );
            }
            _ => {}
        }
        Ok(())
    }

    /// A member with their transfers, read once.
    fn person(&mut self, db: &Db, id: i64) -> Result<&(Member, Vec<Transfer>), StoreError> {
        if let std::collections::hash_map::Entry::Vacant(slot) = self.people.entry(id) {
            slot.insert((db.member(id)?, db.transfers_of(id)?));
        }
        Ok(&self.people[&id])
    }

    fn reload_orgs(&mut self, db: &Db) -> Result<(), StoreError> {
        let orgs: Vec<Org> = db.orgs(self.today)?.into_iter().map(|s| s.org).collect();
        self.orgs = orgs
            .iter()
            .filter_map(|o| Some((o.name.clone(), o.id?)))
            .collect();
        // The top organisation, as migration 4 chose it: the 党组 first.
        self.top_org = orgs
            .iter()
            .filter(|o| o.parent_id.is_none())
            .min_by_key(|o| {
                (
                    o.kind != OrgKind::LeadingGroup,
                    o.kind != OrgKind::Committee,
                    o.id,
                )
            })
            .and_then(|o| o.id);
        Ok(())
    }

    fn know(&mut self, m: &Member) {
        let Some(id) = m.id else { return };
        if !m.id_number.is_empty() {
            self.by_number.insert(m.id_number.clone(), id);
        }
        let same = self.by_name.entry(m.name.clone()).or_default();
        same.retain(|(i, _)| *i != id);
        same.push((id, m.org_id));
    }

    fn org(&self, row: &mut Row, header: &str, required: bool) -> Option<i64> {
        let name = row.text(header);
        if name.is_empty() {
            if required {
                row.error(header, "必填，应为党组织名称");
            }
            return None;
        }
        let found = self.orgs.get(&name).copied();
        if found.is_none() {
            row.error(
                header,
                "找不到该党组织：请先在“支部”表中列出，或在系统“组织”页中新增",
            );
        }
        found
    }

    /// The member a row names: by 公民身份号码 where given, else by 姓名 (and 所在支部 when the
    /// name is shared).
    fn member(&self, row: &mut Row, org_hint: Option<i64>) -> Option<i64> {
        let name = row.required("姓名")?;
        let number = id_card::normalise(&row.text("公民身份号码"));
        if !number.is_empty() {
            return match self.by_number.get(&number) {
                Some(&id) => Some(id),
                None => {
                    row.error(
                        "公民身份号码",
                        "找不到该公民身份号码的党员：请先在“党员”表中列出",
                    );
                    None
                }
            };
        }
        let same = self.by_name.get(&name).cloned().unwrap_or_default();
        match same.as_slice() {
            [] => {
                row.error(
                    "姓名",
                    "找不到该党员：请先在“党员”表中列出，或填写公民身份号码",
                );
                None
            }
            [(id, _)] => Some(*id),
            many => {
                let in_org: Vec<i64> = many
                    .iter()
                    .filter(|(_, o)| Some(*o) == org_hint)
                    .map(|(id, _)| *id)
                    .collect();
                if let [id] = in_org.as_slice() {
                    Some(*id)
                } else {
                    row.error(
                        "姓名",
                        format!("有{}名党员同名，请填写公民身份号码以区分", many.len()),
                    );
                    None
                }
            }
        }
    }

    fn sheet(
        &mut self,
        db: &mut Db,
        sheet: &'static Sheet,
        table: &Table,
        counts: &mut SheetCounts,
        report: &mut Report,
    ) {
        let Some(headers) = table.rows.first() else {
            return;
        };
        let (map, ignored) = header_map(sheet, headers);
        if let Err(e) = self.load_keys(db, sheet) {
            report.errors.push(Problem {
                sheet: sheet.name.into(),
                row: 0,
                column: String::new(),
                value: String::new(),
                message: e.to_string(),
            });
            return;
        }
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
            return;
        }
        let rows: Vec<(usize, &Vec<Value>)> = table
            .rows
            .iter()
            .enumerate()
            .skip(1)
            .filter(|(_, r)| r.iter().any(|v| !v.is_empty()))
            .filter(|(_, r)| {
                !r.iter()
                    .find(|v| !v.is_empty())
                    .is_some_and(|v| v.text().starts_with(EXAMPLE_MARK))
            })
            .collect();
        // Organisations may name a parent listed further down: those whose parent is known go
        // first, round after round.
        let rows = if sheet.name == ORGS.name {
            let parent_col = map.get("上级组织").copied();
            let name_col = map.get("组织名称").copied();
            let mut known: Vec<String> = self.orgs.keys().cloned().collect();
            let mut pending = rows;
            let mut ordered = Vec::new();
            while !pending.is_empty() {
                let (ready, later): (Vec<_>, Vec<_>) = pending.into_iter().partition(|(_, r)| {
                    let parent = parent_col
                        .and_then(|i| r.get(i))
                        .map(Value::text)
                        .unwrap_or_default();
                    parent.is_empty() || known.contains(&parent)
                });
                if ready.is_empty() {
                    ordered.extend(later);
                    break;
                }
                for (_, r) in &ready {
                    if let Some(n) = name_col.and_then(|i| r.get(i)) {
                        known.push(n.text());
                    }
                }
                ordered.extend(ready);
                pending = later;
            }
            ordered
        } else {
            rows
        };
        for (index, cells) in rows {
            let mut row = Row {
                sheet,
                map: &map,
                cells,
                number: index + 1,
                errors: Vec::new(),
            };
            let outcome = match sheet.name {
                "支部" => self.org_row(db, &mut row),
                "党员" => self.member_row(db, &mut row, report),
                "组织关系" => self.transfer_row(db, &mut row),
                "党费" => self.dues_row(db, &mut row),
                "表彰慰问" => self.event_row(db, &mut row),
                "活动" => self.activity_row(db, &mut row, report),
                "谈话" => self.talk_row(db, &mut row),
                _ => self.rect_row(db, &mut row),
            };
            match outcome {
                Ok(Some(Outcome::Added)) => counts.added += 1,
                Ok(Some(Outcome::Updated)) => counts.updated += 1,
                Ok(Some(Outcome::Unchanged)) => counts.unchanged += 1,
                Ok(None) => {}
                Err(e) => row.errors.push(Problem {
                    sheet: sheet.name.into(),
                    row: row.number,
                    column: String::new(),
                    value: String::new(),
                    message: e.to_string(),
                }),
            }
            report.errors.append(&mut row.errors);
        }
        if sheet.name == ORGS.name {
            let _ = self.reload_orgs(db);
        }
        if !self.dues_out.is_empty() {
            let rows = std::mem::take(&mut self.dues_out);
            if let Err(e) = db.import_dues(&rows) {
                report.errors.push(Problem {
                    sheet: sheet.name.into(),
                    row: 0,
                    column: String::new(),
                    value: String::new(),
                    message: e.to_string(),
                });
            }
        }
    }
}

/// The records already in the file, by the key a row is matched on. Two records may share a key
/// (two sessions on one day with one topic): the n-th row with a key matches when the file holds
/// at least n such records, so a workbook imported twice adds nothing and one with a new second
/// session adds it.
struct Known<K> {
    have: HashMap<K, usize>,
    seen: HashMap<K, usize>,
}

impl<K> Default for Known<K> {
    fn default() -> Self {
        Known {
            have: HashMap::new(),
            seen: HashMap::new(),
        }
    }
}

impl<K: std::hash::Hash + Eq + Clone> Known<K> {
    fn of(keys: impl IntoIterator<Item = K>) -> Self {
        let mut k = Known::default();
        for key in keys {
            *k.have.entry(key).or_default() += 1;
        }
        k
    }

    /// Whether this row's record is not in the file yet.
    fn is_new(&mut self, key: K) -> bool {
        let seen = self.seen.entry(key.clone()).or_default();
        *seen += 1;
        *seen > self.have.get(&key).copied().unwrap_or(0)
    }
}

/// The members and their transfers, for the roll of a day without a query per row.
struct Rolls {
    members: Vec<Member>,
    transfers: HashMap<i64, Vec<Transfer>>,
    /// Members by every organisation they ever belonged to (indices into `members`).
    ever: HashMap<i64, Vec<usize>>,
}

impl Rolls {
    fn new(members: Vec<Member>, transfers: HashMap<i64, Vec<Transfer>>) -> Self {
        let mut ever: HashMap<i64, Vec<usize>> = HashMap::new();
        for (i, m) in members.iter().enumerate() {
            let mut orgs = vec![m.org_id];
            for t in m.id.and_then(|id| transfers.get(&id)).into_iter().flatten() {
                orgs.extend(t.from_org.into_iter().chain(t.to_org));
            }
            orgs.sort_unstable();
            orgs.dedup();
            for o in orgs {
                ever.entry(o).or_default().push(i);
            }
        }
        Rolls {
            members,
            transfers,
            ever,
        }
    }

    /// (id, name) of those on the rolls of `org` on `day` (the one definition, `Member::on_rolls_at`).
    fn roll(&self, org: i64, day: NaiveDate) -> Vec<(i64, String)> {
        let none = Vec::new();
        self.ever
            .get(&org)
            .into_iter()
            .flatten()
            .map(|&i| &self.members[i])
            .filter_map(|m| {
                let chain = m.id.and_then(|id| self.transfers.get(&id)).unwrap_or(&none);
                (m.org_at(chain, day) == Some(org) && m.on_rolls_at(chain, day))
                    .then(|| Some((m.id?, m.name.clone())))
                    .flatten()
            })
            .collect()
    }
}

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

type Done = Result<Option<Outcome>, StoreError>;

impl Importer {
    fn org_row(&mut self, db: &mut Db, row: &mut Row) -> Done {
        let name = row.required("组织名称");
        let kind = match row.text("组织类别") {
            t if t.is_empty() => Some(OrgKind::Branch),
            _ => row.choice(
                "组织类别",
                OrgKind::from_label,
                "党组、党委、党总支、党支部",
            ),
        };
        let parent = self.org(row, "上级组织", false);
        let founded = row.date("成立日期");
        let term_start = row.date("本届任期开始");
        let term_years = row.int("任期年限");
        let dissolved = row.date("撤销日期");
        let (Some(name), Some(kind), true) = (name, kind, row.errors.is_empty()) else {
            return Ok(None);
        };
        let existing = self.orgs.get(&name).copied();
        let (before, committee) = match existing {
            Some(id) => (
                db.orgs(self.today)?
                    .into_iter()
                    .map(|s| s.org)
                    .find(|o| o.id == Some(id)),
                db.committee(id)?,
            ),
            None => (None, Vec::new()),
        };
        let mut org = before.clone().unwrap_or(Org {
            id: None,
            uid: String::new(),
            name: name.clone(),
            kind,
            parent_id: None,
            founded: None,
            dissolved: None,
            term_start: None,
            term_years: 3,
            has_committee: true,
            has_groups: false,
            note: String::new(),
            expectations: Vec::new(),
        });
        org.kind = kind;
        org.parent_id = parent;
        org.founded = founded;
        org.term_start = term_start;
        org.term_years = term_years.unwrap_or(3);
        org.dissolved = dissolved;
        org.note = row.text("备注");
        let secretary = row.text("书记");
        let mut committee_after = committee.clone();
        if !secretary.is_empty()
            && !committee
                .iter()
                .any(|c| c.role == CommitteeRole::Secretary && c.name == secretary)
        {
            committee_after.retain(|c| c.role != CommitteeRole::Secretary);
            committee_after.push(CommitteeMember {
                id: None,
                uid: String::new(),
                role: CommitteeRole::Secretary,
                name: secretary,
                member_id: None,
                duty: String::new(),
                appointed: term_start,
            });
        }
        if before.as_ref() == Some(&org) && committee_after == committee {
            return Ok(Some(Outcome::Unchanged));
        }
        let id = db.save_org(&org, &committee_after)?;
        self.orgs.insert(name, id);
        Ok(Some(Outcome::written(before.is_some())))
    }

    fn member_row(&mut self, db: &mut Db, row: &mut Row, report: &mut Report) -> Done {
        let name = row.required("姓名");
        let org = self.org(row, "所在支部", true);
        let category = match row.required("人员类别") {
            Some(_) => row.choice(
                "人员类别",
                Category::from_label,
                "入党申请人、入党积极分子、发展对象、预备党员、正式党员",
            ),
            None => None,
        };
        let gender = row.choice("性别", Gender::from_label, "男、女");
        let number = id_card::normalise(&row.text("公民身份号码"));
        if !number.is_empty()
            && let Err(e) = id_card::validate(&number)
        {
            row.error("公民身份号码", e.to_string());
        }
        let status_text = row.text("状态");
        let status = match status_text.as_str() {
            "" | "在册" | "转出" => Some(Status::OnRolls),
            _ => row.choice("状态", Status::from_label, "在册、转出、去世、出党"),
        };
        if status_text == "转出" && !self.has_transfers {
            report.warnings.push(Problem {
                sheet: MEMBERS.name.into(),
                row: row.number,
                column: "状态".into(),
                value: status_text.clone(),
                message: "转出以“组织关系”表的转出记录为准（含日期与转往组织）".into(),
            });
        }
        let dates = [
            row.date("申请入党日期"),
            row.date("确定积极分子日期"),
            row.date("确定发展对象日期"),
            row.date("接收预备党员日期"),
            row.date("转正日期"),
        ];
        let birth = row.date("出生日期");
        let status_date = row.date("状态变更日期");
        let (Some(name), Some(org), Some(category), Some(status), true) =
            (name, org, category, status, row.errors.is_empty())
        else {
            return Ok(None);
        };
        let existing = if number.is_empty() {
            match self.by_name.get(&name).map(Vec::as_slice) {
                Some([(id, _)]) => Some(*id),
                Some(many) => many.iter().find(|(_, o)| *o == org).map(|(id, _)| *id),
                None => None,
            }
        } else {
            self.by_number.get(&number).copied()
        };
        let before = existing.map(|id| db.member(id)).transpose()?;
        let mut m = before.clone().unwrap_or(Member {
            id: None,
            uid: String::new(),
            name: name.clone(),
            gender: None,
            ethnicity: String::new(),
            birth_date: None,
            id_number: String::new(),
            education: String::new(),
            job: String::new(),
            phone: String::new(),
            org_id: org,
            category,
            applied_on: None,
            activist_on: None,
            candidate_on: None,
            probationary_on: None,
            full_on: None,
            probation_extended_to: None,
            party_post: String::new(),
            introducers: String::new(),
            status,
            status_date: None,
            note: String::new(),
        });
        m.name = name;
        m.gender = gender.or(m.gender);
        m.ethnicity = row.text("民族");
        m.birth_date = birth.or_else(|| id_card::validate(&number).ok().map(|i| i.birth_date));
        if m.gender.is_none() {
            m.gender = id_card::validate(&number).ok().map(|i| i.gender);
        }
        m.id_number = number;
        m.education = row.text("学历");
        // A member with transfers keeps the organisation they say; otherwise the sheet's.
        if before.is_none() || db.transfers_of(m.id.unwrap_or_default())?.is_empty() {
            m.org_id = org;
        }
        m.category = category;
        [
            m.applied_on,
            m.activist_on,
            m.candidate_on,
            m.probationary_on,
            m.full_on,
        ] = dates;
        m.party_post = row.text("党内职务");
        m.phone = row.text("联系电话");
        m.status = status;
        m.status_date = if status == Status::OnRolls {
            None
        } else {
            status_date
        };
        // Columns beyond workbook.md's: a workbook without them leaves the values as they are.
        if row.map.contains_key("职务") {
            m.job = row.text("职务");
        }
        if row.map.contains_key("入党介绍人") {
            m.introducers = row.text("入党介绍人");
        }
        m.note = row.text("备注");
        if before.as_ref() == Some(&m) {
            return Ok(Some(Outcome::Unchanged));
        }
        let id = db.save_member(&m)?;
        m.id = Some(id);
        self.know(&m);
        Ok(Some(Outcome::written(before.is_some())))
    }

    fn transfer_row(&mut self, db: &mut Db, row: &mut Row) -> Done {
        let kind = match row.required("转接类型") {
            Some(t) => match t.as_str() {
                "转入" => Some(TransferKind::In),
                "转出" => Some(TransferKind::Out),
                "本单位内转接" | "内部转接" | "调动" => Some(TransferKind::Within),
                _ => {
                    row.error("转接类型", "应为 转入、转出 或 本单位内转接");
                    None
                }
            },
            None => None,
        };
        let when = row.required_date("日期");
        let from = self.org(row, "原组织", false);
        let to = self.org(row, "新组织", false);
        let member = self.member(row, from.or(to));
        let (Some(kind), Some(when), Some(member), true) =
            (kind, when, member, row.errors.is_empty())
        else {
            return Ok(None);
        };
        let chain = db.transfers_of(member)?;
        if chain.iter().any(|t| t.date == when && t.kind() == kind) {
            return Ok(Some(Outcome::Unchanged));
        }
        let m = db.member(member)?;
        let here = m.org_at(&chain, when);
        let (from_org, to_org) = match kind {
            TransferKind::In => (None, to.or(Some(m.org_id))),
            TransferKind::Out => (from.or(here), None),
            TransferKind::Within => {
                if to.is_none() {
                    row.error("新组织", "本单位内转接须填写新组织");
                    return Ok(None);
                }
                (from.or(here), to)
            }
        };
        db.save_transfer(&Transfer {
            id: None,
            uid: String::new(),
            member_id: member,
            date: when,
            from_org,
            to_org,
            other_org: row.text("对方组织"),
            note: row.text("备注"),
        })?;
        Ok(Some(Outcome::Added))
    }

    fn dues_row(&mut self, db: &mut Db, row: &mut Row) -> Done {
        let month = row.month("月份");
        let base = row.money("缴费基数");
        let amount = match row.raw("金额") {
            Value::Empty => {
                row.error("金额", "必填，应为金额（元）");
                None
            }
            _ => row.money("金额"),
        };
        let basis = match (row.text("缴纳类别").as_str(), row.text("比例").as_str()) {
            (_, "定额") => Some(Basis::Flat),
            ("", _) => Some(Basis::InService),
            _ => row.choice("缴纳类别", Basis::from_label, "在职、离退休、定额"),
        };
        let member = self.member(row, None);
        let (Some((year, month)), Some(amount), Some(basis), Some(member), true) =
            (month, amount, basis, member, row.errors.is_empty())
        else {
            return Ok(None);
        };
        let day = crate::store::roll_day(year, month, self.today);
        let (m, chain) = self.person(db, member)?;
        let Some(org) = m.org_at(chain, day) else {
            row.error("月份", "该党员当月不在本单位党组织，无法登记党费");
            return Ok(None);
        };
        let d = Dues {
            member_id: member,
            org_id: org,
            year,
            month,
            basis,
            base_fen: if basis == Basis::Flat { None } else { base },
            amount_fen: amount,
        };
        let before = self.dues.get(&(member, year, month)).cloned();
        if before.as_ref() == Some(&d) {
            return Ok(Some(Outcome::Unchanged));
        }
        self.dues.insert((member, year, month), d.clone());
        self.dues_out.push(d);
        Ok(Some(Outcome::written(before.is_some())))
    }

    fn event_row(&mut self, db: &mut Db, row: &mut Row) -> Done {
        let kind = match row.required("类型") {
            Some(t) => match t.as_str() {
                "表彰" => Some(EventKind::Commendation),
                "慰问" | "走访慰问" | "关怀帮扶" => Some(EventKind::Visit),
                "民主评议" => Some(EventKind::Review),
                _ => {
                    row.error("类型", "应为 表彰、慰问 或 民主评议");
                    None
                }
            },
            None => None,
        };
        let when = row.required_date("日期");
        let for_year = row.int("评议年度").map(|y| y as i32);
        let grade = row.choice(
            "评议结果",
            Grade::from_label,
            "优秀、合格、基本合格、不合格",
        );
        if kind == Some(EventKind::Review) && grade.is_none() && row.errors.is_empty() {
            row.error("评议结果", "民主评议须填写评议结果");
        }
        let member = self.member(row, None);
        let (Some(kind), Some(when), Some(member), true) =
            (kind, when, member, row.errors.is_empty())
        else {
            return Ok(None);
        };
        let title = row.text("内容");
        if !self.event_keys.is_new((member, kind, when, title.clone())) {
            return Ok(Some(Outcome::Unchanged));
        }
        db.save_member_events(&[MemberEvent {
            id: None,
            uid: String::new(),
            act_uid: String::new(),
            kind,
            date: when,
            for_year: if kind == EventKind::Review {
                Some(for_year.unwrap_or(when.year() - 1))
            } else {
                None
            },
            member_id: member,
            org_id: 0,
            title,
            grade: if kind == EventKind::Review {
                grade
            } else {
                None
            },
            note: String::new(),
        }])?;
        Ok(Some(Outcome::Added))
    }

    fn activity_row(&mut self, db: &mut Db, row: &mut Row, report: &mut Report) -> Done {
        let when = row.required_date("日期");
        let org = self.org(row, "组织", true);
        let topic = row.required("主题");
        let labels = row.text("类型");
        let mut type_ids = Vec::new();
        if labels.is_empty() {
            row.error("类型", "必填，应为活动类型");
        }
        for l in split_names(&labels) {
            match self.types.get(l) {
                Some(&id) => type_ids.push(id),
                None => {
                    let mut known: Vec<&str> = self.types.keys().map(String::as_str).collect();
                    known.sort_unstable();
                    row.error(
                        "类型",
                        format!("没有“{l}”这种活动类型；已有：{}", known.join("、")),
                    );
                }
            }
        }
        type_ids.sort_unstable();
        type_ids.dedup();
        let expected = row.int("应到人数");
        let present = row.int("实到人数");
        let for_year = row.int("所属年度").map(|y| y as i32);
        let (Some(when), Some(org), Some(topic), true) = (when, org, topic, row.errors.is_empty())
        else {
            return Ok(None);
        };
        if !self.activity_keys.is_new((when, org, topic.clone())) {
            return Ok(Some(Outcome::Unchanged));
        }
        // The roll of that day: who was in the organisation then. Two members of one name are
        // taken in turn.
        let mut roll = self
            .rolls
            .as_ref()
            .map(|r| r.roll(org, when))
            .unwrap_or_default();
        let mut id_of = |name: &str| {
            let i = roll.iter().position(|(_, n)| n == name)?;
            Some(roll.remove(i).0)
        };
        let mut attendance = Vec::new();
        let mut strangers = Vec::new();
        for name in split_names(&row.text("参加人员")) {
            match id_of(name) {
                Some(id) => attendance.push(Attendance {
                    member_id: id,
                    name: name.to_string(),
                    presence: Presence::Present,
                    reason: String::new(),
                }),
                None => strangers.push(name.to_string()),
            }
        }
        for entry in split_names(&row.text("缺席人员")) {
            let (name, reason) = match entry.split_once(['（', '(']) {
                Some((n, r)) => (n.trim(), r.trim_end_matches(['）', ')']).trim()),
                None => (entry, ""),
            };
            match id_of(name) {
                Some(id) => attendance.push(Attendance {
                    member_id: id,
                    name: name.to_string(),
                    presence: if reason.is_empty() {
                        Presence::Absent
                    } else {
                        Presence::Leave
                    },
                    reason: reason.to_string(),
                }),
                None => strangers.push(name.to_string()),
            }
        }
        if !strangers.is_empty() {
            report.warnings.push(Problem {
                sheet: ACTIVITIES.name.into(),
                row: row.number,
                column: "参加人员".into(),
                value: strangers.join("、"),
                message: "不在该组织当日的在册名单中，未计入出席名单".into(),
            });
        }
        let (expected, present) = if attendance.is_empty() {
            (expected, present)
        } else {
            (
                Some(attendance.len() as u32),
                Some(
                    attendance
                        .iter()
                        .filter(|a| a.presence == Presence::Present)
                        .count() as u32,
                ),
            )
        };
        let a = Activity {
            id: None,
            uid: String::new(),
            date: when,
            time: String::new(),
            org_id: org,
            type_ids,
            topic,
            content: row.text("内容摘要"),
            host: row.text("主持人"),
            lecturer: row.text("主讲人"),
            place: row.text("地点"),
            recorder: String::new(),
            guests: String::new(),
            minutes: String::new(),
            outcome: row.text("备注"),
            speech_date: None,
            for_year,
            expected,
            present,
            attendance,
            attachments: Vec::new(),
        };
        db.save_activity(&a)?;
        Ok(Some(Outcome::Added))
    }

    fn talk_row(&mut self, db: &mut Db, row: &mut Row) -> Done {
        let when = row.required_date("日期");
        let kind = match row.required("类型") {
            Some(label) => {
                let id = self.kinds.get(&label).copied();
                if id.is_none() {
                    let mut known: Vec<&str> = self.kinds.keys().map(String::as_str).collect();
                    known.sort_unstable();
                    row.error(
                        "类型",
                        format!("没有这种谈话类型；已有：{}", known.join("、")),
                    );
                }
                id
            }
            None => None,
        };
        let form = match row.text("形式") {
            t if t.is_empty() => Some(TalkForm::Individual),
            _ => row.choice("形式", TalkForm::from_label, "个别、集体"),
        };
        let talkers = row.required("谈话人");
        let headcount = row.int("对象人数");
        let org = self.org(row, "所属组织", false).or(self.top_org);
        let (Some(when), Some(kind), Some(form), Some(talkers), true) =
            (when, kind, form, talkers, row.errors.is_empty())
        else {
            return Ok(None);
        };
        let names = split_names(&row.text("谈话对象")).join("、");
        if !self
            .talk_keys
            .is_new((when, kind, talkers.clone(), names.clone()))
        {
            return Ok(Some(Outcome::Unchanged));
        }
        db.save_talk(&Talk {
            id: None,
            uid: String::new(),
            date: when,
            kind_id: kind,
            form,
            org_id: org,
            talkers,
            subjects: Vec::new(),
            subject_names: names,
            headcount,
            place: row.text("地点"),
            reason: row.text("备注"),
            content: row.text("内容摘要"),
            follow_up: String::new(),
        })?;
        Ok(Some(Outcome::Added))
    }

    fn rect_row(&mut self, db: &mut Db, row: &mut Row) -> Done {
        let source = match row.required("问题来源") {
            Some(_) => row.choice(
                "问题来源",
                Source::from_label,
                "民主生活会、组织生活会、巡察、督查检查、审计、上级反馈、自查、其他",
            ),
            None => None,
        };
        let found = row.required_date("发现日期");
        let description = row.required("问题描述");
        let deadline = row.date("整改时限");
        let status = match row.text("状态") {
            t if t.is_empty() => Some(RectStatus::Open),
            _ => row.choice("状态", RectStatus::from_label, "未整改、整改中、已销号"),
        };
        let closed_on = row.date("完成日期");
        if status == Some(RectStatus::Closed) && closed_on.is_none() && row.errors.is_empty() {
            row.error("完成日期", "状态为已销号时须填写完成日期");
        }
        if status == Some(RectStatus::Void) {
            row.error("状态", "作废的问题不导入；应为 未整改、整改中、已销号");
        }
        let org = self.org(row, "所属组织", false).or(self.top_org);
        let (Some(source), Some(found), Some(description), Some(status), true) =
            (source, found, description, status, row.errors.is_empty())
        else {
            return Ok(None);
        };
        if !self
            .rect_keys
            .is_new((found, description.clone(), org, row.text("责任单位")))
        {
            return Ok(Some(Outcome::Unchanged));
        }
        let item = Rectification {
            id: None,
            uid: String::new(),
            source,
            org_id: org,
            found_on: found,
            description,
            category: row.text("问题类别"),
            unit: row.text("责任单位"),
            person: row.text("责任人"),
            measures: row.text("整改措施"),
            deadline,
            status: RectStatus::Open,
            closed_on: None,
            evidence: String::new(),
            evidence_file: String::new(),
            verifier: String::new(),
        };
        let id = db.save_rectification(&item)?;
        match status {
            RectStatus::InProgress => db.add_progress(id, found, "导入时状态为整改中")?,
            RectStatus::Closed => db.close_rectification(
                id,
                &Closing {
                    date: closed_on.unwrap_or(found),
                    evidence: row.text("整改成效"),
                    evidence_file: String::new(),
                    verifier: row.text("验收人"),
                },
            )?,
            _ => {}
        }
        Ok(Some(Outcome::Added))
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
    book.save(path).map_err(e)
}

/// The path of the error list beside `original`.
pub fn problems_path(original: &std::path::Path) -> std::path::PathBuf {
    let stem = original
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    original.with_file_name(format!("{stem}-错误清单.xlsx"))
}
