//! The sheets of workbook.md, column by column. A column that shows a field of a record takes its
//! header, synonyms, kind and note from the field's declaration (`model::field`); the sheet only
//! places it. The few columns of a sheet's own (the person a 党费 row is about, 整改过程) are
//! declared here.

use std::sync::LazyLock;

use super::{Col, Kind, Sheet};
use crate::model::{activity, dues, election, member, member_event, org, rectify, talk, transfer};

/// The sheets, in the order an import reads them: organisations before members, members before
/// everything that names a member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SheetKind {
    Orgs,
    Members,
    Elections,
    Committee,
    Transfers,
    Dues,
    Events,
    Activities,
    Talks,
    Rectify,
}

impl SheetKind {
    pub const ALL: [SheetKind; 10] = [
        SheetKind::Orgs,
        SheetKind::Members,
        SheetKind::Elections,
        SheetKind::Committee,
        SheetKind::Transfers,
        SheetKind::Dues,
        SheetKind::Events,
        SheetKind::Activities,
        SheetKind::Talks,
        SheetKind::Rectify,
    ];

    pub fn sheet(self) -> &'static Sheet {
        &SHEETS[self as usize]
    }

    pub fn name(self) -> &'static str {
        self.sheet().name
    }

    /// The sheet called `name` (spaces around it ignored).
    pub fn named(name: &str) -> Option<SheetKind> {
        SheetKind::ALL.into_iter().find(|k| k.name() == name.trim())
    }
}

/// Every sheet, in [`SheetKind::ALL`]'s order.
pub static SHEETS: LazyLock<Vec<Sheet>> =
    LazyLock::new(|| SheetKind::ALL.into_iter().map(build).collect());

/// The two columns that name a member on the sheets of what happens to members.
pub const PERSON: Col = Col::extra("姓名", Kind::Text, "").required();
pub const PERSON_ID: Col = Col::extra("公民身份号码", Kind::Text, "同一人以此识别；空白时按姓名")
    .synonyms(&["身份证号", "身份证号码", "身份证"]);

/// 支部: the secretary's name, for a workbook without a 委员会 sheet.
pub const SECRETARY: Col =
    Col::extra("书记", Kind::Text, "书记姓名；另有“委员会”表时以该表为准").synonyms(&["支部书记"]);
/// 委员会: the organisation a committee member serves in.
pub const COMMITTEE_ORG: Col =
    Col::extra("组织名称", Kind::Org, "党组织名称").synonyms(&["党组织名称", "支部名称"]);
/// 换届选举: the people elected, by role. "姓名（分工）", a member found by a name no one else has.
pub const ELECTED: [Col; 3] = [
    Col::extra("书记", Kind::Names, "当选书记的姓名").synonyms(&["当选书记"]),
    Col::extra("副书记", Kind::Names, "姓名，用“、”分隔").synonyms(&["当选副书记"]),
    Col::extra(
        "委员",
        Kind::Names,
        "姓名，括号中注明分工，用“、”分隔：李四（组织委员）、王五（宣传委员）",
    )
    .synonyms(&["当选委员"]),
];
/// 活动: the attendance list, by name.
pub const PRESENT: Col = Col::extra(
    "参加人员",
    Kind::Names,
    "出席的党员姓名，用“、”分隔；同名的在姓名后注明公民身份号码后四位：张三〔5601〕",
)
.synonyms(&["出席人员", "参会人员"]);
pub const LEAVE: Col = Col::extra(
    "请假人员",
    Kind::Names,
    "姓名，在括号中注明事由：张三（出差）",
);
pub const ABSENT: Col = Col::extra(
    "缺席人员",
    Kind::Names,
    "姓名；没有“请假人员”列时，括号中注明事由的算请假：张三（出差）",
)
.synonyms(&["缺席人员及原因"]);
/// 谈话: the people talked to, by name, and which of them are members (by ID number).
pub const SUBJECTS: Col = Col::extra("谈话对象", Kind::Names, "姓名，用“、”分隔");
pub const MEMBER_SUBJECTS: Col = Col::extra(
    "党员对象",
    Kind::Names,
    "谈话对象中本单位党员的公民身份号码（没有号码时填姓名），用“、”分隔",
);
/// 整改: the item's history, a line per event.
pub const HISTORY: Col = Col::extra(
    "整改过程",
    Kind::Text,
    "每行一条：日期 事项：内容，如 2022-05-01 进展：已制定方案；事项为 登记 / 进展 / 销号 / 重新打开 / 作废",
);

fn build(kind: SheetKind) -> Sheet {
    use activity::ActivityField as A;
    use dues::DuesField as D;
    use election::ElectionField as V;
    use member::MemberField as M;
    use member_event::EventField as E;
    use org::{CommitteeField as C, OrgField as O};
    use rectify::RectField as R;
    use talk::TalkField as T;
    use transfer::TransferField as X;
    let (name, cols, example): (&str, Vec<Col>, &[(&str, &str)]) = match kind {
        SheetKind::Orgs => {
            let f = |k| Col::of(org::FIELDS, k);
            (
                "支部",
                vec![
                    f(O::Name),
                    f(O::Kind),
                    f(O::Parent),
                    SECRETARY,
                    f(O::Founded),
                    f(O::TermStart),
                    f(O::TermYears),
                    f(O::Dissolved),
                    f(O::HasCommittee),
                    f(O::HasGroups),
                    f(O::Expectations),
                    f(O::Note),
                ],
                &[
                    ("组织名称", "【示例】机关第一党支部"),
                    ("组织类别", "党支部"),
                    ("上级组织", "机关党委"),
                    ("书记", "张三"),
                    ("成立日期", "2001-07-01"),
                    ("本届任期开始", "2024-03-15"),
                    ("任期年限", "3"),
                    ("设有支部委员会", "是"),
                    ("设有党小组", "否"),
                ],
            )
        }
        SheetKind::Elections => {
            let f = |k| Col::of(election::FIELDS, k);
            (
                "换届选举",
                vec![
                    f(V::Org),
                    f(V::Held),
                    ELECTED[0],
                    ELECTED[1],
                    ELECTED[2],
                    f(V::VotersExpected),
                    f(V::VotersPresent),
                    f(V::Note),
                ],
                &[
                    ("组织名称", "【示例】机关第一党支部"),
                    ("选举日期", "2024-03-15"),
                    ("书记", "张三"),
                    ("副书记", "李四"),
                    ("委员", "王五（组织委员）、赵六（宣传委员）"),
                    ("应到人数", "25"),
                    ("实到人数", "23"),
                ],
            )
        }
        SheetKind::Committee => {
            let f = |k| Col::of(org::COMMITTEE_FIELDS, k);
            (
                "委员会",
                vec![
                    COMMITTEE_ORG.required(),
                    f(C::Role),
                    f(C::Name),
                    PERSON_ID,
                    f(C::Duty),
                    f(C::Appointed),
                    f(C::Ended),
                ],
                &[
                    ("组织名称", "【示例】机关第一党支部"),
                    ("职务", "委员"),
                    ("姓名", "李四"),
                    ("分工", "组织委员"),
                    ("任职日期", "2024-03-15"),
                ],
            )
        }
        SheetKind::Members => {
            let f = |k| Col::of(member::FIELDS, k);
            (
                "党员",
                vec![
                    f(M::Name),
                    f(M::Gender),
                    f(M::Ethnicity),
                    f(M::BirthDate),
                    f(M::IdNumber),
                    f(M::Education),
                    f(M::Org),
                    f(M::Category),
                    f(M::AppliedOn),
                    f(M::ActivistOn),
                    f(M::CandidateOn),
                    f(M::ProbationaryOn),
                    f(M::FullOn),
                    f(M::ProbationExtendedTo),
                    f(M::PartyPost),
                    f(M::Phone),
                    f(M::Status),
                    f(M::StatusDate),
                    f(M::Job),
                    f(M::Introducers),
                    f(M::Note),
                ],
                &[
                    ("姓名", "【示例】张三"),
                    ("性别", "男"),
                    ("民族", "汉族"),
                    ("出生日期", "1980-05-01"),
                    ("学历", "大学本科"),
                    ("所在组织", "机关第一党支部"),
                    ("人员类别", "正式党员"),
                    ("申请入党日期", "2003-03-01"),
                    ("确定积极分子日期", "2003-09-01"),
                    ("确定发展对象日期", "2004-09-01"),
                    ("接收预备党员日期", "2005-06-20"),
                    ("转正日期", "2006-06-20"),
                    ("党内职务", "组织委员"),
                    ("联系电话", "13800000000"),
                    ("状态", "在册"),
                    ("职务", "科员"),
                    ("入党介绍人", "李四、王五"),
                ],
            )
        }
        SheetKind::Transfers => {
            let f = |k| Col::of(transfer::FIELDS, k);
            (
                "组织关系",
                vec![
                    PERSON,
                    PERSON_ID,
                    f(X::Kind),
                    f(X::Date),
                    f(X::OtherOrg),
                    f(X::FromOrg),
                    f(X::ToOrg),
                    f(X::Note),
                ],
                &[
                    ("姓名", "【示例】张三"),
                    ("转接类型", "转出"),
                    ("日期", "2022-04-20"),
                    ("对方组织", "省民政厅机关党委"),
                    ("原组织", "机关第一党支部"),
                ],
            )
        }
        SheetKind::Dues => {
            let f = |k| Col::of(dues::FIELDS, k);
            (
                "党费",
                vec![
                    PERSON,
                    PERSON_ID,
                    f(D::Month),
                    f(D::Base),
                    f(D::Rate),
                    f(D::Amount),
                    f(D::Basis),
                ],
                &[
                    ("姓名", "【示例】张三"),
                    ("月份", "2022-03"),
                    ("缴费基数", "5000"),
                    ("比例", "1"),
                    ("金额", "50"),
                    ("缴纳类别", "在职"),
                ],
            )
        }
        SheetKind::Events => {
            let f = |k| Col::of(member_event::FIELDS, k);
            (
                "表彰慰问",
                vec![
                    PERSON,
                    PERSON_ID,
                    f(E::Kind),
                    f(E::Date),
                    f(E::Title),
                    f(E::ForYear),
                    f(E::Grade),
                    f(E::Note),
                ],
                &[
                    ("姓名", "【示例】张三"),
                    ("类型", "表彰"),
                    ("日期", "2022-06-30"),
                    ("内容", "优秀共产党员"),
                ],
            )
        }
        SheetKind::Activities => {
            let f = |k| Col::of(activity::FIELDS, k);
            (
                "活动",
                vec![
                    f(A::Date),
                    f(A::Time),
                    f(A::Org),
                    f(A::Types),
                    f(A::Themes),
                    f(A::Topic),
                    f(A::Content),
                    f(A::Host),
                    f(A::Lecturer),
                    f(A::Place),
                    f(A::Recorder),
                    f(A::Expected),
                    f(A::Present),
                    PRESENT,
                    LEAVE,
                    ABSENT,
                    f(A::Guests),
                    f(A::SpeechDate),
                    f(A::ForYear),
                    f(A::Minutes),
                    f(A::Outcome),
                    f(A::Attachments),
                ],
                &[
                    ("日期", "【示例】2022-03-20"),
                    ("组织", "机关第一党支部"),
                    ("类型", "党员大会、主题党日"),
                    ("主题", "学习党的二十大精神"),
                    ("主持人", "张三"),
                    ("地点", "会议室"),
                    ("参加人员", "张三、李四"),
                    ("请假人员", "王五（出差）"),
                ],
            )
        }
        SheetKind::Talks => {
            let f = |k| Col::of(talk::FIELDS, k);
            (
                "谈话",
                vec![
                    f(T::Date),
                    f(T::Kind),
                    f(T::Form),
                    f(T::Org),
                    f(T::Talkers),
                    SUBJECTS,
                    MEMBER_SUBJECTS,
                    f(T::Headcount),
                    f(T::Place),
                    f(T::Reason),
                    f(T::Content),
                    f(T::FollowUp),
                ],
                &[
                    ("谈话日期", "【示例】2022-03-01"),
                    ("谈话类型", "日常谈话"),
                    ("形式", "个别"),
                    ("谈话人", "王书记"),
                    ("谈话对象", "张三"),
                    ("地点", "会议室"),
                    ("谈话内容", "提醒严守纪律规矩"),
                ],
            )
        }
        SheetKind::Rectify => {
            let f = |k| Col::of(rectify::FIELDS, k);
            (
                "整改",
                vec![
                    f(R::Source),
                    f(R::FoundOn),
                    f(R::Description),
                    f(R::Category),
                    f(R::Unit),
                    f(R::Org),
                    f(R::Person),
                    f(R::Measures),
                    f(R::Deadline),
                    f(R::Status),
                    f(R::ClosedOn),
                    f(R::Evidence),
                    f(R::EvidenceFile),
                    f(R::Verifier),
                    HISTORY,
                ],
                &[
                    ("问题来源", "【示例】自查"),
                    ("发现日期", "2022-02-01"),
                    ("问题描述", "台账记录不规范"),
                    ("问题类别", "党建工作"),
                    ("责任单位", "办公室"),
                    ("责任人", "张三"),
                    ("整改措施", "统一台账格式"),
                    ("整改时限", "2022-05-01"),
                    ("状态", "未整改"),
                ],
            )
        }
    };
    let example = cols
        .iter()
        .map(|c| {
            example
                .iter()
                .find(|(h, _)| *h == c.header)
                .map_or("", |(_, v)| *v)
        })
        .collect();
    Sheet {
        kind,
        name,
        cols,
        example,
    }
}

/// The sheets as docs/workbook.md describes them, made from the declarations (a test keeps the
/// file equal to this).
pub fn markdown() -> String {
    let mut out = String::from(
        "# 工作簿的工作表和列（由字段声明生成，请勿手改）\n\n\
         本文件由 `cargo test` 中的 `docs_workbook_md_is_made_from_the_declarations` 核对；\
         改了字段声明后运行 `DANGWU_WRITE_DOCS=1 cargo test --test workbook` 重新生成。\n\
         带 * 的列必填。同义表头：导入时也认这些写法。\n\n\
         ## 约定\n\n\
         - 按模板命名的表（支部、党员……）第一行是表头；列的顺序不限；不认识的列忽略，并在预览中提示。\n\
         - **自己做的表也能导入**（党员花名册、三会一课台账……）：不论表名，在前12行中找表头，按表头认出是哪一种表；\
         表头上方的标题、合计 / 小计 / 填表人 / 填表日期 / 说明等行和空行跳过并提示；“序号”列不读。认不出是哪一种的表\
         列出而不猜，可在预览中指定表的种类和每一列对应的项，下次导入表头相同的表时沿用。\n\
         - 没有“组织”列的表，取表名或标题中写明的本台账组织（只认唯一的一个，如“机关第一党支部党员花名册”）；\
         写不明的在预览中选择，命令行用 `import --org 名称`。\n\
         - 出生年月只填到月（1970.03、1978年8月）时，按公民身份号码确定日期，两者须一致；民族“汉”即汉族。\n\
         - 只有“缺席人员及原因”一列的会议记录：括号中有事由的算请假，其余当天在册党员算出席。\n\
         - 工作簿**没有**的列，不改动系统中该项内容；有这一列而单元格为空，则清空该项（书记一列为空时不改动委员会）。\n\
         - 每一行都按录入表单的规则检查，问题按“表、行、列”列出；有任何问题时什么也不写入。\n\
         - 日期：日期格式的单元格，或 2022-03-20、2022/3/20、2022.3.20、2022年3月20日、20220320，或写成文本的 Excel 日期序号；月份：2022-03 或 2022年3月。\n\
         - 一个单元格中的多个姓名用“、”“，”“,”“;”或“；”分隔；附件文件名用“、”分隔。\n\
         - 金额以元为单位，最多两位小数。\n\
         - 党员按公民身份号码识别，没有号码时按姓名（同名时再按所在组织）。\n\
         - 导出的工作簿原样导入到空白文件，得到同样的记录和同样的年度统计。\n",
    );
    for s in SHEETS.iter() {
        out.push_str(&format!(
            "\n## {}\n\n| 列 | 同义表头 | 填写说明 |\n|---|---|---|\n",
            s.name
        ));
        for c in &s.cols {
            let star = if c.required { "*" } else { "" };
            out.push_str(&format!(
                "| {}{star} | {} | {} |\n",
                c.header,
                c.synonyms.join("、"),
                c.note.replace('|', "／")
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sheet_has_distinct_headers_and_an_example_in_its_first_column() {
        for s in SHEETS.iter() {
            let mut seen = std::collections::HashSet::new();
            for c in &s.cols {
                assert!(seen.insert(c.header), "{}: {} twice", s.name, c.header);
                for syn in c.synonyms {
                    assert!(
                        s.cols.iter().all(|o| o.header != *syn),
                        "{}: synonym {syn} is another column's header",
                        s.name
                    );
                }
            }
            assert!(
                s.example[0].starts_with(super::super::EXAMPLE_MARK),
                "{}",
                s.name
            );
        }
    }
}
