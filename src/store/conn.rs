//! The one connection the store talks through: a SQLite file, or a PostgreSQL-compatible server
//! (人大金仓, openGauss, 瀚高 speak its protocol). The store writes its SQL once, in SQLite's words
//! with `?N` parameters, and reads rows through [`Row::get`] with rusqlite's `FromSql`; on a server
//! [`super::dialect`] says the same statement in PostgreSQL's words and the row's values are
//! handed back as SQLite would have given them (integers, reals, text, blobs). So the queries,
//! the conversions of our enums and dates, and the errors the store reports are the same on both.

use std::cell::{Cell, RefCell};

use rusqlite::types::{FromSql, ToSql, Value, ValueRef};

use super::dialect;
use super::server::PgError;

/// A statement's parameters: what rusqlite takes (`params![…]`, `[a, b]`, `(a, b)`, `[]`).
pub trait Args {
    /// The parameters in order, as SQL values.
    fn refs(&self) -> Vec<&dyn ToSql>;
}

impl Args for [&(dyn ToSql + Send + Sync); 0] {
    fn refs(&self) -> Vec<&dyn ToSql> {
        Vec::new()
    }
}

impl Args for &[&dyn ToSql] {
    fn refs(&self) -> Vec<&dyn ToSql> {
        self.to_vec()
    }
}

impl Args for () {
    fn refs(&self) -> Vec<&dyn ToSql> {
        Vec::new()
    }
}

macro_rules! tuple_args {
    ($($t:ident $i:tt),+) => {
        impl<$($t: ToSql),+> Args for ($($t,)+) {
            fn refs(&self) -> Vec<&dyn ToSql> {
                vec![$(&self.$i as &dyn ToSql),+]
            }
        }
    };
}
tuple_args!(A 0);
tuple_args!(A 0, B 1);
tuple_args!(A 0, B 1, C 2);
tuple_args!(A 0, B 1, C 2, D 3);
tuple_args!(A 0, B 1, C 2, D 3, E 4);
tuple_args!(A 0, B 1, C 2, D 3, E 4, F 5);

macro_rules! array_args {
    ($($n:literal)+) => {$(
        impl<T: ToSql> Args for [T; $n] {
            fn refs(&self) -> Vec<&dyn ToSql> {
                self.iter().map(|v| v as &dyn ToSql).collect()
            }
        }
        impl<T: ToSql> Args for &[&T; $n] {
            fn refs(&self) -> Vec<&dyn ToSql> {
                self.iter().map(|v| *v as &dyn ToSql).collect()
            }
        }
    )+};
}
array_args!(1 2 3 4 5 6 7 8 9 10 11 12);

/// The values of `args`, owned: what a server statement is written with.
fn values(args: &impl Args) -> rusqlite::Result<Vec<Value>> {
    args.refs()
        .into_iter()
        .map(|p| {
            use rusqlite::types::ToSqlOutput;
            Ok(match p.to_sql()? {
                ToSqlOutput::Borrowed(v) => Value::try_from(v)
                    .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?,
                ToSqlOutput::Owned(v) => v,
                _ => {
                    return Err(rusqlite::Error::ToSqlConversionFailure(
                        "unsupported parameter".into(),
                    ));
                }
            })
        })
        .collect()
}

/// A connection to a PostgreSQL-compatible server (see [`super::server`]).
pub struct Pg {
    client: RefCell<postgres::Client>,
    /// Inside BEGIN … COMMIT.
    in_tx: Cell<bool>,
    /// The server login this connection was made as (the audit's "who").
    login: String,
}

pub enum Conn {
    Sqlite(rusqlite::Connection),
    Pg(Box<Pg>),
}

impl Conn {
    /// A connection to a server as `login`, outside any transaction.
    pub fn server(client: postgres::Client, login: &str) -> Conn {
        Conn::Pg(Box::new(Pg {
            client: RefCell::new(client),
            in_tx: Cell::new(false),
            login: login.to_string(),
        }))
    }

    /// The server login of this connection (`None` for a file).
    pub fn login(&self) -> Option<&str> {
        match self {
            Conn::Sqlite(_) => None,
            Conn::Pg(pg) => Some(&pg.login),
        }
    }

    /// The SQLite connection, for what only a file has (pragmas, the online backup).
    pub fn sqlite(&self) -> Option<&rusqlite::Connection> {
        match self {
            Conn::Sqlite(c) => Some(c),
            Conn::Pg(_) => None,
        }
    }

    pub fn sqlite_mut(&mut self) -> Option<&mut rusqlite::Connection> {
        match self {
            Conn::Sqlite(c) => Some(c),
            Conn::Pg(_) => None,
        }
    }

    pub fn execute(&self, sql: &str, args: impl Args) -> rusqlite::Result<usize> {
        match self {
            Conn::Sqlite(c) => c.prepare_cached(sql)?.execute(args.refs().as_slice()),
            Conn::Pg(pg) => pg.execute(&dialect::statement(sql, &values(&args)?)?),
        }
    }

    /// Runs `sql` (several statements, no parameters).
    pub fn execute_batch(&self, sql: &str) -> rusqlite::Result<()> {
        match self {
            Conn::Sqlite(c) => c.execute_batch(sql),
            Conn::Pg(pg) => pg.batch(&dialect::statement(sql, &[])?),
        }
    }

    /// Runs an INSERT into a table with an `id` key and gives the new row's id.
    pub fn insert(&self, sql: &str, args: impl Args) -> rusqlite::Result<i64> {
        match self {
            Conn::Sqlite(c) => {
                c.prepare_cached(sql)?.execute(args.refs().as_slice())?;
                Ok(c.last_insert_rowid())
            }
            Conn::Pg(pg) => {
                let sql = format!("{} RETURNING id", dialect::statement(sql, &values(&args)?)?);
                pg.insert(&sql)
            }
        }
    }

    pub fn query_row<T>(
        &self,
        sql: &str,
        args: impl Args,
        f: impl FnOnce(&Row<'_>) -> rusqlite::Result<T>,
    ) -> rusqlite::Result<T> {
        match self {
            Conn::Sqlite(c) => c
                .prepare_cached(sql)?
                .query_row(args.refs().as_slice(), |r| f(&Row::Sqlite(r))),
            Conn::Pg(pg) => {
                let t = pg.rows(&dialect::statement(sql, &values(&args)?)?)?;
                match t.rows.first() {
                    Some(r) => f(&Row::Pg(r, &t.names)),
                    None => Err(rusqlite::Error::QueryReturnedNoRows),
                }
            }
        }
    }

    pub fn prepare(&self, sql: &str) -> rusqlite::Result<Stmt<'_>> {
        self.prepare_cached(sql)
    }

    pub fn prepare_cached(&self, sql: &str) -> rusqlite::Result<Stmt<'_>> {
        Ok(match self {
            Conn::Sqlite(c) => Stmt::Sqlite(c.prepare_cached(sql)?),
            Conn::Pg(pg) => Stmt::Pg {
                pg,
                sql: sql.to_string(),
            },
        })
    }

    /// Opens the transaction of a write: SQLite's IMMEDIATE (the file's write lock now, not at
    /// the first write); on a server REPEATABLE READ, so that of two PCs saving over one record
    /// at once the second is refused rather than silently writing over the first.
    pub(super) fn begin_write(&self) -> rusqlite::Result<()> {
        match self {
            Conn::Sqlite(c) => c.execute_batch("BEGIN IMMEDIATE"),
            Conn::Pg(pg) => {
                pg.batch("BEGIN ISOLATION LEVEL REPEATABLE READ")?;
                pg.in_tx.set(true);
                Ok(())
            }
        }
    }

    /// Runs `f` in one write transaction ([`Conn::begin_write`]): committed when it succeeds,
    /// rolled back when it fails or panics.
    pub fn writing<T, E: From<rusqlite::Error>>(
        &self,
        f: impl FnOnce() -> Result<T, E>,
    ) -> Result<T, E> {
        self.begin_write()?;
        let open = Open(self);
        let out = f()?;
        open.commit()?;
        Ok(out)
    }

    /// Runs `f` in one read transaction ([`Conn::begin_read`]): what it reads is one moment of
    /// the ledger.
    pub fn reading<T, E: From<rusqlite::Error>>(
        &self,
        f: impl FnOnce() -> Result<T, E>,
    ) -> Result<T, E> {
        self.begin_read()?;
        let open = Open(self);
        let out = f()?;
        open.commit()?;
        Ok(out)
    }

    /// A transaction that only reads, seeing one moment of the ledger (a backup, a copy).
    fn begin_read(&self) -> rusqlite::Result<()> {
        match self {
            Conn::Sqlite(c) => c.execute_batch("BEGIN"),
            Conn::Pg(pg) => {
                pg.batch("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")?;
                pg.in_tx.set(true);
                Ok(())
            }
        }
    }

    pub fn commit(&self) -> rusqlite::Result<()> {
        match self {
            Conn::Sqlite(c) => c.execute_batch("COMMIT"),
            Conn::Pg(pg) => {
                let out = pg.batch("COMMIT");
                pg.in_tx.set(false);
                out
            }
        }
    }

    pub fn rollback(&self) -> rusqlite::Result<()> {
        match self {
            Conn::Sqlite(c) => c.execute_batch("ROLLBACK"),
            Conn::Pg(pg) => {
                let out = pg.batch("ROLLBACK");
                pg.in_tx.set(false);
                out
            }
        }
    }

    /// No transaction is open (SQLite ends one by itself after some errors).
    pub fn is_autocommit(&self) -> bool {
        match self {
            Conn::Sqlite(c) => c.is_autocommit(),
            Conn::Pg(pg) => !pg.in_tx.get(),
        }
    }
}

/// With DANGWU_SQL_LOG set, a statement the server refused is printed with its error: the way
/// to find a query said differently on the two stores.
fn refused(sql: &str, e: postgres::Error) -> rusqlite::Error {
    if std::env::var_os("DANGWU_SQL_LOG").is_some() {
        eprintln!("服务器拒绝的语句：{sql}\n  {e:?}");
    }
    PgError(e).into()
}

/// A transaction begun and not yet committed: rolled back when dropped, so that an error or a
/// panic in the middle of a write (the window catches panics and goes on) never leaves it open.
struct Open<'c>(&'c Conn);

impl Open<'_> {
    fn commit(self) -> rusqlite::Result<()> {
        let out = self.0.commit();
        // A failed COMMIT leaves SQLite's transaction open; Drop rolls it back.
        if out.is_ok() {
            std::mem::forget(self);
        }
        out
    }
}

impl Drop for Open<'_> {
    fn drop(&mut self) {
        if !self.0.is_autocommit() {
            let _ = self.0.rollback();
        }
    }
}

impl Pg {
    /// Runs a statement that writes. Inside a transaction it runs under a savepoint, in the same
    /// round trip: a statement the server refuses (a duplicate the import reports and goes on
    /// from) then leaves the transaction usable, as it does in SQLite, instead of aborting it.
    fn execute(&self, sql: &str) -> rusqlite::Result<usize> {
        if !self.in_tx.get() {
            return self
                .client
                .borrow_mut()
                .execute(sql, &[])
                .map(|n| n as usize)
                .map_err(|e| refused(sql, e));
        }
        let messages = self.guarded(sql)?;
        // SAVEPOINT, the statement, RELEASE: the statement's count is the second.
        let counts: Vec<u64> = messages
            .iter()
            .filter_map(|m| match m {
                postgres::SimpleQueryMessage::CommandComplete(n) => Some(*n),
                _ => None,
            })
            .collect();
        Ok(counts.get(1).copied().unwrap_or(0) as usize)
    }

    /// `sql` between a savepoint and its release, in one round trip; rolled back to the
    /// savepoint when refused.
    fn guarded(&self, sql: &str) -> rusqlite::Result<Vec<postgres::SimpleQueryMessage>> {
        let mut client = self.client.borrow_mut();
        match client.simple_query(&format!(
            "SAVEPOINT dangwu_write; {sql}; RELEASE dangwu_write"
        )) {
            Ok(messages) => Ok(messages),
            Err(e) => {
                let _ = client
                    .batch_execute("ROLLBACK TO SAVEPOINT dangwu_write; RELEASE dangwu_write");
                Err(refused(sql, e))
            }
        }
    }

    /// Runs an INSERT … RETURNING id and gives the id.
    fn insert(&self, sql: &str) -> rusqlite::Result<i64> {
        let id = if self.in_tx.get() {
            self.guarded(sql)?.iter().find_map(|m| match m {
                postgres::SimpleQueryMessage::Row(r) => {
                    r.get(0).and_then(|v| v.parse::<i64>().ok())
                }
                _ => None,
            })
        } else {
            let t = self.rows(sql)?;
            match t.rows.first().and_then(|r| r.first()) {
                Some(Value::Integer(id)) => Some(*id),
                _ => None,
            }
        };
        id.ok_or(rusqlite::Error::QueryReturnedNoRows)
    }

    fn batch(&self, sql: &str) -> rusqlite::Result<()> {
        self.client
            .borrow_mut()
            .batch_execute(sql)
            .map_err(|e| refused(sql, e))
    }

    /// Every row of `sql`, each value as SQLite would have given it. One round trip: the
    /// statement has no parameters left (see dialect), so nothing is prepared first.
    pub(super) fn rows(&self, sql: &str) -> rusqlite::Result<Table> {
        let rows = self
            .client
            .borrow_mut()
            .query_typed(sql, &[])
            .map_err(|e| refused(sql, e))?;
        let names = rows
            .first()
            .map(|r| r.columns().iter().map(|c| c.name().to_string()).collect())
            .unwrap_or_default();
        let rows = rows
            .iter()
            .map(|r| {
                (0..r.len())
                    .map(|i| {
                        r.try_get::<_, super::server::AnyValue>(i)
                            .map(|v| v.0)
                            .map_err(|e| rusqlite::Error::from(PgError(e)))
                    })
                    .collect()
            })
            .collect::<rusqlite::Result<_>>()?;
        Ok(Table { names, rows })
    }

    /// The names of the columns `sql` gives (its parameters left out of the question).
    fn columns(&self, sql: &str) -> rusqlite::Result<Vec<String>> {
        let stmt = self
            .client
            .borrow_mut()
            .prepare(sql)
            .map_err(|e| refused(sql, e))?;
        Ok(stmt
            .columns()
            .iter()
            .map(|c| c.name().to_string())
            .collect())
    }
}

/// A column of a row: its place (`0`) or its name (`"id"`).
pub trait Column: Copy {
    fn place(self, names: &[String]) -> rusqlite::Result<usize>;
    fn of(self, row: &rusqlite::Row<'_>) -> rusqlite::Result<usize>;
}

impl Column for usize {
    fn place(self, names: &[String]) -> rusqlite::Result<usize> {
        if self < names.len() {
            Ok(self)
        } else {
            Err(rusqlite::Error::InvalidColumnIndex(self))
        }
    }
    fn of(self, _: &rusqlite::Row<'_>) -> rusqlite::Result<usize> {
        Ok(self)
    }
}

impl Column for &str {
    fn place(self, names: &[String]) -> rusqlite::Result<usize> {
        names
            .iter()
            .position(|n| n.eq_ignore_ascii_case(self))
            .ok_or_else(|| rusqlite::Error::InvalidColumnName(self.to_string()))
    }
    fn of(self, row: &rusqlite::Row<'_>) -> rusqlite::Result<usize> {
        AsRef::<rusqlite::Statement<'_>>::as_ref(row).column_index(self)
    }
}

/// A server's result: the column names and the rows.
pub struct Table {
    names: Vec<String>,
    rows: Vec<Vec<Value>>,
}

/// One row of a result: its values read with rusqlite's `FromSql`, on either store.
pub enum Row<'a> {
    Sqlite(&'a rusqlite::Row<'a>),
    Pg(&'a [Value], &'a [String]),
}

impl Row<'_> {
    pub fn get<I: Column, T: FromSql>(&self, i: I) -> rusqlite::Result<T> {
        match self {
            Row::Sqlite(r) => r.get(i.of(r)?),
            Row::Pg(values, names) => {
                let i = i.place(names)?;
                let v = &values[i];
                T::column_result(ValueRef::from(v)).map_err(|e| match e {
                    rusqlite::types::FromSqlError::InvalidType => {
                        rusqlite::Error::InvalidColumnType(
                            i,
                            names[i].clone(),
                            ValueRef::from(v).data_type(),
                        )
                    }
                    rusqlite::types::FromSqlError::OutOfRange(n) => {
                        rusqlite::Error::IntegralValueOutOfRange(i, n)
                    }
                    other => rusqlite::Error::FromSqlConversionFailure(
                        i,
                        ValueRef::from(v).data_type(),
                        Box::new(other),
                    ),
                })
            }
        }
    }

    pub fn get_ref<I: Column>(&self, i: I) -> rusqlite::Result<ValueRef<'_>> {
        match self {
            Row::Sqlite(r) => r.get_ref(i.of(r)?),
            Row::Pg(values, names) => Ok(ValueRef::from(&values[i.place(names)?])),
        }
    }
}

/// A statement, run with its parameters. On a server it is sent when run (with its parameters
/// written into it, see [`dialect`]), so there is nothing to keep open between runs.
pub enum Stmt<'c> {
    Sqlite(rusqlite::CachedStatement<'c>),
    Pg { pg: &'c Pg, sql: String },
}

impl Stmt<'_> {
    /// Every row mapped by `f`, read at once (a list is shown whole anyway).
    pub fn query_map<T>(
        &mut self,
        args: impl Args,
        mut f: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
    ) -> rusqlite::Result<std::vec::IntoIter<rusqlite::Result<T>>> {
        let out: Vec<rusqlite::Result<T>> = match self {
            Stmt::Sqlite(s) => s
                .query_map(args.refs().as_slice(), |r| f(&Row::Sqlite(r)))?
                .collect(),
            Stmt::Pg { pg, sql } => {
                let t = pg.rows(&dialect::statement(sql, &values(&args)?)?)?;
                t.rows.iter().map(|r| f(&Row::Pg(r, &t.names))).collect()
            }
        };
        Ok(out.into_iter())
    }

    /// Rows to step through with [`Rows::next`].
    pub fn query(&mut self, args: impl Args) -> rusqlite::Result<Rows<'_>> {
        Ok(match self {
            Stmt::Sqlite(s) => Rows::Sqlite(s.query(args.refs().as_slice())?),
            Stmt::Pg { pg, sql } => Rows::Pg {
                table: pg.rows(&dialect::statement(sql, &values(&args)?)?)?,
                next: 0,
            },
        })
    }

    pub fn query_row<T>(
        &mut self,
        args: impl Args,
        f: impl FnOnce(&Row<'_>) -> rusqlite::Result<T>,
    ) -> rusqlite::Result<T> {
        match self {
            Stmt::Sqlite(s) => s.query_row(args.refs().as_slice(), |r| f(&Row::Sqlite(r))),
            Stmt::Pg { pg, sql } => {
                let t = pg.rows(&dialect::statement(sql, &values(&args)?)?)?;
                match t.rows.first() {
                    Some(r) => f(&Row::Pg(r, &t.names)),
                    None => Err(rusqlite::Error::QueryReturnedNoRows),
                }
            }
        }
    }

    pub fn execute(&mut self, args: impl Args) -> rusqlite::Result<usize> {
        match self {
            Stmt::Sqlite(s) => s.execute(args.refs().as_slice()),
            Stmt::Pg { pg, sql } => pg.execute(&dialect::statement(sql, &values(&args)?)?),
        }
    }

    /// Where the column `name` is in a row of this statement.
    pub fn column_index(&self, name: &str) -> rusqlite::Result<usize> {
        match self {
            Stmt::Sqlite(s) => s.column_index(name),
            Stmt::Pg { pg, sql } => pg
                .columns(&dialect::described(sql)?)?
                .iter()
                .position(|c| c.eq_ignore_ascii_case(name))
                .ok_or_else(|| rusqlite::Error::InvalidColumnName(name.to_string())),
        }
    }
}

pub enum Rows<'s> {
    Sqlite(rusqlite::Rows<'s>),
    Pg { table: Table, next: usize },
}

impl Rows<'_> {
    /// The next row, as rusqlite's `Rows::next` (a row borrows the rows, so this is no Iterator).
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> rusqlite::Result<Option<Row<'_>>> {
        match self {
            Rows::Sqlite(r) => Ok(r.next()?.map(Row::Sqlite)),
            Rows::Pg { table, next } => {
                let row = table.rows.get(*next);
                *next += 1;
                Ok(row.map(|r| Row::Pg(r.as_slice(), &table.names)))
            }
        }
    }
}
