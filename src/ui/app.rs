//! The window: menu, tab bar, status bar, and the open data file. Tabs read; the app writes what they
//! return, after the frame, and long file work runs on the worker.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver};

use chrono::NaiveDate;
use egui::{RichText, Ui};
use serde::{Deserialize, Serialize};

use super::action::{self, Action, PrintRequest};
use super::widgets::toasts::Toasts;
use super::worker::{JobResult, Worker};
use super::{AppCtx, OrgCatalog, Page, Tab, exchange, fonts, new_pages};
use crate::print::documents::from_store;
use crate::print::{self, PrintFonts};
use crate::store::lock::{self, Access, WriterLock};
use crate::store::settings::UNIT_NAME;
use crate::store::{Db, StoreError, backup};
use crate::workbook;

/// UI preferences kept by eframe between runs. Business data never goes here.
#[derive(Serialize, Deserialize, Default)]
#[serde(default)]
struct Prefs {
    tab: Tab,
}

const PREFS_KEY: &str = "dangwu_prefs";

#[derive(Clone, Copy, PartialEq, Eq)]
enum FilePurpose {
    Open,
    BackupTo,
    /// Where to write the documents waiting in `DangwuApp::print_docs`.
    SavePdf,
    /// A workbook to import (checked first, then previewed).
    ImportFrom,
    ExportTo,
    Template,
    /// The list waiting in `DangwuApp::list_export`.
    ExportList,
}

/// The dialog for choosing a file: a path typed by hand, or chosen with the system's dialog where
/// there is one (on a bare Linux desktop there may be none, and rfd then returns nothing).
struct FileDialog {
    purpose: FilePurpose,
    path: String,
    message: Option<String>,
}

impl FileDialog {
    fn new(purpose: FilePurpose) -> Self {
        Self {
            purpose,
            path: String::new(),
            message: None,
        }
    }
}

/// Leaving the open file while a form holds unsaved changes: asked first.
enum Leaving {
    /// The window closes (its close button, or 文件 → 退出).
    Close,
    /// Another data file opens in its place.
    Open(PathBuf),
}

pub struct DangwuApp {
    /// The open file, or why the file could not be opened.
    db: Result<Db, String>,
    /// The file we tried to open (shown in the title and the error page).
    path: Option<PathBuf>,
    orgs: OrgCatalog,
    orgs_loaded: Option<u64>,
    today: NaiveDate,
    prefs: Prefs,
    /// One page per tab, in the order of `Tab::ALL`.
    pages: Vec<Box<dyn Page>>,
    toasts: Toasts,
    file_dialog: Option<FileDialog>,
    restore_dialog: Option<super::restore::RestoreDialog>,
    /// The reminder to copy the data away from this PC, read once per generation of the data.
    backup_to_reminder: Option<(u64, Option<String>)>,
    worker: Worker,
    /// Documents to print, waiting for the user to say where (with the name the first suggests).
    print_docs: Option<Vec<(print::Doc, String)>>,
    /// A print waiting for the 单位名称 to be given.
    pending_print: Option<PrintRequest>,
    /// 文件 → 设置: the 单位名称 being edited.
    settings: Option<String>,
    /// Tests print here without a dialog and without opening a viewer.
    print_dir: Option<PathBuf>,
    /// Where the user asked to go while a form has unsaved changes, waiting for "放弃修改？".
    leaving: Option<Leaving>,
    /// The user agreed to throw the changes away: the next close request is let through.
    leave_confirmed: bool,
    /// This window's lock on the open file: one writer per file.
    lock: Option<WriterLock>,
    /// Another window holds the file: asked whether to open it read-only (`true` while asking).
    held_elsewhere: bool,
    /// Why this window cannot save (shown as a banner), when it cannot.
    read_only: Option<String>,
    /// A frame panicked: the report written, shown instead of the tabs.
    crashed: Option<String>,
    /// The file named on the command line does not exist: asked whether to create it.
    missing: bool,
    backup: Option<Receiver<String>>,
    backup_status: String,
    font_source: String,
    about_open: bool,
    title_sent: String,
    /// An import checked and shown before it is written.
    import_preview: Option<exchange::Preview>,
    /// 导出当前列表: the sheet and the records, waiting for a file name.
    list_export: Option<(&'static str, Vec<i64>)>,
}

impl DangwuApp {
    /// `db` is the result of opening `path`; `today` is the date that bounds every date field.
    pub fn new(db: Result<Db, String>, path: Option<PathBuf>, today: NaiveDate) -> Self {
        Self {
            db,
            path,
            orgs: OrgCatalog::default(),
            orgs_loaded: None,
            today,
            prefs: Prefs::default(),
            pages: new_pages(),
            toasts: Toasts::default(),
            file_dialog: None,
            restore_dialog: None,
            backup_to_reminder: None,
            worker: Worker::default(),
            print_docs: None,
            pending_print: None,
            settings: None,
            print_dir: None,
            leaving: None,
            leave_confirmed: false,
            lock: None,
            held_elsewhere: false,
            read_only: None,
            crashed: None,
            missing: false,
            backup: None,
            backup_status: String::new(),
            font_source: String::new(),
            about_open: false,
            title_sent: String::new(),
            import_preview: None,
            list_export: None,
        }
    }

    pub fn db(&self) -> Option<&Db> {
        self.db.as_ref().ok()
    }

    pub fn db_mut(&mut self) -> Option<&mut Db> {
        self.db.as_mut().ok()
    }

    /// Opens a tab, as clicking it would.
    pub fn set_tab(&mut self, tab: Tab) {
        self.prefs.tab = tab;
    }

    pub fn toasts(&self) -> &Toasts {
        &self.toasts
    }

    /// Opens the data file at `path` as the window does: takes the writer's lock first; when
    /// another window holds it, the window asks whether to open the file read-only.
    pub fn open_path(path: PathBuf, today: NaiveDate) -> Self {
        // The folder of a new file (the default one on first start) is made first, so that the
        // lock beside the file can be.
        if let Some(parent) = path.parent()
            && !parent.as_os_str().is_empty()
        {
            let _ = crate::store::private::create_dir_all(parent);
        }
        let (db, access) = lock::open_for_window(&path);
        let mut app = DangwuApp::new(db.map_err(|e| e.to_string()), Some(path), today);
        match access {
            Access::Writer(l) => app.lock = Some(l),
            Access::HeldElsewhere => app.held_elsewhere = true,
            Access::ReadOnly(why) => app.read_only = Some(why),
        }
        app
    }

    /// The window for a named file that does not exist: it asks before creating one.
    pub fn missing(path: PathBuf, today: NaiveDate) -> Self {
        let mut app = DangwuApp::new(Err(String::new()), Some(path), today);
        app.missing = true;
        app
    }

    /// Why this window cannot save, if it cannot.
    pub fn read_only(&self) -> Option<&str> {
        self.read_only.as_deref()
    }

    /// Whether a form in any tab holds changes not yet saved.
    pub fn has_unsaved(&self) -> bool {
        self.pages.iter().any(|p| p.has_unsaved())
    }

    /// The window's close button with unsaved changes: cancelled, and asked about.
    fn intercept_close(&mut self, ctx: &egui::Context) {
        if ctx.input(|i| i.viewport().close_requested())
            && !self.leave_confirmed
            && self.has_unsaved()
        {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.leaving = Some(Leaving::Close);
        }
    }

    /// "放弃修改？" before the window closes or another file opens over unsaved changes.
    fn leave_ui(&mut self, ctx: &egui::Context) {
        if self.leaving.is_none() {
            return;
        }
        match super::confirm_discard(ctx, "leave_discard") {
            Some(true) => match self.leaving.take() {
                Some(Leaving::Close) => {
                    self.leave_confirmed = true;
                    ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                }
                Some(Leaving::Open(path)) => {
                    // The tabs start anew on the other file: their drafts go with the answer.
                    self.pages = new_pages();
                    if let Err(e) = self.start_file_job(FilePurpose::Open, path, ctx) {
                        self.toasts.error(e);
                    }
                }
                None => {}
            },
            Some(false) => self.leaving = None,
            None => {}
        }
    }

    /// Prints into `dir` without asking where and without opening a viewer (tests).
    pub fn print_into(&mut self, dir: PathBuf) {
        self.print_dir = Some(dir);
    }

    /// What the worker is doing, as the status bar says it.
    pub fn busy(&self) -> Option<&str> {
        self.worker.busy()
    }

    /// Waits for the worker's job and takes its result in (tests: a harness has no event loop to
    /// wake it).
    pub fn finish_work(&mut self, egui_ctx: &egui::Context) {
        if let Some(result) = self.worker.wait() {
            self.job_done(result, egui_ctx);
        }
    }

    /// Starts today's backup of the open file on a thread; the window does not wait for it.
    fn start_daily_backup(&mut self, egui_ctx: &egui::Context) {
        let Some(path) = self
            .db
            .as_ref()
            .ok()
            .and_then(|db| db.path())
            .map(Path::to_path_buf)
        else {
            return;
        };
        let (tx, rx) = mpsc::channel();
        let today = self.today;
        let repaint = egui_ctx.clone();
        std::thread::spawn(move || {
            let status = match backup::daily(&path, today) {
                Ok(Some(file)) => format!("今日已自动备份：{}", file.display()),
                Ok(None) => "今日备份已存在".to_string(),
                Err(e) => format!("自动备份失败：{e}"),
            };
            let _ = tx.send(status);
            repaint.request_repaint();
        });
        self.backup = Some(rx);
    }

    /// The whole window inside `ui`. Separate from `eframe::App::ui` so tests can drive it.
    pub fn show(&mut self, ui: &mut Ui) {
        self.intercept_close(ui.ctx());
        self.poll_backup();
        if let Some(result) = self.worker.poll() {
            self.job_done(result, ui.ctx());
        }
        self.update_title(ui.ctx());
        egui::Panel::top("menu").show(ui, |ui| {
            self.menu_and_tabs(ui);
            if let Some(why) = &self.read_only {
                ui.label(
                    RichText::new(format!("只读：{why}"))
                        .color(super::widgets::form::WARNING)
                        .strong(),
                );
            }
        });
        egui::Panel::bottom("status").show(ui, |ui| self.status_bar(ui));
        let index = Tab::ALL
            .iter()
            .position(|t| *t == self.prefs.tab)
            .unwrap_or(0);
        let mut asked = None;
        egui::CentralPanel::default().show(ui, |ui| match &self.db {
            _ if self.missing => self.missing_page(ui),
            Ok(_) if self.held_elsewhere => self.held_elsewhere_page(ui),
            Err(message) => {
                let message = message.clone();
                self.error_page(ui, &message);
            }
            Ok(db) => {
                if self.orgs_loaded != Some(db.generation()) {
                    match db.orgs(self.today) {
                        Ok(orgs) => self.orgs = OrgCatalog::new(orgs),
                        Err(e) => self.toasts.error(format!("读取组织失败：{e}")),
                    }
                    self.orgs_loaded = Some(db.generation());
                }
                let mut ctx = AppCtx {
                    db,
                    orgs: &self.orgs,
                    toasts: &mut self.toasts,
                    today: self.today,
                };
                asked = self.pages[index].ui(ui, &mut ctx);
            }
        });
        if let Some(action) = asked {
            self.apply(index, action, ui.ctx());
            // The tab shows the outcome (and the reloaded rows) in the next frame.
            ui.ctx().request_repaint();
        }
        self.file_dialog_ui(ui.ctx());
        self.restore_ui(ui.ctx());
        self.import_preview_ui(ui.ctx());
        self.leave_ui(ui.ctx());
        self.settings_ui(ui.ctx());
        self.about_ui(ui.ctx());
        self.toasts.show(ui.ctx());
    }

    /// Applies what page `index` asked for, after the frame, and hands it the outcome.
    fn apply(&mut self, index: usize, action: Action, egui_ctx: &egui::Context) {
        match action {
            Action::Write(write) => {
                let Some(done) = self.write(write) else {
                    return;
                };
                let Ok(db) = &self.db else { return };
                let mut ctx = AppCtx {
                    db,
                    orgs: &self.orgs,
                    toasts: &mut self.toasts,
                    today: self.today,
                };
                self.pages[index].done(done, &mut ctx);
            }
            Action::Print(request) => self.print(request, egui_ctx),
            Action::ExportList { sheet, ids, name } => {
                self.list_export = Some((sheet, ids));
                self.file_dialog = Some(FileDialog {
                    purpose: FilePurpose::ExportList,
                    path: documents()
                        .join(format!("{name}-{}.xlsx", self.today))
                        .display()
                        .to_string(),
                    message: None,
                });
            }
            Action::Goto(tab, target) => {
                if let Some(i) = Tab::ALL.iter().position(|t| *t == tab) {
                    self.prefs.tab = tab;
                    self.pages[i].goto(&target);
                }
            }
        }
    }

    /// Every write of the window, from a tab or the app's own dialogs: refused while the window is
    /// read-only (like any refusal, so the form keeps what was typed), else applied, with the
    /// organisations re-read at once so the tab sees a saved organisation. `None` without a file.
    fn write(&mut self, write: action::Write) -> Option<action::Done> {
        let Ok(db) = &mut self.db else { return None };
        if let Some(why) = &self.read_only {
            return Some(action::Done {
                write,
                result: Err(StoreError::refused(format!("不能保存：{why}"))),
            });
        }
        let done = action::apply(db, write);
        if self.orgs_loaded != Some(db.generation())
            && let Ok(orgs) = db.orgs(self.today)
        {
            self.orgs = OrgCatalog::new(orgs);
            self.orgs_loaded = Some(db.generation());
        }
        Some(done)
    }

    fn poll_backup(&mut self) {
        if let Some(rx) = &self.backup
            && let Ok(status) = rx.try_recv()
        {
            if status.starts_with("自动备份失败") {
                self.toasts.error(status.clone());
            }
            self.backup_status = status;
            self.backup = None;
        }
    }

    fn update_title(&mut self, ctx: &egui::Context) {
        let title = match &self.path {
            Some(p) => format!("党务台账 — {}", p.display()),
            None => "党务台账".to_string(),
        };
        if title != self.title_sent {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title_sent = title;
        }
    }

    fn menu_and_tabs(&mut self, ui: &mut Ui) {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("文件", |ui| {
                if ui.button("打开数据文件…").clicked() {
                    self.file_dialog = Some(FileDialog::new(FilePurpose::Open));
                }
                if ui
                    .add_enabled(self.db.is_ok(), egui::Button::new("备份到…"))
                    .clicked()
                {
                    self.file_dialog = Some(FileDialog::new(FilePurpose::BackupTo));
                }
                let restorable = self.db.as_ref().is_ok_and(|db| db.path().is_some())
                    && self.read_only.is_none();
                if ui
                    .add_enabled(restorable, egui::Button::new("恢复备份…"))
                    .on_disabled_hover_text("此窗口只读，不能恢复备份")
                    .clicked()
                {
                    let found = self.path.as_deref().map(backup::list).unwrap_or_default();
                    self.restore_dialog = Some(super::restore::RestoreDialog::new(found));
                }
                ui.separator();
                let writable = self.db.is_ok() && self.read_only.is_none();
                if ui
                    .add_enabled(writable, egui::Button::new("导入 Excel…"))
                    .on_disabled_hover_text("此窗口只读，不能导入")
                    .clicked()
                {
                    self.file_dialog = Some(FileDialog::new(FilePurpose::ImportFrom));
                }
                if ui
                    .add_enabled(self.db.is_ok(), egui::Button::new("导出 Excel…"))
                    .clicked()
                {
                    self.file_dialog = Some(FileDialog {
                        purpose: FilePurpose::ExportTo,
                        path: documents()
                            .join(format!("党务台账-{}.xlsx", self.today))
                            .display()
                            .to_string(),
                        message: None,
                    });
                }
                if ui.button("下载导入模板…").clicked() {
                    self.file_dialog = Some(FileDialog {
                        purpose: FilePurpose::Template,
                        path: documents()
                            .join("党务台账导入模板.xlsx")
                            .display()
                            .to_string(),
                        message: None,
                    });
                }
                ui.separator();
                if ui
                    .add_enabled(self.db.is_ok(), egui::Button::new("设置…"))
                    .clicked()
                {
                    self.settings = self
                        .db
                        .as_ref()
                        .ok()
                        .and_then(|db| db.setting(UNIT_NAME).ok().flatten())
                        .or(Some(String::new()));
                }
                ui.separator();
                if ui.button("退出").clicked() {
                    if self.has_unsaved() {
                        self.leaving = Some(Leaving::Close);
                    } else {
                        ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
                    }
                }
            });
            ui.menu_button("视图", |ui| {
                let zoom = ui.ctx().zoom_factor();
                if ui.button("放大（Ctrl +）").clicked() {
                    ui.ctx().set_zoom_factor((zoom + 0.1).min(3.0));
                }
                if ui.button("缩小（Ctrl -）").clicked() {
                    ui.ctx().set_zoom_factor((zoom - 0.1).max(0.5));
                }
                if ui.button("原始大小（Ctrl 0）").clicked() {
                    ui.ctx().set_zoom_factor(1.0);
                }
            });
            ui.menu_button("帮助", |ui| {
                if ui.button("关于党务台账").clicked() {
                    self.about_open = true;
                }
            });
        });
        if self.db.is_ok() {
            ui.horizontal(|ui| {
                for &tab in Tab::ALL {
                    let text = RichText::new(tab.label()).size(18.0);
                    ui.selectable_value(&mut self.prefs.tab, tab, text);
                }
            });
            ui.add_space(2.0);
        }
    }

    fn status_bar(&mut self, ui: &mut Ui) {
        ui.horizontal(|ui| {
            let file = self
                .path
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_else(|| "（内存数据库）".into());
            ui.label(RichText::new(format!("数据文件：{file}")).small());
            if let Some(busy) = self.worker.busy() {
                ui.separator();
                ui.spinner();
                ui.label(RichText::new(format!("{busy}…")).small().strong());
            }
            if !self.backup_status.is_empty() {
                ui.separator();
                ui.label(RichText::new(&self.backup_status).small());
            }
            if let Some(reminder) = self.backup_to_reminder() {
                ui.separator();
                ui.label(
                    RichText::new(reminder)
                        .small()
                        .color(super::widgets::form::WARNING),
                );
            }
        });
    }

    /// "已有 45 天未备份到其他位置…" when the last 备份到… is more than 30 days old (or there has
    /// been none and the ledger holds records): the daily backups sit on the same disk.
    fn backup_to_reminder(&mut self) -> Option<String> {
        let db = self.db.as_ref().ok()?;
        db.path()?;
        let generation = db.generation();
        if self.backup_to_reminder.as_ref().map(|(g, _)| *g) != Some(generation) {
            use crate::store::settings::{BACKUP_TO_REMINDER_DAYS, LAST_BACKUP_TO};
            let last = db
                .setting(LAST_BACKUP_TO)
                .ok()
                .flatten()
                .and_then(|d| crate::model::date::parse_date(&d).ok());
            let text = match last {
                Some(day) if (self.today - day).num_days() > BACKUP_TO_REMINDER_DAYS => {
                    Some(format!(
                        "已有 {} 天未备份到其他位置，建议用“文件 → 备份到…”复制到 U 盘",
                        (self.today - day).num_days()
                    ))
                }
                Some(_) => None,
                None if db.history_count().unwrap_or(0) > 0 => {
                    Some("尚未备份到其他位置，建议用“文件 → 备份到…”复制到 U 盘".into())
                }
                None => None,
            };
            self.backup_to_reminder = Some((generation, text));
        }
        self.backup_to_reminder
            .as_ref()
            .and_then(|(_, t)| t.clone())
    }

    /// A named file that does not exist: create it, choose another, or quit.
    fn missing_page(&mut self, ui: &mut Ui) {
        let path = self.path.clone().unwrap_or_default();
        ui.add_space(40.0);
        ui.vertical_centered(|ui| {
            ui.heading("找不到数据文件");
            ui.add_space(10.0);
            ui.label(format!("“{}”不存在。", path.display()));
            ui.label("如果路径输错了，请选择其他数据文件；如果要开始一个新的台账，请新建。");
            ui.add_space(10.0);
            if ui
                .button(RichText::new("在此新建数据文件").strong())
                .clicked()
            {
                let today = self.today;
                let opened = DangwuApp::open_path(path.clone(), today);
                self.db = opened.db;
                self.lock = opened.lock;
                self.held_elsewhere = opened.held_elsewhere;
                self.read_only = opened.read_only;
                self.missing = false;
                self.orgs_loaded = None;
                if self.lock.is_some() {
                    self.start_daily_backup(ui.ctx());
                }
            }
            if ui.button("打开其他数据文件…").clicked() {
                self.missing = false;
                self.db = Err(format!("找不到数据文件“{}”", path.display()));
                self.file_dialog = Some(FileDialog::new(FilePurpose::Open));
            }
            if ui.button("退出").clicked() {
                ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
            }
        });
    }

    /// A second window on a file another window holds: read-only, or quit.
    fn held_elsewhere_page(&mut self, ui: &mut Ui) {
        ui.add_space(40.0);
        ui.vertical_centered(|ui| {
            ui.heading("该数据文件已在另一个窗口中打开");
            ui.add_space(10.0);
            ui.label("同一时间只能有一个窗口修改数据文件，以免两处的修改互相覆盖。");
            ui.label("可以只读方式打开（可查看、统计、打印，不能保存修改），或退出。");
            ui.add_space(10.0);
            ui.horizontal(|ui| {
                if ui
                    .button(RichText::new("以只读方式打开").strong())
                    .clicked()
                {
                    self.held_elsewhere = false;
                    self.read_only = Some(lock::HELD_ELSEWHERE.into());
                }
                if ui.button("退出").clicked() {
                    ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
                }
            });
        });
    }

    fn error_page(&mut self, ui: &mut Ui, message: &str) {
        ui.add_space(40.0);
        ui.vertical_centered(|ui| {
            ui.heading("无法打开数据文件");
            ui.add_space(10.0);
            ui.label(RichText::new(message).color(super::widgets::form::ERROR));
            ui.add_space(10.0);
            if ui.button("打开其他数据文件…").clicked() {
                self.file_dialog = Some(FileDialog::new(FilePurpose::Open));
            }
        });
    }

    fn file_dialog_ui(&mut self, ctx: &egui::Context) {
        let Some(dialog) = &mut self.file_dialog else {
            return;
        };
        let (title, action) = match dialog.purpose {
            FilePurpose::Open => ("打开数据文件", "打开"),
            FilePurpose::BackupTo => ("备份到", "备份"),
            FilePurpose::SavePdf => ("打印为 PDF", "保存并打开"),
            FilePurpose::ImportFrom => ("导入 Excel", "检查并预览"),
            FilePurpose::ExportTo => ("导出 Excel", "导出"),
            FilePurpose::Template => ("下载导入模板", "保存"),
            FilePurpose::ExportList => ("导出当前列表", "导出"),
        };
        let mut close = false;
        let mut go = false;
        let busy = self.worker.busy().map(str::to_string);
        let modal = egui::Modal::new(egui::Id::unique("file_dialog")).show(ctx, |ui| {
            ui.set_width(520.0);
            ui.heading(title);
            ui.label(match dialog.purpose {
                FilePurpose::Open => "请选择或输入党务台账数据文件（.sqlite）的完整路径。文件不存在时将新建。",
                FilePurpose::BackupTo => "请选择或输入备份文件的保存位置，如 D:\\备份\\党务台账-2026年11月.sqlite。",
                FilePurpose::SavePdf => "请选择或输入 PDF 文件的保存位置。保存后用系统的 PDF 阅读器打开，即可打印。",
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
                ui.label(RichText::new(m).color(super::widgets::form::WARNING));
            }
            ui.horizontal(|ui| {
                if ui.add_enabled(busy.is_none(), egui::Button::new(action)).clicked() {
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
        if go {
            let typed = dialog.path.trim().to_string();
            if typed.is_empty() {
                dialog.message = Some("请填写文件路径".into());
            } else {
                let purpose = dialog.purpose;
                match self.start_file_job(purpose, PathBuf::from(typed), ctx) {
                    Ok(()) => {}
                    Err(message) => {
                        if let Some(dialog) = &mut self.file_dialog {
                            dialog.message = Some(message);
                        }
                    }
                }
            }
        }
        if close {
            self.file_dialog = None;
        }
    }

    /// 恢复备份…: the dialog chooses; the restore runs on the worker, on its own connection to the
    /// live file, and every tab reads the restored data afterwards.
    fn restore_ui(&mut self, ctx: &egui::Context) {
        let busy = self.worker.busy().map(str::to_string);
        let unsaved = self.has_unsaved();
        let Some(dialog) = &mut self.restore_dialog else {
            return;
        };
        match dialog.show(ctx, busy.as_deref()) {
            Some(super::restore::RestoreEvent::Close) => self.restore_dialog = None,
            Some(super::restore::RestoreEvent::Restore(from)) => {
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

    /// Opening a file (which may migrate it and back it up first) and 备份到 run on the worker; the
    /// dialog stays up, with its buttons disabled, until the job is done.
    fn start_file_job(
        &mut self,
        purpose: FilePurpose,
        path: PathBuf,
        ctx: &egui::Context,
    ) -> Result<(), String> {
        match purpose {
            FilePurpose::SavePdf => {
                let docs = self.print_docs.clone().unwrap_or_default();
                self.worker
                    .start("正在生成 PDF", ctx, move || JobResult::Printed {
                        result: print::write_all(&docs, &PrintFonts::system(), &path),
                    })
            }
            FilePurpose::ImportFrom => self.start_import(path, true, ctx),
            FilePurpose::ExportTo => {
                let Ok(db) = &self.db else {
                    return Err("没有打开的数据文件".into());
                };
                let today = self.today;
                match db.path().map(Path::to_path_buf) {
                    Some(data) => self.worker.start("正在导出", ctx, move || {
                        exchange::export_job(data, path, today)
                    }),
                    None => {
                        let result = workbook::export::export(db, &path, None, today).map(|_| ());
                        self.job_done(JobResult::Exported { file: path, result }, ctx);
                        Ok(())
                    }
                }
            }
            FilePurpose::ExportList => {
                let (Ok(db), Some((sheet, ids))) = (&self.db, &self.list_export) else {
                    return Err("没有要导出的列表".into());
                };
                let (sheet, ids, today) = (*sheet, ids.clone(), self.today);
                match db.path().map(Path::to_path_buf) {
                    Some(data) => self.worker.start("正在导出", ctx, move || {
                        exchange::export_list_job(data, path, sheet, ids, today)
                    }),
                    None => {
                        let result = workbook::export::export_list(db, &path, sheet, &ids, today)
                            .map(|_| ());
                        self.job_done(JobResult::Exported { file: path, result }, ctx);
                        Ok(())
                    }
                }
            }
            FilePurpose::Template => {
                let result = workbook::export::template(&path);
                self.job_done(JobResult::Exported { file: path, result }, ctx);
                Ok(())
            }
            FilePurpose::Open if self.has_unsaved() => {
                self.leaving = Some(Leaving::Open(path));
                Ok(())
            }
            FilePurpose::Open => self.worker.start("正在打开数据文件", ctx, move || {
                // The old file's lock is still held here: a file opened again is "held elsewhere"
                // by this very window, and the window keeps writing it (see job_done).
                let (db, access) = lock::open_for_window(&path);
                let result = db.map(|db| (db, access)).map_err(|e| e.to_string());
                JobResult::Opened { path, result }
            }),
            FilePurpose::BackupTo => {
                if path.exists() {
                    return Err("该文件已存在，为免覆盖，请换一个文件名".into());
                }
                let Ok(db) = &self.db else {
                    return Err("没有打开的数据文件".into());
                };
                match db.path().map(Path::to_path_buf) {
                    Some(source) => self.worker.start("正在备份", ctx, move || {
                        let result = backup::copy_file(&source, &path).map_err(|e| e.to_string());
                        JobResult::BackedUp { path, result }
                    }),
                    // A database in memory (tests) has no file another connection could read.
                    None => {
                        let result = db.backup_to(&path).map_err(|e| e.to_string());
                        self.job_done(JobResult::BackedUp { path, result }, ctx);
                        Ok(())
                    }
                }
            }
        }
    }

    fn job_done(&mut self, result: JobResult, ctx: &egui::Context) {
        let failed = match result {
            JobResult::Opened {
                path,
                result: Ok((db, access)),
            } => {
                self.toasts.success(format!("已打开：{}", path.display()));
                // The new file's lock replaces the old one's; held elsewhere, it opens read-only.
                let same_file = self.path.as_deref() == Some(path.as_path());
                match access {
                    Access::Writer(l) => {
                        self.lock = Some(l);
                        self.read_only = None;
                    }
                    // This window's own lock: it stays the writer.
                    Access::HeldElsewhere if same_file && self.lock.is_some() => {}
                    Access::HeldElsewhere => {
                        self.lock = None;
                        self.read_only = Some(lock::HELD_ELSEWHERE.into());
                    }
                    Access::ReadOnly(why) => {
                        self.lock = None;
                        self.read_only = Some(why);
                    }
                }
                self.replace_db(db, path, ctx);
                None
            }
            JobResult::Opened { result: Err(e), .. } => Some(e),
            JobResult::BackedUp {
                path,
                result: Ok(summary),
            } => {
                self.toasts.success(format!(
                    "已备份到：{}（{}）",
                    path.display(),
                    summary.describe()
                ));
                let remember = action::Write::Setting {
                    key: crate::store::settings::LAST_BACKUP_TO,
                    value: crate::model::date::iso(self.today),
                };
                // A read-only window may back up, but not note it in the file.
                if self.read_only.is_none()
                    && let Some(done) = self.write(remember)
                    && let Err(e) = done.result
                {
                    self.toasts.error(format!("未能记下备份日期：{e}"));
                }
                None
            }
            JobResult::BackedUp { result: Err(e), .. } => Some(format!("备份失败：{e}")),
            JobResult::Restored {
                from,
                result: Ok(restored),
            } => {
                self.restore_dialog = None;
                if let Ok(db) = &mut self.db {
                    db.changed_elsewhere();
                }
                self.orgs_loaded = None;
                self.toasts.success(format!(
                    "已从“{}”恢复（{}）。恢复前的数据已另存为：{}",
                    from.display(),
                    restored.summary.describe(),
                    restored.kept_as.display()
                ));
                None
            }
            JobResult::Restored { result: Err(e), .. } => {
                let message = format!("恢复失败：{e}");
                if let Some(dialog) = &mut self.restore_dialog {
                    dialog.failed(message.clone());
                }
                Some(message)
            }
            JobResult::Printed { result: Ok(paths) } => {
                self.print_docs = None;
                if let Some(first) = paths.first() {
                    let names: Vec<String> =
                        paths.iter().map(|p| p.display().to_string()).collect();
                    self.toasts.success(format!("已生成：{}", names.join("、")));
                    // Opened in the system's PDF viewer, from which it is printed.
                    if self.print_dir.is_none()
                        && let Err(e) = open::that(first)
                    {
                        self.toasts
                            .error(format!("无法打开 PDF（{e}），请在文件夹中找到它再打印"));
                    }
                }
                None
            }
            JobResult::Printed { result: Err(e) } => Some(format!("打印失败：{e}")),
            JobResult::Imported {
                file,
                dry_run: true,
                result: Ok(report),
            } => {
                self.import_preview = Some(exchange::Preview {
                    file,
                    report,
                    problems_saved: None,
                });
                None
            }
            JobResult::Imported {
                dry_run: false,
                result: Ok(report),
                ..
            } if report.written => {
                self.import_preview = None;
                let added: usize = report.sheets.iter().map(|s| s.added + s.updated).sum();
                self.toasts
                    .success(format!("已导入：新增或更新 {added} 条记录"));
                if let Ok(db) = &mut self.db {
                    db.changed_elsewhere();
                }
                self.orgs_loaded = None;
                None
            }
            JobResult::Imported {
                file,
                result: Ok(report),
                ..
            } => {
                // Something changed between the preview and the import: show it again.
                self.import_preview = Some(exchange::Preview {
                    file,
                    report,
                    problems_saved: None,
                });
                Some("导入未完成，未写入任何内容".into())
            }
            JobResult::Imported { result: Err(e), .. } => Some(e),
            JobResult::Exported {
                file,
                result: Ok(()),
            } => {
                self.toasts.success(format!("已保存：{}", file.display()));
                None
            }
            JobResult::Exported { result: Err(e), .. } => Some(e),
        };
        match (failed, &mut self.file_dialog) {
            (None, _) => self.file_dialog = None,
            (Some(message), Some(dialog)) => dialog.message = Some(message),
            (Some(message), None) => self.toasts.error(message),
        }
    }

    /// Checks (`dry_run`) or imports a workbook: on the worker over its own connection, or in place
    /// for a database in memory.
    fn start_import(
        &mut self,
        file: PathBuf,
        dry_run: bool,
        ctx: &egui::Context,
    ) -> Result<(), String> {
        let today = self.today;
        let label = if dry_run {
            "正在检查工作簿"
        } else {
            "正在导入"
        };
        let Ok(db) = &mut self.db else {
            return Err("没有打开的数据文件".into());
        };
        match db.path().map(Path::to_path_buf) {
            Some(data) => self.worker.start(label, ctx, move || {
                exchange::import_job(data, file, dry_run, today)
            }),
            None => {
                let result = exchange::import_into(db, &file, dry_run, today);
                self.job_done(
                    JobResult::Imported {
                        file,
                        dry_run,
                        result,
                    },
                    ctx,
                );
                Ok(())
            }
        }
    }

    fn import_preview_ui(&mut self, ctx: &egui::Context) {
        let Some(preview) = &self.import_preview else {
            return;
        };
        match exchange::preview_ui(ctx, preview, self.worker.busy()) {
            Some(exchange::Asked::Import) => {
                let file = preview.file.clone();
                if let Err(e) = self.start_import(file, false, ctx) {
                    self.toasts.error(e);
                }
            }
            Some(exchange::Asked::SaveProblems) => {
                let path = workbook::import::problems_path(&preview.file);
                match workbook::import::write_problems(&path, &preview.report.errors) {
                    Ok(()) => {
                        if let Some(p) = &mut self.import_preview {
                            p.problems_saved = Some(path);
                        }
                    }
                    Err(e) => self.toasts.error(e),
                }
            }
            Some(exchange::Asked::Close) => self.import_preview = None,
            None => {}
        }
    }

    fn replace_db(&mut self, db: Db, path: PathBuf, ctx: &egui::Context) {
        self.db = Ok(db);
        self.path = Some(path);
        self.orgs_loaded = None;
        self.pages = new_pages();
        self.backup_status.clear();
        self.start_daily_backup(ctx);
    }

    /// Builds the documents of `request` and asks where to save them (or, for tests, writes them
    /// into the injected folder). The 单位名称 is asked for first if the file has none.
    fn print(&mut self, request: PrintRequest, egui_ctx: &egui::Context) {
        let Ok(db) = &self.db else { return };
        if db.setting(UNIT_NAME).ok().flatten().is_none() {
            self.toasts.info("打印前请先填写单位名称，它将印在标题中");
            self.settings = Some(String::new());
            self.pending_print = Some(request);
            return;
        }
        let docs = match print_docs(db, &request, self.today) {
            Ok(docs) => docs,
            Err(e) => {
                self.toasts.error(format!("无法打印：{e}"));
                return;
            }
        };
        let Some((first, _)) = docs.first() else {
            return;
        };
        let name = format!("{}.pdf", first.title);
        if let Some(dir) = &self.print_dir {
            let path = dir.join(name);
            self.print_docs = Some(docs);
            if let Err(e) = self.start_file_job(FilePurpose::SavePdf, path, egui_ctx) {
                self.toasts.error(e);
            }
            return;
        }
        let folder = documents();
        self.print_docs = Some(docs);
        self.file_dialog = Some(FileDialog {
            purpose: FilePurpose::SavePdf,
            path: folder.join(name).display().to_string(),
            message: None,
        });
    }

    /// 文件 → 设置: the 单位名称. Saved by the app, like every write; a print that waited for it
    /// goes on.
    fn settings_ui(&mut self, ctx: &egui::Context) {
        let Some(unit) = &mut self.settings else {
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
        if save {
            let write = action::Write::Setting {
                key: UNIT_NAME,
                value: unit.trim().to_string(),
            };
            match self.write(write).map(|d| d.result) {
                Some(Ok(_)) => {
                    self.toasts.success("已保存设置");
                    self.settings = None;
                    if let Some(request) = self.pending_print.take() {
                        self.print(request, ctx);
                    }
                }
                Some(Err(e)) => self.toasts.error(format!("保存设置失败：{e}")),
                None => {}
            }
        } else if close || modal.should_close() {
            self.settings = None;
            self.pending_print = None;
        }
    }

    fn about_ui(&mut self, ctx: &egui::Context) {
        if !self.about_open {
            return;
        }
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
            self.about_open = false;
        }
    }
}

impl eframe::App for DangwuApp {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        if let Some(message) = &self.crashed {
            crash_page(ui, message);
            return;
        }
        // A panic in a frame (a bug) must not close the window without a word: the hook has
        // written the report; the window says so and where it is.
        let shown = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.show(ui)));
        if shown.is_err() {
            let report = crate::crash::last_report()
                .map(|p| p.display().to_string())
                .unwrap_or_else(|| "（未能写入）".into());
            self.crashed = Some(format!(
                "程序出现错误，已停止此窗口的操作。已保存的数据不受影响；正在填写而未保存的内容可能丢失。\n\
                 错误报告：{report}\n请关闭窗口后重新打开，并把错误报告交给维护人员。"
            ));
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, PREFS_KEY, &self.prefs);
    }
}

/// Opens the window on the data file at `path`.
/// Opens the window on the data file at `path`; `ask_to_create` when the user named the file
/// (`--db`): a missing one is then asked about rather than created.
/// The app's icon (a red ledger, assets/icon-256.png), for the window and the task bar.
pub fn window_icon() -> egui::IconData {
    eframe::icon_data::from_png_bytes(include_bytes!("../../assets/icon-256.png"))
        .unwrap_or_default()
}

pub fn run(path: PathBuf, ask_to_create: bool) -> eframe::Result {
    let started = std::time::Instant::now();
    let today = chrono::Local::now().date_naive();
    let mut app = if ask_to_create && !path.exists() {
        DangwuApp::missing(path.clone(), today)
    } else {
        DangwuApp::open_path(path.clone(), today)
    };
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title(format!("党务台账 — {}", path.display()))
            .with_app_id("dangwu")
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([800.0, 560.0])
            .with_icon(std::sync::Arc::new(window_icon())),
        ..Default::default()
    };
    eframe::run_native(
        "dangwu",
        options,
        Box::new(move |cc| {
            let font = fonts::choose();
            let font_source = font.source.clone();
            fonts::install(&cc.egui_ctx, font);
            fonts::install_style(&cc.egui_ctx);
            // Follow the system's light/dark setting; where there is none, light, like the office
            // programs the users know.
            cc.egui_ctx
                .options_mut(|o| o.fallback_theme = egui::Theme::Light);
            app.font_source = font_source;
            if let Some(prefs) = cc
                .storage
                .and_then(|s| eframe::get_value::<Prefs>(s, PREFS_KEY))
            {
                app.prefs = prefs;
            }
            if app.lock.is_some() {
                app.start_daily_backup(&cc.egui_ctx);
            }
            if std::env::var_os("DANGWU_TIMING").is_some() {
                eprintln!("启动至创建窗口内容：{} ms", started.elapsed().as_millis());
                let ctx = cc.egui_ctx.clone();
                ctx.on_end_pass(
                    "timing",
                    std::sync::Arc::new(move |ui: &mut Ui| {
                        if ui.ctx().cumulative_pass_nr() == 1 {
                            eprintln!("首帧完成：{} ms", started.elapsed().as_millis());
                        }
                    }),
                );
            }
            Ok(Box::new(app))
        }),
    )
}

/// The documents of a print request, each with the suffix its file takes beside the first.
fn print_docs(
    db: &Db,
    request: &PrintRequest,
    today: NaiveDate,
) -> Result<Vec<(print::Doc, String)>, String> {
    let e = |e: crate::store::StoreError| e.to_string();
    Ok(match request {
        PrintRequest::Tally(scope) => {
            vec![(
                from_store::tally(db, scope, today).map_err(e)?,
                String::new(),
            )]
        }
        PrintRequest::Activity(id) => {
            let (minutes, sign_in) = from_store::activity(db, *id, today).map_err(e)?;
            vec![(minutes, String::new()), (sign_in, "签到表".into())]
        }
        PrintRequest::Dues { org, year } => vec![(
            from_store::dues(db, *org, *year, today).map_err(e)?,
            String::new(),
        )],
        PrintRequest::Rectification { ids, filter } => {
            let items: Vec<_> = db
                .rectifications()
                .map_err(e)?
                .into_iter()
                .filter(|i| i.id.is_some_and(|id| ids.contains(&id)))
                .collect();
            vec![(
                from_store::rectification(db, &items, filter, today).map_err(e)?,
                String::new(),
            )]
        }
    })
}

fn crash_page(ui: &mut Ui, message: &str) {
    egui::CentralPanel::default().show(ui, |ui| {
        ui.add_space(40.0);
        ui.vertical_centered(|ui| {
            ui.heading("程序出现错误");
            ui.add_space(10.0);
            ui.label(RichText::new(message).color(super::widgets::form::ERROR));
            ui.add_space(10.0);
            if ui.button("关闭窗口").clicked() {
                ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
            }
        });
    });
}

/// The user's documents folder, where files offered for saving go by default.
fn documents() -> PathBuf {
    directories::UserDirs::new()
        .and_then(|u| u.document_dir().map(Path::to_path_buf))
        .unwrap_or_default()
}
