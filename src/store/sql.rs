//! Conversions between model enums and their stored Chinese labels.

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};

use crate::model::activity::{ExpectedOf, Frequency, Presence, Requires};
use crate::model::member::{Category, Gender, Status};
use crate::model::org::{CommitteeRole, OrgKind};
use crate::model::rectify::{EventKind, RectStatus, Source};
use crate::model::talk::TalkForm;

macro_rules! sql_label {
    ($($t:ty),+) => {$(
        impl ToSql for $t {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::from(self.label()))
            }
        }
        impl FromSql for $t {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                let s = value.as_str()?;
                <$t>::from_label(s).ok_or_else(|| FromSqlError::Other(format!("unknown label {s:?}").into()))
            }
        }
    )+};
}

sql_label!(
    Category,
    Gender,
    Status,
    CommitteeRole,
    OrgKind,
    Frequency,
    ExpectedOf,
    Requires,
    Presence,
    TalkForm,
    RectStatus,
    Source,
    EventKind
);

/// Empty text is stored as NULL (so the unique index on 公民身份号码 ignores blanks).
pub fn non_empty(s: &str) -> Option<&str> {
    let s = s.trim();
    (!s.is_empty()).then_some(s)
}

/// The SQL twin of `Member::on_rolls_at` (the one definition of 在册): a condition on the member
/// row aliased `m`, at the date bound to the parameter `at` (e.g. `"?2"`). Every query that lists,
/// rolls or counts members on the rolls takes its condition from here.
pub fn on_rolls(m: &str, at: &str) -> String {
    format!(
        "(({m}.probationary_on <= {at} OR ({m}.probationary_on IS NULL AND {m}.category IN ('预备党员', '正式党员'))) \
         AND ({m}.status = '在册' OR {m}.status_date > {at}))"
    )
}

/// The SQL twin of `Member::full_at`.
pub fn full_at(m: &str, at: &str) -> String {
    format!("({m}.full_on <= {at} OR ({m}.full_on IS NULL AND {m}.category = '正式党员'))")
}
