//! 活动: the 三会一课 and study ledger — one record per meeting held, its types, attendance, and the
//! frequencies each type is expected at.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::date::{self};
use super::field::{self, Draft, Field, Kind, Record, Stored, Value};
use super::org::{Org, OrgKind};
use super::{FieldErrors, labelled_enum};

labelled_enum! {
    /// How often a type of activity is expected.
    pub enum Frequency { Month => "每月", Quarter => "每季度", Year => "每年", None => "不作要求" }
}

labelled_enum! {
    /// Which organisations a type's frequency applies to.
    pub enum ExpectedOf { Branch => "党支部", Leadership => "党组/党委", Nobody => "不限" }
}

labelled_enum! {
    /// A further condition on a branch (支委会 needs a committee, 党小组会 needs 党小组).
    pub enum Requires { Nothing => "无", Committee => "设有支委会", Groups => "设有党小组" }
}

labelled_enum! {
    pub enum Presence { Present => "出席", Leave => "请假", Absent => "缺席" }
}

/// A kind of activity, as users see it. Built-in types come with the app; users add their own.
/// A type is never deleted, only hidden, so old records keep their meaning.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityType {
    pub id: Option<i64>,
    pub uid: String,
    pub group: String,
    pub label: String,
    pub frequency: Frequency,
    pub expected_of: ExpectedOf,
    pub requires: Requires,
    pub builtin: bool,
    pub hidden: bool,
}

/// The built-in types of domain.md: (group, label, frequency, expected of, condition).
pub const BUILTIN_TYPES: &[(&str, &str, Frequency, ExpectedOf, Requires)] = &[
    (
        "三会一课",
        "党员大会",
        Frequency::Quarter,
        ExpectedOf::Branch,
        Requires::Nothing,
    ),
    (
        "三会一课",
        "支委会",
        Frequency::Month,
        ExpectedOf::Branch,
        Requires::Committee,
    ),
    (
        "三会一课",
        "党小组会",
        Frequency::Month,
        ExpectedOf::Branch,
        Requires::Groups,
    ),
    (
        "三会一课",
        "党课",
        Frequency::Quarter,
        ExpectedOf::Branch,
        Requires::Nothing,
    ),
    (
        "主题党日",
        "主题党日",
        Frequency::Month,
        ExpectedOf::Branch,
        Requires::Nothing,
    ),
    (
        "组织生活",
        "组织生活会",
        Frequency::Year,
        ExpectedOf::Branch,
        Requires::Nothing,
    ),
    (
        "组织生活",
        "民主评议党员",
        Frequency::Year,
        ExpectedOf::Branch,
        Requires::Nothing,
    ),
    (
        "组织生活",
        "民主生活会",
        Frequency::Year,
        ExpectedOf::Leadership,
        Requires::Nothing,
    ),
    (
        "理论学习",
        "党组理论学习中心组学习",
        Frequency::None,
        ExpectedOf::Leadership,
        Requires::Nothing,
    ),
    (
        "理论学习",
        "集中学习",
        Frequency::None,
        ExpectedOf::Nobody,
        Requires::Nothing,
    ),
    (
        "理论学习",
        "研讨交流",
        Frequency::None,
        ExpectedOf::Nobody,
        Requires::Nothing,
    ),
    (
        "理论学习",
        "第一议题",
        Frequency::None,
        ExpectedOf::Leadership,
        Requires::Nothing,
    ),
    (
        "党建工作",
        "党组会议",
        Frequency::None,
        ExpectedOf::Nobody,
        Requires::Nothing,
    ),
    (
        "党建工作",
        "党建工作专题会议",
        Frequency::Quarter,
        ExpectedOf::Leadership,
        Requires::Nothing,
    ),
    (
        "党建工作",
        "党建督查检查",
        Frequency::None,
        ExpectedOf::Nobody,
        Requires::Nothing,
    ),
    (
        "教育活动",
        "警示教育",
        Frequency::None,
        ExpectedOf::Nobody,
        Requires::Nothing,
    ),
    (
        "教育活动",
        "红色教育/参观学习",
        Frequency::None,
        ExpectedOf::Nobody,
        Requires::Nothing,
    ),
    (
        "其他",
        "结对共建/志愿服务",
        Frequency::None,
        ExpectedOf::Nobody,
        Requires::Nothing,
    ),
];

/// The groups in the order the report and the form show them.
pub const GROUPS: &[&str] = &[
    "三会一课",
    "主题党日",
    "组织生活",
    "理论学习",
    "党建工作",
    "教育活动",
    "其他",
];

/// Whether any of `type_ids` is a yearly type (组织生活会, 民主评议党员, 民主生活会 and any other
/// type held once a year): such a record carries the year it is for.
pub fn is_yearly(types: &[ActivityType], type_ids: &[i64]) -> bool {
    types
        .iter()
        .any(|t| t.frequency == Frequency::Year && t.id.is_some_and(|id| type_ids.contains(&id)))
}

/// The 所属年度 the form proposes for a yearly meeting held on `date`: the year before when it is
/// held in January–March (the meetings for a year are held after it ends), else its own year.
pub fn proposed_for_year(date: NaiveDate) -> i32 {
    if date.month() <= 3 {
        date.year() - 1
    } else {
        date.year()
    }
}

/// The year a record counts for in compliance, for a type of `frequency`: its 所属年度 for a yearly
/// type, else the year of its date.
pub fn counts_for(frequency: Frequency, date: NaiveDate, for_year: Option<i32>) -> Option<Period> {
    match (frequency, for_year) {
        (Frequency::Year, Some(y)) => Some(Period::Year(y)),
        _ => Period::of(frequency, date),
    }
}

/// The type whose records carry the date of the speech studied (学习习近平总书记重要讲话 within 7 days).
pub const FIRST_TOPIC: &str = "第一议题";
/// The type whose 主讲人 the tally reads for 领导班子成员讲党课.
pub const LECTURE: &str = "党课";
/// Days within which a 第一议题 is to be studied.
pub const FIRST_TOPIC_DAYS: i64 = 7;

impl ActivityType {
    /// Whether `org` is expected to hold this type at its frequency: the organisation's own answer
    /// where it set one, else the type's rule (`expected_by_rule`).
    pub fn applies_to(&self, org: &Org) -> bool {
        if self.hidden || self.frequency == Frequency::None {
            return false;
        }
        match self.id.and_then(|id| org.expectation(id)) {
            Some(own) => own,
            None => self.expected_by_rule(org),
        }
    }

    /// Whether the type's rule (whom it is expected of, and what it requires) holds `org` to it.
    pub fn expected_by_rule(&self, org: &Org) -> bool {
        match self.expected_of {
            ExpectedOf::Nobody => false,
            ExpectedOf::Leadership => {
                matches!(org.kind, OrgKind::LeadingGroup | OrgKind::Committee)
            }
            ExpectedOf::Branch => {
                org.kind == OrgKind::Branch
                    && match self.requires {
                        Requires::Nothing => true,
                        Requires::Committee => org.has_committee,
                        Requires::Groups => org.has_groups,
                    }
            }
        }
    }
}

/// One person's attendance at a meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attendance {
    pub member_id: i64,
    pub name: String,
    pub presence: Presence,
    /// 请假 reason (or a note on an absence).
    pub reason: String,
}

/// One meeting or study session held.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Activity {
    pub id: Option<i64>,
    pub uid: String,
    pub date: NaiveDate,
    /// 时间 as typed, e.g. `14:30`; optional.
    pub time: String,
    pub org_id: i64,
    pub type_ids: Vec<i64>,
    /// 专题 (`model::theme`), zero or more.
    pub theme_ids: Vec<i64>,
    pub topic: String,
    /// 学习内容.
    pub content: String,
    pub host: String,
    pub lecturer: String,
    pub place: String,
    pub recorder: String,
    /// 列席: people attending who are not members of the organisation.
    pub guests: String,
    pub minutes: String,
    pub outcome: String,
    /// For 第一议题: the date of the speech or instruction studied.
    pub speech_date: Option<NaiveDate>,
    /// 所属年度 of a yearly meeting (组织生活会, 民主评议党员, 民主生活会), usually held in the
    /// January–March after the year it is for. `None` for other records: they count for their date.
    pub for_year: Option<i32>,
    /// 应到 and 实到; computed from `attendance` when it is recorded, typed when it is not.
    pub expected: Option<u32>,
    pub present: Option<u32>,
    pub attendance: Vec<Attendance>,
    /// Files kept in `attachments/` beside the data file, as paths relative to that folder.
    pub attachments: Vec<String>,
}

/// Days from a speech to its study as 第一议题, when that is more than [`FIRST_TOPIC_DAYS`].
pub fn first_topic_late_by(speech: NaiveDate, studied: NaiveDate) -> Option<i64> {
    let days = studied.signed_duration_since(speech).num_days();
    (days > FIRST_TOPIC_DAYS).then_some(days)
}

/// The id of the 第一议题 type, whose records carry a speech date.
pub fn first_topic_id(types: &[ActivityType]) -> Option<i64> {
    types
        .iter()
        .find(|t| t.label == FIRST_TOPIC)
        .and_then(|t| t.id)
}

impl Activity {
    /// Days between the speech and its study, when that is more than [`FIRST_TOPIC_DAYS`].
    pub fn first_topic_delay(&self) -> Option<i64> {
        first_topic_late_by(self.speech_date?, self.date)
    }
}

/// (应到, 实到) from an attendance list: everyone listed is expected, those marked 出席 were there.
pub fn counts(attendance: &[Attendance]) -> (u32, u32) {
    let present = attendance
        .iter()
        .filter(|a| a.presence == Presence::Present)
        .count();
    (attendance.len() as u32, present as u32)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActivityField {
    Date,
    Time,
    Org,
    Types,
    Themes,
    Topic,
    Content,
    Host,
    Lecturer,
    Place,
    Recorder,
    Expected,
    Present,
    /// The attendance list as a whole.
    Roll,
    /// One line of the attendance list, by its index in the form.
    Attendance(usize),
    Guests,
    SpeechDate,
    ForYear,
    Minutes,
    Outcome,
    Attachments,
}
super::form_field!(ActivityField => Activity);

/// The fields of an activity record, declared once (`model::field`).
pub const FIELDS: &[Field<ActivityField>] = {
    use ActivityField as F;
    &[
        Field::new(F::Date, "date", "日期", Kind::Date)
            .required()
            .synonyms(&["活动日期", "会议日期", "会议时间", "活动时间"]),
        Field::new(F::Time, "time", "时间", Kind::Text).note("如 14:30，可空"),
        Field::new(F::Org, "org_id", "组织", Kind::Org)
            .required()
            .synonyms(&["党组织", "所在组织", "支部", "所属组织"])
            .note("党组织名称"),
        Field::elsewhere(F::Types, "类型", Kind::Label)
            .required()
            .synonyms(&["活动类型", "会议类型"])
            .note("一种或多种活动类型，用“、”分隔，如 党员大会、主题党日"),
        Field::elsewhere(F::Themes, "专题", Kind::Label)
            .note("零个或多个专题，用“、”分隔，如 党史学习教育、意识形态工作"),
        Field::new(F::Topic, "topic", "主题", Kind::Text)
            .required()
            .synonyms(&["活动主题", "会议主题", "学习主题"]),
        Field::new(F::Content, "content", "学习内容", Kind::Text).synonyms(&[
            "内容摘要",
            "会议内容",
            "内容",
            "学习研讨内容",
        ]),
        Field::new(F::Host, "host", "主持人", Kind::Text),
        Field::new(F::Lecturer, "lecturer", "主讲人", Kind::Text).synonyms(&["领学人"]),
        Field::new(F::Place, "place", "地点", Kind::Text),
        Field::new(F::Recorder, "recorder", "记录人", Kind::Text),
        Field::new(F::Expected, "expected", "应到人数", Kind::Int).note("整数"),
        Field::new(F::Present, "present", "实到人数", Kind::Int)
            .synonyms(&["参会人数", "参加人数", "出席人数", "实到"])
            .note("整数；填了参加人员时可空"),
        Field::elsewhere(F::Roll, "出席名单", Kind::Names),
        Field::new(F::Guests, "guests", "列席人员", Kind::Names).note("非本组织党员，用“、”分隔"),
        Field::new(F::SpeechDate, "speech_date", "讲话日期", Kind::Date)
            .note("第一议题：所学讲话或指示的日期"),
        Field::new(F::ForYear, "for_year", "所属年度", Kind::Int)
            .note("组织生活会、民主评议党员、民主生活会所属的年度；空白时一至三月召开的为上一年度"),
        Field::new(F::Minutes, "minutes", "会议记录", Kind::Text),
        Field::new(F::Outcome, "outcome", "成效", Kind::Text).synonyms(&["备注"]),
        Field::elsewhere(F::Attachments, "附件", Kind::Names)
            .note("照片、签到表等附件的文件名，用“、”分隔"),
    ]
};

impl ActivityField {
    /// The one Chinese label of the field.
    pub fn label(self) -> &'static str {
        match self {
            ActivityField::Attendance(_) => "出席名单",
            f => field::find(FIELDS, f).label,
        }
    }
}

impl Record for Activity {
    type Field = ActivityField;

    fn fields() -> &'static [Field<ActivityField>] {
        FIELDS
    }

    fn get(&self, f: ActivityField) -> Value {
        use ActivityField as F;
        match f {
            F::Date => self.date.to_value(),
            F::Time => self.time.to_value(),
            F::Org => self.org_id.to_value(),
            // Compared, never shown as such: the type ids.
            F::Types => Value::Text(
                self.type_ids
                    .iter()
                    .map(i64::to_string)
                    .collect::<Vec<_>>()
                    .join(","),
            ),
            F::Themes => Value::Text(
                self.theme_ids
                    .iter()
                    .map(i64::to_string)
                    .collect::<Vec<_>>()
                    .join(","),
            ),
            F::Topic => self.topic.to_value(),
            F::Content => self.content.to_value(),
            F::Host => self.host.to_value(),
            F::Lecturer => self.lecturer.to_value(),
            F::Place => self.place.to_value(),
            F::Recorder => self.recorder.to_value(),
            F::Expected => self.expected.to_value(),
            F::Present => self.present.to_value(),
            F::Roll | F::Attendance(_) => Value::Text(
                self.attendance
                    .iter()
                    .map(|a| format!("{}{}{}", a.name, a.presence, a.reason))
                    .collect::<Vec<_>>()
                    .join("、"),
            ),
            F::Guests => self.guests.to_value(),
            F::SpeechDate => self.speech_date.to_value(),
            F::ForYear => self.for_year.to_value(),
            F::Minutes => self.minutes.to_value(),
            F::Outcome => self.outcome.to_value(),
            F::Attachments => Value::Text(self.attachments.join("、")),
        }
    }

    fn set(&mut self, f: ActivityField, v: Value) -> Result<(), String> {
        use ActivityField as F;
        match f {
            F::Date => v.put(&mut self.date),
            F::Time => v.put(&mut self.time),
            F::Org => v.put(&mut self.org_id),
            F::Topic => v.put(&mut self.topic),
            F::Content => v.put(&mut self.content),
            F::Host => v.put(&mut self.host),
            F::Lecturer => v.put(&mut self.lecturer),
            F::Place => v.put(&mut self.place),
            F::Recorder => v.put(&mut self.recorder),
            F::Expected => v.put(&mut self.expected),
            F::Present => v.put(&mut self.present),
            F::Guests => v.put(&mut self.guests),
            F::SpeechDate => v.put(&mut self.speech_date),
            F::ForYear => v.put(&mut self.for_year),
            F::Minutes => v.put(&mut self.minutes),
            F::Outcome => v.put(&mut self.outcome),
            F::Types | F::Themes | F::Roll | F::Attendance(_) | F::Attachments => {
                field::kept_elsewhere(f.label())
            }
        }
    }

    fn identity(&self) -> (Option<i64>, &str) {
        (self.id, &self.uid)
    }

    fn set_identity(&mut self, id: Option<i64>, uid: String) {
        (self.id, self.uid) = (id, uid);
    }
}

impl Draft for ActivityInput {
    type Field = ActivityField;

    fn set(&mut self, f: ActivityField, v: Value) -> Result<(), String> {
        use ActivityField as F;
        match f {
            F::Date => v.put(&mut self.date),
            F::Time => v.put(&mut self.time),
            F::Org => v.put(&mut self.org_id),
            F::Topic => v.put(&mut self.topic),
            F::Content => v.put(&mut self.content),
            F::Host => v.put(&mut self.host),
            F::Lecturer => v.put(&mut self.lecturer),
            F::Place => v.put(&mut self.place),
            F::Recorder => v.put(&mut self.recorder),
            F::Expected => v.put(&mut self.expected),
            F::Present => v.put(&mut self.present),
            F::Guests => v.put(&mut self.guests),
            F::SpeechDate => v.put(&mut self.speech_date),
            F::ForYear => v.put(&mut self.for_year),
            F::Minutes => v.put(&mut self.minutes),
            F::Outcome => v.put(&mut self.outcome),
            F::Attachments => {
                // File names may hold spaces and commas: only 、 ; and line breaks separate them.
                self.attachments = v
                    .to_text()
                    .split(['、', '；', ';', '\n'])
                    .map(str::trim)
                    .filter(|n| !n.is_empty())
                    .map(str::to_string)
                    .collect();
                Ok(())
            }
            F::Types | F::Themes | F::Roll | F::Attendance(_) => field::kept_elsewhere(f.label()),
        }
    }
}

/// The activity form as typed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ActivityInput {
    pub id: Option<i64>,
    pub uid: String,
    pub date: String,
    pub time: String,
    pub org_id: Option<i64>,
    pub type_ids: Vec<i64>,
    pub theme_ids: Vec<i64>,
    pub topic: String,
    pub content: String,
    pub host: String,
    pub lecturer: String,
    pub place: String,
    pub recorder: String,
    pub guests: String,
    pub minutes: String,
    pub outcome: String,
    pub speech_date: String,
    /// 所属年度 as typed (shown when a yearly type is chosen).
    pub for_year: String,
    /// 应到/实到 as typed, used only when no attendance is listed.
    pub expected: String,
    pub present: String,
    pub attendance: Vec<Attendance>,
    pub attachments: Vec<String>,
}

impl Activity {
    pub fn to_input(&self) -> ActivityInput {
        let number = |n: Option<u32>| n.map(|n| n.to_string()).unwrap_or_default();
        ActivityInput {
            id: self.id,
            uid: self.uid.clone(),
            date: date::iso(self.date),
            time: self.time.clone(),
            org_id: Some(self.org_id),
            type_ids: self.type_ids.clone(),
            theme_ids: self.theme_ids.clone(),
            topic: self.topic.clone(),
            content: self.content.clone(),
            host: self.host.clone(),
            lecturer: self.lecturer.clone(),
            place: self.place.clone(),
            recorder: self.recorder.clone(),
            guests: self.guests.clone(),
            minutes: self.minutes.clone(),
            outcome: self.outcome.clone(),
            speech_date: self.speech_date.map(date::iso).unwrap_or_default(),
            for_year: self.for_year.map(|y| y.to_string()).unwrap_or_default(),
            expected: number(self.expected),
            present: number(self.present),
            attendance: self.attendance.clone(),
            attachments: self.attachments.clone(),
        }
    }
}

impl ActivityInput {
    /// `types` are all activity types: 第一议题 records need the speech date, and records of a
    /// yearly type carry the year they are for.
    pub fn validate(
        &self,
        today: NaiveDate,
        types: &[ActivityType],
    ) -> Result<Activity, FieldErrors<ActivityField>> {
        use ActivityField as F;
        let first_topic_id = first_topic_id(types);
        let mut errors = FieldErrors::new();
        let date = if self.date.trim().is_empty() {
            errors.push(F::Date, "请填写活动日期");
            None
        } else {
            errors.past_date(F::Date, "", &self.date, today)
        };
        let time = self.time.trim().to_string();
        if !time.is_empty()
            && chrono::NaiveTime::parse_from_str(&time.replace('：', ":"), "%H:%M").is_err()
        {
            errors.push(F::Time, "时间请按 14:30 的格式填写，或留空");
        }
        if self.org_id.is_none() {
            errors.push(F::Org, "请选择组织");
        }
        if self.type_ids.is_empty() {
            errors.push(F::Types, "请至少选择一种活动类型");
        }
        let topic = self.topic.trim().to_string();
        if topic.is_empty() {
            errors.push(F::Topic, "请填写主题");
        }
        let speech_date = errors.past_date(F::SpeechDate, "", &self.speech_date, today);
        let is_first_topic = first_topic_id.is_some_and(|id| self.type_ids.contains(&id));
        if is_first_topic && self.speech_date.trim().is_empty() {
            errors.push(F::SpeechDate, "第一议题请填写所学讲话或指示的日期");
        }
        if let (Some(s), Some(d)) = (speech_date, date)
            && s > d
        {
            errors.push(F::SpeechDate, "讲话日期不能晚于学习日期");
        }
        let for_year = if is_yearly(types, &self.type_ids) {
            let text = self.for_year.trim();
            match (text.parse::<i32>(), date) {
                _ if text.is_empty() => date.map(proposed_for_year),
                (Ok(y), Some(d)) if y == d.year() || y == d.year() - 1 => Some(y),
                (Ok(_), Some(d)) => {
                    errors.push(
                        F::ForYear,
                        format!("所属年度应为{}年或{}年", d.year() - 1, d.year()),
                    );
                    None
                }
                (Ok(y), None) => Some(y),
                (Err(_), _) => {
                    errors.push(F::ForYear, "所属年度请填写四位年份，如 2022");
                    None
                }
            }
        } else {
            None
        };
        for (i, a) in self.attendance.iter().enumerate() {
            if a.presence == Presence::Leave && a.reason.trim().is_empty() {
                errors.push(F::Attendance(i), format!("请填写{}的请假事由", a.name));
            }
        }
        let (expected, present) = if self.attendance.is_empty() {
            let mut number = |field, text: &str| match text.trim() {
                "" => None,
                t => match t.parse::<u32>() {
                    Ok(n) => Some(n),
                    Err(_) => {
                        errors.push(field, "请填写整数人数");
                        None
                    }
                },
            };
            let expected = number(F::Expected, &self.expected);
            let present = number(F::Present, &self.present);
            if let (Some(e), Some(p)) = (expected, present)
                && p > e
            {
                errors.push(F::Present, "实到人数不能多于应到人数");
            }
            (expected, present)
        } else {
            let (e, p) = counts(&self.attendance);
            (Some(e), Some(p))
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut type_ids = self.type_ids.clone();
        type_ids.sort_unstable();
        type_ids.dedup();
        let mut theme_ids = self.theme_ids.clone();
        theme_ids.sort_unstable();
        theme_ids.dedup();
        Ok(Activity {
            id: self.id,
            uid: self.uid.clone(),
            date: date.unwrap_or(today),
            time: time.replace('：', ":"),
            org_id: self.org_id.unwrap_or_default(),
            type_ids,
            theme_ids,
            topic,
            content: self.content.trim().to_string(),
            host: self.host.trim().to_string(),
            lecturer: self.lecturer.trim().to_string(),
            place: self.place.trim().to_string(),
            recorder: self.recorder.trim().to_string(),
            guests: self.guests.trim().to_string(),
            minutes: self.minutes.trim().to_string(),
            outcome: self.outcome.trim().to_string(),
            speech_date: if is_first_topic { speech_date } else { None },
            for_year,
            expected,
            present,
            attendance: self
                .attendance
                .iter()
                .map(|a| Attendance {
                    reason: a.reason.trim().to_string(),
                    ..a.clone()
                })
                .collect(),
            attachments: self.attachments.clone(),
        })
    }
}

/// A period a frequency is counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Period {
    Month(i32, u32),
    Quarter(i32, u32),
    Year(i32),
}

impl Period {
    pub fn of(frequency: Frequency, d: NaiveDate) -> Option<Period> {
        match frequency {
            Frequency::Month => Some(Period::Month(d.year(), d.month())),
            Frequency::Quarter => Some(Period::Quarter(d.year(), (d.month() - 1) / 3 + 1)),
            Frequency::Year => Some(Period::Year(d.year())),
            Frequency::None => None,
        }
    }

    /// Every period of `year` at `frequency`, in order.
    pub fn all_in(frequency: Frequency, year: i32) -> Vec<Period> {
        match frequency {
            Frequency::Month => (1..=12).map(|m| Period::Month(year, m)).collect(),
            Frequency::Quarter => (1..=4).map(|q| Period::Quarter(year, q)).collect(),
            Frequency::Year => vec![Period::Year(year)],
            Frequency::None => Vec::new(),
        }
    }

    /// The last day of the period.
    pub fn end(self) -> NaiveDate {
        let first_of = |y: i32, m: u32| NaiveDate::from_ymd_opt(y, m, 1).unwrap_or_default();
        let (y, next_month) = match self {
            Period::Month(y, m) => (y, m + 1),
            Period::Quarter(y, q) => (y, q * 3 + 1),
            Period::Year(y) => (y, 13),
        };
        let next = if next_month > 12 {
            first_of(y + 1, 1)
        } else {
            first_of(y, next_month)
        };
        next.pred_opt().unwrap_or(next)
    }

    pub fn start(self) -> NaiveDate {
        let (y, m) = match self {
            Period::Month(y, m) => (y, m),
            Period::Quarter(y, q) => (y, q * 3 - 2),
            Period::Year(y) => (y, 1),
        };
        NaiveDate::from_ymd_opt(y, m, 1).unwrap_or_default()
    }

    /// The short label of a grid column: `3月`, `三季度`… and the key of tally.md: `2022-03`, `2022Q3`, `2022`.
    pub fn column_label(self) -> String {
        match self {
            Period::Month(_, m) => format!("{m}月"),
            Period::Quarter(_, q) => format!(
                "{}季度",
                ["一", "二", "三", "四"][(q as usize).clamp(1, 4) - 1]
            ),
            Period::Year(y) => format!("{y}年"),
        }
    }
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Period::Month(y, m) => write!(f, "{y}-{m:02}"),
            Period::Quarter(y, q) => write!(f, "{y}Q{q}"),
            Period::Year(y) => write!(f, "{y}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn periods_have_the_keys_of_the_tally() {
        assert_eq!(
            Period::of(Frequency::Quarter, d(2022, 8, 15))
                .unwrap()
                .to_string(),
            "2022Q3"
        );
        assert_eq!(
            Period::of(Frequency::Month, d(2022, 3, 1))
                .unwrap()
                .to_string(),
            "2022-03"
        );
        assert_eq!(Period::Year(2022).to_string(), "2022");
        assert_eq!(Period::Quarter(2022, 4).end(), d(2022, 12, 31));
        assert_eq!(Period::Month(2024, 2).end(), d(2024, 2, 29));
        assert_eq!(Period::Quarter(2022, 3).start(), d(2022, 7, 1));
        assert_eq!(Period::all_in(Frequency::Month, 2022).len(), 12);
    }

    #[test]
    fn the_form_needs_date_org_type_and_topic() {
        let e = ActivityInput::default()
            .validate(d(2026, 11, 22), &[])
            .unwrap_err();
        for f in [
            ActivityField::Date,
            ActivityField::Org,
            ActivityField::Types,
            ActivityField::Topic,
        ] {
            assert!(e.get(f).is_some(), "{f:?}");
        }
    }

    #[test]
    fn attendance_gives_expected_and_present_and_leave_needs_a_reason() {
        let mut input = ActivityInput {
            date: "2022-3-5".into(),
            org_id: Some(1),
            type_ids: vec![2, 1, 2],
            topic: "学习党的二十大精神".into(),
            attendance: vec![
                Attendance {
                    member_id: 1,
                    name: "王珺".into(),
                    presence: Presence::Present,
                    reason: String::new(),
                },
                Attendance {
                    member_id: 2,
                    name: "李堃".into(),
                    presence: Presence::Leave,
                    reason: String::new(),
                },
                Attendance {
                    member_id: 3,
                    name: "赵昇".into(),
                    presence: Presence::Absent,
                    reason: String::new(),
                },
            ],
            ..Default::default()
        };
        let e = input.validate(d(2026, 11, 22), &[]).unwrap_err();
        assert_eq!(
            e.get(ActivityField::Attendance(1)),
            Some("请填写李堃的请假事由")
        );
        input.attendance[1].reason = "出差".into();
        let a = input.validate(d(2026, 11, 22), &[]).unwrap();
        assert_eq!((a.expected, a.present), (Some(3), Some(1)));
        assert_eq!(a.type_ids, vec![1, 2]);
    }

    fn ty(id: i64, label: &str, frequency: Frequency) -> ActivityType {
        ActivityType {
            id: Some(id),
            uid: String::new(),
            group: "理论学习".into(),
            label: label.into(),
            frequency,
            expected_of: ExpectedOf::Branch,
            requires: Requires::Nothing,
            builtin: true,
            hidden: false,
        }
    }

    #[test]
    fn a_yearly_meeting_carries_the_year_it_is_for() {
        let types = [
            ty(6, "组织生活会", Frequency::Year),
            ty(5, "主题党日", Frequency::Month),
        ];
        let mut input = ActivityInput {
            date: "2023-2-10".into(),
            org_id: Some(1),
            type_ids: vec![6, 5],
            topic: "2022年度组织生活会".into(),
            ..Default::default()
        };
        // Held in January–March: proposed for the year before; saved with it.
        let a = input.validate(d(2026, 11, 22), &types).unwrap();
        assert_eq!(a.for_year, Some(2022));
        assert_eq!(
            counts_for(Frequency::Year, a.date, a.for_year),
            Some(Period::Year(2022))
        );
        // The month's 主题党日 still counts for February 2023.
        assert_eq!(
            counts_for(Frequency::Month, a.date, a.for_year),
            Some(Period::Month(2023, 2))
        );
        input.for_year = "2021".into();
        let e = input.validate(d(2026, 11, 22), &types).unwrap_err();
        assert_eq!(
            e.get(ActivityField::ForYear),
            Some("所属年度应为2022年或2023年")
        );
        // Not a yearly type: no 所属年度.
        input.type_ids = vec![5];
        assert_eq!(
            input.validate(d(2026, 11, 22), &types).unwrap().for_year,
            None
        );
        assert_eq!(proposed_for_year(d(2023, 4, 1)), 2023);
    }

    #[test]
    fn first_topic_needs_the_speech_date_and_is_flagged_when_late() {
        let types = [ty(9, FIRST_TOPIC, Frequency::None)];
        let mut input = ActivityInput {
            date: "2023-1-12".into(),
            org_id: Some(1),
            type_ids: vec![9],
            topic: "第一议题：学习重要讲话精神".into(),
            ..Default::default()
        };
        assert!(
            input
                .validate(d(2026, 11, 22), &types)
                .unwrap_err()
                .get(ActivityField::SpeechDate)
                .is_some()
        );
        input.speech_date = "2023-1-3".into();
        let a = input.validate(d(2026, 11, 22), &types).unwrap();
        assert_eq!(a.first_topic_delay(), Some(9));
        input.speech_date = "2023-1-5".into();
        assert_eq!(
            input
                .validate(d(2026, 11, 22), &types)
                .unwrap()
                .first_topic_delay(),
            None
        );
    }
}
