//! The Excel workbook (workbook.md): export, import all or nothing, the template, workbooks made
//! by other programs, damaged files.

mod common;

use std::path::Path;

use common::d;
use dangwu::demo::{self, DemoOptions};
use dangwu::store::Db;
use dangwu::workbook::{self, Value, export, import};

fn today() -> chrono::NaiveDate {
    d(2026, 11, 22)
}

fn demo_file(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("demo.sqlite");
    let mut db = Db::open(&path).unwrap();
    demo::fill(
        &mut db,
        &DemoOptions {
            years: 2,
            members: 60,
            records: None,
            talks: None,
            items: None,
            today: today(),
        },
    )
    .unwrap();
    path
}

fn audit_rows(db: &Db) -> i64 {
    let t = dangwu::tally::compute(db, &dangwu::tally::Scope::year(2026, today())).unwrap();
    // Any figure moves when a record is added; the audit count is the finer check below.
    let _ = t;
    db.history_count().unwrap()
}

#[test]
fn export_then_import_into_an_empty_file_then_export_gives_the_same_cells() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&demo_file(dir.path())).unwrap();
    let first = dir.path().join("第一次.xlsx");
    let summary = export::export(&db, &first, None, today()).unwrap();
    assert!(
        summary.iter().all(|(_, n)| *n > 0),
        "every sheet has rows: {summary:?}"
    );

    let mut empty = Db::open(&dir.path().join("空白.sqlite")).unwrap();
    let report = import::import(&mut empty, &workbook::read(&first).unwrap(), false, today());
    assert!(
        report.errors.is_empty(),
        "{:?}",
        &report.errors[..report.errors.len().min(5)]
    );
    assert!(report.written);
    let second = dir.path().join("第二次.xlsx");
    export::export(&empty, &second, None, today()).unwrap();

    let (a, b) = (
        workbook::read(&first).unwrap(),
        workbook::read(&second).unwrap(),
    );
    assert_eq!(a.len(), 10);
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.name, y.name);
        assert_eq!(x.rows.len(), y.rows.len(), "rows of {}", x.name);
        for (r, (rx, ry)) in x.rows.iter().zip(&y.rows).enumerate() {
            assert_eq!(rx, ry, "sheet {} row {}", x.name, r + 1);
        }
    }
    // Dates are date cells, money numbers.
    let sheet = |name: &str| a.iter().find(|t| t.name == name).unwrap();
    let dues = sheet("党费");
    assert!(
        matches!(dues.rows[1][5], Value::Number(_)),
        "{:?}",
        dues.rows[1]
    );
    assert!(
        matches!(sheet("活动").rows[1][0], Value::Date(_)),
        "{:?}",
        sheet("活动").rows[1]
    );
    // The tally of the imported file is the tally of the original.
    let t1 = dangwu::tally::compute(&db, &dangwu::tally::Scope::year(2025, today())).unwrap();
    let t2 = dangwu::tally::compute(&empty, &dangwu::tally::Scope::year(2025, today())).unwrap();
    assert_eq!(
        serde_json::to_value(&t1).unwrap()["members"],
        serde_json::to_value(&t2).unwrap()["members"]
    );
    assert_eq!(t1.dues, t2.dues);
    assert_eq!(
        (t1.activities_total, t1.commendations),
        (t2.activities_total, t2.commendations)
    );
}

#[test]
fn importing_the_same_workbook_twice_changes_nothing_the_second_time() {
    let dir = tempfile::tempdir().unwrap();
    let mut db = Db::open(&demo_file(dir.path())).unwrap();
    let file = dir.path().join("台账.xlsx");
    export::export(&db, &file, None, today()).unwrap();
    let before = audit_rows(&db);
    let report = import::import(&mut db, &workbook::read(&file).unwrap(), false, today());
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert!(
        report.sheets.iter().all(|s| s.added == 0 && s.updated == 0),
        "{:?}",
        report.sheets
    );
    assert!(report.sheets.iter().all(|s| s.unchanged > 0));
    assert_eq!(audit_rows(&db), before, "no write at all");
}

use common::book;

#[test]
fn every_error_is_listed_where_it_is_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("有错.xlsx");
    book(
        &file,
        &[
            (
                "支部",
                vec![
                    vec!["组织名称*", "成立日期"],
                    vec!["机关第一党支部", "2001-13-01"],
                ],
            ),
            (
                "党员",
                vec![
                    vec!["姓名", "身份证号码", "所在支部", "人员类别"],
                    vec!["王珺", "110105194912310021", "机关第一党支部", "正式党员"],
                    vec!["李堃", "", "机关第九党支部", "党员"],
                ],
            ),
            (
                "活动",
                vec![
                    vec!["日期", "组织", "类型", "主题"],
                    vec!["2022-03-20", "机关第一党支部", "读书会", "学习"],
                ],
            ),
            (
                "谈话",
                vec![vec!["日期", "类型"], vec!["2022-03-01", "日常谈话"]],
            ),
        ],
    );
    let mut db = Db::open_in_memory().unwrap();
    let report = import::import(&mut db, &workbook::read(&file).unwrap(), false, today());
    assert!(!report.written);
    let lines: Vec<String> = report.errors.iter().map(|e| e.to_string()).collect();
    let has = |needle: &str| lines.iter().any(|l| l.contains(needle));
    assert!(has("“支部”表第2行“成立日期”列（2001-13-01）"), "{lines:#?}");
    assert!(
        has("“党员”表第2行“身份证号码”列（110105194912310021）：") && has("校验位"),
        "{lines:#?}"
    );
    assert!(
        has("“党员”表第3行“所在支部”列（机关第九党支部）：找不到该党组织"),
        "{lines:#?}"
    );
    assert!(
        has(
            "“党员”表第3行“人员类别”列（党员）：应为入党申请人、入党积极分子、发展对象、预备党员、正式党员之一"
        ),
        "{lines:#?}"
    );
    assert!(
        has("“活动”表第2行“类型”列（读书会）：没有“读书会”这种活动类型；已有："),
        "{lines:#?}"
    );
    assert!(has("“谈话”表第1行“谈话人”列：缺少必填的列"), "{lines:#?}");
    // Nothing was written, not even the rows that were right.
    assert!(db.orgs(today()).unwrap().is_empty());
    assert!(db.members().unwrap().is_empty());
    // The list can be saved beside the workbook for staff to fix in Excel.
    let list = import::problems_path(&file);
    assert!(list.ends_with("有错-错误清单.xlsx"));
    import::write_problems(&list, &report.errors).unwrap();
    let back = workbook::read(&list).unwrap();
    assert_eq!(back[0].rows.len(), report.errors.len() + 1);
}

#[test]
fn workbooks_made_by_openpyxl_and_libreoffice_import() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    for name in ["openpyxl-工作簿.xlsx", "libreoffice-工作簿.ods"] {
        let mut db = Db::open_in_memory().unwrap();
        let report = import::import(
            &mut db,
            &workbook::read(&fixtures.join(name)).unwrap(),
            false,
            today(),
        );
        assert!(report.errors.is_empty(), "{name}: {:?}", report.errors);
        let members = db.members().unwrap();
        assert_eq!(members.len(), 2, "{name}");
        let wang = members.iter().find(|m| m.name == "王珺").unwrap();
        // 身份证号 / 所在党支部 / 入党时间 / 转正时间 are the spellings staff use.
        assert_eq!(wang.id_number, "11010519491231002X");
        assert_eq!(wang.probationary_on, Some(d(2017, 6, 20)), "a date cell");
        assert_eq!(wang.full_on, Some(d(2018, 6, 20)), "text 2018/6/20");
        assert_eq!(wang.phone, "13800000000", "a number cell read as text");
        let li = members.iter().find(|m| m.name == "李堃").unwrap();
        assert_eq!(li.probationary_on, Some(d(2025, 11, 10)), "text 2025.11.10");
        let orgs = db.orgs(today()).unwrap();
        let branch = orgs
            .iter()
            .find(|s| s.org.name == "机关第一党支部")
            .unwrap();
        assert_eq!(branch.org.founded, Some(d(2001, 7, 1)), "text 2001年7月1日");
        let a = db.activities_full(Some(2025)).unwrap();
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].type_ids.len(), 2, "党员大会，主题党日");
        assert_eq!((a[0].expected, a[0].present), (Some(2), Some(1)));
        let leave = a[0].attendance.iter().find(|x| x.name == "李堃").unwrap();
        assert_eq!(leave.reason, "出差");
        // 序号 numbers the rows: left out without a word.
        assert!(
            !report.warnings.iter().any(|w| w.column == "序号"),
            "{:?}",
            report.warnings
        );
    }
}

#[test]
fn the_template_has_example_rows_that_import_skips() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("导入模板.xlsx");
    export::template(&file).unwrap();
    let tables = workbook::read(&file).unwrap();
    assert_eq!(tables.len(), 10);
    assert!(
        tables.iter().all(|t| t.rows.len() == 2),
        "header and one example each"
    );
    assert!(
        tables[1].rows[1][0]
            .text()
            .starts_with(workbook::EXAMPLE_MARK)
    );
    let mut db = Db::open_in_memory().unwrap();
    let report = import::import(&mut db, &tables, false, today());
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert!(
        report
            .sheets
            .iter()
            .all(|s| s.added + s.updated + s.unchanged == 0)
    );
}

#[test]
fn damaged_files_are_refused_in_chinese_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("好.xlsx");
    export::template(&good).unwrap();
    let bytes = std::fs::read(&good).unwrap();

    let truncated = dir.path().join("截断.xlsx");
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    let text = dir.path().join("文本.xlsx");
    std::fs::write(&text, "姓名,所在支部\n王珺,机关第一党支部\n").unwrap();
    let doc = dir.path().join("文档.xlsx");
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.resize(8192, 0);
    std::fs::write(&doc, ole).unwrap();
    for f in [&truncated, &text, &doc] {
        let e = workbook::read(f).unwrap_err();
        assert!(
            e.contains("无法读取") || e.contains("已损坏"),
            "{}: {e}",
            f.display()
        );
    }

    // A sheet of a million formatted empty rows reads as the header it is, quickly.
    let huge = dir.path().join("百万空行.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("党员").unwrap();
    ws.write_string(0, 0, "姓名").unwrap();
    let fill = rust_xlsxwriter::Format::new().set_background_color(rust_xlsxwriter::Color::Yellow);
    for r in 1..1_048_576 {
        ws.set_row_format(r, &fill).unwrap();
    }
    wb.save(&huge).unwrap();
    let tables = workbook::read(&huge).unwrap();
    assert_eq!(tables[0].rows.len(), 1);
    let mut db = Db::open_in_memory().unwrap();
    let report = import::import(&mut db, &tables, false, today());
    assert!(!report.written, "the 党员 sheet lacks its required columns");
    assert!(
        report.errors[0].to_string().contains("所在组织"),
        "{:?}",
        report.errors
    );
    assert!(db.members().unwrap().is_empty());
}

#[test]
fn the_command_line_imports_all_or_nothing_and_exports() {
    let dir = tempfile::tempdir().unwrap();
    let source = demo_file(dir.path());
    let file = dir.path().join("台账.xlsx");
    let cli = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_dangwu"))
            .args(args)
            .output()
            .unwrap()
    };
    let out = cli(&[
        "--db",
        source.to_str().unwrap(),
        "export",
        file.to_str().unwrap(),
        "--year",
        "2025",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let target = dir.path().join("新.sqlite");
    let t = target.to_str().unwrap();
    let out = cli(&["--db", t, "import", file.to_str().unwrap(), "--dry-run"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("试导入"));
    assert!(!target.exists(), "a dry run creates nothing");
    // A data file that does not exist is not made by a mistyped path: only with --create.
    let out = cli(&["--db", t, "import", file.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("找不到数据文件"));
    assert!(!target.exists() && !target.parent().unwrap().join("新.sqlite.lock").exists());
    let out = cli(&["--db", t, "import", file.to_str().unwrap(), "--create"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("党员：新增 60"));
    // A workbook with an error: exit non-zero, the list on stderr, nothing written.
    let bad = dir.path().join("坏.xlsx");
    book(
        &bad,
        &[(
            "支部",
            vec![vec!["组织名称", "上级组织"], vec!["新支部", "不存在的党委"]],
        )],
    );
    let out = cli(&["--db", t, "import", bad.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("“支部”表第2行“上级组织”列（不存在的党委）") && err.contains("未导入任何内容"),
        "{err}"
    );
    let db = Db::open(&target).unwrap();
    assert!(
        db.orgs(today())
            .unwrap()
            .iter()
            .all(|s| s.org.name != "新支部")
    );
}

/// docs/workbook.md lists the sheets and columns as the declarations make them.
#[test]
fn docs_workbook_md_is_made_from_the_declarations() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/workbook.md");
    let made = workbook::sheets_markdown();
    if std::env::var_os("DANGWU_WRITE_DOCS").is_some() {
        std::fs::write(&path, &made).unwrap();
    }
    assert_eq!(
        std::fs::read_to_string(&path).unwrap_or_default(),
        made,
        "docs/workbook.md is out of date: DANGWU_WRITE_DOCS=1 cargo test --test workbook"
    );
}

/// A zip whose one part says it unpacks to `declared` bytes (a zip bomb's directory): built by
/// hand, the part itself a few bytes.
fn zip_declaring(path: &Path, part: &str, declared: u32) {
    let name = part.as_bytes();
    let data = [0x03u8, 0x00]; // an empty deflate stream
    let mut out = Vec::new();
    let u16le = |v: u16| v.to_le_bytes();
    let u32le = |v: u32| v.to_le_bytes();
    // Local header.
    out.extend(u32le(0x0403_4b50));
    out.extend(u16le(20));
    out.extend(u16le(0));
    out.extend(u16le(8));
    out.extend(u16le(0));
    out.extend(u16le(0x21));
    out.extend(u32le(0));
    out.extend(u32le(data.len() as u32));
    out.extend(u32le(declared));
    out.extend(u16le(name.len() as u16));
    out.extend(u16le(0));
    out.extend(name);
    out.extend(data);
    let directory = out.len() as u32;
    // Central directory.
    out.extend(u32le(0x0201_4b50));
    out.extend(u16le(20));
    out.extend(u16le(20));
    out.extend(u16le(0));
    out.extend(u16le(8));
    out.extend(u16le(0));
    out.extend(u16le(0x21));
    out.extend(u32le(0));
    out.extend(u32le(data.len() as u32));
    out.extend(u32le(declared));
    out.extend(u16le(name.len() as u16));
    out.extend(u16le(0));
    out.extend(u16le(0));
    out.extend(u16le(0));
    out.extend(u16le(0));
    out.extend(u32le(0));
    out.extend(u32le(0));
    out.extend(name);
    let size = out.len() as u32 - directory;
    // End of central directory.
    out.extend(u32le(0x0605_4b50));
    out.extend(u16le(0));
    out.extend(u16le(0));
    out.extend(u16le(1));
    out.extend(u16le(1));
    out.extend(u32le(size));
    out.extend(u32le(directory));
    out.extend(u16le(0));
    std::fs::write(path, out).unwrap();
}

/// A workbook that would unpack to gigabytes (one 1.2 GB cell did take 3.7 GB) is refused from its
/// zip directory, before anything is unpacked, and the ledger is left alone.
#[test]
fn a_zip_bomb_is_refused_before_it_is_unpacked() {
    let dir = tempfile::tempdir().unwrap();
    let bomb = dir.path().join("炸弹.xlsx");
    zip_declaring(&bomb, "xl/worksheets/sheet1.xml", 1_200_000_000);
    let started = std::time::Instant::now();
    let e = workbook::read(&bomb).unwrap_err();
    assert!(
        e.contains("xl/worksheets/sheet1.xml") && e.contains("不像台账"),
        "{e}"
    );
    assert!(
        started.elapsed().as_secs() < 5,
        "refused at once, not unpacked"
    );
    // The command says so and writes nothing.
    let target = dir.path().join("台账.sqlite");
    Db::open(&target).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_dangwu"))
        .args([
            "--db",
            target.to_str().unwrap(),
            "import",
            bomb.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("不像台账"));
}
