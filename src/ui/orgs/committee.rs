//! The committee rows of the 组织 form and of the 换届选举 dialog.

use egui::{RichText, TextEdit, Ui};

use crate::model::org::{CommitteeInput, CommitteeRole};
use crate::ui::widgets::date_field::date_field;
use crate::ui::widgets::form;

/// The rows of a committee (the organisation's, or the people an election elected): 职务, 姓名
/// typed or picked from the organisation's members, 分工 and, where `with_dates`, 任职日期.
pub(super) fn committee_ui<'e>(
    ui: &mut Ui,
    id_salt: &str,
    rows: &mut Vec<CommitteeInput>,
    error: impl Fn(usize) -> Option<&'e str>,
    candidates: &[(i64, String)],
    with_dates: bool,
) {
    let roles: Vec<_> = CommitteeRole::ALL
        .iter()
        .map(|r| (*r, r.label().to_string()))
        .collect();
    let mut remove = None;
    if rows.is_empty() {
        ui.label(RichText::new("尚未录入人员").weak());
    }
    if !rows.is_empty() {
        let headers: &[&str] = if with_dates {
            &["职务", "姓名", "从本组织党员中选", "分工", "任职日期", ""]
        } else {
            &["职务", "姓名", "从本组织党员中选", "分工", ""]
        };
        egui::Grid::new(id_salt)
            .num_columns(headers.len())
            .spacing([8.0, 6.0])
            .striped(true)
            .show(ui, |ui| {
                let header_ids: Vec<egui::Id> = headers.iter().map(|h| ui.strong(*h).id).collect();
                ui.end_row();
                for (i, row) in rows.iter_mut().enumerate() {
                    let mut role = Some(row.role);
                    form::choice(
                        ui,
                        &format!("{id_salt}_role_{i}"),
                        header_ids[0],
                        &mut role,
                        &roles,
                        None,
                        80.0,
                    );
                    row.role = role.unwrap_or(CommitteeRole::Member);
                    if ui
                        .add_sized([90.0, 26.0], TextEdit::singleline(&mut row.name))
                        .labelled_by(header_ids[1])
                        .changed()
                    {
                        row.member_id = None;
                    }
                    egui::ComboBox::from_id_salt(format!("{id_salt}_pick_{i}"))
                        .selected_text("选择…")
                        .width(100.0)
                        .height(300.0)
                        .show_ui(ui, |ui| {
                            if candidates.is_empty() {
                                ui.label("本组织暂无在册党员");
                            }
                            for (id, name) in candidates {
                                if ui
                                    .selectable_label(row.member_id == Some(*id), name)
                                    .clicked()
                                {
                                    row.member_id = Some(*id);
                                    row.name = name.clone();
                                }
                            }
                        })
                        .response
                        .labelled_by(header_ids[2]);
                    // Sized explicitly: in a Grid a text field is only as wide as the column was last frame.
                    ui.add_sized(
                        [110.0, 26.0],
                        TextEdit::singleline(&mut row.duty).hint_text("如 组织委员"),
                    )
                    .labelled_by(header_ids[3]);
                    if with_dates {
                        date_field(ui, &mut row.appointed, header_ids[4]);
                    }
                    if ui.button("移除").clicked() {
                        remove = Some(i);
                    }
                    ui.end_row();
                    if let Some(e) = error(i) {
                        ui.label("");
                        ui.label(RichText::new(e).color(form::ERROR));
                        ui.end_row();
                    }
                }
            });
    }
    if let Some(i) = remove {
        rows.remove(i);
    }
    if ui.button("＋ 添加委员").clicked() {
        let role = if rows.iter().any(|r| r.role == CommitteeRole::Secretary) {
            CommitteeRole::Member
        } else {
            CommitteeRole::Secretary
        };
        rows.push(CommitteeInput {
            id: None,
            uid: String::new(),
            role,
            name: String::new(),
            member_id: None,
            duty: String::new(),
            appointed: String::new(),
            ended: String::new(),
        });
    }
    if !rows.is_empty() {
        ui.label(RichText::new("委员会成员的增减在点击“保存”后生效，并记入修改记录。").weak());
    }
}
