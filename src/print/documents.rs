//! The documents staff print: 年度党建工作统计 (tally.md §printout), the 会议记录 of one activity as a
//! page of a 党支部工作手册, the 签到表 taken to a meeting, and the 问题清单/整改台账.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::{Block, Column, Doc};
use crate::model::activity::{Activity, Presence};
use crate::model::date;
use crate::model::rectify::{RectStatus, Rectification};
use crate::tally::report::{self, percent, yuan};
use crate::tally::{self, Tally};

fn table(columns: Vec<Column>, rows: Vec<Vec<String>>) -> Block {
    Block::Table {
        columns,
        header: true,
        rows,
        min_row_height: 0.0,
    }
}

/// Label / value pairs two to a row, as the header of a 工作手册 page.
fn fields(pairs: &[(&str, String)]) -> Block {
    fields_in(pairs, 2)
}

/// Label–value pairs, `per_row` to a row (three for the long list of activity types, so that a
/// small bureau's year, zeros included, still fits one page).
fn fields_in(pairs: &[(&str, String)], per_row: usize) -> Block {
    let rows = pairs
        .chunks(per_row)
        .map(|some| {
            let mut row = Vec::new();
            for (label, value) in some {
                row.push(label.to_string());
                row.push(value.clone());
            }
            row.resize(per_row * 2, String::new());
            row
        })
        .collect();
    let (label, value) = if per_row > 2 { (1.6, 1.0) } else { (1.4, 2.0) };
    Block::Table {
        columns: (0..per_row)
            .flat_map(|_| [Column::centered("", label), Column::new("", value)])
            .collect(),
        header: false,
        rows,
        min_row_height: 20.0,
    }
}

/// One long text under its label, on the full width (content, minutes).
fn long_field(label: &str, text: &str, min_height: f32) -> Block {
    Block::Table {
        columns: vec![Column::centered("", 1.0), Column::new("", 5.4)],
        header: false,
        rows: vec![vec![label.to_string(), text.to_string()]],
        min_row_height: min_height,
    }
}

/// 年度党建工作统计: the paragraph, then activities, members, talks, rectification (with the open
/// and overdue items listed), compliance. `open_items` are the rectification items of the scope.
pub fn tally(t: &Tally, unit: &str, open_items: &[Rectification], today: NaiveDate) -> Doc {
    let org = t.organisation.clone().unwrap_or_default();
    let reach = if t.as_of == NaiveDate::from_ymd_opt(t.year, 12, 31).unwrap_or(t.as_of) {
        String::new()
    } else {
        format!("（截至{}）", date::chinese(t.as_of))
    };
    let mut blocks = vec![Block::Paragraph(report::paragraph(t, today))];

    blocks.push(Block::Heading("一、学习与会议".into()));
    // Every type, 0 included, as the 统计 tab lists them (tally.md: every built-in type appears);
    // the table per organisation has a column only for the types held.
    let used: Vec<&tally::TypeCount> = t.activities.iter().filter(|a| a.count > 0).collect();
    // Three activities to a row: a small bureau's year fits one page.
    let pairs: Vec<(&str, String)> = t
        .activities
        .iter()
        .map(|a| (a.label.as_str(), format!("{}次", a.count)))
        .collect();
    blocks.push(fields_in(&pairs, 3));
    let mut pairs = vec![
        ("活动记录合计", format!("{}条", t.activities_total)),
        (
            "第一议题7日内学习",
            format!(
                "{}次（共{}次）",
                t.first_topic.within_7_days, t.first_topic.count
            ),
        ),
    ];
    pairs.push((
        // Short enough for the label cell: 领导班子成员讲党课 wraps one character.
        "领导班子讲党课",
        format!("{}次", t.leaders_lectures),
    ));
    let e = &t.elections;
    pairs.push((
        "换届选举",
        format!(
            "{}次（书记{}名、副书记{}名、委员{}名）",
            e.held, e.secretaries, e.deputies, e.members
        ),
    ));
    pairs.push((
        "出席率",
        format!(
            "{}（实到{}/应到{}人次）",
            percent(t.attendance.rate),
            t.attendance.present,
            t.attendance.expected
        ),
    ));
    blocks.push(fields(&pairs));
    let topics: Vec<(&str, String)> = t
        .topics
        .iter()
        .map(|x| (x.topic.as_str(), format!("{}次", x.count)))
        .collect();
    if !topics.is_empty() {
        blocks.push(Block::Note("专题（次）".into()));
        blocks.push(fields_in(&topics, 3));
    }
    // Per organisation, in the tree's order with the organisations above indented: the types held
    // as columns, six to a table, each as wide as its name (a header never breaks a word).
    if !used.is_empty() && !t.by_org.is_empty() {
        blocks.push(Block::Note("各组织开展情况（次）".into()));
        // As many types to a table as their names fit: each column as wide as its name in
        // characters (at least two), the organisation's six, 30 in all.
        let width = |a: &&tally::TypeCount| a.label.chars().count().max(2);
        let mut chunks: Vec<Vec<&tally::TypeCount>> = Vec::new();
        for a in &used {
            match chunks.last_mut() {
                Some(c) if c.iter().map(width).sum::<usize>() + width(a) <= 24 => c.push(a),
                _ => chunks.push(vec![a]),
            }
        }
        for shown in &chunks {
            let mut columns = vec![Column::new("组织", 6.0)];
            columns.extend(
                shown
                    .iter()
                    .map(|a| Column::centered(&a.label, width(a) as f32)),
            );
            let ids: Vec<i64> = shown.iter().map(|a| a.type_id).collect();
            let rows = t
                .org_rows(&ids)
                .into_iter()
                .map(|(depth, org_id)| {
                    let name = t.org_names.get(&org_id).cloned().unwrap_or_default();
                    let mut row = vec![format!("{}{name}", "　".repeat(depth))];
                    let counts = t.by_org.get(&org_id);
                    row.extend(shown.iter().map(|a| {
                        counts
                            .and_then(|c| c.get(&a.type_id))
                            .map(|n| n.to_string())
                            .unwrap_or_default()
                    }));
                    row
                })
                .collect();
            blocks.push(table(columns, rows));
            blocks.push(Block::Space(6.0));
        }
    }

    blocks.push(Block::Heading("二、党员".into()));
    let m = &t.members;
    let pairs = [
        ("在册党员", m.on_rolls.to_string()),
        ("其中正式党员", m.full.to_string()),
        ("其中预备党员", m.probationary.to_string()),
        ("新增入党申请人", m.new_applicants.to_string()),
        ("新增入党积极分子", m.new_activists.to_string()),
        ("新增发展对象", m.new_candidates.to_string()),
        ("接收预备党员", m.new_probationary.to_string()),
        ("转为正式党员", m.converted_to_full.to_string()),
        (
            "转入 / 转出",
            format!("{} / {}", m.transferred_in, m.transferred_out),
        ),
        ("表彰", t.commendations.to_string()),
        ("走访慰问", t.visits.to_string()),
    ];
    blocks.push(fields_in(&pairs, 3));
    // The longer values two to a row.
    let pairs = [
        (
            "党费",
            format!(
                "{}元（{}人缴纳）",
                yuan(t.dues.collected_fen),
                t.dues.members_paid
            ),
        ),
        ("民主评议", crate::tally::report::reviews(&t.reviews)),
    ];
    blocks.push(fields(&pairs));

    blocks.push(Block::Heading("三、谈话".into()));
    let talks: Vec<(&str, String)> = t
        .talks
        .by_kind
        .iter()
        .map(|k| {
            (
                k.kind.as_str(),
                format!("{}次，{}人次", k.count, k.subjects),
            )
        })
        .collect();
    blocks.push(fields_in(&talks, 3));
    blocks.push(fields(&[(
        "合计",
        format!("{}次，谈话对象{}人次", t.talks.total, t.talks.subjects),
    )]));

    blocks.push(Block::Heading("四、整改".into()));
    let r = &t.rectification;
    blocks.push(fields_in(
        &[
            ("查摆问题", format!("{}个", r.found)),
            ("已整改销号", format!("{}个", r.closed)),
            ("未销号", format!("{}个", r.open)),
            ("逾期", format!("{}个", r.overdue)),
            ("上年结转", format!("{}个", r.carried_over)),
            ("上年结转已销号", format!("{}个", r.carried_closed)),
            ("整改率", percent(r.closure_rate)),
        ],
        3,
    ));
    let listed: Vec<Vec<String>> = open_items
        .iter()
        .filter(|i| !matches!(i.status, RectStatus::Closed | RectStatus::Void))
        .map(|i| {
            let status = if i.is_overdue(t.as_of) {
                format!("{}（逾期）", i.status)
            } else {
                i.status.label().to_string()
            };
            vec![
                date::iso(i.found_on),
                i.description.clone(),
                i.unit.clone(),
                i.deadline.map(date::iso).unwrap_or_default(),
                status,
            ]
        })
        .collect();
    if !listed.is_empty() {
        blocks.push(Block::Note("未销号的问题".into()));
        blocks.push(table(
            vec![
                Column::centered("发现日期", 1.3),
                Column::new("问题描述", 3.4),
                Column::new("责任单位", 1.4),
                Column::centered("整改时限", 1.3),
                Column::centered("状态", 1.7),
            ],
            listed,
        ));
    }

    blocks.push(Block::Heading("五、落实情况".into()));
    let mut by_org: BTreeMap<(usize, String), (u32, u32, Vec<String>)> = BTreeMap::new();
    for (i, c) in t.compliance.iter().enumerate() {
        let first = by_org
            .keys()
            .find(|(_, name)| *name == c.organisation)
            .map(|k| k.0)
            .unwrap_or(i);
        let e = by_org.entry((first, c.organisation.clone())).or_default();
        e.0 += c.required;
        e.1 += c.held;
        if !c.missing.is_empty() {
            e.2.push(format!("{}{}", c.label, runs(&c.missing).join("、")));
        }
    }
    let rows: Vec<Vec<String>> = by_org
        .into_iter()
        .map(|((_, name), (required, held, missing))| {
            vec![
                name,
                required.to_string(),
                held.to_string(),
                if missing.is_empty() {
                    "均已开展".into()
                } else {
                    missing.join("；")
                },
            ]
        })
        .collect();
    blocks.push(table(
        vec![
            Column::new("组织", 2.2),
            Column::centered("应开展", 0.9),
            Column::centered("已开展", 0.9),
            Column::new("未开展的期次", 4.0),
        ],
        rows,
    ));
    blocks.push(Block::Note(
        "说明：以上数字均由台账记录自动统计；在册党员指统计截止日已接收为预备党员且未转出、去世或出党的人员。".into(),
    ));
    Doc {
        title: format!("{unit}{org}{}年度党建工作统计", t.year),
        subtitle: (!reach.is_empty()).then_some(reach),
        landscape: false,
        blocks,
        printed_on: today,
    }
}

/// Consecutive periods written as one run: 2026-01、2026-02、2026-03 → 2026-01至2026-03 (the
/// keys of tally.md, which sort in time order within a frequency).
fn runs(periods: &[String]) -> Vec<String> {
    fn next(p: &str) -> Option<String> {
        if let Some((y, q)) = p.split_once('Q') {
            let (y, q): (i32, u32) = (y.parse().ok()?, q.parse().ok()?);
            return Some(if q == 4 {
                format!("{}Q1", y + 1)
            } else {
                format!("{y}Q{}", q + 1)
            });
        }
        let (y, m) = p.split_once('-')?;
        let (y, m): (i32, u32) = (y.parse().ok()?, m.parse().ok()?);
        Some(if m == 12 {
            format!("{}-01", y + 1)
        } else {
            format!("{y}-{:02}", m + 1)
        })
    }
    let mut out: Vec<(String, String)> = Vec::new();
    for p in periods {
        match out.last_mut() {
            Some((_, last)) if next(last).as_deref() == Some(p.as_str()) => *last = p.clone(),
            _ => out.push((p.clone(), p.clone())),
        }
    }
    out.into_iter()
        .map(|(a, b)| if a == b { a } else { format!("{a}至{b}") })
        .collect()
}

/// The record of one meeting as a page of a 党支部工作手册.
pub fn minutes(a: &Activity, org: &str, types: &[String], today: NaiveDate) -> Doc {
    let absent: Vec<String> = a
        .attendance
        .iter()
        .filter(|x| x.presence != Presence::Present)
        .map(|x| {
            if x.reason.is_empty() {
                format!("{}（{}）", x.name, x.presence)
            } else {
                format!("{}（{}：{}）", x.name, x.presence, x.reason)
            }
        })
        .collect();
    let when = if a.time.is_empty() {
        date::chinese(a.date)
    } else {
        format!("{} {}", date::chinese(a.date), a.time)
    };
    let count = |n: Option<u32>| n.map(|n| format!("{n}人")).unwrap_or_else(|| "—".into());
    // From the list when there is one, as the form counts them.
    let (expected, present) = if a.attendance.is_empty() {
        (a.expected, a.present)
    } else {
        let (e, p) = crate::model::activity::counts(&a.attendance);
        (Some(e), Some(p))
    };
    let mut pairs = vec![
        ("组织", org.to_string()),
        ("时间", when),
        ("地点", a.place.clone()),
        ("类型", types.join("、")),
        ("主持人", a.host.clone()),
        ("主讲人", a.lecturer.clone()),
        ("记录人", a.recorder.clone()),
        (
            "应到 / 实到",
            format!("{} / {}", count(expected), count(present)),
        ),
    ];
    if let Some(y) = a.for_year {
        pairs.push(("所属年度", format!("{y}年度")));
    }
    if let Some(s) = a.speech_date {
        pairs.push(("讲话日期", date::chinese(s)));
    }
    let mut blocks = vec![fields(&pairs)];
    blocks.push(long_field("主题", &a.topic, 24.0));
    blocks.push(long_field(
        "缺席、请假人员及事由",
        &if absent.is_empty() {
            "无".to_string()
        } else {
            absent.join("；")
        },
        24.0,
    ));
    if !a.guests.is_empty() {
        blocks.push(long_field("列席人员", &a.guests, 24.0));
    }
    blocks.push(long_field("学习内容", &a.content, 72.0));
    blocks.push(long_field("会议记录", &a.minutes, 260.0));
    blocks.push(long_field("成效", &a.outcome, 48.0));
    Doc {
        title: "会议记录".into(),
        subtitle: Some(format!("{org}　{}", date::chinese(a.date))),
        landscape: false,
        blocks,
        printed_on: today,
    }
}

/// A sign-in sheet: the members on the roll, with an empty column to sign in.
pub fn sign_in(a: &Activity, org: &str, names: &[String], today: NaiveDate) -> Doc {
    let when = if a.time.is_empty() {
        date::chinese(a.date)
    } else {
        format!("{} {}", date::chinese(a.date), a.time)
    };
    let rows = names
        .iter()
        .enumerate()
        .map(|(i, n)| vec![(i + 1).to_string(), n.clone(), String::new(), String::new()])
        .collect();
    Doc {
        title: format!("{org}签到表"),
        subtitle: Some(a.topic.clone()),
        landscape: false,
        blocks: vec![
            fields(&[("时间", when), ("地点", a.place.clone())]),
            Block::Space(8.0),
            Block::Table {
                columns: vec![
                    Column::centered("序号", 0.7),
                    Column::centered("姓名", 1.6),
                    Column::centered("签名", 3.0),
                    Column::centered("备注", 1.8),
                ],
                header: true,
                rows,
                min_row_height: 28.0,
            },
            Block::Note(format!("应到{}人。", names.len())),
        ],
        printed_on: today,
    }
}

/// 问题清单 / 整改台账 on landscape pages, one row per item, `filter` saying what the list shows.
pub fn rectification(items: &[Rectification], unit: &str, filter: &str, today: NaiveDate) -> Doc {
    let rows = items
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let status = if r.is_overdue(today) {
                format!("{}（逾期）", r.status)
            } else {
                r.status.label().to_string()
            };
            let who = match (r.unit.is_empty(), r.person.is_empty()) {
                (false, false) => format!("{}／{}", r.unit, r.person),
                (false, true) => r.unit.clone(),
                _ => r.person.clone(),
            };
            vec![
                (i + 1).to_string(),
                r.source.label().to_string(),
                date::iso(r.found_on),
                r.description.clone(),
                r.measures.clone(),
                who,
                r.deadline.map(date::iso).unwrap_or_default(),
                status,
                r.closed_on.map(date::iso).unwrap_or_default(),
                r.verifier.clone(),
            ]
        })
        .collect();
    Doc {
        title: format!("{unit}问题清单和整改台账"),
        subtitle: Some(format!("{filter}　共{}个问题", items.len())),
        landscape: true,
        blocks: vec![table(
            vec![
                Column::centered("序号", 0.45),
                Column::centered("问题来源", 0.95),
                Column::centered("发现日期", 1.3),
                Column::new("问题描述", 2.8),
                Column::new("整改措施", 2.4),
                Column::new("责任单位／责任人", 1.5),
                Column::centered("整改时限", 1.3),
                Column::centered("状态", 1.3),
                Column::centered("完成日期", 1.3),
                Column::centered("验收人", 0.9),
            ],
            rows,
        )],
        printed_on: today,
    }
}

/// 党费收缴公示表 on a landscape page: name, base, rate, the twelve months, total, months owed.
pub fn dues(
    rows: &[crate::tally::DuesRow],
    unit: &str,
    org: &str,
    year: i32,
    today: NaiveDate,
) -> Doc {
    use crate::model::dues::yuan;
    let total: i64 = rows.iter().flat_map(|r| r.months.iter().flatten()).sum();
    // Twelve months of amounts fill a landscape line: base and rate share a cell, and the months
    // owed are the empty cells, counted at the end.
    let body = rows
        .iter()
        .map(|r| {
            let mut row = vec![r.name.clone(), format!("{} {}", r.base, r.rate)];
            row.extend(r.months.iter().map(|m| m.map(yuan).unwrap_or_default()));
            row.push(yuan(r.months.iter().flatten().sum()));
            row.push(if r.owed.is_empty() {
                String::new()
            } else {
                format!("{}个月", r.owed.len())
            });
            row
        })
        .collect();
    let mut columns = vec![
        Column::centered("姓名", 50.0),
        Column::centered("基数 比例", 58.0),
    ];
    const MONTHS: [&str; 12] = [
        "1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月",
    ];
    columns.extend(MONTHS.iter().map(|m| Column::centered(m, 44.0)));
    columns.push(Column::centered("合计", 57.0));
    columns.push(Column::centered("欠缴", 36.0));
    Doc {
        title: format!("{unit}{org}{year}年度党费收缴公示表"),
        subtitle: Some(format!(
            "共{}人　合计{}元（单位：元）",
            rows.len(),
            yuan(total)
        )),
        landscape: true,
        blocks: vec![table(columns, body)],
        printed_on: today,
    }
}

/// The documents read from the database, for the window and the command line alike.
pub mod from_store {
    use chrono::NaiveDate;

    use super::super::Doc;
    use crate::model::rectify::{RectStatus, Rectification};
    use crate::store::settings::UNIT_NAME;
    use crate::store::{Db, Result};
    use crate::tally::{self, Scope};

    /// The year-end draft (总结初稿) of `scope`, for `print::docx`.
    pub fn summary(
        db: &Db,
        scope: &Scope,
        today: NaiveDate,
    ) -> Result<crate::tally::summary::Draft> {
        let t = tally::compute(db, scope)?;
        Ok(crate::tally::summary::draft(&t, &unit(db)?, today))
    }

    fn unit(db: &Db) -> Result<String> {
        Ok(db.setting(UNIT_NAME)?.unwrap_or_default())
    }

    fn org_name(db: &Db, id: i64, today: NaiveDate) -> Result<String> {
        Ok(db
            .orgs(today)?
            .into_iter()
            .find(|s| s.org.id == Some(id))
            .map(|s| s.org.name)
            .unwrap_or_default())
    }

    /// 年度党建工作统计 of `scope`.
    pub fn tally(db: &Db, scope: &Scope, today: NaiveDate) -> Result<Doc> {
        let t = tally::compute(db, scope)?;
        let subtree: Option<std::collections::HashSet<i64>> = scope.org.map(|id| {
            let orgs: Vec<_> = db
                .orgs(today)
                .map(|v| v.into_iter().map(|s| s.org).collect())
                .unwrap_or_default();
            crate::model::org::with_descendants(&orgs, id)
        });
        let items: Vec<Rectification> = db
            .rectifications()?
            .into_iter()
            .filter(|i| i.found_on <= scope.as_of)
            .filter(|i| {
                subtree
                    .as_ref()
                    .is_none_or(|s| i.org_id.is_some_and(|o| s.contains(&o)))
            })
            .collect();
        Ok(super::tally(&t, &unit(db)?, &items, today))
    }

    /// The 会议记录 and the 签到表 of activity `id`.
    pub fn activity(db: &Db, id: i64, today: NaiveDate) -> Result<(Doc, Doc)> {
        let a = db.activity(id)?;
        let org = org_name(db, a.org_id, today)?;
        let types: Vec<String> = db
            .activity_types()?
            .into_iter()
            .filter(|t| t.id.is_some_and(|id| a.type_ids.contains(&id)))
            .map(|t| t.label)
            .collect();
        let names: Vec<String> = if a.attendance.is_empty() {
            db.roll_at(a.org_id, a.date)?
                .into_iter()
                .map(|(_, n)| n)
                .collect()
        } else {
            a.attendance.iter().map(|x| x.name.clone()).collect()
        };
        Ok((
            super::minutes(&a, &org, &types, today),
            super::sign_in(&a, &org, &names, today),
        ))
    }

    /// Finds an activity by its number or its uid (as `dangwu print activity` takes them).
    pub fn activity_id(db: &Db, key: &str) -> Result<Option<i64>> {
        if let Ok(id) = key.trim().parse::<i64>() {
            return Ok(db.activity(id).ok().map(|_| id));
        }
        db.activity_by_uid(key.trim())
    }

    /// The 党费收缴公示表 of `org` for `year`.
    pub fn dues(db: &Db, org: i64, year: i32, today: NaiveDate) -> Result<Doc> {
        let rows = tally::dues_table(db, org, year, today)?;
        let name = org_name(db, org, today)?;
        Ok(super::dues(&rows, &unit(db)?, &name, year, today))
    }

    /// The 整改台账 of `items` (as the tab filters them), described by `filter`.
    pub fn rectification(
        db: &Db,
        items: &[Rectification],
        filter: &str,
        today: NaiveDate,
    ) -> Result<Doc> {
        Ok(super::rectification(items, &unit(db)?, filter, today))
    }

    /// Every item but those voided, for the command line.
    pub fn live_items(db: &Db) -> Result<Vec<Rectification>> {
        let mut items: Vec<Rectification> = db
            .rectifications()?
            .into_iter()
            .filter(|i| i.status != RectStatus::Void)
            .collect();
        items.reverse();
        Ok(items)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn consecutive_periods_are_written_as_runs() {
        let p = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            super::runs(&p(&["2026-01", "2026-02", "2026-03", "2026-05", "2026-12"])),
            ["2026-01至2026-03", "2026-05", "2026-12"]
        );
        assert_eq!(super::runs(&p(&["2026Q2", "2026Q3"])), ["2026Q2至2026Q3"]);
    }
}
