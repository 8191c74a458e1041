//! 发展党员: who is due for the next step and when, by 《中国共产党发展党员工作细则》(2014):
//! 积极分子 are reviewed every six months and become 发展对象 only after more than a year; the
//! 预备期 is one year from the 支部大会, extended once by six to twelve months at most.

use chrono::{Datelike, Months, NaiveDate};

use super::date::{self, add_years};
use super::member::{Category, Member, Status};
use super::transfer::Transfer;

/// Where a person in the pipeline stands against the rules on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum DueState {
    /// The next step's date has passed (预备期 over without 转正).
    Overdue,
    /// The next step, or a six-monthly review, falls in this month.
    DueThisMonth,
    /// The next step may be taken now (积极分子 of more than a year).
    Ready,
    /// 预备期 extended; not overdue until the extension ends.
    Extended,
    Waiting,
}

impl DueState {
    pub fn label(self) -> &'static str {
        match self {
            DueState::Overdue => "已逾期",
            DueState::DueThisMonth => "本月到期",
            DueState::Ready => "可办理",
            DueState::Extended => "延长预备期中",
            DueState::Waiting => "培养考察中",
        }
    }
}

/// One person's place in the pipeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    pub stage: Category,
    /// The date the person reached the stage (None when not recorded).
    pub since: Option<NaiveDate>,
    pub next: Category,
    /// The earliest date of the next step by the rules (for 预备党员: the day 预备期 ends).
    pub earliest: Option<NaiveDate>,
    pub state: DueState,
    /// What to do, in a sentence.
    pub note: String,
}

/// The end of 预备期: one year from the 支部大会, or the extension's end.
pub fn probation_end(m: &Member) -> Option<NaiveDate> {
    m.probation_extended_to
        .or_else(|| m.probationary_on.map(|p| add_years(p, 1)))
}

/// The next half-yearly review of an 积极分子 on or after `from`.
fn next_review(activist_on: NaiveDate, from: NaiveDate) -> NaiveDate {
    let mut k = 1;
    loop {
        let d = activist_on + Months::new(6 * k);
        if d >= from {
            return d;
        }
        k += 1;
    }
}

fn same_month(a: NaiveDate, b: NaiveDate) -> bool {
    (a.year(), a.month()) == (b.year(), b.month())
}

/// Where `m` stands on `today`; `None` for full members and for those who have left (去世, 出党,
/// or outside the bureau after a 转出: `transfers` are the member's, in date order).
pub fn standing(m: &Member, transfers: &[Transfer], today: NaiveDate) -> Option<Standing> {
    if m.status != Status::OnRolls || m.org_at(transfers, today).is_none() {
        return None;
    }
    let month_start = today.with_day(1).unwrap_or(today);
    let (since, next) = match m.category {
        Category::Applicant => (m.applied_on, Category::Activist),
        Category::Activist => (m.activist_on, Category::Candidate),
        Category::Candidate => (m.candidate_on, Category::Probationary),
        Category::Probationary => (m.probationary_on, Category::Full),
        Category::Full => return None,
    };
    let mut s = Standing {
        stage: m.category,
        since,
        next,
        earliest: since,
        state: DueState::Waiting,
        note: String::new(),
    };
    match m.category {
        Category::Applicant => s.note = "可确定为入党积极分子".into(),
        Category::Candidate => {
            s.note = "政治审查、集中培训后，可提交支部大会讨论接收为预备党员".into()
        }
        Category::Activist => {
            if let Some(a) = since {
                let earliest = add_years(a, 1) + chrono::Duration::days(1);
                s.earliest = Some(earliest);
                let review = next_review(a, month_start);
                if earliest <= today && !same_month(earliest, today) {
                    s.state = DueState::Ready;
                    s.note = format!("培养已满一年（{}起），可列为发展对象", date::iso(earliest));
                } else if same_month(earliest, today) {
                    s.state = DueState::DueThisMonth;
                    s.note = format!("{}起培养满一年，可列为发展对象", date::iso(earliest));
                } else if same_month(review, today) {
                    s.state = DueState::DueThisMonth;
                    s.note = format!("{}应进行半年考察", date::iso(review));
                } else {
                    s.note = format!(
                        "下次半年考察{}，{}后可列为发展对象",
                        date::iso(review),
                        date::iso(earliest)
                    );
                }
            }
        }
        Category::Probationary => {
            let end = probation_end(m);
            s.earliest = end;
            if let Some(end) = end {
                let extended = m.probation_extended_to.is_some();
                if end < today && !same_month(end, today) || end < month_start {
                    s.state = DueState::Overdue;
                    s.note = format!("预备期已于{}期满，尚未讨论转正", date::iso(end));
                } else if same_month(end, today) {
                    s.state = DueState::DueThisMonth;
                    s.note = format!("预备期{}期满，请及时讨论转正", date::iso(end));
                } else if extended {
                    s.state = DueState::Extended;
                    s.note = format!("预备期延长至{}", date::iso(end));
                } else {
                    s.note = format!("预备期{}期满", date::iso(end));
                }
            }
        }
        Category::Full => {}
    }
    Some(s)
}

/// Everyone in the pipeline on `today`, as (index into `members`, standing), most urgent first
/// (then by stage and date). `transfers` are by member id, each in date order.
pub fn everyone(
    members: &[Member],
    transfers: &std::collections::HashMap<i64, Vec<Transfer>>,
    today: NaiveDate,
) -> Vec<(usize, Standing)> {
    let none = Vec::new();
    let mut out: Vec<(usize, Standing)> = members
        .iter()
        .enumerate()
        .filter_map(|(i, m)| {
            let chain = m.id.and_then(|id| transfers.get(&id)).unwrap_or(&none);
            Some((i, standing(m, chain, today)?))
        })
        .collect();
    out.sort_by(|(_, a), (_, b)| {
        (a.state, a.stage, a.earliest).cmp(&(b.state, b.stage, b.earliest))
    });
    out
}

/// The 转正 decision of the 支部大会.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conversion {
    /// 按期转正 (or on the extension's end), on this date.
    Full(NaiveDate),
    /// 延长预备期 by 6–12 months.
    Extend { months: u32 },
}

/// A step forward in the pipeline, as the dialog gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Activist(NaiveDate),
    Candidate(NaiveDate),
    Probationary {
        date: NaiveDate,
        introducers: String,
    },
    Convert(Conversion),
}

/// Applies `step` to `m`: the new record, or why it cannot be taken (a 预备期 extended twice, or by
/// other than 6–12 months). Dates that break the rules are not refused here: `Member::warnings`
/// names them and the record still goes in (补录 of old files).
pub fn advance(m: &Member, step: &Step) -> Result<Member, String> {
    let mut out = m.clone();
    match step {
        Step::Activist(d) => {
            out.activist_on = Some(*d);
            out.category = Category::Activist;
        }
        Step::Candidate(d) => {
            out.candidate_on = Some(*d);
            out.category = Category::Candidate;
        }
        Step::Probationary { date, introducers } => {
            out.probationary_on = Some(*date);
            out.introducers = introducers.clone();
            out.category = Category::Probationary;
        }
        Step::Convert(Conversion::Full(d)) => {
            out.full_on = Some(*d);
            out.category = Category::Full;
        }
        Step::Convert(Conversion::Extend { months }) => {
            if m.probation_extended_to.is_some() {
                return Err("预备期只能延长一次".into());
            }
            if !(6..=12).contains(months) {
                return Err("延长预备期的时间为半年至一年（6至12个月）".into());
            }
            let start = m
                .probationary_on
                .ok_or("未填写接收预备党员日期，无法计算预备期")?;
            out.probation_extended_to = Some(add_years(start, 1) + Months::new(*months));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::member::MemberInput;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn person(category: Category, dates: [&str; 5]) -> Member {
        let input = MemberInput {
            name: "李堃".into(),
            org_id: Some(1),
            category: Some(category),
            pipeline: dates.map(String::from),
            introducers: "张喆、王芳".into(),
            ..Default::default()
        };
        input.validate(d(2026, 11, 22)).unwrap()
    }

    #[test]
    fn activists_become_candidates_after_more_than_a_year() {
        let m = person(Category::Activist, ["2024-01-05", "2025-11-22", "", "", ""]);
        let s = standing(&m, &[], d(2026, 11, 22)).unwrap();
        assert_eq!(
            s.earliest,
            Some(d(2026, 11, 23)),
            "more than a year: the day after"
        );
        assert_eq!(s.state, DueState::DueThisMonth);
        let s = standing(&m, &[], d(2026, 12, 1)).unwrap();
        assert_eq!(s.state, DueState::Ready);
        // Half a year in: the review is due that month, the step is not.
        let s = standing(&m, &[], d(2026, 5, 10)).unwrap();
        assert_eq!(s.state, DueState::DueThisMonth);
        assert!(s.note.contains("2026-05-22应进行半年考察"), "{}", s.note);
        assert_eq!(
            standing(&m, &[], d(2026, 3, 1)).unwrap().state,
            DueState::Waiting
        );
    }

    #[test]
    fn probation_ends_after_a_year_and_is_overdue_after() {
        let m = person(
            Category::Probationary,
            ["2021-01-05", "2021-06-01", "2022-07-01", "2025-10-10", ""],
        );
        assert_eq!(probation_end(&m), Some(d(2026, 10, 10)));
        assert_eq!(
            standing(&m, &[], d(2026, 10, 1)).unwrap().state,
            DueState::DueThisMonth
        );
        assert_eq!(
            standing(&m, &[], d(2026, 9, 1)).unwrap().state,
            DueState::Waiting
        );
        let s = standing(&m, &[], d(2026, 11, 22)).unwrap();
        assert_eq!(s.state, DueState::Overdue);
        assert!(s.note.contains("2026-10-10"));
    }

    #[test]
    fn an_extended_probation_is_not_overdue_and_converts_at_its_end() {
        let m = person(
            Category::Probationary,
            ["2021-01-05", "2021-06-01", "2022-07-01", "2025-10-10", ""],
        );
        let ext = advance(&m, &Step::Convert(Conversion::Extend { months: 6 })).unwrap();
        assert_eq!(ext.probation_extended_to, Some(d(2027, 4, 10)));
        assert_eq!(ext.category, Category::Probationary);
        assert_eq!(
            standing(&ext, &[], d(2026, 11, 22)).unwrap().state,
            DueState::Extended
        );
        assert_eq!(
            standing(&ext, &[], d(2027, 5, 1)).unwrap().state,
            DueState::Overdue
        );
        assert_eq!(
            advance(&ext, &Step::Convert(Conversion::Extend { months: 6 })),
            Err("预备期只能延长一次".into())
        );
        assert!(advance(&m, &Step::Convert(Conversion::Extend { months: 13 })).is_err());
        let full = advance(&ext, &Step::Convert(Conversion::Full(d(2027, 4, 10)))).unwrap();
        assert_eq!(full.category, Category::Full);
        assert!(full.warnings().is_empty(), "{:?}", full.warnings());
        // 转正 a day early after an extension is a warning, not a refusal.
        let early = advance(&ext, &Step::Convert(Conversion::Full(d(2026, 10, 10)))).unwrap();
        assert!(early.warnings().iter().any(|w| w.contains("2027-04-10")));
    }

    #[test]
    fn each_step_moves_one_stage_and_keeps_the_warnings() {
        let m = person(Category::Applicant, ["2024-01-05", "", "", "", ""]);
        let m = advance(&m, &Step::Activist(d(2024, 3, 1))).unwrap();
        assert_eq!(m.category, Category::Activist);
        let m = advance(&m, &Step::Candidate(d(2024, 12, 1))).unwrap();
        assert_eq!(m.category, Category::Candidate);
        assert!(m.warnings()[0].contains("不满一年"), "warned, not refused");
        let m = advance(
            &m,
            &Step::Probationary {
                date: d(2025, 6, 1),
                introducers: "张喆".into(),
            },
        )
        .unwrap();
        assert_eq!(m.category, Category::Probationary);
        assert!(m.warnings().iter().any(|w| w.contains("现填写1名")));
        assert!(standing(&m, &[], d(2025, 7, 1)).is_some());
        let m = advance(&m, &Step::Convert(Conversion::Full(d(2026, 6, 1)))).unwrap();
        assert_eq!(
            standing(&m, &[], d(2026, 7, 1)),
            None,
            "full members have left the pipeline"
        );
    }
}
