//! 导入 Excel in the window: the preview says what would happen, nothing is written before 导入,
//! and a workbook with errors cannot be imported (its error list can be saved for Excel).

mod common;

use common::{d, db_with_branch};
use dangwu::ui::{DangwuApp, fonts};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

fn harness(app: DangwuApp) -> Harness<'static, DangwuApp> {
    Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_context_setup(|ctx| {
            fonts::install(ctx, fonts::embedded());
            fonts::install_style(ctx);
        })
        .build_ui_state(|ui, app: &mut DangwuApp| app.show(ui), app)
}

fn workbook(path: &std::path::Path, members: &[[&str; 3]]) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("党员").unwrap();
    for (c, h) in ["姓名", "所在支部", "人员类别"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (r, row) in members.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32 + 1, c as u16, *v).unwrap();
        }
    }
    wb.save(path).unwrap();
}

fn choose(h: &mut Harness<'_, DangwuApp>, file: &std::path::Path) {
    h.get_by_label("文件").click();
    h.run();
    h.get_by_label("导入 Excel…").click();
    h.run();
    h.get_by_role_and_label(Role::TextInput, "文件路径").click();
    h.run();
    h.get_by_role_and_label(Role::TextInput, "文件路径")
        .type_text(file.to_str().unwrap());
    h.run();
    h.get_by_label("检查并预览").click();
    h.run();
}

#[test]
fn an_import_is_previewed_then_written() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("名册.xlsx");
    workbook(
        &file,
        &[
            ["王珺", "机关第一党支部", "正式党员"],
            ["李堃", "机关第一党支部", "预备党员"],
        ],
    );
    let (db, _) = db_with_branch();
    let mut h = harness(DangwuApp::new(Ok(db), None, d(2026, 11, 22)));
    choose(&mut h, &file);
    assert!(h.query_by_label("导入预览").is_some());
    assert!(
        h.state().db().unwrap().members().unwrap().is_empty(),
        "nothing written yet"
    );
    h.get_by_role_and_label(Role::Button, "导入").click();
    h.run();
    let members = h.state().db().unwrap().members().unwrap();
    assert_eq!(members.len(), 2);
    assert!(h.query_by_label("导入预览").is_none());
    // The roster shows them without a restart.
    assert!(h.query_by_label("李堃").is_some());
}

#[test]
fn a_workbook_with_errors_cannot_be_imported_and_its_list_can_be_saved() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("有错的名册.xlsx");
    workbook(&file, &[["王珺", "机关第九党支部", "正式党员"]]);
    let (db, _) = db_with_branch();
    let mut h = harness(DangwuApp::new(Ok(db), None, d(2026, 11, 22)));
    choose(&mut h, &file);
    assert!(h.query_by_label_contains("找不到该党组织").is_some());
    let import = h.get_by_role_and_label(Role::Button, "导入");
    assert!(import.accesskit_node().is_disabled());
    import.click();
    h.run();
    assert!(h.state().db().unwrap().members().unwrap().is_empty());
    h.get_by_label("保存错误清单…").click();
    h.run();
    assert!(dir.path().join("有错的名册-错误清单.xlsx").exists());
    assert!(h.query_by_label_contains("错误清单已保存到").is_some());
    h.get_by_label("取消").click();
    h.run();
    assert!(h.state().db().unwrap().members().unwrap().is_empty());
}

#[test]
fn the_roster_as_filtered_exports_to_a_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let (mut db, org) = db_with_branch();
    for name in ["王珺", "王堃", "李堃"] {
        let mut m = common::member(org);
        m.name = name.into();
        m.id_number.clear();
        db.save_member(&m).unwrap();
    }
    let mut h = harness(DangwuApp::new(Ok(db), None, d(2026, 11, 22)));
    h.get_by_role_and_label(Role::TextInput, "搜索").click();
    h.run();
    h.get_by_role_and_label(Role::TextInput, "搜索")
        .type_text("王");
    h.run();
    h.get_by_label("导出当前列表…").click();
    h.run();
    let file = dir.path().join("党员名册.xlsx");
    let path = h.get_by_role_and_label(Role::TextInput, "文件路径");
    path.click();
    h.run();
    // Replace the proposed path with one in the test's folder.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run();
    h.get_by_role_and_label(Role::TextInput, "文件路径")
        .type_text(file.to_str().unwrap());
    h.run();
    h.get_by_label("导出").click();
    h.run();
    let tables = dangwu::workbook::read(&file).unwrap();
    assert_eq!(tables.len(), 1);
    assert_eq!(tables[0].name, "党员");
    let names: Vec<String> = tables[0].rows[1..].iter().map(|r| r[0].text()).collect();
    assert_eq!(names, ["王堃", "王珺"]);
}

/// A sheet of the user's own: no organisation in it, a header word the app does not know. Both
/// are said in the preview, set there, checked again, and the column's reading is remembered for
/// the next file with the same headers.
#[test]
fn a_sheet_of_ones_own_is_read_as_the_user_says_in_the_preview() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("Sheet1.xlsx");
    let rows = |name: &'static str| {
        vec![
            vec!["序号", "姓名", "人员类别", "生辰"],
            vec!["1", name, "正式党员", "1980-05-01"],
        ]
    };
    common::book(&file, &[("Sheet1", rows("王珺"))]);
    let (db, _) = db_with_branch();
    let mut h = harness(DangwuApp::new(Ok(db), None, d(2026, 11, 22)));
    choose(&mut h, &file);
    assert!(h.query_by_label_contains("看不出是哪个组织").is_some());

    h.get_by_label("组织（表中没有“所在组织”列）").click();
    h.run();
    h.get_all_by_label("机关第一党支部").last().unwrap().click();
    h.run();
    h.run();
    assert!(h.query_by_label_contains("看不出是哪个组织").is_none());
    assert!(
        h.query_by_label_contains("组织：机关第一党支部（指定）")
            .is_some()
    );

    h.get_by_label("“生辰”列").click();
    h.run();
    h.get_all_by_label("出生日期").last().unwrap().click();
    h.run();
    h.run();
    h.get_by_role_and_label(Role::Button, "导入").click();
    h.run();
    let db = h.state().db().unwrap();
    let members = db.members().unwrap();
    assert_eq!(members.len(), 1);
    assert_eq!(members[0].birth_date, Some(d(1980, 5, 1)));

    // Another file with the same headers reads that column the same way, unasked.
    let next = dir.path().join("Sheet1-2.xlsx");
    common::book(&next, &[("Sheet1", rows("李堃"))]);
    let db = h.state_mut().db_mut().unwrap();
    let options = dangwu::workbook::import::Options {
        orgs: [(String::new(), "机关第一党支部".to_string())].into(),
        ..Default::default()
    };
    let report = dangwu::workbook::import::import_with(
        db,
        &dangwu::workbook::read(&next).unwrap(),
        &options,
        d(2026, 11, 22),
    );
    assert!(report.is_clean(), "{:?}", report.errors);
    let li = db
        .members()
        .unwrap()
        .into_iter()
        .find(|m| m.name == "李堃")
        .unwrap();
    assert_eq!(li.birth_date, Some(d(1980, 5, 1)));
}
