//! Excel in the window: 导入 shows what would happen (per sheet: to add, to update, unchanged;
//! warnings; errors) before anything is written, and imports only when there is no error; 导出 and
//! 下载导入模板 write workbooks. The work runs on the worker, over its own connection to the file
//! (the window's stays free to draw); a database in memory (tests) is worked on in place.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use egui::{RichText, Ui};

use super::widgets::form::{ERROR, WARNING};
use super::worker::JobResult;
use crate::store::Db;
use crate::workbook::{self, export, import};

/// An import checked and waiting for the user's go.
pub struct Preview {
    pub file: PathBuf,
    pub report: import::Report,
    /// Where the error list was saved, once it was.
    pub problems_saved: Option<PathBuf>,
}

pub enum Asked {
    Import,
    SaveProblems,
    Close,
}

/// Reads `file` and imports it into `db`, for real or as a dry run.
pub fn import_into(
    db: &mut Db,
    file: &Path,
    dry_run: bool,
    today: NaiveDate,
) -> Result<import::Report, String> {
    let book = workbook::Book::open(file)?;
    Ok(import::import(db, book, dry_run, today))
}

/// The worker's job: its own connection to `data`, then [`import_into`].
pub fn import_job(data: PathBuf, file: PathBuf, dry_run: bool, today: NaiveDate) -> JobResult {
    let result = Db::open(&data)
        .map_err(|e| e.to_string())
        .and_then(|mut db| import_into(&mut db, &file, dry_run, today));
    JobResult::Imported {
        file,
        dry_run,
        result,
    }
}

/// The worker's job for 导出.
pub fn export_job(data: PathBuf, file: PathBuf, today: NaiveDate) -> JobResult {
    let result = Db::open(&data)
        .map_err(|e| e.to_string())
        .and_then(|db| export::export(&db, &file, None, today))
        .map(|_| ());
    JobResult::Exported { file, result }
}

/// The worker's job for 导出当前列表.
pub fn export_list_job(
    data: PathBuf,
    file: PathBuf,
    sheet: &'static str,
    ids: Vec<i64>,
    today: NaiveDate,
) -> JobResult {
    let result = Db::open(&data)
        .map_err(|e| e.to_string())
        .and_then(|db| export::export_list(&db, &file, sheet, &ids, today))
        .map(|_| ());
    JobResult::Exported { file, result }
}

/// The preview dialog; what the user asked for.
pub fn preview_ui(ctx: &egui::Context, preview: &Preview, busy: Option<&str>) -> Option<Asked> {
    let mut asked = None;
    let r = &preview.report;
    let modal = egui::Modal::new(egui::Id::unique("import_preview")).show(ctx, |ui| {
        ui.set_width(640.0);
        ui.heading("导入预览");
        ui.label(format!("{}", preview.file.display()));
        ui.label(
            RichText::new(
                "以下为将要写入的内容，点“导入”才会写入；有错误时不能导入，也不会写入任何内容。",
            )
            .weak(),
        );
        ui.add_space(4.0);
        egui::Grid::new("import_counts")
            .striped(true)
            .num_columns(4)
            .spacing([24.0, 4.0])
            .show(ui, |ui| {
                for h in ["工作表", "新增", "更新", "未变"] {
                    ui.strong(h);
                }
                ui.end_row();
                for s in r.sheets.iter().filter(|s| s.present) {
                    ui.label(s.sheet);
                    ui.label(s.added.to_string());
                    ui.label(s.updated.to_string());
                    ui.label(s.unchanged.to_string());
                    ui.end_row();
                }
            });
        if let Some(failure) = &r.failure {
            ui.label(RichText::new(failure).color(ERROR).strong());
        }
        list(ui, "错误", &r.errors, ERROR);
        list(ui, "提示", &r.warnings, WARNING);
        if let Some(saved) = &preview.problems_saved {
            ui.label(format!("错误清单已保存到 {}", saved.display()));
        }
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            let can = r.is_clean() && busy.is_none();
            if ui
                .add_enabled(can, egui::Button::new(RichText::new("导入").strong()))
                .on_disabled_hover_text("有错误时不能导入：请在 Excel 中改正后重新选择文件")
                .clicked()
            {
                asked = Some(Asked::Import);
            }
            if !r.errors.is_empty() && ui.button("保存错误清单…").clicked() {
                asked = Some(Asked::SaveProblems);
            }
            if ui.button("取消").clicked() {
                asked = Some(Asked::Close);
            }
            if let Some(busy) = busy {
                ui.spinner();
                ui.label(format!("{busy}…"));
            }
        });
    });
    if asked.is_none() && modal.should_close() && busy.is_none() {
        asked = Some(Asked::Close);
    }
    asked
}

fn list(ui: &mut Ui, title: &str, problems: &[import::Problem], color: egui::Color32) {
    if problems.is_empty() {
        return;
    }
    ui.add_space(4.0);
    ui.label(
        RichText::new(format!("{title}（{}处）", problems.len()))
            .color(color)
            .strong(),
    );
    egui::ScrollArea::vertical()
        .id_salt(title)
        .max_height(160.0)
        .show(ui, |ui| {
            for p in problems.iter().take(500) {
                ui.label(RichText::new(p.to_string()).color(color));
            }
            if problems.len() > 500 {
                ui.label(format!(
                    "……另有 {} 处，请保存错误清单查看",
                    problems.len() - 500
                ));
            }
        });
}
