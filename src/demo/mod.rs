//! A realistic bureau for trying the app and for benchmarks: `dangwu demo-data --db FILE`.
//! Organisations, members through every stage of the pipeline, and years of meetings with attendance.
//! Seeded, so the same arguments give the same data.

mod member_records;

use std::collections::HashMap;

use chrono::{Datelike, Duration, NaiveDate};

use crate::model::activity::{Activity, Attendance, Presence, is_yearly, proposed_for_year};
use crate::model::date::add_years;
use crate::model::id_card;
use crate::model::member::{Category, Gender, Member, Status};
use crate::model::org::{Org, OrgKind};
use crate::store::{Db, Result, StoreError};

pub struct DemoOptions {
    pub years: u32,
    pub members: usize,
    /// Pad the ledger with 集中学习 records up to this many records in all.
    pub records: Option<usize>,
    /// 谈话 in all, spread evenly over the years (else 24 a year).
    pub talks: Option<usize>,
    /// 整改问题 in all, spread evenly over the years (else 10 a year).
    pub items: Option<usize>,
    pub today: NaiveDate,
}

/// What was written, for the command's report.
pub struct DemoSummary {
    pub orgs: usize,
    pub members: usize,
    pub activities: usize,
    pub attendance: usize,
    pub talks: usize,
    pub rectification: usize,
    pub transfers: usize,
    pub dues: usize,
    pub events: usize,
}

const INSTITUTIONS: &[&str] = &[
    "市社会福利院",
    "市救助管理站",
    "市殡仪馆",
    "市老年养护院",
    "市儿童福利院",
    "市婚姻登记服务中心",
    "市慈善总会",
    "市民政事业服务中心",
    "市地名研究所",
    "市精神康复医院",
];
const SURNAMES: &str = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文";
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀英", "霞", "平", "刚", "桂英", "建国", "建华", "晓明", "海燕", "志强", "丽华", "卫东",
    "喆", "堃", "昇", "玥", "珺", "彧", "子涵", "欣怡", "浩然", "雨萱", "思远", "文博", "佳怡",
    "宇航", "嘉懿", "梓萱",
];
const REASONS: &[&str] = &["出差", "病假", "公务", "外出培训", "事假", "值班"];
const TOPICS: &[&str] = &[
    "学习贯彻习近平新时代中国特色社会主义思想",
    "学习党的二十大精神",
    "学习《中国共产党章程》",
    "学习《中国共产党纪律处分条例》",
    "深入开展作风建设专项整治",
    "学习习近平总书记关于民政工作的重要论述",
    "开展警示教育，以案促改",
    "推进基层减负，整治形式主义",
    "学习《关于新形势下党内政治生活的若干准则》",
    "传承红色基因，重温入党誓词",
];

struct Gen {
    rng: fastrand::Rng,
}

impl Gen {
    fn pick<'a>(&mut self, list: &'a [&'a str]) -> &'a str {
        list[self.rng.usize(..list.len())]
    }

    fn date_between(&mut self, from: NaiveDate, to: NaiveDate) -> NaiveDate {
        let days = to.signed_duration_since(from).num_days().max(0);
        from + Duration::days(self.rng.i64(0..=days))
    }

    fn name(&mut self) -> String {
        let surnames: Vec<char> = SURNAMES.chars().collect();
        format!(
            "{}{}",
            surnames[self.rng.usize(..surnames.len())],
            self.pick(GIVEN)
        )
    }

    fn id_number(&mut self, birth: NaiveDate, male: bool, serial: usize) -> String {
        let area = ["330102", "330105", "330106", "330108", "330110"][self.rng.usize(..5)];
        let seq = serial % 500;
        let gender_digit = (seq % 5) * 2 + usize::from(male);
        let first17 = format!(
            "{area}{}{:02}{gender_digit}",
            birth.format("%Y%m%d"),
            seq / 5 % 100
        );
        let digits: Vec<u32> = first17.chars().filter_map(|c| c.to_digit(10)).collect();
        let check = id_card::check_digit(&digits.try_into().unwrap_or([0; 17]));
        format!("{first17}{check}")
    }
}

/// The sizes `fill` accepts: a bureau of one member up to a city's worth, one to fifty years.
pub const MEMBERS: std::ops::RangeInclusive<usize> = 1..=100_000;
pub const YEARS: std::ops::RangeInclusive<u32> = 1..=50;
pub const RECORDS: usize = 2_000_000;
/// 谈话 and 整改问题 are written one by one, as the form writes them: a ceiling that takes seconds.
pub const TALKS: usize = 100_000;

impl DemoOptions {
    /// `Err` with a Chinese sentence when a size is out of range (nothing is written then).
    pub fn check(&self) -> std::result::Result<(), String> {
        if !MEMBERS.contains(&self.members) {
            return Err(format!(
                "党员人数应在{}到{}之间（现为{}）",
                MEMBERS.start(),
                MEMBERS.end(),
                self.members
            ));
        }
        if !YEARS.contains(&self.years) {
            return Err(format!(
                "年数应在{}到{}之间（现为{}）",
                YEARS.start(),
                YEARS.end(),
                self.years
            ));
        }
        if self.records.is_some_and(|r| r > RECORDS) {
            return Err(format!("活动记录数不能超过{RECORDS}条"));
        }
        if self.talks.is_some_and(|n| n > TALKS) || self.items.is_some_and(|n| n > TALKS) {
            return Err(format!("谈话记录数和整改问题数都不能超过{TALKS}条"));
        }
        Ok(())
    }
}

/// Fills an empty file; refuses one that holds records, and sizes out of range.
pub fn fill(db: &mut Db, options: &DemoOptions) -> Result<DemoSummary> {
    options.check().map_err(StoreError::refused)?;
    if db.has_records()? {
        return Err(StoreError::refused(
            "该数据文件中已有记录，演示数据只能写入空白文件",
        ));
    }
    let mut g = Gen {
        rng: fastrand::Rng::with_seed(2026),
    };
    let today = options.today;
    let first_year = today.year() - options.years.max(1) as i32 + 1;
    let start = NaiveDate::from_ymd_opt(first_year, 1, 1).unwrap_or(today);

    // Organisations: the leading group, the office committee with its branches, institution branches.
    let branch_count = (options.members / 35).max(3);
    let mut orgs = vec![
        org("市民政局党组", OrgKind::LeadingGroup, None, &mut g, today),
        org("机关党委", OrgKind::Committee, None, &mut g, today),
    ];
    let office = branch_count / 3 + 1;
    let numerals = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
    for i in 0..branch_count {
        let name = if i < office {
            let n = i + 1;
            let cn = if n <= 10 {
                numerals[n - 1].to_string()
            } else if n < 20 {
                format!("十{}", numerals[n - 11])
            } else {
                n.to_string()
            };
            format!("机关第{cn}党支部")
        } else {
            let k = i - office;
            let base = INSTITUTIONS[k % INSTITUTIONS.len()];
            if k < INSTITUTIONS.len() {
                format!("{base}党支部")
            } else {
                format!("{base}第{}党支部", k / INSTITUTIONS.len() + 1)
            }
        };
        let parent = (i < office).then_some(1);
        let mut o = org(&name, OrgKind::Branch, parent, &mut g, today);
        o.has_groups = i % 7 == 3;
        o.has_committee = i % 11 != 5;
        orgs.push(o);
    }

    // Members: most are full members; some at each earlier stage; a few left.
    let mut members = Vec::with_capacity(options.members);
    for serial in 0..options.members {
        let male = g.rng.bool();
        let birth = g.date_between(
            NaiveDate::from_ymd_opt(1960, 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(2000, 12, 31).unwrap(),
        );
        let category = match g.rng.u32(0..100) {
            0..=84 => Category::Full,
            85..=89 => Category::Probationary,
            90..=93 => Category::Candidate,
            94..=96 => Category::Activist,
            _ => Category::Applicant,
        };
        let branch = 2 + serial % branch_count;
        let stages = Category::ALL
            .iter()
            .position(|c| *c == category)
            .unwrap_or(0);
        // Work back from the last stage so every date lies in the past and the rules hold.
        let last = match category {
            // One in four received about a year ago: their 转正 is due or overdue, as in life.
            Category::Probationary if serial % 4 == 0 => {
                g.date_between(today - Duration::days(400), today - Duration::days(350))
            }
            Category::Probationary => {
                g.date_between(today - Duration::days(340), today - Duration::days(10))
            }
            _ => g.date_between(
                add_years(birth, 24).max(start - Duration::days(3650)),
                today - Duration::days(30),
            ),
        };
        let gaps = [0, 200, 400, 300, 365];
        let mut dates = [None; 5];
        let mut d = last;
        for stage in (0..=stages).rev() {
            dates[stage] = Some(d);
            d -= Duration::days(gaps[stage]);
        }
        if category == Category::Full
            && let Some(p) = dates[3]
        {
            dates[4] = Some(add_years(p, 1));
        }
        // Two 入党介绍人 for everyone received as 预备党员.
        let introducers = if dates[3].is_some() {
            format!("{}、{}", g.name(), g.name())
        } else {
            String::new()
        };
        members.push(Member {
            id: None,
            uid: String::new(),
            name: g.name(),
            gender: Some(if male { Gender::Male } else { Gender::Female }),
            ethnicity: if g.rng.u32(0..20) == 0 {
                "回族".into()
            } else {
                "汉族".into()
            },
            birth_date: Some(birth),
            id_number: g.id_number(birth, male, serial),
            education: g.pick(&["大学本科", "硕士研究生", "大专", "中专"]).into(),
            job: g
                .pick(&["科员", "副科长", "科长", "护理员", "社工", "主任"])
                .into(),
            phone: format!("13{:09}", 500_000_000 + serial),
            org_id: branch as i64,
            category,
            applied_on: dates[0],
            activist_on: dates[1],
            candidate_on: dates[2],
            probationary_on: dates[3],
            full_on: dates[4],
            party_post: String::new(),
            introducers,
            status: Status::OnRolls,
            status_date: None,
            note: String::new(),
            probation_extended_to: None,
        });
    }
    // Unique 公民身份号码 even if two generated numbers met.
    let mut seen = std::collections::HashSet::new();
    for m in &mut members {
        if !seen.insert(m.id_number.clone()) {
            m.id_number.clear();
        }
    }

    let branches: Vec<i64> = (2..orgs.len() as i64).collect();
    let chains = member_records::transfers(&mut members, &branches, first_year, today, &mut g);

    // Who is on each branch's rolls on a date: everyone who ever belonged to it, asked for the day.
    let mut by_org: HashMap<i64, Vec<usize>> = HashMap::new();
    for (i, m) in members.iter().enumerate() {
        let mut ever = vec![m.org_id];
        for t in chains.get(&i).into_iter().flatten() {
            ever.extend(t.from_org.into_iter().chain(t.to_org));
        }
        ever.sort_unstable();
        ever.dedup();
        for o in ever {
            by_org.entry(o).or_default().push(i);
        }
    }
    let no_transfers = Vec::new();
    let on_rolls = |i: usize, org: i64, day: NaiveDate| {
        let chain = chains.get(&i).unwrap_or(&no_transfers);
        members[i].on_rolls_at(chain, day) && members[i].org_at(chain, day) == Some(org)
    };

    let all_types = db.activity_types()?;
    let types: HashMap<String, i64> = all_types
        .iter()
        .filter_map(|t| Some((t.label.clone(), t.id?)))
        .collect();
    let ty = |label: &str| types.get(label).copied().unwrap_or_default();
    // The office committee is not a leadership group: it holds no 民主生活会 (its own setting).
    orgs[1].expectations = vec![(ty("民主生活会"), false), (ty("党建工作专题会议"), false)];
    // 专题, by the type of the record and a pattern of its date (not the random stream: the same
    // command still gives the same bureau as before 专题 existed).
    let all_themes = db.themes()?;
    let theme = |label: &str| {
        all_themes
            .iter()
            .find(|t| t.label == label)
            .and_then(|t| t.id)
    };
    let themes_of = |type_ids: &[i64], day: NaiveDate| -> Vec<i64> {
        let has = |label: &str| type_ids.contains(&ty(label));
        let mut out = Vec::new();
        if has("党组会议") && day.ordinal().is_multiple_of(3) {
            out.extend(theme(crate::model::theme::IDEOLOGY));
        }
        let study = has("党组理论学习中心组学习") || has("集中学习") || has("主题党日");
        if study && day.ordinal() % 4 == 1 {
            out.extend(theme(crate::model::theme::PARTY_HISTORY));
        }
        if study && day.ordinal() % 6 == 2 {
            out.extend(theme("学习贯彻党的二十大精神"));
        }
        if has("警示教育") {
            out.extend(theme("党风廉政建设"));
        }
        out
    };
    let mut activities = Vec::new();
    let made = std::cell::Cell::new(0_usize);
    let mut add = |org_id: usize,
                   day: NaiveDate,
                   type_ids: Vec<i64>,
                   topic: String,
                   speech: Option<NaiveDate>,
                   g: &mut Gen| {
        if day > today {
            return;
        }
        let roll: Vec<usize> = by_org
            .get(&(org_id as i64))
            .map(|v| {
                v.iter()
                    .copied()
                    .filter(|&i| on_rolls(i, org_id as i64, day))
                    .collect()
            })
            .unwrap_or_default();
        let attendance: Vec<Attendance> = roll
            .iter()
            .map(|&i| {
                let r = g.rng.u32(0..100);
                let (presence, reason) = match r {
                    0..=5 => (Presence::Leave, g.pick(REASONS).to_string()),
                    6..=7 => (Presence::Absent, String::new()),
                    _ => (Presence::Present, String::new()),
                };
                Attendance {
                    member_id: i as i64,
                    name: members[i].name.clone(),
                    presence,
                    reason,
                }
            })
            .collect();
        let present = attendance
            .iter()
            .filter(|a| a.presence == Presence::Present)
            .count() as u32;
        let has_roll = !attendance.is_empty();
        let for_year = is_yearly(&all_types, &type_ids).then(|| proposed_for_year(day));
        made.set(made.get() + 1);
        activities.push(Activity {
            id: None,
            uid: String::new(),
            date: day,
            time: format!("{}:{:02}", g.rng.u32(9..17), [0, 30][g.rng.usize(..2)]),
            org_id: org_id as i64,
            theme_ids: themes_of(&type_ids, day),
            type_ids,
            topic,
            content: String::new(),
            host: String::new(),
            lecturer: String::new(),
            place: g
                .pick(&["三楼会议室", "党员活动室", "五楼会议室", "红色教育基地"])
                .into(),
            recorder: String::new(),
            guests: String::new(),
            minutes: String::new(),
            outcome: String::new(),
            speech_date: speech,
            for_year,
            expected: has_roll.then_some(attendance.len() as u32),
            present: has_roll.then_some(present),
            attendance,
            attachments: Vec::new(),
        });
    };

    for year in first_year..=today.year() {
        let day_in = |g: &mut Gen, month: u32| {
            let first = NaiveDate::from_ymd_opt(year, month, 1).unwrap_or(today);
            first + Duration::days(g.rng.i64(0..27))
        };
        // The leading group: theory study, first topics, democratic life meeting, party-building meetings.
        for month in 1..=12 {
            add(
                0,
                day_in(&mut g, month),
                vec![ty("党组理论学习中心组学习")],
                format!("{}（中心组学习）", g.pick(TOPICS)),
                None,
                &mut g,
            );
            for _ in 0..2 {
                let day = day_in(&mut g, month);
                let late = g.rng.u32(0..10) == 0;
                let speech = day
                    - Duration::days(if late {
                        g.rng.i64(8..20)
                    } else {
                        g.rng.i64(1..7)
                    });
                add(
                    0,
                    day,
                    vec![ty("第一议题"), ty("党组会议")],
                    "第一议题：学习习近平总书记重要讲话精神".into(),
                    Some(speech),
                    &mut g,
                );
            }
            if month % 3 == 0 && g.rng.u32(0..10) != 0 {
                add(
                    0,
                    day_in(&mut g, month),
                    vec![ty("党建工作专题会议")],
                    "研究部署党建工作".into(),
                    None,
                    &mut g,
                );
            }
        }
        add(
            0,
            day_in(&mut g, 12),
            vec![ty("民主生活会")],
            format!("{year}年度民主生活会"),
            None,
            &mut g,
        );
        // Branches: the 三会一课 calendar, with the occasional month missed.
        for (offset, o) in orgs.iter().enumerate().skip(2) {
            let miss = |g: &mut Gen| g.rng.u32(0..100) < 7;
            for month in 1..=12 {
                if o.has_committee && !miss(&mut g) {
                    add(
                        offset,
                        day_in(&mut g, month),
                        vec![ty("支委会")],
                        "支委会：研究本月工作".into(),
                        None,
                        &mut g,
                    );
                }
                if o.has_groups && !miss(&mut g) {
                    add(
                        offset,
                        day_in(&mut g, month),
                        vec![ty("党小组会")],
                        "党小组学习".into(),
                        None,
                        &mut g,
                    );
                }
                let quarter_end = month % 3 == 0;
                if quarter_end && !miss(&mut g) {
                    // The quarter's 党员大会 is often also the month's 主题党日.
                    add(
                        offset,
                        day_in(&mut g, month),
                        vec![ty("党员大会"), ty("主题党日")],
                        format!("党员大会暨主题党日：{}", g.pick(TOPICS)),
                        None,
                        &mut g,
                    );
                } else if !miss(&mut g) {
                    add(
                        offset,
                        day_in(&mut g, month),
                        vec![ty("主题党日")],
                        format!("主题党日：{}", g.pick(TOPICS)),
                        None,
                        &mut g,
                    );
                }
                if quarter_end && !miss(&mut g) {
                    add(
                        offset,
                        day_in(&mut g, month),
                        vec![ty("党课")],
                        format!("党课：{}", g.pick(TOPICS)),
                        None,
                        &mut g,
                    );
                }
            }
            if !miss(&mut g) {
                add(
                    offset,
                    day_in(&mut g, 1),
                    vec![ty("组织生活会"), ty("民主评议党员")],
                    format!("{}年度组织生活会和民主评议党员", year - 1),
                    None,
                    &mut g,
                );
            }
        }
    }
    if let Some(target) = options.records {
        while made.get() < target {
            let offset = 2 + g.rng.usize(..branch_count);
            let day = g.date_between(start, today);
            add(
                offset,
                day,
                vec![ty("集中学习")],
                format!("集中学习：{}", g.pick(TOPICS)),
                None,
                &mut g,
            );
        }
    }
    activities.sort_by_key(|a| a.date);

    let mut records = member_records::records(&members, &chains, first_year, today, &mut g);
    records.committees = member_records::committees(&orgs, &members, &chains, today, &mut g);
    name_hosts_and_lecturers(&mut activities, &records.committees, &all_types);
    // Every generated record passes the check its form makes, as every path in does: it is made
    // into the form's input and the input's `validate` gives the record written.
    let refused =
        |what: &str, e: String| StoreError::refused(format!("演示数据的{what}不合规则：{e}"));
    let members: Vec<Member> = members
        .iter()
        .map(|m| {
            m.to_input()
                .validate(today)
                .map_err(|e| refused("党员", format!("{}：{:?}", m.name, e.0)))
        })
        .collect::<Result<_>>()?;
    let activities: Vec<Activity> = activities
        .iter()
        .map(|a| {
            a.to_input()
                .validate(today, &all_types)
                .map_err(|e| refused("活动", format!("{}：{:?}", a.topic, e.0)))
        })
        .collect::<Result<_>>()?;
    db.bulk_load(&orgs, &members, &activities, &records)?;
    // So many a year that the years add up to the total asked for (the first years take the rest).
    let years = (today.year() - first_year + 1) as usize;
    let per_year = |total: Option<usize>, default: usize| {
        move |i: usize| total.map_or(default, |t| t / years + usize::from(i < t % years))
    };
    let (talks, items) = talks_and_rectification(
        db,
        &mut g,
        first_year,
        today,
        per_year(options.talks, 24),
        per_year(options.items, 10),
    )?;
    elections(db, today)?;
    Ok(DemoSummary {
        orgs: orgs.len(),
        members: members.len(),
        attendance: activities.iter().map(|a| a.attendance.len()).sum(),
        activities: activities.len(),
        talks,
        rectification: items,
        transfers: records.transfers.len(),
        dues: records.dues.len(),
        events: records.events.len(),
    })
}

/// Each branch's secretary hosts its meetings; a 党课 is given by the secretary, or on one day in
/// three by a member of the leading group (index 0) visiting the branch: 领导班子成员带头讲党课.
fn name_hosts_and_lecturers(
    activities: &mut [Activity],
    committees: &[(usize, crate::model::org::CommitteeMember)],
    types: &[crate::model::activity::ActivityType],
) {
    use crate::model::org::CommitteeRole;
    let lecture = types
        .iter()
        .find(|t| t.label == crate::model::activity::LECTURE)
        .and_then(|t| t.id);
    let secretary = |org: usize| {
        committees
            .iter()
            .find(|(k, c)| *k == org && c.role == CommitteeRole::Secretary)
            .map(|(_, c)| c.name.clone())
    };
    let leaders: Vec<&str> = committees
        .iter()
        .filter(|(k, _)| *k == 0)
        .map(|(_, c)| c.name.as_str())
        .collect();
    for a in activities.iter_mut() {
        let own = secretary(a.org_id as usize).unwrap_or_default();
        a.host = own.clone();
        if lecture.is_some_and(|l| a.type_ids.contains(&l)) {
            let day = a.date.ordinal() as usize;
            a.lecturer = match leaders.len() {
                n if n > 0 && day.is_multiple_of(3) => leaders[day / 3 % n].to_string(),
                _ => own,
            };
        }
    }
}

/// Each organisation's current committee as elected at the start of its term (换届选举), written
/// through the election form's check and the ordinary store call.
fn elections(db: &mut Db, today: NaiveDate) -> Result<()> {
    use crate::model::election::ElectionInput;
    for s in db.orgs(today)? {
        let (Some(org_id), Some(held)) = (s.org.id, s.org.term_start) else {
            continue;
        };
        let committee = db.committee(org_id)?;
        if committee.is_empty() || s.members_on_rolls == 0 {
            continue;
        }
        let input = ElectionInput {
            org_id: Some(org_id),
            held: crate::model::date::iso(held),
            voters_expected: s.members_on_rolls.to_string(),
            voters_present: (s.members_on_rolls - s.members_on_rolls / 10).to_string(),
            elected: committee.iter().map(|c| c.to_input()).collect(),
            ..Default::default()
        };
        let e = input
            .validate(today)
            .map_err(|e| StoreError::refused(format!("演示数据的换届选举不合规则：{:?}", e.0)))?;
        db.save_election(&e)?;
    }
    Ok(())
}

/// Talks and rectification items, `talks_in(i)` and `items_in(i)` in the i-th year, written through
/// the ordinary store calls.
fn talks_and_rectification(
    db: &mut Db,
    g: &mut Gen,
    first_year: i32,
    today: NaiveDate,
    talks_in: impl Fn(usize) -> usize,
    items_in: impl Fn(usize) -> usize,
) -> Result<(usize, usize)> {
    use crate::model::rectify::{Closing, RectInput, Source};
    use crate::model::talk::{Talk, TalkForm};
    let kinds: Vec<i64> = db.talk_kinds()?.into_iter().filter_map(|k| k.id).collect();
    let people = db.members_on_rolls(today)?;
    let orgs: Vec<i64> = db.orgs(today)?.iter().filter_map(|s| s.org.id).collect();
    // Talks are the leading group's; problems belong to any organisation.
    let leading = orgs.first().copied();
    let (mut talks, mut items) = (0, 0);
    for (i, year) in (first_year..=today.year()).enumerate() {
        let start = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(today);
        let end = NaiveDate::from_ymd_opt(year, 12, 31)
            .unwrap_or(today)
            .min(today);
        for _ in 0..talks_in(i) {
            let kind = kinds[g.rng.usize(..kinds.len())];
            let collective = kind == *kinds.last().unwrap_or(&0);
            let subject = &people[g.rng.usize(..people.len().max(1))];
            let talk = Talk {
                date: g.date_between(start, end),
                kind_id: kind,
                form: if collective {
                    TalkForm::Collective
                } else {
                    TalkForm::Individual
                },
                org_id: leading,
                talkers: g.pick(&["局党组书记", "分管局领导", "机关纪委书记"]).into(),
                subjects: if collective {
                    Vec::new()
                } else {
                    vec![(subject.0, subject.1.clone())]
                },
                headcount: collective.then(|| g.rng.u32(15..60)),
                place: "局党组会议室".into(),
                content: "提醒严守纪律规矩，加强作风建设".into(),
                ..Default::default()
            };
            // Through the form's input and check, as every talk comes in.
            let talk = talk
                .to_input()
                .validate(today)
                .map_err(|e| StoreError::refused(format!("演示数据的谈话不合规则：{:?}", e.0)))?;
            db.save_talk(&talk)?;
            talks += 1;
        }
        for _ in 0..items_in(i) {
            let found = g.date_between(start, end);
            let input = RectInput {
                source: Some(Source::ALL[g.rng.usize(..Source::ALL.len())]),
                org_id: orgs.get(g.rng.usize(..orgs.len().max(1))).copied(),
                found_on: crate::model::date::iso(found),
                description: g
                    .pick(&[
                        "理论学习不够深入系统",
                        "“三会一课”记录不规范",
                        "党费收缴不及时",
                        "谈心谈话开展不经常",
                        "整改台账更新不及时",
                    ])
                    .into(),
                category: "党建工作".into(),
                unit: g
                    .pick(&["办公室", "机关党委", "社会救助处", "养老服务处"])
                    .into(),
                person: g.pick(&["王主任", "李处长", "赵科长"]).into(),
                measures: "制定整改方案，明确时限，逐项落实".into(),
                deadline: crate::model::date::iso(found + Duration::days(g.rng.i64(60..180))),
                ..Default::default()
            };
            let item = input
                .validate(today, None)
                .map_err(|_| StoreError::refused("演示数据有误"))?;
            let id = db.save_rectification(&item)?;
            items += 1;
            let done = found + Duration::days(g.rng.i64(20..200));
            if g.rng.u32(0..10) < 8 && done <= today {
                db.close_rectification(
                    id,
                    &Closing {
                        date: done,
                        evidence: "已完成整改并建立长效机制".into(),
                        evidence_file: String::new(),
                        verifier: "机关党委".into(),
                    },
                )?;
            }
        }
    }
    Ok((talks, items))
}

fn org(name: &str, kind: OrgKind, parent: Option<i64>, g: &mut Gen, today: NaiveDate) -> Org {
    Org {
        id: None,
        uid: String::new(),
        name: name.into(),
        kind,
        parent_id: parent,
        founded: NaiveDate::from_ymd_opt(1985 + g.rng.i32(0..20), 7, 1),
        dissolved: None,
        term_start: Some(today - Duration::days(g.rng.i64(30..1200))),
        term_years: 3,
        has_committee: true,
        has_groups: false,
        note: String::new(),
        expectations: Vec::new(),
    }
}
