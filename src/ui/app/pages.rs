//! What the window shows instead of the tabs: a named file that does not exist, a file another
//! window holds, a file that cannot be opened, a frame that panicked.

use egui::{RichText, Ui};

use super::DangwuApp;
use super::modal::{FileDialog, FilePurpose, Modal};
use crate::store::lock;

impl DangwuApp {
    /// A named file that does not exist: create it, choose another, or quit.
    pub(super) fn missing_page(&mut self, ui: &mut Ui) {
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
                self.modal = Some(Modal::File(FileDialog::new(FilePurpose::Open)));
            }
            if ui.button("退出").clicked() {
                ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
            }
        });
    }

    /// A second window on a file another window holds: read-only, or quit.
    pub(super) fn held_elsewhere_page(&mut self, ui: &mut Ui) {
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

    pub(super) fn error_page(&mut self, ui: &mut Ui, message: &str) {
        ui.add_space(40.0);
        let on_server = self.server.is_some();
        if let (true, Some(busy)) = (message.is_empty(), self.worker.busy()) {
            // The window opened at once; the ledger is still being reached.
            let busy = busy.to_string();
            ui.vertical_centered(|ui| {
                ui.spinner();
                ui.label(format!("{busy}…"));
            });
            return;
        }
        ui.vertical_centered(|ui| {
            ui.heading(if on_server {
                "无法连接单位服务器"
            } else {
                "无法打开数据文件"
            });
            ui.add_space(10.0);
            ui.label(RichText::new(message).color(crate::ui::widgets::form::ERROR));
            ui.add_space(10.0);
            ui.horizontal(|ui| {
                if on_server && ui.button("重新连接…").clicked() {
                    let form = match &self.server {
                        Some(a) => crate::ui::connect::ConnectForm::asking(a, String::new()),
                        None => crate::ui::connect::ConnectForm::new(&self.prefs.server),
                    };
                    self.modal = Some(Modal::Connect(form));
                }
                if ui.button("打开数据文件…").clicked() {
                    self.modal = Some(Modal::File(FileDialog::new(FilePurpose::Open)));
                }
            });
        });
    }
}

pub(super) fn crash_page(ui: &mut Ui, message: &str) {
    egui::CentralPanel::default().show(ui, |ui| {
        ui.add_space(40.0);
        ui.vertical_centered(|ui| {
            ui.heading("程序出现错误");
            ui.add_space(10.0);
            ui.label(RichText::new(message).color(crate::ui::widgets::form::ERROR));
            ui.add_space(10.0);
            if ui.button("关闭窗口").clicked() {
                ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
            }
        });
    });
}
