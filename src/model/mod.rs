//! Domain types and rules of 党务台账. No I/O and no egui here: everything is testable on its own.

pub mod activity;
pub mod collate;
pub mod date;
pub mod dues;
pub mod election;
pub mod field;
pub mod id_card;
pub mod label;
pub mod member;
pub mod member_event;
pub mod org;
pub mod pipeline;
pub mod rectify;
pub mod talk;
pub mod theme;
pub mod transfer;

use chrono::NaiveDate;

/// Splits a list of names typed in one field (workbook.md): 、 ， , ; ； and spaces separate.
pub fn split_names(s: &str) -> Vec<&str> {
    s.split(['、', '，', ',', ';', '；', ' ', '　'])
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .collect()
}

/// A person in a list of names in one cell ("参加人员"), with the last four digits of their
/// 公民身份号码 when another person of that name is in the same list: "刘桂英〔5601〕". The
/// brackets are not （）, which hold a reason: "刘桂英〔5601〕（出差）".
pub fn tagged_name(name: &str, number: &str, shared: bool) -> String {
    let tail: String = number
        .chars()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    if shared && !tail.is_empty() {
        format!("{name}〔{tail}〕")
    } else {
        name.to_string()
    }
}

/// An entry of such a list: the name, the tail of the number when given, and the reason in
/// brackets ("刘桂英〔5601〕（出差）" → 刘桂英, 5601, 出差).
pub fn parse_entry(entry: &str) -> (&str, Option<&str>, &str) {
    let (head, reason) = match entry.split_once(['（', '(']) {
        Some((n, r)) => (n.trim(), r.trim_end_matches(['）', ')']).trim()),
        None => (entry.trim(), ""),
    };
    match head.split_once('〔') {
        Some((name, tag)) => (name.trim(), Some(tag.trim_end_matches('〕').trim()), reason),
        None => (head, None, reason),
    }
}

/// Whether `name` can be an attachment's name as the app stores it: a plain file name inside the
/// attachments folder. Empty, `.` or `..`, a separator, a drive letter (`:`), or a control
/// character is refused: such a name would lead outside the folder.
pub fn plain_file_name(name: &str) -> Result<(), String> {
    let bad = name.trim().is_empty()
        || name == "."
        || name == ".."
        || name.contains(['/', '\\', ':'])
        || name.chars().any(char::is_control);
    if bad {
        Err(format!(
            "“{}”不是附件文件名（附件只能是附件文件夹中的文件，名称中不能有 / \\ : 或 ..）",
            name.escape_debug()
        ))
    } else {
        Ok(())
    }
}

/// Names one field of one record kind, so that a refusal from the store lands at the field it is
/// about (the store's error carries the key; the form never guesses).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKey {
    Member(member::MemberField),
    Org(org::OrgField),
    Activity(activity::ActivityField),
    Talk(talk::TalkField),
    Rect(rectify::RectField),
    Close(rectify::CloseField),
    Reason(rectify::ReasonField),
    Event(member_event::EventField),
    Transfer(transfer::TransferField),
    Dues(dues::DuesField),
    Committee(org::CommitteeField),
    Election(election::ElectionField),
    /// A row of a settings list (activity types, talk kinds), by its index as given to the store.
    Row(usize),
}

/// A form's field enum: which keys belong to it.
pub trait FormField: Copy + PartialEq {
    fn from_key(key: FieldKey) -> Option<Self>;
}

/// Wires a record kind's field enum to its `FieldKey` variant.
macro_rules! form_field {
    ($field:ty => $variant:ident) => {
        impl From<$field> for $crate::model::FieldKey {
            fn from(f: $field) -> Self {
                $crate::model::FieldKey::$variant(f)
            }
        }
        impl $crate::model::FormField for $field {
            fn from_key(key: $crate::model::FieldKey) -> Option<Self> {
                match key {
                    $crate::model::FieldKey::$variant(f) => Some(f),
                    _ => None,
                }
            }
        }
    };
}
pub(crate) use form_field;

/// A field-level error: which field of a form is wrong and a Chinese sentence saying why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError<F> {
    pub field: F,
    pub message: String,
}

/// All the field errors of one form, in form order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldErrors<F>(pub Vec<FieldError<F>>);

impl<F: PartialEq + Copy> FieldErrors<F> {
    pub fn new() -> Self {
        Self(Vec::new())
    }

    pub fn push(&mut self, field: F, message: impl Into<String>) {
        self.0.push(FieldError {
            field,
            message: message.into(),
        });
    }

    /// The first error of `field`, shown under that field.
    pub fn get(&self, field: F) -> Option<&str> {
        self.0
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }

    /// Parses an optional date typed into `field`, which may not lie after `today`; on a bad date
    /// records the error (prefixed with `what` where several values share one field) and gives `None`.
    pub fn past_date(
        &mut self,
        field: F,
        what: &str,
        text: &str,
        today: NaiveDate,
    ) -> Option<NaiveDate> {
        match date::parse_optional_date(text) {
            Ok(Some(d)) if d > today => {
                self.push(
                    field,
                    format!("{what}日期不能晚于今天（{}）", date::iso(today)),
                );
                None
            }
            Ok(d) => d,
            Err(e) => {
                let sep = if what.is_empty() { "" } else { "：" };
                self.push(field, format!("{what}{sep}{e}"));
                None
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// After the input changed and was checked again (`now`: its errors, none when it passed):
    /// keeps only the errors of fields that are still wrong. None is added: a field the user has
    /// not reached yet is not marked before 保存.
    pub fn keep_still_wrong<T>(&mut self, now: &Result<T, FieldErrors<F>>) {
        match now {
            Ok(_) => self.0.clear(),
            Err(now) => self.0.retain(|e| now.0.iter().any(|n| n.field == e.field)),
        }
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }
}

impl<F: PartialEq + Copy> Default for FieldErrors<F> {
    fn default() -> Self {
        Self::new()
    }
}

/// Implements `label()`, `from_label()` and `ALL` for an enum whose variants have fixed Chinese labels,
/// which is also how they are stored in SQLite and written in the workbook.
macro_rules! labelled_enum {
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $($variant:ident => $label:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// Every label, in order (a choice field's declaration, a message listing them).
            pub const LABELS: &'static [&'static str] = &[$($label),+];

            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            pub fn from_label(s: &str) -> Option<Self> {
                match s.trim() { $($label => Some($name::$variant),)+ _ => None }
            }
        }

        impl $crate::model::field::Labelled for $name {
            const LABELS: &'static [&'static str] = $name::LABELS;
            fn label(self) -> &'static str {
                $name::label(self)
            }
            fn from_label(s: &str) -> Option<Self> {
                $name::from_label(s)
            }
        }

        // Stored as the label, as in SQLite and the workbook.
        impl $crate::model::field::Stored for $name {
            fn to_value(&self) -> $crate::model::field::Value {
                $crate::model::field::Value::Text(self.label().to_string())
            }
            fn from_value(v: $crate::model::field::Value) -> Result<Self, String> {
                let text = v.to_text();
                $name::from_label(&text).ok_or_else(|| {
                    format!("应为{}之一，不是“{}”", $name::LABELS.join("、"), text.trim())
                })
            }
        }

        // Serialised as the label, so audit rows read 在册 / 转出 rather than variant names.
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.label())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                Self::from_label(&s).ok_or_else(|| serde::de::Error::custom(format!("未知的取值：{s}")))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.label())
            }
        }
    };
}
pub(crate) use labelled_enum;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shared_name_carries_its_number_and_reads_back() {
        assert_eq!(
            tagged_name("刘桂英", "110101199003075601", true),
            "刘桂英〔5601〕"
        );
        assert_eq!(tagged_name("刘桂英", "110101199003075601", false), "刘桂英");
        assert_eq!(
            parse_entry("刘桂英〔5601〕（出差）"),
            ("刘桂英", Some("5601"), "出差")
        );
        assert_eq!(parse_entry("张三(病假)"), ("张三", None, "病假"));
        assert_eq!(parse_entry("李四"), ("李四", None, ""));
    }
}
