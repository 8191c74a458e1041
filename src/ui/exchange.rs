//! Excel in the window: 导入 shows what would happen (per sheet: to add, to update, unchanged;
//! warnings; errors) before anything is written, and imports only when there is no error; 导出 and
//! 下载导入模板 write workbooks. The work runs on the worker, over its own connection to the file
//! (the window's stays free to draw); a database in memory (tests) is worked on in place.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use egui::{RichText, Ui};

use super::widgets::form::{ERROR, WARNING};
use super::worker::JobResult;
use crate::store::{Db, Source};
use crate::workbook::{self, export, import};

/// An import checked and waiting for the user's go.
pub struct Preview {
    pub file: PathBuf,
    /// What the user said so far: the reading corrected, organisations chosen.
    pub options: import::Options,
    pub report: import::Report,
    /// Where the error list was saved, once it was.
    pub problems_saved: Option<PathBuf>,
}

pub enum Asked {
    Import,
    /// Check again, read as the user now says.
    Recheck(import::Options),
    SaveProblems,
    Close,
}

/// Reads `file` and imports it into `db`, for real or as a dry run (`options.dry_run`).
pub fn import_into(
    db: &mut Db,
    file: &Path,
    options: &import::Options,
    today: NaiveDate,
) -> Result<import::Report, String> {
    let book = workbook::Book::open(file)?;
    Ok(import::import_with(db, book, options, today))
}

/// The worker's job: its own connection to `data`, then [`import_into`].
pub fn import_job(
    data: Source,
    file: PathBuf,
    options: import::Options,
    today: NaiveDate,
) -> JobResult {
    let result = data
        .open()
        .and_then(|mut db| import_into(&mut db, &file, &options, today));
    JobResult::Imported {
        file,
        options,
        result,
    }
}

/// The worker's job for 导出.
pub fn export_job(data: Source, file: PathBuf, today: NaiveDate) -> JobResult {
    let result = data
        .open()
        .and_then(|db| export::export(&db, &file, None, today))
        .map(|_| ());
    JobResult::Exported { file, result }
}

/// The worker's job for 导出当前列表.
pub fn export_list_job(
    data: Source,
    file: PathBuf,
    sheet: &'static str,
    ids: Vec<i64>,
    today: NaiveDate,
) -> JobResult {
    let result = data
        .open()
        .and_then(|db| export::export_list(&db, &file, sheet, &ids, today))
        .map(|_| ());
    JobResult::Exported { file, result }
}

/// The preview dialog; what the user asked for. `orgs` are the ledger's organisations, for a
/// sheet that names none.
pub fn preview_ui(
    ctx: &egui::Context,
    preview: &Preview,
    busy: Option<&str>,
    orgs: &[String],
) -> Option<Asked> {
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
        if let Some(options) = readings_ui(ui, preview, busy.is_none(), orgs) {
            asked = Some(Asked::Recheck(options));
        }
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

/// How each sheet was read, and the user's corrections: the sheet's kind, the organisation of a
/// sheet that names none, the field of each column. A change is checked again at once (and
/// remembered for files with the same headers when the import is written).
fn readings_ui(
    ui: &mut Ui,
    preview: &Preview,
    enabled: bool,
    orgs: &[String],
) -> Option<import::Options> {
    use import::reading::Correction;
    use workbook::SheetKind;
    let readings = &preview.report.readings;
    if readings.is_empty() {
        return None;
    }
    let mut changed: Option<import::Options> = None;
    ui.add_space(4.0);
    ui.strong("各工作表的读法");
    egui::ScrollArea::vertical()
        .id_salt("readings")
        .max_height(240.0)
        .show(ui, |ui| {
            ui.add_enabled_ui(enabled, |ui| {
                for (i, sr) in readings.iter().enumerate() {
                    let r = &sr.reading;
                    egui::CollapsingHeader::new(sr.describe())
                        .id_salt(("reading", i))
                        .default_open(
                            r.kind.is_none()
                                || sr.org.is_none() && r.org_column_missing().is_some(),
                        )
                        .show(ui, |ui| {
                            egui::Grid::new(("reading_grid", i))
                                .num_columns(2)
                                .spacing([12.0, 4.0])
                                .show(ui, |ui| {
                                    let label = ui.label("这张表是");
                                    let mut kind: Option<Option<SheetKind>> = Some(r.kind);
                                    let mut options: Vec<(Option<SheetKind>, String)> =
                                        vec![(None, "不导入".to_string())];
                                    options.extend(
                                        SheetKind::ALL
                                            .iter()
                                            .map(|k| (Some(*k), format!("“{}”表", k.name()))),
                                    );
                                    crate::ui::widgets::form::choice(
                                        ui,
                                        &format!("reading_kind_{i}"),
                                        label.id,
                                        &mut kind,
                                        &options,
                                        None,
                                        160.0,
                                    );
                                    ui.end_row();
                                    if kind != Some(r.kind) {
                                        let mut o = preview.options.clone();
                                        o.corrections.insert(
                                            sr.key.clone(),
                                            Correction {
                                                kind: Some(
                                                    kind.flatten()
                                                        .map_or(String::new(), |k| k.name().into()),
                                                ),
                                                columns: Vec::new(),
                                            },
                                        );
                                        changed = Some(o);
                                    }
                                    if let Some(header) = r.org_column_missing() {
                                        let label =
                                            ui.label(format!("组织（表中没有“{header}”列）"));
                                        let now = sr.org.as_ref().map(|(o, _)| o.clone());
                                        let mut pick = now.clone();
                                        let list: Vec<(String, String)> =
                                            orgs.iter().map(|o| (o.clone(), o.clone())).collect();
                                        egui::ComboBox::from_id_salt(("reading_org", i))
                                            .selected_text(
                                                now.clone().unwrap_or_else(|| "请选择".into()),
                                            )
                                            .width(200.0)
                                            .show_ui(ui, |ui| {
                                                for (value, text) in &list {
                                                    ui.selectable_value(
                                                        &mut pick,
                                                        Some(value.clone()),
                                                        text,
                                                    );
                                                }
                                            })
                                            .response
                                            .labelled_by(label.id);
                                        ui.end_row();
                                        if pick != now
                                            && let Some(o) = pick
                                        {
                                            let mut opts = preview.options.clone();
                                            opts.orgs.insert(r.name.clone(), o);
                                            changed = Some(opts);
                                        }
                                    }
                                    let Some(kind) = r.kind else { return };
                                    let targets: Vec<(&'static str, String)> =
                                        std::iter::once(("", "（不读）".to_string()))
                                            .chain(
                                                kind.sheet()
                                                    .cols
                                                    .iter()
                                                    .map(|c| (c.header, c.header.to_string())),
                                            )
                                            .collect();
                                    for (j, (written, to)) in r.columns.iter().enumerate() {
                                        if written.is_empty() {
                                            continue;
                                        }
                                        let label = ui.label(format!("“{written}”列"));
                                        let mut pick = Some(to.unwrap_or(""));
                                        crate::ui::widgets::form::choice(
                                            ui,
                                            &format!("reading_col_{i}_{j}"),
                                            label.id,
                                            &mut pick,
                                            &targets,
                                            None,
                                            160.0,
                                        );
                                        ui.end_row();
                                        if pick != Some(to.unwrap_or("")) {
                                            let mut c = r.correction();
                                            c.columns[j].1 = pick.unwrap_or("").to_string();
                                            let mut o = preview.options.clone();
                                            o.corrections.insert(sr.key.clone(), c);
                                            changed = Some(o);
                                        }
                                    }
                                });
                            if !r.skipped.is_empty() {
                                ui.label(
                                    RichText::new(format!(
                                        "跳过的行：{}",
                                        r.skipped
                                            .iter()
                                            .map(|(row, why)| format!("第{}行（{why}）", row + 1))
                                            .collect::<Vec<_>>()
                                            .join("；")
                                    ))
                                    .weak(),
                                );
                            }
                        });
                }
            });
        });
    changed.map(|mut o| {
        o.dry_run = true;
        o
    })
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
