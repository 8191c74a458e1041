//! Who may read and write what on a server ledger, enforced by the server itself (PostgreSQL's
//! row-level security), not only hidden in the window: a login limited to an organisation reaches
//! its rows and those of the organisations under it; the ledger's owner and logins given no
//! organisation reach everything. Made with the ledger (see store::copy); logins are let in with
//! `dangwu server grant`.

use rusqlite::types::Value;

use super::conn::Conn;

/// Where each table's rows belong, for the access rules: the organisation column of the row,
/// or the row it hangs from.
enum Belongs {
    /// Rows of an organisation: `org_id`. Read by every login when `public` (the names of the
    /// organisations and their committees are not private; their members, meetings and talks are).
    Org(&'static str, bool),
    /// Rows of a member (transfers, dues…): visible with the member.
    Member,
    /// Rows of a parent record (attendance of an activity…): `column` refers to `table`.
    Parent(&'static str, &'static str),
    /// Lists every login reads and only a login for the whole bureau changes.
    Shared,
    /// The change history: every login adds to it, only a login for the whole bureau reads it
    /// (it holds the records as they were).
    History,
}

const ACCESS: &[(&str, Belongs)] = &[
    ("org", Belongs::Org("id", true)),
    ("committee_member", Belongs::Org("org_id", true)),
    ("org_expectation", Belongs::Org("org_id", true)),
    ("election", Belongs::Org("org_id", true)),
    (
        "election_member",
        Belongs::Parent("election_id", "election"),
    ),
    ("member", Belongs::Org("org_id", false)),
    ("activity", Belongs::Org("org_id", false)),
    ("activity_kind", Belongs::Parent("activity_id", "activity")),
    ("activity_theme", Belongs::Parent("activity_id", "activity")),
    ("attendance", Belongs::Parent("activity_id", "activity")),
    ("attachment", Belongs::Parent("activity_id", "activity")),
    ("talk", Belongs::Org("org_id", false)),
    ("talk_subject", Belongs::Parent("talk_id", "talk")),
    ("rectification", Belongs::Org("org_id", false)),
    (
        "rectification_event",
        Belongs::Parent("item_id", "rectification"),
    ),
    ("transfer", Belongs::Member),
    ("dues", Belongs::Member),
    ("member_event", Belongs::Member),
    ("activity_type", Belongs::Shared),
    ("talk_kind", Belongs::Shared),
    ("theme", Belongs::Shared),
    ("setting", Belongs::Shared),
    ("audit", Belongs::History),
];

/// The server's own rules of who may read and write what (row-level security): a login limited
/// to an organisation (`dangwu_access`) reaches only its rows and those of the organisations
/// under it; the server enforces this whatever program connects. The ledger's owner (who made
/// it) and logins given no organisation reach everything.
pub fn create_access_rules(conn: &Conn) -> rusqlite::Result<()> {
    // The two functions run as the owner: they name their schema, so that a table another login
    // made elsewhere on its search path cannot stand in for ours.
    let schema = current_schema(conn)?;
    let mut sql = String::from(
        "CREATE TABLE dangwu_access (
             login  TEXT COLLATE \"C\" PRIMARY KEY,
             org_id BIGINT REFERENCES org(id)
         );
         -- The organisations the session's login is limited to, with those under them; run as
         -- the owner so that it reads every organisation whatever the caller may see.
         CREATE FUNCTION dangwu_scope() RETURNS SETOF bigint LANGUAGE sql STABLE SECURITY DEFINER
             SET search_path = SCHEMA, pg_temp AS $$
             WITH RECURSIVE t(id) AS (
                 SELECT org_id FROM dangwu_access WHERE login = session_user AND org_id IS NOT NULL
                 UNION SELECT o.id FROM org o JOIN t ON o.parent_id = t.id)
             SELECT id FROM t $$;
         CREATE FUNCTION dangwu_whole() RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
             SET search_path = SCHEMA, pg_temp AS $$
             SELECT NOT EXISTS (SELECT 1 FROM dangwu_access WHERE login = session_user AND org_id IS NOT NULL) $$;
         ALTER TABLE dangwu_access ENABLE ROW LEVEL SECURITY;
         CREATE POLICY own ON dangwu_access FOR SELECT USING (login = session_user);
        ",
    )
    .replace("SCHEMA", &schema);
    let mine = |column: &str| format!("(dangwu_whole() OR {column} IN (SELECT dangwu_scope()))");
    for (table, belongs) in ACCESS {
        sql.push_str(&format!("ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;\n"));
        let (read, write) = match belongs {
            Belongs::Org(column, public) => {
                let rule = mine(column);
                (
                    if *public {
                        "true".to_string()
                    } else {
                        rule.clone()
                    },
                    rule,
                )
            }
            Belongs::Member => {
                let rule = "EXISTS (SELECT 1 FROM member m WHERE m.id = member_id)".to_string();
                (rule.clone(), rule)
            }
            Belongs::Parent(column, parent) => {
                let rule = format!("EXISTS (SELECT 1 FROM {parent} p WHERE p.id = {column})");
                (rule.clone(), rule)
            }
            Belongs::Shared => ("true".to_string(), "dangwu_whole()".to_string()),
            Belongs::History => ("dangwu_whole()".to_string(), "true".to_string()),
        };
        sql.push_str(&format!(
            "CREATE POLICY reading ON {table} FOR SELECT USING ({read});
             CREATE POLICY adding ON {table} FOR INSERT WITH CHECK ({write});
             CREATE POLICY changing ON {table} FOR UPDATE USING ({write}) WITH CHECK ({write});
             CREATE POLICY removing ON {table} FOR DELETE USING ({write});\n"
        ));
    }
    conn.execute_batch(&sql)
}

/// Lets `login` use the ledger: limited to the organisation `org` and those under it, or the
/// whole bureau when `None`. The login is made (with `password`) when the server has none by that
/// name. Run by the ledger's owner.
pub fn grant(
    conn: &Conn,
    login: &str,
    org: Option<i64>,
    password: Option<&str>,
) -> rusqlite::Result<()> {
    let name = quote_ident(login);
    let exists = login_exists(conn, login)?;
    conn.writing(|| {
        if !exists {
            let password = password.ok_or_else(|| {
                rusqlite::Error::SqliteFailure(
                    rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_MISUSE),
                    Some(format!("服务器上没有登录名“{login}”，新建时须给出密码")),
                )
            })?;
            conn.execute_batch(&format!(
                "CREATE ROLE {name} LOGIN PASSWORD {}",
                super::dialect::literal(&Value::Text(password.to_string()))?
            ))?;
        }
        conn.execute_batch(&format!(
            "GRANT USAGE ON SCHEMA {schema} TO {name};
             GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {name};
             GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {name};
             REVOKE INSERT, UPDATE, DELETE ON dangwu_access, dangwu_meta FROM {name};",
            schema = current_schema(conn)?,
        ))?;
        conn.execute(
            "INSERT INTO dangwu_access (login, org_id) VALUES (?1, ?2)
             ON CONFLICT (login) DO UPDATE SET org_id = excluded.org_id",
            rusqlite::params![login, org],
        )?;
        Ok(())
    })
}

/// Whether the server has a login (role) named `login`.
pub fn login_exists(conn: &Conn, login: &str) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT count(*) FROM pg_roles WHERE rolname = ?1",
        [login],
        |r| r.get::<_, i64>(0).map(|n| n > 0),
    )
}

fn current_schema(conn: &Conn) -> rusqlite::Result<String> {
    let s: String = conn.query_row("SELECT current_schema()", [], |r| r.get(0))?;
    Ok(quote_ident(&s))
}

/// A name quoted as PostgreSQL quotes identifiers.
fn quote_ident(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}
