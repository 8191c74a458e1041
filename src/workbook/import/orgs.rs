//! The 支部 and 委员会 sheets: each row is an organisation's form (`OrgInput` with its committee),
//! checked by the form's `validate`.

use std::collections::HashMap;

use super::row::Row;
use super::who::{Who, id_number};
use super::{Done, Outcome, Problem};
use crate::model::org::{
    CommitteeField, CommitteeInput, CommitteeMember, CommitteeRole, OrgField, OrgInput,
};
use crate::model::split_names;
use crate::store::{Db, StoreError};
use crate::workbook::Value;
use crate::workbook::sheets::{COMMITTEE_ORG, PERSON_ID, SECRETARY};

/// Organisations may name a parent listed further down: those whose parent is known go first,
/// round after round.
pub(super) fn parents_first<'a>(
    rows: Vec<(usize, &'a Vec<Value>)>,
    map: &HashMap<&'static str, usize>,
    who: &Who,
) -> Vec<(usize, &'a Vec<Value>)> {
    let column = |f: OrgField| {
        crate::workbook::SheetKind::Orgs
            .sheet()
            .col_of(f)
            .and_then(|c| map.get(c.header).copied())
    };
    let (parent_col, name_col) = (column(OrgField::Parent), column(OrgField::Name));
    let text = |r: &Vec<Value>, c: Option<usize>| {
        c.and_then(|i| r.get(i))
            .map(Value::text)
            .unwrap_or_default()
    };
    let mut pending = rows;
    let mut ordered = Vec::new();
    let mut known: Vec<String> = Vec::new();
    while !pending.is_empty() {
        let (ready, later): (Vec<_>, Vec<_>) = pending.into_iter().partition(|(_, r)| {
            let parent = text(r, parent_col);
            parent.is_empty() || who.org_id(&parent).is_some() || known.contains(&parent)
        });
        if ready.is_empty() {
            ordered.extend(later);
            break;
        }
        known.extend(ready.iter().map(|(_, r)| text(r, name_col)));
        ordered.extend(ready);
        pending = later;
    }
    ordered
}

/// 应开展的活动 as the sheet writes it ("要求：党小组会；不要求：民主生活会") into type ids with
/// the organisation's own answer.
fn expectations(text: &str, who: &Who) -> Result<Vec<(i64, bool)>, String> {
    let mut out = Vec::new();
    for part in text
        .split(['；', ';', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let (word, labels) = part
            .split_once(['：', ':'])
            .ok_or_else(|| format!("“{part}”应写成 要求：类型、类型 或 不要求：类型"))?;
        let expected = match word.trim() {
            "要求" => true,
            "不要求" => false,
            w => return Err(format!("“{w}”应为“要求”或“不要求”")),
        };
        for label in split_names(labels) {
            let t = who
                .types
                .iter()
                .find(|t| t.label == label)
                .and_then(|t| t.id)
                .ok_or_else(|| format!("没有“{label}”这种活动类型"))?;
            out.push((t, expected));
        }
    }
    out.sort_unstable();
    Ok(out)
}

pub(super) fn org_row(db: &mut Db, who: &mut Who, row: &mut Row) -> Done {
    let name_header = OrgField::Name.label();
    let Some(name) = row.required(name_header) else {
        return Ok(None);
    };
    let existing = who.org_id(&name);
    let before = match existing {
        Some(id) => Some((db.org(id)?, db.committee(id)?)),
        None => None,
    };
    let (mut input, mut committee): (OrgInput, Vec<CommitteeInput>) = match &before {
        Some((o, c)) => (o.to_input(), c.iter().map(|m| m.to_input()).collect()),
        None => (OrgInput::default(), Vec::new()),
    };
    row.fill(who, &mut input, &[OrgField::Expectations]);
    if let Some(col) = row.col_of(OrgField::Expectations) {
        match expectations(&row.text(col.header), who) {
            Ok(list) => input.expectations = list,
            Err(e) => row.error(col.header, e),
        }
    }
    // The secretary's name, unless the 委员会 sheet gives the whole committee. A blank cell leaves
    // the committee as it is.
    let secretary = row.text(SECRETARY.header);
    if !secretary.is_empty()
        && !who.committee_orgs.contains(&name)
        && !committee
            .iter()
            .any(|c| c.role == CommitteeRole::Secretary && c.name == secretary)
    {
        committee.retain(|c| c.role != CommitteeRole::Secretary);
        committee.insert(
            0,
            CommitteeInput {
                id: None,
                uid: String::new(),
                role: CommitteeRole::Secretary,
                name: secretary,
                member_id: None,
                duty: String::new(),
                appointed: input.term_start.clone(),
                ended: String::new(),
            },
        );
    }
    let (org, members) = match input.validate(&committee, who.today) {
        Ok(v) if row.is_clean() => v,
        Ok(_) => return Ok(None),
        Err(e) => {
            row.invalid(e, OrgField::label);
            return Ok(None);
        }
    };
    if let Some((o, c)) = &before
        && *o == org
        && *c == members
    {
        return Ok(Some(Outcome::Unchanged));
    }
    let id = db.save_org(&org, &members)?;
    who.add_org(org.name, id);
    Ok(Some(Outcome::written(before.is_some())))
}

/// What saving one row of the 委员会 sheet did (nothing to count when its committee has
/// problems), and the problems.
pub(super) type Saved = (Option<Outcome>, Vec<Problem>);

/// The 委员会 sheet's rows, by organisation: the committee of each organisation listed is replaced
/// by its rows (kept rows keep their history; one no longer listed is removed, its audit kept).
#[derive(Default)]
pub(super) struct Committees {
    /// Organisation id → its rows (as typed, with the row number).
    orgs: Vec<(i64, Vec<(usize, CommitteeInput)>)>,
    /// Each organisation's committee as it is in the file, read once.
    before: HashMap<i64, Vec<CommitteeMember>>,
}

impl Committees {
    pub fn add(&mut self, db: &Db, who: &Who, row: &mut Row) -> Done {
        let org = match row.required(COMMITTEE_ORG.header) {
            Some(name) => match who.org_id(&name) {
                Some(id) => Some(id),
                None => {
                    row.error(
                        COMMITTEE_ORG.header,
                        "找不到该党组织：请先在“支部”表中列出，或在系统“组织”页中新增",
                    );
                    None
                }
            },
            None => None,
        };
        let Some(org) = org else { return Ok(None) };
        if let std::collections::hash_map::Entry::Vacant(e) = self.before.entry(org) {
            e.insert(db.committee_history(org)?);
        }
        // A row for someone already on the committee (same role and name) is that record, with
        // the sheet's columns over it.
        let role = CommitteeRole::from_label(&row.text(CommitteeField::Role.label()));
        let name = row.text(CommitteeField::Name.label());
        // …in the same term: a secretary of two terms has a closed row and a current one.
        let ended = super::ledger::key_date(row.raw(CommitteeField::Ended.label()));
        let taken: Vec<Option<i64>> = self
            .orgs
            .iter()
            .filter(|(o, _)| *o == org)
            .flat_map(|(_, rows)| rows.iter().map(|(_, i)| i.id))
            .collect();
        let existing = self.before[&org].iter().find(|b| {
            Some(b.role) == role && b.name == name && b.ended == ended && !taken.contains(&b.id)
        });
        let mut input = existing.map_or_else(
            || CommitteeInput {
                id: None,
                uid: String::new(),
                role: CommitteeRole::Member,
                name: String::new(),
                member_id: None,
                duty: String::new(),
                appointed: String::new(),
                ended: String::new(),
            },
            CommitteeMember::to_input,
        );
        row.fill(who, &mut input, &[CommitteeField::Member]);
        if let Some(number) = id_number(row, PERSON_ID.header)
            && row.has(PERSON_ID.header)
        {
            match (number.is_empty(), who.by_number(&number)) {
                (true, _) => input.member_id = None,
                (false, Some(m)) => input.member_id = m.id,
                (false, None) => row.error(PERSON_ID.header, "找不到该公民身份号码的党员"),
            }
        }
        if !row.is_clean() {
            return Ok(None);
        }
        match self.orgs.iter_mut().find(|(o, _)| *o == org) {
            Some((_, rows)) => rows.push((row.number, input)),
            None => self.orgs.push((org, vec![(row.number, input)])),
        }
        // Counted when the committee is saved.
        Ok(None)
    }

    /// Saves each organisation's committee; the outcome of each row (none for a committee with
    /// problems), and each committee's problems (the form's, at the rows they name).
    pub fn save(self, db: &mut Db, who: &Who) -> Result<Vec<Saved>, StoreError> {
        let sheet = crate::workbook::SheetKind::Committee.sheet();
        let mut out = Vec::new();
        for (org_id, rows) in self.orgs {
            let org = db.org(org_id)?;
            let before = &self.before[&org_id];
            let inputs: Vec<CommitteeInput> = rows.iter().map(|(_, i)| i.clone()).collect();
            let problem = |number: usize, message: String| Problem {
                sheet: sheet.name.into(),
                row: number,
                column: String::new(),
                value: String::new(),
                message,
            };
            match org.to_input().validate(&inputs, who.today) {
                Err(e) => {
                    let problems =
                        e.0.into_iter()
                            .map(|e| match e.field {
                                OrgField::Committee(i) => problem(rows[i].0, e.message),
                                f => problem(rows[0].0, format!("{}：{}", f.label(), e.message)),
                            })
                            .collect();
                    out.push((None, problems));
                }
                Ok((org, members)) => {
                    for m in &members {
                        let same = before.iter().find(|b| b.id.is_some() && b.id == m.id);
                        out.push((
                            Some(match same {
                                Some(b) if b == m => Outcome::Unchanged,
                                Some(_) => Outcome::Updated,
                                None => Outcome::Added,
                            }),
                            Vec::new(),
                        ));
                    }
                    if members != *before
                        && let Err(e) = db.save_org(&org, &members)
                    {
                        match e {
                            StoreError::Refused { .. } | StoreError::NotFound => {
                                out.push((None, vec![problem(rows[0].0, e.to_string())]))
                            }
                            e => return Err(e),
                        }
                    }
                }
            }
        }
        Ok(out)
    }
}
