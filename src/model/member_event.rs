//! Member events: 表彰 (commendation), 走访慰问 (a visit to a member in difficulty) and the yearly
//! 民主评议 result. One act (a commendation of five people) is one entry with several members.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::field::{self, Field, Kind, Record, Stored, Value};
use super::{FieldErrors, date, labelled_enum};

labelled_enum! {
    pub enum EventKind {
        Commendation => "表彰",
        Visit => "走访慰问",
        Review => "民主评议",
    }
}

labelled_enum! {
    /// 民主评议党员 outcome.
    pub enum Grade {
        Excellent => "优秀",
        Qualified => "合格",
        Basic => "基本合格",
        Unqualified => "不合格",
    }
}

// The enum comes from `labelled_enum!`, which cannot mark a `#[default]` variant.
#[allow(clippy::derivable_impls)]
impl Default for EventKind {
    fn default() -> Self {
        EventKind::Commendation
    }
}

/// One member's event. Rows entered together share `act_uid`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberEvent {
    pub id: Option<i64>,
    pub uid: String,
    pub act_uid: String,
    pub kind: EventKind,
    pub date: NaiveDate,
    /// 民主评议: the year reviewed (usually the year before the meeting).
    pub for_year: Option<i32>,
    pub member_id: i64,
    /// The member's organisation on the date, filled by the store (the tally counts by it).
    pub org_id: i64,
    /// 表彰: the title (优秀共产党员 …); 走访慰问: what was brought or done.
    pub title: String,
    pub grade: Option<Grade>,
    pub note: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventField {
    Act,
    Kind,
    Date,
    ForYear,
    Members,
    Org,
    Title,
    Grade,
    Note,
}

super::form_field!(EventField => Event);

/// The fields of a member event, declared once (`model::field`).
pub const FIELDS: &[Field<EventField>] = {
    use EventField as F;
    &[
        Field::new(F::Act, "act_uid", "登记批次", Kind::Text),
        Field::new(F::Kind, "kind", "类型", Kind::Choice(EventKind::LABELS))
            .required()
            .synonyms(&["类别"])
            .note("表彰 / 慰问 / 民主评议"),
        Field::new(F::Date, "date", "日期", Kind::Date).required(),
        Field::new(F::ForYear, "for_year", "评议年度", Kind::Int).note("民主评议的年度"),
        Field::new(F::Members, "member_id", "党员", Kind::Int).required(),
        Field::new(F::Org, "org_id", "所在组织", Kind::Org),
        Field::new(F::Title, "title", "内容", Kind::Text)
            .synonyms(&["表彰名称", "慰问内容"])
            .note("表彰名称或慰问内容"),
        Field::new(F::Grade, "grade", "评议结果", Kind::Choice(Grade::LABELS))
            .note("优秀 / 合格 / 基本合格 / 不合格"),
        Field::new(F::Note, "note", "备注", Kind::Text),
    ]
};

impl EventField {
    /// The one Chinese label of the field.
    pub fn label(self) -> &'static str {
        field::find(FIELDS, self).label
    }
}

impl Record for MemberEvent {
    type Field = EventField;

    fn fields() -> &'static [Field<EventField>] {
        FIELDS
    }

    fn get(&self, f: EventField) -> Value {
        use EventField as F;
        match f {
            F::Act => self.act_uid.to_value(),
            F::Kind => self.kind.to_value(),
            F::Date => self.date.to_value(),
            F::ForYear => self.for_year.to_value(),
            F::Members => self.member_id.to_value(),
            F::Org => self.org_id.to_value(),
            F::Title => self.title.to_value(),
            F::Grade => self.grade.to_value(),
            F::Note => self.note.to_value(),
        }
    }

    fn set(&mut self, f: EventField, v: Value) -> Result<(), String> {
        use EventField as F;
        match f {
            F::Act => v.put(&mut self.act_uid),
            F::Kind => v.put(&mut self.kind),
            F::Date => v.put(&mut self.date),
            F::ForYear => v.put(&mut self.for_year),
            F::Members => v.put(&mut self.member_id),
            F::Org => v.put(&mut self.org_id),
            F::Title => v.put(&mut self.title),
            F::Grade => v.put(&mut self.grade),
            F::Note => v.put(&mut self.note),
        }
    }

    fn identity(&self) -> (Option<i64>, &str) {
        (self.id, &self.uid)
    }

    fn set_identity(&mut self, id: Option<i64>, uid: String) {
        (self.id, self.uid) = (id, uid);
    }
}

/// The dialog that enters one act for several members, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventInput {
    pub kind: Option<EventKind>,
    pub date: String,
    pub for_year: String,
    pub members: Vec<i64>,
    pub title: String,
    pub grade: Option<Grade>,
    pub note: String,
}

impl EventInput {
    /// Checks the dialog and makes one row per member (ids and uids are the store's).
    pub fn validate(&self, today: NaiveDate) -> Result<Vec<MemberEvent>, FieldErrors<EventField>> {
        use EventField as F;
        let mut errors = FieldErrors::new();
        let kind = self.kind;
        if kind.is_none() {
            errors.push(F::Kind, "请选择事项类别");
        }
        let when = errors.past_date(F::Date, "", &self.date, today);
        if when.is_none() && self.date.trim().is_empty() {
            errors.push(F::Date, "请填写日期");
        }
        if self.members.is_empty() {
            errors.push(F::Members, "请至少选择一名党员");
        }
        let mut for_year = None;
        match kind {
            Some(EventKind::Review) => {
                match self.for_year.trim().trim_end_matches('年').parse::<i32>() {
                    Ok(y) if (1950..=today.year()).contains(&y) => for_year = Some(y),
                    _ => errors.push(F::ForYear, "请填写评议的年度（如 2022）"),
                }
                if self.grade.is_none() {
                    errors.push(F::Grade, "请选择评议结果");
                }
            }
            Some(EventKind::Commendation) if self.title.trim().is_empty() => {
                errors.push(F::Title, "请填写表彰名称（如 优秀共产党员）")
            }
            _ => {}
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let (Some(kind), Some(when)) = (kind, when) else {
            return Err(errors);
        };
        Ok(self
            .members
            .iter()
            .map(|&member_id| MemberEvent {
                id: None,
                uid: String::new(),
                act_uid: String::new(),
                kind,
                date: when,
                for_year,
                member_id,
                org_id: 0,
                title: self.title.trim().to_string(),
                grade: if kind == EventKind::Review {
                    self.grade
                } else {
                    None
                },
                note: self.note.trim().to_string(),
            })
            .collect())
    }
}

impl MemberEvent {
    /// How the member's page lists it: "2022-06-28 表彰：优秀共产党员".
    pub fn summary(&self) -> String {
        let what = match (self.kind, self.grade, self.for_year) {
            (EventKind::Review, Some(g), Some(y)) => format!("{y}年度 {g}"),
            _ => self.title.clone(),
        };
        format!("{} {}：{}", date::iso(self.date), self.kind, what)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
    }

    #[test]
    fn one_commendation_of_five_is_five_rows() {
        let input = EventInput {
            kind: Some(EventKind::Commendation),
            date: "2022-6-28".into(),
            members: vec![1, 2, 3, 4, 5],
            title: "优秀共产党员".into(),
            ..Default::default()
        };
        let rows = input.validate(today()).unwrap();
        assert_eq!(rows.len(), 5);
        assert_eq!(rows[4].member_id, 5);
        assert_eq!(rows[0].summary(), "2022-06-28 表彰：优秀共产党员");
    }

    #[test]
    fn a_review_needs_its_year_and_grade() {
        let mut input = EventInput {
            kind: Some(EventKind::Review),
            date: "2023-01-20".into(),
            members: vec![1],
            ..Default::default()
        };
        let e = input.validate(today()).unwrap_err();
        assert!(e.get(EventField::ForYear).is_some());
        assert_eq!(e.get(EventField::Grade), Some("请选择评议结果"));
        input.for_year = "2022".into();
        input.grade = Some(Grade::Excellent);
        assert_eq!(
            input.validate(today()).unwrap()[0].summary(),
            "2023-01-20 民主评议：2022年度 优秀"
        );
        input.members.clear();
        input.date = "2027-01-01".into();
        let e = input.validate(today()).unwrap_err();
        assert!(e.get(EventField::Members).is_some());
        assert!(e.get(EventField::Date).unwrap().contains("不能晚于今天"));
    }
}
