//! A record kind's row, read and written from its declaration (`model::field`): the SELECT list,
//! the INSERT and the UPDATE are made of the declared columns, and each column is read by its name
//! into the field that declares it. A new column of a record kind changes nothing here.

use super::conn::{Conn, Row, Stmt};
use rusqlite::types::{ToSql, ToSqlOutput, ValueRef};

use super::Result;
use crate::model::field::{Kind, Record, Value};

/// Our values go into SQLite as the columns keep them: text, integers, dates as `2022-03-05`.
impl ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Value::Null => ToSqlOutput::from(rusqlite::types::Null),
            Value::Text(s) => ToSqlOutput::from(s.as_str()),
            Value::Int(n) => ToSqlOutput::from(*n),
            Value::Date(d) => ToSqlOutput::from(crate::model::date::iso(*d)),
        })
    }
}

/// The columns a kind keeps in its own table, in declaration order.
fn columns<R: Record>() -> impl Iterator<Item = &'static crate::model::field::Field<R::Field>> {
    R::fields().iter().filter(|f| f.is_column())
}

/// `id, uid, date, kind_id, …`: the SELECT list of a kind's row.
pub(super) fn select<R: Record>() -> String {
    let mut list = String::from("id, uid");
    for f in columns::<R>() {
        list.push_str(", ");
        list.push_str(f.column);
    }
    list
}

/// The same list with each column taken from the table aliased `alias` (`e.id, e.uid, …`), for a
/// SELECT that joins other tables.
pub(super) fn select_from<R: Record>(alias: &str) -> String {
    let mut list = format!("{alias}.id, {alias}.uid");
    for f in columns::<R>() {
        list.push_str(&format!(", {alias}.{}", f.column));
    }
    list
}

/// Where each declared column is in a statement's result, found by its name once per statement.
pub(super) struct Reader<R: Record> {
    id: usize,
    uid: usize,
    fields: Vec<(R::Field, Kind, usize)>,
}

impl<R: Record + Default> Reader<R> {
    pub(super) fn new(stmt: &Stmt) -> rusqlite::Result<Self> {
        Ok(Reader {
            id: stmt.column_index("id")?,
            uid: stmt.column_index("uid")?,
            fields: columns::<R>()
                .map(|f| Ok((f.key, f.kind, stmt.column_index(f.column)?)))
                .collect::<rusqlite::Result<_>>()?,
        })
    }

    /// The record of one row; fields kept in other tables are left empty for the caller.
    pub(super) fn read(&self, row: &Row) -> rusqlite::Result<R> {
        let mut r = R::default();
        r.set_identity(row.get(self.id)?, row.get(self.uid)?);
        for &(key, kind, at) in &self.fields {
            let v = value_at(row, at, kind)?;
            r.set(key, v).map_err(|e| {
                rusqlite::Error::FromSqlConversionFailure(
                    at,
                    rusqlite::types::Type::Text,
                    format!("{}：{e}", R::field(key).label).into(),
                )
            })?;
        }
        Ok(r)
    }
}

/// A column's value: dates are kept as text and read back as dates.
fn value_at(row: &Row, at: usize, kind: Kind) -> rusqlite::Result<Value> {
    Ok(match row.get_ref(at)? {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(n) => Value::Int(n),
        ValueRef::Real(f) => Value::Int(f as i64),
        ValueRef::Text(t) | ValueRef::Blob(t) => {
            let s = std::str::from_utf8(t).map_err(|e| {
                rusqlite::Error::FromSqlConversionFailure(
                    at,
                    rusqlite::types::Type::Text,
                    Box::new(e),
                )
            })?;
            match kind {
                Kind::Date => match chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
                    Ok(d) => Value::Date(d),
                    Err(e) => {
                        return Err(rusqlite::Error::FromSqlConversionFailure(
                            at,
                            rusqlite::types::Type::Text,
                            Box::new(e),
                        ));
                    }
                },
                _ => Value::Text(s.to_owned()),
            }
        }
    })
}

/// Inserts `r` into `table` (its uid and declared columns, and the `extra` columns the store keeps
/// beside them, such as a computed count); returns the new row's id.
pub(super) fn insert<R: Record>(
    tx: &Conn,
    table: &str,
    r: &R,
    extra: &[(&str, &dyn ToSql)],
) -> Result<i64> {
    let fields: Vec<_> = columns::<R>().collect();
    let mut names = vec!["uid"];
    names.extend(fields.iter().map(|f| f.column));
    names.extend(extra.iter().map(|(c, _)| *c));
    let marks: Vec<String> = (1..=names.len()).map(|i| format!("?{i}")).collect();
    let sql = format!(
        "INSERT INTO {table} ({}) VALUES ({})",
        names.join(", "),
        marks.join(", ")
    );
    let values: Vec<Value> = fields.iter().map(|f| r.get(f.key)).collect();
    let uid = r.identity().1;
    let mut params: Vec<&dyn ToSql> = vec![&uid];
    params.extend(values.iter().map(|v| v as &dyn ToSql));
    params.extend(extra.iter().map(|(_, v)| *v));
    Ok(tx.insert(&sql, params.as_slice())?)
}

/// Writes `r` over the row `id` of `table`: its uid, declared columns and `extra` columns.
pub(super) fn update<R: Record>(
    tx: &Conn,
    table: &str,
    r: &R,
    id: i64,
    extra: &[(&str, &dyn ToSql)],
) -> Result<()> {
    let fields: Vec<_> = columns::<R>().collect();
    let mut names = vec!["uid"];
    names.extend(fields.iter().map(|f| f.column));
    names.extend(extra.iter().map(|(c, _)| *c));
    let sets: Vec<String> = names
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{c} = ?{}", i + 1))
        .collect();
    let sql = format!(
        "UPDATE {table} SET {} WHERE id = ?{}",
        sets.join(", "),
        names.len() + 1
    );
    let values: Vec<Value> = fields.iter().map(|f| r.get(f.key)).collect();
    let uid = r.identity().1;
    let mut params: Vec<&dyn ToSql> = vec![&uid];
    params.extend(values.iter().map(|v| v as &dyn ToSql));
    params.extend(extra.iter().map(|(_, v)| *v));
    params.push(&id);
    tx.prepare_cached(&sql)?.execute(params.as_slice())?;
    Ok(())
}
