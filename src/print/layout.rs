//! Our small layout on top of the PDF writer: text measured with the font's own advances, lines
//! broken the Chinese way (禁则: no line starts with closing punctuation, none ends with opening),
//! tables split across pages with their header row repeated, and the pages' boxes.

use std::collections::HashMap;

/// Closing punctuation: never at the start of a line.
const NO_START: &str = "，。、；：？！）」』】》〉”’…—·%,.;:?!)]}";
/// Opening punctuation: never at the end of a line.
const NO_END: &str = "（「『【《〈“‘([{";

/// Advance widths of one font, in em, cached per character.
pub struct Measure {
    face_data: std::sync::Arc<Vec<u8>>,
    index: u32,
    cache: HashMap<char, f32>,
}

impl Measure {
    pub fn new(face_data: std::sync::Arc<Vec<u8>>, index: u32) -> Self {
        Self {
            face_data,
            index,
            cache: HashMap::new(),
        }
    }

    fn em(&mut self, c: char) -> f32 {
        if let Some(w) = self.cache.get(&c) {
            return *w;
        }
        let w = ttf_parser::Face::parse(&self.face_data, self.index)
            .ok()
            .and_then(|face| {
                let gid = face.glyph_index(c)?;
                let advance = face.glyph_hor_advance(gid)?;
                Some(advance as f32 / face.units_per_em() as f32)
            })
            // A character the font lacks: assume a full-width box for CJK, half for the rest.
            .unwrap_or(if c.len_utf8() > 1 { 1.0 } else { 0.5 });
        self.cache.insert(c, w);
        w
    }

    /// Width of `text` at `size` points.
    pub fn width(&mut self, text: &str, size: f32) -> f32 {
        text.chars().map(|c| self.em(c)).sum::<f32>() * size
    }
}

/// The units a line may break between: each CJK character alone, a run of Latin letters and
/// digits together (a date or a number is not split), spaces alone.
fn tokens(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        let word = c.is_ascii_alphanumeric() || matches!(c, '-' | '/' | '.' | ':' | '%' | '_');
        if word {
            start.get_or_insert(i);
            continue;
        }
        if let Some(s) = start.take() {
            out.push(&text[s..i]);
        }
        out.push(&text[i..i + c.len_utf8()]);
    }
    if let Some(s) = start {
        out.push(&text[s..]);
    }
    out
}

fn starts_no_start(token: &str) -> bool {
    token.chars().next().is_some_and(|c| NO_START.contains(c))
}

fn is_no_end(token: &str) -> bool {
    token.chars().last().is_some_and(|c| NO_END.contains(c))
}

/// Breaks `text` into lines no wider than `width` at `size`. Explicit newlines are kept. A token
/// that may not start a line takes the last token of the line before with it, and an opening
/// bracket never ends a line; a single token wider than the line is set on its own.
pub fn break_lines(m: &mut Measure, text: &str, size: f32, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        // A token wider than the whole line (a long number in a narrow column) is set by
        // character, so nothing runs over into the next cell.
        let toks: Vec<&str> = tokens(paragraph)
            .into_iter()
            .flat_map(|t| {
                if t.len() > 1 && m.width(t, size) > width {
                    t.char_indices()
                        .map(|(i, c)| &t[i..i + c.len_utf8()])
                        .collect()
                } else {
                    vec![t]
                }
            })
            .collect();
        let mut line: Vec<&str> = Vec::new();
        let mut line_width = 0.0;
        for tok in toks {
            let w = m.width(tok, size);
            if line_width + w <= width || line.is_empty() {
                line.push(tok);
                line_width += w;
                continue;
            }
            // Break before `tok`. Carry back what may not end the line, and what must come
            // with a `tok` that may not start one.
            let mut carried: Vec<&str> = Vec::new();
            let mut head = tok;
            // 》， : both closing marks go down with the character before them.
            while starts_no_start(head) && line.len() > 1 {
                head = line.pop().unwrap_or_default();
                carried.insert(0, head);
            }
            while line.len() > 1 && line.last().is_some_and(|t| is_no_end(t)) {
                carried.insert(0, line.pop().unwrap_or_default());
            }
            lines.push(line.concat().trim_end().to_string());
            line = carried;
            line.push(tok);
            line_width = line.iter().map(|t| m.width(t, size)).sum();
        }
        lines.push(line.concat().trim_end().to_string());
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn measure() -> Measure {
        Measure::new(
            std::sync::Arc::new(crate::print::fonts::EMBEDDED.to_vec()),
            0,
        )
    }

    #[test]
    fn no_line_starts_with_closing_or_ends_with_opening_punctuation() {
        let mut m = measure();
        let text = "学习贯彻习近平新时代中国特色社会主义思想主题教育，深入学习《中国共产党章程》和《中国共产党纪律处分条例》，\
                    结合本单位工作实际（养老服务、社会救助、殡葬管理），研究部署下一阶段工作。";
        for width in [60.0, 77.0, 100.0, 131.0, 150.0, 203.0, 250.0] {
            let lines = break_lines(&mut m, text, 10.0, width);
            assert_eq!(lines.concat(), text, "nothing lost at {width}");
            for (i, l) in lines.iter().enumerate() {
                if i > 0 {
                    assert!(
                        !starts_no_start(l),
                        "line starts with punctuation at {width}: {l}"
                    );
                }
                if i + 1 < lines.len() {
                    assert!(
                        !is_no_end(l),
                        "line ends with an opening bracket at {width}: {l}"
                    );
                }
            }
        }
    }

    #[test]
    fn numbers_and_dates_are_not_split() {
        let mut m = measure();
        let lines = break_lines(&mut m, "会议于2022-03-05召开，实到12345人", 10.0, 75.0);
        assert!(lines.iter().any(|l| l.contains("2022-03-05")), "{lines:?}");
        assert!(lines.iter().any(|l| l.contains("12345")), "{lines:?}");
    }
}
