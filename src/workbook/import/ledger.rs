//! The ledgers: 活动, 谈话, 整改. Each row is the record's form input (the record in the file when
//! the row's key names one), checked by the form's `validate`.

use chrono::NaiveDate;

use super::row::Row;
use super::who::Who;
use super::{Done, Outcome};
use crate::model::activity::{Activity, ActivityField, ActivityInput, Attendance, Presence};
use crate::model::date::parse_date;
use crate::model::rectify::{
    CloseInput, EventKind, RectEvent, RectField, RectInput, RectStatus, Rectification, replay,
};
use crate::model::talk::{TalkField, TalkInput};
use crate::model::{id_card, parse_entry, plain_file_name, split_names};
use crate::store::Db;
use crate::workbook::Value;
use crate::workbook::sheets::{ABSENT, HISTORY, LEAVE, MEMBER_SUBJECTS, PRESENT, SUBJECTS};

/// A date cell, or a date as typed: for a row's match key only (the form's check reports a bad one).
pub(super) fn key_date(v: &Value) -> Option<NaiveDate> {
    match v {
        Value::Date(d) => Some(*d),
        Value::Number(n) => crate::workbook::serial_date(*n),
        v => parse_date(&v.text()).ok(),
    }
}

pub(super) fn activity_row(db: &mut Db, who: &mut Who, row: &mut Row) -> Done {
    use ActivityField as F;
    let key = (|| {
        let date = key_date(row.raw(F::Date.label()))?;
        let org = who.org_id(&row.text(F::Org.label()))?;
        Some((date, org, row.text(F::Topic.label())))
    })();
    let existing: Option<&Activity> = key
        .and_then(|k| who.activities.take(&k, |_| true))
        .and_then(|id| who.activity_records.get(&id));
    let mut input = existing.map_or_else(ActivityInput::default, Activity::to_input);
    row.fill(who, &mut input, &[]);
    for name in &input.attachments {
        if let Err(e) = plain_file_name(name) {
            row.error(F::Attachments.label(), e);
        }
    }
    if let Some(col) = row.col_of(F::Types) {
        let known: Vec<_> = who
            .types
            .iter()
            .map(|t| (t.label.as_str(), t.id, t.hidden))
            .collect();
        input.type_ids = ids_named(row, col.header, &known, |name, list| {
            format!("没有“{name}”这种活动类型；已有：{list}")
        });
    }
    if let Some(col) = row.col_of(F::Themes) {
        let known: Vec<_> = who
            .themes
            .iter()
            .map(|t| (t.label.as_str(), t.id, t.hidden))
            .collect();
        input.theme_ids = ids_named(row, col.header, &known, |name, list| {
            format!("没有“{name}”这个专题；已有：{list}（可在“学习活动 → 专题设置”中添加）")
        });
    }
    // The attendance, when the sheet lists it: the roll of that day, each name marked.
    let lists = [PRESENT, LEAVE, ABSENT];
    if lists.iter().any(|c| row.has(c.header)) {
        let day = parse_date(&input.date).ok();
        let mut roll = match (input.org_id, day) {
            (Some(org), Some(day)) => who.roll(org, day),
            _ => Vec::new(),
        };
        let mut attendance = Vec::new();
        let mut strangers = Vec::new();
        let has_leave = row.has(LEAVE.header);
        for col in lists {
            for entry in split_names(&row.text(col.header)) {
                let (name, tag, reason) = parse_entry(entry);
                let presence = match col.header {
                    h if h == PRESENT.header => Presence::Present,
                    h if h == LEAVE.header => Presence::Leave,
                    // A sheet without 请假人员 gives the reason of a leave in 缺席人员.
                    _ if !has_leave && !reason.is_empty() => Presence::Leave,
                    _ => Presence::Absent,
                };
                // Two members of one name: told apart by the tail of the number where the list
                // gives it, else taken in turn.
                let number_ends = |id: &i64| {
                    tag.is_none_or(|t| {
                        who.members
                            .get(id)
                            .is_some_and(|m| m.id_number.ends_with(t))
                    })
                };
                match roll
                    .iter()
                    .position(|(id, n)| *n == name && number_ends(id))
                {
                    Some(i) => attendance.push(Attendance {
                        member_id: roll.remove(i).0,
                        name: name.to_string(),
                        presence,
                        reason: reason.to_string(),
                    }),
                    None => strangers.push(name.to_string()),
                }
            }
        }
        if !strangers.is_empty() {
            let header = if row.has(PRESENT.header) {
                PRESENT.header
            } else {
                ABSENT.header
            };
            row.warn(
                header,
                format!(
                    "{}不在该组织当日的在册名单中，未计入出席名单",
                    strangers.join("、")
                ),
            );
        }
        // A ledger that lists only who was away (缺席人员及原因): everyone else on the day's roll
        // was there, as the form starts with all present.
        if !row.has(PRESENT.header) {
            attendance.extend(roll.into_iter().map(|(member_id, name)| Attendance {
                member_id,
                name: name.to_string(),
                presence: Presence::Present,
                reason: String::new(),
            }));
        }
        attendance.sort_by(|a, b| (&a.name, a.member_id).cmp(&(&b.name, b.member_id)));
        input.attendance = attendance;
    }
    let a = match input.validate(who.today, &who.types) {
        Ok(a) if row.is_clean() => a,
        Ok(_) => return Ok(None),
        Err(e) => {
            row.invalid(e, |f| match f {
                F::Attendance(_) => LEAVE.header,
                f => f.label(),
            });
            return Ok(None);
        }
    };
    let same = existing.is_some_and(|b| {
        let mut b = b.clone();
        b.attendance
            .sort_by(|x, y| (&x.name, x.member_id).cmp(&(&y.name, y.member_id)));
        b == a
    });
    if same {
        return Ok(Some(Outcome::Unchanged));
    }
    db.save_activity(&a)?;
    Ok(Some(Outcome::written(existing.is_some())))
}

pub(super) fn talk_row(db: &mut Db, who: &mut Who, row: &mut Row) -> Done {
    use TalkField as F;
    let kind_header = F::Kind.label();
    let kind = match row.required(kind_header) {
        Some(label) => {
            let id = who.kinds.get(&label).copied();
            if id.is_none() {
                let mut known: Vec<&str> = who.kinds.keys().map(String::as_str).collect();
                known.sort_unstable();
                row.error(
                    kind_header,
                    format!("没有这种谈话类型；已有：{}", known.join("、")),
                );
            }
            id
        }
        None => None,
    };
    let names = split_names(&row.text(SUBJECTS.header)).join("、");
    let key = (|| {
        let date = key_date(row.raw(F::Date.label()))?;
        let talkers = split_names(&row.text(F::Talkers.label())).join("、");
        Some((date, kind?, talkers))
    })();
    // Several talks of one talker on one day are told apart by whom they were with.
    let has_names = row.has(SUBJECTS.header);
    let records = &who.talk_records;
    let existing = key
        .and_then(|k| {
            who.talks.take(&k, |id| {
                !has_names
                    || records
                        .get(&id)
                        .is_some_and(|t| t.named_subjects().join("、") == names)
            })
        })
        .and_then(|id| who.talk_records.get(&id))
        .cloned();
    let mut input = existing.as_ref().map_or_else(
        || TalkInput {
            org_id: who.top_org,
            ..Default::default()
        },
        |t| t.to_input(),
    );
    row.fill(who, &mut input, &[]);
    input.kind_id = kind.or(input.kind_id);
    if input.org_id.is_none() {
        input.org_id = who.top_org;
    }
    if row.has(SUBJECTS.header) || row.has(MEMBER_SUBJECTS.header) {
        // Without 党员对象 the members already picked stay picked where the list names them.
        let mut picked: Vec<(i64, String)> = match row.has(MEMBER_SUBJECTS.header) {
            true => Vec::new(),
            false => input
                .subjects
                .iter()
                .filter(|(_, n)| split_names(&names).contains(&n.as_str()))
                .cloned()
                .collect(),
        };
        for entry in split_names(&row.text(MEMBER_SUBJECTS.header)) {
            let number = id_card::normalise(entry);
            let found = if number.len() >= 15 {
                who.by_number(&number)
            } else {
                match who.by_name(entry).as_slice() {
                    [m] => Some(*m),
                    _ => None,
                }
            };
            match found.and_then(|m| Some((m.id?, m.name.clone()))) {
                Some(p) => picked.push(p),
                None => row.error(
                    MEMBER_SUBJECTS.header,
                    format!(
                        "找不到“{entry}”这名党员（应为公民身份号码，没有号码时为不重名的姓名）"
                    ),
                ),
            }
        }
        input.subject_names = split_names(&names)
            .into_iter()
            .filter(|n| !picked.iter().any(|(_, p)| p == n))
            .collect::<Vec<_>>()
            .join("、");
        input.subjects = picked;
    }
    let t = match input.validate(who.today) {
        Ok(t) if row.is_clean() => t,
        Ok(_) => return Ok(None),
        Err(e) => {
            row.invalid(e, |f| match f {
                F::Subjects | F::SubjectNames => SUBJECTS.header,
                f => f.label(),
            });
            return Ok(None);
        }
    };
    if existing.as_ref() == Some(&t) {
        return Ok(Some(Outcome::Unchanged));
    }
    db.save_talk(&t)?;
    Ok(Some(Outcome::written(existing.is_some())))
}

/// The 整改过程 column: a line per entry, "2022-05-01 进展：已制定方案".
fn history(text: &str) -> Result<Vec<RectEvent>, String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|line| {
            let bad = || format!("“{line}”应写成 日期 事项：内容，如 2022-05-01 进展：已制定方案");
            let (day, rest) = line.split_once([' ', '\u{3000}']).ok_or_else(bad)?;
            let date = parse_date(day).map_err(|e| format!("“{line}”：{e}"))?;
            let (kind, text) = rest
                .trim()
                .split_once(['：', ':'])
                .unwrap_or((rest.trim(), ""));
            let kind = EventKind::from_label(kind)
                .ok_or_else(|| format!("“{line}”：事项应为{}之一", EventKind::LABELS.join("、")))?;
            Ok(RectEvent {
                date,
                kind,
                text: text.trim().to_string(),
            })
        })
        .collect()
}

pub(super) fn rect_row(db: &mut Db, who: &mut Who, row: &mut Row) -> Done {
    use RectField as F;
    let key = (|| {
        let found = key_date(row.raw(F::FoundOn.label()))?;
        Some((found, row.text(F::Description.label())))
    })();
    // Items found on one day with one description are told apart by organisation and unit,
    // where the sheet gives them.
    let org = row.col_of(F::Org).map(|c| match row.text(c.header) {
        t if t.is_empty() => who.top_org,
        t => who.org_id(&t),
    });
    let unit = row.col_of(F::Unit).map(|c| row.text(c.header));
    let records = &who.rect_records;
    let existing: Option<Rectification> = key
        .and_then(|k| {
            who.rects.take(&k, |id| {
                records.get(&id).is_some_and(|r| {
                    org.is_none_or(|o| o == r.org_id) && unit.as_ref().is_none_or(|u| *u == r.unit)
                })
            })
        })
        .and_then(|id| who.rect_records.get(&id))
        .cloned();
    let mut input = existing.as_ref().map_or_else(
        || RectInput {
            org_id: who.top_org,
            ..Default::default()
        },
        Rectification::to_input,
    );
    let closing = [
        F::Status,
        F::ClosedOn,
        F::Evidence,
        F::EvidenceFile,
        F::Verifier,
    ];
    row.fill(who, &mut input, &closing);
    if input.org_id.is_none() {
        input.org_id = who.top_org;
    }
    let status_col = row.col_of(F::Status);
    let status = match status_col.map(|c| row.text(c.header)) {
        None => None,
        Some(t) if t.is_empty() => Some(RectStatus::Open),
        Some(t) => {
            let s = RectStatus::from_label(&t);
            if s.is_none() {
                row.error(F::Status.label(), "应为未整改、整改中、已销号、已作废之一");
            }
            s
        }
    };
    let close_input = CloseInput {
        date: row.input_text(F::ClosedOn, who),
        evidence: row.input_text(F::Evidence, who),
        evidence_file: row.input_text(F::EvidenceFile, who),
        verifier: row.input_text(F::Verifier, who),
    };
    if !close_input.evidence_file.is_empty()
        && let Err(e) = plain_file_name(&close_input.evidence_file)
    {
        row.error(F::EvidenceFile.label(), e);
    }
    let mut item = match input.validate(who.today, existing.as_ref()) {
        Ok(i) if row.is_clean() => i,
        Ok(_) => return Ok(None),
        Err(e) => {
            row.invalid(e, F::label);
            return Ok(None);
        }
    };
    let closed = |row: &mut Row| match close_input.validate(item.found_on, who.today) {
        Ok(c) => Some(c),
        Err(e) => {
            row.invalid(e, |f| match f {
                crate::model::rectify::CloseField::Date => F::ClosedOn.label(),
                crate::model::rectify::CloseField::Evidence => F::Evidence.label(),
                crate::model::rectify::CloseField::Verifier => F::Verifier.label(),
            });
            None
        }
    };
    let Some(before) = existing else {
        // A new item: its history from 整改过程, or made from its status.
        let events = match row.has(HISTORY.header) && !row.text(HISTORY.header).is_empty() {
            true => match history(&row.text(HISTORY.header))
                .and_then(|h| replay(item.found_on, &h, who.today).map(|(s, c)| (h, s, c)))
            {
                Ok((h, s, c)) => {
                    if status.is_some_and(|st| st != s) {
                        row.error(
                            F::Status.label(),
                            format!("与“整改过程”不符：按整改过程应为{s}"),
                        );
                        return Ok(None);
                    }
                    item.status = s;
                    item.closed_on = c;
                    item.evidence = close_input.evidence.trim().to_string();
                    item.evidence_file = close_input.evidence_file.trim().to_string();
                    item.verifier = close_input.verifier.trim().to_string();
                    if s == RectStatus::Closed && closed(row).is_none() {
                        return Ok(None);
                    }
                    h
                }
                Err(e) => {
                    row.error(HISTORY.header, e);
                    return Ok(None);
                }
            },
            false => {
                let created = RectEvent {
                    date: item.found_on,
                    kind: EventKind::Created,
                    text: format!("来源：{}", item.source),
                };
                match status.unwrap_or(RectStatus::Open) {
                    RectStatus::Open => vec![created],
                    RectStatus::InProgress => {
                        item.status = RectStatus::InProgress;
                        vec![
                            created,
                            RectEvent {
                                date: item.found_on,
                                kind: EventKind::Progress,
                                text: "导入时状态为整改中".into(),
                            },
                        ]
                    }
                    RectStatus::Closed => {
                        let Some(c) = closed(row) else {
                            return Ok(None);
                        };
                        item.status = RectStatus::Closed;
                        item.closed_on = Some(c.date);
                        item.evidence = c.evidence.clone();
                        item.evidence_file = c.evidence_file.clone();
                        item.verifier = c.verifier.clone();
                        vec![
                            created,
                            RectEvent {
                                date: c.date,
                                kind: EventKind::Closed,
                                text: format!("验收人：{}；整改成效：{}", c.verifier, c.evidence),
                            },
                        ]
                    }
                    RectStatus::Void => {
                        row.error(
                            F::Status.label(),
                            "作废的问题须在“整改过程”列写明作废的日期和原因",
                        );
                        return Ok(None);
                    }
                }
            }
        };
        db.import_rectification(&item, &events)?;
        return Ok(Some(Outcome::Added));
    };
    // An item in the file: what the problem is may change; of its status only a 销号.
    let mut written = false;
    if item != before {
        db.save_rectification(&item)?;
        written = true;
    }
    match status {
        Some(s) if s != before.status => {
            if s == RectStatus::Closed
                && before
                    .status
                    .allows(crate::model::rectify::Transition::Close)
            {
                let Some(c) = closed(row) else {
                    return Ok(None);
                };
                db.close_rectification(before.id.unwrap_or_default(), &c)?;
                written = true;
            } else {
                row.error(
                    F::Status.label(),
                    format!(
                        "系统中该问题{}：重新打开、作废等请在系统中办理并说明原因",
                        before.status
                    ),
                );
                return Ok(None);
            }
        }
        _ => {}
    }
    Ok(Some(if written {
        Outcome::Updated
    } else {
        Outcome::Unchanged
    }))
}

/// The ids of the names in the cell under `header` (separated by 、), each looked up among
/// `known` (name, id, retired); a name not there is an error at the column, `unknown` saying it
/// with the names in use.
fn ids_named(
    row: &mut Row,
    header: &str,
    known: &[(&str, Option<i64>, bool)],
    unknown: impl Fn(&str, &str) -> String,
) -> Vec<i64> {
    let text = row.text(header);
    let mut ids = Vec::new();
    for name in split_names(&text) {
        match known
            .iter()
            .find(|(l, ..)| *l == name)
            .and_then(|(_, id, _)| *id)
        {
            Some(id) => ids.push(id),
            None => {
                let in_use: Vec<&str> = known
                    .iter()
                    .filter(|(.., hidden)| !hidden)
                    .map(|(l, ..)| *l)
                    .collect();
                row.error(header, unknown(name, &in_use.join("、")));
            }
        }
    }
    ids
}
