//! The sheets about members: 党员 (each row the member form's input), and what happens to them —
//! 组织关系, 党费, 表彰慰问 — each through the same input and check as its dialog.

use chrono::Datelike;

use super::row::Row;
use super::who::{Who, id_number};
use super::{Done, Outcome};
use crate::model::date::parse_month;
use crate::model::dues::{Basis, DuesField, DuesInput, yuan};
use crate::model::member::{Member, MemberField, MemberInput, Status};
use crate::model::member_event::{EventField, EventInput, EventKind, Grade};
use crate::model::transfer::{TransferField, TransferInput, TransferKind};
use crate::store::Db;

/// What identifies a person among the rows of one workbook: the number, or the name and the
/// organisation when there is none.
fn person_key(number: &str, name: &str, org: Option<i64>) -> String {
    if number.is_empty() {
        format!("{name}@{}", org.unwrap_or_default())
    } else {
        number.to_string()
    }
}

pub(super) fn member_row(db: &mut Db, who: &mut Who, row: &mut Row) -> Done {
    use MemberField as F;
    let name = row.text(F::Name.label());
    let Some(number) = row
        .col_of(F::IdNumber)
        .map_or(Some(String::new()), |c| id_number(row, c.header))
    else {
        return Ok(None);
    };
    let org_header = F::Org.label();
    let org = who.org_id(&row.text(org_header));
    // The member this row is about: by number, else by name (and organisation where it repeats).
    let existing: Option<Member> = if number.is_empty() {
        let same = who.by_name(&name);
        match same.as_slice() {
            [m] => Some((*m).clone()),
            many => many
                .iter()
                .find(|m| Some(m.org_id) == org)
                .map(|m| (*m).clone()),
        }
    } else {
        who.by_number(&number).cloned()
    };
    if let Some(m) = &existing
        && !number.is_empty()
        && m.name != name
        && !name.is_empty()
    {
        row.error(
            F::IdNumber.label(),
            format!(
                "该公民身份号码已登记为{}（{}），本行姓名为“{name}”：同一号码不能是两个人；如确系改名，请在系统中打开{}修改姓名",
                m.name,
                who.org_name(Some(m.org_id)),
                m.name
            ),
        );
    }
    // The same person twice in one workbook: the last row would silently win.
    let key = person_key(&number, &name, org);
    if let Some((earlier, earlier_org)) = who.seen_members.get(&key).copied() {
        let what = if number.is_empty() {
            "同名且在同一组织"
        } else {
            "公民身份号码相同"
        };
        let orgs = if earlier_org != org {
            format!(
                "，两行的所在组织不同（{} / {}）；调动请在“组织关系”表登记转接",
                who.org_name(earlier_org),
                who.org_name(org)
            )
        } else {
            String::new()
        };
        let header = if number.is_empty() {
            F::Name.label()
        } else {
            F::IdNumber.label()
        };
        row.error(
            header,
            format!("与第{earlier}行是同一人（{what}）{orgs}：每人只能有一行"),
        );
    } else {
        who.seen_members.insert(key, (row.number, org));
    }

    let mut input = existing
        .as_ref()
        .map_or_else(|| MemberInput::new(None), Member::to_input);
    row.fill(who, &mut input, &[F::Status]);
    if let Some(col) = row.col_of(F::Status) {
        match row.text(col.header).as_str() {
            "" | "在册" => input.status = Status::OnRolls,
            // 转出 is a transfer record with a date and a destination, not a status.
            "转出" => {
                input.status = Status::OnRolls;
                if !who.has_transfers {
                    row.warn(
                        col.header,
                        "转出以“组织关系”表的转出记录为准（含日期与转往组织）",
                    );
                }
            }
            t => match Status::from_label(t) {
                Some(s) => input.status = s,
                None => row.error(col.header, "应为在册、转出、去世、出党之一"),
            },
        }
    }
    // A member with transfers is where the transfers put them: the sheet does not move them.
    if let Some(m) = &existing
        && !who.transfers_of(m.id.unwrap_or_default()).is_empty()
        && input.org_id != Some(m.org_id)
    {
        if row.col_of(F::Org).is_some() {
            row.warn(
                org_header,
                format!(
                    "所在组织以组织关系转接记录为准（现为{}），未改动；调动请在“组织关系”表登记转接",
                    who.org_name(Some(m.org_id))
                ),
            );
        }
        input.org_id = Some(m.org_id);
    }
    let validated = input.validate(who.today);
    let mut member = match validated {
        Ok(m) if row.is_clean() => m,
        Ok(_) => return Ok(None),
        Err(e) => {
            row.invalid(e, F::label);
            return Ok(None);
        }
    };
    for w in member.warnings() {
        row.warn("", format!("提示：{w}"));
    }
    if existing.as_ref() == Some(&member) {
        return Ok(Some(Outcome::Unchanged));
    }
    member.id = Some(db.save_member(&member)?);
    who.know(member);
    Ok(Some(Outcome::written(existing.is_some())))
}

pub(super) fn transfer_row(db: &mut Db, who: &mut Who, row: &mut Row) -> Done {
    use TransferField as F;
    let kind_header = F::Kind.label();
    let kind = match row.required(kind_header) {
        Some(t) => match t.as_str() {
            "内部转接" | "调动" | "本单位内调动" => Some(TransferKind::Within),
            t => {
                let k = TransferKind::from_label(t);
                if k.is_none() {
                    row.error(kind_header, "应为 转入、转出 或 本单位内转接");
                }
                k
            }
        },
        None => None,
    };
    let mut input = TransferInput {
        kind,
        ..Default::default()
    };
    let from_col = row.col_of(F::FromOrg);
    let from = from_col.and_then(|c| row.input_value(c, who));
    let to = row.col_of(F::ToOrg).and_then(|c| row.input_value(c, who));
    let as_id = |v: Option<crate::model::field::Value>| match v {
        Some(crate::model::field::Value::Int(id)) => Some(id),
        _ => None,
    };
    let (from, to) = (as_id(from), as_id(to));
    input.to_org = to;
    input.date = row.input_text(F::Date, who);
    input.other_org = row.input_text(F::OtherOrg, who);
    input.note = row.input_text(F::Note, who);
    let Some(member) = who.member(row, from.or(to)) else {
        return Ok(None);
    };
    if !row.is_clean() {
        return Ok(None);
    }
    input.member_id = member;
    let chain = who.transfers_of(member).to_vec();
    let date = crate::model::date::parse_date(&input.date).ok();
    // The same transfer already recorded (same day, same kind): its notes may change, not where
    // it leads (that is a correction made in the member's page, where the chain is shown).
    if let Some(same) = chain
        .iter()
        .find(|t| Some(t.date) == date && Some(t.kind()) == kind)
    {
        let moved =
            (to.is_some() && to != same.to_org) || (from.is_some() && from != same.from_org);
        if moved {
            row.error(
                kind_header,
                format!(
                    "该党员当日已有一条{}记录（{} → {}），与本行的组织不同；请在系统中修改那条记录",
                    same.kind(),
                    who.org_name(same.from_org),
                    who.org_name(same.to_org)
                ),
            );
            return Ok(None);
        }
        let mut t = same.clone();
        if row.col_of(F::OtherOrg).is_some() {
            t.other_org = input.other_org.trim().to_string();
        }
        if row.col_of(F::Note).is_some() {
            t.note = input.note.trim().to_string();
        }
        if t == *same {
            return Ok(Some(Outcome::Unchanged));
        }
        db.save_transfer(&t)?;
        return Ok(Some(Outcome::Updated));
    }
    let home = who.members.get(&member).map_or(0, |m| m.org_id);
    // A member's first transfer in this file: the member's record holds where the chain ends, and
    // the row says where it starts (outside for a 转入, else its 原组织).
    let org_on = |d| match (chain.is_empty(), kind) {
        (false, _) => crate::model::transfer::org_at(home, &chain, d),
        (true, Some(TransferKind::In)) => None,
        (true, _) => from.or(Some(home)),
    };
    let t = match input.validate_from(org_on, who.today) {
        Ok(t) => t,
        Err(e) => {
            row.invalid(e, F::label);
            return Ok(None);
        }
    };
    if let (Some(c), Some(f)) = (from_col, from)
        && t.from_org.is_some()
        && t.from_org != Some(f)
    {
        row.error(
            c.header,
            format!("该党员当日在{}，原组织应为该组织", who.org_name(t.from_org)),
        );
        return Ok(None);
    }
    db.save_transfer(&t)?;
    who.transfers.insert(member, db.transfers_of(member)?);
    Ok(Some(Outcome::Added))
}

pub(super) fn dues_row(_db: &mut Db, who: &mut Who, row: &mut Row) -> Done {
    use DuesField as F;
    let month_header = F::Month.label();
    let month = match row.raw(month_header) {
        crate::workbook::Value::Date(d) => Some((d.year(), d.month())),
        v if v.is_empty() => {
            row.error(month_header, "必填，应为月份，如 2022-03");
            None
        }
        v => {
            let m = parse_month(&v.text());
            if m.is_none() {
                row.error(month_header, "应为月份，如 2022-03 或 2022年3月");
            }
            m
        }
    };
    let member = who.member(row, None);
    let (Some(ym), Some(member)) = (month, member) else {
        return Ok(None);
    };
    // The month as recorded, with the sheet's columns over it.
    let before = who.dues.get(&(member, ym.0, ym.1)).cloned();
    let mut input = before
        .as_ref()
        .map_or_else(DuesInput::default, |d| DuesInput {
            basis: d.basis,
            base: d.base_fen.map(yuan).unwrap_or_default(),
            amount: yuan(d.amount_fen),
        });
    let basis_col = row.col_of(F::Basis).map(|c| row.text(c.header));
    let rate = row.col_of(F::Rate).map(|c| row.text(c.header));
    match (basis_col.as_deref(), rate.as_deref()) {
        (_, Some("定额")) => input.basis = Basis::Flat,
        (Some(""), _) => input.basis = Basis::InService,
        (Some(t), _) => match Basis::from_label(t) {
            Some(b) => input.basis = b,
            None => row.error(F::Basis.label(), "应为在职、离退休、定额之一"),
        },
        (None, _) => {}
    }
    if row.col_of(F::Base).is_some() {
        input.base = row.input_text(F::Base, who);
    }
    if row.col_of(F::Amount).is_some() {
        input.amount = row.input_text(F::Amount, who);
    }
    if !row.is_clean() {
        return Ok(None);
    }
    let day = crate::store::roll_day(ym.0, ym.1, who.today);
    let Some(org) = who.org_of(member, day) else {
        row.error(month_header, "该党员当月不在本单位党组织，无法登记党费");
        return Ok(None);
    };
    let d = match input.validate(member, org, ym) {
        Ok(d) => d,
        Err(e) => {
            row.invalid(e, F::label);
            return Ok(None);
        }
    };
    if before.as_ref() == Some(&d) {
        return Ok(Some(Outcome::Unchanged));
    }
    who.dues.insert((member, ym.0, ym.1), d.clone());
    who.dues_out.push(d);
    Ok(Some(Outcome::written(before.is_some())))
}

pub(super) fn event_row(db: &mut Db, who: &mut Who, row: &mut Row) -> Done {
    use EventField as F;
    let kind_header = F::Kind.label();
    let kind = match row.required(kind_header) {
        Some(t) => match t.as_str() {
            "慰问" | "关怀帮扶" | "走访" => Some(EventKind::Visit),
            "评议" | "民主评议党员" => Some(EventKind::Review),
            t => {
                let k = EventKind::from_label(t);
                if k.is_none() {
                    row.error(kind_header, "应为 表彰、慰问 或 民主评议");
                }
                k
            }
        },
        None => None,
    };
    let date = row.input_text(F::Date, who);
    let grade_text = row.input_text(F::Grade, who);
    let grade = match grade_text.as_str() {
        "" => None,
        g => {
            let grade = Grade::from_label(g);
            if grade.is_none() {
                row.error(F::Grade.label(), "应为优秀、合格、基本合格、不合格之一");
            }
            grade
        }
    };
    let member = who.member(row, None);
    let (Some(member), true) = (member, row.is_clean()) else {
        return Ok(None);
    };
    let input = EventInput {
        kind,
        date,
        for_year: row.input_text(F::ForYear, who),
        members: vec![member],
        title: row.input_text(F::Title, who),
        grade,
        note: row.input_text(F::Note, who),
    };
    let rows = match input.validate(who.today) {
        Ok(r) => r,
        Err(e) => {
            row.invalid(e, F::label);
            return Ok(None);
        }
    };
    let Some(e) = rows.first() else {
        return Ok(None);
    };
    // An event already recorded: the one of that member, kind and day (with that title, where the
    // sheet gives it).
    let has_title = row.col_of(F::Title).is_some();
    let records = &who.event_records;
    let same = who
        .events
        .take(&(member, e.kind, e.date), |id| {
            !has_title || records.get(&id).is_some_and(|r| r.title == e.title)
        })
        .and_then(|id| who.event_records.get(&id))
        .cloned();
    match same {
        None => {
            db.save_member_events(&rows)?;
            Ok(Some(Outcome::Added))
        }
        Some(before) => {
            // The columns the sheet has, over the event as recorded.
            let mut after = before.clone();
            if has_title {
                after.title = e.title.clone();
            }
            if row.col_of(F::ForYear).is_some() {
                after.for_year = e.for_year;
            }
            if row.col_of(F::Grade).is_some() {
                after.grade = e.grade;
            }
            if row.col_of(F::Note).is_some() {
                after.note = e.note.clone();
            }
            if after == before {
                return Ok(Some(Outcome::Unchanged));
            }
            db.update_member_event(&after)?;
            Ok(Some(Outcome::Updated))
        }
    }
}
