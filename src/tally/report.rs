//! The tally phrased the way the year-end report (年度党建工作总结) is written, ready to paste:
//! 场次 for study, 次 for meetings, types with 0 left out of the sentence. Also the plain-text
//! tables of `dangwu tally`.

use chrono::{Datelike, NaiveDate};

use super::{KindCount, TalkFigures, Tally};

/// Types whose records are study sessions (counted in 场次).
const STUDY_GROUP: &str = "理论学习";
/// Groups whose records are meetings that are 召开 (held).
const MEETING_GROUPS: &[&str] = &["三会一课", "组织生活", "党建工作"];

/// How the paragraph opens: the organisation, the year, and how far an interim figure reaches.
fn opening(t: &Tally, today: NaiveDate) -> String {
    let org = t.organisation.clone().unwrap_or_default();
    let year_end = NaiveDate::from_ymd_opt(t.year, 12, 31).unwrap_or(t.as_of);
    let reach = if t.as_of >= year_end {
        String::new()
    } else if t.as_of.month().is_multiple_of(3)
        && t.as_of.succ_opt().is_some_and(|next| next.day() == 1)
    {
        let q = ["一", "二", "三"][(t.as_of.month() / 3 - 1).min(2) as usize];
        format!("截至第{q}季度")
    } else if t.as_of == today {
        "截至目前".to_string()
    } else {
        format!("截至{}月{}日", t.as_of.month(), t.as_of.day())
    };
    format!("{org}{}年{reach}", t.year)
}

fn join(parts: &[String]) -> String {
    parts.join("、")
}

/// The report paragraph (tally.md).
pub fn paragraph(t: &Tally, today: NaiveDate) -> String {
    let counted = |label: &str, n: u32, unit: &str| format!("{label}{n}{unit}");
    let mut study = Vec::new();
    let mut lectures = None;
    let mut meetings = Vec::new();
    let mut theme_days = None;
    let mut others = Vec::new();
    for a in t.activities.iter().filter(|a| a.count > 0) {
        match (a.group.as_str(), a.label.as_str()) {
            (_, "党课") => lectures = Some(lecture_clause(a.count, t.leaders_lectures)),
            (_, "主题党日") => theme_days = Some(format!("开展主题党日活动{}次", a.count)),
            (_, "第一议题") => study.push(match t.first_topic.within_7_days {
                0 => counted("第一议题学习", a.count, "场次"),
                within => format!(
                    "第一议题学习{}场次（其中{within}场次在讲话发表后7日内）",
                    a.count
                ),
            }),
            (_, "党建督查检查") => others.push(counted(&a.label, a.count, "次")),
            (STUDY_GROUP, label) => study.push(counted(label, a.count, "场次")),
            (group, label) if MEETING_GROUPS.contains(&group) => {
                meetings.push(counted(label, a.count, "次"))
            }
            (_, label) => others.push(counted(label, a.count, "次")),
        }
    }
    let mut first_half = Vec::new();
    if !study.is_empty() {
        first_half.push(format!("共开展{}", join(&study)));
    }
    first_half.extend(lectures);
    let mut second_half = Vec::new();
    if !meetings.is_empty() {
        second_half.push(format!("召开{}", join(&meetings)));
    }
    match (theme_days, others.is_empty()) {
        (Some(theme), true) => second_half.push(theme),
        (Some(theme), false) => second_half.push(format!("{theme}、{}", join(&others))),
        (None, false) => second_half.push(format!("开展{}", join(&others))),
        (None, true) => {}
    }
    let halves: Vec<String> = [first_half.join("，"), second_half.join("，")]
        .into_iter()
        .filter(|h| !h.is_empty())
        .collect();

    let mut sentences = Vec::new();
    if !halves.is_empty() {
        sentences.push(format!("{}。", halves.join("；")));
    }
    sentences.extend(topic_clause(t));
    sentences.extend(election_clause(&t.elections));
    let m = &t.members;
    let mut people: Vec<String> = [
        ("正式党员", m.converted_to_full),
        ("预备党员", m.new_probationary),
        ("入党积极分子", m.new_activists),
    ]
    .iter()
    .filter(|(_, n)| *n > 0)
    .map(|(what, n)| format!("{what}{n}名"))
    .collect();
    if !people.is_empty() {
        people[0] = format!("发展{}", people[0]);
    }
    // 发展… joined with 、, then the commendations and visits with ，as the report writes them.
    let mut clauses: Vec<String> = Vec::new();
    if !people.is_empty() {
        clauses.push(people.join("、"));
    }
    if t.commendations > 0 {
        clauses.push(format!("表彰优秀党员{}名", t.commendations));
    }
    if t.visits > 0 {
        clauses.push(format!("走访慰问困难党员{}名", t.visits));
    }
    if !clauses.is_empty() {
        sentences.push(format!("{}。", clauses.join("，")));
    }
    if let Some(s) = talk_clause(&t.talks) {
        sentences.push(s);
    }
    if t.dues.collected_fen > 0 {
        sentences.push(format!("收缴党费{}元。", yuan(t.dues.collected_fen)));
    }
    if let Some(s) = rectification_clause(&t.rectification) {
        sentences.push(s);
    }
    let opening = opening(t, today);
    if sentences.is_empty() {
        return format!("{opening}尚无登记的活动、谈话和整改记录。");
    }
    format!("{opening}，{}", sentences.concat())
}

/// 讲党课N次，其中领导班子成员带头讲党课M次 (the second half only when some were).
pub(super) fn lecture_clause(lectures: u32, by_leaders: u32) -> String {
    match by_leaders {
        0 => format!("讲党课{lectures}次"),
        n => format!("讲党课{lectures}次，其中领导班子成员带头讲党课{n}次"),
    }
}

/// N个党组织完成换届选举，选举产生书记a名、副书记b名、委员c名。 (`None` when none was held; a
/// role nobody was elected to is left out.)
pub(super) fn election_clause(e: &super::ElectionFigures) -> Option<String> {
    if e.held == 0 {
        return None;
    }
    let roles: Vec<String> = [
        ("书记", e.secretaries),
        ("副书记", e.deputies),
        ("委员", e.members),
    ]
    .iter()
    .filter(|(_, n)| *n > 0)
    .map(|(role, n)| format!("{role}{n}名"))
    .collect();
    let elected = if roles.is_empty() {
        String::new()
    } else {
        format!("，选举产生{}", roles.join("、"))
    };
    Some(format!("{}个党组织完成换届选举{elected}。", e.held))
}

/// 组织党员学习党史N次，党组会议研究意识形态工作M次。 (`None` when neither was held.) The two
/// 专题 figures the reports name; the others are in the tables.
pub(super) fn topic_clause(t: &Tally) -> Option<String> {
    use crate::model::theme::{IDEOLOGY, PARTY_HISTORY};
    let mut parts = Vec::new();
    let history = t.topic_count(PARTY_HISTORY);
    if history > 0 {
        parts.push(format!("组织党员学习党史{history}次"));
    }
    let ideology = t.topic_type_count("党组会议", IDEOLOGY);
    if ideology > 0 {
        parts.push(format!("党组会议研究意识形态工作{ideology}次"));
    }
    (!parts.is_empty()).then(|| format!("{}。", parts.join("，")))
}

/// 查摆问题N个，已整改销号K个，整改率x%；上年结转M个，已销号J个。 (`None` when the year found
/// nothing and carried nothing over.) The items carried over are said with the year's own, as the
/// reports write it: the table alone is not where a reader looks.
pub(super) fn rectification_clause(r: &crate::tally::rectify::RectFigures) -> Option<String> {
    // Never "已销号0个": a figure of zero is said in words.
    let carried = match r.carried_closed {
        0 => format!("{}个，尚未销号", r.carried_over),
        closed => format!("{}个，已销号{closed}个", r.carried_over),
    };
    if r.found == 0 {
        return (r.carried_over > 0).then(|| format!("上年结转问题{carried}。"));
    }
    let rate = r.closure_rate.unwrap_or(0.0) * 100.0;
    let found = format!(
        "查摆问题{}个，已整改销号{}个，整改率{rate:.1}%",
        r.found, r.closed
    );
    Some(if r.carried_over > 0 {
        format!("{found}；上年结转{carried}。")
    } else {
        format!("{found}。")
    })
}

/// 开展谈话提醒N次，其中…，谈话对象M人次。 (`None` without talks.)
pub(super) fn talk_clause(talks: &TalkFigures) -> Option<String> {
    if talks.total == 0 {
        return None;
    }
    let kinds: Vec<String> = talks
        .by_kind
        .iter()
        .filter(|k| k.count > 0)
        .map(|k| format!("{}{}次", k.kind, k.count))
        .collect();
    Some(format!(
        "开展谈话提醒{}次，其中{}，谈话对象{}人次。",
        talks.total,
        kinds.join("、"),
        talks.subjects
    ))
}

/// The sentence above the 谈话 tab's list: the year's talks by kind with their 人次.
pub fn talk_sentence(year: i32, talks: &TalkFigures) -> String {
    if talks.total == 0 {
        return format!("{year}年尚未登记谈话。");
    }
    let kinds: Vec<String> = talks
        .by_kind
        .iter()
        .filter(|k| k.count > 0)
        .map(|k: &KindCount| format!("{}{}次（{}人次）", k.kind, k.count, k.subjects))
        .collect();
    format!(
        "{year}年开展谈话{}次，其中{}，谈话对象{}人次。",
        talks.total,
        kinds.join("、"),
        talks.subjects
    )
}

pub use crate::model::dues::yuan;

/// 民主评议 results as one line: "优秀 5、合格 80", or "未登记" when none was recorded.
pub fn reviews(counts: &[super::GradeCount]) -> String {
    let shown: Vec<String> = counts
        .iter()
        .filter(|g| g.count > 0)
        .map(|g| format!("{} {}", g.grade, g.count))
        .collect();
    if shown.is_empty() {
        "未登记".into()
    } else {
        shown.join("、")
    }
}

/// A rate as a percentage with one decimal, or — when there is nothing to divide.
pub fn percent(rate: Option<f64>) -> String {
    rate.map(|r| format!("{:.1}%", r * 100.0))
        .unwrap_or_else(|| "—".into())
}

/// `dangwu tally --format text`: the paragraph, then the figures as plain tables.
pub fn text(t: &Tally, today: NaiveDate) -> String {
    let mut out = String::new();
    let scope = t.organisation.as_deref().unwrap_or("全局");
    out.push_str(&format!(
        "{}年度党建工作统计（{scope}，统计至{}）\n\n",
        t.year, t.as_of
    ));
    out.push_str(&paragraph(t, today));
    out.push_str("\n\n一、学习与会议（次数）\n");
    let mut group = "";
    for a in &t.activities {
        if a.group != group {
            group = &a.group;
            out.push_str(&format!("  {group}\n"));
        }
        out.push_str(&format!("    {:<16}{:>6}\n", a.label, a.count));
    }
    out.push_str(&format!(
        "  第一议题 {} 次，其中讲话发表后7日内学习 {} 次\n",
        t.first_topic.count, t.first_topic.within_7_days
    ));
    out.push_str(&format!(
        "  活动记录合计 {} 条；应到 {} 人次，实到 {} 人次，出席率 {}\n",
        t.activities_total,
        t.attendance.expected,
        t.attendance.present,
        percent(t.attendance.rate)
    ));
    out.push_str(&format!(
        "  领导班子成员讲党课 {} 次\n  换届选举 {} 次（选举书记 {}，副书记 {}，委员 {}）\n",
        t.leaders_lectures,
        t.elections.held,
        t.elections.secretaries,
        t.elections.deputies,
        t.elections.members
    ));
    let topics: Vec<String> = t
        .topics
        .iter()
        .map(|x| format!("{} {}", x.topic, x.count))
        .chain(
            t.topics_by_type
                .iter()
                .map(|x| format!("{}·{} {}", x.label, x.topic, x.count)),
        )
        .collect();
    out.push_str(&format!("  专题（次）：{}\n", topics.join("，")));
    let m = &t.members;
    out.push_str("\n二、党员\n");
    out.push_str(&format!(
        "  在册党员 {}（正式党员 {}，预备党员 {}）\n  新增入党申请人 {}，入党积极分子 {}，发展对象 {}，预备党员 {}，转为正式党员 {}\n  转入 {}，转出 {}\n  表彰 {}，走访慰问 {}\n  党费 {} 元，缴费人数 {}\n  民主评议 {}\n",
        m.on_rolls,
        m.full,
        m.probationary,
        m.new_applicants,
        m.new_activists,
        m.new_candidates,
        m.new_probationary,
        m.converted_to_full,
        m.transferred_in,
        m.transferred_out,
        t.commendations,
        t.visits,
        yuan(t.dues.collected_fen),
        t.dues.members_paid,
        reviews(&t.reviews)
    ));
    out.push_str(&format!(
        "\n三、谈话（共 {} 次，谈话对象 {} 人次）\n",
        t.talks.total, t.talks.subjects
    ));
    for k in &t.talks.by_kind {
        out.push_str(&format!(
            "    {:<16}{:>4} 次{:>6} 人次\n",
            k.kind, k.count, k.subjects
        ));
    }
    let r = &t.rectification;
    out.push_str(&format!(
        "\n四、整改\n  查摆问题 {}，已销号 {}，未销号 {}，逾期 {}，上年结转 {}（已销号 {}），整改率 {}\n",
        r.found,
        r.closed,
        r.open,
        r.overdue,
        r.carried_over,
        r.carried_closed,
        percent(r.closure_rate)
    ));
    out.push_str("\n五、落实情况（应开展 / 已开展，缺的期次）\n");
    for c in &t.compliance {
        let missing = if c.missing.is_empty() {
            String::new()
        } else {
            format!("  缺：{}", c.missing.join("、"))
        };
        out.push_str(&format!(
            "  {} {} {}/{}{missing}\n",
            c.organisation, c.label, c.required, c.held
        ));
    }
    out
}
