//! The window: menu, tab bar, status bar, and the open data file.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver};

use chrono::NaiveDate;
use egui::{RichText, Ui};
use serde::{Deserialize, Serialize};

use super::activities::ActivitiesTab;
use super::members::MembersTab;
use super::orgs::OrgsTab;
use super::rectify::RectifyTab;
use super::talks::TalksTab;
use super::widgets::toasts::Toasts;
use super::{AppCtx, OrgCatalog, fonts};
use crate::store::{Db, backup};

#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
pub enum Tab {
    #[default]
    Members,
    Orgs,
    Activities,
    Talks,
    Rectify,
}

/// The tabs in the order of the tab bar. Tabs come with their issues; there are no empty pages.
const TABS: [(Tab, &str); 5] = [
    (Tab::Members, "党员"),
    (Tab::Orgs, "组织"),
    (Tab::Activities, "学习活动"),
    (Tab::Talks, "谈话"),
    (Tab::Rectify, "整改台账"),
];

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
}

/// The dialog for choosing a file: a path typed by hand, or chosen with the system's dialog where
/// there is one (on a bare Linux desktop there may be none, and rfd then returns nothing).
struct FileDialog {
    purpose: FilePurpose,
    path: String,
    message: Option<String>,
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
    members: MembersTab,
    orgs_tab: OrgsTab,
    activities: ActivitiesTab,
    talks: TalksTab,
    rectify: RectifyTab,
    toasts: Toasts,
    file_dialog: Option<FileDialog>,
    backup: Option<Receiver<String>>,
    backup_status: String,
    font_source: String,
    about_open: bool,
    title_sent: String,
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
            members: MembersTab::default(),
            orgs_tab: OrgsTab::default(),
            activities: ActivitiesTab::default(),
            talks: TalksTab::default(),
            rectify: RectifyTab::default(),
            toasts: Toasts::default(),
            file_dialog: None,
            backup: None,
            backup_status: String::new(),
            font_source: String::new(),
            about_open: false,
            title_sent: String::new(),
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
        self.poll_backup();
        self.update_title(ui.ctx());
        egui::Panel::top("menu").show(ui, |ui| self.menu_and_tabs(ui));
        egui::Panel::bottom("status").show(ui, |ui| self.status_bar(ui));
        egui::CentralPanel::default().show(ui, |ui| match &mut self.db {
            Err(message) => {
                let message = message.clone();
                self.error_page(ui, &message);
            }
            Ok(db) => {
                if self.orgs_loaded != Some(db.generation()) {
                    match db.orgs() {
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
                match self.prefs.tab {
                    Tab::Members => self.members.ui(ui, &mut ctx),
                    Tab::Orgs => self.orgs_tab.ui(ui, &mut ctx),
                    Tab::Activities => self.activities.ui(ui, &mut ctx),
                    Tab::Talks => self.talks.ui(ui, &mut ctx),
                    Tab::Rectify => self.rectify.ui(ui, &mut ctx),
                }
            }
        });
        self.file_dialog_ui(ui.ctx());
        self.about_ui(ui.ctx());
        self.toasts.show(ui.ctx());
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
                    self.file_dialog = Some(FileDialog {
                        purpose: FilePurpose::Open,
                        path: String::new(),
                        message: None,
                    });
                }
                if ui
                    .add_enabled(self.db.is_ok(), egui::Button::new("备份到…"))
                    .clicked()
                {
                    self.file_dialog = Some(FileDialog {
                        purpose: FilePurpose::BackupTo,
                        path: String::new(),
                        message: None,
                    });
                }
                ui.separator();
                if ui.button("退出").clicked() {
                    ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
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
                for (tab, label) in TABS {
                    let text = RichText::new(label).size(18.0);
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
            if !self.backup_status.is_empty() {
                ui.separator();
                ui.label(RichText::new(&self.backup_status).small());
            }
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
                self.file_dialog = Some(FileDialog {
                    purpose: FilePurpose::Open,
                    path: String::new(),
                    message: None,
                });
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
        };
        let mut close = false;
        let mut go = false;
        let modal = egui::Modal::new(egui::Id::unique("file_dialog")).show(ctx, |ui| {
            ui.set_width(520.0);
            ui.heading(title);
            ui.label(match dialog.purpose {
                FilePurpose::Open => "请选择或输入党务台账数据文件（.sqlite）的完整路径。文件不存在时将新建。",
                FilePurpose::BackupTo => "请选择或输入备份文件的保存位置，如 D:\\备份\\党务台账-2026年11月.sqlite。",
            });
            ui.horizontal(|ui| {
                let label = ui.label("文件路径");
                ui.add(egui::TextEdit::singleline(&mut dialog.path).desired_width(330.0)).labelled_by(label.id);
                if ui.button("浏览…").clicked() {
                    let picker = rfd::FileDialog::new().add_filter("党务台账数据", &["sqlite", "db"]);
                    let picked = match dialog.purpose {
                        FilePurpose::Open => picker.pick_file(),
                        FilePurpose::BackupTo => picker.set_file_name("党务台账备份.sqlite").save_file(),
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
                if ui.button(action).clicked() {
                    go = true;
                }
                if ui.button("取消").clicked() {
                    close = true;
                }
            });
        });
        if modal.should_close() {
            close = true;
        }
        if go {
            let path = PathBuf::from(dialog.path.trim());
            if dialog.path.trim().is_empty() {
                dialog.message = Some("请填写文件路径".into());
            } else {
                match dialog.purpose {
                    FilePurpose::Open => match Db::open(&path) {
                        Ok(db) => {
                            self.replace_db(db, path.clone(), ctx);
                            self.toasts.success(format!("已打开：{}", path.display()));
                            close = true;
                        }
                        Err(e) => dialog.message = Some(e.to_string()),
                    },
                    FilePurpose::BackupTo => {
                        if path.exists() {
                            dialog.message = Some("该文件已存在，为免覆盖，请换一个文件名".into());
                        } else if let Ok(db) = &self.db {
                            match db.backup_to(&path) {
                                Ok(()) => {
                                    self.toasts.success(format!("已备份到：{}", path.display()));
                                    close = true;
                                }
                                Err(e) => dialog.message = Some(format!("备份失败：{e}")),
                            }
                        }
                    }
                }
            }
        }
        if close {
            self.file_dialog = None;
        }
    }

    fn replace_db(&mut self, db: Db, path: PathBuf, ctx: &egui::Context) {
        self.db = Ok(db);
        self.path = Some(path);
        self.orgs_loaded = None;
        self.members = MembersTab::default();
        self.orgs_tab = OrgsTab::default();
        self.activities = ActivitiesTab::default();
        self.talks = TalksTab::default();
        self.rectify = RectifyTab::default();
        self.backup_status.clear();
        self.start_daily_backup(ctx);
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
        self.show(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, PREFS_KEY, &self.prefs);
    }
}

/// Opens the window on the data file at `path`.
pub fn run(path: PathBuf) -> eframe::Result {
    let started = std::time::Instant::now();
    let today = chrono::Local::now().date_naive();
    let db = Db::open(&path).map_err(|e| e.to_string());
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title(format!("党务台账 — {}", path.display()))
            .with_app_id("dangwu")
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([800.0, 560.0]),
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
            let mut app = DangwuApp::new(db, Some(path), today);
            app.font_source = font_source;
            if let Some(prefs) = cc
                .storage
                .and_then(|s| eframe::get_value::<Prefs>(s, PREFS_KEY))
            {
                app.prefs = prefs;
            }
            app.start_daily_backup(&cc.egui_ctx);
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
