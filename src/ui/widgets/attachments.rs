//! The attachments of a record being edited: files already stored with it (open, remove) and files
//! chosen now. Choosing a file only notes its path; the store copies it into `attachments/` when
//! the record is saved, so a cancelled form leaves nothing behind.

use std::path::{Path, PathBuf};

use egui::{RichText, TextEdit, Ui};

use super::form::WARNING;

/// What the widget keeps between frames besides the record: the path being typed and a message.
#[derive(Default)]
pub struct AttachmentsState {
    pub typed: String,
    pub message: Option<String>,
}

/// `stored`: names of files already in `dir` for this record; `chosen`: files to copy on save.
pub fn attachments_ui(
    ui: &mut Ui,
    state: &mut AttachmentsState,
    dir: Option<&Path>,
    stored: &mut Vec<String>,
    chosen: &mut Vec<PathBuf>,
) {
    ui.strong("附件（照片、签到表等）");
    let mut remove = None;
    for (i, name) in stored.iter().enumerate() {
        ui.horizontal(|ui| {
            ui.label(name);
            if ui.button("打开").clicked()
                && let Some(dir) = dir
                && let Err(e) = open::that(dir.join(name))
            {
                state.message = Some(format!("无法打开：{e}"));
            }
            if ui.button("移除").clicked() {
                remove = Some(i);
            }
        });
    }
    if let Some(i) = remove {
        stored.remove(i);
    }
    let mut unchoose = None;
    for (i, path) in chosen.iter().enumerate() {
        ui.horizontal(|ui| {
            ui.label(format!("{}（保存时复制）", path.display()));
            if ui.button("移除").clicked() {
                unchoose = Some(i);
            }
        });
    }
    if let Some(i) = unchoose {
        chosen.remove(i);
    }
    let mut add: Vec<PathBuf> = Vec::new();
    ui.horizontal(|ui| {
        if ui.button("添加附件…").clicked() {
            match rfd::FileDialog::new().pick_files() {
                Some(files) => add.extend(files),
                None => {
                    state.message = Some(
                        "未选择文件。如果没有弹出选择窗口，请在右侧输入文件路径后点“添加”。".into(),
                    )
                }
            }
        }
        let label = ui.label("或输入路径");
        ui.add(TextEdit::singleline(&mut state.typed).desired_width(180.0))
            .labelled_by(label.id);
        if ui.button("添加").clicked() && !state.typed.trim().is_empty() {
            add.push(PathBuf::from(state.typed.trim()));
        }
    });
    for path in add {
        if path.is_file() {
            chosen.push(path);
            state.typed.clear();
            state.message = None;
        } else {
            state.message = Some(format!("找不到文件“{}”", path.display()));
        }
    }
    if let Some(m) = &state.message {
        ui.label(RichText::new(m.as_str()).color(WARNING));
    }
    if dir.is_some() && !(stored.is_empty() && chosen.is_empty()) {
        ui.label(
            RichText::new("保存时附件复制到数据文件旁的 attachments 文件夹，随记录保留。").weak(),
        );
    }
}
