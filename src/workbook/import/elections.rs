//! The 换届选举 sheet: each row is an election's form (`ElectionInput`), checked by its `validate`;
//! the people elected come from the 书记, 副书记 and 委员 columns, a member found by a name no one
//! else has (or by the name and the tail of the number: 张三〔5601〕).

use super::row::Row;
use super::who::Who;
use super::{Done, Outcome};
use crate::model::election::{ElectionField as F, ElectionInput};
use crate::model::org::{CommitteeInput, CommitteeRole};
use crate::model::{parse_entry, split_names};
use crate::store::Db;
use crate::workbook::sheets::ELECTED;

pub(super) fn election_row(db: &mut Db, who: &mut Who, row: &mut Row) -> Done {
    // The same organisation's election on the same day is the same record.
    let org = who.org_id(&row.text(F::Org.label()));
    let held = super::ledger::key_date(row.raw(F::Held.label()));
    let existing = match (org, held) {
        (Some(org), Some(held)) => db
            .elections(Some(org))?
            .into_iter()
            .find(|e| e.held == held),
        _ => None,
    };
    let mut input = existing
        .as_ref()
        .map_or_else(ElectionInput::default, |e| e.to_input());
    row.fill(who, &mut input, &[]);
    let roles = [
        CommitteeRole::Secretary,
        CommitteeRole::Deputy,
        CommitteeRole::Member,
    ];
    if ELECTED.iter().any(|c| row.has(c.header)) {
        let mut elected = Vec::new();
        for (col, role) in ELECTED.iter().zip(roles) {
            for entry in split_names(&row.text(col.header)) {
                let (name, tail, duty) = parse_entry(entry);
                let found: Vec<_> = who
                    .by_name(name)
                    .into_iter()
                    .filter(|m| tail.is_none_or(|t| m.id_number.ends_with(t)))
                    .collect();
                elected.push(CommitteeInput {
                    role,
                    name: name.to_string(),
                    member_id: match found.as_slice() {
                        [m] => m.id,
                        _ => None,
                    },
                    duty: duty.to_string(),
                    ..Default::default()
                });
            }
        }
        input.elected = elected;
    }
    let e = match input.validate(who.today) {
        Ok(e) if row.is_clean() => e,
        Ok(_) => return Ok(None),
        Err(errors) => {
            row.invalid(errors, |f| match f {
                F::Elected | F::ElectedRow(_) => ELECTED[2].header,
                f => f.label(),
            });
            return Ok(None);
        }
    };
    let unchanged = existing.as_ref().is_some_and(|x| {
        let mut same = e.clone();
        same.id = x.id;
        same.uid = x.uid.clone();
        same == *x
    });
    if unchanged {
        return Ok(Some(Outcome::Unchanged));
    }
    db.save_election(&e)?;
    Ok(Some(Outcome::written(existing.is_some())))
}
