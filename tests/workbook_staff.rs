//! The workbooks staff already have: a 党员花名册 and a 三会一课台账 as branches keep them (titles
//! above the header, a 序号 column, 合计 and 填表人 rows, their own header words, the branch named
//! only in the title or the sheet's name) read to the same records as the template gives.

mod common;

use common::{book, d, org};
use dangwu::model::member::Member;
use dangwu::model::org::OrgKind;
use dangwu::store::Db;
use dangwu::workbook::{self, import};

fn today() -> chrono::NaiveDate {
    d(2026, 11, 22)
}

/// A bureau with two branches: rows must go to the one the title names.
fn bureau() -> Db {
    let mut db = Db::open_in_memory().unwrap();
    let top = db
        .save_org(&org("机关党委", OrgKind::Committee, None), &[])
        .unwrap();
    for name in ["机关第一党支部", "机关第二党支部"] {
        db.save_org(&org(name, OrgKind::Branch, Some(top)), &[])
            .unwrap();
    }
    db
}

fn import_file(db: &mut Db, path: &std::path::Path, org: Option<&str>) -> import::Report {
    let options = import::Options {
        orgs: org
            .map(|o| (String::new(), o.to_string()))
            .into_iter()
            .collect(),
        ..Default::default()
    };
    import::import_with(db, &workbook::read(path).unwrap(), &options, today())
}

/// Members as compared: every field but the row's identity.
fn people(db: &Db) -> Vec<Member> {
    let mut list: Vec<Member> = db
        .members()
        .unwrap()
        .into_iter()
        .map(|mut m| {
            m.id = None;
            m.uid.clear();
            m
        })
        .collect();
    list.sort_by(|a, b| a.name.cmp(&b.name));
    list
}

/// The roster as staff keep it.
fn roster() -> (&'static str, Vec<Vec<&'static str>>) {
    (
        "党员花名册",
        vec![
            vec!["机关第一党支部党员花名册（截至2022年12月31日）"],
            vec!["", "", "", "", "", "", "", "", "", "单位：人"],
            vec![
                "序号",
                "姓名",
                "性别",
                "民族",
                "出生年月",
                "身份证号码",
                "文化程度",
                "入党时间",
                "转正时间",
                "党员类别",
                "联系方式",
            ],
            vec![
                "1",
                "王珺",
                "女",
                "汉",
                "#1949.12",
                "11010519491231002X",
                "大学本科",
                "2017.6.20",
                "2018/6/20",
                "正式党员",
                "13800000000",
            ],
            vec![
                "2",
                "李堃",
                "男",
                "回",
                "",
                "",
                "大专",
                "2021年3月20日",
                "20220320",
                "正式党员",
                "",
            ],
            vec![],
            vec!["合计：2人"],
            vec!["填表人：张三", "", "", "", "填表日期：2023.1.5"],
        ],
    )
}

/// The same people as the template writes them.
fn template() -> (&'static str, Vec<Vec<&'static str>>) {
    (
        "党员",
        vec![
            vec![
                "姓名",
                "性别",
                "民族",
                "出生日期",
                "公民身份号码",
                "学历",
                "所在组织",
                "人员类别",
                "接收预备党员日期",
                "转为正式党员日期",
                "联系电话",
            ],
            vec![
                "王珺",
                "女",
                "汉族",
                "1949-12-31",
                "11010519491231002X",
                "大学本科",
                "机关第一党支部",
                "正式党员",
                "2017-06-20",
                "2018-06-20",
                "13800000000",
            ],
            vec![
                "李堃",
                "男",
                "回族",
                "",
                "",
                "大专",
                "机关第一党支部",
                "正式党员",
                "2021-03-20",
                "2022-03-20",
                "",
            ],
        ],
    )
}

#[test]
fn a_roster_with_a_title_a_number_column_and_a_total_reads_as_the_template_does() {
    let dir = tempfile::tempdir().unwrap();
    let (ours, theirs) = (dir.path().join("模板.xlsx"), dir.path().join("花名册.xlsx"));
    book(&ours, &[template()]);
    book(&theirs, &[roster()]);
    let mut expected = bureau();
    let report = import_file(&mut expected, &ours, None);
    assert!(report.is_clean() && report.written, "{:?}", report.errors);

    let mut db = bureau();
    let report = import_file(&mut db, &theirs, None);
    assert!(report.is_clean() && report.written, "{:?}", report.errors);
    assert_eq!(people(&db), people(&expected));

    // The reading, as the preview shows it.
    let r = &report.readings[0];
    assert_eq!(r.reading.kind, Some(workbook::SheetKind::Members));
    assert_eq!(r.reading.header_row, 2);
    assert_eq!(r.org, Some(("机关第一党支部".to_string(), "表名或标题")));
    assert!(
        r.reading
            .columns
            .contains(&("出生年月".to_string(), Some("出生日期")))
    );
    assert!(r.reading.columns.contains(&("序号".to_string(), None)));
    let said: Vec<String> = report.warnings.iter().map(|w| w.to_string()).collect();
    for (row, what) in [(1, "标题"), (7, "合计"), (8, "填表人")] {
        assert!(
            said.iter().any(|w| w.contains(&format!("第{row}行"))
                && w.contains(what)
                && w.contains("已跳过")),
            "{said:#?}"
        );
    }
    assert!(!said.iter().any(|w| w.contains("序号")), "{said:#?}");
    assert!(
        r.describe()
            .contains("“党员花名册”表按“党员”表读取：第3行为表头")
    );
}

#[test]
fn a_meeting_ledger_named_after_its_branch_lists_only_who_was_away() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("台账.xlsx");
    let ledger = (
        "机关第一党支部2022年台账",
        vec![
            vec!["2022年“三会一课”记录台账"],
            vec![
                "序号",
                "会议时间",
                "会议类型",
                "会议主题",
                "内容",
                "参会人数",
                "缺席人员及原因",
                "记录人",
            ],
            vec![
                "1",
                "2022.3.5",
                "党员大会",
                "学习党章",
                "学习党章第一章",
                "#1",
                "李堃（出差）",
                "王珺",
            ],
            vec![
                "2",
                "#44743",
                "支委会",
                "研究七一活动",
                "",
                "#2",
                "",
                "王珺",
            ],
            vec!["说明：参会人数含列席"],
        ],
    );
    book(&file, &[roster(), ledger]);
    let mut db = bureau();
    let report = import_file(&mut db, &file, None);
    assert!(report.is_clean() && report.written, "{:?}", report.errors);
    let mut a = db.activities_full(Some(2022)).unwrap();
    a.sort_by_key(|x| x.date);
    assert_eq!(a.len(), 2, "the 说明 row is no record");
    let branch = db
        .orgs(today())
        .unwrap()
        .into_iter()
        .find(|s| s.org.name == "机关第一党支部")
        .unwrap()
        .org
        .id
        .unwrap();
    assert_eq!((a[0].date, a[0].org_id), (d(2022, 3, 5), branch));
    assert_eq!(a[0].content, "学习党章第一章");
    assert_eq!(a[0].recorder, "王珺");
    // 李堃 away with a reason is on leave; everyone else on the roll was there.
    assert_eq!((a[0].expected, a[0].present), (Some(2), Some(1)));
    let li = a[0].attendance.iter().find(|x| x.name == "李堃").unwrap();
    assert_eq!(li.reason, "出差");
    // An Excel date number (44743 is 2022-07-01).
    assert_eq!(a[1].date, d(2022, 7, 1));
    assert_eq!(a[1].present, Some(2));
}

#[test]
fn a_sheet_that_names_no_branch_is_asked_about_and_the_command_line_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("Sheet1.xlsx");
    let (_, mut rows) = roster();
    rows.remove(0); // no title
    book(&file, &[("Sheet1", rows)]);
    let mut db = bureau();
    let report = import_file(&mut db, &file, None);
    assert!(!report.written);
    let said: Vec<String> = report.errors.iter().map(|e| e.to_string()).collect();
    assert!(
        said[0].contains("“Sheet1”表") && said[0].contains("看不出是哪个组织"),
        "{said:#?}"
    );
    assert!(db.members().unwrap().is_empty());

    let target = dir.path().join("台账.sqlite");
    {
        let mut file_db = Db::open(&target).unwrap();
        let top = file_db
            .save_org(&org("机关党委", OrgKind::Committee, None), &[])
            .unwrap();
        file_db
            .save_org(&org("机关第二党支部", OrgKind::Branch, Some(top)), &[])
            .unwrap();
    }
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_dangwu"))
        .args(["--db", target.to_str().unwrap(), "import"])
        .arg(&file)
        .args(["--org", "机关第二党支部"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("“Sheet1”表按“党员”表读取：第2行为表头，组织：机关第二党支部（指定）"),
        "{err}"
    );
    let db = Db::open(&target).unwrap();
    assert_eq!(db.members().unwrap().len(), 2);
}

#[test]
fn a_sheet_whose_kind_is_not_clear_is_listed_not_guessed() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("杂表.xlsx");
    book(
        &file,
        &[
            roster(),
            ("通讯录", vec![vec!["姓名", "备注"], vec!["王珺", "办公室"]]),
        ],
    );
    let mut db = bureau();
    let report = import_file(&mut db, &file, None);
    assert!(report.is_clean(), "{:?}", report.errors);
    let said: Vec<String> = report.warnings.iter().map(|w| w.to_string()).collect();
    assert!(
        said.iter()
            .any(|w| w.contains("“通讯录”表") && w.contains("看不出是哪一种台账")),
        "{said:#?}"
    );
    assert_eq!(db.members().unwrap().len(), 2);
}
