//! 换届选举: an organisation's election of its committee on a date. It closes the previous
//! committee's terms and starts the new one, so the 换届 reminder counts from it; an organisation's
//! committee at any date is read from its elections and the committee rows kept by hand
//! ([`committee_at`]).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::date;
use super::field::{self, Draft, Field, Kind, Record, Stored, Value};
use super::org::{CommitteeInput, CommitteeMember, CommitteeRole};
use super::{FieldErrors, split_names};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Election {
    pub id: Option<i64>,
    pub uid: String,
    pub org_id: i64,
    pub held: NaiveDate,
    /// 应到 / 实到 voters, when recorded.
    pub voters_expected: Option<u32>,
    pub voters_present: Option<u32>,
    pub note: String,
    /// The committee elected, in the order given (`appointed` is the election's date).
    pub elected: Vec<CommitteeMember>,
}

/// How many of each role an election filled: (书记, 副书记, 委员).
pub fn role_counts(elected: &[CommitteeMember]) -> (u32, u32, u32) {
    let n = |r: CommitteeRole| elected.iter().filter(|m| m.role == r).count() as u32;
    (
        n(CommitteeRole::Secretary),
        n(CommitteeRole::Deputy),
        n(CommitteeRole::Member),
    )
}

/// The committee of one organisation on `date`: the people elected at its latest election on or
/// before `date`, and the committee rows kept on the organisation that were serving that day
/// (appointed on or before it, or without a date; not yet 离任). One person listed by both counts
/// once.
pub fn committee_at(
    date: NaiveDate,
    hand: &[CommitteeMember],
    elections: &[Election],
) -> Vec<CommitteeMember> {
    let latest = elections
        .iter()
        .filter(|e| e.held <= date)
        .max_by_key(|e| (e.held, e.id));
    let mut out: Vec<CommitteeMember> = latest.map(|e| e.elected.clone()).unwrap_or_default();
    for row in hand {
        let open = row.appointed.is_none_or(|a| a <= date) && row.ended.is_none_or(|e| e > date);
        if open && !out.iter().any(|m| m.name == row.name) {
            out.push(row.clone());
        }
    }
    out
}

/// Whether the names typed as 主讲人 include one of `committee` (a cell may name two: 张三、李四).
pub fn names_one_of(typed: &str, committee: &[CommitteeMember]) -> bool {
    split_names(typed)
        .into_iter()
        .any(|n| committee.iter().any(|m| m.name == n))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ElectionField {
    Org,
    Held,
    VotersExpected,
    VotersPresent,
    Note,
    /// The list of people elected as a whole.
    Elected,
    /// One row of it, by its index in the form.
    ElectedRow(usize),
}

super::form_field!(ElectionField => Election);

/// The fields of an election, declared once (`model::field`).
pub const FIELDS: &[Field<ElectionField>] = {
    use ElectionField as F;
    &[
        Field::new(F::Org, "org_id", "组织名称", Kind::Org)
            .required()
            .synonyms(&["党组织名称", "支部名称", "组织"])
            .note("党组织名称"),
        Field::new(F::Held, "held", "选举日期", Kind::Date)
            .required()
            .synonyms(&["换届日期", "换届选举日期"])
            .note("党员大会（党员代表大会）选举的日期"),
        Field::new(F::VotersExpected, "voters_expected", "应到人数", Kind::Int)
            .note("有选举权的党员人数，可空"),
        Field::new(F::VotersPresent, "voters_present", "实到人数", Kind::Int).note("可空"),
        Field::new(F::Note, "note", "备注", Kind::Text),
        Field::elsewhere(F::Elected, "当选人员", Kind::Names),
    ]
};

impl ElectionField {
    /// The one Chinese label of the field.
    pub fn label(self) -> &'static str {
        match self {
            ElectionField::ElectedRow(_) => "当选人员",
            f => field::find(FIELDS, f).label,
        }
    }
}

impl Record for Election {
    type Field = ElectionField;

    fn fields() -> &'static [Field<ElectionField>] {
        FIELDS
    }

    fn get(&self, f: ElectionField) -> Value {
        use ElectionField as F;
        match f {
            F::Org => self.org_id.to_value(),
            F::Held => self.held.to_value(),
            F::VotersExpected => self.voters_expected.to_value(),
            F::VotersPresent => self.voters_present.to_value(),
            F::Note => self.note.to_value(),
            // Compared, never stored as such.
            F::Elected => Value::Text(
                self.elected
                    .iter()
                    .map(|m| format!("{}:{}:{}", m.role.label(), m.name, m.duty))
                    .collect::<Vec<_>>()
                    .join("、"),
            ),
            F::ElectedRow(_) => Value::Null,
        }
    }

    fn set(&mut self, f: ElectionField, v: Value) -> Result<(), String> {
        use ElectionField as F;
        match f {
            F::Org => v.put(&mut self.org_id),
            F::Held => v.put(&mut self.held),
            F::VotersExpected => v.put(&mut self.voters_expected),
            F::VotersPresent => v.put(&mut self.voters_present),
            F::Note => v.put(&mut self.note),
            F::Elected | F::ElectedRow(_) => field::kept_elsewhere(f.label()),
        }
    }

    fn identity(&self) -> (Option<i64>, &str) {
        (self.id, &self.uid)
    }

    fn set_identity(&mut self, id: Option<i64>, uid: String) {
        (self.id, self.uid) = (id, uid);
    }
}

/// The election form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ElectionInput {
    pub id: Option<i64>,
    pub uid: String,
    pub org_id: Option<i64>,
    pub held: String,
    pub voters_expected: String,
    pub voters_present: String,
    pub note: String,
    pub elected: Vec<CommitteeInput>,
}

impl Draft for ElectionInput {
    type Field = ElectionField;

    fn set(&mut self, f: ElectionField, v: Value) -> Result<(), String> {
        use ElectionField as F;
        match f {
            F::Org => v.put(&mut self.org_id),
            F::Held => v.put(&mut self.held),
            F::VotersExpected => v.put(&mut self.voters_expected),
            F::VotersPresent => v.put(&mut self.voters_present),
            F::Note => v.put(&mut self.note),
            F::Elected | F::ElectedRow(_) => field::kept_elsewhere(f.label()),
        }
    }
}

impl Election {
    pub fn to_input(&self) -> ElectionInput {
        let text = |n: Option<u32>| n.map(|n| n.to_string()).unwrap_or_default();
        ElectionInput {
            id: self.id,
            uid: self.uid.clone(),
            org_id: Some(self.org_id),
            held: date::iso(self.held),
            voters_expected: text(self.voters_expected),
            voters_present: text(self.voters_present),
            note: self.note.clone(),
            elected: self.elected.iter().map(CommitteeMember::to_input).collect(),
        }
    }
}

impl ElectionInput {
    pub fn validate(&self, today: NaiveDate) -> Result<Election, FieldErrors<ElectionField>> {
        use ElectionField as F;
        let mut errors = FieldErrors::new();
        if self.org_id.is_none() {
            errors.push(F::Org, "请选择组织");
        }
        let held = if self.held.trim().is_empty() {
            errors.push(F::Held, "请填写选举日期");
            None
        } else {
            errors.past_date(F::Held, "选举", &self.held, today)
        };
        let mut count = |f: F, text: &str, what: &str| match text.trim() {
            "" => None,
            t => match t.parse::<u32>() {
                Ok(n) => Some(n),
                Err(_) => {
                    errors.push(f, format!("{what}应为整数，如 25"));
                    None
                }
            },
        };
        let expected = count(F::VotersExpected, &self.voters_expected, "应到人数");
        let present = count(F::VotersPresent, &self.voters_present, "实到人数");
        if let (Some(e), Some(p)) = (expected, present)
            && p > e
        {
            errors.push(F::VotersPresent, "实到人数不能多于应到人数");
        }
        let mut elected = Vec::new();
        for (i, row) in self.elected.iter().enumerate() {
            let name = row.name.trim().to_string();
            if name.is_empty() {
                errors.push(F::ElectedRow(i), "请填写姓名或删除此行");
            } else if elected.iter().any(|m: &CommitteeMember| m.name == name) {
                errors.push(F::ElectedRow(i), format!("“{name}”已在当选人员中"));
            }
            elected.push(CommitteeMember {
                id: None,
                uid: String::new(),
                role: row.role,
                name,
                member_id: row.member_id,
                duty: row.duty.trim().to_string(),
                appointed: held,
                ended: None,
            });
        }
        if self.elected.is_empty() {
            errors.push(F::Elected, "请填写当选的书记、副书记和委员");
        }
        if role_counts(&elected).0 > 1 {
            let last = self
                .elected
                .iter()
                .rposition(|c| c.role == CommitteeRole::Secretary)
                .unwrap_or(0);
            errors.push(F::ElectedRow(last), "一次选举只能选出一名书记");
        }
        match (self.org_id, held) {
            (Some(org_id), Some(held)) if errors.is_empty() => Ok(Election {
                id: self.id,
                uid: self.uid.clone(),
                org_id,
                held,
                voters_expected: expected,
                voters_present: present,
                note: self.note.trim().to_string(),
                elected,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn person(role: CommitteeRole, name: &str, appointed: Option<NaiveDate>) -> CommitteeMember {
        CommitteeMember {
            role,
            name: name.into(),
            appointed,
            ..Default::default()
        }
    }

    fn closed(mut m: CommitteeMember, ended: NaiveDate) -> CommitteeMember {
        m.ended = Some(ended);
        m
    }

    #[test]
    fn an_election_closes_the_committee_before_it() {
        use CommitteeRole::*;
        // As the 2023 election left them: the rows before it closed on its day.
        let hand = vec![
            closed(person(Secretary, "王珺", None), d(2023, 3, 1)),
            closed(person(Member, "李明", Some(d(2019, 5, 1))), d(2023, 3, 1)),
            // 补选 after the 2023 election.
            person(Member, "赵丽", Some(d(2024, 6, 1))),
        ];
        let elections = vec![Election {
            id: Some(1),
            held: d(2023, 3, 1),
            elected: vec![
                person(Secretary, "周航", Some(d(2023, 3, 1))),
                person(Member, "李明", Some(d(2023, 3, 1))),
            ],
            ..Default::default()
        }];
        let names = |at| -> Vec<String> {
            committee_at(at, &hand, &elections)
                .into_iter()
                .map(|m| m.name)
                .collect()
        };
        assert_eq!(names(d(2022, 1, 1)), ["王珺", "李明"]);
        assert_eq!(names(d(2023, 3, 1)), ["周航", "李明"]);
        assert_eq!(names(d(2024, 6, 1)), ["周航", "李明", "赵丽"]);
        assert!(names_one_of(
            "周航、钱伟",
            &committee_at(d(2023, 5, 1), &hand, &elections)
        ));
        assert!(!names_one_of(
            "王珺",
            &committee_at(d(2023, 5, 1), &hand, &elections)
        ));
    }

    #[test]
    fn bad_input_is_named_at_the_field() {
        let input = ElectionInput {
            held: "2099-01-01".into(),
            voters_expected: "二十".into(),
            elected: vec![
                CommitteeInput {
                    role: CommitteeRole::Secretary,
                    name: "王珺".into(),
                    ..Default::default()
                },
                CommitteeInput {
                    role: CommitteeRole::Secretary,
                    name: "王珺".into(),
                    ..Default::default()
                },
            ],
            ..Default::default()
        };
        let e = input.validate(d(2026, 11, 30)).unwrap_err();
        assert_eq!(e.get(ElectionField::Org), Some("请选择组织"));
        assert!(e.get(ElectionField::Held).unwrap().contains("不能晚于今天"));
        assert!(e.get(ElectionField::VotersExpected).is_some());
        assert_eq!(
            e.get(ElectionField::ElectedRow(1)),
            Some("“王珺”已在当选人员中")
        );
    }
}
