//! The floor the app's start is measured against (scripts/bench-startup): an eframe window with
//! the app's eframe features and size, a heading and 40 labels, nothing else. Like the app with
//! `DANGWU_TIMING` set, it prints when its first frame is done, counted from `main`.

use std::time::Instant;

fn main() -> eframe::Result {
    let started = Instant::now();
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("empty eframe window")
            .with_inner_size([1280.0, 800.0]),
        ..Default::default()
    };
    eframe::run_native(
        "empty_window",
        options,
        Box::new(move |cc| {
            cc.egui_ctx.on_end_pass(
                "timing",
                std::sync::Arc::new(move |ui: &mut egui::Ui| {
                    if ui.ctx().cumulative_pass_nr() == 1 {
                        eprintln!("首帧完成：{} ms", started.elapsed().as_millis());
                    }
                }),
            );
            Ok(Box::new(Empty))
        }),
    )
}

struct Empty;

impl eframe::App for Empty {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        egui::CentralPanel::default().show(ui, |ui| {
            ui.heading("An empty eframe window");
            for i in 0..40 {
                ui.label(format!("Label number {i}"));
            }
        });
    }
}
