//! One row of a sheet being read: its cells by column, each as the value a form's input takes,
//! and the problems and hints found in it.

use std::collections::HashMap;

use chrono::Datelike;

use super::Problem;
use super::who::Who;
use crate::model::field::{self, Draft, Kind};
use crate::model::{FieldErrors, FieldKey, FormField};
use crate::store::StoreError;
use crate::workbook::{Col, Sheet, Value};

pub(super) struct Row<'a> {
    pub sheet: &'static Sheet,
    /// The sheet's name in the workbook, as problems name it.
    label: &'a str,
    /// Values of columns the sheet does not have but its reading gives (the organisation named in
    /// its title).
    fixed: &'a [(&'static str, Value)],
    map: &'a HashMap<&'static str, usize>,
    /// The header row as the sheet has it: a problem names the column as the user wrote it.
    headers: &'a [Value],
    cells: &'a [Value],
    /// Excel's row number.
    pub number: usize,
    pub errors: Vec<Problem>,
    pub warnings: Vec<Problem>,
}

impl<'a> Row<'a> {
    pub fn new(
        (sheet, label): (&'static Sheet, &'a str),
        map: &'a HashMap<&'static str, usize>,
        fixed: &'a [(&'static str, Value)],
        headers: &'a [Value],
        cells: &'a [Value],
        number: usize,
    ) -> Self {
        Row {
            sheet,
            label,
            fixed,
            map,
            headers,
            cells,
            number,
            errors: Vec::new(),
            warnings: Vec::new(),
        }
    }

    /// Whether the sheet has the column `header`.
    pub fn has(&self, header: &str) -> bool {
        self.map.contains_key(header) || self.fixed.iter().any(|(h, _)| *h == header)
    }

    pub fn raw(&self, header: &str) -> &'a Value {
        if let Some((_, v)) = self.fixed.iter().find(|(h, _)| *h == header) {
            return v;
        }
        self.map
            .get(header)
            .and_then(|&i| self.cells.get(i))
            .unwrap_or(&Value::Empty)
    }

    pub fn text(&self, header: &str) -> String {
        self.raw(header).text()
    }

    fn problem(&self, header: &str, message: impl Into<String>) -> Problem {
        let written = self
            .map
            .get(header)
            .and_then(|&i| self.headers.get(i))
            .map(|h| h.text().trim_end_matches(['*', '＊']).trim().to_string());
        Problem {
            sheet: self.label.into(),
            row: self.number,
            column: written.unwrap_or_else(|| header.into()),
            value: self.text(header),
            message: message.into(),
        }
    }

    pub fn error(&mut self, header: &str, message: impl Into<String>) {
        let p = self.problem(header, message);
        self.errors.push(p);
    }

    pub fn warn(&mut self, header: &str, message: impl Into<String>) {
        let p = self.problem(header, message);
        self.warnings.push(p);
    }

    pub fn is_clean(&self) -> bool {
        self.errors.is_empty()
    }

    /// A required column's text, or an error at it.
    pub fn required(&mut self, header: &str) -> Option<String> {
        let t = self.text(header);
        if t.is_empty() {
            self.error(header, "必填，不能为空");
            None
        } else {
            Some(t)
        }
    }

    /// The column that shows `field`, when the sheet has it.
    pub fn col_of(&self, field: impl Into<FieldKey>) -> Option<&'static Col> {
        self.sheet.col_of(field).filter(|c| self.has(c.header))
    }

    /// The store refused this row's record (a duplicate name, a chain of transfers that does not
    /// meet): listed at the column of the field it names. Anything else stops the import.
    pub fn refused(&mut self, e: StoreError) -> Result<(), StoreError> {
        match &e {
            StoreError::Refused { field, .. } => {
                let header = field
                    .and_then(|f| self.sheet.col_of(f))
                    .map_or("", |c| c.header);
                self.error(header, e.to_string());
                Ok(())
            }
            StoreError::NotFound => {
                self.error("", e.to_string());
                Ok(())
            }
            StoreError::Sqlite(s)
                if s.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation) =>
            {
                self.error("", format!("数据文件拒绝了这一行（{s}）"));
                Ok(())
            }
            _ => Err(e),
        }
    }

    /// The cell of `col` as the value a form's input takes: text as typed (the input's own check
    /// says what is wrong with it), a date cell as a date, a whole number as a number, an
    /// organisation's name as its id. `None` when the cell cannot be such a value (the problem is
    /// recorded).
    pub fn input_value(&mut self, col: &Col, who: &Who) -> Option<field::Value> {
        use field::Value as V;
        let header = col.header;
        let raw = self.raw(header);
        match (col.kind, raw) {
            (_, Value::Empty) => Some(V::Text(String::new())),
            (Kind::Date, Value::Date(d)) => Some(V::Date(*d)),
            // 1970.03 typed into a number cell: a year and month (出生年月), not an Excel date
            // (those are 1905 and the like).
            (Kind::Date, Value::Number(n)) if (1900.0..2100.0).contains(n) => {
                Some(V::Text(format!("{n}")))
            }
            (Kind::Date, Value::Number(n)) => match crate::workbook::serial_date(*n) {
                Some(d) => Some(V::Date(d)),
                None => {
                    self.error(header, "应为日期，如 2022-03-20");
                    None
                }
            },
            (Kind::Month, Value::Date(d)) => {
                Some(V::Text(format!("{:04}-{:02}", d.year(), d.month())))
            }
            (Kind::Int, Value::Number(n)) if n.fract() == 0.0 && n.abs() < 1e9 => {
                Some(V::Int(*n as i64))
            }
            (Kind::Int, Value::Number(_)) => {
                self.error(header, "应为整数");
                None
            }
            (Kind::Int, v) => Some(V::Text(whole_number(&v.text()))),
            // Money stays text: the model's parse refuses more than two decimals.
            (Kind::Money, Value::Number(n)) => Some(V::Text(format!("{n}"))),
            (Kind::Bool, Value::Number(n)) => Some(V::Int(*n as i64)),
            (Kind::Org, v) => {
                let name = v.text();
                match who.org_id(&name) {
                    Some(id) => Some(V::Int(id)),
                    None => {
                        self.error(
                            header,
                            "找不到该党组织：请先在“支部”表中列出，或在系统“组织”页中新增",
                        );
                        None
                    }
                }
            }
            // An Excel date number kept in a text cell: 44621.
            (Kind::Date, Value::Text(t))
                if t.trim().len() == 5 && t.trim().chars().all(|c| c.is_ascii_digit()) =>
            {
                match t.trim().parse().ok().and_then(crate::workbook::serial_date) {
                    Some(d) => Some(V::Date(d)),
                    None => Some(V::Text(t.trim().to_string())),
                }
            }
            (Kind::Date, Value::Text(t)) => Some(V::Text(t.trim().to_string())),
            (_, v) => Some(V::Text(v.text())),
        }
    }

    /// The cell of the column that shows `field`, as text a form's input takes (a date cell as
    /// 2022-03-05); empty when the sheet does not have the column or the cell is unusable.
    pub fn input_text(&mut self, field: impl Into<FieldKey>, who: &Who) -> String {
        self.col_of(field)
            .and_then(|c| self.input_value(c, who))
            .map(|v| v.to_text())
            .unwrap_or_default()
    }

    /// Sets every field column of the sheet that `input` has, except `skip` and the lists kept
    /// elsewhere that each sheet reads its own way; a cell the field cannot take is a problem.
    pub fn fill<D>(&mut self, who: &Who, input: &mut D, skip: &[D::Field])
    where
        D: Draft,
        D::Field: FormField,
    {
        for col in &self.sheet.cols {
            let Some(key) = col.field else { continue };
            let Some(f) = <D::Field as FormField>::from_key(key) else {
                continue;
            };
            if skip.contains(&f) || col.kind == Kind::Label || !self.has(col.header) {
                continue;
            }
            let Some(v) = self.input_value(col, who) else {
                continue;
            };
            if let Err(e) = input.set(f, v) {
                self.error(col.header, e);
            }
        }
    }

    /// The form's check found `errors`: each is listed at its field's column (or, for a field the
    /// sheet does not have, under the field's label).
    pub fn invalid<F>(&mut self, errors: FieldErrors<F>, label: impl Fn(F) -> &'static str)
    where
        F: Copy + PartialEq + Into<FieldKey>,
    {
        for e in errors.0 {
            let header = self
                .sheet
                .col_of(e.field)
                .map_or_else(|| label(e.field), |c| c.header);
            // A cell already found wrong (an organisation not found) is not listed again for
            // what follows from it (no organisation chosen).
            let column = self.problem(header, "").column;
            if !self.errors.iter().any(|p| p.column == column) {
                self.error(header, e.message);
            }
        }
    }
}

/// A count as staff type it ("35人", "３", "3年") as digits.
fn whole_number(text: &str) -> String {
    let half: String = text
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            c => c,
        })
        .collect();
    half.trim_end_matches(['人', '年', '名', '次', '个'])
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_as_typed() {
        assert_eq!(whole_number("35人"), "35");
        assert_eq!(whole_number("３"), "3");
        assert_eq!(whole_number(" 3年"), "3");
    }
}
