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
