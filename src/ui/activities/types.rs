//! The rows of 活动类型设置: frequency and whom a type is expected of can be changed, types added
//! and hidden (never deleted). A built-in type keeps its name and group.

use egui::{Id, TextEdit, Ui};

use crate::model::activity::{ActivityType, ExpectedOf, Frequency, GROUPS, Requires};
use crate::ui::widgets::form;
use crate::ui::widgets::settings::SettingRow;

impl SettingRow for ActivityType {
    const HEADERS: &'static [&'static str] = &["分组", "名称", "频次", "适用于", "停用"];

    fn blank() -> Self {
        ActivityType {
            id: None,
            uid: String::new(),
            group: GROUPS[3].to_string(),
            label: String::new(),
            frequency: Frequency::None,
            expected_of: ExpectedOf::Nobody,
            requires: Requires::Nothing,
            builtin: false,
            hidden: false,
        }
    }

    fn cells(&mut self, ui: &mut Ui, i: usize, h: &[Id]) {
        if self.id.is_none() {
            let groups: Vec<(usize, String)> = GROUPS
                .iter()
                .enumerate()
                .map(|(i, g)| (i, g.to_string()))
                .collect();
            let mut g = GROUPS.iter().position(|x| *x == self.group);
            form::choice(
                ui,
                &format!("type_group_{i}"),
                h[0],
                &mut g,
                &groups,
                None,
                100.0,
            );
            if let Some(g) = g {
                self.group = GROUPS[g].to_string();
            }
        } else {
            ui.label(&self.group);
        }
        if self.builtin {
            ui.label(&self.label);
        } else {
            ui.add(TextEdit::singleline(&mut self.label).desired_width(160.0))
                .labelled_by(h[1]);
        }
        let frequencies: Vec<_> = Frequency::ALL
            .iter()
            .map(|f| (*f, f.label().to_string()))
            .collect();
        let mut f = Some(self.frequency);
        form::choice(
            ui,
            &format!("type_freq_{i}"),
            h[2],
            &mut f,
            &frequencies,
            None,
            100.0,
        );
        self.frequency = f.unwrap_or(Frequency::None);
        let expected: Vec<_> = ExpectedOf::ALL
            .iter()
            .map(|e| (*e, e.label().to_string()))
            .collect();
        let mut e = Some(self.expected_of);
        form::choice(
            ui,
            &format!("type_exp_{i}"),
            h[3],
            &mut e,
            &expected,
            None,
            110.0,
        );
        self.expected_of = e.unwrap_or(ExpectedOf::Nobody);
        ui.checkbox(&mut self.hidden, "").labelled_by(h[4]);
    }
}
