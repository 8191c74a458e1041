//! 问题清单 / 整改台账: problems found, what is done about them, and 销号 one by one.
//! Nothing is deleted: an item entered in error is 作废 with a reason; a closed item reopens only
//! with a reason; every change of status is kept in its history.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::field::{self, Draft, Field, Kind, Record, Stored, Value};
use super::{FieldErrors, date, labelled_enum};

labelled_enum! {
    pub enum RectStatus { Open => "未整改", InProgress => "整改中", Closed => "已销号", Void => "已作废" }
}

labelled_enum! {
    pub enum Source {
        DemocraticLife => "民主生活会",
        OrgLife => "组织生活会",
        Inspection => "巡察",
        Supervision => "督查检查",
        Audit => "审计",
        Superior => "上级反馈",
        SelfCheck => "自查",
        Other => "其他",
    }
}

labelled_enum! {
    /// What an entry in an item's history records.
    pub enum EventKind {
        Created => "登记",
        Progress => "进展",
        Closed => "销号",
        Reopened => "重新打开",
        Voided => "作废",
    }
}

labelled_enum! {
    /// What can happen to an item after it is entered, each through its own dialog.
    pub enum Transition {
        Progress => "添加进展",
        Close => "销号",
        Reopen => "重新打开",
        Void => "作废",
    }
}

impl RectStatus {
    /// The one place that says which transitions an item in this status may take; the store refuses
    /// and the UI does not offer the others. A closed item is reopened (with a reason), not voided:
    /// its closing stays on record.
    pub fn allows(self, t: Transition) -> bool {
        use RectStatus as S;
        use Transition as T;
        matches!(
            (self, t),
            (S::Open | S::InProgress, T::Progress | T::Close | T::Void) | (S::Closed, T::Reopen)
        )
    }

    /// The status after `t` (assuming it is allowed).
    pub fn after(self, t: Transition) -> RectStatus {
        match t {
            Transition::Progress | Transition::Reopen => RectStatus::InProgress,
            Transition::Close => RectStatus::Closed,
            Transition::Void => RectStatus::Void,
        }
    }

    /// The transitions allowed from this status, in the order the buttons are shown.
    pub fn transitions(self) -> Vec<Transition> {
        Transition::ALL
            .iter()
            .copied()
            .filter(|t| self.allows(*t))
            .collect()
    }

    /// `Err` with the sentence the user sees when `t` is not allowed.
    pub fn check(self, t: Transition) -> Result<(), String> {
        if self.allows(t) {
            Ok(())
        } else {
            Err(format!("该问题{}，不能{}", self, t))
        }
    }
}

// The enums come from `labelled_enum!`, which cannot mark a `#[default]` variant.
#[allow(clippy::derivable_impls)]
impl Default for RectStatus {
    fn default() -> Self {
        RectStatus::Open
    }
}

#[allow(clippy::derivable_impls)]
impl Default for Source {
    fn default() -> Self {
        Source::SelfCheck
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rectification {
    pub id: Option<i64>,
    pub uid: String,
    pub source: Source,
    /// 所属组织: whose problem it is, for the tally of one organisation.
    pub org_id: Option<i64>,
    pub found_on: NaiveDate,
    pub description: String,
    pub category: String,
    /// 责任单位 and 责任人.
    pub unit: String,
    pub person: String,
    pub measures: String,
    /// 整改时限.
    pub deadline: Option<NaiveDate>,
    pub status: RectStatus,
    /// Set by 销号: the completion date, the evidence of the result, an optional file, the verifier.
    pub closed_on: Option<NaiveDate>,
    pub evidence: String,
    pub evidence_file: String,
    pub verifier: String,
}

/// One line of an item's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RectEvent {
    pub date: NaiveDate,
    pub kind: EventKind,
    pub text: String,
}

impl Rectification {
    /// Past its deadline on `at` and neither closed (by then) nor void.
    pub fn is_overdue(&self, at: NaiveDate) -> bool {
        let closed_by_then =
            self.status == RectStatus::Closed && self.closed_on.is_some_and(|c| c <= at);
        self.status != RectStatus::Void && !closed_by_then && self.deadline.is_some_and(|d| d < at)
    }

    /// Whether `date` may be the date of `t` on this item: not before it was found, and a reopening
    /// not before its closing. Asked by the dialogs and by the store.
    pub fn check_event_date(&self, t: Transition, date: NaiveDate) -> Result<(), String> {
        if date < self.found_on {
            return Err(format!(
                "{}日期不能早于发现日期（{}）",
                t,
                date::iso(self.found_on)
            ));
        }
        if t == Transition::Reopen
            && let Some(closed) = self.closed_on
            && date < closed
        {
            return Err(format!(
                "重新打开日期不能早于销号日期（{}）",
                date::iso(closed)
            ));
        }
        Ok(())
    }

    pub fn to_input(&self) -> RectInput {
        RectInput {
            id: self.id,
            uid: self.uid.clone(),
            source: Some(self.source),
            org_id: self.org_id,
            found_on: date::iso(self.found_on),
            description: self.description.clone(),
            category: self.category.clone(),
            unit: self.unit.clone(),
            person: self.person.clone(),
            measures: self.measures.clone(),
            deadline: self.deadline.map(date::iso).unwrap_or_default(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RectField {
    Source,
    Org,
    FoundOn,
    Description,
    Category,
    Unit,
    Person,
    Measures,
    Deadline,
    Status,
    ClosedOn,
    Evidence,
    EvidenceFile,
    Verifier,
}

super::form_field!(RectField => Rect);

/// The fields of a rectification item, declared once (`model::field`).
pub const FIELDS: &[Field<RectField>] = {
    use RectField as F;
    &[
        Field::new(
            F::Source,
            "source",
            "问题来源",
            Kind::Choice(Source::LABELS),
        )
        .required()
        .note("民主生活会 / 组织生活会 / 巡察 / 督查检查 / 审计 / 上级反馈 / 自查 / 其他"),
        Field::new(F::Org, "org_id", "所属组织", Kind::Org).note("空白为最上级组织"),
        Field::new(F::FoundOn, "found_on", "发现日期", Kind::Date).required(),
        Field::new(F::Description, "description", "问题描述", Kind::Text).required(),
        Field::new(F::Category, "category", "问题类别", Kind::Text),
        Field::new(F::Unit, "unit", "责任单位", Kind::Text),
        Field::new(F::Person, "person", "责任人", Kind::Text),
        Field::new(F::Measures, "measures", "整改措施", Kind::Text),
        Field::new(F::Deadline, "deadline", "整改时限", Kind::Date),
        Field::new(
            F::Status,
            "status",
            "状态",
            Kind::Choice(RectStatus::LABELS),
        )
        .note("未整改 / 整改中 / 已销号 / 已作废，空白为未整改"),
        Field::new(F::ClosedOn, "closed_on", "完成日期", Kind::Date).note("状态为已销号时必填"),
        Field::new(F::Evidence, "evidence", "整改成效", Kind::Text),
        Field::new(F::EvidenceFile, "evidence_file", "佐证附件", Kind::Text)
            .note("附件的文件名（在数据文件旁的 attachments 文件夹中）"),
        Field::new(F::Verifier, "verifier", "验收人", Kind::Text),
    ]
};

impl RectField {
    /// The one Chinese label of the field.
    pub fn label(self) -> &'static str {
        field::find(FIELDS, self).label
    }
}

impl Record for Rectification {
    type Field = RectField;

    fn fields() -> &'static [Field<RectField>] {
        FIELDS
    }

    fn get(&self, f: RectField) -> Value {
        use RectField as F;
        match f {
            F::Source => self.source.to_value(),
            F::Org => self.org_id.to_value(),
            F::FoundOn => self.found_on.to_value(),
            F::Description => self.description.to_value(),
            F::Category => self.category.to_value(),
            F::Unit => self.unit.to_value(),
            F::Person => self.person.to_value(),
            F::Measures => self.measures.to_value(),
            F::Deadline => self.deadline.to_value(),
            F::Status => self.status.to_value(),
            F::ClosedOn => self.closed_on.to_value(),
            F::Evidence => self.evidence.to_value(),
            F::EvidenceFile => self.evidence_file.to_value(),
            F::Verifier => self.verifier.to_value(),
        }
    }

    fn set(&mut self, f: RectField, v: Value) -> Result<(), String> {
        use RectField as F;
        match f {
            F::Source => v.put(&mut self.source),
            F::Org => v.put(&mut self.org_id),
            F::FoundOn => v.put(&mut self.found_on),
            F::Description => v.put(&mut self.description),
            F::Category => v.put(&mut self.category),
            F::Unit => v.put(&mut self.unit),
            F::Person => v.put(&mut self.person),
            F::Measures => v.put(&mut self.measures),
            F::Deadline => v.put(&mut self.deadline),
            F::Status => v.put(&mut self.status),
            F::ClosedOn => v.put(&mut self.closed_on),
            F::Evidence => v.put(&mut self.evidence),
            F::EvidenceFile => v.put(&mut self.evidence_file),
            F::Verifier => v.put(&mut self.verifier),
        }
    }

    fn identity(&self) -> (Option<i64>, &str) {
        (self.id, &self.uid)
    }

    fn set_identity(&mut self, id: Option<i64>, uid: String) {
        (self.id, self.uid) = (id, uid);
    }
}

/// The form edits what the problem is; its status and closing change only through the 销号 /
/// 重新打开 / 作废 dialogs (an import sets those through [`CloseInput`] and the item's history).
impl Draft for RectInput {
    type Field = RectField;

    fn set(&mut self, f: RectField, v: Value) -> Result<(), String> {
        use RectField as F;
        match f {
            F::Source => v.put(&mut self.source),
            F::Org => v.put(&mut self.org_id),
            F::FoundOn => v.put(&mut self.found_on),
            F::Description => v.put(&mut self.description),
            F::Category => v.put(&mut self.category),
            F::Unit => v.put(&mut self.unit),
            F::Person => v.put(&mut self.person),
            F::Measures => v.put(&mut self.measures),
            F::Deadline => v.put(&mut self.deadline),
            F::Status | F::ClosedOn | F::Evidence | F::EvidenceFile | F::Verifier => {
                Err(format!("“{}”由销号、重新打开、作废登记", f.label()))
            }
        }
    }
}

/// The problem as typed (status is changed only by the 销号 / 重新打开 / 作废 dialogs).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RectInput {
    pub id: Option<i64>,
    pub uid: String,
    pub source: Option<Source>,
    pub org_id: Option<i64>,
    pub found_on: String,
    pub description: String,
    pub category: String,
    pub unit: String,
    pub person: String,
    pub measures: String,
    pub deadline: String,
}

impl RectInput {
    /// `current` is the stored item when editing, whose status and closing stay as they are.
    pub fn validate(
        &self,
        today: NaiveDate,
        current: Option<&Rectification>,
    ) -> Result<Rectification, FieldErrors<RectField>> {
        use RectField as F;
        let mut errors = FieldErrors::new();
        if self.source.is_none() {
            errors.push(F::Source, "请选择问题来源");
        }
        let found_on = if self.found_on.trim().is_empty() {
            errors.push(F::FoundOn, "请填写发现日期");
            None
        } else {
            errors.past_date(F::FoundOn, "", &self.found_on, today)
        };
        let description = self.description.trim().to_string();
        if description.is_empty() {
            errors.push(F::Description, "请填写问题描述");
        }
        // A deadline may lie in the future.
        let deadline = match date::parse_optional_date(&self.deadline) {
            Ok(d) => d,
            Err(e) => {
                errors.push(F::Deadline, e.to_string());
                None
            }
        };
        if let (Some(f), Some(d)) = (found_on, deadline)
            && d < f
        {
            errors.push(F::Deadline, "整改时限不能早于发现日期");
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut item = current.cloned().unwrap_or(Rectification {
            id: None,
            uid: String::new(),
            source: Source::SelfCheck,
            org_id: None,
            found_on: today,
            description: String::new(),
            category: String::new(),
            unit: String::new(),
            person: String::new(),
            measures: String::new(),
            deadline: None,
            status: RectStatus::Open,
            closed_on: None,
            evidence: String::new(),
            evidence_file: String::new(),
            verifier: String::new(),
        });
        item.id = self.id;
        item.source = self.source.unwrap_or(Source::SelfCheck);
        item.org_id = self.org_id;
        item.found_on = found_on.unwrap_or(today);
        item.description = description;
        item.category = self.category.trim().to_string();
        item.unit = self.unit.trim().to_string();
        item.person = self.person.trim().to_string();
        item.measures = self.measures.trim().to_string();
        item.deadline = deadline;
        Ok(item)
    }
}

impl EventKind {
    /// The transition an entry of this kind records (none for 登记, which starts the history).
    pub fn transition(self) -> Option<Transition> {
        match self {
            EventKind::Created => None,
            EventKind::Progress => Some(Transition::Progress),
            EventKind::Closed => Some(Transition::Close),
            EventKind::Reopened => Some(Transition::Reopen),
            EventKind::Voided => Some(Transition::Void),
        }
    }
}

/// Replays an item's history (an imported 整改过程) by the rules of the ledger: it starts with
/// 登记, each later entry is a transition its status then allows, dated in order from the day the
/// problem was found to `today`. Gives the status it ends in and, when closed, the closing date.
pub fn replay(
    found_on: NaiveDate,
    history: &[RectEvent],
    today: NaiveDate,
) -> Result<(RectStatus, Option<NaiveDate>), String> {
    let mut status: Option<RectStatus> = None;
    let mut closed = None;
    let mut last = found_on;
    for e in history {
        let when = date::iso(e.date);
        if e.date > today {
            return Err(format!("{when}晚于今天"));
        }
        if e.date < last {
            return Err(format!(
                "{when}早于发现日期或前一条的日期（{}），请按先后顺序填写",
                date::iso(last)
            ));
        }
        last = e.date;
        match (status, e.kind.transition()) {
            (None, None) => status = Some(RectStatus::Open),
            (Some(_), None) => return Err("“登记”只能是第一条".into()),
            (None, Some(_)) => return Err("整改过程的第一条应为“登记”".into()),
            (Some(s), Some(t)) => {
                s.check(t).map_err(|m| format!("{when}{t}：{m}"))?;
                status = Some(s.after(t));
                match t {
                    Transition::Close => closed = Some(e.date),
                    Transition::Reopen => closed = None,
                    _ => {}
                }
            }
        }
    }
    status
        .map(|s| (s, closed))
        .ok_or_else(|| "整改过程为空".to_string())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CloseField {
    Date,
    Evidence,
    Verifier,
}

super::form_field!(CloseField => Close);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReasonField {
    Date,
    Reason,
}

super::form_field!(ReasonField => Reason);

/// The 重新打开 / 作废 dialog as typed: a date and the reason, both required.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReasonInput {
    pub date: String,
    pub reason: String,
}

impl ReasonInput {
    /// Checks the dialog for `t` on `item`: the date neither in the future nor before the item was
    /// found (nor, for 重新打开, before it was closed), and a reason.
    pub fn validate(
        &self,
        t: Transition,
        item: &Rectification,
        today: NaiveDate,
    ) -> Result<(NaiveDate, String), FieldErrors<ReasonField>> {
        use ReasonField as F;
        let mut errors = FieldErrors::new();
        if let Err(e) = item.status.check(t) {
            errors.push(F::Date, e);
            return Err(errors);
        }
        let date = if self.date.trim().is_empty() {
            errors.push(F::Date, "请填写日期");
            None
        } else {
            errors.past_date(F::Date, "", &self.date, today)
        };
        if let Some(d) = date
            && let Err(e) = item.check_event_date(t, d)
        {
            errors.push(F::Date, e);
        }
        let reason = self.reason.trim().to_string();
        if reason.is_empty() {
            errors.push(F::Reason, format!("请填写{}的原因", t));
        }
        match (date, errors.is_empty()) {
            (Some(d), true) => Ok((d, reason)),
            _ => Err(errors),
        }
    }
}

/// The 销号 dialog as typed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CloseInput {
    pub date: String,
    pub evidence: String,
    pub evidence_file: String,
    pub verifier: String,
}

/// What 销号 records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closing {
    pub date: NaiveDate,
    pub evidence: String,
    pub evidence_file: String,
    pub verifier: String,
}

impl CloseInput {
    pub fn validate(
        &self,
        found_on: NaiveDate,
        today: NaiveDate,
    ) -> Result<Closing, FieldErrors<CloseField>> {
        use CloseField as F;
        let mut errors = FieldErrors::new();
        let date = if self.date.trim().is_empty() {
            errors.push(F::Date, "请填写整改完成日期");
            None
        } else {
            errors.past_date(F::Date, "", &self.date, today)
        };
        if let Some(d) = date
            && d < found_on
        {
            errors.push(
                F::Date,
                format!("完成日期不能早于发现日期（{}）", date::iso(found_on)),
            );
        }
        if self.evidence.trim().is_empty() {
            errors.push(F::Evidence, "请填写整改成效或佐证材料，销号须有据可查");
        }
        if self.verifier.trim().is_empty() {
            errors.push(F::Verifier, "请填写验收人");
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Closing {
            date: date.unwrap_or(today),
            evidence: self.evidence.trim().to_string(),
            evidence_file: self.evidence_file.trim().to_string(),
            verifier: self.verifier.trim().to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn item() -> Rectification {
        RectInput {
            source: Some(Source::DemocraticLife),
            found_on: "2026-01-10".into(),
            description: "理论学习不够深入".into(),
            deadline: "2026-06-30".into(),
            ..Default::default()
        }
        .validate(d(2026, 11, 22), None)
        .unwrap()
    }

    #[test]
    fn overdue_is_past_the_deadline_and_not_closed_by_then() {
        let mut i = item();
        assert!(!i.is_overdue(d(2026, 6, 30)));
        assert!(i.is_overdue(d(2026, 7, 1)));
        i.status = RectStatus::Closed;
        i.closed_on = Some(d(2026, 8, 1));
        assert!(
            i.is_overdue(d(2026, 7, 15)),
            "closed later: overdue on 7-15"
        );
        assert!(!i.is_overdue(d(2026, 8, 1)));
        i.status = RectStatus::Void;
        assert!(!i.is_overdue(d(2026, 9, 1)));
        i.deadline = None;
        i.status = RectStatus::Open;
        assert!(!i.is_overdue(d(2030, 1, 1)));
    }

    #[test]
    fn each_status_allows_exactly_its_transitions() {
        use RectStatus as S;
        use Transition as T;
        let allowed = |s: S| s.transitions();
        assert_eq!(allowed(S::Open), vec![T::Progress, T::Close, T::Void]);
        assert_eq!(allowed(S::InProgress), vec![T::Progress, T::Close, T::Void]);
        assert_eq!(allowed(S::Closed), vec![T::Reopen]);
        assert_eq!(allowed(S::Void), vec![]);
        // Refused, each with a sentence naming the status and the transition.
        assert_eq!(
            S::Closed.check(T::Void).unwrap_err(),
            "该问题已销号，不能作废"
        );
        assert_eq!(
            S::Closed.check(T::Close).unwrap_err(),
            "该问题已销号，不能销号"
        );
        assert_eq!(
            S::Open.check(T::Reopen).unwrap_err(),
            "该问题未整改，不能重新打开"
        );
        assert_eq!(
            S::Void.check(T::Progress).unwrap_err(),
            "该问题已作废，不能添加进展"
        );
        assert_eq!(S::Open.after(T::Progress), S::InProgress);
        assert_eq!(S::InProgress.after(T::Close), S::Closed);
        assert_eq!(S::Closed.after(T::Reopen), S::InProgress);
        assert_eq!(S::Open.after(T::Void), S::Void);
    }

    #[test]
    fn reopen_and_void_dates_are_checked() {
        let today = d(2026, 11, 22);
        let mut i = item();
        let input = |date: &str, reason: &str| ReasonInput {
            date: date.into(),
            reason: reason.into(),
        };
        // Before the item was found, or in the future: refused at the date.
        let e = input("2026-01-09", "登记错误")
            .validate(Transition::Void, &i, today)
            .unwrap_err();
        assert!(
            e.get(ReasonField::Date)
                .unwrap()
                .contains("不能早于发现日期")
        );
        let e = input("2026-11-23", "登记错误")
            .validate(Transition::Void, &i, today)
            .unwrap_err();
        assert!(e.get(ReasonField::Date).unwrap().contains("不能晚于今天"));
        let e = input("2026-02-01", " ")
            .validate(Transition::Void, &i, today)
            .unwrap_err();
        assert_eq!(e.get(ReasonField::Reason), Some("请填写作废的原因"));
        assert_eq!(
            input("2026-02-01", "重复登记").validate(Transition::Void, &i, today),
            Ok((d(2026, 2, 1), "重复登记".to_string()))
        );
        // A closed item is reopened no earlier than its closing, and cannot be voided.
        i.status = RectStatus::Closed;
        i.closed_on = Some(d(2026, 5, 1));
        let e = input("2026-04-30", "复查发现反弹")
            .validate(Transition::Reopen, &i, today)
            .unwrap_err();
        assert!(
            e.get(ReasonField::Date)
                .unwrap()
                .contains("不能早于销号日期")
        );
        assert!(
            input("2026-05-01", "复查发现反弹")
                .validate(Transition::Reopen, &i, today)
                .is_ok()
        );
        let e = input("2026-05-02", "x")
            .validate(Transition::Void, &i, today)
            .unwrap_err();
        assert_eq!(e.get(ReasonField::Date), Some("该问题已销号，不能作废"));
    }

    #[test]
    fn closing_needs_date_evidence_and_verifier() {
        let e = CloseInput::default()
            .validate(d(2026, 1, 10), d(2026, 11, 22))
            .unwrap_err();
        assert_eq!(e.len(), 3);
        let e = CloseInput {
            date: "2026-1-5".into(),
            evidence: "已整改".into(),
            verifier: "王珺".into(),
            ..Default::default()
        }
        .validate(d(2026, 1, 10), d(2026, 11, 22))
        .unwrap_err();
        assert!(
            e.get(CloseField::Date)
                .unwrap()
                .contains("不能早于发现日期")
        );
    }
}
