//! The window driven as a user would: find fields by their Chinese labels, type, click 保存,
//! then look in the database.

mod common;

use common::{d, db_with_branch};
use dangwu::model::member::{Category, Gender};
use dangwu::ui::{DangwuApp, fonts};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

fn harness(app: DangwuApp) -> Harness<'static, DangwuApp> {
    Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_context_setup(|ctx| {
            // The embedded font, so the test sees what a machine without a system CJK font sees.
            fonts::install(ctx, fonts::embedded());
            fonts::install_style(ctx);
        })
        .build_ui_state(|ui, app: &mut DangwuApp| app.show(ui), app)
}

fn app_with_branch() -> DangwuApp {
    let (db, _) = db_with_branch();
    DangwuApp::new(Ok(db), None, d(2026, 11, 22))
}

fn type_into(h: &mut Harness<'_, DangwuApp>, label: &str, text: &str) {
    // Single-line and multi-line fields have different roles.
    let role = if h.query_by_role_and_label(Role::TextInput, label).is_some() {
        Role::TextInput
    } else {
        Role::MultilineTextInput
    };
    h.get_by_role_and_label(role, label).scroll_to_me();
    h.run();
    h.get_by_role_and_label(role, label).click();
    h.run();
    h.get_by_role_and_label(role, label).type_text(text);
    h.run();
}

#[test]
fn a_member_added_through_the_form_is_in_the_database_and_the_list() {
    let mut h = harness(app_with_branch());
    h.get_by_label("＋ 新增党员").click();
    h.run();
    type_into(&mut h, "姓名", "张喆");
    type_into(&mut h, "公民身份号码", "11010519491231002X");
    type_into(&mut h, "民族", "汉族");
    type_into(&mut h, "申请入党日期", "1975年3月5日");
    h.get_by_label("保存").click();
    h.run();

    let members = h.state().db().unwrap().members().unwrap();
    assert_eq!(members.len(), 1);
    let m = &members[0];
    assert_eq!(m.name, "张喆");
    assert_eq!(m.id_number, "11010519491231002X");
    assert_eq!(m.ethnicity, "汉族");
    // Birth date and gender come from the ID number.
    assert_eq!(m.birth_date, Some(d(1949, 12, 31)));
    assert_eq!(m.gender, Some(Gender::Female));
    assert_eq!(m.applied_on, Some(d(1975, 3, 5)));
    assert_eq!(m.category, Category::Full);
    assert!(h.state().toasts().texts().contains(&"已保存：张喆"));
    // The list shows the new member.
    assert!(h.query_by_label("张喆").is_some());
    assert!(h.query_by_label_contains("共 1 人").is_some());
}

#[test]
fn an_invalid_id_number_is_named_at_the_field_and_nothing_is_saved() {
    let mut h = harness(app_with_branch());
    h.get_by_label("＋ 新增党员").click();
    h.run();
    type_into(&mut h, "姓名", "李堃");
    type_into(&mut h, "公民身份号码", "110105194912310021");
    type_into(&mut h, "联系电话", "13800138000");
    h.get_by_label("保存").click();
    h.run();

    assert!(
        h.query_by_label("公民身份号码校验位不符（按前17位计算末位应为X），请核对号码")
            .is_some()
    );
    assert!(h.state().db().unwrap().members().unwrap().is_empty());
    // What was typed is still in the form.
    assert_eq!(
        h.get_by_role_and_label(Role::TextInput, "姓名")
            .value()
            .as_deref(),
        Some("李堃")
    );
    assert_eq!(
        h.get_by_role_and_label(Role::TextInput, "公民身份号码")
            .value()
            .as_deref(),
        Some("110105194912310021")
    );
    assert_eq!(
        h.get_by_role_and_label(Role::TextInput, "联系电话")
            .value()
            .as_deref(),
        Some("13800138000")
    );
}

#[test]
fn a_date_that_does_not_exist_is_refused_at_its_field() {
    let mut h = harness(app_with_branch());
    h.get_by_label("＋ 新增党员").click();
    h.run();
    type_into(&mut h, "姓名", "赵昇");
    type_into(&mut h, "确定积极分子日期", "2023-2-29");
    h.get_by_label("保存").click();
    h.run();
    assert!(h.query_by_label("日期不存在：2023年2月29日").is_some());
    assert!(h.state().db().unwrap().members().unwrap().is_empty());
}

/// 市救助站党支部, its term from 2023-12-20, 刘玥 its secretary: entered in the 组织 form.
fn add_branch_with_secretary(h: &mut Harness<'_, DangwuApp>) {
    h.get_by_role_and_label(Role::Button, "组织").click();
    h.run();
    h.get_by_label("＋ 新增组织").click();
    h.run();
    type_into(h, "组织名称", "市救助站党支部");
    type_into(h, "本届任期开始", "2023-12-20");
    h.get_by_label("＋ 添加委员").click();
    h.run();
    h.get_by_role_and_label(Role::TextInput, "姓名").click();
    h.run();
    h.get_by_role_and_label(Role::TextInput, "姓名")
        .type_text("刘玥");
    h.run();
    h.get_by_label("保存").click();
    h.run();
}

#[test]
fn an_organisation_added_through_the_form_shows_its_term_warning() {
    let (db, _) = db_with_branch();
    let mut h = harness(DangwuApp::new(Ok(db), None, d(2026, 11, 22)));
    add_branch_with_secretary(&mut h);

    let db = h.state().db().unwrap();
    let org = db
        .orgs(d(2026, 11, 22))
        .unwrap()
        .into_iter()
        .find(|s| s.org.name == "市救助站党支部")
        .unwrap()
        .org;
    assert_eq!(org.term_start, Some(d(2023, 12, 20)));
    assert_eq!(org.term_years, 3);
    let committee = db.committee(org.id.unwrap()).unwrap();
    assert_eq!(committee.len(), 1);
    assert_eq!(committee[0].name, "刘玥");
    assert_eq!(
        committee[0].role,
        dangwu::model::org::CommitteeRole::Secretary
    );
    // Due 2026-12-20, 28 days from today: warned in the form, and marked in the tree.
    assert!(
        h.query_by_label_contains("将于2026年12月20日届满，还有28天")
            .is_some()
    );
    assert!(
        h.query_by_label("市救助站党支部（党支部，在册0人） ！")
            .is_some()
    );
}

#[test]
fn a_member_who_leaves_is_confirmed_and_kept_on_the_books() {
    let (mut db, org_id) = db_with_branch();
    db.save_member(&common::member(org_id)).unwrap();
    let mut h = harness(DangwuApp::new(Ok(db), None, d(2026, 11, 22)));
    // Click the row in the list to open the member.
    h.get_by_label("110105********002X").click();
    h.run();
    assert!(h.query_by_label("编辑党员：王珺").is_some());

    // The form's 状态, not the filter's above the list.
    h.get_all_by_role_and_label(Role::ComboBox, "状态")
        .last()
        .unwrap()
        .scroll_to_me();
    h.run();
    h.get_all_by_role_and_label(Role::ComboBox, "状态")
        .last()
        .unwrap()
        .click();
    h.run();
    h.get_by_label("去世").click();
    h.run();
    type_into(&mut h, "状态变更日期", "2026-04-30");
    h.get_by_label("保存").click();
    h.run();
    // Nothing is written before the user confirms.
    assert_eq!(
        h.state().db().unwrap().members().unwrap()[0].status,
        dangwu::model::member::Status::OnRolls
    );
    assert!(h.query_by_label_contains("该党员不会被删除").is_some());
    h.get_by_label("确认变更").click();
    h.run();

    let members = h.state().db().unwrap().members().unwrap();
    assert_eq!(members.len(), 1);
    assert_eq!(members[0].status, dangwu::model::member::Status::Deceased);
    assert_eq!(members[0].status_date, Some(d(2026, 4, 30)));
}

#[test]
fn a_study_session_recorded_through_the_form_is_saved_with_its_attendance() {
    let (mut db, org_id) = db_with_branch();
    db.save_member(&common::member(org_id)).unwrap();
    let mut other = common::member(org_id);
    other.name = "李堃".into();
    other.id_number.clear();
    db.save_member(&other).unwrap();
    let mut h = harness(DangwuApp::new(Ok(db), None, d(2026, 11, 22)));
    h.get_by_role_and_label(Role::Button, "学习活动").click();
    h.run();
    h.get_by_label("＋ 登记活动").click();
    h.run();
    // A past date (补录): the attendance list follows the date and the organisation.
    h.get_by_role_and_label(Role::TextInput, "日期").click();
    h.run();
    h.key_combination_modifiers(egui::Modifiers::COMMAND, &[egui::Key::A]);
    h.get_by_role_and_label(Role::TextInput, "日期")
        .type_text("2026-03-05");
    h.run();
    h.get_by_role_and_label(Role::CheckBox, "党员大会").click();
    h.get_by_role_and_label(Role::CheckBox, "主题党日").click();
    h.run();
    type_into(&mut h, "主题", "学习贯彻党的二十大精神");
    // Mark 李堃 on leave, with a reason.
    h.get_by_role_and_label(Role::ComboBox, "李堃")
        .scroll_to_me();
    h.run();
    h.get_by_role_and_label(Role::ComboBox, "李堃").click();
    h.run();
    h.get_by_label("请假").click();
    h.run();
    h.get_by_role_and_label(Role::TextInput, "李堃").click();
    h.run();
    h.get_by_role_and_label(Role::TextInput, "李堃")
        .type_text("出差");
    h.run();
    assert!(h.query_by_label("应到 2 人，实到 1 人").is_some());
    h.get_by_label("保存").click();
    h.run();

    let db = h.state().db().unwrap();
    let rows = db
        .activities(&dangwu::store::ActivityFilter::default())
        .unwrap();
    assert_eq!(rows.len(), 1);
    let a = db.activity(rows[0].id).unwrap();
    assert_eq!(a.date, d(2026, 3, 5));
    assert_eq!(a.topic, "学习贯彻党的二十大精神");
    let labels: Vec<String> = db
        .activity_types()
        .unwrap()
        .into_iter()
        .filter(|t| a.type_ids.contains(&t.id.unwrap()))
        .map(|t| t.label)
        .collect();
    assert_eq!(labels, ["党员大会", "主题党日"]);
    assert_eq!((a.expected, a.present), (Some(2), Some(1)));
    let leave = a.attendance.iter().find(|x| x.name == "李堃").unwrap();
    assert_eq!(
        (leave.presence, leave.reason.as_str()),
        (dangwu::model::activity::Presence::Leave, "出差")
    );
    // And the list shows it.
    assert!(h.query_by_label("党员大会、主题党日").is_some());
    assert!(h.query_by_label("1/2").is_some());
}

fn app_with_item() -> (DangwuApp, i64) {
    let mut db = dangwu::store::Db::open_in_memory().unwrap();
    let input = dangwu::model::rectify::RectInput {
        source: Some(dangwu::model::rectify::Source::DemocraticLife),
        found_on: "2026-01-10".into(),
        description: "理论学习不够深入".into(),
        unit: "办公室".into(),
        deadline: "2026-06-30".into(),
        ..Default::default()
    };
    let id = db
        .save_rectification(&input.validate(d(2026, 11, 22), None).unwrap())
        .unwrap();
    (DangwuApp::new(Ok(db), None, d(2026, 11, 22)), id)
}

fn open_item(h: &mut Harness<'_, DangwuApp>) {
    h.get_by_role_and_label(Role::Button, "整改台账").click();
    h.run();
    // Overdue rows are marked.
    assert!(h.query_by_label("未整改（逾期）").is_some());
    h.get_by_label("理论学习不够深入").click();
    h.run();
}

#[test]
fn closing_an_item_through_the_dialog_records_date_evidence_and_verifier() {
    let (app, id) = app_with_item();
    let mut h = harness(app);
    open_item(&mut h);
    h.get_by_label("销号…").click();
    h.run();
    type_into(&mut h, "整改成效", "完成12次集中学习，建立学习台账");
    type_into(&mut h, "验收人", "李堃");
    h.get_by_role_and_label(Role::TextInput, "完成日期").click();
    h.run();
    h.key_combination_modifiers(egui::Modifiers::COMMAND, &[egui::Key::A]);
    h.get_by_role_and_label(Role::TextInput, "完成日期")
        .type_text("2026-06-20");
    h.run();
    h.get_by_label("确认销号").click();
    h.run();

    let item = h.state().db().unwrap().rectification(id).unwrap();
    assert_eq!(item.status, dangwu::model::rectify::RectStatus::Closed);
    assert_eq!(item.closed_on, Some(d(2026, 6, 20)));
    assert_eq!(item.evidence, "完成12次集中学习，建立学习台账");
    assert_eq!(item.verifier, "李堃");
    assert!(h.query_by_label("确认销号").is_none(), "the dialog closed");
    assert!(h.query_by_label("已销号").is_some());
}

#[test]
fn closing_without_evidence_or_verifier_is_refused_and_changes_nothing() {
    let (app, id) = app_with_item();
    let mut h = harness(app);
    open_item(&mut h);
    h.get_by_label("销号…").click();
    h.run();
    h.get_by_label("确认销号").click();
    h.run();
    assert!(
        h.query_by_label("请填写整改成效或佐证材料，销号须有据可查")
            .is_some()
    );
    assert!(h.query_by_label("请填写验收人").is_some());
    let item = h.state().db().unwrap().rectification(id).unwrap();
    assert_eq!(item.status, dangwu::model::rectify::RectStatus::Open);
    assert_eq!(item.closed_on, None);
    assert_eq!(
        h.state()
            .db()
            .unwrap()
            .rectification_history(id)
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn reopening_a_closed_item_requires_a_reason() {
    let (app, id) = app_with_item();
    let mut h = harness(app);
    {
        let closing = dangwu::model::rectify::Closing {
            date: d(2026, 6, 20),
            evidence: "已整改".into(),
            evidence_file: String::new(),
            verifier: "李堃".into(),
        };
        h.state_mut()
            .db_mut()
            .unwrap()
            .close_rectification(id, &closing)
            .unwrap();
    }
    h.get_by_role_and_label(Role::Button, "整改台账").click();
    h.run();
    h.get_by_label("理论学习不够深入").click();
    h.run();
    h.get_by_label("重新打开…").click();
    h.run();
    h.get_by_label("确认重新打开").click();
    h.run();
    assert!(h.query_by_label("请填写重新打开的原因").is_some());
    assert_eq!(
        h.state().db().unwrap().rectification(id).unwrap().status,
        dangwu::model::rectify::RectStatus::Closed
    );
    type_into(&mut h, "原因", "复查发现学习记录不全");
    h.get_by_label("确认重新打开").click();
    h.run();
    let item = h.state().db().unwrap().rectification(id).unwrap();
    assert_eq!(item.status, dangwu::model::rectify::RectStatus::InProgress);
    let history = h.state().db().unwrap().rectification_history(id).unwrap();
    assert_eq!(history.last().unwrap().text, "复查发现学习记录不全");
}

#[test]
fn a_talks_content_stays_hidden_until_asked_for() {
    let (mut db, _) = db_with_branch();
    let kind = db.talk_kinds().unwrap()[1].id.unwrap();
    let talk = dangwu::model::talk::Talk {
        date: d(2026, 4, 2),
        kind_id: kind,
        talkers: "王书记".into(),
        subject_names: "赵昇".into(),
        content: "就考勤问题进行提醒".into(),
        ..Default::default()
    };
    db.save_talk(&talk).unwrap();
    let mut h = harness(DangwuApp::new(Ok(db), None, d(2026, 11, 22)));
    h.get_by_role_and_label(Role::Button, "谈话").click();
    h.run();
    assert!(
        h.query_by_label("2026年开展谈话1次，其中提醒谈话1次（1人次），谈话对象1人次。")
            .is_some()
    );
    h.get_by_label("赵昇").click();
    h.run();
    assert!(h.query_by_value("就考勤问题进行提醒").is_none());
    h.get_by_label("显示谈话事由、内容和后续跟进").click();
    h.run();
    assert!(h.query_all_by_value("就考勤问题进行提醒").count() > 0);
}

#[test]
fn a_talk_changed_elsewhere_since_its_form_opened_is_not_overwritten() {
    let (mut db, _) = db_with_branch();
    let kind = db.talk_kinds().unwrap()[1].id.unwrap();
    let talk = dangwu::model::talk::Talk {
        date: d(2026, 4, 2),
        kind_id: kind,
        talkers: "王书记".into(),
        subject_names: "赵昇".into(),
        content: "就考勤问题进行提醒".into(),
        ..Default::default()
    };
    let id = db.save_talk(&talk).unwrap();
    let mut h = harness(DangwuApp::new(Ok(db), None, d(2026, 11, 22)));
    h.get_by_role_and_label(Role::Button, "谈话").click();
    h.run();
    h.get_by_label("赵昇").click();
    h.run();
    // Meanwhile the record changes on another connection (an import on the worker).
    {
        let db = h.state_mut().db_mut().unwrap();
        let mut t = db.talk(id).unwrap();
        t.talkers = "李书记".into();
        db.save_talk(&t).unwrap();
    }
    type_into(&mut h, "地点", "党员活动室");
    h.get_by_label("保存").click();
    h.run();
    assert!(h.query_by_label_contains("谈话人现为“李书记”").is_some());
    let now = h.state().db().unwrap().talk(id).unwrap();
    assert_eq!((now.talkers.as_str(), now.place.as_str()), ("李书记", ""));
    // What was typed is still in the form.
    assert_eq!(
        h.get_by_role_and_label(Role::TextInput, "地点")
            .value()
            .as_deref(),
        Some("党员活动室")
    );
}

#[test]
fn leaving_a_form_with_unsaved_changes_asks_first() {
    let mut h = harness(app_with_branch());
    h.get_by_label("＋ 新增党员").click();
    h.run();
    type_into(&mut h, "姓名", "孙玥");
    h.get_by_label("取消").click();
    h.run();
    assert!(h.query_by_label("放弃修改？").is_some());
    // Keeping the changes leaves the form as it was.
    h.get_all_by_label("取消").last().unwrap().click();
    h.run();
    assert_eq!(
        h.get_by_role_and_label(Role::TextInput, "姓名")
            .value()
            .as_deref(),
        Some("孙玥")
    );
    h.get_by_label("取消").click();
    h.run();
    h.get_by_label("放弃修改").click();
    h.run();
    assert!(
        h.query_by_role_and_label(Role::TextInput, "姓名").is_none(),
        "the form closed"
    );
    assert!(h.state().db().unwrap().members().unwrap().is_empty());
}

#[test]
fn the_window_carries_the_ledger_icon() {
    let icon = dangwu::ui::app::window_icon();
    assert_eq!((icon.width, icon.height), (256, 256));
    // The red cover is there (not an empty default image).
    let red = icon
        .rgba
        .chunks(4)
        .filter(|p| p[0] > 140 && p[1] < 60 && p[2] < 60 && p[3] == 255)
        .count();
    assert!(red > 10_000, "{red} red pixels");
}

#[test]
fn an_election_recorded_in_the_organisation_form_renews_the_committee_and_the_term() {
    let (db, _) = db_with_branch();
    let mut h = harness(DangwuApp::new(Ok(db), None, d(2026, 11, 22)));
    add_branch_with_secretary(&mut h);
    assert!(h.query_by_label("尚未登记换届选举").is_some());

    h.get_by_label("＋ 登记换届选举…").scroll_to_me();
    h.run();
    h.get_by_label("＋ 登记换届选举…").click();
    h.run();
    // The dialog proposes the committee as it is; the date is the user's.
    type_into(&mut h, "选举日期", "2026-11-20");
    type_into(&mut h, "应到人数", "30");
    type_into(&mut h, "实到人数", "28");
    h.get_all_by_label("保存").last().unwrap().click();
    h.run();
    h.run();

    let db = h.state().db().unwrap();
    let elections = db.elections(None).unwrap();
    assert_eq!(elections.len(), 1);
    let org_id = elections[0].org_id;
    assert_eq!(elections[0].elected[0].name, "刘玥");
    assert_eq!(db.org(org_id).unwrap().term_start, Some(d(2026, 11, 20)));
    // The term before it is closed on the day, and kept.
    let history = db.committee_history(org_id).unwrap();
    assert_eq!(history.len(), 2);
    assert!(history.iter().any(|c| c.ended == Some(d(2026, 11, 20))));
    // The form shows the new term and the election; the 换届 warning is gone.
    assert!(h.query_by_label("下次换届：2029年11月20日").is_some());
    assert!(
        h.query_by_label_contains("2026年11月20日 选举书记刘玥（应到30人，实到28人）")
            .is_some()
    );
    assert!(
        h.query_by_label("市救助站党支部（党支部，在册0人） ！")
            .is_none()
    );
}

#[test]
fn an_error_goes_as_soon_as_its_field_is_right() {
    let (db, _) = db_with_branch();
    let mut h = harness(DangwuApp::new(Ok(db), None, d(2026, 11, 22)));
    h.get_by_role_and_label(Role::Button, "组织").click();
    h.run();
    h.get_by_label("＋ 新增组织").click();
    h.run();
    type_into(&mut h, "任期年限", "三");
    h.get_by_label("保存").click();
    h.run();
    assert!(h.query_by_label("请填写组织名称").is_some());
    assert!(
        h.query_by_label_contains("任期年限应为1至10之间的整数")
            .is_some()
    );
    // The name typed: its error goes before 保存; the other stays.
    type_into(&mut h, "组织名称", "市救助站党支部");
    h.run();
    assert!(h.query_by_label("请填写组织名称").is_none());
    assert!(
        h.query_by_label_contains("任期年限应为1至10之间的整数")
            .is_some()
    );
}

/// A new ledger says where to begin, each step a button that goes there and is ticked once done;
/// the guide is the README's 用法, searchable.
#[test]
fn a_new_ledger_shows_its_first_steps_and_the_guide_is_one_click_away() {
    let (db, _) = db_with_branch();
    let mut h = harness(DangwuApp::new(Ok(db), None, d(2026, 11, 22)));
    assert!(h.query_by_label("① 填写单位名称").is_some());
    assert!(
        h.query_by_label("√ ② 建立组织").is_some(),
        "an organisation exists"
    );
    h.get_by_label("③ 录入党员").click();
    h.run();
    assert!(h.query_by_label("＋ 新增党员").is_some(), "the 党员 tab");
    h.get_by_label("④ 登记第一次活动").click();
    h.run();
    assert!(
        h.query_by_label("＋ 登记活动").is_some(),
        "the 学习活动 tab"
    );

    h.get_by_label("帮助").click();
    h.run();
    h.get_by_label("使用说明").click();
    h.run();
    h.get_by_role_and_label(Role::TextInput, "查找").click();
    h.run();
    h.get_by_role_and_label(Role::TextInput, "查找")
        .type_text("销号");
    h.run();
    assert!(h.query_by_label_contains("销号 须填完成日期").is_some());
    assert!(
        h.query_by_label_contains("按月登记一个支部").is_none(),
        "filtered"
    );

    // Set up: the list is gone.
    let db = h.state_mut().db_mut().unwrap();
    db.set_setting(dangwu::store::settings::UNIT_NAME, "某市民政局")
        .unwrap();
    let mut m = common::member(db.orgs(d(2026, 11, 22)).unwrap()[0].org.id.unwrap());
    m.id_number.clear();
    db.save_member(&m).unwrap();
    let a = common::activity(m.org_id, d(2026, 3, 1), Vec::new(), "学习");
    let types = db.activity_types().unwrap();
    let mut a = a;
    a.type_ids = vec![types[0].id.unwrap()];
    db.save_activity(&a).unwrap();
    h.run();
    h.run();
    assert!(h.query_by_label_contains("填写单位名称").is_none());
}

#[test]
fn escape_closes_an_open_menu() {
    let mut h = harness(app_with_branch());
    h.get_by_label("文件").click();
    h.run();
    assert!(h.query_by_label("恢复备份…").is_some());
    h.key_press(egui::Key::Escape);
    h.run();
    h.run();
    assert!(h.query_by_label("恢复备份…").is_none());
}

/// A 缺 on 落实情况 opens the meeting form for it: the organisation, the type and a date in that
/// period filled in.
#[test]
fn a_missing_period_opens_the_meeting_form_filled_in_for_it() {
    let (mut db, branch) = db_with_branch();
    let mut m = common::member(branch);
    m.id_number.clear();
    db.save_member(&m).unwrap();
    let mut h = harness(DangwuApp::new(Ok(db), None, d(2026, 11, 22)));
    h.get_by_role_and_label(Role::Button, "学习活动").click();
    h.run();
    h.get_by_label("落实情况").click();
    h.run();
    h.get_all_by_label("缺").next().unwrap().click();
    h.run();
    h.run();
    let date = h.get_by_role_and_label(Role::TextInput, "日期");
    assert_eq!(date.value().as_deref(), Some("2026-01-01"));
    assert!(h.query_by_label("登记活动").is_some(), "the form is open");
    assert!(
        h.get_by_role_and_label(Role::CheckBox, "支委会")
            .accesskit_node()
            .toggled()
            .is_some_and(|t| t == egui::accesskit::Toggled::True),
        "the type of the grid's first row"
    );
}

/// 谈话 narrows by search and 整改台账 by 发现年度; a header click sorts the list.
#[test]
fn lists_filter_and_sort_as_the_user_asks() {
    use dangwu::model::talk::{Talk, TalkForm};
    let (mut db, branch) = db_with_branch();
    let kind = db.talk_kinds().unwrap()[0].id.unwrap();
    for (day, talker) in [(d(2026, 3, 1), "王书记"), (d(2026, 5, 1), "李委员")] {
        db.save_talk(&Talk {
            date: day,
            kind_id: kind,
            form: TalkForm::Individual,
            org_id: Some(branch),
            talkers: talker.into(),
            subject_names: "赵丽".into(),
            ..Default::default()
        })
        .unwrap();
    }
    for (found, what) in [("2025-04-01", "去年的问题"), ("2026-04-01", "今年的问题")] {
        common::rect_item(&mut db, found, what);
    }
    let mut h = harness(DangwuApp::new(Ok(db), None, d(2026, 11, 22)));
    h.get_by_role_and_label(Role::Button, "谈话").click();
    h.run();
    // Newest first; 谈话人 clicked: 李 before 王 by code point.
    let y = |h: &Harness<'_, DangwuApp>, label: &str| h.get_by_label(label).rect().top();
    assert!(y(&h, "李委员") < y(&h, "王书记"));
    h.get_by_label("日期 ▼").click();
    h.run();
    assert!(y(&h, "王书记") < y(&h, "李委员"), "oldest first");
    // The sort is remembered: a window opened afresh (its tabs new) lists them the same way.
    let db = std::mem::replace(
        h.state_mut().db_mut().unwrap(),
        dangwu::store::Db::open_in_memory().unwrap(),
    );
    *h.state_mut() = DangwuApp::new(Ok(db), None, d(2026, 11, 22));
    h.run();
    h.get_by_role_and_label(Role::Button, "谈话").click();
    h.run();
    h.run();
    assert!(
        y(&h, "王书记") < y(&h, "李委员"),
        "oldest first, remembered"
    );
    h.get_by_role_and_label(Role::TextInput, "搜索").click();
    h.run();
    h.get_by_role_and_label(Role::TextInput, "搜索")
        .type_text("王");
    h.run();
    assert!(h.query_by_label("李委员").is_none());
    assert!(h.query_by_label("筛选后 1 次").is_some());

    h.get_by_role_and_label(Role::Button, "整改台账").click();
    h.run();
    assert!(h.query_by_label("去年的问题").is_some());
    h.get_by_label("发现年度").click();
    h.run();
    h.get_all_by_label("2026年").last().unwrap().click();
    h.run();
    assert!(h.query_by_label("去年的问题").is_none());
    assert!(h.query_by_label("今年的问题").is_some());
}

/// At 1024×600, and at 150 % on 1280×800 (853×533 points, which is what the layout sees), no
/// field or drop-down of any tab's toolbar lies beyond the window's right edge, and a label and
/// its field move to the next row together.
#[test]
fn every_tab_fits_small_screens_and_large_text() {
    for size in [
        egui::vec2(1024.0, 600.0),
        egui::vec2(1280.0 / 1.5, 800.0 / 1.5),
    ] {
        let (mut db, branch) = db_with_branch();
        let mut m = common::member(branch);
        m.id_number.clear();
        db.save_member(&m).unwrap();
        let mut h = Harness::builder()
            .with_size(size)
            .with_context_setup(|ctx| {
                fonts::install(ctx, fonts::embedded());
                fonts::install_style(ctx);
            })
            .build_ui_state(
                |ui, app: &mut DangwuApp| app.show(ui),
                DangwuApp::new(Ok(db), None, d(2026, 11, 22)),
            );
        h.run();
        let width = size.x;
        for tab in ["党员", "组织", "学习活动", "谈话", "整改台账", "统计"] {
            h.get_by_role_and_label(Role::Button, tab).click();
            h.run();
            h.run();
            for role in [Role::ComboBox, Role::TextInput] {
                for node in h.query_all_by_role(role) {
                    let r = node.rect();
                    assert!(
                        r.right() <= width + 1.0,
                        "{tab} at {size:?}: {:?} ends at {} of {width}",
                        node.accesskit_node().label(),
                        r.right()
                    );
                    // The label is on the field's row, not left at the end of the one above.
                    for label in node.accesskit_node().labelled_by() {
                        let Some(b) = label.bounding_box() else {
                            continue;
                        };
                        let middle = ((b.y0 + b.y1) / 2.0) as f32;
                        assert!(
                            r.y_range().contains(middle),
                            "{tab} at {size:?}: the label of {:?} is not on its row",
                            node.accesskit_node().label()
                        );
                    }
                }
            }
        }
    }
}
