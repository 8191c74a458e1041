//! 谈话: integrity talks (廉政谈话 / 谈话提醒). Counted by kind and by 谈话对象人次.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::field::{self, Draft, Field, Kind, Record, Stored, Value};
use super::{FieldErrors, date, labelled_enum, split_names};

labelled_enum! {
    pub enum TalkForm { Individual => "个别", Collective => "集体" }
}

// The enum comes from `labelled_enum!`, which cannot mark a `#[default]` variant.
#[allow(clippy::derivable_impls)]
impl Default for TalkForm {
    fn default() -> Self {
        TalkForm::Individual
    }
}

/// The built-in kinds; bureaus rename them and add their own.
pub const BUILTIN_KINDS: &[&str] = &[
    "日常谈话",
    "提醒谈话",
    "警诫谈话",
    "诫勉谈话",
    "廉政约谈",
    "任前廉政谈话",
    "集体廉政谈话",
];

/// A kind of 谈话: an entry of a user-kept list (built-in kinds keep their name).
pub use super::label::Label as TalkKind;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Talk {
    pub id: Option<i64>,
    pub uid: String,
    pub date: NaiveDate,
    pub kind_id: i64,
    pub form: TalkForm,
    /// 所属组织: whose talk it is, for the tally of one organisation.
    pub org_id: Option<i64>,
    /// 谈话人: one or more names.
    pub talkers: String,
    /// Members picked as 谈话对象: (id, name).
    pub subjects: Vec<(i64, String)>,
    /// 谈话对象 typed as names (people not on our books, or not picked).
    pub subject_names: String,
    /// For a collective talk without names: how many were talked to.
    pub headcount: Option<u32>,
    pub place: String,
    pub reason: String,
    pub content: String,
    pub follow_up: String,
}

impl Talk {
    /// The people named as 谈话对象, each once: members picked, then names typed that are not
    /// already picked.
    pub fn named_subjects(&self) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        for name in self
            .subjects
            .iter()
            .map(|(_, n)| n.as_str())
            .chain(split_names(&self.subject_names))
        {
            if !names.contains(&name) {
                names.push(name);
            }
        }
        names
    }

    /// 谈话对象人次 of this talk (the one definition the tally counts): for a collective talk its
    /// head-count when given, else the people named, each once. A one-to-one talk has no head-count.
    pub fn subject_count(&self) -> u32 {
        let named = self.named_subjects().len() as u32;
        match (self.form, self.headcount) {
            (TalkForm::Collective, Some(n)) => n.max(named),
            _ => named,
        }
    }

    /// The 谈话对象 as the list shows them, without anything sensitive.
    pub fn subjects_text(&self) -> String {
        let names = self.named_subjects();
        let count = self.subject_count();
        match (names.is_empty(), count as usize > names.len()) {
            (true, _) => format!("{count}人"),
            (false, true) => format!("{}等{count}人", names.join("、")),
            (false, false) => names.join("、"),
        }
    }

    pub fn to_input(&self) -> TalkInput {
        TalkInput {
            id: self.id,
            uid: self.uid.clone(),
            date: date::iso(self.date),
            kind_id: Some(self.kind_id),
            form: self.form,
            org_id: self.org_id,
            talkers: self.talkers.clone(),
            subjects: self.subjects.clone(),
            subject_names: self.subject_names.clone(),
            headcount: self.headcount.map(|n| n.to_string()).unwrap_or_default(),
            place: self.place.clone(),
            reason: self.reason.clone(),
            content: self.content.clone(),
            follow_up: self.follow_up.clone(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TalkField {
    Date,
    Kind,
    Form,
    Org,
    Talkers,
    Subjects,
    SubjectNames,
    Headcount,
    Place,
    Reason,
    Content,
    FollowUp,
}

/// The fields of a talk, declared once (`model::field`).
pub const FIELDS: &[Field<TalkField>] = {
    use TalkField as F;
    &[
        Field::new(F::Date, "date", "谈话日期", Kind::Date)
            .required()
            .synonyms(&["日期"]),
        Field::new(F::Kind, "kind_id", "谈话类型", Kind::Label)
            .required()
            .synonyms(&["类型"])
            .note("谈话类型，如 日常谈话、提醒谈话"),
        Field::new(F::Form, "form", "形式", Kind::Choice(TalkForm::LABELS))
            .note("个别 / 集体，空白为个别"),
        Field::new(F::Org, "org_id", "所属组织", Kind::Org).note("空白为最上级组织"),
        Field::new(F::Talkers, "talkers", "谈话人", Kind::Names)
            .required()
            .note("多人用“、”分隔"),
        Field::elsewhere(F::Subjects, "谈话对象", Kind::Names),
        Field::new(
            F::SubjectNames,
            "subject_names",
            "其他对象姓名",
            Kind::Names,
        ),
        Field::new(F::Headcount, "headcount", "对象人数", Kind::Int)
            .note("集体谈话未列姓名时填人数"),
        Field::new(F::Place, "place", "地点", Kind::Text),
        Field::new(F::Reason, "reason", "谈话事由", Kind::Text).synonyms(&["备注"]),
        Field::new(F::Content, "content", "谈话内容", Kind::Text).synonyms(&["内容摘要"]),
        Field::new(F::FollowUp, "follow_up", "后续跟进", Kind::Text).synonyms(&["后续情况"]),
    ]
};

impl TalkField {
    /// The one Chinese label of the field.
    pub fn label(self) -> &'static str {
        field::find(FIELDS, self).label
    }
}

impl Record for Talk {
    type Field = TalkField;

    fn fields() -> &'static [Field<TalkField>] {
        FIELDS
    }

    fn get(&self, f: TalkField) -> Value {
        use TalkField as F;
        match f {
            F::Date => self.date.to_value(),
            F::Kind => self.kind_id.to_value(),
            F::Form => self.form.to_value(),
            F::Org => self.org_id.to_value(),
            F::Talkers => self.talkers.to_value(),
            F::Subjects => Value::Text(
                self.subjects
                    .iter()
                    .map(|(_, n)| n.as_str())
                    .collect::<Vec<_>>()
                    .join("、"),
            ),
            F::SubjectNames => self.subject_names.to_value(),
            F::Headcount => self.headcount.to_value(),
            F::Place => self.place.to_value(),
            F::Reason => self.reason.to_value(),
            F::Content => self.content.to_value(),
            F::FollowUp => self.follow_up.to_value(),
        }
    }

    fn set(&mut self, f: TalkField, v: Value) -> Result<(), String> {
        use TalkField as F;
        match f {
            F::Date => v.put(&mut self.date),
            F::Kind => v.put(&mut self.kind_id),
            F::Form => v.put(&mut self.form),
            F::Org => v.put(&mut self.org_id),
            F::Talkers => v.put(&mut self.talkers),
            F::Subjects => field::kept_elsewhere(f.label()),
            F::SubjectNames => v.put(&mut self.subject_names),
            F::Headcount => v.put(&mut self.headcount),
            F::Place => v.put(&mut self.place),
            F::Reason => v.put(&mut self.reason),
            F::Content => v.put(&mut self.content),
            F::FollowUp => v.put(&mut self.follow_up),
        }
    }

    fn identity(&self) -> (Option<i64>, &str) {
        (self.id, &self.uid)
    }

    fn set_identity(&mut self, id: Option<i64>, uid: String) {
        (self.id, self.uid) = (id, uid);
    }
}

impl Draft for TalkInput {
    type Field = TalkField;

    fn set(&mut self, f: TalkField, v: Value) -> Result<(), String> {
        use TalkField as F;
        match f {
            F::Date => v.put(&mut self.date),
            F::Kind => v.put(&mut self.kind_id),
            // A blank 形式 is the ordinary one-to-one talk.
            F::Form => Option::<TalkForm>::from_value(v).map(|f| self.form = f.unwrap_or_default()),
            F::Org => v.put(&mut self.org_id),
            F::Talkers => v.put(&mut self.talkers),
            F::Subjects => field::kept_elsewhere(f.label()),
            F::SubjectNames => v.put(&mut self.subject_names),
            F::Headcount => v.put(&mut self.headcount),
            F::Place => v.put(&mut self.place),
            F::Reason => v.put(&mut self.reason),
            F::Content => v.put(&mut self.content),
            F::FollowUp => v.put(&mut self.follow_up),
        }
    }
}

super::form_field!(TalkField => Talk);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TalkInput {
    pub id: Option<i64>,
    pub uid: String,
    pub date: String,
    pub kind_id: Option<i64>,
    pub form: TalkForm,
    pub org_id: Option<i64>,
    pub talkers: String,
    pub subjects: Vec<(i64, String)>,
    pub subject_names: String,
    pub headcount: String,
    pub place: String,
    pub reason: String,
    pub content: String,
    pub follow_up: String,
}

impl Default for TalkInput {
    fn default() -> Self {
        Self {
            id: None,
            uid: String::new(),
            date: String::new(),
            kind_id: None,
            form: TalkForm::Individual,
            org_id: None,
            talkers: String::new(),
            subjects: Vec::new(),
            subject_names: String::new(),
            headcount: String::new(),
            place: String::new(),
            reason: String::new(),
            content: String::new(),
            follow_up: String::new(),
        }
    }
}

impl TalkInput {
    pub fn validate(&self, today: NaiveDate) -> Result<Talk, FieldErrors<TalkField>> {
        use TalkField as F;
        let mut errors = FieldErrors::new();
        let date = if self.date.trim().is_empty() {
            errors.push(F::Date, "请填写谈话日期");
            None
        } else {
            errors.past_date(F::Date, "", &self.date, today)
        };
        if self.kind_id.is_none() {
            errors.push(F::Kind, "请选择谈话类型");
        }
        if split_names(&self.talkers).is_empty() {
            errors.push(F::Talkers, "请填写谈话人");
        }
        // A head-count belongs to a collective talk only: one typed there and left behind when the
        // form is switched back to 个别 is dropped, not saved and counted.
        let headcount = match (self.form, self.headcount.trim()) {
            (TalkForm::Individual, _) | (_, "") => None,
            (TalkForm::Collective, t) => match t.parse::<u32>() {
                Ok(n) if n > 0 => Some(n),
                _ => {
                    errors.push(F::Headcount, "对象人数应为正整数");
                    None
                }
            },
        };
        let mut named: Vec<&str> = self.subjects.iter().map(|(_, n)| n.as_str()).collect();
        for n in split_names(&self.subject_names) {
            if !named.contains(&n) {
                named.push(n);
            }
        }
        if let Some(n) = headcount
            && (n as usize) < named.len()
        {
            errors.push(
                F::Headcount,
                format!("对象人数少于所列谈话对象（{}人），请核对", named.len()),
            );
        }
        if self.subjects.is_empty()
            && split_names(&self.subject_names).is_empty()
            && headcount.is_none()
        {
            errors.push(
                F::Subjects,
                "请填写谈话对象：选择党员、填写姓名，或（集体谈话）填写人数",
            );
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Talk {
            id: self.id,
            uid: self.uid.clone(),
            date: date.unwrap_or(today),
            kind_id: self.kind_id.unwrap_or_default(),
            form: self.form,
            org_id: self.org_id,
            talkers: split_names(&self.talkers).join("、"),
            subjects: self.subjects.clone(),
            subject_names: split_names(&self.subject_names).join("、"),
            headcount,
            place: self.place.trim().to_string(),
            reason: self.reason.trim().to_string(),
            content: self.content.trim().to_string(),
            follow_up: self.follow_up.trim().to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn subjects_are_counted_by_name_or_by_head_count() {
        let input = TalkInput {
            date: "2026-3-1".into(),
            kind_id: Some(1),
            talkers: "王珺".into(),
            subjects: vec![(7, "李堃".into())],
            subject_names: "赵昇，钱玥、孙彧".into(),
            ..Default::default()
        };
        let named = input.validate(d(2026, 11, 22)).unwrap();
        assert_eq!(named.subject_count(), 4);
        assert_eq!(named.subjects_text(), "李堃、赵昇、钱玥、孙彧");
        let collective = TalkInput {
            form: TalkForm::Collective,
            subjects: vec![],
            subject_names: String::new(),
            headcount: "35".into(),
            ..input
        };
        let t = collective.validate(d(2026, 11, 22)).unwrap();
        assert_eq!(
            (t.subject_count(), t.subjects_text().as_str()),
            (35, "35人")
        );
    }

    #[test]
    fn a_one_to_one_talk_drops_a_head_count_left_from_collective() {
        let input = TalkInput {
            date: "2026-3-1".into(),
            kind_id: Some(1),
            talkers: "王珺".into(),
            form: TalkForm::Collective,
            headcount: "35".into(),
            ..Default::default()
        };
        // Switched back to 个别 and one person picked: one 人次, not 35.
        let t = TalkInput {
            form: TalkForm::Individual,
            subjects: vec![(7, "李堃".into())],
            ..input
        }
        .validate(d(2026, 11, 22))
        .unwrap();
        assert_eq!(t.headcount, None);
        assert_eq!((t.subject_count(), t.subjects_text().as_str()), (1, "李堃"));
    }

    #[test]
    fn a_head_count_below_the_names_is_refused_and_a_name_counts_once() {
        let input = TalkInput {
            date: "2026-3-1".into(),
            kind_id: Some(1),
            talkers: "王珺".into(),
            form: TalkForm::Collective,
            subject_names: "赵昇、钱玥、孙彧".into(),
            headcount: "1".into(),
            ..Default::default()
        };
        let e = input.validate(d(2026, 11, 22)).unwrap_err();
        assert_eq!(
            e.get(TalkField::Headcount),
            Some("对象人数少于所列谈话对象（3人），请核对")
        );
        // The same person picked and typed is one 人次.
        let t = TalkInput {
            form: TalkForm::Individual,
            subjects: vec![(7, "李堃".into())],
            subject_names: "李堃、赵昇".into(),
            headcount: String::new(),
            ..input
        }
        .validate(d(2026, 11, 22))
        .unwrap();
        assert_eq!(
            (t.subject_count(), t.subjects_text().as_str()),
            (2, "李堃、赵昇")
        );
    }

    #[test]
    fn talker_and_subjects_are_required() {
        let e = TalkInput {
            date: "2026-3-1".into(),
            kind_id: Some(1),
            ..Default::default()
        }
        .validate(d(2026, 11, 22))
        .unwrap_err();
        assert_eq!(e.get(TalkField::Talkers), Some("请填写谈话人"));
        assert!(e.get(TalkField::Subjects).is_some());
    }
}
