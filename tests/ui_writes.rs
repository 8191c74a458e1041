//! The window's one way to write: tabs return what they want written, the app applies it after the
//! frame. Driven as a user would, then checked in the database and on the disk.

mod common;

use common::{d, db_with_branch, org};
use dangwu::model::org::OrgKind;
use dangwu::store::Db;
use dangwu::ui::{DangwuApp, fonts};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

fn harness(app: DangwuApp) -> Harness<'static, DangwuApp> {
    Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_context_setup(|ctx| {
            fonts::install(ctx, fonts::embedded());
            fonts::install_style(ctx);
        })
        .build_ui_state(|ui, app: &mut DangwuApp| app.show(ui), app)
}

fn type_into(h: &mut Harness<'_, DangwuApp>, role: Role, label: &str, text: &str) {
    h.get_by_role_and_label(role, label).scroll_to_me();
    h.run();
    h.get_by_role_and_label(role, label).click();
    h.run();
    h.get_by_role_and_label(role, label).type_text(text);
    h.run();
}

/// A data file in a fresh folder with one branch, and a photo beside it to attach.
fn file_with_branch(dir: &std::path::Path) -> (Db, std::path::PathBuf) {
    let mut db = Db::open(&dir.join("台账.sqlite")).unwrap();
    db.save_org(&org("机关第一党支部", OrgKind::Branch, None), &[])
        .unwrap();
    let photo = dir.join("签到表.jpg");
    std::fs::write(&photo, b"not really a jpeg").unwrap();
    (db, photo)
}

fn attachments_in(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir.join("attachments"))
        .map(|entries| entries.count())
        .unwrap_or(0)
}

fn start_activity_with_photo(h: &mut Harness<'_, DangwuApp>, photo: &std::path::Path) {
    h.get_by_role_and_label(Role::Button, "学习活动").click();
    h.run();
    h.get_by_label("＋ 登记活动").click();
    h.run();
    h.get_by_role_and_label(Role::CheckBox, "党员大会").click();
    h.run();
    type_into(h, Role::TextInput, "主题", "学习党章");
    type_into(
        h,
        Role::TextInput,
        "或输入路径",
        &photo.display().to_string(),
    );
    h.get_by_label("添加").click();
    h.run();
    assert!(
        h.query_by_label_contains("签到表.jpg（保存时复制）")
            .is_some(),
        "the chosen file is listed, not yet copied"
    );
}

#[test]
fn cancelling_an_activity_form_after_choosing_an_attachment_leaves_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let (db, photo) = file_with_branch(dir.path());
    let mut h = harness(DangwuApp::new(Ok(db), None, d(2026, 11, 22)));
    start_activity_with_photo(&mut h, &photo);
    assert_eq!(attachments_in(dir.path()), 0, "nothing copied while typing");
    h.get_by_label("取消").click();
    h.run();
    h.get_by_label("放弃修改").click();
    h.run();
    assert_eq!(attachments_in(dir.path()), 0);
    let rows = h
        .state()
        .db()
        .unwrap()
        .activities(&Default::default())
        .unwrap();
    assert!(rows.is_empty());
}

#[test]
fn saving_an_activity_copies_its_attachment_in_the_same_step() {
    let dir = tempfile::tempdir().unwrap();
    let (db, photo) = file_with_branch(dir.path());
    let mut h = harness(DangwuApp::new(Ok(db), None, d(2026, 11, 22)));
    start_activity_with_photo(&mut h, &photo);
    h.get_by_label("保存").click();
    h.run();
    let db = h.state().db().unwrap();
    let rows = db.activities(&Default::default()).unwrap();
    assert_eq!(rows.len(), 1);
    let a = db.activity(rows[0].id).unwrap();
    assert_eq!(a.attachments.len(), 1);
    assert!(a.attachments[0].ends_with("签到表.jpg"));
    let stored = dir.path().join("attachments").join(&a.attachments[0]);
    assert_eq!(std::fs::read(stored).unwrap(), b"not really a jpeg");
    assert_eq!(attachments_in(dir.path()), 1);
}

#[test]
fn a_settings_dialog_with_one_invalid_row_saves_nothing_and_names_the_row() {
    let (db, _) = db_with_branch();
    let before = db.talk_kinds().unwrap();
    let mut h = harness(DangwuApp::new(Ok(db), None, d(2026, 11, 22)));
    h.get_by_role_and_label(Role::Button, "谈话").click();
    h.run();
    h.get_by_label("谈话类型设置…").click();
    h.run();
    // Rename the first kind (a valid change) and add a row left without a name (invalid).
    let first = h
        .get_all_by_role_and_label(Role::TextInput, "名称")
        .next()
        .unwrap();
    first.click();
    h.run();
    h.key_combination_modifiers(egui::Modifiers::COMMAND, &[egui::Key::A]);
    h.get_all_by_role_and_label(Role::TextInput, "名称")
        .next()
        .unwrap()
        .type_text("日常提醒谈话");
    h.run();
    h.get_by_label("＋ 添加一行").click();
    h.run();
    h.get_by_label("保存").click();
    h.run();
    let row = before.len() + 1;
    assert!(
        h.query_by_label(&format!(
            "第{row}行：谈话类型名称不能为空。未保存任何修改。"
        ))
        .is_some()
    );
    // Nothing was written: not even the valid rename.
    assert_eq!(h.state().db().unwrap().talk_kinds().unwrap(), before);
    // Name the new row and save again: both changes go in together.
    h.get_all_by_role_and_label(Role::TextInput, "名称")
        .last()
        .unwrap()
        .click();
    h.run();
    h.get_all_by_role_and_label(Role::TextInput, "名称")
        .last()
        .unwrap()
        .type_text("节前廉政提醒");
    h.run();
    h.get_by_label("保存").click();
    h.run();
    let after: Vec<String> = h
        .state()
        .db()
        .unwrap()
        .talk_kinds()
        .unwrap()
        .into_iter()
        .map(|k| k.label)
        .collect();
    assert_eq!(after[0], "日常提醒谈话");
    assert_eq!(after.last().unwrap(), "节前廉政提醒");
    assert_eq!(after.len(), before.len() + 1);
    assert!(
        h.query_by_label("谈话类型设置").is_none(),
        "the dialog closed"
    );
}

#[test]
fn a_refusal_from_the_store_shows_at_the_field_it_names() {
    let (db, _) = db_with_branch();
    let mut h = harness(DangwuApp::new(Ok(db), None, d(2026, 11, 22)));
    h.get_by_role_and_label(Role::Button, "组织").click();
    h.run();
    h.get_by_label("＋ 新增组织").click();
    h.run();
    // The model accepts the name; only the store knows it is taken.
    type_into(&mut h, Role::TextInput, "组织名称", "机关第一党支部");
    h.get_by_label("保存").click();
    h.run();
    assert!(h.query_by_label("已有名为“机关第一党支部”的组织").is_some());
    // Counted as a field error (under the field), not as a message for the whole form.
    assert!(h.query_by_label("有1处需要修改，见下方红字").is_some());
    assert_eq!(
        h.state().db().unwrap().orgs(d(2026, 11, 22)).unwrap().len(),
        1
    );
    // What was typed is kept.
    assert_eq!(
        h.get_by_role_and_label(Role::TextInput, "组织名称")
            .value()
            .as_deref(),
        Some("机关第一党支部")
    );
}

#[test]
fn a_closed_item_offers_reopening_only() {
    let mut db = Db::open_in_memory().unwrap();
    let id = common::rect_item(&mut db, "2026-01-10", "台账不全");
    let closing = dangwu::model::rectify::Closing {
        date: d(2026, 3, 1),
        evidence: "已补齐".into(),
        evidence_file: String::new(),
        verifier: "李堃".into(),
    };
    db.close_rectification(id, &closing).unwrap();
    let mut h = harness(DangwuApp::new(Ok(db), None, d(2026, 11, 22)));
    h.get_by_role_and_label(Role::Button, "整改台账").click();
    h.run();
    h.get_by_label("台账不全").click();
    h.run();
    assert!(h.query_by_label("重新打开…").is_some());
    assert!(h.query_by_label("作废…").is_none());
    assert!(h.query_by_label("销号…").is_none());
    assert!(h.query_by_label("添加进展").is_none());
    // A reopening dated before the closing is refused at the date.
    h.get_by_label("重新打开…").click();
    h.run();
    h.get_by_role_and_label(Role::TextInput, "日期").click();
    h.run();
    h.key_combination_modifiers(egui::Modifiers::COMMAND, &[egui::Key::A]);
    h.get_by_role_and_label(Role::TextInput, "日期")
        .type_text("2026-02-01");
    h.run();
    type_into(&mut h, Role::MultilineTextInput, "原因", "复查发现反弹");
    h.get_by_label("确认重新打开").click();
    h.run();
    assert!(
        h.query_by_label("重新打开日期不能早于销号日期（2026-03-01）")
            .is_some()
    );
    assert_eq!(
        h.state().db().unwrap().rectification(id).unwrap().status,
        dangwu::model::rectify::RectStatus::Closed
    );
}

#[test]
fn opening_another_data_file_runs_on_the_worker() {
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("另一个台账.sqlite");
    {
        let mut db = Db::open(&other).unwrap();
        db.save_org(&org("市救助站党支部", OrgKind::Branch, None), &[])
            .unwrap();
    }
    let (db, _) = db_with_branch();
    let mut h = harness(DangwuApp::new(Ok(db), None, d(2026, 11, 22)));
    h.get_by_label("文件").click();
    h.run();
    h.get_by_label("打开数据文件…").click();
    h.run();
    type_into(
        &mut h,
        Role::TextInput,
        "文件路径",
        &other.display().to_string(),
    );
    h.get_by_role_and_label(Role::Button, "打开").click();
    h.step();
    // The frame that asked returned at once; the file opens on the worker.
    assert_eq!(h.state().busy(), Some("正在打开数据文件"));
    let ctx = h.ctx.clone();
    h.state_mut().finish_work(&ctx);
    // The opened file's daily backup runs on a thread of its own and repaints when it ends, a
    // number of frames later that depends on the machine's load: fixed steps, not `run`'s settling.
    h.run_steps(10);
    assert_eq!(h.state().busy(), None);
    let orgs = h.state().db().unwrap().orgs(d(2026, 11, 22)).unwrap();
    assert_eq!(orgs[0].org.name, "市救助站党支部");
    assert!(
        h.query_by_label("打开数据文件").is_none(),
        "the dialog closed"
    );
}

#[test]
fn the_stats_tab_shows_the_paragraph_of_the_year_chosen() {
    let mut db = Db::open_in_memory().unwrap();
    let options = dangwu::demo::DemoOptions {
        years: 3,
        members: 120,
        records: None,
        talks: None,
        items: None,
        today: d(2026, 11, 22),
    };
    dangwu::demo::fill(&mut db, &options).unwrap();
    // The figure counted another way: the ledger's own filter.
    let study = db
        .activity_types()
        .unwrap()
        .into_iter()
        .find(|t| t.label == "党组理论学习中心组学习")
        .unwrap();
    let ledger_count = |db: &Db, year: i32| {
        db.activities(&dangwu::store::ActivityFilter {
            year: Some(year),
            type_id: study.id,
            ..Default::default()
        })
        .unwrap()
        .len()
    };
    let (in_2025, in_2026) = (ledger_count(&db, 2025), ledger_count(&db, 2026));
    assert!(in_2025 > 0 && in_2026 > 0);
    let mut h = harness(DangwuApp::new(Ok(db), None, d(2026, 11, 22)));
    h.get_by_role_and_label(Role::Button, "统计").click();
    h.run();
    assert!(
        h.query_by_label_contains(&format!(
            "2026年截至目前，共开展党组理论学习中心组学习{in_2026}场次"
        ))
        .is_some()
    );
    h.get_by_role_and_label(Role::ComboBox, "年份").click();
    h.run();
    h.get_by_label("2025年").click();
    h.run();
    assert!(
        h.query_by_label_contains(&format!(
            "2025年，共开展党组理论学习中心组学习{in_2025}场次"
        ))
        .is_some()
    );
    assert!(h.query_by_label_contains("2026年截至目前").is_none());
    // Copy puts the paragraph on the clipboard and says so.
    h.get_by_label("复制").click();
    h.run();
    assert!(
        h.state()
            .toasts()
            .texts()
            .contains(&"已复制报告段落，可粘贴到年度总结中")
    );
}

#[test]
fn unsaved_work_is_asked_about_before_quitting_or_opening_another_file() {
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("另一个台账.sqlite");
    drop(Db::open(&other).unwrap());
    let (db, _) = db_with_branch();
    let mut h = harness(DangwuApp::new(Ok(db), None, d(2026, 11, 22)));
    h.get_by_label("＋ 新增党员").click();
    h.run();
    type_into(&mut h, Role::TextInput, "姓名", "孙玥");
    assert!(h.state().has_unsaved());

    // 文件 → 退出 asks; keeping the changes keeps the form.
    h.get_by_label("文件").click();
    h.run();
    h.get_by_label("退出").click();
    h.run();
    assert!(h.query_by_label("放弃修改？").is_some());
    h.get_all_by_label("取消").last().unwrap().click();
    h.run();
    assert!(h.state().has_unsaved());

    // 打开数据文件… asks too; once confirmed, the other file opens on the worker.
    h.get_by_label("文件").click();
    h.run();
    h.get_by_label("打开数据文件…").click();
    h.run();
    type_into(
        &mut h,
        Role::TextInput,
        "文件路径",
        &other.display().to_string(),
    );
    h.get_by_role_and_label(Role::Button, "打开").click();
    h.run();
    assert!(h.query_by_label("放弃修改？").is_some());
    assert_eq!(h.state().busy(), None, "nothing opens before the answer");
    h.get_by_label("放弃修改").click();
    h.step();
    let ctx = h.ctx.clone();
    h.state_mut().finish_work(&ctx);
    h.run();
    assert!(!h.state().has_unsaved());
    assert!(
        h.state()
            .db()
            .unwrap()
            .orgs(d(2026, 11, 22))
            .unwrap()
            .is_empty()
    );
}

#[test]
fn a_second_window_on_a_held_file_opens_it_read_only_and_saves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("台账.sqlite");
    {
        let mut db = Db::open(&path).unwrap();
        db.save_org(&org("机关第一党支部", OrgKind::Branch, None), &[])
            .unwrap();
    }
    // The first window holds the file.
    let first = dangwu::store::lock::acquire(&path).unwrap();
    assert!(first.is_some());
    let mut h = harness(DangwuApp::open_path(path.clone(), d(2026, 11, 22)));
    h.run();
    assert!(h.query_by_label("该数据文件已在另一个窗口中打开").is_some());
    assert!(
        h.query_by_label("＋ 新增党员").is_none(),
        "no tab before the answer"
    );
    h.get_by_label("以只读方式打开").click();
    h.run();
    assert!(
        h.query_by_label_contains("只读：该数据文件正在另一个窗口中使用")
            .is_some()
    );
    h.get_by_label("＋ 新增党员").click();
    h.run();
    type_into(&mut h, Role::TextInput, "姓名", "孙玥");
    h.get_by_label("保存").click();
    h.run();
    assert!(
        h.query_by_label_contains("不能保存：该数据文件正在另一个窗口中使用")
            .is_some()
    );
    assert!(h.state().db().unwrap().members().unwrap().is_empty());
    // What was typed is still there.
    assert_eq!(
        h.get_by_role_and_label(Role::TextInput, "姓名")
            .value()
            .as_deref(),
        Some("孙玥")
    );
    // A command that writes refuses; one that reads works.
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_dangwu"))
            .arg("--db")
            .arg(&path)
            .args(args)
            .output()
            .unwrap()
    };
    let out = run(&["set-unit", "某市民政局"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("正在党务台账窗口中使用"));
    assert!(run(&["tally", "--year", "2026"]).status.success());
    // When the first window ends, the lock is free at once.
    drop(first);
    assert!(dangwu::store::lock::acquire(&path).unwrap().is_some());
    assert!(run(&["set-unit", "某市民政局"]).status.success());
}

#[test]
#[cfg(unix)]
fn a_read_only_file_opens_read_only_with_a_notice_and_stays_as_it_was() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("台账.sqlite");
    {
        let mut db = Db::open(&path).unwrap();
        db.save_org(&org("机关第一党支部", OrgKind::Branch, None), &[])
            .unwrap();
    }
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
    let before = std::fs::read(&path).unwrap();
    let mut h = harness(DangwuApp::open_path(path.clone(), d(2026, 11, 22)));
    h.run();
    // Not "已损坏", not an error page: the ledger is there, with the reason it cannot be saved.
    assert!(
        h.query_by_label_contains("只读：数据文件是只读的")
            .is_some()
    );
    h.get_by_role_and_label(Role::Button, "组织").click();
    h.run();
    assert!(h.query_by_label_contains("机关第一党支部").is_some());
    h.get_by_role_and_label(Role::Button, "党员").click();
    h.run();
    h.get_by_label("＋ 新增党员").click();
    h.run();
    type_into(&mut h, Role::TextInput, "姓名", "孙玥");
    h.get_by_label("保存").click();
    h.run();
    assert!(
        h.query_by_label_contains("不能保存：数据文件是只读的")
            .is_some()
    );
    assert_eq!(
        h.get_by_role_and_label(Role::TextInput, "姓名")
            .value()
            .as_deref(),
        Some("孙玥")
    );
    // The store itself refuses too, whatever asks it.
    let db = h.state_mut().db_mut().unwrap();
    assert!(db.is_read_only());
    let refused = db.save_org(&org("机关第二党支部", OrgKind::Branch, None), &[]);
    assert!(refused.unwrap_err().to_string().contains("只读"));
    drop(h);
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "the file is untouched"
    );
    for side in ["-wal", "-shm", ".lock"] {
        let mut p = path.clone().into_os_string();
        p.push(side);
        assert!(
            !std::path::Path::new(&p).exists(),
            "no {side} made beside it"
        );
    }
}

#[test]
fn the_first_start_in_a_new_folder_holds_the_lock_and_can_save() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("新文件夹").join("dangwu.sqlite");
    let app = DangwuApp::open_path(path.clone(), d(2026, 11, 22));
    assert_eq!(app.read_only(), None);
    assert!(app.db().is_some());
    assert!(
        dangwu::store::lock::acquire(&path).unwrap().is_none(),
        "this window holds the file"
    );
}

#[test]
fn a_named_file_that_does_not_exist_is_asked_about_before_it_is_created() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("打错的名字.sqlite");
    let mut h = harness(DangwuApp::missing(path.clone(), d(2026, 11, 22)));
    h.run();
    assert!(h.query_by_label("找不到数据文件").is_some());
    assert!(!path.exists(), "nothing is created before the answer");
    assert!(h.query_by_label("＋ 新增党员").is_none());
    h.get_by_label("在此新建数据文件").click();
    h.run();
    assert!(path.exists());
    assert!(h.query_by_label("＋ 新增党员").is_some());
    assert_eq!(h.state().read_only(), None);
}

/// A real full disk: the save fails with a message at the form, what was typed stays, the file
/// is intact and keeps what it had; once space is freed the same save goes through.
#[test]
#[cfg(target_os = "linux")]
fn a_save_on_a_full_disk_keeps_the_form_and_the_file_intact() {
    let Some(disk) = common::SmallDisk::mount("4M") else {
        // Mounting needs root (CI and the developers' containers run as root).
        eprintln!("跳过：此账户不能挂载测试用的小磁盘");
        return;
    };
    let path = disk.dir.path().join("台账.sqlite");
    {
        let mut db = Db::open(&path).unwrap();
        db.save_org(&org("机关第一党支部", OrgKind::Branch, None), &[])
            .unwrap();
    }
    let mut h = harness(DangwuApp::open_path(path.clone(), d(2026, 11, 22)));
    h.run();
    h.get_by_label("＋ 新增党员").click();
    h.run();
    type_into(&mut h, Role::TextInput, "姓名", "孙玥");
    let filler = disk.fill();
    h.get_by_label("保存").click();
    h.run();
    assert!(
        h.query_by_label_contains("磁盘已满").is_some(),
        "a message says why"
    );
    assert_eq!(
        h.get_by_role_and_label(Role::TextInput, "姓名")
            .value()
            .as_deref(),
        Some("孙玥")
    );
    assert!(h.state().db().unwrap().members().unwrap().is_empty());
    // Space freed: the same form saves.
    std::fs::remove_file(&filler).unwrap();
    h.get_by_label("保存").click();
    h.run();
    assert_eq!(h.state().db().unwrap().members().unwrap().len(), 1);
    drop(h);
    assert_eq!(common::integrity(&path), "ok");
    assert_eq!(Db::open(&path).unwrap().members().unwrap().len(), 1);
}

#[test]
fn a_backup_is_restored_from_the_file_menu_after_a_confirmation() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("台账.sqlite");
    let org_id = {
        let mut db = Db::open(&path).unwrap();
        db.save_org(&org("机关第一党支部", OrgKind::Branch, None), &[])
            .unwrap()
    };
    dangwu::store::backup::daily(&path, d(2026, 11, 21)).unwrap();
    let mut h = harness(DangwuApp::open_path(path.clone(), d(2026, 11, 22)));
    h.run();
    // Work after the backup: a member the backup does not have.
    h.state_mut()
        .db_mut()
        .unwrap()
        .save_member(&common::member(org_id))
        .unwrap();
    h.get_by_label("文件").click();
    h.run();
    h.get_by_label("恢复备份…").click();
    h.run();
    assert!(h.query_by_label("台账.sqlite-2026-11-21.sqlite").is_some());
    assert!(h.query_by_label("0 人 / 0 条").is_some());
    h.get_by_label("恢复…").click();
    h.run();
    assert!(h.query_by_label("确定恢复此备份？").is_some());
    h.get_by_role_and_label(Role::Button, "恢复").click();
    h.step();
    assert_eq!(h.state().busy(), Some("正在恢复备份"));
    let ctx = h.ctx.clone();
    h.state_mut().finish_work(&ctx);
    h.run();
    assert!(h.state().db().unwrap().members().unwrap().is_empty());
    assert!(h.query_by_label_contains("已从").is_some());
    // The data as it was before is kept, with the member.
    let kept: Vec<_> = std::fs::read_dir(dangwu::store::backup::backups_dir(&path))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains("恢复前"))
        .collect();
    assert_eq!(kept.len(), 1);
    assert_eq!(Db::open(&kept[0]).unwrap().members().unwrap().len(), 1);
}

#[test]
fn the_status_bar_reminds_to_back_up_elsewhere_until_it_is_done() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("台账.sqlite");
    {
        let mut db = Db::open(&path).unwrap();
        db.save_org(&org("机关第一党支部", OrgKind::Branch, None), &[])
            .unwrap();
        // The last copy away from this PC, 40 days ago.
        db.set_setting(dangwu::store::settings::LAST_BACKUP_TO, "2026-10-13")
            .unwrap();
    }
    let mut h = harness(DangwuApp::open_path(path.clone(), d(2026, 11, 22)));
    h.run();
    assert!(
        h.query_by_label_contains("已有 40 天未备份到其他位置")
            .is_some()
    );
    h.get_by_label("文件").click();
    h.run();
    h.get_by_label("备份到…").click();
    h.run();
    let usb = dir.path().join("U盘备份.sqlite");
    type_into(
        &mut h,
        Role::TextInput,
        "文件路径",
        &usb.display().to_string(),
    );
    h.get_by_role_and_label(Role::Button, "备份").click();
    h.step();
    let ctx = h.ctx.clone();
    h.state_mut().finish_work(&ctx);
    h.run();
    assert!(h.query_by_label_contains("已备份到").is_some());
    assert!(h.query_by_label_contains("未备份到其他位置").is_none());
    assert!(usb.is_file());
}

/// 备份到 a folder that does not exist: the window says so and offers to create it; nothing is
/// made until that is clicked.
#[test]
fn a_backup_into_a_missing_folder_is_offered_to_create_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("台账.sqlite");
    drop(Db::open(&path).unwrap());
    let mut h = harness(DangwuApp::open_path(path.clone(), d(2026, 11, 22)));
    h.run();
    h.get_by_label("文件").click();
    h.run();
    h.get_by_label("备份到…").click();
    h.run();
    let folder = dir.path().join("党建备份");
    let dest = folder.join("2026年11月.sqlite");
    type_into(
        &mut h,
        Role::TextInput,
        "文件路径",
        &dest.display().to_string(),
    );
    h.get_by_role_and_label(Role::Button, "备份").click();
    h.run();
    assert!(h.query_by_label_contains("不存在").is_some());
    assert!(!folder.exists(), "made before it was asked");
    h.get_by_role_and_label(Role::Button, "新建文件夹并备份")
        .click();
    h.step();
    let ctx = h.ctx.clone();
    h.state_mut().finish_work(&ctx);
    h.run();
    assert!(h.query_by_label_contains("已备份到").is_some());
    assert!(dest.is_file());
}

/// 备份到 a full USB stick: said as such (not "已损坏"), nothing left there that could pass for a
/// backup later.
#[test]
#[cfg(target_os = "linux")]
fn a_backup_to_a_full_disk_says_so_and_leaves_nothing() {
    let Some(disk) = common::SmallDisk::mount("256k") else {
        eprintln!("跳过：此账户不能挂载测试用的小磁盘");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("台账.sqlite");
    let mut db = Db::open(&path).unwrap();
    let org_id = db
        .save_org(&org("机关第一党支部", OrgKind::Branch, None), &[])
        .unwrap();
    for i in 0..400 {
        let mut m = common::member(org_id);
        m.id_number.clear();
        m.name = format!("党员{i}");
        m.note = "备注".repeat(100);
        db.save_member(&m).unwrap();
    }
    let dest = disk.dir.path().join("备份.sqlite");
    let e = dangwu::store::backup::copy_file(&path, &dest)
        .unwrap_err()
        .to_string();
    assert!(e.contains("磁盘空间不足") && !e.contains("已损坏"), "{e}");
    assert_eq!(std::fs::read_dir(disk.dir.path()).unwrap().count(), 0);
}

/// A data file on a share (here a FUSE mount, which Linux reports as such): the status bar says
/// that one PC at a time may change it.
#[cfg(target_os = "linux")]
#[test]
fn a_data_file_on_a_share_is_said_in_the_status_bar() {
    let Some(share) = common::FuseShare::mount() else {
        eprintln!("跳过：没有 bindfs 或 /dev/fuse，无法挂载测试用的 FUSE 文件夹");
        return;
    };
    let path = share.dir.path().join("台账.sqlite");
    let mut h = harness(DangwuApp::open_path(path, d(2026, 11, 22)));
    h.run();
    assert!(
        h.query_by_label_contains("数据文件在网络共享上（FUSE）：同一时间只有一台电脑能修改")
            .is_some()
    );
    let local = tempfile::tempdir().unwrap();
    let mut h = harness(DangwuApp::open_path(
        local.path().join("台账.sqlite"),
        d(2026, 11, 22),
    ));
    h.run();
    assert!(h.query_by_label_contains("网络共享").is_none());
}

/// The evidence copied at 销号 is shown with the closed item, with a way to open it.
#[test]
fn a_closed_item_shows_its_evidence_file() {
    let dir = tempfile::tempdir().unwrap();
    let (mut db, _) = file_with_branch(dir.path());
    let id = common::rect_item(&mut db, "2026-01-10", "台账不全");
    let scan = dir.path().join("整改报告.pdf");
    std::fs::write(&scan, b"%PDF-1.4").unwrap();
    let closing = dangwu::model::rectify::Closing {
        date: d(2026, 3, 1),
        evidence: "已补齐".into(),
        evidence_file: String::new(),
        verifier: "李堃".into(),
    };
    db.close_rectification_with_file(id, &closing, Some(&scan))
        .unwrap();
    let stored = db.rectification(id).unwrap().evidence_file;
    assert!(!stored.is_empty());
    let mut h = harness(DangwuApp::new(Ok(db), None, d(2026, 11, 22)));
    h.get_by_role_and_label(Role::Button, "整改台账").click();
    h.run();
    h.get_by_label("台账不全").click();
    h.run();
    assert!(
        h.query_by_label(&format!("佐证材料：{stored}")).is_some(),
        "the closed item names its evidence"
    );
    assert!(h.query_by_label("打开所在文件夹").is_some());
}

/// Escape (or a click beside it) closes a dialog only while nothing was typed into it.
#[test]
fn a_dialog_with_typed_text_is_not_closed_by_escape() {
    let (db, _) = db_with_branch();
    let mut h = harness(DangwuApp::new(Ok(db), None, d(2026, 11, 22)));
    h.get_by_role_and_label(Role::Button, "谈话").click();
    h.run();
    h.get_by_label("谈话类型设置…").click();
    h.run();
    h.key_press(egui::Key::Escape);
    h.run();
    assert!(
        h.query_by_label("＋ 添加一行").is_none(),
        "nothing typed: it closes"
    );
    h.get_by_label("谈话类型设置…").click();
    h.run();
    h.get_by_label("＋ 添加一行").click();
    h.run();
    h.get_all_by_role_and_label(Role::TextInput, "名称")
        .last()
        .unwrap()
        .click();
    h.run();
    h.get_all_by_role_and_label(Role::TextInput, "名称")
        .last()
        .unwrap()
        .type_text("约谈提醒");
    h.run();
    h.key_press(egui::Key::Escape);
    h.run();
    h.key_press(egui::Key::Escape);
    h.run();
    assert!(
        h.query_by_label("＋ 添加一行").is_some(),
        "what was typed stays"
    );
    h.get_by_label("关闭").click();
    h.run();
    assert!(h.query_by_label("＋ 添加一行").is_none());
}
