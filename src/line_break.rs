//! Where a line of Chinese text may break, one rule for the PDF and the window: between any two
//! characters (the Chinese way) except that no line starts with closing punctuation or ends with
//! opening punctuation (禁则), and a number is never split, nor parted from its measure word
//! ("7人次", "2022-03-05", "70.0%"). egui's own wrapping breaks "7|人次", so the window's report
//! sentences are broken here and shown as set lines.

/// Closing punctuation: never at the start of a line.
const NO_START: &str = "，。、；：？！）」』】》〉”’…—·%,.;:?!)]}";
/// Opening punctuation: never at the end of a line.
const NO_END: &str = "（「『【《〈“‘([{";
/// Measure words that stay with the number before them, longest first.
const UNITS: [&str; 16] = [
    "人次", "场次", "次", "人", "名", "个", "件", "项", "条", "元", "天", "年", "月", "日", "场",
    "%",
];

/// The units a line may break between: each CJK character alone, a run of Latin letters and
/// digits together with the measure word after a number, spaces alone.
fn tokens(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None;
    let mut skip_to = 0;
    for (i, c) in text.char_indices() {
        if i < skip_to {
            continue;
        }
        let word = c.is_ascii_alphanumeric() || matches!(c, '-' | '/' | '.' | ':' | '%' | '_');
        if word {
            start.get_or_insert(i);
            continue;
        }
        if let Some(s) = start.take() {
            let mut end = i;
            if text[s..i].ends_with(|c: char| c.is_ascii_digit())
                && let Some(unit) = UNITS.iter().find(|u| text[i..].starts_with(**u))
            {
                end = i + unit.len();
            }
            out.push(&text[s..end]);
            if end > i {
                skip_to = end;
                continue;
            }
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

/// Breaks `text` into lines no wider than `width`, as `measure` gives widths. Explicit newlines
/// are kept. A token that may not start a line takes the last token of the line before with it,
/// and an opening bracket never ends a line; a single token wider than the line is set by
/// character, so nothing runs over (a long number in a narrow table column).
pub fn break_lines(text: &str, width: f32, mut measure: impl FnMut(&str) -> f32) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let toks: Vec<&str> = tokens(paragraph)
            .into_iter()
            .flat_map(|t| {
                if t.len() > 1 && measure(t) > width {
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
            let w = measure(tok);
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
            line_width = line.iter().map(|t| measure(t)).sum();
        }
        lines.push(line.concat().trim_end().to_string());
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Full width for a CJK character, half for the rest, as a monospaced CJK font sets them.
    fn width(t: &str) -> f32 {
        t.chars()
            .map(|c| if c.len_utf8() > 1 { 10.0 } else { 5.0 })
            .sum()
    }

    #[test]
    fn no_line_starts_with_closing_or_ends_with_opening_punctuation() {
        let text = "学习贯彻习近平新时代中国特色社会主义思想主题教育，深入学习《中国共产党章程》和《中国共产党纪律处分条例》，\
                    结合本单位工作实际（养老服务、社会救助、殡葬管理），研究部署下一阶段工作。";
        for w in [60.0, 77.0, 100.0, 131.0, 150.0, 203.0, 250.0] {
            let lines = break_lines(text, w, width);
            assert_eq!(lines.concat(), text, "nothing lost at {w}");
            for (i, l) in lines.iter().enumerate() {
                if i > 0 {
                    assert!(
                        !starts_no_start(l),
                        "line starts with punctuation at {w}: {l}"
                    );
                }
                if i + 1 < lines.len() {
                    assert!(
                        !is_no_end(l),
                        "line ends with an opening bracket at {w}: {l}"
                    );
                }
            }
        }
    }

    #[test]
    fn numbers_and_dates_are_not_split() {
        let lines = break_lines("会议于2022-03-05召开，实到12345人", 75.0, width);
        assert!(lines.iter().any(|l| l.contains("2022-03-05")), "{lines:?}");
        assert!(lines.iter().any(|l| l.contains("12345人")), "{lines:?}");
    }

    /// At every width, "7人次" and "70.0%" stay on one line (egui alone breaks "7|人次").
    #[test]
    fn a_number_keeps_its_measure_word() {
        let text =
            "其中日常谈话5次（5人次）、集体廉政谈话5次（181人次），谈话对象200人次，整改率70.0%。";
        for w in (40..300).step_by(3) {
            let lines = break_lines(text, w as f32, width);
            assert_eq!(lines.concat(), text);
            for unit in ["5人次", "181人次", "200人次", "70.0%", "5次"] {
                assert!(
                    lines.iter().any(|l| l.contains(unit)),
                    "{unit} split at {w}: {lines:?}"
                );
            }
        }
    }
}
