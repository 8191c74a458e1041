//! The rows and aggregates the year-end tally is computed from. The SQL lives here (and only here);
//! `crate::tally` turns what these return into the figures, the paragraph and the tables.
//!
//! Every query takes the same three parameters: `?1` the first day counted, `?2` the last (as-of),
//! `?3` the organisations counted as a JSON array of ids, or NULL for all. The texts are public so
//! that the benchmark can run the very same SQL in the sqlite3 command-line tool.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::params;

use super::{Db, Held, Result, sql};
use crate::model::rectify::{EventKind, Rectification};
use crate::model::talk::Talk;

/// Records per organisation, type, month and 所属年度 (a record with two types counts under
/// each): the counts by type, the per-organisation table and compliance are all made from it.
pub const HELD_SQL: &str = "SELECT a.org_id, k.type_id, substr(a.date, 1, 7), a.for_year, count(*)
     FROM activity a JOIN activity_kind k ON k.activity_id = a.id
     WHERE a.date BETWEEN ?1 AND ?2 AND (?3 IS NULL OR a.org_id IN (SELECT value FROM json_each(?3)))
     GROUP BY 1, 2, 3, 4";

/// Yearly meetings held after the range's year for it (a 2022 组织生活会 held in January 2023).
pub const HELD_LATER_SQL: &str =
    "SELECT a.org_id, k.type_id, substr(a.date, 1, 7), a.for_year, count(*)
     FROM activity a JOIN activity_kind k ON k.activity_id = a.id
     WHERE a.for_year = CAST(substr(?1, 1, 4) AS INTEGER) AND a.date > substr(?1, 1, 4) || '-12-31'
       AND (?3 IS NULL OR a.org_id IN (SELECT value FROM json_each(?3)))
     GROUP BY 1, 2, 3, 4";

/// Records per month, with 应到 / 实到 summed over the records that have 应到.
pub const ACTIVITY_MONTHS_SQL: &str = "SELECT CAST(substr(a.date, 6, 2) AS INTEGER), count(*),
            coalesce(sum(a.expected), 0),
            coalesce(sum(CASE WHEN a.expected IS NOT NULL THEN a.present END), 0)
     FROM activity a
     WHERE a.date BETWEEN ?1 AND ?2 AND (?3 IS NULL OR a.org_id IN (SELECT value FROM json_each(?3)))
     GROUP BY 1";

/// The 第一议题 records of the scope: when each was studied, and the speech's date.
const FIRST_TOPICS_SQL: &str = "SELECT a.date, a.speech_date
     FROM activity a
     JOIN activity_kind k ON k.activity_id = a.id
     JOIN activity_type t ON t.id = k.type_id AND t.label = ?4
     WHERE a.date BETWEEN ?1 AND ?2 AND (?3 IS NULL OR a.org_id IN (SELECT value FROM json_each(?3)))";

/// The records of the scope per 专题, and per type and 专题.
const THEMES_SQL: &str = "SELECT t.theme_id, count(*)
     FROM activity a JOIN activity_theme t ON t.activity_id = a.id
     WHERE a.date BETWEEN ?1 AND ?2 AND (?3 IS NULL OR a.org_id IN (SELECT value FROM json_each(?3)))
     GROUP BY 1";
const THEMES_BY_TYPE_SQL: &str = "SELECT k.type_id, t.theme_id, count(*)
     FROM activity a
     JOIN activity_theme t ON t.activity_id = a.id
     JOIN activity_kind k ON k.activity_id = a.id
     WHERE a.date BETWEEN ?1 AND ?2 AND (?3 IS NULL OR a.org_id IN (SELECT value FROM json_each(?3)))
     GROUP BY 1, 2";

/// Elections of the scope held in the range, and the people they elected by role.
const ELECTIONS_SQL: &str = "SELECT
       (SELECT count(*) FROM election x
         WHERE x.held BETWEEN ?1 AND ?2 AND (?3 IS NULL OR x.org_id IN (SELECT value FROM json_each(?3)))),
       count(*) FILTER (WHERE e.role = '书记'),
       count(*) FILTER (WHERE e.role = '副书记'),
       count(*) FILTER (WHERE e.role = '委员')
     FROM election_member e JOIN election x ON x.id = e.election_id
     WHERE x.held BETWEEN ?1 AND ?2 AND (?3 IS NULL OR x.org_id IN (SELECT value FROM json_each(?3)))";

/// The 党课 records of the scope with a 主讲人: when, and who (as typed).
const LECTURES_SQL: &str = "SELECT a.date, a.lecturer
     FROM activity a
     JOIN activity_kind k ON k.activity_id = a.id
     JOIN activity_type t ON t.id = k.type_id AND t.label = ?4
     WHERE a.date BETWEEN ?1 AND ?2 AND a.lecturer <> ''
       AND (?3 IS NULL OR a.org_id IN (SELECT value FROM json_each(?3)))";

/// `expr` (an organisation id) lies in the scope `?3` (every organisation when NULL). A NULL
/// `expr` (a transfer from outside) is plainly false (not NULL), so that `NOT` of it is true; and
/// `expr` is written once for the whole bureau (a server evaluates each copy of it).
fn in_scope(expr: &str) -> String {
    format!(
        "(coalesce({expr}, 0) <> 0 AND (?3 IS NULL OR {expr} IN (SELECT value FROM json_each(?3))))"
    )
}

/// The member figures, in the order of `MemberCounts`; 在册 and 正式 from the one definition, each
/// member counted under the organisation the transfers put them in on the date of the step.
pub fn members_sql() -> String {
    let on_rolls = sql::on_rolls_placed("m", "?2", "p.org_id");
    let full = sql::full_at("m", "?2");
    let step = |col: &str| {
        format!(
            "count(*) FILTER (WHERE m.{col} BETWEEN ?1 AND ?2 AND {})",
            in_scope(&sql::org_at("m", &format!("m.{col}")))
        )
    };
    let now = in_scope("p.org_id");
    format!(
        "WITH {}
         SELECT {}, {}, {}, {}, {},
                count(*) FILTER (WHERE {on_rolls} AND {now}),
                count(*) FILTER (WHERE {on_rolls} AND {full} AND {now})
         FROM member m JOIN placed p ON p.member_id = m.id",
        sql::placed("?2"),
        step("applied_on"),
        step("activist_on"),
        step("candidate_on"),
        step("probationary_on"),
        step("full_on"),
    )
}

/// 转入 and 转出 of the scope: a transfer that ends inside it and starts outside it, or the other
/// way round (a move between two branches of the scope is neither).
pub fn transfers_sql() -> String {
    let (from, to) = (in_scope("t.from_org_id"), in_scope("t.to_org_id"));
    format!(
        "SELECT count(*) FILTER (WHERE {to} AND NOT {from}),
                count(*) FILTER (WHERE {from} AND NOT {to})
         FROM transfer t WHERE t.date BETWEEN ?1 AND ?2"
    )
}

/// Dues whose month lies in the range, by the organisation they were paid in.
pub fn dues_sql() -> String {
    format!(
        "SELECT coalesce(sum(d.amount_fen), 0), count(DISTINCT d.member_id) FROM dues d
         WHERE d.month BETWEEN substr(?1, 1, 7) AND substr(?2, 1, 7) AND {}",
        in_scope("d.org_id")
    )
}

/// 表彰 and 走访慰问 (人次) dated in the range; 民主评议 results of the range's year by grade.
pub fn events_sql() -> String {
    format!(
        "SELECT e.kind, e.grade, count(*) FROM member_event e
         WHERE ((e.kind <> '民主评议' AND e.date BETWEEN ?1 AND ?2)
                OR (e.kind = '民主评议' AND e.for_year = CAST(substr(?1, 1, 4) AS INTEGER)))
           AND {}
         GROUP BY 1, 2",
        in_scope("e.org_id")
    )
}

/// Talks dated in the range, for their 所属组织.
pub const TALK_IDS_SQL: &str = "SELECT t.id FROM talk t
     WHERE t.date BETWEEN ?1 AND ?2 AND (?3 IS NULL OR t.org_id IN (SELECT value FROM json_each(?3)))
     ORDER BY t.date, t.id";

/// The member figures of a range, by the member's organisation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MemberCounts {
    pub new_applicants: u32,
    pub new_activists: u32,
    pub new_candidates: u32,
    pub new_probationary: u32,
    pub converted_to_full: u32,
    pub on_rolls: u32,
    pub full: u32,
    pub transferred_in: u32,
    pub transferred_out: u32,
}

/// What the tally reads of member events and dues.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventCounts {
    pub commendations: u32,
    pub visits: u32,
    /// 民主评议 results for the year, by grade label.
    pub reviews: Vec<(String, u32)>,
    pub dues_fen: i64,
    pub dues_members: u32,
}

/// What the tally reads for one range and set of organisations.
#[derive(Debug, Clone, Default)]
pub struct TallyRows {
    /// Records per organisation, type and month (and the yearly meetings held later for the year).
    pub held: Vec<Held>,
    pub activities_total: u32,
    pub expected: u32,
    pub present: u32,
    /// Records per month, index 0 = January.
    pub months: [u32; 12],
    pub members: MemberCounts,
    pub events: EventCounts,
    pub talks: Vec<Talk>,
    /// The 第一议题 records: (date studied, date of the speech if recorded).
    pub first_topics: Vec<(NaiveDate, Option<NaiveDate>)>,
    /// Records per 专题: (theme id, count).
    pub themes: Vec<(i64, u32)>,
    /// Records per type and 专题 together: (type id, theme id, count).
    pub themes_by_type: Vec<(i64, i64, u32)>,
    /// Elections held: (elections, 书记, 副书记, 委员 elected).
    pub elections: (u32, u32, u32, u32),
    /// The 党课 records with a 主讲人: (date, 主讲人 as typed).
    pub lectures: Vec<(NaiveDate, String)>,
}

/// A rectification item with the history the tally reads: (date, kind) in order.
#[derive(Debug, Clone)]
pub struct ItemHistory {
    pub item: Rectification,
    pub events: Vec<(NaiveDate, EventKind)>,
}

/// `None` for every organisation, else the JSON array `?3` expects.
fn org_param(orgs: Option<&[i64]>) -> Option<String> {
    orgs.map(|ids| serde_json::to_string(ids).unwrap_or_else(|_| "[]".into()))
}

impl Db {
    /// The aggregates of `from..=to` for `orgs` (all when `None`).
    pub fn tally_rows(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        orgs_ids: Option<&[i64]>,
    ) -> Result<TallyRows> {
        let orgs = org_param(orgs_ids);
        let p = params![from, to, orgs];
        let conn = self.conn();
        let mut rows = TallyRows {
            held: self.held_counts(from, to, orgs_ids)?,
            ..Default::default()
        };
        let mut stmt = conn.prepare_cached(ACTIVITY_MONTHS_SQL)?;
        for r in stmt.query_map(p, |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, u32>(1)?,
                r.get::<_, u32>(2)?,
                r.get::<_, u32>(3)?,
            ))
        })? {
            let (month, n, expected, present) = r?;
            rows.activities_total += n;
            rows.expected += expected;
            rows.present += present;
            if let Some(slot) = usize::try_from(month - 1)
                .ok()
                .and_then(|i| rows.months.get_mut(i))
            {
                *slot = n;
            }
        }
        rows.members = conn.prepare_cached(&members_sql())?.query_row(p, |r| {
            Ok(MemberCounts {
                new_applicants: r.get(0)?,
                new_activists: r.get(1)?,
                new_candidates: r.get(2)?,
                new_probationary: r.get(3)?,
                converted_to_full: r.get(4)?,
                on_rolls: r.get(5)?,
                full: r.get(6)?,
                ..Default::default()
            })
        })?;
        (rows.members.transferred_in, rows.members.transferred_out) = conn
            .prepare_cached(&transfers_sql())?
            .query_row(p, |r| Ok((r.get(0)?, r.get(1)?)))?;
        (rows.events.dues_fen, rows.events.dues_members) = conn
            .prepare_cached(&dues_sql())?
            .query_row(p, |r| Ok((r.get(0)?, r.get(1)?)))?;
        let mut stmt = conn.prepare_cached(&events_sql())?;
        for r in stmt.query_map(p, |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, u32>(2)?,
            ))
        })? {
            let (kind, grade, n) = r?;
            match (kind.as_str(), grade) {
                ("表彰", _) => rows.events.commendations += n,
                ("走访慰问", _) => rows.events.visits += n,
                (_, Some(grade)) => rows.events.reviews.push((grade, n)),
                _ => {}
            }
        }
        let ids: std::collections::HashSet<i64> = conn
            .prepare_cached(TALK_IDS_SQL)?
            .query_map(p, |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        // The talks of the range in two reads, not two a talk (a server pays a round trip each),
        // oldest first as TALK_IDS_SQL orders them.
        let mut talks = self.talks_between(&from.to_string(), &to.to_string())?;
        talks.retain(|t| t.id.is_some_and(|id| ids.contains(&id)));
        talks.reverse();
        rows.talks = talks;
        rows.first_topics = conn
            .prepare_cached(FIRST_TOPICS_SQL)?
            .query_map(
                params![
                    from,
                    to,
                    org_param(orgs_ids),
                    crate::model::activity::FIRST_TOPIC
                ],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?
            .collect::<rusqlite::Result<_>>()?;
        rows.themes = conn
            .prepare_cached(THEMES_SQL)?
            .query_map(p, |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        rows.themes_by_type = conn
            .prepare_cached(THEMES_BY_TYPE_SQL)?
            .query_map(p, |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        rows.elections = conn
            .prepare_cached(ELECTIONS_SQL)?
            .query_row(p, |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
        rows.lectures = conn
            .prepare_cached(LECTURES_SQL)?
            .query_map(
                params![
                    from,
                    to,
                    org_param(orgs_ids),
                    crate::model::activity::LECTURE
                ],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Every rectification item of `orgs` (all when `None`) with its history, for figures "as of" a
    /// date: reopening an item later must not change an earlier year's figures.
    pub fn rectification_histories(&self, orgs: Option<&[i64]>) -> Result<Vec<ItemHistory>> {
        let wanted: Option<std::collections::HashSet<i64>> =
            orgs.map(|ids| ids.iter().copied().collect());
        let mut events: HashMap<i64, Vec<(NaiveDate, EventKind)>> = HashMap::new();
        let mut stmt = self.conn().prepare_cached(
            "SELECT item_id, date, kind FROM rectification_event ORDER BY item_id, date, id",
        )?;
        for r in stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))? {
            let (item, date, kind): (i64, NaiveDate, EventKind) = r?;
            events.entry(item).or_default().push((date, kind));
        }
        Ok(self
            .rectifications()?
            .into_iter()
            .filter(|item| {
                wanted
                    .as_ref()
                    .is_none_or(|w| item.org_id.is_some_and(|o| w.contains(&o)))
            })
            .map(|item| ItemHistory {
                events: item
                    .id
                    .and_then(|id| events.remove(&id))
                    .unwrap_or_default(),
                item,
            })
            .collect())
    }
}

/// The SQL of the tally with its parameters written in, for the sqlite3 command-line tool (the
/// benchmark runs both and compares).
pub fn script(from: NaiveDate, to: NaiveDate, orgs: Option<&[i64]>) -> String {
    let orgs = match org_param(orgs) {
        Some(json) => format!("'{json}'"),
        None => "NULL".into(),
    };
    let bind = |sql: &str| {
        sql.replace("?1", &format!("'{from}'"))
            .replace("?2", &format!("'{to}'"))
            .replace("?3", &orgs)
    };
    [
        HELD_SQL.to_string(),
        HELD_LATER_SQL.to_string(),
        ACTIVITY_MONTHS_SQL.to_string(),
        members_sql(),
        transfers_sql(),
        dues_sql(),
        events_sql(),
        TALK_IDS_SQL.to_string(),
        "SELECT item_id, date, kind FROM rectification_event ORDER BY item_id, date, id".into(),
        // What else the tally reads, small tables all: organisations with 在册, types, kinds,
        // the organisations' own settings, the rectification items, the talks of the range.
        format!(
            "SELECT org.*, c.n FROM org LEFT JOIN
             (SELECT {} AS org_id, count(*) AS n FROM member m WHERE {} GROUP BY 1) c ON c.org_id = org.id",
            sql::org_at("m", "?2"),
            sql::on_rolls("m", "?2")
        ),
        "SELECT * FROM activity_type ORDER BY position, id".into(),
        "SELECT * FROM talk_kind ORDER BY position, id".into(),
        "SELECT * FROM org_expectation".into(),
        "SELECT * FROM rectification ORDER BY found_on DESC, id DESC".into(),
        "SELECT t.*, s.member_id FROM talk t LEFT JOIN talk_subject s ON s.talk_id = t.id
         WHERE t.date BETWEEN ?1 AND ?2"
            .into(),
    ]
    .iter()
    .map(|s| format!("{};\n", bind(s)))
    .collect()
}
