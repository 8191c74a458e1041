//! A ledger on a PostgreSQL-compatible server: how to reach it (a `postgres://` address, the
//! password from PGPASSWORD or the pgpass file as psql finds it), what its values are in SQLite's
//! terms, what its errors mean to a user, and its schema — made from the same migrations as a
//! file's (see [`schema_statements`]) and versioned in the database itself (`dangwu_meta`).

use std::error::Error as _;
use std::path::PathBuf;

use postgres::types::{FromSql, Type};
use rusqlite::types::Value;

use super::conn::Conn;

/// Whether `--db` names a server rather than a file.
pub fn is_address(s: &str) -> bool {
    s.starts_with("postgres://") || s.starts_with("postgresql://")
}

/// Where a server ledger is, as the title bar and messages name it: `dangwu@10.0.0.5:5432/dangwu`
/// (never its password).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Address {
    pub host: String,
    pub port: u16,
    pub dbname: String,
    pub user: String,
    /// The whole address as given, password removed.
    url: String,
    password: Option<String>,
}

impl std::fmt::Display for Address {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}@{}:{}/{}",
            self.user, self.host, self.port, self.dbname
        )
    }
}

impl Address {
    /// Reads `postgres://user[:password]@host[:port]/dbname[?sslmode=…]`.
    pub fn parse(url: &str) -> Result<Address, String> {
        let config: postgres::Config = super::tls::split_url(url)
            .0
            .parse()
            .map_err(|e| format!("服务器地址“{}”无法识别：{e}", without_password(url)))?;
        let host = match config.get_hosts().first() {
            Some(postgres::config::Host::Tcp(h)) => h.clone(),
            #[cfg(unix)]
            Some(postgres::config::Host::Unix(p)) => p.display().to_string(),
            None => "localhost".into(),
        };
        let user = config
            .get_user()
            .map(str::to_string)
            .or_else(|| std::env::var("PGUSER").ok())
            .ok_or_else(|| {
                "服务器地址中没有用户名（postgres://用户名@主机:端口/数据库）".to_string()
            })?;
        let dbname = config.get_dbname().unwrap_or(&user).to_string();
        Ok(Address {
            port: config.get_ports().first().copied().unwrap_or(5432),
            host,
            dbname,
            user,
            url: without_password(url),
            password: config
                .get_password()
                .map(|p| String::from_utf8_lossy(p).into_owned()),
        })
    }

    /// The address from the window's fields.
    pub fn from_parts(host: &str, port: u16, dbname: &str, user: &str) -> Address {
        Address {
            host: host.trim().to_string(),
            port,
            dbname: dbname.trim().to_string(),
            user: user.trim().to_string(),
            url: format!(
                "postgres://{}@{}:{}/{}",
                user.trim(),
                host.trim(),
                port,
                dbname.trim()
            ),
            password: None,
        }
    }

    /// The same address without the password it was given with: what the window keeps.
    pub fn forget_password(&self) -> Address {
        Address {
            password: None,
            ..self.clone()
        }
    }

    /// The same address with `password` (the one a connection was made with).
    pub fn with_password(&self, password: Option<&str>) -> Address {
        Address {
            password: password.map(str::to_string),
            ..self.clone()
        }
    }


    /// The password to use: given in the address, else PGPASSWORD, else the pgpass file.
    pub fn known_password(&self) -> Option<String> {
        self.password
            .clone()
            .or_else(|| std::env::var("PGPASSWORD").ok())
            .or_else(|| pgpass(self))
    }
}

fn without_password(url: &str) -> String {
    // postgres://user:secret@host → postgres://user@host
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    match rest.split_once('@') {
        Some((who, place)) => {
            let user = who.split(':').next().unwrap_or("");
            format!("{scheme}://{user}@{place}")
        }
        None => url.to_string(),
    }
}

/// The pgpass file psql reads: PGPASSFILE, else `~/.pgpass` (on Windows
/// `%APPDATA%\postgresql\pgpass.conf`).
fn pgpass_file() -> Option<PathBuf> {
    if let Some(f) = std::env::var_os("PGPASSFILE") {
        return Some(PathBuf::from(f));
    }
    if cfg!(windows) {
        std::env::var_os("APPDATA").map(|d| PathBuf::from(d).join("postgresql").join("pgpass.conf"))
    } else {
        directories::BaseDirs::new().map(|d| d.home_dir().join(".pgpass"))
    }
}

/// The password of the first pgpass line that matches `hostname:port:database:username`.
fn pgpass(a: &Address) -> Option<String> {
    let text = std::fs::read_to_string(pgpass_file()?).ok()?;
    pgpass_lookup(&text, a)
}

fn pgpass_lookup(text: &str, a: &Address) -> Option<String> {
    let port = a.port.to_string();
    let wanted = [
        a.host.as_str(),
        port.as_str(),
        a.dbname.as_str(),
        a.user.as_str(),
    ];
    for line in text.lines() {
        if line.trim_start().starts_with('#') || line.trim().is_empty() {
            continue;
        }
        // Fields split at ':' not preceded by '\'; "\:" and "\\" stand for ':' and '\'.
        let mut fields = Vec::new();
        let mut field = String::new();
        let mut chars = line.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => field.extend(chars.next()),
                ':' if fields.len() < 4 => fields.push(std::mem::take(&mut field)),
                c => field.push(c),
            }
        }
        fields.push(field);
        if fields.len() == 5
            && fields[..4]
                .iter()
                .zip(wanted)
                .all(|(f, w)| f == "*" || f == w)
        {
            return Some(fields[4].clone());
        }
    }
    None
}

/// Connects to `address` with `password` (None: the server must not ask for one).
pub fn connect(address: &Address, password: Option<&str>) -> Result<postgres::Client, String> {
    let (url, verify) = super::tls::split_url(&address.url);
    let mut config: postgres::Config = url
        .parse()
        .map_err(|e| format!("服务器地址无法识别：{e}"))?;
    if let Some(p) = password {
        config.password(p);
    }
    config.application_name("党务台账");
    config.connect_timeout(std::time::Duration::from_secs(10));
    let mut client = super::tls::connect(&config, &verify)
        .map_err(|e| format!("无法连接服务器 {address}：{e}"))?
        .map_err(|e| connect_message(address, &e))?;
    // Quotes in our literals are doubled, backslashes are plain characters (see dialect).
    client
        .batch_execute("SET standard_conforming_strings = on; SET client_encoding = 'UTF8'")
        .map_err(|e| connect_message(address, &e))?;
    Ok(client)
}

fn connect_message(a: &Address, e: &postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        return match db.code().code() {
            "28P01" | "28000" => format!("无法登录服务器 {a}：用户名或密码不正确"),
            "3D000" => format!("服务器 {} 上没有名为“{}”的数据库", a.host, a.dbname),
            _ => format!("服务器 {a} 拒绝连接：{}", db.message()),
        };
    }
    let detail = e
        .source()
        .map(|s| s.to_string())
        .unwrap_or_else(|| e.to_string());
    if detail.contains("password missing") {
        return format!("服务器 {a} 要求输入密码");
    }
    let io = e
        .source()
        .and_then(|s| s.downcast_ref::<std::io::Error>())
        .map(|io| io.kind());
    let why = match io {
        Some(std::io::ErrorKind::ConnectionRefused) => {
            "服务器没有接受连接（地址或端口不对，或数据库服务没有开启）".to_string()
        }
        Some(std::io::ErrorKind::TimedOut) => "连接超时（网络不通，或被防火墙拦住）".to_string(),
        Some(
            std::io::ErrorKind::ConnectionReset
            | std::io::ErrorKind::ConnectionAborted
            | std::io::ErrorKind::UnexpectedEof,
        ) => "服务器中断了连接（可能不是数据库服务，或服务正在重启）".to_string(),
        _ if detail.contains("failed to lookup") => format!("找不到名为“{}”的服务器", a.host),
        _ if detail.contains("does not support TLS") => {
            "服务器不支持加密连接，而地址要求加密（sslmode=require）".to_string()
        }
        _ if detail.contains("timed out") => "连接超时（网络不通，或被防火墙拦住）".to_string(),
        _ => detail,
    };
    format!("无法连接服务器 {a}：{why}。请检查地址、端口和网络。")
}

/// Whether a connection failure was the server asking for a password we did not give.
pub fn wants_password(message: &str) -> bool {
    message.ends_with("要求输入密码")
}

/// Whether a message is one [`PgError`] wrote for the user.
pub fn is_said(message: &str) -> bool {
    [
        "此记录",
        "没有权限",
        "与服务器",
        "服务器",
        "记录重复",
        "引用的记录",
    ]
    .iter()
    .any(|p| message.starts_with(p))
}

/// A server error as the store reports errors: SQLite's codes for the cases the store and the
/// forms tell apart (a duplicate, a missing parent, a record changed by another PC at the same
/// moment, a login not allowed to touch a record), with a Chinese message for the user.
pub struct PgError(pub postgres::Error);

impl From<PgError> for rusqlite::Error {
    fn from(PgError(e): PgError) -> Self {
        use rusqlite::ffi;
        let (code, message) = match e.as_db_error() {
            Some(db) => match db.code().code() {
                "23505" => (ffi::SQLITE_CONSTRAINT_UNIQUE, format!("记录重复：{}", db.message())),
                "23503" => (
                    ffi::SQLITE_CONSTRAINT_FOREIGNKEY,
                    format!("引用的记录不存在或仍被引用：{}", db.message()),
                ),
                "23514" => (ffi::SQLITE_CONSTRAINT_CHECK, db.message().to_string()),
                "23502" => (ffi::SQLITE_CONSTRAINT_NOTNULL, db.message().to_string()),
                "40001" | "40P01" => (
                    ffi::SQLITE_BUSY,
                    "此记录已被修改（另一台电脑同时保存了它）。本次未保存，请取消后重新打开再修改。"
                        .to_string(),
                ),
                "42501" if db.message().contains("row-level security") => (
                    ffi::SQLITE_AUTH,
                    "没有权限：此登录只能查看和修改本组织及其下级组织的记录，未作任何改动。"
                        .to_string(),
                ),
                "42501" => (
                    ffi::SQLITE_AUTH,
                    format!(
                        "没有权限：服务器拒绝了此登录的操作（{}），未作任何改动。请联系单位信息中心。",
                        db.message()
                    ),
                ),
                "25006" => (ffi::SQLITE_READONLY, db.message().to_string()),
                "53100" => (ffi::SQLITE_FULL, db.message().to_string()),
                _ => (ffi::SQLITE_ERROR, format!("服务器报错：{}", db.message())),
            },
            None if e.is_closed() => (
                ffi::SQLITE_IOERR,
                "与服务器的连接已断开，修改未保存；请检查网络后重新连接。".to_string(),
            ),
            None => (ffi::SQLITE_ERROR, format!("服务器通信错误：{e}")),
        };
        rusqlite::Error::SqliteFailure(ffi::Error::new(code), Some(message))
    }
}

/// A value of any column type, as SQLite would hold it: whole numbers and booleans as integers,
/// other numbers as reals, text as text, bytes as a blob. (`sum` of integers is a NUMERIC on a
/// server; it comes back as an integer when it is whole.)
pub struct AnyValue(pub Value);

impl<'a> FromSql<'a> for AnyValue {
    fn from_sql(
        ty: &Type,
        raw: &'a [u8],
    ) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(AnyValue(match *ty {
            Type::BOOL => Value::Integer(bool::from_sql(ty, raw)? as i64),
            Type::INT2 => Value::Integer(i16::from_sql(ty, raw)? as i64),
            Type::INT4 => Value::Integer(i32::from_sql(ty, raw)? as i64),
            Type::INT8 => Value::Integer(i64::from_sql(ty, raw)?),
            Type::OID => Value::Integer(u32::from_sql(ty, raw)? as i64),
            Type::FLOAT4 => Value::Real(f32::from_sql(ty, raw)? as f64),
            Type::FLOAT8 => Value::Real(f64::from_sql(ty, raw)?),
            Type::NUMERIC => numeric(raw)?,
            Type::BYTEA => Value::Blob(raw.to_vec()),
            _ => Value::Text(std::str::from_utf8(raw)?.to_string()),
        }))
    }

    fn from_sql_null(_: &Type) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(AnyValue(Value::Null))
    }

    fn accepts(ty: &Type) -> bool {
        !matches!(
            ty.kind(),
            postgres::types::Kind::Array(_) | postgres::types::Kind::Composite(_)
        )
    }
}

/// PostgreSQL's binary NUMERIC: digit count, weight, sign, scale, then base-10000 digits.
fn numeric(raw: &[u8]) -> Result<Value, Box<dyn std::error::Error + Sync + Send>> {
    let word = |i: usize| -> Result<i16, Box<dyn std::error::Error + Sync + Send>> {
        raw.get(i * 2..i * 2 + 2)
            .map(|b| i16::from_be_bytes([b[0], b[1]]))
            .ok_or_else(|| "short numeric".into())
    };
    let (ndigits, weight, sign, scale) = (word(0)?, word(1)?, word(2)? as u16, word(3)?);
    if sign == 0xC000 {
        return Ok(Value::Null);
    }
    let mut whole: i128 = 0;
    let mut value = 0f64;
    let mut fraction = false;
    for i in 0..ndigits as i32 {
        let d = word(4 + i as usize)? as i128;
        let power = weight as i32 - i;
        value += d as f64 * 10000f64.powi(power);
        if power >= 0 {
            whole += d * 10000i128.pow(power as u32);
        } else if d != 0 {
            fraction = true;
        }
    }
    let negative = sign == 0x4000;
    Ok(if fraction || (scale > 0 && whole > i64::MAX as i128) {
        Value::Real(if negative { -value } else { value })
    } else {
        Value::Integer(if negative { -whole } else { whole } as i64)
    })
}

/// The statements that make a ledger's tables on a server: the file's schema, after every
/// migration, said in PostgreSQL's words (read from a new file made in memory, so there is one
/// schema and it is the migrations'). Integer keys become identity columns, every integer a
/// BIGINT, text compares and sorts by code point (`COLLATE "C"`, as SQLite does), and a
/// `WITHOUT ROWID` table an ordinary one.
pub fn schema_statements(file: &rusqlite::Connection) -> rusqlite::Result<Vec<String>> {
    let mut stmt = file.prepare(
        "SELECT type, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' \
         ORDER BY CASE type WHEN 'table' THEN 0 ELSE 1 END, rowid",
    )?;
    let rows: Vec<(String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows
        .into_iter()
        .map(|(kind, sql)| {
            if kind == "table" {
                table_sql(&sql)
            } else {
                sql
            }
        })
        .collect())
}

/// A table's definition (or a migration) in PostgreSQL's words: see [`schema_statements`].
pub fn table_sql(sql: &str) -> String {
    let mut out = sql
        .replace(
            "INTEGER PRIMARY KEY",
            "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
        )
        .replace(") WITHOUT ROWID", ")");
    out = replace_word(&out, "INTEGER", "BIGINT");
    out = replace_word(&out, "TEXT", "TEXT COLLATE \"C\"");
    // SQLite's `a IS NOT b` between two values is PostgreSQL's IS DISTINCT FROM.
    let mut fixed = String::new();
    let mut rest = out.as_str();
    while let Some(at) = rest.find(" IS NOT ") {
        let after = &rest[at + 8..];
        fixed.push_str(&rest[..at]);
        if after.starts_with("NULL") {
            fixed.push_str(" IS NOT ");
        } else {
            fixed.push_str(" IS DISTINCT FROM ");
        }
        rest = after;
    }
    fixed.push_str(rest);
    fixed
}

/// `word` (upper case, whole) replaced by `with`; our column names are lower case.
fn replace_word(s: &str, word: &str, with: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let bytes = s.as_bytes();
    let mut i = 0;
    while let Some(at) = s[i..].find(word).map(|p| p + i) {
        let end = at + word.len();
        let edge = |b: Option<&u8>| b.is_none_or(|c| !(c.is_ascii_alphanumeric() || *c == b'_'));
        out.push_str(&s[i..at]);
        if edge(at.checked_sub(1).map(|p| &bytes[p])) && edge(bytes.get(end)) {
            out.push_str(with);
        } else {
            out.push_str(word);
        }
        i = end;
    }
    out.push_str(&s[i..]);
    out
}

/// What a server database holds, as far as this app is concerned.
pub enum Found {
    /// No tables at all: a new ledger can be made there.
    Empty,
    /// Tables that are not a ledger's (no `dangwu_meta` marked with our application id).
    NotOurs,
    /// A ledger at this schema version.
    Ledger(i32),
}

/// What the connected database holds, read from `dangwu_meta`.
pub fn found(conn: &Conn) -> rusqlite::Result<Found> {
    let count = |sql: &str| -> rusqlite::Result<i64> { conn.query_row(sql, [], |r| r.get(0)) };
    if count(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()",
    )? == 0
    {
        return Ok(Found::Empty);
    }
    if count(
        "SELECT count(*) FROM information_schema.tables \
         WHERE table_schema = current_schema() AND table_name = 'dangwu_meta'",
    )? == 0
    {
        return Ok(Found::NotOurs);
    }
    let meta = |key: &str| -> rusqlite::Result<Option<String>> {
        use rusqlite::OptionalExtension;
        conn.query_row("SELECT value FROM dangwu_meta WHERE key = ?1", [key], |r| {
            r.get(0)
        })
        .optional()
    };
    if meta("application_id")? != Some(super::schema::APPLICATION_ID.to_string()) {
        return Ok(Found::NotOurs);
    }
    Ok(match meta("schema_version")?.and_then(|v| v.parse().ok()) {
        Some(v) => Found::Ledger(v),
        None => Found::NotOurs,
    })
}

/// The tables of a ledger in the order they can be filled (a table after those it refers to).
pub fn tables(file: &rusqlite::Connection) -> rusqlite::Result<Vec<(String, Vec<String>)>> {
    let names: Vec<String> = file
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::new();
    for name in names {
        let columns: Vec<String> = file
            .prepare(&format!(
                "SELECT name FROM pragma_table_info('{name}') ORDER BY cid"
            ))?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        out.push((name, columns));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn address_never_shows_the_password() {
        let a = Address::parse("postgres://dangwu:secret@10.0.0.5:5433/ledger").unwrap();
        assert_eq!(a.to_string(), "dangwu@10.0.0.5:5433/ledger");
        assert_eq!(a.url, "postgres://dangwu@10.0.0.5:5433/ledger");
        assert_eq!(a.known_password().as_deref(), Some("secret"));
    }

    #[test]
    fn pgpass_lines_match_as_psql_matches_them() {
        let a = Address::parse("postgres://zhang@db.example:5432/dangwu").unwrap();
        let text =
            "# comment\nother:5432:*:zhang:no\ndb.example:*:dangwu:zhang:pa\\:ss\n*:*:*:*:last";
        assert_eq!(pgpass_lookup(text, &a).as_deref(), Some("pa:ss"));
        let b = Address::parse("postgres://li@elsewhere/x").unwrap();
        assert_eq!(pgpass_lookup(text, &b).as_deref(), Some("last"));
    }

    #[test]
    fn numeric_sums_come_back_as_integers() {
        // 12345678: ndigits 2, weight 1, sign +, scale 0, digits 1234 5678.
        let raw = [0, 2, 0, 1, 0, 0, 0, 0, 0x04, 0xD2, 0x16, 0x2E];
        assert_eq!(numeric(&raw).unwrap(), Value::Integer(12_345_678));
        // -1.5: ndigits 2, weight 0, sign -, scale 1, digits 1 5000.
        let raw = [0, 2, 0, 0, 0x40, 0, 0, 1, 0, 1, 0x13, 0x88];
        assert_eq!(numeric(&raw).unwrap(), Value::Real(-1.5));
        // 0: no digits.
        assert_eq!(
            numeric(&[0, 0, 0, 0, 0, 0, 0, 0]).unwrap(),
            Value::Integer(0)
        );
    }

    #[test]
    fn table_definitions_in_postgresql_words() {
        let sql = table_sql(
            "CREATE TABLE t (id INTEGER PRIMARY KEY, text TEXT NOT NULL, n INTEGER, \
             CHECK (a IS NOT b), CHECK (c IS NOT NULL)) WITHOUT ROWID",
        );
        assert_eq!(
            sql,
            "CREATE TABLE t (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, text TEXT COLLATE \"C\" NOT NULL, \
             n BIGINT, CHECK (a IS DISTINCT FROM b), CHECK (c IS NOT NULL))"
        );
    }
}
