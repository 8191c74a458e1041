//! The window: menu, tab bar, status bar, and the open data file. Tabs read; the app writes what they
//! return, after the frame, and long file work runs on the worker.

use std::path::PathBuf;
use std::sync::mpsc::Receiver;

use chrono::NaiveDate;
use egui::{RichText, Ui};
use serde::{Deserialize, Serialize};

mod jobs;
mod modal;
mod pages;

use super::action::{self, Action, PrintRequest};
use super::widgets::toasts::Toasts;
use super::worker::Worker;
use super::{AppCtx, OrgCatalog, Page, Tab, fonts, new_pages};
use crate::print::{self};
use crate::store::lock::{self, Access, WriterLock};
use crate::store::settings::UNIT_NAME;
use crate::store::{Db, StoreError, backup};
use jobs::documents;
use modal::{FileDialog, FilePurpose, Leaving, Modal};
use pages::crash_page;

/// UI preferences kept by eframe between runs. Business data never goes here.
#[derive(Serialize, Deserialize, Default)]
#[serde(default)]
struct Prefs {
    tab: Tab,
    /// The last server connected to (no password).
    server: crate::ui::connect::ServerPrefs,
}

const PREFS_KEY: &str = "dangwu_prefs";

pub struct DangwuApp {
    /// The open file, or why the file could not be opened.
    db: Result<Db, String>,
    /// The file we tried to open (shown in the title and the error page).
    path: Option<PathBuf>,
    /// The server we connected to, or tried to (shown when it cannot be reached).
    server: Option<crate::store::server::Address>,
    orgs: OrgCatalog,
    orgs_loaded: Option<u64>,
    today: NaiveDate,
    prefs: Prefs,
    /// One page per tab, in the order of `Tab::ALL`.
    pages: Vec<Box<dyn Page>>,
    toasts: Toasts,
    /// The one dialog shown, if any.
    modal: Option<Modal>,
    /// The reminder to copy the data away from this PC, read once per generation of the data.
    backup_to_reminder: Option<(u64, Option<String>)>,
    worker: Worker,
    /// Documents to print, waiting for the user to say where (with the name the first suggests).
    print_docs: Option<Vec<(print::Doc, String)>>,
    /// A print waiting for the 单位名称 to be given.
    pending_print: Option<PrintRequest>,
    /// The 总结初稿 waiting for where to save it.
    summary_draft: Option<crate::tally::summary::Draft>,
    /// Tests print here without a dialog and without opening a viewer.
    print_dir: Option<PathBuf>,
    /// The user agreed to throw the changes away: the next close request is let through.
    leave_confirmed: bool,
    /// This window's lock on the open file: one writer per file.
    lock: Option<WriterLock>,
    /// Another window holds the file: asked whether to open it read-only (`true` while asking).
    held_elsewhere: bool,
    /// Why this window cannot save (shown as a banner), when it cannot.
    read_only: Option<String>,
    /// 帮助 → 使用说明.
    guide: crate::ui::guide::Guide,
    /// The first steps of a new ledger (单位名称, 组织, 党员, 活动), by the data's generation; the
    /// list is hidden for the session when the user says so.
    first_steps: Option<(u64, [bool; 4])>,
    first_steps_hidden: bool,
    /// A frame panicked: the report written, shown instead of the tabs.
    crashed: Option<String>,
    /// The file named on the command line does not exist: asked whether to create it.
    missing: bool,
    backup: Option<Receiver<String>>,
    backup_status: String,
    font_source: String,
    title_sent: String,
    /// 导出当前列表: the sheet and the records, waiting for a file name.
    list_export: Option<(&'static str, Vec<i64>)>,
    /// The server to connect to when the window first shows (on the worker: a server that does
    /// not answer must not keep the window from opening).
    connect_first: Option<(crate::store::server::Address, Option<String>)>,
}

impl DangwuApp {
    /// `db` is the result of opening `path`; `today` is the date that bounds every date field.
    pub fn new(db: Result<Db, String>, path: Option<PathBuf>, today: NaiveDate) -> Self {
        Self {
            server: db
                .as_ref()
                .ok()
                .and_then(|db| db.server().map(|a| a.forget_password())),
            db,
            path,
            orgs: OrgCatalog::default(),
            orgs_loaded: None,
            today,
            prefs: Prefs::default(),
            pages: new_pages(),
            toasts: Toasts::default(),
            modal: None,
            backup_to_reminder: None,
            worker: Worker::default(),
            print_docs: None,
            pending_print: None,
            summary_draft: None,
            print_dir: None,
            leave_confirmed: false,
            lock: None,
            held_elsewhere: false,
            read_only: None,
            crashed: None,
            guide: Default::default(),
            first_steps: None,
            first_steps_hidden: false,
            missing: false,
            backup: None,
            backup_status: String::new(),
            font_source: String::new(),
            title_sent: String::new(),
            list_export: None,
            connect_first: None,
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

    /// The window on a ledger on a server. When the server asks for a password that is not in
    /// PGPASSWORD or the pgpass file, the 连接单位服务器 dialog opens to ask for it.
    pub fn connect(address: crate::store::server::Address, today: NaiveDate) -> Self {
        let mut app = DangwuApp::new(Err(String::new()), None, today);
        app.server = Some(address.forget_password());
        let known = address.known_password();
        app.connect_first = Some((address, known));
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

    /// The whole window inside `ui`. Separate from `eframe::App::ui` so tests can drive it.
    pub fn show(&mut self, ui: &mut Ui) {
        if let Some((address, password)) = self.connect_first.take() {
            self.start_connect(address, password, ui.ctx());
        }
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
        self.modal_ui(ui.ctx());
        self.guide.show(ui.ctx());
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
                self.modal = Some(Modal::File(FileDialog::at(
                    FilePurpose::ExportList,
                    documents().join(format!("{name}-{}.xlsx", self.today)),
                )));
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

    fn update_title(&mut self, ctx: &egui::Context) {
        let title = match (&self.server, &self.path) {
            (Some(a), _) => format!("党务台账 — 服务器 {a}"),
            (None, Some(p)) => format!("党务台账 — {}", p.display()),
            (None, None) => "党务台账".to_string(),
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
                    self.modal = Some(Modal::File(FileDialog::new(FilePurpose::Open)));
                }
                if ui.button("连接单位服务器…").clicked() {
                    // The server open now (or tried), else the last one connected to.
                    let last = match &self.server {
                        Some(a) => crate::ui::connect::ServerPrefs::of(a),
                        None => self.prefs.server.clone(),
                    };
                    self.modal = Some(Modal::Connect(crate::ui::connect::ConnectForm::new(&last)));
                }
                if ui
                    .add_enabled(self.db.is_ok(), egui::Button::new("备份到…"))
                    .clicked()
                {
                    self.modal = Some(Modal::File(FileDialog::new(FilePurpose::BackupTo)));
                }
                let restorable = self.db.as_ref().is_ok_and(|db| db.path().is_some())
                    && self.read_only.is_none();
                if ui
                    .add_enabled(restorable, egui::Button::new("恢复备份…"))
                    .on_disabled_hover_text("此窗口只读，不能恢复备份")
                    .clicked()
                {
                    let found = self.path.as_deref().map(backup::list).unwrap_or_default();
                    self.modal = Some(Modal::Restore(super::restore::RestoreDialog::new(found)));
                }
                ui.separator();
                let writable = self.db.is_ok() && self.read_only.is_none();
                if ui
                    .add_enabled(writable, egui::Button::new("导入 Excel…"))
                    .on_disabled_hover_text("此窗口只读，不能导入")
                    .clicked()
                {
                    self.modal = Some(Modal::File(FileDialog::new(FilePurpose::ImportFrom)));
                }
                if ui
                    .add_enabled(self.db.is_ok(), egui::Button::new("导出 Excel…"))
                    .clicked()
                {
                    self.modal = Some(Modal::File(FileDialog::at(
                        FilePurpose::ExportTo,
                        documents().join(format!("党务台账-{}.xlsx", self.today)),
                    )));
                }
                if ui.button("下载导入模板…").clicked() {
                    self.modal = Some(Modal::File(FileDialog::at(
                        FilePurpose::Template,
                        documents().join("党务台账导入模板.xlsx"),
                    )));
                }
                ui.separator();
                if ui
                    .add_enabled(self.db.is_ok(), egui::Button::new("设置…"))
                    .clicked()
                {
                    let unit = self
                        .db
                        .as_ref()
                        .ok()
                        .and_then(|db| db.setting(UNIT_NAME).ok().flatten())
                        .unwrap_or_default();
                    self.modal = Some(Modal::Settings(unit));
                }
                ui.separator();
                if ui.button("退出").clicked() {
                    if self.has_unsaved() {
                        self.modal = Some(Modal::Leaving(Leaving::Close));
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
                if ui.button("使用说明").clicked() {
                    self.guide.open = true;
                }
                if ui.button("关于党务台账").clicked() {
                    self.modal = Some(Modal::About);
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
            self.first_steps_ui(ui);
            ui.add_space(2.0);
        }
    }

    /// On a ledger not yet set up: 单位名称, 组织, 党员 (or 导入 Excel), the first meeting — each a
    /// button that goes there, ticked once done. Gone when all are done, or hidden for the session.
    fn first_steps_ui(&mut self, ui: &mut Ui) {
        let Ok(db) = &self.db else { return };
        if self.first_steps_hidden {
            return;
        }
        if self.first_steps.is_none_or(|(g, _)| g != db.generation()) {
            let steps = db.first_steps().unwrap_or([true; 4]);
            self.first_steps = Some((db.generation(), steps));
        }
        let Some((_, done)) = self.first_steps else {
            return;
        };
        if done.iter().all(|d| *d) {
            return;
        }
        let mark = |d: bool| if d { "√ " } else { "" };
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new("开始使用：").strong());
            if ui
                .button(format!("{}① 填写单位名称", mark(done[0])))
                .clicked()
            {
                let unit = db.setting(UNIT_NAME).ok().flatten().unwrap_or_default();
                self.modal = Some(Modal::Settings(unit));
            }
            if ui.button(format!("{}② 建立组织", mark(done[1]))).clicked() {
                self.prefs.tab = Tab::Orgs;
            }
            if ui.button(format!("{}③ 录入党员", mark(done[2]))).clicked() {
                self.prefs.tab = Tab::Members;
            }
            if ui.button("或 导入 Excel 台账…").clicked() {
                self.modal = Some(Modal::File(FileDialog::new(FilePurpose::ImportFrom)));
            }
            if ui
                .button(format!("{}④ 登记第一次活动", mark(done[3])))
                .clicked()
            {
                self.prefs.tab = Tab::Activities;
            }
            if ui.small_button("隐藏").clicked() {
                self.first_steps_hidden = true;
            }
        });
    }

    fn status_bar(&mut self, ui: &mut Ui) {
        // Wrapped: a long path, a share and a reminder together do not fit one line at 1280 px.
        ui.horizontal_wrapped(|ui| {
            match (&self.server, &self.db) {
                (Some(a), Ok(db)) => {
                    ui.label(RichText::new(format!("单位服务器：{a}")).small());
                    ui.separator();
                    let tls = match db.encrypted() {
                        Some(true) => "连接已加密",
                        _ => "连接未加密",
                    };
                    ui.label(RichText::new(tls).small());
                }
                (Some(a), Err(_)) => {
                    ui.label(RichText::new(format!("单位服务器：{a}（未连接）")).small());
                }
                (None, _) => {
                    let file = self
                        .path
                        .as_ref()
                        .map(|p| p.display().to_string())
                        .unwrap_or_else(|| "（内存数据库）".into());
                    ui.label(RichText::new(format!("数据文件：{file}")).small());
                }
            }
            if let Some(notice) = self.db.as_ref().ok().and_then(|db| db.location().notice()) {
                ui.separator();
                ui.label(
                    RichText::new(notice)
                        .small()
                        .color(super::widgets::form::WARNING),
                );
            }
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
    eframe::icon_data::from_png_bytes(include_bytes!("../../../assets/icon-256.png"))
        .unwrap_or_default()
}

pub fn run(path: PathBuf, ask_to_create: bool) -> eframe::Result {
    let today = chrono::Local::now().date_naive();
    let app = if ask_to_create && !path.exists() {
        DangwuApp::missing(path.clone(), today)
    } else {
        DangwuApp::open_path(path.clone(), today)
    };
    run_app(app, path.display().to_string())
}

/// Opens the window on the ledger on a server (`--db postgres://…`); when the server wants a
/// password nobody gave, the window asks for it.
pub fn run_server(address: crate::store::server::Address) -> eframe::Result {
    let today = chrono::Local::now().date_naive();
    let name = format!("服务器 {address}");
    run_app(DangwuApp::connect(address, today), name)
}

fn run_app(mut app: DangwuApp, name: String) -> eframe::Result {
    let started = std::time::Instant::now();
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title(format!("党务台账 — {name}"))
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
