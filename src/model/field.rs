//! Each record kind's fields, declared once.
//!
//! A declaration ([`Field`]) says of one field of a record: the SQLite column that keeps it, its one
//! Chinese label (the form's, the "此记录已被修改" message's, the sheet header's, the printout's),
//! the other headers staff write for it in their own sheets, what it holds (how a cell is read and
//! written), and the note the import template puts on its header. Everything else is built from
//! it: the store's SELECT, INSERT and UPDATE, and the reading of each row column by column; the
//! per-record guard's message; the workbook's columns.
//!
//! A record kind implements [`Record`] (its value of a field as stored, and setting it back) and
//! its form input implements [`Draft`] (setting a field as typed, which is how an imported cell
//! becomes the same input the form builds). Adding a text field to 谈话 is: the migration, the
//! field in `model/talk.rs` (struct, input, declaration, the match arms), the form row, and the
//! sheet column.

use chrono::NaiveDate;

use super::date;

/// What a field holds: how a sheet's cell is read and written, and how the store converts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Free text.
    Text,
    /// Names separated by 、 ， , ; ；.
    Names,
    /// A date.
    Date,
    /// A month (党费): 2022-03 or 2022年3月.
    Month,
    /// A whole number.
    Int,
    /// Money, kept in fen and written in 元 with two decimals.
    Money,
    /// 是 / 否 (stored 1 / 0).
    Bool,
    /// One of fixed labels (a `labelled_enum!`), stored as the label.
    Choice(&'static [&'static str]),
    /// An organisation: its name in a sheet, its id in the store.
    Org,
    /// A label of a list the user keeps (activity types, talk kinds): the label in a sheet, the
    /// id in the store.
    Label,
}

/// One field of a record kind, declared once. `K` is the kind's field enum (`TalkField` …).
#[derive(Debug, Clone, Copy)]
pub struct Field<K> {
    pub key: K,
    /// The column of the kind's table; empty when the field is kept in another table (the
    /// attendance of a meeting, the people talked to) and the store writes it itself.
    pub column: &'static str,
    /// The one Chinese label.
    pub label: &'static str,
    /// Other headers staff write for it (身份证号 for 公民身份号码).
    pub synonyms: &'static [&'static str],
    pub kind: Kind,
    /// The form and the sheet cannot do without it.
    pub required: bool,
    /// What to write in it, as the import template notes on the header.
    pub note: &'static str,
}

impl<K> Field<K> {
    /// A field kept in its own column.
    pub const fn new(key: K, column: &'static str, label: &'static str, kind: Kind) -> Self {
        Field {
            key,
            column,
            label,
            synonyms: &[],
            kind,
            required: false,
            note: "",
        }
    }

    /// A field kept in another table (no column of its own).
    pub const fn elsewhere(key: K, label: &'static str, kind: Kind) -> Self {
        Field::new(key, "", label, kind)
    }

    pub const fn required(mut self) -> Self {
        self.required = true;
        self
    }

    pub const fn synonyms(mut self, synonyms: &'static [&'static str]) -> Self {
        self.synonyms = synonyms;
        self
    }

    pub const fn note(mut self, note: &'static str) -> Self {
        self.note = note;
        self
    }

    /// Whether the field has a column of its own in the kind's table.
    pub fn is_column(&self) -> bool {
        !self.column.is_empty()
    }
}

/// The declaration of `key` in `fields`. Every key of a kind is declared (a unit test of each
/// kind checks it), so a missing one is a programming error.
pub fn find<K: Copy + PartialEq + std::fmt::Debug>(fields: &[Field<K>], key: K) -> &Field<K> {
    fields
        .iter()
        .find(|f| f.key == key)
        .unwrap_or_else(|| panic!("field {key:?} is not declared"))
}

/// A field's value as the store keeps it: a label for a choice, an id for an organisation, fen
/// for money, 1/0 for a yes/no. Text is never `Null` (columns of text are `NOT NULL DEFAULT ''`)
/// except where an empty value must not count as a value (a blank 公民身份号码).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Null,
    Text(String),
    Int(i64),
    Date(NaiveDate),
}

impl Value {
    /// The value as a person reads it (a date as 2022-03-05), empty for `Null`.
    pub fn to_text(&self) -> String {
        match self {
            Value::Null => String::new(),
            Value::Text(s) => s.clone(),
            Value::Int(n) => n.to_string(),
            Value::Date(d) => date::iso(*d),
        }
    }

    pub fn is_blank(&self) -> bool {
        match self {
            Value::Null => true,
            Value::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }

    /// Puts the value into `slot`, converting it to the slot's type.
    pub fn put<T: Stored>(self, slot: &mut T) -> Result<(), String> {
        *slot = T::from_value(self)?;
        Ok(())
    }
}

/// A Rust type a field can have, and its stored [`Value`].
pub trait Stored: Sized {
    fn to_value(&self) -> Value;
    fn from_value(v: Value) -> Result<Self, String>;
}

/// Text as stored and as typed: a date or a number becomes its text, so that a form's input (which
/// keeps what was typed) takes any value and its own check says what is wrong with it.
impl Stored for String {
    fn to_value(&self) -> Value {
        Value::Text(self.clone())
    }
    fn from_value(v: Value) -> Result<Self, String> {
        Ok(match v {
            Value::Text(s) => s,
            other => other.to_text(),
        })
    }
}

impl Stored for NaiveDate {
    fn to_value(&self) -> Value {
        Value::Date(*self)
    }
    fn from_value(v: Value) -> Result<Self, String> {
        match v {
            Value::Date(d) => Ok(d),
            Value::Text(s) => date::parse_date(&s).map_err(|e| e.to_string()),
            other => Err(format!("应为日期：{}", other.to_text())),
        }
    }
}

impl Stored for i64 {
    fn to_value(&self) -> Value {
        Value::Int(*self)
    }
    fn from_value(v: Value) -> Result<Self, String> {
        match v {
            Value::Int(n) => Ok(n),
            Value::Text(s) => s.trim().parse().map_err(|_| format!("应为整数：{s}")),
            other => Err(format!("应为整数：{}", other.to_text())),
        }
    }
}

impl Stored for i32 {
    fn to_value(&self) -> Value {
        Value::Int(i64::from(*self))
    }
    fn from_value(v: Value) -> Result<Self, String> {
        let n = i64::from_value(v)?;
        i32::try_from(n).map_err(|_| format!("数值过大：{n}"))
    }
}

impl Stored for u32 {
    fn to_value(&self) -> Value {
        Value::Int(i64::from(*self))
    }
    fn from_value(v: Value) -> Result<Self, String> {
        let n = i64::from_value(v)?;
        u32::try_from(n).map_err(|_| format!("应为非负整数：{n}"))
    }
}

impl Stored for bool {
    fn to_value(&self) -> Value {
        Value::Int(i64::from(*self))
    }
    fn from_value(v: Value) -> Result<Self, String> {
        match v {
            Value::Int(n) => Ok(n != 0),
            Value::Null => Ok(false),
            Value::Text(s) => match s.trim() {
                "是" | "有" | "√" | "✓" | "1" | "Y" | "y" | "TRUE" | "true" => Ok(true),
                "否" | "无" | "×" | "0" | "N" | "n" | "FALSE" | "false" | "" => Ok(false),
                t => Err(format!("应为“是”或“否”，不是“{t}”")),
            },
            Value::Date(_) => Err("应为“是”或“否”".into()),
        }
    }
}

/// An optional value: `Null` (or blank text) is `None`.
impl<T: Stored> Stored for Option<T> {
    fn to_value(&self) -> Value {
        match self {
            Some(v) => v.to_value(),
            None => Value::Null,
        }
    }
    fn from_value(v: Value) -> Result<Self, String> {
        if v.is_blank() {
            Ok(None)
        } else {
            T::from_value(v).map(Some)
        }
    }
}

/// An enum with fixed Chinese labels (`labelled_enum!`), stored as its label.
pub trait Labelled: Sized + Copy + 'static {
    const LABELS: &'static [&'static str];
    fn label(self) -> &'static str;
    fn from_label(s: &str) -> Option<Self>;
}

/// A record kind whose fields are declared.
pub trait Record {
    type Field: Copy + PartialEq + std::fmt::Debug + 'static;

    /// The declaration of every field, in the order forms and sheets show them.
    fn fields() -> &'static [Field<Self::Field>];

    /// The field's value as stored.
    fn get(&self, f: Self::Field) -> Value;

    /// Sets the field from its stored value (the store reading a row). A field kept in another
    /// table is set by the store's own code and refused here.
    fn set(&mut self, f: Self::Field, v: Value) -> Result<(), String>;

    /// The row's id (none before it is saved) and its stable uid.
    fn identity(&self) -> (Option<i64>, &str);

    fn set_identity(&mut self, id: Option<i64>, uid: String);

    /// The declaration of one field.
    fn field(f: Self::Field) -> &'static Field<Self::Field> {
        find(Self::fields(), f)
    }
}

/// A form's input: what the user typed, kept as typed. An imported cell is set here, field by
/// field, and checked by the same `validate` the form calls.
pub trait Draft {
    type Field: Copy + PartialEq + std::fmt::Debug + 'static;

    /// Sets a field as typed (text for text, dates and numbers; the id of an organisation; the
    /// label of a choice, refused when it is not one of the choices).
    fn set(&mut self, f: Self::Field, v: Value) -> Result<(), String>;
}

/// The answer for a field that the store keeps in another table.
pub fn kept_elsewhere(label: &str) -> Result<(), String> {
    Err(format!("“{label}”不在本表中保存"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_convert_as_a_form_and_the_store_expect() {
        let mut text = String::new();
        Value::Date(NaiveDate::from_ymd_opt(2022, 3, 5).unwrap())
            .put(&mut text)
            .unwrap();
        assert_eq!(text, "2022-03-05");
        let mut d: Option<NaiveDate> = None;
        Value::Text("2022年3月5日".into()).put(&mut d).unwrap();
        assert_eq!(d, NaiveDate::from_ymd_opt(2022, 3, 5));
        Value::Text(" ".into()).put(&mut d).unwrap();
        assert_eq!(d, None);
        let mut yes = false;
        Value::Text("是".into()).put(&mut yes).unwrap();
        assert!(yes);
        assert!(Value::Text("也许".into()).put(&mut yes).is_err());
        let mut n: Option<u32> = None;
        assert!(Value::Int(-1).put(&mut n).is_err());
    }
}
