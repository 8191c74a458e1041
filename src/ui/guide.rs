//! 帮助 → 使用说明: the README's 用法 in the window, searchable. The text is the README's own
//! (compiled in), so the guide and the README never disagree.

use egui::{RichText, TextEdit};

const README: &str = include_str!("../../README.md");

/// The 用法 section of the README, as paragraphs: a paragraph is a list item with its
/// continuation lines, or a block of text.
pub fn paragraphs() -> Vec<String> {
    let start = README.find("## 用法").unwrap_or(0);
    let rest = &README[start..];
    let end = rest[3..].find("\n## ").map_or(rest.len(), |i| i + 3);
    let mut out: Vec<String> = Vec::new();
    for line in rest[..end].lines().skip(1) {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        let starts_item = trimmed.starts_with("- ");
        let indented_item = line.starts_with("  - ");
        if starts_item || indented_item || out.is_empty() {
            out.push(plain(trimmed.trim_start_matches("- ")));
        } else if let Some(last) = out.last_mut() {
            last.push_str(&plain(trimmed));
        }
    }
    out
}

/// Markdown's marks taken out: **bold**, `code`, [text](link).
fn plain(s: &str) -> String {
    let mut t = s.replace("**", "").replace('`', "");
    while let (Some(a), Some(b)) = (t.find("]("), t.find(')')) {
        if b < a {
            break;
        }
        let open = t[..a].rfind('[').unwrap_or(a);
        let text = t[open + 1..a].to_string();
        t.replace_range(open..=b, &text);
    }
    t
}

#[derive(Default)]
pub struct Guide {
    pub open: bool,
    search: String,
    paragraphs: Vec<String>,
}

impl Guide {
    pub fn show(&mut self, ctx: &egui::Context) {
        if !self.open {
            return;
        }
        if self.paragraphs.is_empty() {
            self.paragraphs = paragraphs();
        }
        let mut open = self.open;
        egui::Window::new("使用说明")
            .open(&mut open)
            .default_size([720.0, 560.0])
            .vscroll(false)
            .show(ctx, |ui| {
                ui.horizontal(|ui| {
                    let label = ui.label("查找");
                    ui.add(
                        TextEdit::singleline(&mut self.search)
                            .hint_text("如 销号、导入、换届")
                            .desired_width(240.0),
                    )
                    .labelled_by(label.id);
                });
                ui.separator();
                let needle = self.search.trim();
                let shown: Vec<&String> = self
                    .paragraphs
                    .iter()
                    .filter(|p| needle.is_empty() || p.contains(needle))
                    .collect();
                egui::ScrollArea::vertical()
                    .id_salt("guide_scroll")
                    .show(ui, |ui| {
                        if shown.is_empty() {
                            ui.label(RichText::new(format!("没有找到“{needle}”")).weak());
                        }
                        for p in shown {
                            ui.label(p.as_str());
                            ui.add_space(6.0);
                        }
                    });
            });
        self.open = open;
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_guide_is_the_readmes_usage_in_plain_text() {
        let p = super::paragraphs();
        assert!(p.len() > 10);
        assert!(p.iter().any(|x| x.starts_with("组织：")));
        assert!(p.iter().all(|x| !x.contains("**") && !x.contains("](")));
    }
}
