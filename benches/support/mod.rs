//! What the benchmarks share: the large demo ledger they run on.
#![allow(dead_code)]

use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use dangwu::demo::{self, DemoOptions};
use dangwu::store::Db;

pub fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

pub fn data_file(today: NaiveDate) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    std::fs::create_dir_all(&dir).unwrap();
    // Named by schema version too: a file made by an older build lacks the newer records.
    let version = dangwu::store::schema::latest_version();
    let path = dir.join(format!("activities-v{version}-{today}.sqlite"));
    if !path.exists() {
        let started = Instant::now();
        let mut db = Db::open(&path).unwrap();
        let s = demo::fill(
            &mut db,
            &DemoOptions {
                years: 10,
                members: 2000,
                records: Some(100_000),
                talks: None,
                items: None,
                today,
            },
        )
        .unwrap();
        println!(
            "造数：{} 条活动、{} 条出席记录、{} 名党员、{} 条党费记录，用时 {:?}",
            s.activities,
            s.attendance,
            s.members,
            s.dues,
            started.elapsed()
        );
    }
    path
}

/// Frames of a list scrolled as a user scrolls it: 100 wheel turns of 480 points, down or up, with
/// the pointer over the list at `at`. The same for a ledger and for its floor (down, then up).
pub fn scroll<S>(
    h: &mut egui_kittest::Harness<'_, S>,
    at: egui::Pos2,
    down: bool,
) -> Vec<Duration> {
    let delta = if down { -480.0 } else { 480.0 };
    let mut frames = Vec::new();
    for _ in 0..100 {
        h.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(0.0, delta),
            modifiers: egui::Modifiers::NONE,
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Wheel,
        });
        h.hover_at(at);
        let t = Instant::now();
        h.step();
        frames.push(t.elapsed());
    }
    frames
}

/// The window as the benches drive it: 1280×800, the embedded font, `app` in it.
pub fn window(app: dangwu::ui::DangwuApp) -> egui_kittest::Harness<'static, dangwu::ui::DangwuApp> {
    egui_kittest::Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_context_setup(install_fonts)
        .build_ui_state(|ui, app: &mut dangwu::ui::DangwuApp| app.show(ui), app)
}

fn install_fonts(ctx: &egui::Context) {
    dangwu::ui::fonts::install(ctx, dangwu::ui::fonts::embedded());
    dangwu::ui::fonts::install_style(ctx);
}

/// A ledger scrolled down and back up at `at` (`scroll` both ways).
pub fn scroll_down_and_up<S>(
    h: &mut egui_kittest::Harness<'_, S>,
    at: egui::Pos2,
) -> Vec<Duration> {
    let mut frames = scroll(h, at, true);
    frames.extend(scroll(h, at, false));
    frames
}

/// The floor a ledger is measured against: a bare egui_extras table of the same rows and
/// columns, its cells ready-made strings (no store, no model, no formatting), in a window of the
/// same size with the same font, scrolled the same way.
pub fn floor(cells: Vec<Vec<String>>) -> Vec<Duration> {
    use egui_extras::{Column, TableBuilder};
    let columns = cells.first().map_or(1, Vec::len);
    let mut h = egui_kittest::Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_context_setup(install_fonts)
        .build_ui_state(
            move |ui, cells: &mut Vec<Vec<String>>| {
                TableBuilder::new(ui)
                    .striped(true)
                    .sense(egui::Sense::click())
                    .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
                    .columns(Column::initial(120.0).clip(true), columns - 1)
                    .column(Column::remainder().clip(true))
                    .header(28.0, |mut h| {
                        for i in 0..columns {
                            h.col(|ui| {
                                ui.strong(format!("第{}列", i + 1));
                            });
                        }
                    })
                    .body(|body| {
                        body.rows(28.0, cells.len(), |mut row| {
                            for text in &cells[row.index()] {
                                row.col(|ui| {
                                    ui.label(text);
                                });
                            }
                        });
                    });
            },
            cells,
        );
    h.run();
    scroll_down_and_up(&mut h, egui::pos2(400.0, 400.0))
}

/// Prints a ledger's scrolling frames beside its floor's, and their ratio of medians.
pub fn print_beside_floor(what: &str, app: Vec<Duration>, floor: Vec<Duration>) {
    let worst = |v: &[Duration]| v.iter().max().copied().unwrap_or_default();
    let (aw, fw) = (worst(&app), worst(&floor));
    let (am, fm) = (median(app), median(floor));
    println!(
        "{what}滚动时每帧：中位数 {am:?}，最慢 {aw:?}；同样行列的 egui_extras 空表：中位数 {fm:?}，最慢 {fw:?}（比值 {:.2}）",
        am.as_secs_f64() / fm.as_secs_f64().max(1e-9)
    );
}
