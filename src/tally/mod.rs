//! The year-end figures (tally.md). Everything here is computed from the records; nothing is typed
//! in. The store hands over rows and aggregates (`store::tally`); the rules of each figure live in
//! the model (在册, 谈话人次, which periods an organisation owes) and are applied here.

pub mod compliance;
pub mod rectify;
pub mod report;
pub mod summary;

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::model::activity::{ActivityType, Frequency};
use crate::model::member_event::Grade;
use crate::model::org::{Org, with_descendants};
use crate::model::talk::{Talk, TalkKind};
use crate::store::{Db, Result};
pub use rectify::RectFigures;

/// The day figures for `year` are counted up to: 31 December, or `today` within the current year.
pub fn as_of(year: i32, today: NaiveDate) -> NaiveDate {
    if year >= today.year() {
        today
    } else {
        NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(today)
    }
}

/// Resolves what the command line names: `--as-of` (any date spelling the forms take, within the
/// year) and `--org` (an organisation's name). `Err` is a sentence for the user.
pub fn resolve_scope(
    db: &Db,
    year: i32,
    as_of_text: Option<&str>,
    org_name: Option<&str>,
    today: NaiveDate,
) -> std::result::Result<Scope, String> {
    let mut scope = Scope::year(year, today);
    if let Some(text) = as_of_text {
        let day = crate::model::date::parse_date(text).map_err(|e| format!("--as-of：{e}"))?;
        if day.year() != year {
            return Err(format!(
                "--as-of：截至日期{}不在{year}年内",
                crate::model::date::iso(day)
            ));
        }
        scope.as_of = day;
    }
    // A server login limited to an organisation counts that organisation (it reads no other).
    scope.org = db.limited_to();
    if let Some(name) = org_name {
        scope.org = Some(org_named(db, name, scope.as_of)?);
    }
    Ok(scope)
}

/// The organisation a command names (`--org 名称`), or a message that lists those there are.
pub fn org_named(db: &Db, name: &str, date: NaiveDate) -> std::result::Result<i64, String> {
    let orgs = db.orgs(date).map_err(|e| e.to_string())?;
    let found = orgs.iter().find(|s| s.org.name == name.trim());
    match found.and_then(|s| s.org.id) {
        Some(id) => Ok(id),
        None => {
            let names: Vec<&str> = orgs.iter().map(|s| s.org.name.as_str()).collect();
            Err(if names.is_empty() {
                format!("找不到组织“{name}”：数据文件中还没有组织")
            } else {
                format!("找不到组织“{name}”。已有的组织：{}", names.join("、"))
            })
        }
    }
}

/// What to count: a year, up to a day of it, for the bureau or one organisation with those under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    pub year: i32,
    pub as_of: NaiveDate,
    pub org: Option<i64>,
}

impl Scope {
    /// The whole year (up to today in the current year), for every organisation.
    pub fn year(year: i32, today: NaiveDate) -> Self {
        Scope {
            year,
            as_of: as_of(year, today),
            org: None,
        }
    }

    pub fn first_day(&self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, 1, 1).unwrap_or(self.as_of)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TypeCount {
    pub group: String,
    #[serde(rename = "type")]
    pub label: String,
    pub count: u32,
    #[serde(skip)]
    pub type_id: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct AttendanceFigures {
    pub expected: u32,
    pub present: u32,
    /// present / expected, `None` when nothing was expected.
    pub rate: Option<f64>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct MemberFigures {
    pub on_rolls: u32,
    pub full: u32,
    pub probationary: u32,
    pub new_applicants: u32,
    pub new_activists: u32,
    pub new_candidates: u32,
    pub new_probationary: u32,
    pub converted_to_full: u32,
    pub transferred_in: u32,
    pub transferred_out: u32,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct DuesFigures {
    pub collected_fen: i64,
    pub members_paid: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GradeCount {
    pub grade: &'static str,
    pub count: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KindCount {
    pub kind: String,
    pub count: u32,
    pub subjects: u32,
}

/// Records dated in the year that carry a 专题 (tally.md `topics`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TopicCount {
    pub topic: String,
    pub count: u32,
}

/// Records of a type that carry a 专题: 党组会议 × 意识形态工作 is 党组会议研究意识形态工作N次.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TopicTypeCount {
    #[serde(rename = "type")]
    pub label: String,
    pub topic: String,
    pub count: u32,
}

/// 第一议题 records dated in the year, and how many studied the speech within
/// [`crate::model::activity::FIRST_TOPIC_DAYS`] days (a record without the speech's date is not
/// counted as within: nothing says it was).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct FirstTopicFigures {
    pub count: u32,
    pub within_7_days: u32,
}

/// 换届选举 held in the year, and the people elected by role (tally.md `elections`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct ElectionFigures {
    pub held: u32,
    pub secretaries: u32,
    pub deputies: u32,
    pub members: u32,
}

/// 党课 of the year whose 主讲人 sat on the leadership's committee that day (党组, or the 党委 at the
/// top where there is no 党组): 领导班子成员带头讲党课.
fn leaders_lectures(
    lectures: &[(NaiveDate, String)],
    leadership: &[(
        Vec<crate::model::org::CommitteeMember>,
        Vec<crate::model::election::Election>,
    )],
) -> u32 {
    use crate::model::election::{committee_at, names_one_of};
    lectures
        .iter()
        .filter(|(date, lecturer)| {
            leadership.iter().any(|(hand, elections)| {
                names_one_of(lecturer, &committee_at(*date, hand, elections))
            })
        })
        .count() as u32
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TalkFigures {
    pub total: u32,
    /// 谈话对象人次.
    pub subjects: u32,
    pub by_kind: Vec<KindCount>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComplianceEntry {
    pub organisation: String,
    #[serde(rename = "type")]
    pub label: String,
    /// `month`, `quarter` or `year`.
    pub period: &'static str,
    pub required: u32,
    pub held: u32,
    pub missing: Vec<String>,
}

fn topic_counts(themes: &[crate::model::theme::Theme], counts: &[(i64, u32)]) -> Vec<TopicCount> {
    themes
        .iter()
        .filter_map(|t| {
            let count = counts
                .iter()
                .find(|(id, _)| Some(*id) == t.id)
                .map_or(0, |(_, n)| *n);
            (!t.hidden || count > 0).then(|| TopicCount {
                topic: t.label.clone(),
                count,
            })
        })
        .collect()
}

fn topic_type_counts(
    types: &[ActivityType],
    themes: &[crate::model::theme::Theme],
    counts: &[(i64, i64, u32)],
) -> Vec<TopicTypeCount> {
    // In the order of the types, then of the 专题.
    let mut out = Vec::new();
    for ty in types {
        for theme in themes {
            if let Some((_, _, n)) = counts
                .iter()
                .find(|(t, th, _)| Some(*t) == ty.id && Some(*th) == theme.id)
            {
                out.push(TopicTypeCount {
                    label: ty.label.clone(),
                    topic: theme.label.clone(),
                    count: *n,
                });
            }
        }
    }
    out
}

impl Tally {
    /// The records of the 专题 named `topic`.
    pub fn topic_count(&self, topic: &str) -> u32 {
        self.topics
            .iter()
            .find(|t| t.topic == topic)
            .map_or(0, |t| t.count)
    }

    /// The records of type `label` that carry the 专题 `topic`.
    pub fn topic_type_count(&self, label: &str, topic: &str) -> u32 {
        self.topics_by_type
            .iter()
            .find(|t| t.label == label && t.topic == topic)
            .map_or(0, |t| t.count)
    }
}

fn first_topic_figures(studied: &[(NaiveDate, Option<NaiveDate>)]) -> FirstTopicFigures {
    use crate::model::activity::first_topic_late_by;
    FirstTopicFigures {
        count: studied.len() as u32,
        within_7_days: studied
            .iter()
            .filter(|(date, speech)| {
                speech.is_some_and(|s| s <= *date && first_topic_late_by(s, *date).is_none())
            })
            .count() as u32,
    }
}

/// Every figure of tally.md for one scope. Serialised, it is the JSON of `dangwu tally --format
/// json`, with the keys tally.md lists.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tally {
    pub year: i32,
    pub organisation: Option<String>,
    pub as_of: NaiveDate,
    pub activities_total: u32,
    pub activities: Vec<TypeCount>,
    pub attendance: AttendanceFigures,
    pub members: MemberFigures,
    pub commendations: u32,
    pub visits: u32,
    pub dues: DuesFigures,
    /// 民主评议 results for the year (所属年度), every grade listed.
    pub reviews: Vec<GradeCount>,
    pub talks: TalkFigures,
    pub rectification: RectFigures,
    pub first_topic: FirstTopicFigures,
    /// Every 专题 in use (retired ones only where they count), in the list's order.
    pub topics: Vec<TopicCount>,
    /// The types and 专题 held together, those with records only.
    pub topics_by_type: Vec<TopicTypeCount>,
    pub elections: ElectionFigures,
    /// 党课 given by members of the leadership (领导班子成员带头讲党课).
    pub leaders_lectures: u32,
    pub compliance: Vec<ComplianceEntry>,
    /// Records per month (January first), for the chart.
    #[serde(skip)]
    pub months: [u32; 12],
    /// Records per organisation and type, for the per-organisation table.
    #[serde(skip)]
    pub by_org: BTreeMap<i64, HashMap<i64, u32>>,
    /// The organisations' names, for the tables.
    #[serde(skip)]
    pub org_names: BTreeMap<i64, String>,
    /// The organisations in the one order they are shown in (the tree's), with their depth.
    #[serde(skip)]
    pub org_order: Vec<(usize, i64)>,
    /// Compliance with its period-by-period cells, for the grids.
    #[serde(skip)]
    pub compliance_rows: Vec<compliance::ComplianceRow>,
}

impl Tally {
    /// The organisations of the per-organisation tables, in the tree's order with their depth:
    /// those with records of `types`, and the organisations above them (a 机关党委 is shown with
    /// its own figures, blank when it held none, above its branches).
    pub fn org_rows(&self, types: &[i64]) -> Vec<(usize, i64)> {
        let has = |id: &i64| {
            self.by_org
                .get(id)
                .is_some_and(|c| types.iter().any(|t| c.contains_key(t)))
        };
        let mut keep = vec![false; self.org_order.len()];
        for (i, (depth, id)) in self.org_order.iter().enumerate() {
            if has(id) {
                keep[i] = true;
                // Its ancestors: the nearest earlier rows of each smaller depth.
                let mut d = *depth;
                for j in (0..i).rev() {
                    if d == 0 {
                        break;
                    }
                    if self.org_order[j].0 < d {
                        keep[j] = true;
                        d = self.org_order[j].0;
                    }
                }
            }
        }
        self.org_order
            .iter()
            .zip(keep)
            .filter(|(_, k)| *k)
            .map(|(row, _)| *row)
            .collect()
    }

    /// The count of the type labelled `label`.
    pub fn count_of(&self, label: &str) -> u32 {
        self.activities
            .iter()
            .find(|t| t.label == label)
            .map_or(0, |t| t.count)
    }
}

/// One line of the 党费收缴公示表.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuesRow {
    pub name: String,
    /// The base and rate of the member's last month paid in the year.
    pub base: String,
    pub rate: String,
    pub months: [Option<i64>; 12],
    /// Months owed (`dues::month_is_due`) while on this organisation's roll, not paid.
    pub owed: Vec<u32>,
}

/// The 党费收缴公示表 of `org` for `year`: everyone on its roll at a month's end of the year, or who
/// paid in it, by name (pinyin).
pub fn dues_table(db: &Db, org: i64, year: i32, today: NaiveDate) -> Result<Vec<DuesRow>> {
    use crate::model::dues::{self, month_is_due, yuan};
    let rows = db.dues_of_year(Some(org), year)?;
    let mut people: Vec<(i64, String)> = Vec::new();
    let mut owed: HashMap<i64, Vec<u32>> = HashMap::new();
    for month in (1..=12).filter(|&m| month_is_due(year, m, today)) {
        for (id, name) in db.roll_at(org, crate::store::roll_day(year, month, today))? {
            if !rows.iter().any(|d| d.member_id == id && d.month == month) {
                owed.entry(id).or_default().push(month);
            }
            if !people.iter().any(|(p, _)| *p == id) {
                people.push((id, name));
            }
        }
    }
    for d in &rows {
        if !people.iter().any(|(p, _)| *p == d.member_id) {
            people.push((d.member_id, db.member(d.member_id)?.name));
        }
    }
    people.sort_by_cached_key(|(_, name)| crate::model::collate::pinyin_key(name));
    Ok(people
        .into_iter()
        .map(|(id, name)| {
            let mine: Vec<_> = rows.iter().filter(|d| d.member_id == id).collect();
            let mut months = [None; 12];
            for d in &mine {
                if let Some(slot) = months.get_mut(d.month as usize - 1) {
                    *slot = Some(d.amount_fen);
                }
            }
            let last = mine.last();
            DuesRow {
                name,
                base: last.and_then(|d| d.base_fen).map(yuan).unwrap_or_default(),
                rate: last
                    .map(|d| dues::rate(d.basis, d.base_fen.unwrap_or(0)).label())
                    .unwrap_or_default(),
                months,
                owed: owed.remove(&id).unwrap_or_default(),
            }
        })
        .collect())
}

/// Computes every figure of `scope`.
pub fn compute(db: &Db, scope: &Scope) -> Result<Tally> {
    let summaries = db.orgs(scope.as_of)?;
    let mut orgs: Vec<Org> = summaries.into_iter().map(|s| s.org).collect();
    let dated = compliance::dated_from_entry(&mut orgs, &db.org_entry_dates()?);
    // The tree's order, for every table and the compliance list.
    let tree = crate::model::org::tree_order(&orgs);
    let org_order: Vec<(usize, i64)> = tree
        .iter()
        .filter_map(|(depth, i)| Some((*depth, orgs[*i].id?)))
        .collect();
    let orgs: Vec<Org> = tree.iter().map(|(_, i)| orgs[*i].clone()).collect();
    let subtree: Option<Vec<i64>> = scope.org.map(|id| {
        let mut ids: Vec<i64> = with_descendants(&orgs, id).into_iter().collect();
        ids.sort_unstable();
        ids
    });
    let types = db.activity_types()?;
    let rows = db.tally_rows(scope.first_day(), scope.as_of, subtree.as_deref())?;
    let histories = db.rectification_histories(subtree.as_deref())?;
    let mut compliance_rows = compliance::mark_counted_from(
        compliance::evaluate(&orgs, &types, &rows.held, scope.year, scope.as_of),
        &dated,
    );
    if let Some(ids) = &subtree {
        compliance_rows.retain(|r| ids.contains(&r.org_id));
    }
    let talk_kinds = db.talk_kinds()?;
    let themes = db.themes()?;

    // Counts by date: the yearly meetings held after the year for it are not the year's records.
    let mut by_type: HashMap<i64, u32> = HashMap::new();
    let mut by_org: BTreeMap<i64, HashMap<i64, u32>> = BTreeMap::new();
    for h in rows.held.iter().filter(|h| h.month.year() == scope.year) {
        *by_type.entry(h.type_id).or_default() += h.count;
        *by_org
            .entry(h.org_id)
            .or_default()
            .entry(h.type_id)
            .or_default() += h.count;
    }
    let activities = type_counts(&types, &by_type);
    let members = &rows.members;
    Ok(Tally {
        year: scope.year,
        organisation: scope.org.and_then(|id| {
            orgs.iter()
                .find(|o| o.id == Some(id))
                .map(|o| o.name.clone())
        }),
        as_of: scope.as_of,
        activities_total: rows.activities_total,
        activities,
        attendance: AttendanceFigures {
            expected: rows.expected,
            present: rows.present,
            rate: (rows.expected > 0)
                .then(|| rectify::round4(rows.present as f64 / rows.expected as f64)),
        },
        members: MemberFigures {
            on_rolls: members.on_rolls,
            full: members.full,
            probationary: members.on_rolls - members.full,
            new_applicants: members.new_applicants,
            new_activists: members.new_activists,
            new_candidates: members.new_candidates,
            new_probationary: members.new_probationary,
            converted_to_full: members.converted_to_full,
            transferred_in: members.transferred_in,
            transferred_out: members.transferred_out,
        },
        commendations: rows.events.commendations,
        visits: rows.events.visits,
        dues: DuesFigures {
            collected_fen: rows.events.dues_fen,
            members_paid: rows.events.dues_members,
        },
        reviews: Grade::ALL
            .iter()
            .map(|g| GradeCount {
                grade: g.label(),
                count: rows
                    .events
                    .reviews
                    .iter()
                    .filter(|(label, _)| label == g.label())
                    .map(|(_, n)| n)
                    .sum(),
            })
            .collect(),
        talks: talk_figures(&talk_kinds, &rows.talks),
        rectification: rectify::figures(&histories, scope.first_day(), scope.as_of),
        first_topic: first_topic_figures(&rows.first_topics),
        topics: topic_counts(&themes, &rows.themes),
        topics_by_type: topic_type_counts(&types, &themes, &rows.themes_by_type),
        elections: ElectionFigures {
            held: rows.elections.0,
            secretaries: rows.elections.1,
            deputies: rows.elections.2,
            members: rows.elections.3,
        },
        leaders_lectures: leaders_lectures(&rows.lectures, &db.leadership()?),
        compliance: compliance_rows
            .iter()
            .map(|r| ComplianceEntry {
                organisation: r.organisation.clone(),
                label: r.type_label.clone(),
                period: match r.frequency {
                    Frequency::Month => "month",
                    Frequency::Quarter => "quarter",
                    _ => "year",
                },
                required: r.required,
                held: r.held,
                missing: r.missing.clone(),
            })
            .collect(),
        months: rows.months,
        by_org,
        org_order,
        org_names: orgs
            .iter()
            .filter_map(|o| Some((o.id?, o.name.clone())))
            .collect(),
        compliance_rows,
    })
}

/// Talks by kind with their 谈话对象人次 (`Talk::subject_count`, the one definition). Every kind
/// is listed, in the order of the settings; a hidden kind only when it was used.
pub fn talk_figures(kinds: &[TalkKind], talks: &[Talk]) -> TalkFigures {
    let mut by_kind: Vec<KindCount> = kinds
        .iter()
        .map(|k| KindCount {
            kind: k.label.clone(),
            count: 0,
            subjects: 0,
        })
        .collect();
    for t in talks {
        if let Some(i) = kinds.iter().position(|k| k.id == Some(t.kind_id)) {
            by_kind[i].count += 1;
            by_kind[i].subjects += t.subject_count();
        }
    }
    let by_kind: Vec<KindCount> = by_kind
        .into_iter()
        .zip(kinds)
        .filter(|(c, k)| !k.hidden || c.count > 0)
        .map(|(c, _)| c)
        .collect();
    TalkFigures {
        total: by_kind.iter().map(|k| k.count).sum(),
        subjects: by_kind.iter().map(|k| k.subjects).sum(),
        by_kind,
    }
}

/// Every type, in the order of the settings, with its count; a hidden type only when it was used.
fn type_counts(types: &[ActivityType], counts: &HashMap<i64, u32>) -> Vec<TypeCount> {
    types
        .iter()
        .filter_map(|t| {
            let id = t.id?;
            let count = counts.get(&id).copied().unwrap_or(0);
            (!t.hidden || count > 0).then(|| TypeCount {
                group: t.group.clone(),
                label: t.label.clone(),
                count,
                type_id: id,
            })
        })
        .collect()
}
