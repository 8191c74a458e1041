//! What happens to the demo bureau's members: transfers in, out and between branches, monthly dues,
//! commendations around 七一, visits before 春节 and the yearly 民主评议. Indices stand for ids, as
//! `Db::bulk_load` expects.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};

use super::Gen;
use crate::model::dues::{self, Basis, Dues};
use crate::model::member::{Category, Member};
use crate::model::member_event::{EventKind, Grade, MemberEvent};
use crate::model::org::{CommitteeMember, CommitteeRole, Org};
use crate::model::transfer::Transfer;
use crate::store::MemberRecords;

const ELSEWHERE: &[&str] = &[
    "省民政厅机关党委",
    "市人力资源和社会保障局机关党委",
    "区民政局机关党支部",
    "市卫生健康委员会机关党委",
    "某街道社区党委",
];

/// Each member's transfers, oldest first, by member index.
pub type Chains = HashMap<usize, Vec<Transfer>>;

fn transfer(
    member: usize,
    date: NaiveDate,
    from: Option<i64>,
    to: Option<i64>,
    g: &mut Gen,
) -> Transfer {
    Transfer {
        id: None,
        uid: String::new(),
        member_id: member as i64,
        date,
        from_org: from,
        to_org: to,
        other_org: if from.is_none() || to.is_none() {
            g.pick(ELSEWHERE).into()
        } else {
            String::new()
        },
        note: String::new(),
    }
}

/// Two or three 转入 and 转出 a year and one or two moves between branches, each of a different
/// full member. `members[i].org_id` (an index into the organisations) ends where the chain ends.
pub fn transfers(
    members: &mut [Member],
    branches: &[i64],
    first_year: i32,
    today: NaiveDate,
    g: &mut Gen,
) -> Chains {
    let mut chains = Chains::new();
    let mut free: Vec<usize> = (0..members.len())
        .filter(|&i| members[i].category == Category::Full)
        .collect();
    g.rng.shuffle(&mut free);
    for year in first_year..=today.year() {
        let start = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(today);
        let end = NaiveDate::from_ymd_opt(year, 12, 31)
            .unwrap_or(today)
            .min(today);
        let (ins, outs, moves) = (g.rng.usize(2..=3), g.rng.usize(2..=3), g.rng.usize(1..=2));
        for k in 0..ins + outs + moves {
            let Some(i) = free.pop() else { return chains };
            let date = g.date_between(start, end);
            let home = members[i].org_id;
            let t = if k < ins {
                transfer(i, date, None, Some(home), g)
            } else if k < ins + outs {
                transfer(i, date, Some(home), None, g)
            } else {
                let others: Vec<i64> = branches.iter().copied().filter(|&b| b != home).collect();
                let Some(&to) = others.get(g.rng.usize(..others.len().max(1))) else {
                    continue;
                };
                members[i].org_id = to;
                transfer(i, date, Some(home), Some(to), g)
            };
            chains.insert(i, vec![t]);
        }
    }
    chains
}

/// Each organisation's committee: the leading group's and the office committee's by name, each
/// branch's from its full members on the rolls today (a deputy in the larger ones), appointed when
/// the current term began. `org_id` is the index of the organisation, `member_id` of the member.
pub fn committees(
    orgs: &[Org],
    members: &[Member],
    chains: &Chains,
    today: NaiveDate,
    g: &mut Gen,
) -> Vec<(usize, CommitteeMember)> {
    let empty = Vec::new();
    let mut out = Vec::new();
    let row = |role, name: String, member: Option<usize>, duty: &str, o: &Org| CommitteeMember {
        id: None,
        uid: String::new(),
        role,
        name,
        member_id: member.map(|i| i as i64),
        duty: duty.into(),
        appointed: o.term_start,
        ended: None,
    };
    for (k, o) in orgs.iter().enumerate() {
        let mut full: Vec<usize> = (0..members.len())
            .filter(|&i| {
                let chain = chains.get(&i).unwrap_or(&empty);
                members[i].on_rolls_at(chain, today)
                    && members[i].org_at(chain, today) == Some(k as i64)
                    && members[i].full_at(today)
            })
            .collect();
        g.rng.shuffle(&mut full);
        if full.is_empty() {
            // The leading group and the office committee: leaders whose records are elsewhere.
            out.push((k, row(CommitteeRole::Secretary, g.name(), None, "", o)));
            out.push((k, row(CommitteeRole::Deputy, g.name(), None, "", o)));
            for duty in ["组织委员", "纪检委员"] {
                out.push((k, row(CommitteeRole::Member, g.name(), None, duty, o)));
            }
            continue;
        }
        if !o.has_committee {
            // A branch without a committee has only its secretary.
            out.push((
                k,
                row(
                    CommitteeRole::Secretary,
                    members[full[0]].name.clone(),
                    Some(full[0]),
                    "",
                    o,
                ),
            ));
            continue;
        }
        let mut people = full.into_iter();
        if let Some(i) = people.next() {
            out.push((
                k,
                row(
                    CommitteeRole::Secretary,
                    members[i].name.clone(),
                    Some(i),
                    "",
                    o,
                ),
            ));
        }
        if members.len() / orgs.len().max(1) >= 20
            && let Some(i) = people.next()
        {
            out.push((
                k,
                row(
                    CommitteeRole::Deputy,
                    members[i].name.clone(),
                    Some(i),
                    "",
                    o,
                ),
            ));
        }
        for duty in ["组织委员", "宣传委员", "纪检委员"] {
            if let Some(i) = people.next() {
                out.push((
                    k,
                    row(
                        CommitteeRole::Member,
                        members[i].name.clone(),
                        Some(i),
                        duty,
                        o,
                    ),
                ));
            }
        }
    }
    out
}

/// A member's dues basis and base in the first year (raised 3% a year after).
fn basis_of(g: &mut Gen) -> (Basis, i64) {
    match g.rng.u32(0..100) {
        0..=79 => (Basis::InService, g.rng.i64(2_800..15_000) * 100),
        80..=94 => (Basis::Retired, g.rng.i64(3_000..8_000) * 100),
        _ => (Basis::Flat, 0),
    }
}

/// Dues for every month up to last month, for nearly everyone on the rolls then; commendations,
/// visits and 民主评议 results every year.
pub fn records(
    members: &[Member],
    chains: &Chains,
    first_year: i32,
    today: NaiveDate,
    g: &mut Gen,
) -> MemberRecords {
    let empty = Vec::new();
    let chain = |i: usize| chains.get(&i).unwrap_or(&empty);
    let org_on = |i: usize, day: NaiveDate| {
        members[i]
            .on_rolls_at(chain(i), day)
            .then(|| members[i].org_at(chain(i), day))
            .flatten()
    };
    let bases: Vec<(Basis, i64)> = members.iter().map(|_| basis_of(g)).collect();
    let mut out = MemberRecords {
        transfers: chains.values().flatten().cloned().collect(),
        ..Default::default()
    };
    out.transfers.sort_by_key(|t| t.date);
    for year in first_year..=today.year() {
        // Raised 3% a year, in whole yuan as pay slips give it.
        let raise = |base: i64| base * (100 + 3 * (year - first_year) as i64) / 100 / 100 * 100;
        for month in 1..=12 {
            let Some(first) = NaiveDate::from_ymd_opt(year, month, 1) else {
                continue;
            };
            if first > today || (year, month) == (today.year(), today.month()) {
                break;
            }
            let day = crate::store::roll_day(year, month, today);
            for (i, &(basis, base)) in bases.iter().enumerate() {
                let Some(org) = org_on(i, day) else { continue };
                if g.rng.u32(0..100) < 3 {
                    continue; // the odd month unpaid: arrears to show
                }
                let base = (basis != Basis::Flat).then(|| raise(base));
                out.dues.push(Dues {
                    member_id: i as i64,
                    org_id: org,
                    year,
                    month,
                    basis,
                    base_fen: base,
                    amount_fen: dues::amount(basis, base.unwrap_or(0)),
                });
            }
        }
        let on_rolls = |day: NaiveDate| -> Vec<(usize, i64)> {
            (0..members.len())
                .filter_map(|i| Some((i, org_on(i, day)?)))
                .collect()
        };
        let mut event =
            |kind, date: NaiveDate, who: &[(usize, i64)], title: &str, act: String, g: &mut Gen| {
                for &(i, org) in who {
                    let grade = (kind == EventKind::Review).then(|| match g.rng.u32(0..100) {
                        0..=19 => Grade::Excellent,
                        20..=97 => Grade::Qualified,
                        _ => Grade::Basic,
                    });
                    out.events.push(MemberEvent {
                        id: None,
                        uid: String::new(),
                        act_uid: act.clone(),
                        kind,
                        date,
                        for_year: (kind == EventKind::Review).then_some(year - 1),
                        member_id: i as i64,
                        org_id: org,
                        title: title.into(),
                        grade,
                        note: String::new(),
                    });
                }
            };
        // 七一: 优秀共产党员 (three to six) and one 优秀党务工作者.
        let day = NaiveDate::from_ymd_opt(year, 6, 28 + g.rng.u32(0..3)).unwrap_or(today);
        if day <= today {
            let mut people = on_rolls(day);
            g.rng.shuffle(&mut people);
            let n = g.rng.usize(3..=6).min(people.len());
            event(
                EventKind::Commendation,
                day,
                &people[..n],
                "优秀共产党员",
                format!("c{year}"),
                g,
            );
            let m = (n + 1).min(people.len());
            event(
                EventKind::Commendation,
                day,
                &people[n..m],
                "优秀党务工作者",
                format!("w{year}"),
                g,
            );
        }
        // Before 春节: visits to two to four members in difficulty.
        let day = NaiveDate::from_ymd_opt(year, 1, 10 + g.rng.u32(0..15)).unwrap_or(today);
        if day <= today {
            let mut people = on_rolls(day);
            g.rng.shuffle(&mut people);
            let n = g.rng.usize(2..=4).min(people.len());
            event(
                EventKind::Visit,
                day,
                &people[..n],
                "春节前走访慰问，送去慰问金500元",
                format!("v{year}"),
                g,
            );
        }
        // 民主评议 of last year, held in February: everyone on the rolls.
        let day = NaiveDate::from_ymd_opt(year, 2, 20).unwrap_or(today);
        if year > first_year && day <= today {
            let people = on_rolls(day);
            event(EventKind::Review, day, &people, "", format!("r{year}"), g);
        }
    }
    out
}
