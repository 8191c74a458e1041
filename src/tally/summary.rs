//! 年度党建工作总结初稿: the year-end report as staff hand it in, drafted around the tally. Its
//! structure follows the real reports — an opening, 一、主要工作 in four parts, 二、存在的不足 and
//! 三、下一步工作打算 left for the staff's own words, and the tally's tables as 附表. Every number
//! is a field of [`Tally`] (one definition per figure; nothing is counted here), and a sentence
//! whose figure is zero is left out: a report never says "0次".
//!
//! This is the content only; `print::docx` sets it in 公文 format.

use chrono::NaiveDate;

use super::report::{percent, rectification_clause, talk_clause, yuan};
use super::{Tally, TypeCount};

/// The draft, in the order it is set.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    /// `某市民政局2022年度党建工作总结`.
    pub title: String,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A body paragraph, first line indented two characters.
    Text(String),
    /// 一、主要工作 (黑体).
    Heading(String),
    /// （一）理论学习 (楷体).
    Subheading(String),
    /// A bracketed prompt where the staff write their own words.
    Prompt(String),
    /// 附表: a caption, the header row and the rows.
    Table {
        caption: String,
        header: Vec<String>,
        rows: Vec<Vec<String>>,
    },
    /// The sender and the date, right-aligned at the end of the text.
    Signature { unit: String, date: String },
    /// The 附表 start on a new page.
    PageBreak,
}

/// Groups as the tally names them (domain.md).
const STUDY: &str = "理论学习";
const CENTRAL_GROUP: &str = "党组理论学习中心组学习";
const FIRST_TOPIC: &str = crate::model::activity::FIRST_TOPIC;
const LECTURE: &str = "党课";
const THEME_DAY: &str = "主题党日";

/// Builds the draft of the year in `t` for `unit` (the 单位名称), dated `today`.
pub fn draft(t: &Tally, unit: &str, today: NaiveDate) -> Draft {
    let org = t.organisation.clone().unwrap_or_else(|| unit.to_string());
    let mut blocks = vec![Block::Text(format!(
        "{}年，{org}坚持以习近平新时代中国特色社会主义思想为指导，认真落实全面从严治党主体责任，\
         扎实推进党的建设各项工作。现将全年党建工作情况总结如下。",
        t.year
    ))];
    blocks.push(Block::Heading("一、主要工作".into()));
    section(
        &mut blocks,
        "（一）理论学习",
        study(t),
        "本年度尚未登记理论学习记录。",
    );
    section(
        &mut blocks,
        "（二）组织建设",
        organisation(t),
        "本年度尚未登记组织建设方面的记录。",
    );
    section(
        &mut blocks,
        "（三）党风廉政建设",
        integrity(t),
        "本年度尚未登记谈话和警示教育记录。",
    );
    section(
        &mut blocks,
        "（四）问题整改",
        rectification(t),
        "本年度未登记查摆问题，也没有上年结转的问题。",
    );
    blocks.push(Block::Heading("二、存在的不足".into()));
    blocks.push(Block::Prompt(
        "【请结合本单位实际填写：如理论学习的深度和系统性、“三会一课”的质量、党员教育管理、\
         问题整改的长效机制等方面的不足。】"
            .into(),
    ));
    blocks.push(Block::Heading("三、下一步工作打算".into()));
    blocks.push(Block::Prompt(
        "【请填写下一年度的工作打算：如加强理论武装、提升组织力、深化党风廉政建设、\
         抓好问题整改等。】"
            .into(),
    ));
    blocks.push(Block::Signature {
        unit: org.clone(),
        date: crate::model::date::chinese(today),
    });
    blocks.push(Block::PageBreak);
    blocks.extend(tables(t));
    Draft {
        title: format!("{unit}{}年度党建工作总结", t.year),
        blocks,
    }
}

/// A part of 一、主要工作: its sentences in one paragraph, or `none` when it has none.
fn section(blocks: &mut Vec<Block>, heading: &str, sentences: Vec<String>, none: &str) {
    blocks.push(Block::Subheading(heading.into()));
    blocks.push(Block::Text(if sentences.is_empty() {
        none.to_string()
    } else {
        sentences.concat()
    }));
}

fn count(t: &Tally, label: &str) -> u32 {
    t.count_of(label)
}

/// `开展集中学习40场次、研讨交流4场次` for the types of `types` held; `None` when none was.
fn held(prefix: &str, types: &[&TypeCount], unit: &str) -> Option<String> {
    let parts: Vec<String> = types
        .iter()
        .filter(|a| a.count > 0)
        .map(|a| format!("{}{}{unit}", a.label, a.count))
        .collect();
    (!parts.is_empty()).then(|| format!("{prefix}{}", parts.join("、")))
}

fn study(t: &Tally) -> Vec<String> {
    let mut out = Vec::new();
    let central = count(t, CENTRAL_GROUP);
    if central > 0 {
        out.push(format!("党组理论学习中心组开展集体学习{central}次。"));
    }
    let first = &t.first_topic;
    if first.count > 0 {
        let within = match first.within_7_days {
            0 => String::new(),
            n => format!("，其中{n}次在讲话发表后7日内完成学习"),
        };
        out.push(format!(
            "坚持“第一议题”制度，学习习近平总书记重要讲话和重要指示批示精神{}次{within}。",
            first.count
        ));
    }
    let others: Vec<&TypeCount> = t
        .activities
        .iter()
        .filter(|a| a.group == STUDY && a.label != CENTRAL_GROUP && a.label != FIRST_TOPIC)
        .collect();
    if let Some(s) = held("开展", &others, "场次") {
        out.push(format!("{s}。"));
    }
    let lectures = count(t, LECTURE);
    if lectures > 0 {
        out.push(format!(
            "{}。",
            super::report::lecture_clause(lectures, t.leaders_lectures)
        ));
    }
    let themes: Vec<String> = t
        .topics
        .iter()
        .filter(|x| x.count > 0)
        .map(|x| format!("{}{}次", x.topic, x.count))
        .collect();
    if !themes.is_empty() {
        out.push(format!("围绕专题开展学习和研究：{}。", themes.join("、")));
    }
    out.extend(super::report::topic_clause(t));
    out
}

fn organisation(t: &Tally) -> Vec<String> {
    let mut out = Vec::new();
    let of_group = |group: &str, except: &[&str]| -> Vec<&TypeCount> {
        t.activities
            .iter()
            .filter(|a| a.group == group && !except.contains(&a.label.as_str()))
            .collect()
    };
    let mut meetings = Vec::new();
    meetings.extend(held("召开", &of_group("三会一课", &[LECTURE]), "次"));
    let theme_days = count(t, THEME_DAY);
    if theme_days > 0 {
        meetings.push(format!("开展主题党日活动{theme_days}次"));
    }
    meetings.extend(held("召开", &of_group("组织生活", &[]), "次"));
    meetings.extend(held("召开", &of_group("党建工作", &["党建督查检查"]), "次"));
    meetings.extend(held(
        "开展",
        &t.activities
            .iter()
            .filter(|a| a.label == "党建督查检查" || a.group == "其他")
            .collect::<Vec<_>>(),
        "次",
    ));
    if !meetings.is_empty() {
        out.push(format!(
            "严格落实“三会一课”等组织生活制度，{}。",
            meetings.join("，")
        ));
    }
    let a = &t.attendance;
    if a.expected > 0 {
        out.push(format!(
            "会议应到{}人次、实到{}人次，出席率{}。",
            a.expected,
            a.present,
            percent(a.rate)
        ));
    }
    let grades: Vec<String> = t
        .reviews
        .iter()
        .filter(|g| g.count > 0)
        .map(|g| format!("{}{}名", g.grade, g.count))
        .collect();
    if !grades.is_empty() {
        out.push(format!("开展民主评议党员，评定{}。", grades.join("、")));
    }
    out.extend(super::report::election_clause(&t.elections));
    let m = &t.members;
    if m.on_rolls > 0 {
        let split = match (m.full, m.probationary) {
            (_, 0) => String::new(),
            (full, probationary) => format!("（正式党员{full}名、预备党员{probationary}名）"),
        };
        out.push(format!(
            "截至{}，共有在册党员{}名{split}。",
            crate::model::date::chinese(t.as_of),
            m.on_rolls
        ));
    }
    let steps: Vec<String> = [
        ("收到入党申请", m.new_applicants, "份"),
        ("确定入党积极分子", m.new_activists, "名"),
        ("确定发展对象", m.new_candidates, "名"),
        ("接收预备党员", m.new_probationary, "名"),
        ("预备党员转为正式党员", m.converted_to_full, "名"),
    ]
    .iter()
    .filter(|(_, n, _)| *n > 0)
    .map(|(what, n, unit)| format!("{what}{n}{unit}"))
    .collect();
    if !steps.is_empty() {
        out.push(format!("按照发展党员工作程序，{}。", steps.join("，")));
    }
    let moves: Vec<String> = [("转入", m.transferred_in), ("转出", m.transferred_out)]
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(what, n)| format!("{what}{n}人"))
        .collect();
    if !moves.is_empty() {
        out.push(format!("办理党员组织关系转接，{}。", moves.join("、")));
    }
    if t.dues.collected_fen > 0 {
        out.push(format!(
            "收缴党费{}元（{}名党员缴纳）。",
            yuan(t.dues.collected_fen),
            t.dues.members_paid
        ));
    }
    let cared: Vec<String> = [
        ("表彰优秀党员", t.commendations),
        ("走访慰问困难党员", t.visits),
    ]
    .iter()
    .filter(|(_, n)| *n > 0)
    .map(|(what, n)| format!("{what}{n}名"))
    .collect();
    if !cared.is_empty() {
        out.push(format!("{}。", cared.join("，")));
    }
    out
}

fn integrity(t: &Tally) -> Vec<String> {
    let mut out = Vec::new();
    out.extend(talk_clause(&t.talks));
    let education: Vec<&TypeCount> = t
        .activities
        .iter()
        .filter(|a| a.group == "教育活动")
        .collect();
    out.extend(held("开展", &education, "次").map(|s| format!("{s}。")));
    out
}

fn rectification(t: &Tally) -> Vec<String> {
    let r = &t.rectification;
    let mut out = Vec::new();
    out.extend(rectification_clause(r));
    if r.overdue > 0 {
        out.push(format!(
            "截至{}，仍有{}个问题超过整改时限未销号。",
            crate::model::date::chinese(t.as_of),
            r.overdue
        ));
    }
    out
}

/// 附表: the tally's tables, every row of the 统计 tab (zeros included).
fn tables(t: &Tally) -> Vec<Block> {
    let cells = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let mut blocks = vec![Block::Table {
        caption: "附表1：学习与会议开展情况".into(),
        header: cells(&["类别", "活动类型", "次数"]),
        rows: t
            .activities
            .iter()
            .map(|a| vec![a.group.clone(), a.label.clone(), a.count.to_string()])
            .chain([
                vec![
                    "三会一课".into(),
                    "其中领导班子成员讲党课".into(),
                    t.leaders_lectures.to_string(),
                ],
                vec![
                    "组织建设".into(),
                    "换届选举".into(),
                    t.elections.held.to_string(),
                ],
            ])
            .collect(),
    }];
    let m = &t.members;
    blocks.push(Block::Table {
        caption: "附表2：党员队伍情况".into(),
        header: cells(&["项目", "人数"]),
        rows: [
            ("在册党员", m.on_rolls),
            ("其中正式党员", m.full),
            ("其中预备党员", m.probationary),
            ("新增入党申请人", m.new_applicants),
            ("新增入党积极分子", m.new_activists),
            ("新增发展对象", m.new_candidates),
            ("接收预备党员", m.new_probationary),
            ("转为正式党员", m.converted_to_full),
            ("转入", m.transferred_in),
            ("转出", m.transferred_out),
            ("表彰", t.commendations),
            ("走访慰问", t.visits),
            ("缴纳党费人数", t.dues.members_paid),
            ("换届选举书记", t.elections.secretaries),
            ("换届选举副书记", t.elections.deputies),
            ("换届选举委员", t.elections.members),
        ]
        .iter()
        .map(|(what, n)| vec![what.to_string(), n.to_string()])
        .collect(),
    });
    let mut talks: Vec<Vec<String>> = t
        .talks
        .by_kind
        .iter()
        .map(|k| vec![k.kind.clone(), k.count.to_string(), k.subjects.to_string()])
        .collect();
    talks.push(vec![
        "合计".into(),
        t.talks.total.to_string(),
        t.talks.subjects.to_string(),
    ]);
    blocks.push(Block::Table {
        caption: "附表3：谈话情况".into(),
        header: cells(&["谈话类型", "次数", "谈话对象（人次）"]),
        rows: talks,
    });
    let r = &t.rectification;
    blocks.push(Block::Table {
        caption: "附表4：问题整改情况".into(),
        header: cells(&["项目", "数量"]),
        rows: vec![
            vec!["查摆问题".into(), format!("{}个", r.found)],
            vec!["已整改销号".into(), format!("{}个", r.closed)],
            vec!["未销号".into(), format!("{}个", r.open)],
            vec!["逾期".into(), format!("{}个", r.overdue)],
            vec!["上年结转".into(), format!("{}个", r.carried_over)],
            vec!["上年结转已销号".into(), format!("{}个", r.carried_closed)],
            vec!["整改率".into(), percent(r.closure_rate)],
        ],
    });
    let mut topics: Vec<Vec<String>> = t
        .topics
        .iter()
        .map(|x| vec![x.topic.clone(), String::new(), x.count.to_string()])
        .collect();
    topics.extend(
        t.topics_by_type
            .iter()
            .map(|x| vec![x.topic.clone(), x.label.clone(), x.count.to_string()]),
    );
    blocks.push(Block::Table {
        caption: "附表5：专题开展情况".into(),
        header: cells(&["专题", "其中活动类型", "次数"]),
        rows: topics,
    });
    blocks
}
