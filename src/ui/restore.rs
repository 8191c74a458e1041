//! 文件 → 恢复备份…: the backups beside the data file (date, size, counts) and any other backup
//! file, a confirmation that says what happens to the current data, then the restore runs on the
//! worker (`Db::restore_from`). This dialog only chooses; the app writes.

use std::path::PathBuf;

use egui::RichText;

use crate::store::backup::Found;

/// What the dialog asks the app to do this frame.
pub enum RestoreEvent {
    Restore(PathBuf),
    Close,
}

pub struct RestoreDialog {
    found: Vec<Found>,
    /// Another backup file, typed or chosen with 浏览….
    other: String,
    message: Option<String>,
    /// The backup chosen, waiting for the confirmation.
    confirming: Option<PathBuf>,
}

impl RestoreDialog {
    pub fn new(found: Vec<Found>) -> Self {
        Self {
            found,
            other: String::new(),
            message: None,
            confirming: None,
        }
    }

    pub fn show(&mut self, ctx: &egui::Context, busy: Option<&str>) -> Option<RestoreEvent> {
        if let Some(path) = self.confirming.clone() {
            let name = path.file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
            let text = format!(
                "将用备份“{name}”中的数据替换当前数据（附件一并恢复）。\n当前数据会先另存到 backups 文件夹（文件名含“恢复前”），需要时可再恢复回来。"
            );
            match super::confirm(ctx, "restore_confirm", "确定恢复此备份？", &text, "恢复")
            {
                Some(true) => {
                    self.confirming = None;
                    return Some(RestoreEvent::Restore(path));
                }
                Some(false) => self.confirming = None,
                None => {}
            }
            return None;
        }
        let mut event = None;
        let modal = egui::Modal::new(egui::Id::unique("restore_dialog")).show(ctx, |ui| {
            ui.set_width(640.0);
            ui.heading("恢复备份");
            ui.label("选择要恢复的备份。恢复前，当前数据会先另存一份。");
            ui.add_space(6.0);
            if self.found.is_empty() {
                ui.label(RichText::new("backups 文件夹中还没有备份。").weak());
            }
            egui::ScrollArea::vertical()
                .max_height(320.0)
                .show(ui, |ui| {
                    egui::Grid::new("restore_list")
                        .striped(true)
                        .num_columns(5)
                        .show(ui, |ui| {
                            for title in ["备份文件", "时间", "大小", "党员 / 活动", ""]
                            {
                                ui.strong(title);
                            }
                            ui.end_row();
                            for f in &self.found {
                                let name = f
                                    .path
                                    .file_name()
                                    .map(|n| n.to_string_lossy().into_owned())
                                    .unwrap_or_default();
                                ui.label(name);
                                ui.label(
                                    f.modified
                                        .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
                                        .unwrap_or_default(),
                                );
                                ui.label(size_text(f.bytes));
                                ui.label(match (f.members, f.activities) {
                                    (Some(m), Some(a)) => format!("{m} 人 / {a} 条"),
                                    _ => "无法读取".into(),
                                });
                                if ui
                                    .add_enabled(busy.is_none(), egui::Button::new("恢复…"))
                                    .clicked()
                                {
                                    self.confirming = Some(f.path.clone());
                                }
                                ui.end_row();
                            }
                        });
                });
            ui.add_space(8.0);
            ui.label("其他备份文件（如 U 盘上“备份到”保存的文件）：");
            ui.horizontal(|ui| {
                let label = ui.label("备份文件路径");
                ui.add(egui::TextEdit::singleline(&mut self.other).desired_width(360.0))
                    .labelled_by(label.id);
                if ui.button("浏览…").clicked() {
                    match rfd::FileDialog::new()
                        .add_filter("党务台账数据", &["sqlite", "db"])
                        .pick_file()
                    {
                        Some(p) => self.other = p.display().to_string(),
                        None => {
                            self.message =
                                Some("未能打开系统的文件选择窗口，请直接输入文件路径".into())
                        }
                    }
                }
                if ui
                    .add_enabled(busy.is_none(), egui::Button::new("恢复此文件…"))
                    .clicked()
                {
                    let path = PathBuf::from(self.other.trim());
                    if self.other.trim().is_empty() {
                        self.message = Some("请输入备份文件的路径".into());
                    } else if !path.is_file() {
                        self.message = Some(format!("找不到文件“{}”", path.display()));
                    } else {
                        self.message = None;
                        self.confirming = Some(path);
                    }
                }
            });
            if let Some(m) = &self.message {
                ui.label(RichText::new(m).color(super::widgets::form::ERROR));
            }
            if let Some(what) = busy {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(what);
                });
            }
            ui.add_space(6.0);
            if ui.button("关闭").clicked() {
                event = Some(RestoreEvent::Close);
            }
        });
        if event.is_none() && modal.should_close() && busy.is_none() {
            event = Some(RestoreEvent::Close);
        }
        event
    }

    /// The restore was refused or failed: said in the dialog, which stays up.
    pub fn failed(&mut self, message: String) {
        self.message = Some(message);
    }
}

fn size_text(bytes: u64) -> String {
    if bytes >= 1 << 20 {
        format!("{:.1} MB", bytes as f64 / (1 << 20) as f64)
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}
