//! The window's dialogs: choosing a file (opening, backing up, printing, Excel in and out),
//! restoring a backup, the import preview, 设置, 关于, and "放弃修改？" before leaving.

use std::path::{Path, PathBuf};

use egui::RichText;

use super::DangwuApp;
use crate::store::Db;
use crate::store::settings::UNIT_NAME;
use crate::ui::action;
use crate::ui::worker::JobResult;
use crate::ui::{exchange, new_pages};
use crate::workbook;

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum FilePurpose {
    Open,
    BackupTo,
    /// Where to write the documents waiting in `DangwuApp::print_docs`.
    SavePdf,
    /// Where to write the draft waiting in `DangwuApp::summary_draft`.
    SaveDocx,
    /// A workbook to import (checked first, then previewed).
    ImportFrom,
    ExportTo,
    Template,
    /// The list waiting in `DangwuApp::list_export`.
    ExportList,
}

/// The dialog for choosing a file: a path typed by hand, or chosen with the system's dialog where
/// there is one (on a bare Linux desktop there may be none, and rfd then returns nothing).
pub(super) struct FileDialog {
    pub purpose: FilePurpose,
    pub path: String,
    pub message: Option<String>,
    /// 备份到 a folder that does not exist: the folder, offered to be created.
    pub create_folder: Option<PathBuf>,
}

impl FileDialog {
    pub fn new(purpose: FilePurpose) -> Self {
        Self {
            purpose,
            path: String::new(),
            message: None,
            create_folder: None,
        }
    }

    /// The dialog with a path proposed (a full one: where the file lands does not depend on how
    /// the app was started).
    pub fn at(purpose: FilePurpose, path: PathBuf) -> Self {
        Self {
            purpose,
            path: path.display().to_string(),
            message: None,
            create_folder: None,
        }
    }
}

/// The one dialog the window shows at a time.
pub(super) enum Modal {
    File(FileDialog),
    Restore(crate::ui::restore::RestoreDialog),
    /// An import checked and shown before it is written.
    ImportPreview(exchange::Preview),
    /// 文件 → 设置: the 单位名称 being edited.
    Settings(String),
    About,
    /// A document written that the system could not open: where it is, and 打开所在文件夹.
    /// `bool`: the folder could not be opened either.
    NotOpened(PathBuf, bool),
    /// "放弃修改？" before the window closes or another file opens over unsaved changes.
    Leaving(Leaving),
    /// 文件 → 连接单位服务器….
    Connect(crate::ui::connect::ConnectForm),
}

/// Leaving the open file while a form holds unsaved changes: asked first.
pub(super) enum Leaving {
    /// The window closes (its close button, or 文件 → 退出).
    Close,
    /// Another data file opens in its place.
    Open(PathBuf),
}

impl DangwuApp {
    /// The window's close button with unsaved changes: cancelled, and asked about.
    pub(super) fn intercept_close(&mut self, ctx: &egui::Context) {
        if ctx.input(|i| i.viewport().close_requested())
            && !self.leave_confirmed
            && self.has_unsaved()
        {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.modal = Some(Modal::Leaving(Leaving::Close));
        }
    }

    /// The dialog shown, if any.
    pub(super) fn modal_ui(&mut self, ctx: &egui::Context) {
        match &self.modal {
            Some(Modal::File(_)) => self.file_dialog_ui(ctx),
            Some(Modal::Restore(_)) => self.restore_ui(ctx),
            Some(Modal::ImportPreview(_)) => self.import_preview_ui(ctx),
            Some(Modal::Settings(_)) => self.settings_ui(ctx),
            Some(Modal::About) => self.about_ui(ctx),
            Some(Modal::NotOpened(..)) => self.not_opened_ui(ctx),
            Some(Modal::Leaving(_)) => self.leave_ui(ctx),
            Some(Modal::Connect(_)) => self.connect_ui(ctx),
            None => {}
        }
    }

    /// 连接单位服务器: the connection is made on the worker; the dialog stays, its button
    /// disabled, until it is done, and says at the field what went wrong.
    fn connect_ui(&mut self, ctx: &egui::Context) {
        let busy = self.worker.busy().map(str::to_string);
        let unsaved = self.has_unsaved();
        let Some(Modal::Connect(form)) = &mut self.modal else {
            return;
        };
        match form.show(ctx, busy.as_deref()) {
            Some(crate::ui::connect::ConnectEvent::Close) => self.modal = None,
            Some(crate::ui::connect::ConnectEvent::Connect(address, password)) => {
                if unsaved {
                    form.failed("有尚未保存的表单，请先保存或取消后再连接服务器".into());
                    return;
                }
                self.start_connect(address, password, ctx);
            }
            None => {}
        }
    }

    /// Connects to the server at `address` on the worker (see `JobResult::Connected`).
    pub(super) fn start_connect(
        &mut self,
        address: crate::store::server::Address,
        password: Option<String>,
        ctx: &egui::Context,
    ) {
        let started = self.worker.start("正在连接服务器", ctx, move || {
            let result = Db::connect(&address, password.as_deref()).map_err(|e| e.to_string());
            JobResult::Connected { address, result }
        });
        if let Err(e) = started {
            match &mut self.modal {
                Some(Modal::Connect(form)) => form.failed(e),
                _ => self.toasts.error(e),
            }
        }
    }

    /// "放弃修改？" before the window closes or another file opens over unsaved changes.
    fn leave_ui(&mut self, ctx: &egui::Context) {
        match crate::ui::confirm_discard(ctx, "leave_discard") {
            Some(true) => match self.modal.take() {
                Some(Modal::Leaving(Leaving::Close)) => {
                    self.leave_confirmed = true;
                    ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                }
                Some(Modal::Leaving(Leaving::Open(path))) => {
                    // The tabs start anew on the other file: their drafts go with the answer.
                    self.pages = new_pages();
                    if let Err(e) = self.start_file_job(FilePurpose::Open, path, ctx) {
                        self.toasts.error(e);
                    }
                }
                _ => {}
            },
            Some(false) => self.modal = None,
            None => {}
        }
    }

    fn file_dialog_ui(&mut self, ctx: &egui::Context) {
        let Some(Modal::File(dialog)) = &mut self.modal else {
            return;
        };
        let (title, action) = match dialog.purpose {
            FilePurpose::Open => ("打开数据文件", "打开"),
            FilePurpose::BackupTo => ("备份到", "备份"),
            FilePurpose::SavePdf => ("打印为 PDF", "保存并打开"),
            FilePurpose::SaveDocx => ("生成总结初稿（Word）", "保存并打开"),
            FilePurpose::ImportFrom => ("导入 Excel", "检查并预览"),
            FilePurpose::ExportTo => ("导出 Excel", "导出"),
            FilePurpose::Template => ("下载导入模板", "保存"),
            FilePurpose::ExportList => ("导出当前列表", "导出"),
        };
        let mut close = false;
        let mut go = false;
        let mut make_folder = false;
        let before = dialog.path.clone();
        let busy = self.worker.busy().map(str::to_string);
        let modal = egui::Modal::new(egui::Id::unique("file_dialog")).show(ctx, |ui| {
            ui.set_width(520.0);
            ui.heading(title);
            ui.label(match dialog.purpose {
                FilePurpose::Open => "请选择或输入党务台账数据文件（.sqlite）的完整路径。文件不存在时将新建。",
                FilePurpose::BackupTo => "请选择或输入备份文件的保存位置，如 D:\\备份\\党务台账-2026年11月.sqlite。",
                FilePurpose::SavePdf => "请选择或输入 PDF 文件的保存位置。保存后用系统的 PDF 阅读器打开，即可打印。",
                FilePurpose::SaveDocx => "请选择或输入 Word 文件（.docx）的保存位置。初稿按公文格式排好，数字取自年度统计；“存在的不足”“下一步工作打算”请在 Word 或 WPS 中补写。",
                FilePurpose::ImportFrom => "请选择 Excel / WPS 工作簿（.xlsx、.xls、.ods）。先检查并显示将导入的内容，确认后才写入。",
                FilePurpose::ExportTo => "请选择或输入导出文件（.xlsx）的保存位置。全部台账导出为一个工作簿。",
                FilePurpose::Template => "请选择或输入模板文件（.xlsx）的保存位置。表头有填写说明，每张表有一行示例（导入时跳过）。",
                FilePurpose::ExportList => "请选择或输入导出文件（.xlsx）的保存位置。导出的是当前列表中的记录。",
            });
            ui.horizontal(|ui| {
                let label = ui.label("文件路径");
                ui.add(egui::TextEdit::singleline(&mut dialog.path).desired_width(330.0)).labelled_by(label.id);
                if ui.button("浏览…").clicked() {
                    let picked = match dialog.purpose {
                        FilePurpose::Open => rfd::FileDialog::new().add_filter("党务台账数据", &["sqlite", "db"]).pick_file(),
                        FilePurpose::BackupTo => rfd::FileDialog::new().add_filter("党务台账数据", &["sqlite", "db"]).set_file_name("党务台账备份.sqlite").save_file(),
                        FilePurpose::SaveDocx => rfd::FileDialog::new().add_filter("Word 文档", &["docx"]).set_file_name(Path::new(&dialog.path).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()).save_file(),
                        FilePurpose::SavePdf => rfd::FileDialog::new().add_filter("PDF", &["pdf"]).set_file_name(Path::new(&dialog.path).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()).save_file(),
                        FilePurpose::ImportFrom => rfd::FileDialog::new().add_filter("Excel / WPS 工作簿", &["xlsx", "xls", "ods", "et"]).pick_file(),
                        FilePurpose::ExportTo | FilePurpose::Template | FilePurpose::ExportList => rfd::FileDialog::new().add_filter("Excel 工作簿", &["xlsx"]).set_file_name(Path::new(&dialog.path).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()).save_file(),
                    };
                    match picked {
                        Some(p) => {
                            dialog.path = p.display().to_string();
                            dialog.message = None;
                        }
                        None => {
                            dialog.message = Some(
                                "未选择文件。如果没有弹出系统的选择窗口，请直接在上面输入文件的完整路径。".into(),
                            )
                        }
                    }
                }
            });
            if let Some(m) = &dialog.message {
                ui.label(RichText::new(m).color(crate::ui::widgets::form::WARNING));
            }
            ui.horizontal(|ui| {
                if dialog.create_folder.is_some() {
                    if ui.add_enabled(busy.is_none(), egui::Button::new("新建文件夹并备份")).clicked() {
                        make_folder = true;
                    }
                } else if ui.add_enabled(busy.is_none(), egui::Button::new(action)).clicked() {
                    go = true;
                }
                if ui.button("取消").clicked() {
                    close = true;
                }
                if let Some(busy) = &busy {
                    ui.spinner();
                    ui.label(format!("{busy}…"));
                }
            });
        });
        if modal.should_close() {
            close = true;
        }
        if dialog.path != before {
            // Another path: the offer was for the folder of the old one.
            dialog.create_folder = None;
        }
        if make_folder && let Some(folder) = dialog.create_folder.take() {
            match crate::store::private::create_dir_all(&folder) {
                Ok(()) => go = true,
                Err(e) => {
                    dialog.message = Some(format!(
                        "无法新建文件夹“{}”：{}",
                        folder.display(),
                        crate::paths::io_message(&e)
                    ))
                }
            }
        }
        if go {
            let typed = dialog.path.trim().to_string();
            let missing = (dialog.purpose == FilePurpose::BackupTo)
                .then(|| crate::store::backup::missing_folder(Path::new(&typed)))
                .flatten();
            if typed.is_empty() {
                dialog.message = Some("请填写文件路径".into());
            } else if let Some(folder) = missing {
                // A backup never makes folders unasked (a mistyped drive letter); here it asks.
                dialog.message = Some(format!(
                    "文件夹“{}”不存在。如果是U盘，请先插好；如要新建这个文件夹并备份到其中，请点“新建文件夹并备份”。",
                    folder.display()
                ));
                dialog.create_folder = Some(folder);
            } else {
                let purpose = dialog.purpose;
                match self.start_file_job(purpose, PathBuf::from(typed), ctx) {
                    Ok(()) => {}
                    Err(message) => {
                        if let Some(Modal::File(dialog)) = &mut self.modal {
                            dialog.message = Some(message);
                        }
                    }
                }
            }
        }
        if close {
            self.modal = None;
        }
    }

    /// 恢复备份…: the dialog chooses; the restore runs on the worker, on its own connection to the
    /// live file, and every tab reads the restored data afterwards.
    fn restore_ui(&mut self, ctx: &egui::Context) {
        let busy = self.worker.busy().map(str::to_string);
        let unsaved = self.has_unsaved();
        let Some(Modal::Restore(dialog)) = &mut self.modal else {
            return;
        };
        match dialog.show(ctx, busy.as_deref()) {
            Some(crate::ui::restore::RestoreEvent::Close) => self.modal = None,
            Some(crate::ui::restore::RestoreEvent::Restore(from)) => {
                if unsaved {
                    dialog.failed("有尚未保存的表单，请先保存或取消后再恢复备份".into());
                    return;
                }
                let Some(live) = self
                    .db
                    .as_ref()
                    .ok()
                    .and_then(|db| db.path())
                    .map(Path::to_path_buf)
                else {
                    return;
                };
                let started = self.worker.start("正在恢复备份", ctx, move || {
                    let result = Db::open(&live)
                        .map_err(|e| e.to_string())
                        .and_then(|mut db| db.restore_from(&from).map_err(|e| e.to_string()));
                    JobResult::Restored { from, result }
                });
                if let Err(e) = started {
                    dialog.failed(e);
                }
            }
            None => {}
        }
    }

    fn import_preview_ui(&mut self, ctx: &egui::Context) {
        let Some(Modal::ImportPreview(preview)) = &self.modal else {
            return;
        };
        let orgs: Vec<String> = self.orgs.list.iter().map(|o| o.name.clone()).collect();
        match exchange::preview_ui(ctx, preview, self.worker.busy(), &orgs) {
            Some(exchange::Asked::Import) => {
                let file = preview.file.clone();
                let options = workbook::import::Options {
                    dry_run: false,
                    ..preview.options.clone()
                };
                if let Err(e) = self.start_import(file, options, ctx) {
                    self.toasts.error(e);
                }
            }
            Some(exchange::Asked::Recheck(options)) => {
                let file = preview.file.clone();
                if let Err(e) = self.start_import(file, options, ctx) {
                    self.toasts.error(e);
                }
            }
            Some(exchange::Asked::SaveProblems) => {
                let path = workbook::import::problems_path(&preview.file);
                match workbook::import::write_problems(&path, &preview.report.errors) {
                    Ok(()) => {
                        if let Some(Modal::ImportPreview(p)) = &mut self.modal {
                            p.problems_saved = Some(path);
                        }
                    }
                    Err(e) => self.toasts.error(e),
                }
            }
            Some(exchange::Asked::Close) => self.modal = None,
            None => {}
        }
    }

    /// 文件 → 设置: the 单位名称. Saved by the app, like every write; a print that waited for it
    /// goes on.
    fn settings_ui(&mut self, ctx: &egui::Context) {
        let Some(Modal::Settings(unit)) = &mut self.modal else {
            return;
        };
        let (mut save, mut close) = (false, false);
        let modal = egui::Modal::new(egui::Id::unique("settings")).show(ctx, |ui| {
            ui.set_width(460.0);
            ui.heading("设置");
            ui.horizontal(|ui| {
                let label = ui.label("单位名称");
                ui.add(
                    egui::TextEdit::singleline(unit)
                        .desired_width(260.0)
                        .hint_text("如 XX市民政局"),
                )
                .labelled_by(label.id);
            });
            ui.label(
                RichText::new("印在打印件的标题中，如“XX市民政局2022年度党建工作统计”。").weak(),
            );
            ui.horizontal(|ui| {
                if ui.button(RichText::new("保存").strong()).clicked() {
                    save = true;
                }
                if ui.button("取消").clicked() {
                    close = true;
                }
            });
        });
        let value = unit.trim().to_string();
        if save {
            let write = action::Write::Setting {
                key: UNIT_NAME,
                value,
            };
            match self.write(write).map(|d| d.result) {
                Some(Ok(_)) => {
                    self.toasts.success("已保存设置");
                    self.modal = None;
                    if let Some(request) = self.pending_print.take() {
                        self.print(request, ctx);
                    }
                }
                Some(Err(e)) => self.toasts.error(format!("保存设置失败：{e}")),
                None => {}
            }
        } else if close || modal.should_close() {
            self.modal = None;
            self.pending_print = None;
        }
    }

    fn not_opened_ui(&mut self, ctx: &egui::Context) {
        let Some(Modal::NotOpened(file, folder_failed)) = &self.modal else {
            return;
        };
        let folder = file.parent().map(Path::to_path_buf).unwrap_or_default();
        let mut failed = *folder_failed;
        let modal = egui::Modal::new(egui::Id::unique("not_opened")).show(ctx, |ui| {
            ui.set_max_width(560.0);
            ui.heading("文件已生成");
            ui.label(format!(
                "“{}”已保存，但本机没有能自动打开它的程序。",
                file.file_name().unwrap_or_default().to_string_lossy()
            ));
            ui.label("保存位置：");
            ui.add(
                egui::Label::new(RichText::new(folder.display().to_string()).strong())
                    .selectable(true),
            );
            if failed {
                ui.label(
                    RichText::new("也无法打开该文件夹：请在文件管理器中按上面的位置找到它。")
                        .color(crate::ui::widgets::form::WARNING),
                );
            }
            ui.horizontal(|ui| {
                if ui.button("打开所在文件夹").clicked() && open::that(&folder).is_err() {
                    failed = true;
                }
                if ui.button("关闭").clicked() {
                    ui.close();
                }
            });
        });
        if modal.should_close() {
            self.modal = None;
        } else if let Some(Modal::NotOpened(_, f)) = &mut self.modal {
            *f = failed;
        }
    }

    fn about_ui(&mut self, ctx: &egui::Context) {
        let modal = egui::Modal::new(egui::Id::unique("about")).show(ctx, |ui| {
            ui.heading("党务台账");
            ui.label(format!("版本 {}", env!("CARGO_PKG_VERSION")));
            ui.label("市民政局党组及所属党支部的党务记录与年度统计。");
            if let Some(Ok(v)) = self.db.as_ref().ok().map(|db| db.schema_version()) {
                ui.label(format!("数据版本：{v}"));
            }
            if !self.font_source.is_empty() {
                ui.label(format!("中文字体：{}", self.font_source));
            }
            if ui.button("关闭").clicked() {
                ui.close();
            }
        });
        if modal.should_close() {
            self.modal = None;
        }
    }
}
