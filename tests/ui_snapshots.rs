//! What every tab looks like on the two screens a layout must survive: 1024×600, and 1280×800 at
//! 150 % (853×533 points drawn at 1.5 pixels a point). The images in tests/snapshots are the
//! reviewed ones; a change that moves the layout fails here with a `.diff.png` beside them.
//! After looking at the new images, `UPDATE_SNAPSHOTS=1 cargo test --test ui_snapshots` keeps them.
//!
//! Drawn by wgpu on Mesa's lavapipe (a CPU rasteriser, Debian's `mesa-vulkan-drivers`), so the
//! pixels are the same on every machine of this kind; the demo bureau is seeded and dated, so
//! the content is too.

mod common;

use common::d;
use dangwu::demo::{self, DemoOptions};
use dangwu::store::Db;
use dangwu::ui::{DangwuApp, fonts};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

const TABS: [&str; 6] = ["党员", "组织", "学习活动", "谈话", "整改台账", "统计"];

fn demo_app() -> DangwuApp {
    let today = d(2026, 11, 22);
    let mut db = Db::open_in_memory().unwrap();
    demo::fill(
        &mut db,
        &DemoOptions {
            years: 2,
            members: 60,
            records: None,
            talks: None,
            items: None,
            today,
        },
    )
    .unwrap();
    DangwuApp::new(Ok(db), None, today)
}

fn shoot_every_tab(size: egui::Vec2, pixels_per_point: f32, screen: &str) {
    let mut h = Harness::builder()
        .with_size(size)
        .with_pixels_per_point(pixels_per_point)
        .with_context_setup(|ctx| {
            fonts::install(ctx, fonts::embedded());
            fonts::install_style(ctx);
        })
        .build_ui_state(|ui, app: &mut DangwuApp| app.show(ui), demo_app());
    h.run();
    for (i, tab) in TABS.iter().enumerate() {
        h.get_by_role_and_label(Role::Button, tab).click();
        h.run();
        h.run();
        h.snapshot(format!("{screen}-{}-{tab}", i + 1));
    }
}

#[test]
fn every_tab_at_1024x600() {
    shoot_every_tab(egui::vec2(1024.0, 600.0), 1.0, "1024x600");
}

#[test]
fn every_tab_at_150_percent_of_1280x800() {
    shoot_every_tab(egui::vec2(1280.0 / 1.5, 800.0 / 1.5), 1.5, "150pct");
}
