//! 党员 and the development pipeline (发展党员), with the rules of 《中国共产党发展党员工作细则》(2014).

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::date::{self, add_years, whole_years};
use super::field::{self, Draft, Field, Kind, Record, Stored, Value};
use super::transfer::{self, Transfer};
use super::{FieldErrors, id_card, labelled_enum};

labelled_enum! {
    pub enum Gender { Male => "男", Female => "女" }
}

labelled_enum! {
    /// The stages of the pipeline, in order: a member moves forward through them.
    pub enum Category {
        Applicant => "入党申请人",
        Activist => "入党积极分子",
        Candidate => "发展对象",
        Probationary => "预备党员",
        Full => "正式党员",
    }
}

labelled_enum! {
    /// Whether a membership ended otherwise than by transfer. Nothing is ever deleted: leaving is a
    /// status with a date. A 转出 is a transfer record (`model::transfer`), not a status.
    pub enum Status {
        OnRolls => "在册",
        Deceased => "去世",
        Expelled => "出党",
    }
}

// The enum comes from `labelled_enum!`, which cannot mark a `#[default]` variant.
#[allow(clippy::derivable_impls)]
impl Default for Category {
    fn default() -> Self {
        Category::Full
    }
}

/// A person on the bureau's books, from applicant to full member.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub id: Option<i64>,
    pub uid: String,
    pub name: String,
    pub gender: Option<Gender>,
    pub ethnicity: String,
    pub birth_date: Option<NaiveDate>,
    /// 公民身份号码, normalised (upper-case X); empty when not known.
    pub id_number: String,
    pub education: String,
    /// 职务 (post at work).
    pub job: String,
    pub phone: String,
    pub org_id: i64,
    pub category: Category,
    pub applied_on: Option<NaiveDate>,
    pub activist_on: Option<NaiveDate>,
    pub candidate_on: Option<NaiveDate>,
    pub probationary_on: Option<NaiveDate>,
    pub full_on: Option<NaiveDate>,
    /// 延长预备期 to this date (once, by 6–12 months); 转正 is then on it.
    pub probation_extended_to: Option<NaiveDate>,
    /// 党内职务.
    pub party_post: String,
    /// 入党介绍人: two full members, names separated by 、.
    pub introducers: String,
    pub status: Status,
    /// When the status last changed (去世 / 出党 date).
    pub status_date: Option<NaiveDate>,
    pub note: String,
}

/// The form fields, so that an error is shown at the field it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MemberField {
    Name,
    Gender,
    Ethnicity,
    BirthDate,
    IdNumber,
    Education,
    Job,
    Phone,
    Org,
    Category,
    AppliedOn,
    ActivistOn,
    CandidateOn,
    ProbationaryOn,
    FullOn,
    ProbationExtendedTo,
    PartyPost,
    Introducers,
    Status,
    StatusDate,
    Note,
}

super::form_field!(MemberField => Member);

/// The fields of a member, declared once (`model::field`).
pub const FIELDS: &[Field<MemberField>] = {
    use MemberField as F;
    &[
        Field::new(F::Name, "name", "姓名", Kind::Text).required(),
        Field::new(F::Gender, "gender", "性别", Kind::Choice(Gender::LABELS)).note("男 / 女"),
        Field::new(F::Ethnicity, "ethnicity", "民族", Kind::Text).note("如 汉族（“汉”即汉族）"),
        Field::new(F::BirthDate, "birth_date", "出生日期", Kind::Date)
            .synonyms(&["出生年月", "出生年月日", "出生时间"])
            .note("日期；填写公民身份号码时可空，也可只填年月（如 1970.03，须与号码一致）"),
        Field::new(F::IdNumber, "id_number", "公民身份号码", Kind::Text)
            .synonyms(&["身份证号", "身份证号码", "身份证"])
            .note("18位，末位可为X；同一人以此识别"),
        Field::new(F::Education, "education", "学历", Kind::Text).synonyms(&["文化程度"]),
        Field::new(F::Job, "job", "职务", Kind::Text).note("工作职务"),
        Field::new(F::Phone, "phone", "联系电话", Kind::Text).synonyms(&[
            "电话",
            "手机",
            "手机号码",
            "联系方式",
        ]),
        Field::new(F::Org, "org_id", "所在组织", Kind::Org)
            .required()
            .synonyms(&["所在支部", "所在党支部", "支部", "党组织"])
            .note("党组织名称（须在“支部”表或系统中已有）"),
        Field::new(
            F::Category,
            "category",
            "人员类别",
            Kind::Choice(Category::LABELS),
        )
        .required()
        .synonyms(&["类别", "党员类别"])
        .note("入党申请人 / 入党积极分子 / 发展对象 / 预备党员 / 正式党员"),
        Field::new(F::AppliedOn, "applied_on", "申请入党日期", Kind::Date)
            .synonyms(&["申请入党时间"]),
        Field::new(F::ActivistOn, "activist_on", "确定积极分子日期", Kind::Date)
            .synonyms(&["确定为积极分子日期", "确定入党积极分子日期"]),
        Field::new(
            F::CandidateOn,
            "candidate_on",
            "确定发展对象日期",
            Kind::Date,
        )
        .synonyms(&["确定为发展对象日期"]),
        Field::new(
            F::ProbationaryOn,
            "probationary_on",
            "接收预备党员日期",
            Kind::Date,
        )
        .synonyms(&["入党时间", "入党日期", "接收为预备党员日期"])
        .note("支部大会通过的日期"),
        Field::new(F::FullOn, "full_on", "转正日期", Kind::Date)
            .synonyms(&["转正时间", "转为正式党员日期"]),
        Field::new(
            F::ProbationExtendedTo,
            "probation_extended_to",
            "延长预备期至",
            Kind::Date,
        )
        .note("延长预备期的，填延长期满之日"),
        Field::new(F::PartyPost, "party_post", "党内职务", Kind::Text),
        Field::new(F::Introducers, "introducers", "入党介绍人", Kind::Names)
            .note("两名正式党员，用“、”分隔"),
        Field::new(F::Status, "status", "状态", Kind::Choice(Status::LABELS))
            .note("在册 / 转出 / 去世 / 出党，空白为在册；转出请在“组织关系”表登记"),
        Field::new(F::StatusDate, "status_date", "状态变更日期", Kind::Date)
            .note("去世、出党的日期"),
        Field::new(F::Note, "note", "备注", Kind::Text),
    ]
};

impl MemberField {
    /// The one Chinese label of the field.
    pub fn label(self) -> &'static str {
        field::find(FIELDS, self).label
    }
}

impl Record for Member {
    type Field = MemberField;

    fn fields() -> &'static [Field<MemberField>] {
        FIELDS
    }

    fn get(&self, f: MemberField) -> Value {
        use MemberField as F;
        match f {
            F::Name => self.name.to_value(),
            F::Gender => self.gender.to_value(),
            F::Ethnicity => self.ethnicity.to_value(),
            F::BirthDate => self.birth_date.to_value(),
            // A blank number is NULL, so the unique index on numbers ignores it.
            F::IdNumber if self.id_number.trim().is_empty() => Value::Null,
            F::IdNumber => self.id_number.to_value(),
            F::Education => self.education.to_value(),
            F::Job => self.job.to_value(),
            F::Phone => self.phone.to_value(),
            F::Org => self.org_id.to_value(),
            F::Category => self.category.to_value(),
            F::AppliedOn => self.applied_on.to_value(),
            F::ActivistOn => self.activist_on.to_value(),
            F::CandidateOn => self.candidate_on.to_value(),
            F::ProbationaryOn => self.probationary_on.to_value(),
            F::FullOn => self.full_on.to_value(),
            F::ProbationExtendedTo => self.probation_extended_to.to_value(),
            F::PartyPost => self.party_post.to_value(),
            F::Introducers => self.introducers.to_value(),
            F::Status => self.status.to_value(),
            F::StatusDate => self.status_date.to_value(),
            F::Note => self.note.to_value(),
        }
    }

    fn set(&mut self, f: MemberField, v: Value) -> Result<(), String> {
        use MemberField as F;
        match f {
            F::Name => v.put(&mut self.name),
            F::Gender => v.put(&mut self.gender),
            F::Ethnicity => v.put(&mut self.ethnicity),
            F::BirthDate => v.put(&mut self.birth_date),
            F::IdNumber => v.put(&mut self.id_number),
            F::Education => v.put(&mut self.education),
            F::Job => v.put(&mut self.job),
            F::Phone => v.put(&mut self.phone),
            F::Org => v.put(&mut self.org_id),
            F::Category => v.put(&mut self.category),
            F::AppliedOn => v.put(&mut self.applied_on),
            F::ActivistOn => v.put(&mut self.activist_on),
            F::CandidateOn => v.put(&mut self.candidate_on),
            F::ProbationaryOn => v.put(&mut self.probationary_on),
            F::FullOn => v.put(&mut self.full_on),
            F::ProbationExtendedTo => v.put(&mut self.probation_extended_to),
            F::PartyPost => v.put(&mut self.party_post),
            F::Introducers => v.put(&mut self.introducers),
            F::Status => v.put(&mut self.status),
            F::StatusDate => v.put(&mut self.status_date),
            F::Note => v.put(&mut self.note),
        }
    }

    fn identity(&self) -> (Option<i64>, &str) {
        (self.id, &self.uid)
    }

    fn set_identity(&mut self, id: Option<i64>, uid: String) {
        (self.id, self.uid) = (id, uid);
    }
}

impl Draft for MemberInput {
    type Field = MemberField;

    fn set(&mut self, f: MemberField, v: Value) -> Result<(), String> {
        use MemberField as F;
        let stage = |f| PIPELINE_DATES.iter().position(|(p, _, _)| *p == f);
        match f {
            F::Name => v.put(&mut self.name),
            F::Gender => v.put(&mut self.gender),
            F::Ethnicity => v.put(&mut self.ethnicity),
            F::BirthDate => v.put(&mut self.birth_date),
            F::IdNumber => v.put(&mut self.id_number),
            F::Education => v.put(&mut self.education),
            F::Job => v.put(&mut self.job),
            F::Phone => v.put(&mut self.phone),
            F::Org => v.put(&mut self.org_id),
            F::Category => v.put(&mut self.category),
            F::AppliedOn | F::ActivistOn | F::CandidateOn | F::ProbationaryOn | F::FullOn => {
                v.put(&mut self.pipeline[stage(f).unwrap_or_default()])
            }
            F::ProbationExtendedTo => v.put(&mut self.probation_extended_to),
            F::PartyPost => v.put(&mut self.party_post),
            F::Introducers => v.put(&mut self.introducers),
            // A blank 状态 is 在册.
            F::Status => {
                Option::<Status>::from_value(v).map(|s| self.status = s.unwrap_or_default())
            }
            F::StatusDate => v.put(&mut self.status_date),
            F::Note => v.put(&mut self.note),
        }
    }
}

/// The pipeline dates with their fields and labels, in pipeline order.
pub const PIPELINE_DATES: [(MemberField, &str, Category); 5] = [
    (MemberField::AppliedOn, "申请入党日期", Category::Applicant),
    (
        MemberField::ActivistOn,
        "确定积极分子日期",
        Category::Activist,
    ),
    (
        MemberField::CandidateOn,
        "确定发展对象日期",
        Category::Candidate,
    ),
    (
        MemberField::ProbationaryOn,
        "接收预备党员日期",
        Category::Probationary,
    ),
    (MemberField::FullOn, "转正日期", Category::Full),
];

/// What the member form holds while the user types: text exactly as typed, so nothing is lost when
/// a value does not parse.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemberInput {
    pub id: Option<i64>,
    pub uid: String,
    pub name: String,
    pub gender: Option<Gender>,
    pub ethnicity: String,
    pub birth_date: String,
    pub id_number: String,
    pub education: String,
    pub job: String,
    pub phone: String,
    pub org_id: Option<i64>,
    pub category: Option<Category>,
    /// The five pipeline dates, in the order of [`PIPELINE_DATES`].
    pub pipeline: [String; 5],
    /// Set by the 转正 dialog, kept as it is by the form.
    pub probation_extended_to: Option<NaiveDate>,
    pub party_post: String,
    pub introducers: String,
    pub status: Status,
    pub status_date: String,
    pub note: String,
}

// The enum comes from `labelled_enum!`, which cannot mark a `#[default]` variant.
#[allow(clippy::derivable_impls)]
impl Default for Status {
    fn default() -> Self {
        Status::OnRolls
    }
}

impl Member {
    /// The pipeline dates in the order of [`PIPELINE_DATES`].
    pub fn pipeline(&self) -> [Option<NaiveDate>; 5] {
        [
            self.applied_on,
            self.activist_on,
            self.candidate_on,
            self.probationary_on,
            self.full_on,
        ]
    }

    /// The form for editing this member.
    pub fn to_input(&self) -> MemberInput {
        let text = |d: Option<NaiveDate>| d.map(date::iso).unwrap_or_default();
        MemberInput {
            id: self.id,
            uid: self.uid.clone(),
            name: self.name.clone(),
            gender: self.gender,
            ethnicity: self.ethnicity.clone(),
            birth_date: text(self.birth_date),
            id_number: self.id_number.clone(),
            education: self.education.clone(),
            job: self.job.clone(),
            phone: self.phone.clone(),
            org_id: Some(self.org_id),
            category: Some(self.category),
            pipeline: self.pipeline().map(text),
            probation_extended_to: self.probation_extended_to,
            party_post: self.party_post.clone(),
            introducers: self.introducers.clone(),
            status: self.status,
            status_date: text(self.status_date),
            note: self.note.clone(),
        }
    }

    /// 在册 at `date` (tally.md): a 预备党员 or 正式党员 by then (接收预备党员日期 on or before it, or
    /// with no date recorded, of that category) who belonged to an organisation of the bureau then
    /// (`transfer::org_at`: not after a 转出, not before the 转入 that brought them) and whose
    /// membership had not ended (去世 / 出党 dated after it). Applicants, activists and candidates
    /// are not 在册. `transfers` are the member's, in date order.
    /// The one definition: the store's SQL twin is `store::sql::on_rolls`, tested to agree.
    pub fn on_rolls_at(&self, transfers: &[Transfer], date: NaiveDate) -> bool {
        let joined = match self.probationary_on {
            Some(d) => d <= date,
            None => matches!(self.category, Category::Probationary | Category::Full),
        };
        let ended = self.status != Status::OnRolls && self.status_date.is_none_or(|d| d <= date);
        joined && !ended && self.org_at(transfers, date).is_some()
    }

    /// The organisation the member belonged to at `date` (`None`: outside the bureau then).
    pub fn org_at(&self, transfers: &[Transfer], date: NaiveDate) -> Option<i64> {
        transfer::org_at(self.org_id, transfers, date)
    }

    /// 在册, 转出 (from the transfers), 去世 or 出党 at `date`, as the roster, its filter and the
    /// workbook's 状态 column say it.
    pub fn standing_label(&self, transfers: &[Transfer], date: NaiveDate) -> &'static str {
        if self.status != Status::OnRolls {
            self.status.label()
        } else if self.org_at(transfers, date).is_none() {
            "转出"
        } else {
            "在册"
        }
    }

    /// 状态 as the roster shows it: 在册 only for a member on the rolls (the one definition); an
    /// applicant, 积极分子 or 发展对象 on our books shows their stage instead.
    pub fn roster_label(&self, transfers: &[Transfer], date: NaiveDate) -> &'static str {
        match self.standing_label(transfers, date) {
            "在册" if !self.on_rolls_at(transfers, date) => self.category.label(),
            other => other,
        }
    }

    /// 年龄 at `today` (whole years).
    pub fn age(&self, today: NaiveDate) -> Option<i32> {
        self.birth_date.map(|b| whole_years(b, today))
    }

    /// 党龄 at `today`: whole years from 转正 (党章: 党龄从预备期满转为正式党员之日算起).
    pub fn party_age(&self, today: NaiveDate) -> Option<i32> {
        self.full_on
            .filter(|f| *f <= today)
            .map(|f| whole_years(f, today))
    }

    /// 政治生日 in `month`: the 入党 (接收为预备党员) anniversary falls in that month.
    pub fn political_birthday_in(&self, month: u32) -> bool {
        self.probationary_on.is_some_and(|d| d.month() == month)
    }

    /// A full member at `date` (转正日期 on or before it; with no date recorded, of that category).
    /// Meaningful for members on the rolls.
    pub fn full_at(&self, date: NaiveDate) -> bool {
        match self.full_on {
            Some(d) => d <= date,
            None => self.category == Category::Full,
        }
    }

    /// Pipeline rule breaches that are allowed but should be looked at: warnings, never blocks.
    pub fn warnings(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let (Some(activist), Some(candidate)) = (self.activist_on, self.candidate_on)
            && candidate <= add_years(activist, 1)
        {
            out.push(format!(
                    "确定为发展对象（{}）距确定为入党积极分子（{}）不满一年；细则要求培养教育考察一年以上",
                    date::iso(candidate),
                    date::iso(activist)
                ));
        }
        if self.probationary_on.is_some() {
            let introducers = super::split_names(&self.introducers).len();
            if introducers != 2 {
                out.push(format!("入党介绍人应为两名正式党员，现填写{introducers}名"));
            }
        }
        if let (Some(ext), Some(full)) = (self.probation_extended_to, self.full_on)
            && full != ext
        {
            out.push(format!(
                "预备期已延长至{}，转正日期应为延长期满之日（现为{}）",
                date::iso(ext),
                date::iso(full)
            ));
        } else if let (Some(prob), Some(full), None) = (
            self.probationary_on,
            self.full_on,
            self.probation_extended_to,
        ) {
            let one_year = add_years(prob, 1);
            if full < one_year {
                out.push(format!(
                    "预备期不足一年：接收为预备党员{}，转正{}（预备期满应为{}）",
                    date::iso(prob),
                    date::iso(full),
                    date::iso(one_year)
                ));
            } else if full > one_year {
                let extended_to = full.signed_duration_since(one_year).num_days();
                let note = if full < prob + chrono::Months::new(18)
                    || full > prob + chrono::Months::new(24)
                {
                    "；延长预备期只能一次，时间为半年至一年"
                } else {
                    "，如系延长预备期请用“转正”登记延长"
                };
                out.push(format!(
                    "预备期超过一年（比预备期满日{}晚{}天）{}",
                    date::iso(one_year),
                    extended_to,
                    note
                ));
            }
        }
        out
    }
}

/// Every value of [`Member::standing_label`], for filters.
pub const STANDINGS: [&str; 4] = ["在册", "转出", "去世", "出党"];

/// The (year, month) a birth date written as a month may mean: "1970.03", "1978年8月"; "1970.1"
/// may be October as well (a number cell drops the 0 of 1970.10). Empty for a full date or text
/// that is no month.
fn birth_months(text: &str) -> Vec<(i32, u32)> {
    let text = text.trim();
    if date::parse_date(text).is_ok() {
        return Vec::new();
    }
    let Some((y, m)) = date::parse_month(text) else {
        return Vec::new();
    };
    let mut out = vec![(y, m)];
    if m == 1 && text.ends_with(".1") {
        out.push((y, 10));
    }
    out
}

/// The 56 民族 without 族, as rosters often write them ("汉").
const ETHNIC_GROUPS: &[&str] = &[
    "汉",
    "蒙古",
    "回",
    "藏",
    "维吾尔",
    "苗",
    "彝",
    "壮",
    "布依",
    "朝鲜",
    "满",
    "侗",
    "瑶",
    "白",
    "土家",
    "哈尼",
    "哈萨克",
    "傣",
    "黎",
    "傈僳",
    "佤",
    "畲",
    "高山",
    "拉祜",
    "水",
    "东乡",
    "纳西",
    "景颇",
    "柯尔克孜",
    "土",
    "达斡尔",
    "仫佬",
    "羌",
    "布朗",
    "撒拉",
    "毛南",
    "仡佬",
    "锡伯",
    "阿昌",
    "普米",
    "塔吉克",
    "怒",
    "乌孜别克",
    "俄罗斯",
    "鄂温克",
    "德昂",
    "保安",
    "裕固",
    "京",
    "塔塔尔",
    "独龙",
    "鄂伦春",
    "赫哲",
    "门巴",
    "珞巴",
    "基诺",
];

/// 民族 as stored: "汉" is 汉族.
fn ethnicity(text: &str) -> String {
    let t = text.trim();
    if ETHNIC_GROUPS.contains(&t) {
        format!("{t}族")
    } else {
        t.to_string()
    }
}

/// 公民身份号码 as lists show it: the region and the last four kept, the birth date hidden
/// (330102********5601). The form shows it whole.
pub fn mask_id(number: &str) -> String {
    let chars: Vec<char> = number.chars().collect();
    if chars.len() < 10 {
        return "*".repeat(chars.len());
    }
    let (head, rest) = chars.split_at(6);
    let tail = &rest[rest.len() - 4..];
    format!(
        "{}{}{}",
        head.iter().collect::<String>(),
        "*".repeat(rest.len() - 4),
        tail.iter().collect::<String>()
    )
}

impl MemberInput {
    /// A blank form for a new member of `org_id`.
    pub fn new(org_id: Option<i64>) -> Self {
        Self {
            org_id,
            category: Some(Category::Full),
            ..Default::default()
        }
    }

    /// Checks everything that can be checked without the database and builds the record.
    /// `today` bounds dates (none may lie in the future).
    pub fn validate(&self, today: NaiveDate) -> Result<Member, FieldErrors<MemberField>> {
        use MemberField as F;
        let mut errors = FieldErrors::new();

        let name = self.name.trim().to_string();
        if name.is_empty() {
            errors.push(F::Name, "请填写姓名");
        } else if name.chars().count() > 30 {
            errors.push(F::Name, "姓名过长（最多30个字）");
        }

        // 出生年月 as rosters write it (1970.03, 1978年8月): the day comes from the ID number.
        let birth_month = birth_months(&self.birth_date);
        let mut birth_date = if birth_month.is_empty() {
            errors.past_date(F::BirthDate, "", &self.birth_date, today)
        } else {
            if id_card::normalise(&self.id_number).is_empty() {
                errors.push(
                    F::BirthDate,
                    "只填了出生年月：请填写公民身份号码（据此确定出生日期），或填写完整的出生日期",
                );
            }
            None
        };
        let pipeline: Vec<Option<NaiveDate>> = PIPELINE_DATES
            .iter()
            .zip(&self.pipeline)
            .map(|((field, _, _), text)| errors.past_date(*field, "", text, today))
            .collect();
        let status_date = errors.past_date(F::StatusDate, "", &self.status_date, today);

        let mut gender = self.gender;
        let id_number = id_card::normalise(&self.id_number);
        if !id_number.is_empty() {
            match id_card::validate(&id_number) {
                Err(e) => errors.push(F::IdNumber, e.to_string()),
                Ok(info) => {
                    let born = info.birth_date;
                    match birth_date {
                        None if birth_month.contains(&(born.year(), born.month())) => {
                            birth_date = Some(born)
                        }
                        None if !birth_month.is_empty() => errors.push(
                            F::BirthDate,
                            format!(
                                "出生年月与公民身份号码不一致（号码中为{}年{}月）",
                                born.year(),
                                born.month()
                            ),
                        ),
                        None if self.birth_date.trim().is_empty() => {
                            birth_date = Some(info.birth_date)
                        }
                        Some(b) if b != info.birth_date => errors.push(
                            F::BirthDate,
                            format!(
                                "出生日期与公民身份号码不一致（号码中为{}）",
                                date::iso(info.birth_date)
                            ),
                        ),
                        _ => {}
                    }
                    match gender {
                        None => gender = Some(info.gender),
                        Some(g) if g != info.gender => errors.push(
                            F::Gender,
                            format!("性别与公民身份号码不一致（号码第17位表示{}）", info.gender),
                        ),
                        _ => {}
                    }
                }
            }
        }

        let org_id = self.org_id;
        if org_id.is_none() {
            errors.push(F::Org, "请选择所在组织");
        }
        let category = self.category;
        if category.is_none() {
            errors.push(F::Category, "请选择人员类别");
        }

        // Pipeline dates go forward in time, and the category is at least the last stage dated.
        let mut last: Option<(NaiveDate, &str)> = None;
        for ((field, label, stage), d) in PIPELINE_DATES.iter().zip(&pipeline) {
            let Some(d) = *d else { continue };
            if let Some((prev, prev_label)) = last
                && d < prev
            {
                errors.push(
                    *field,
                    format!("{label}早于{prev_label}（{}）", date::iso(prev)),
                );
            }
            last = Some((d, label));
            if let Some(c) = category
                && c < *stage
            {
                errors.push(
                    F::Category,
                    format!("已填写{label}，人员类别应为{}或其后的类别", stage.label()),
                );
            }
        }
        if let (Some(birth), Some(applied)) = (birth_date, pipeline[0])
            && whole_years(birth, applied) < 18
        {
            errors.push(
                F::AppliedOn,
                format!(
                    "申请入党时未满18周岁（出生于{}），按规定须年满18周岁",
                    date::iso(birth)
                ),
            );
        }
        if let Some(birth) = birth_date
            && (birth.signed_duration_since(today).num_days() > 0
                || whole_years(birth, today) > 120)
        {
            errors.push(F::BirthDate, "出生日期不合理，请核对");
        }

        if self.status != Status::OnRolls
            && status_date.is_none()
            && !errors.0.iter().any(|e| e.field == F::StatusDate)
        {
            errors.push(
                F::StatusDate,
                format!("状态为“{}”时请填写变更日期", self.status),
            );
        }

        let phone = self.phone.trim().to_string();
        if !phone
            .chars()
            .all(|c| c.is_ascii_digit() || "-+ ()（）转".contains(c))
        {
            errors.push(F::Phone, "联系电话只能包含数字、空格和 - + ( )");
        }

        if !errors.is_empty() {
            return Err(errors);
        }
        let [
            applied_on,
            activist_on,
            candidate_on,
            probationary_on,
            full_on,
        ] = [
            pipeline[0],
            pipeline[1],
            pipeline[2],
            pipeline[3],
            pipeline[4],
        ];
        Ok(Member {
            id: self.id,
            uid: self.uid.clone(),
            name,
            gender,
            ethnicity: ethnicity(&self.ethnicity),
            birth_date,
            id_number,
            education: self.education.trim().to_string(),
            job: self.job.trim().to_string(),
            phone,
            org_id: org_id.unwrap_or_default(),
            category: category.unwrap_or(Category::Full),
            applied_on,
            activist_on,
            candidate_on,
            probationary_on,
            full_on,
            probation_extended_to: self.probation_extended_to,
            party_post: self.party_post.trim().to_string(),
            introducers: self.introducers.trim().to_string(),
            status: self.status,
            status_date,
            note: self.note.trim().to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }
    const TODAY: fn() -> NaiveDate = || d(2026, 11, 22);

    fn input() -> MemberInput {
        MemberInput {
            name: "张喆".into(),
            org_id: Some(1),
            category: Some(Category::Full),
            ..Default::default()
        }
    }

    #[test]
    fn a_valid_id_fills_birth_date_and_gender() {
        let mut i = input();
        i.id_number = "11010519491231002x".into();
        let m = i.validate(TODAY()).unwrap();
        assert_eq!(m.id_number, "11010519491231002X");
        assert_eq!(m.birth_date, Some(d(1949, 12, 31)));
        assert_eq!(m.gender, Some(Gender::Female));
    }

    /// Rosters write 出生年月 and 汉: the month must agree with the number, which gives the day.
    #[test]
    fn a_birth_month_takes_its_day_from_the_id_number() {
        let mut i = input();
        i.id_number = "11010519491231002X".into();
        i.ethnicity = "汉".into();
        for month in ["1949.12", "1949年12月", "1949-12"] {
            i.birth_date = month.into();
            let m = i.validate(TODAY()).unwrap();
            assert_eq!(m.birth_date, Some(d(1949, 12, 31)), "{month}");
            assert_eq!(m.ethnicity, "汉族");
        }
        i.birth_date = "1949.11".into();
        let e = i.validate(TODAY()).unwrap_err();
        assert_eq!(
            e.get(MemberField::BirthDate),
            Some("出生年月与公民身份号码不一致（号码中为1949年12月）")
        );
        i.id_number.clear();
        i.birth_date = "1949.12".into();
        let e = i.validate(TODAY()).unwrap_err();
        assert!(
            e.get(MemberField::BirthDate)
                .unwrap()
                .contains("请填写公民身份号码")
        );
        // "1970.1" from a number cell may be October.
        assert_eq!(birth_months("1970.1"), [(1970, 1), (1970, 10)]);
        assert!(birth_months("1970-01-05").is_empty());
    }

    #[test]
    fn id_mismatches_are_errors_at_their_fields() {
        let mut i = input();
        i.id_number = "11010519491231002X".into();
        i.birth_date = "1950-1-1".into();
        i.gender = Some(Gender::Male);
        let e = i.validate(TODAY()).unwrap_err();
        assert!(
            e.get(MemberField::BirthDate)
                .unwrap()
                .contains("1949-12-31")
        );
        assert!(e.get(MemberField::Gender).unwrap().contains("女"));
        i.id_number = "110105194912310021".into();
        let e = i.validate(TODAY()).unwrap_err();
        assert!(e.get(MemberField::IdNumber).unwrap().contains("校验位"));
    }

    #[test]
    fn required_fields_and_bad_dates() {
        let mut i = MemberInput::default();
        i.pipeline[0] = "2022-2-30".into();
        i.birth_date = "2030-01-01".into();
        let e = i.validate(TODAY()).unwrap_err();
        assert_eq!(e.get(MemberField::Name), Some("请填写姓名"));
        assert_eq!(e.get(MemberField::Org), Some("请选择所在组织"));
        assert_eq!(e.get(MemberField::Category), Some("请选择人员类别"));
        assert_eq!(
            e.get(MemberField::AppliedOn),
            Some("日期不存在：2022年2月30日")
        );
        assert!(
            e.get(MemberField::BirthDate)
                .unwrap()
                .contains("不能晚于今天")
        );
    }

    #[test]
    fn applicant_must_be_eighteen() {
        let mut i = input();
        i.birth_date = "2005-06-01".into();
        i.pipeline[0] = "2023-05-31".into();
        assert!(
            i.validate(TODAY())
                .unwrap_err()
                .get(MemberField::AppliedOn)
                .unwrap()
                .contains("未满18周岁")
        );
        i.pipeline[0] = "2023-06-01".into();
        assert!(i.validate(TODAY()).is_ok());
    }

    #[test]
    fn pipeline_order_and_category() {
        let mut i = input();
        i.category = Some(Category::Activist);
        i.pipeline = [
            "2020-01-01".into(),
            "2019-06-01".into(),
            String::new(),
            "2022-01-01".into(),
            String::new(),
        ];
        let e = i.validate(TODAY()).unwrap_err();
        assert!(
            e.get(MemberField::ActivistOn)
                .unwrap()
                .contains("早于申请入党日期")
        );
        assert!(e.get(MemberField::Category).unwrap().contains("预备党员"));
    }

    #[test]
    fn pipeline_breaches_are_warnings_not_blocks() {
        let mut i = input();
        i.introducers = "张喆、李堃".into();
        i.pipeline = [
            "2019-01-10".into(),
            "2019-06-01".into(),
            "2020-03-01".into(),
            "2020-09-01".into(),
            "2021-06-01".into(),
        ];
        let m = i.validate(TODAY()).unwrap();
        let w = m.warnings();
        assert_eq!(w.len(), 2, "{w:?}");
        assert!(w[0].contains("不满一年"));
        assert!(w[1].contains("预备期不足一年"));
        i.pipeline[2] = "2020-06-02".into();
        i.pipeline[4] = "2021-09-01".into();
        assert!(i.validate(TODAY()).unwrap().warnings().is_empty());
        i.introducers = "张喆".into();
        assert_eq!(
            i.validate(TODAY()).unwrap().warnings(),
            ["入党介绍人应为两名正式党员，现填写1名"]
        );
    }

    #[test]
    fn leaving_needs_a_date_and_ids_are_masked() {
        let mut i = input();
        i.status = Status::Deceased;
        assert!(
            i.validate(TODAY())
                .unwrap_err()
                .get(MemberField::StatusDate)
                .is_some()
        );
        i.status_date = "2026-04-01".into();
        assert!(i.validate(TODAY()).is_ok());
        assert_eq!(mask_id("330102197001015601"), "330102********5601");
        assert_eq!(mask_id(""), "");
    }

    #[test]
    fn ages_and_political_birthdays() {
        let mut i = input();
        i.birth_date = "1970-11-23".into();
        i.pipeline[3] = "1995-11-30".into();
        i.pipeline[4] = "1996-11-30".into();
        let m = i.validate(TODAY()).unwrap();
        assert_eq!(m.age(TODAY()), Some(55), "the birthday is tomorrow");
        assert_eq!(m.party_age(TODAY()), Some(29), "党龄 from 转正");
        assert!(m.political_birthday_in(11));
        assert!(!m.political_birthday_in(12));
    }
}
