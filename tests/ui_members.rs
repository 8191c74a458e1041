//! The 党员 tab in depth, driven as a user would: a transfer out through the member's page, a
//! branch's month of dues, a commendation of several members, a 转正 from the pipeline.

mod common;

use common::{d, db_with_branch, member};
use dangwu::model::member::Category;
use dangwu::store::Db;
use dangwu::tally::{self, Scope};
use dangwu::ui::{DangwuApp, fonts};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

fn harness(db: Db) -> Harness<'static, DangwuApp> {
    let app = DangwuApp::new(Ok(db), None, d(2026, 11, 22));
    Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_context_setup(|ctx| {
            fonts::install(ctx, fonts::embedded());
            fonts::install_style(ctx);
        })
        .build_ui_state(|ui, app: &mut DangwuApp| app.show(ui), app)
}

fn type_into(h: &mut Harness<'_, DangwuApp>, label: &str, text: &str) {
    h.get_by_role_and_label(Role::TextInput, label).click();
    h.run();
    h.get_by_role_and_label(Role::TextInput, label)
        .type_text(text);
    h.run();
}

fn click(h: &mut Harness<'_, DangwuApp>, label: &str) {
    h.get_by_label(label).scroll_to_me();
    h.run();
    h.get_by_label(label).click();
    h.run();
}

fn on_rolls_2026(db: &Db) -> u32 {
    tally::compute(db, &Scope::year(2026, d(2026, 11, 22)))
        .unwrap()
        .members
        .on_rolls
}

fn two_members() -> (Db, i64, i64, i64) {
    let (mut db, org) = db_with_branch();
    let one = db.save_member(&member(org)).unwrap();
    let mut m = member(org);
    m.name = "李堃".into();
    m.id_number = "330102197001015601".into();
    m.birth_date = None;
    m.gender = None;
    let two = db.save_member(&m).unwrap();
    (db, org, one, two)
}

#[test]
fn a_member_transferred_out_on_the_page_leaves_the_year_end_roll() {
    let (db, _, one, _) = two_members();
    let mut h = harness(db);
    assert_eq!(on_rolls_2026(h.state().db().unwrap()), 2);
    // The list shows ID numbers masked; the row opens the member.
    h.get_by_label("110105********002X").click();
    h.run();
    click(&mut h, "登记转接…");
    h.get_by_role_and_label(Role::ComboBox, "转接类别").click();
    h.run();
    h.get_by_label("转出").click();
    h.run();
    type_into(&mut h, "转接日期", "2026-04-30");
    type_into(&mut h, "转往的党组织", "省民政厅机关党委");
    click(&mut h, "确认登记");

    let db = h.state().db().unwrap();
    let chain = db.transfers_of(one).unwrap();
    assert_eq!(chain.len(), 1);
    assert_eq!((chain[0].date, chain[0].to_org), (d(2026, 4, 30), None));
    assert_eq!(chain[0].other_org, "省民政厅机关党委");
    assert_eq!(on_rolls_2026(db), 1, "the year-end 在册 figure drops");
    // The member is still on the books, shown as 转出, with the history on the page.
    assert!(h.query_by_label_contains("2026-04-30 转出").is_some());
    assert!(h.query_by_label("转出").is_some());
}

#[test]
fn a_branch_month_of_dues_is_recorded_with_the_bands() {
    let (db, org, one, two) = two_members();
    let mut h = harness(db);
    click(&mut h, "党费");
    // 5000 元 is in the 1% band (edges belong to the lower band), 12000 元 in 2%.
    let fields = |h: &Harness<'_, DangwuApp>, name: &str| {
        h.get_all_by_role_and_label(Role::TextInput, name).count()
    };
    assert_eq!(
        fields(&h, "王珺"),
        2,
        "base and amount, named by the member"
    );
    h.get_all_by_role_and_label(Role::TextInput, "王珺")
        .next()
        .unwrap()
        .click();
    h.run();
    h.get_all_by_role_and_label(Role::TextInput, "王珺")
        .next()
        .unwrap()
        .type_text("5000");
    h.run();
    h.get_all_by_role_and_label(Role::TextInput, "李堃")
        .next()
        .unwrap()
        .click();
    h.run();
    h.get_all_by_role_and_label(Role::TextInput, "李堃")
        .next()
        .unwrap()
        .type_text("12000");
    h.run();
    assert!(h.query_by_label("1%").is_some() && h.query_by_label("2%").is_some());
    click(&mut h, "全部已交");
    click(&mut h, "保存本月党费 *");
    let db = h.state().db().unwrap();
    let mut rows: Vec<(i64, i64)> = db
        .dues_of_month(org, 2026, 11)
        .unwrap()
        .iter()
        .map(|r| (r.member_id, r.amount_fen))
        .collect();
    rows.sort_unstable();
    assert_eq!(rows, [(one, 5000), (two, 24000)]);
    assert!(
        h.query_by_label_contains("已交 2 人，合计 290.00 元")
            .is_some()
    );
}

#[test]
fn one_commendation_of_two_members_is_entered_once() {
    let (db, _, one, two) = two_members();
    let mut h = harness(db);
    click(&mut h, "表彰 · 慰问 · 评议");
    click(&mut h, "＋ 登记表彰…");
    type_into(&mut h, "表彰名称", "优秀共产党员");
    h.get_by_label("王珺（机关第一党支部）").click();
    h.run();
    h.get_by_label("李堃（机关第一党支部）").click();
    h.run();
    click(&mut h, "确认登记");
    let db = h.state().db().unwrap();
    let (a, b) = (
        db.events_of_member(one).unwrap(),
        db.events_of_member(two).unwrap(),
    );
    assert_eq!((a.len(), b.len()), (1, 1));
    assert_eq!(a[0].act_uid, b[0].act_uid, "one act");
    let t = tally::compute(db, &Scope::year(2026, d(2026, 11, 22))).unwrap();
    assert_eq!(t.commendations, 2);
    assert!(h.query_by_label_contains("表彰 2 人次").is_some());
}

#[test]
fn a_probationary_member_is_converted_from_the_pipeline_on_the_day_probation_ends() {
    let (mut db, org) = db_with_branch();
    let mut m = member(org);
    m.category = Category::Probationary;
    m.probationary_on = Some(d(2025, 11, 10));
    m.full_on = None;
    let id = db.save_member(&m).unwrap();
    let mut h = harness(db);
    click(&mut h, "发展党员");
    assert!(h.query_by_label_contains("本月到期 1 人").is_some());
    h.get_by_role_and_label(Role::Button, "正式党员").click();
    h.run();
    // Proposed: the day the 预备期 ends.
    assert_eq!(
        h.get_by_role_and_label(Role::TextInput, "转正日期")
            .value()
            .as_deref(),
        Some("2026-11-10")
    );
    click(&mut h, "确认办理");
    let saved = h.state().db().unwrap().member(id).unwrap();
    assert_eq!(
        (saved.category, saved.full_on),
        (Category::Full, Some(d(2026, 11, 10)))
    );
    assert!(h.query_by_label_contains("发展党员共 0 人").is_some());
}

#[test]
fn a_save_over_a_change_made_since_the_form_opened_is_refused() {
    let (db, _, one, _) = two_members();
    let mut h = harness(db);
    h.get_by_label("110105********002X").click();
    h.run();
    // Meanwhile the record changes elsewhere (an import on the worker, another connection).
    {
        let db = h.state_mut().db_mut().unwrap();
        let mut m = db.member(one).unwrap();
        m.job = "科长".into();
        db.save_member(&m).unwrap();
    }
    type_into(&mut h, "民族", "回族");
    h.get_by_label("保存").click();
    h.run();
    assert!(h.query_by_label_contains("此记录已被修改").is_some());
    assert!(h.query_by_label_contains("职务现为“科长”").is_some());
    let m = h.state().db().unwrap().member(one).unwrap();
    assert_eq!(m.job, "科长", "the other change is not reverted");
    assert_eq!(m.ethnicity, "汉族", "and nothing of this form was saved");
}
