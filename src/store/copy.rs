//! Moving a ledger between a file and a server, whole: every table's rows with their ids and uids
//! as they are (so links, the audit history and later merges still hold), in one transaction on
//! the side written. A new ledger on a server is the same move from a new file made in memory.

use std::io;
use std::path::Path;

use rusqlite::types::{ToSql, Value};

use super::conn::Conn;
use super::server::{self, Address, Found};
use super::{Db, OpenError, StoreError, schema};

/// A ledger's tables with their columns, in the order they are filled.
type Tables = Vec<(String, Vec<String>)>;

/// Rows copied per INSERT statement sent to a server.
const ROWS_PER_STATEMENT: usize = 500;

/// Copies every row of every ledger table from `from` to `to`, whose tables exist and are empty;
/// `tables` from [`server::tables`]. Gives the rows copied per table. Runs in the caller's
/// transactions.
fn copy_rows(
    from: &Conn,
    to: &Conn,
    tables: &[(String, Vec<String>)],
) -> rusqlite::Result<Vec<(String, i64)>> {
    let mut counts = Vec::new();
    for (table, columns) in tables {
        let list = columns.join(", ");
        let mut stmt = from.prepare(&format!("SELECT {list} FROM {table} ORDER BY 1"))?;
        let rows: Vec<Vec<Value>> = stmt
            .query_map((), |r| {
                (0..columns.len())
                    .map(|i| Value::try_from(r.get_ref(i)?).map_err(rusqlite::Error::from))
                    .collect()
            })?
            .collect::<rusqlite::Result<_>>()?;
        // Many rows a statement: SQLite's limit on parameters allows 64 of the widest; a server
        // takes more, and each statement is a round trip there.
        let per = if to.sqlite().is_some() {
            super::sql::ROWS_PER_INSERT
        } else {
            ROWS_PER_STATEMENT
        };
        for chunk in rows.chunks(per) {
            let values: Vec<&dyn ToSql> = chunk.iter().flatten().map(|v| v as &dyn ToSql).collect();
            let sql = super::sql::insert_rows(table, &list, columns.len(), chunk.len());
            to.execute(&sql, values.as_slice())?;
        }
        if to.sqlite().is_none() && columns.first().is_some_and(|c| c == "id") {
            // The next id a server gives is past those copied.
            to.execute_batch(&format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
                 coalesce((SELECT max(id) FROM {table}), 0) + 1, false)"
            ))?;
        }
        counts.push((table.clone(), rows.len() as i64));
    }
    Ok(counts)
}

/// The tables of this version's ledger, in an order they can be filled in.
fn ledger_tables() -> rusqlite::Result<(Db, Tables)> {
    let fresh = Db::open_in_memory().map_err(|e| match e {
        OpenError::Sqlite(e) => e,
        e => rusqlite::Error::ToSqlConversionFailure(e.to_string().into()),
    })?;
    let tables = server::tables(fresh.conn().sqlite().expect("a file"))?;
    Ok((fresh, tables))
}

/// Makes the ledger's tables on an empty server database and fills them from `from` (a new file
/// made in memory for a new ledger), in one transaction: all or nothing.
fn create_on_server(to: &Conn, from: &Conn) -> rusqlite::Result<Vec<(String, i64)>> {
    let (fresh, tables) = ledger_tables()?;
    let statements = server::schema_statements(fresh.conn().sqlite().expect("a file"))?;
    to.writing(|| {
        for sql in &statements {
            to.execute_batch(sql)?;
        }
        to.execute_batch(&format!(
            "CREATE TABLE dangwu_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
             INSERT INTO dangwu_meta VALUES ('application_id', '{}'), ('schema_version', '{}');",
            schema::APPLICATION_ID,
            schema::latest_version()
        ))?;
        super::access::create_access_rules(to)?;
        copy_rows(from, to, &tables)
    })
}

impl Db {
    /// Connects to the ledger at `address` (with `password`, or none). An empty database gets a
    /// new ledger (its tables, the built-in types and kinds); another program's tables, or a
    /// ledger made by a newer version, are refused untouched.
    pub fn connect(address: &Address, password: Option<&str>) -> Result<Db, OpenError> {
        Db::connect_to(address, password, true)
    }

    /// [`Db::connect`] for a command that only reads: an empty database is refused, not given a
    /// new ledger, and nothing is written.
    pub fn connect_for_reading(address: &Address, password: Option<&str>) -> Result<Db, OpenError> {
        Db::connect_to(address, password, false)
    }

    fn connect_to(
        address: &Address,
        password: Option<&str>,
        create: bool,
    ) -> Result<Db, OpenError> {
        let client = server::connect(address, password).map_err(OpenError::Server)?;
        let conn = Conn::server(client, &address.user);
        match server::found(&conn)? {
            Found::Empty if !create => {
                return Err(OpenError::Server(format!(
                    "服务器 {address} 上的数据库“{}”中还没有台账。未作任何改动。",
                    address.dbname
                )));
            }
            Found::Empty => {
                let (fresh, _) = ledger_tables()?;
                create_on_server(&conn, fresh.conn())?;
            }
            Found::NotOurs => {
                return Err(OpenError::Server(format!(
                    "服务器 {address} 上的数据库“{}”中已有其他程序的表，不是党务台账的数据库。未作任何改动。",
                    address.dbname
                )));
            }
            Found::Ledger(v) if v > schema::latest_version() => {
                return Err(OpenError::Server(format!(
                    "服务器 {address} 上的台账由更新版本的党务台账创建（数据版本 {v}，本程序支持到 {}）。请升级程序后再连接；未作任何改动。",
                    schema::latest_version()
                )));
            }
            Found::Ledger(v) if v < schema::latest_version() && !create => {
                return Err(OpenError::Server(format!(
                    "服务器 {address} 上的台账是旧版本（数据版本 {v}），请先用本程序打开窗口完成升级。未作任何改动。"
                )));
            }
            Found::Ledger(v) if v < schema::latest_version() => {
                // The same migrations as a file's, said in the server's words (see schema.rs),
                // all of them or none.
                conn.writing(|| {
                    for sql in &schema::MIGRATIONS[v as usize..] {
                        conn.execute_batch(&server::table_sql(sql))?;
                    }
                    conn.execute(
                        "UPDATE dangwu_meta SET value = ?1 WHERE key = 'schema_version'",
                        [schema::latest_version().to_string()],
                    )
                })?;
            }
            Found::Ledger(_) => {}
        }
        let encrypted = conn
            .query_row(
                "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
                [],
                |r| r.get::<_, bool>(0),
            )
            .ok();
        use rusqlite::OptionalExtension;
        let limited_to = conn
            .query_row(
                "SELECT org_id FROM dangwu_access WHERE login = session_user",
                [],
                |r| r.get::<_, Option<i64>>(0),
            )
            .optional()?
            .flatten();
        Ok(Db {
            limited_to,
            conn,
            path: None,
            server: Some(address.with_password(password)),
            encrypted,
            generation: 0,
            in_batch: false,
            read_only: false,
            location: super::share::Location::Local,
        })
    }

    /// Puts this ledger (a file) on the server at `to`, into a database with no tables yet:
    /// every record with its ids and uids, in one transaction. Gives the rows copied per table.
    pub fn copy_to_server(
        &self,
        to: &Address,
        password: Option<&str>,
    ) -> Result<Vec<(String, i64)>, String> {
        if self.server.is_some() {
            return Err("复制的来源须是数据文件".into());
        }
        let client = server::connect(to, password)?;
        let target = Conn::server(client, &to.user);
        match server::found(&target).map_err(|e| super::sqlite_message(&e))? {
            Found::Empty => {}
            Found::NotOurs | Found::Ledger(_) => {
                return Err(format!(
                    "服务器 {to} 上的数据库“{}”不是空的（已有台账或其他表）。为免两份台账混在一起，请复制到一个新建的空数据库。未作任何改动。",
                    to.dbname
                ));
            }
        }
        self.conn
            .reading(|| create_on_server(&target, &self.conn))
            .map_err(|e| super::sqlite_message(&e))
    }

    /// A copy in memory of this server ledger, as a file would hold it: what a backup writes.
    fn file_copy(&self) -> rusqlite::Result<Db> {
        let (copy, tables) = ledger_tables()?;
        // Off outside the transaction (SQLite ignores it inside): the tables are emptied of the
        // built-in rows and filled in the order `tables` gives, not one row's references at a time.
        copy.conn.execute_batch("PRAGMA foreign_keys = OFF")?;
        copy.conn.writing(|| {
            for (table, _) in tables.iter().rev() {
                copy.conn.execute_batch(&format!("DELETE FROM {table}"))?;
            }
            self.conn
                .reading(|| copy_rows(&self.conn, &copy.conn, &tables))
        })?;
        copy.conn.execute_batch("PRAGMA foreign_keys = ON")?;
        Ok(copy)
    }
}

/// `backup --to FILE` of a server ledger: the same checked SQLite backup a file gets, written
/// from a copy in memory read in one transaction on the server.
pub(super) fn backup_server(db: &Db, dest: &Path) -> io::Result<super::backup::Summary> {
    if db.limited_to.is_some() {
        // It would hold only this login's organisation, with links to records it cannot read:
        // not a ledger that opens whole.
        return Err(io::Error::other(
            "此登录只能查看本组织的记录，不能备份整份台账；请由可查看全部记录的登录名备份。未写入任何文件",
        ));
    }
    let copy = db
        .file_copy()
        .map_err(|e| io::Error::other(super::sqlite_message(&e)))?;
    super::backup::write_verified(
        copy.conn().sqlite().expect("a file"),
        None,
        dest,
        false,
        super::backup::Check::Full,
    )
}

impl Db {
    /// Whether the connection to the server is encrypted (TLS); `None` for a file.
    pub fn encrypted(&self) -> Option<bool> {
        self.encrypted
    }

    /// Whether the server has a login named `login` (`false` for a file).
    pub fn login_exists(&self, login: &str) -> Result<bool, StoreError> {
        if self.server.is_none() {
            return Ok(false);
        }
        Ok(super::access::login_exists(&self.conn, login)?)
    }

    /// Lets `login` use this server ledger, limited to the organisation `org` and those under it
    /// (or the whole bureau), enforced by the server's row-level security; see [`super::access::grant`].
    pub fn grant(
        &self,
        login: &str,
        org: Option<i64>,
        password: Option<&str>,
    ) -> Result<(), StoreError> {
        if self.server.is_none() {
            return Err(StoreError::refused("只有服务器上的台账才有登录权限"));
        }
        super::access::grant(&self.conn, login, org, password)?;
        Ok(())
    }
}
