//! 组织: 党组 / 党委 / 党总支 / 党支部, their committees and terms (换届).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::date::{self, add_years};
use super::field::{self, Draft, Field, Kind, Record, Stored, Value};
use super::{FieldErrors, labelled_enum};

labelled_enum! {
    pub enum OrgKind {
        LeadingGroup => "党组",
        Committee => "党委",
        GeneralBranch => "党总支",
        Branch => "党支部",
    }
}

labelled_enum! {
    pub enum CommitteeRole { Secretary => "书记", Deputy => "副书记", Member => "委员" }
}

/// The committee's term by default (domain: 3 years; village/community branches 5).
pub const DEFAULT_TERM_YEARS: u32 = 3;
/// How long before the due date the app starts warning about 换届.
pub const TERM_WARNING_DAYS: i64 = 90;

// The enum comes from `labelled_enum!`, which cannot mark a `#[default]` variant.
#[allow(clippy::derivable_impls)]
impl Default for OrgKind {
    fn default() -> Self {
        OrgKind::Branch
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Org {
    pub id: Option<i64>,
    pub uid: String,
    pub name: String,
    pub kind: OrgKind,
    pub parent_id: Option<i64>,
    pub founded: Option<NaiveDate>,
    /// 撤销日期: when it was merged or dissolved. Nothing is expected of it after that; its records
    /// stay.
    pub dissolved: Option<NaiveDate>,
    /// When the current committee was elected.
    pub term_start: Option<NaiveDate>,
    pub term_years: u32,
    /// A branch without a committee (fewer than 7 members) is not expected to hold 支委会.
    pub has_committee: bool,
    /// A branch with 党小组 is expected to hold 党小组会.
    pub has_groups: bool,
    pub note: String,
    /// This organisation's own answer, per activity type id, to whether it is expected to hold the
    /// type, where it differs from the type's rule (a 机关党委 holds no 民主生活会). Sorted by id.
    pub expectations: Vec<(i64, bool)>,
}

// The enum comes from `labelled_enum!`, which cannot mark a `#[default]` variant.
#[allow(clippy::derivable_impls)]
impl Default for CommitteeRole {
    fn default() -> Self {
        CommitteeRole::Member
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitteeMember {
    pub id: Option<i64>,
    pub uid: String,
    pub role: CommitteeRole,
    pub name: String,
    /// The member record, when the person is one of ours.
    pub member_id: Option<i64>,
    /// 分工: 组织委员, 宣传委员, 纪检委员 …
    pub duty: String,
    pub appointed: Option<NaiveDate>,
    /// 离任日期: when the term ended (closed by the next 换届选举). `None` for the current committee.
    pub ended: Option<NaiveDate>,
}

/// Where an organisation stands with its 换届.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TermState {
    /// No term start recorded.
    Unknown,
    Current {
        due: NaiveDate,
    },
    DueSoon {
        due: NaiveDate,
        days_left: i64,
    },
    Overdue {
        due: NaiveDate,
        days_over: i64,
    },
}

impl Org {
    pub fn term_due(&self) -> Option<NaiveDate> {
        self.term_start.map(|s| add_years(s, self.term_years))
    }

    pub fn term_state(&self, today: NaiveDate) -> TermState {
        let Some(due) = self.term_due() else {
            return TermState::Unknown;
        };
        let days = due.signed_duration_since(today).num_days();
        if days < 0 {
            TermState::Overdue {
                due,
                days_over: -days,
            }
        } else if days <= TERM_WARNING_DAYS {
            TermState::DueSoon {
                due,
                days_left: days,
            }
        } else {
            TermState::Current { due }
        }
    }

    pub fn to_input(&self) -> OrgInput {
        let text = |d: Option<NaiveDate>| d.map(date::iso).unwrap_or_default();
        OrgInput {
            id: self.id,
            uid: self.uid.clone(),
            name: self.name.clone(),
            kind: self.kind,
            parent_id: self.parent_id,
            founded: text(self.founded),
            dissolved: text(self.dissolved),
            term_start: text(self.term_start),
            term_years: self.term_years.to_string(),
            has_committee: self.has_committee,
            has_groups: self.has_groups,
            note: self.note.clone(),
            expectations: self.expectations.clone(),
        }
    }

    /// Whether it existed for the whole of `start..=end` (founded by `start`, not dissolved
    /// before `end`): only such periods are required of it.
    pub fn existed_throughout(&self, start: NaiveDate, end: NaiveDate) -> bool {
        self.founded.is_none_or(|f| f <= start) && self.dissolved.is_none_or(|d| d >= end)
    }

    /// Dissolved on or before `date`.
    pub fn dissolved_by(&self, date: NaiveDate) -> bool {
        self.dissolved.is_some_and(|d| d <= date)
    }

    /// Its own answer for activity type `type_id`, if it set one.
    pub fn expectation(&self, type_id: i64) -> Option<bool> {
        self.expectations
            .iter()
            .find(|(t, _)| *t == type_id)
            .map(|(_, e)| *e)
    }
}

impl TermState {
    /// The sentence shown beside an organisation.
    pub fn describe(&self) -> String {
        match *self {
            TermState::Unknown => "未记录本届任期开始日期".into(),
            TermState::Current { due } => format!("下次换届：{}", date::chinese(due)),
            TermState::DueSoon { due, days_left } => {
                format!(
                    "将于{}届满，还有{}天，请准备换届",
                    date::chinese(due),
                    days_left
                )
            }
            TermState::Overdue { due, days_over } => {
                format!("已于{}届满，逾期{}天未换届", date::chinese(due), days_over)
            }
        }
    }

    pub fn needs_attention(&self) -> bool {
        matches!(self, TermState::DueSoon { .. } | TermState::Overdue { .. })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OrgField {
    Name,
    Kind,
    Parent,
    Founded,
    Dissolved,
    TermStart,
    TermYears,
    HasCommittee,
    HasGroups,
    Note,
    /// Its own answers to whether it is expected to hold a type of activity.
    Expectations,
    /// A committee row, by its index in the form.
    Committee(usize),
}

super::form_field!(OrgField => Org);

/// The fields of an organisation, declared once (`model::field`).
pub const FIELDS: &[Field<OrgField>] =
    {
        use OrgField as F;
        &[
        Field::new(F::Name, "name", "组织名称", Kind::Text)
            .required()
            .synonyms(&["党组织名称", "支部名称", "名称"])
            .note("党组织全称，不能重名"),
        Field::new(F::Kind, "kind", "组织类别", Kind::Choice(OrgKind::LABELS))
            .note("党组 / 党委 / 党总支 / 党支部，空白为党支部"),
        Field::new(F::Parent, "parent_id", "上级组织", Kind::Org).note("上级党组织的名称"),
        Field::new(F::Founded, "founded", "成立日期", Kind::Date).note("日期，如 2001-07-01"),
        Field::new(F::Dissolved, "dissolved", "撤销日期", Kind::Date)
            .note("合并或撤销的日期；存续中空白"),
        Field::new(F::TermStart, "term_start", "本届任期开始", Kind::Date)
            .synonyms(&["换届日期", "本届换届日期"])
            .note("本届委员会选举日期"),
        Field::new(F::TermYears, "term_years", "任期年限", Kind::Int).note("整数，空白为3"),
        Field::new(F::HasCommittee, "has_committee", "设有支部委员会", Kind::Bool)
            .synonyms(&["设支部委员会", "设支委会"])
            .note("是 / 否，空白为是；未设支委会的不要求开支委会"),
        Field::new(F::HasGroups, "has_groups", "设有党小组", Kind::Bool)
            .synonyms(&["设党小组"])
            .note("是 / 否，空白为否；设党小组的要求开党小组会"),
        Field::new(F::Note, "note", "备注", Kind::Text),
        Field::elsewhere(F::Expectations, "应开展的活动", Kind::Label).note(
            "本组织与活动类型规定不同之处，如 要求：党小组会；不要求：民主生活会；空白为按类型规定",
        ),
    ]
    };

/// The fields of a committee member (the 委员会 sheet), declared once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CommitteeField {
    Role,
    Name,
    Member,
    Duty,
    Appointed,
    Ended,
}

super::form_field!(CommitteeField => Committee);

pub const COMMITTEE_FIELDS: &[Field<CommitteeField>] = {
    use CommitteeField as F;
    &[
        Field::new(F::Role, "role", "职务", Kind::Choice(CommitteeRole::LABELS))
            .required()
            .note("书记 / 副书记 / 委员"),
        Field::new(F::Name, "name", "姓名", Kind::Text).required(),
        Field::new(F::Member, "member_id", "党员", Kind::Int),
        Field::new(F::Duty, "duty", "分工", Kind::Text).note("组织委员、宣传委员、纪检委员等"),
        Field::new(F::Appointed, "appointed", "任职日期", Kind::Date),
        Field::new(F::Ended, "ended", "离任日期", Kind::Date)
            .note("换届或离任的日期；现任委员空白"),
    ]
};

impl CommitteeField {
    /// The one Chinese label of the field.
    pub fn label(self) -> &'static str {
        field::find(COMMITTEE_FIELDS, self).label
    }
}

impl Record for CommitteeMember {
    type Field = CommitteeField;

    fn fields() -> &'static [Field<CommitteeField>] {
        COMMITTEE_FIELDS
    }

    fn get(&self, f: CommitteeField) -> Value {
        use CommitteeField as F;
        match f {
            F::Role => self.role.to_value(),
            F::Name => self.name.to_value(),
            F::Member => self.member_id.to_value(),
            F::Duty => self.duty.to_value(),
            F::Appointed => self.appointed.to_value(),
            F::Ended => self.ended.to_value(),
        }
    }

    fn set(&mut self, f: CommitteeField, v: Value) -> Result<(), String> {
        use CommitteeField as F;
        match f {
            F::Role => v.put(&mut self.role),
            F::Name => v.put(&mut self.name),
            F::Member => v.put(&mut self.member_id),
            F::Duty => v.put(&mut self.duty),
            F::Appointed => v.put(&mut self.appointed),
            F::Ended => v.put(&mut self.ended),
        }
    }

    fn identity(&self) -> (Option<i64>, &str) {
        (self.id, &self.uid)
    }

    fn set_identity(&mut self, id: Option<i64>, uid: String) {
        (self.id, self.uid) = (id, uid);
    }
}

impl Draft for CommitteeInput {
    type Field = CommitteeField;

    fn set(&mut self, f: CommitteeField, v: Value) -> Result<(), String> {
        use CommitteeField as F;
        match f {
            F::Role => v.put(&mut self.role),
            F::Name => v.put(&mut self.name),
            F::Member => v.put(&mut self.member_id),
            F::Duty => v.put(&mut self.duty),
            F::Appointed => v.put(&mut self.appointed),
            F::Ended => v.put(&mut self.ended),
        }
    }
}

impl OrgField {
    /// The one Chinese label of the field.
    pub fn label(self) -> &'static str {
        match self {
            OrgField::Committee(_) => "委员会成员",
            f => field::find(FIELDS, f).label,
        }
    }
}

impl Record for Org {
    type Field = OrgField;

    fn fields() -> &'static [Field<OrgField>] {
        FIELDS
    }

    fn get(&self, f: OrgField) -> Value {
        use OrgField as F;
        match f {
            F::Name => self.name.to_value(),
            F::Kind => self.kind.to_value(),
            F::Parent => self.parent_id.to_value(),
            F::Founded => self.founded.to_value(),
            F::Dissolved => self.dissolved.to_value(),
            F::TermStart => self.term_start.to_value(),
            F::TermYears => self.term_years.to_value(),
            F::HasCommittee => self.has_committee.to_value(),
            F::HasGroups => self.has_groups.to_value(),
            F::Note => self.note.to_value(),
            // Compared, never shown: type ids with 1 (expected) or 0.
            F::Expectations => Value::Text(
                self.expectations
                    .iter()
                    .map(|(t, e)| format!("{t}:{}", u8::from(*e)))
                    .collect::<Vec<_>>()
                    .join(","),
            ),
            F::Committee(_) => Value::Null,
        }
    }

    fn set(&mut self, f: OrgField, v: Value) -> Result<(), String> {
        use OrgField as F;
        match f {
            F::Name => v.put(&mut self.name),
            F::Kind => v.put(&mut self.kind),
            F::Parent => v.put(&mut self.parent_id),
            F::Founded => v.put(&mut self.founded),
            F::Dissolved => v.put(&mut self.dissolved),
            F::TermStart => v.put(&mut self.term_start),
            F::TermYears => v.put(&mut self.term_years),
            F::HasCommittee => v.put(&mut self.has_committee),
            F::HasGroups => v.put(&mut self.has_groups),
            F::Note => v.put(&mut self.note),
            F::Expectations | F::Committee(_) => field::kept_elsewhere(f.label()),
        }
    }

    fn identity(&self) -> (Option<i64>, &str) {
        (self.id, &self.uid)
    }

    fn set_identity(&mut self, id: Option<i64>, uid: String) {
        (self.id, self.uid) = (id, uid);
    }
}

impl Draft for OrgInput {
    type Field = OrgField;

    fn set(&mut self, f: OrgField, v: Value) -> Result<(), String> {
        use OrgField as F;
        match f {
            F::Name => v.put(&mut self.name),
            // Blank: a 党支部, a committee and no 党小组, a term of three years, as a new form.
            F::Kind => Option::<OrgKind>::from_value(v).map(|k| self.kind = k.unwrap_or_default()),
            F::Parent => v.put(&mut self.parent_id),
            F::Founded => v.put(&mut self.founded),
            F::Dissolved => v.put(&mut self.dissolved),
            F::TermStart => v.put(&mut self.term_start),
            F::TermYears if v.is_blank() => {
                self.term_years = DEFAULT_TERM_YEARS.to_string();
                Ok(())
            }
            F::TermYears => v.put(&mut self.term_years),
            F::HasCommittee if v.is_blank() => {
                self.has_committee = true;
                Ok(())
            }
            F::HasCommittee => v.put(&mut self.has_committee),
            F::HasGroups => v.put(&mut self.has_groups),
            F::Note => v.put(&mut self.note),
            F::Expectations | F::Committee(_) => field::kept_elsewhere(f.label()),
        }
    }
}

/// The organisation form as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgInput {
    pub id: Option<i64>,
    pub uid: String,
    pub name: String,
    pub kind: OrgKind,
    pub parent_id: Option<i64>,
    pub founded: String,
    pub dissolved: String,
    pub term_start: String,
    pub term_years: String,
    pub has_committee: bool,
    pub has_groups: bool,
    pub note: String,
    pub expectations: Vec<(i64, bool)>,
}

/// A committee row as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommitteeInput {
    pub id: Option<i64>,
    pub uid: String,
    pub role: CommitteeRole,
    pub name: String,
    pub member_id: Option<i64>,
    pub duty: String,
    pub appointed: String,
    pub ended: String,
}

impl CommitteeMember {
    pub fn to_input(&self) -> CommitteeInput {
        CommitteeInput {
            id: self.id,
            uid: self.uid.clone(),
            role: self.role,
            name: self.name.clone(),
            member_id: self.member_id,
            duty: self.duty.clone(),
            appointed: self.appointed.map(date::iso).unwrap_or_default(),
            ended: self.ended.map(date::iso).unwrap_or_default(),
        }
    }
}

impl Default for OrgInput {
    fn default() -> Self {
        Self {
            id: None,
            uid: String::new(),
            name: String::new(),
            kind: OrgKind::Branch,
            parent_id: None,
            founded: String::new(),
            dissolved: String::new(),
            term_start: String::new(),
            term_years: DEFAULT_TERM_YEARS.to_string(),
            has_committee: true,
            has_groups: false,
            note: String::new(),
            expectations: Vec::new(),
        }
    }
}

impl OrgInput {
    pub fn validate(
        &self,
        committee: &[CommitteeInput],
        today: NaiveDate,
    ) -> Result<(Org, Vec<CommitteeMember>), FieldErrors<OrgField>> {
        let mut errors = FieldErrors::new();
        let name = self.name.trim().to_string();
        if name.is_empty() {
            errors.push(OrgField::Name, "请填写组织名称");
        }
        let founded = errors.past_date(OrgField::Founded, "", &self.founded, today);
        let term_start = errors.past_date(OrgField::TermStart, "", &self.term_start, today);
        let dissolved = errors.past_date(OrgField::Dissolved, "", &self.dissolved, today);
        if let (Some(f), Some(d)) = (founded, dissolved)
            && d < f
        {
            errors.push(OrgField::Dissolved, "撤销日期不能早于成立日期");
        }
        let term_years = match self.term_years.trim().parse::<u32>() {
            Ok(y) if (1..=10).contains(&y) => y,
            _ => {
                errors.push(
                    OrgField::TermYears,
                    "任期年限应为1至10之间的整数（一般为3年，村和社区为5年）",
                );
                DEFAULT_TERM_YEARS
            }
        };
        if let (Some(f), Some(t)) = (founded, term_start)
            && t < f
        {
            errors.push(OrgField::TermStart, "本届任期开始不能早于成立日期");
        }
        if self.id.is_some() && self.parent_id == self.id {
            errors.push(OrgField::Parent, "上级组织不能是本组织");
        }

        let mut members = Vec::new();
        for (i, row) in committee.iter().enumerate() {
            let name = row.name.trim().to_string();
            if name.is_empty() {
                errors.push(OrgField::Committee(i), "请填写姓名或删除此行");
            }
            let appointed = errors.past_date(OrgField::Committee(i), "任职", &row.appointed, today);
            let ended = errors.past_date(OrgField::Committee(i), "离任", &row.ended, today);
            if let (Some(a), Some(e)) = (appointed, ended)
                && e < a
            {
                errors.push(OrgField::Committee(i), "离任日期不能早于任职日期");
            }
            members.push(CommitteeMember {
                id: row.id,
                uid: row.uid.clone(),
                role: row.role,
                name,
                member_id: row.member_id,
                duty: row.duty.trim().to_string(),
                appointed,
                ended,
            });
        }
        // One secretary at a time: those who left office are history.
        let serving =
            |c: &CommitteeInput| c.role == CommitteeRole::Secretary && c.ended.trim().is_empty();
        let secretaries = committee.iter().filter(|c| serving(c)).count();
        if secretaries > 1 {
            let last = committee.iter().rposition(serving).unwrap_or(0);
            errors.push(OrgField::Committee(last), "一个组织只能有一名书记");
        }

        if !errors.is_empty() {
            return Err(errors);
        }
        let org = Org {
            id: self.id,
            uid: self.uid.clone(),
            name,
            kind: self.kind,
            parent_id: self.parent_id,
            founded,
            dissolved,
            term_start,
            term_years,
            has_committee: self.has_committee,
            has_groups: self.has_groups,
            note: self.note.trim().to_string(),
            expectations: {
                let mut e = self.expectations.clone();
                e.sort_unstable();
                e.dedup_by_key(|(t, _)| *t);
                e
            },
        };
        Ok((org, members))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn term_due_and_warning_window() {
        let input = OrgInput {
            name: "机关第一党支部".into(),
            term_start: "2023年12月20日".into(),
            ..Default::default()
        };
        let (org, _) = input.validate(&[], d(2026, 11, 22)).unwrap();
        assert_eq!(org.term_due(), Some(d(2026, 12, 20)));
        assert_eq!(
            org.term_state(d(2026, 11, 22)),
            TermState::DueSoon {
                due: d(2026, 12, 20),
                days_left: 28
            }
        );
        assert_eq!(
            org.term_state(d(2026, 9, 20)),
            TermState::Current {
                due: d(2026, 12, 20)
            }
        );
        assert_eq!(
            org.term_state(d(2026, 9, 21)),
            TermState::DueSoon {
                due: d(2026, 12, 20),
                days_left: 90
            }
        );
        assert!(
            org.term_state(d(2027, 1, 1))
                .describe()
                .contains("逾期12天")
        );
    }

    #[test]
    fn bad_input_is_named_at_the_field() {
        let input = OrgInput {
            term_years: "三".into(),
            founded: "2020-13-01".into(),
            ..Default::default()
        };
        let rows = vec![
            CommitteeInput {
                id: None,
                uid: String::new(),
                role: CommitteeRole::Secretary,
                name: "王珺".into(),
                member_id: None,
                duty: String::new(),
                appointed: "2023-1-1".into(),
                ended: String::new(),
            },
            CommitteeInput {
                id: None,
                uid: String::new(),
                role: CommitteeRole::Secretary,
                name: String::new(),
                member_id: None,
                duty: String::new(),
                appointed: String::new(),
                ended: String::new(),
            },
        ];
        let e = input.validate(&rows, d(2026, 11, 22)).unwrap_err();
        assert_eq!(e.get(OrgField::Name), Some("请填写组织名称"));
        assert!(e.get(OrgField::TermYears).is_some());
        assert!(e.get(OrgField::Founded).is_some());
        assert_eq!(e.get(OrgField::Committee(1)), Some("请填写姓名或删除此行"));
        assert!(e.0.iter().any(|x| x.message == "一个组织只能有一名书记"));
    }
}

/// The organisations in tree order (each parent followed by its children, depth-first, siblings in
/// the given order), as (depth, index into `orgs`). Orphans whose parent is missing come at the root.
pub fn tree_order(orgs: &[Org]) -> Vec<(usize, usize)> {
    let known: std::collections::HashSet<i64> = orgs.iter().filter_map(|o| o.id).collect();
    let mut out = Vec::with_capacity(orgs.len());
    let mut visited = vec![false; orgs.len()];
    fn visit(
        orgs: &[Org],
        i: usize,
        depth: usize,
        visited: &mut [bool],
        out: &mut Vec<(usize, usize)>,
    ) {
        if visited[i] {
            return;
        }
        visited[i] = true;
        out.push((depth, i));
        for (j, child) in orgs.iter().enumerate() {
            if child.parent_id.is_some() && child.parent_id == orgs[i].id {
                visit(orgs, j, depth + 1, visited, out);
            }
        }
    }
    for (i, o) in orgs.iter().enumerate() {
        if o.parent_id.is_none_or(|p| !known.contains(&p)) {
            visit(orgs, i, 0, &mut visited, &mut out);
        }
    }
    // Anything left sits in a cycle; show it rather than lose it.
    for i in 0..orgs.len() {
        visit(orgs, i, 0, &mut visited, &mut out);
    }
    out
}

/// `id` and every organisation under it.
pub fn with_descendants(orgs: &[Org], id: i64) -> std::collections::HashSet<i64> {
    let mut set = std::collections::HashSet::from([id]);
    loop {
        let before = set.len();
        for o in orgs {
            if let (Some(oid), Some(p)) = (o.id, o.parent_id)
                && set.contains(&p)
            {
                set.insert(oid);
            }
        }
        if set.len() == before {
            return set;
        }
    }
}

#[cfg(test)]
mod tree_tests {
    use super::*;

    fn org(id: i64, parent: Option<i64>, name: &str) -> Org {
        Org {
            id: Some(id),
            uid: String::new(),
            name: name.into(),
            kind: OrgKind::Branch,
            parent_id: parent,
            founded: None,
            dissolved: None,
            term_start: None,
            term_years: 3,
            has_committee: true,
            has_groups: false,
            note: String::new(),
            expectations: Vec::new(),
        }
    }

    #[test]
    fn children_follow_their_parent() {
        let orgs = vec![
            org(3, Some(1), "机关第一党支部"),
            org(1, None, "机关党委"),
            org(2, None, "福利院党支部"),
        ];
        let order: Vec<(usize, &str)> = tree_order(&orgs)
            .into_iter()
            .map(|(d, i)| (d, orgs[i].name.as_str()))
            .collect();
        assert_eq!(
            order,
            vec![(0, "机关党委"), (1, "机关第一党支部"), (0, "福利院党支部")]
        );
        assert_eq!(with_descendants(&orgs, 1), [1, 3].into());
    }
}
