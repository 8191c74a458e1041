//! Where SQLite's words and PostgreSQL's differ, in one place. The store writes its statements in
//! SQLite's SQL; on a server each is said again here before it is sent:
//!
//! - the parameters (`?1`, `?`) are written into the statement as literals, quoted the standard
//!   way (a quote doubled; the connection has `standard_conforming_strings` on). The server then
//!   types each from where it stands, as SQLite does: `?3 IS NULL` and `date <= ?1` need no
//!   declared types. (This is what psycopg and other drivers have long done.)
//! - the few functions and clauses that differ: `group_concat` → `string_agg`, `instr` → `strpos`,
//!   `json_each(list)` → `json_array_elements_text(list)`, `INSERT OR IGNORE` → `ON CONFLICT DO
//!   NOTHING`.
//!
//! Anything else the store uses is common to both (and the tests run every query on both).

use rusqlite::types::Value;

/// `sql` with `values` in place of its parameters, in PostgreSQL's words.
pub fn statement(sql: &str, values: &[Value]) -> rusqlite::Result<String> {
    let sql = words(sql);
    bind(&sql, |n| {
        values
            .get(n)
            .map(literal)
            .transpose()?
            .ok_or_else(|| rusqlite::Error::InvalidParameterCount(n + 1, values.len()))
    })
}

/// `sql` with NULL for every parameter: enough to ask the server which columns it gives.
pub fn described(sql: &str) -> rusqlite::Result<String> {
    bind(&words(sql), |_| Ok("NULL".to_string()))
}

/// The functions and clauses that are said differently.
fn words(sql: &str) -> String {
    let mut out = sql.replace(
        "SELECT value FROM json_each(",
        "SELECT value::bigint FROM json_array_elements_text(",
    );
    out = replace_calls(&out, "group_concat", |args| match split_top(args) {
        (x, Some(sep)) => format!("string_agg(({x})::text, {sep})"),
        (x, None) => format!("string_agg(({x})::text, ',')"),
    });
    out = replace_calls(&out, "instr", |args| format!("strpos({args})"));
    if let Some(rest) = out.trim_start().strip_prefix("INSERT OR IGNORE INTO") {
        out = format!(
            "INSERT INTO{} ON CONFLICT DO NOTHING",
            rest.trim_end().trim_end_matches(';')
        );
    }
    out
}

/// Every call `name(args)` (a whole word, outside quotes) replaced by `with(args)`.
fn replace_calls(sql: &str, name: &str, with: impl Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut rest = sql;
    while let Some(at) = find_word_call(rest, name) {
        out.push_str(&rest[..at]);
        let open = at + name.len();
        let Some(close) = matching_paren(rest, open) else {
            break;
        };
        out.push_str(&with(&rest[open + 1..close]));
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

fn find_word_call(sql: &str, name: &str) -> Option<usize> {
    let bytes = sql.as_bytes();
    let mut from = 0;
    while let Some(i) = sql[from..].find(name) {
        let at = from + i;
        let before_ok =
            at == 0 || !(bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_');
        if before_ok && bytes.get(at + name.len()) == Some(&b'(') {
            return Some(at);
        }
        from = at + name.len();
    }
    None
}

fn matching_paren(sql: &str, open: usize) -> Option<usize> {
    let mut depth = 0;
    for (i, c) in sql[open..].char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(open + i);
                }
            }
            _ => {}
        }
    }
    None
}

/// `a, ', '` → (`a`, Some(`', '`)): the arguments split at the first comma outside parentheses.
fn split_top(args: &str) -> (&str, Option<&str>) {
    let mut depth = 0;
    for (i, c) in args.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => return (args[..i].trim(), Some(args[i + 1..].trim())),
            _ => {}
        }
    }
    (args.trim(), None)
}

/// `sql` with each parameter (`?N`, or `?` for the next one) replaced by `value(n)` (n from 0).
/// Quoted text, quoted names and comments are left as they are.
fn bind(sql: &str, value: impl Fn(usize) -> rusqlite::Result<String>) -> rusqlite::Result<String> {
    let mut out = String::with_capacity(sql.len() + 16);
    let mut chars = sql.char_indices().peekable();
    let mut next = 0;
    while let Some((_, c)) = chars.next() {
        match c {
            '\'' | '"' => {
                out.push(c);
                for (_, d) in chars.by_ref() {
                    out.push(d);
                    if d == c {
                        break;
                    }
                }
            }
            '-' if chars.peek().map(|&(_, d)| d) == Some('-') => {
                for (_, d) in chars.by_ref() {
                    if d == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            '?' => {
                let mut digits = String::new();
                while let Some(&(_, d)) = chars.peek() {
                    if d.is_ascii_digit() {
                        digits.push(d);
                        chars.next();
                    } else {
                        break;
                    }
                }
                let n = if digits.is_empty() {
                    next
                } else {
                    digits.parse::<usize>().unwrap_or(0).saturating_sub(1)
                };
                next = n + 1;
                out.push_str(&value(n)?);
            }
            c => out.push(c),
        }
    }
    Ok(out)
}

/// A value written as a PostgreSQL literal.
pub(super) fn literal(v: &Value) -> rusqlite::Result<String> {
    Ok(match v {
        Value::Null => "NULL".into(),
        // In brackets: `x - ?1` with -5 must not become `x --5`, a comment.
        Value::Integer(n) if *n < 0 => format!("({n})"),
        Value::Integer(n) => n.to_string(),
        Value::Real(f) if f.is_finite() => format!("({f:?})"),
        Value::Real(_) => {
            return Err(rusqlite::Error::ToSqlConversionFailure(
                "不能保存非有限的数值".into(),
            ));
        }
        Value::Text(s) => {
            if s.contains('\0') {
                return Err(rusqlite::Error::ToSqlConversionFailure(
                    "文字中含有空字符（\\0），服务器不接受".into(),
                ));
            }
            format!("'{}'", s.replace('\'', "''"))
        }
        Value::Blob(b) => {
            let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
            format!("'\\x{hex}'::bytea")
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_become_literals_outside_quotes() {
        let sql = statement(
            "SELECT '?1', \"?\" FROM t WHERE a = ?1 AND b <= ?2 AND (?3 IS NULL) -- ?4\n AND c = ?",
            &[
                Value::Text("O'Brien".into()),
                Value::Integer(-5),
                Value::Null,
                Value::Integer(7),
            ],
        )
        .unwrap();
        assert_eq!(
            sql,
            "SELECT '?1', \"?\" FROM t WHERE a = 'O''Brien' AND b <= (-5) AND (NULL IS NULL) \n AND c = 7"
        );
    }

    #[test]
    fn missing_parameter_is_an_error() {
        assert!(statement("SELECT ?2", &[Value::Integer(1)]).is_err());
    }

    #[test]
    fn functions_said_the_postgresql_way() {
        assert_eq!(
            words("SELECT group_concat(type_id) FROM k WHERE instr(a.topic, ?5) > 0"),
            "SELECT string_agg((type_id)::text, ',') FROM k WHERE strpos(a.topic, ?5) > 0"
        );
        assert_eq!(
            words("INSERT OR IGNORE INTO s (a, b) VALUES (?1, ?2)"),
            "INSERT INTO s (a, b) VALUES (?1, ?2) ON CONFLICT DO NOTHING"
        );
        assert_eq!(
            words("a.org_id IN (SELECT value FROM json_each(?3))"),
            "a.org_id IN (SELECT value::bigint FROM json_array_elements_text(?3))"
        );
    }
}
