//! Report prose in the window (谈话's year sentence, 统计's paragraph), broken into lines by the
//! same rule as the PDF (`crate::line_break`), so "7人次" and "70.0%" never part across lines as
//! egui's own wrapping would part them.

use egui::{Label, Response, RichText, TextStyle, TextWrapMode, Ui};

/// Shows `text` across the available width; `strong` for the emphasised sentence.
pub fn prose(ui: &mut Ui, text: &str, strong: bool) -> Response {
    let font = TextStyle::Body.resolve(ui.style());
    // A hair narrower than the space: the sum of advances leaves out nothing egui adds but a
    // rounding, and a line that ran over by it would widen the panel.
    let width = (ui.available_width() - 2.0).max(font.size * 4.0);
    let lines = ui.fonts_mut(|fonts| {
        crate::line_break::break_lines(text, width, |t| {
            t.chars().map(|c| fonts.glyph_width(&font, c)).sum()
        })
    });
    let mut rich = RichText::new(lines.join("\n"));
    if strong {
        rich = rich.strong();
    }
    ui.add(Label::new(rich).wrap_mode(TextWrapMode::Extend))
}
