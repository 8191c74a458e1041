//! Sorting Chinese names the way staff expect: by pinyin (as Excel/WPS do in a Chinese locale),
//! not by Unicode code point, which follows radicals and looks random to a reader.

use pinyin::ToPinyin;

/// A key that orders names by pinyin syllable by syllable; characters without pinyin (Latin
/// letters, digits) stand for themselves. Ties between homophones are broken by the name itself.
pub fn pinyin_key(name: &str) -> String {
    let mut key = String::with_capacity(name.len() * 3);
    for c in name.chars() {
        match c.to_pinyin() {
            Some(p) => key.push_str(p.plain()),
            None => key.extend(c.to_lowercase()),
        }
        key.push(' ');
    }
    key.push('\u{1}');
    key.push_str(name);
    key
}

/// A key that orders organisations' names as staff number them: 第一、第二……第十一 by their
/// value, the rest by pinyin. (By code point 第三 comes before 第二.)
pub fn org_key(name: &str) -> String {
    const DIGITS: &str = "零一二三四五六七八九";
    let mut plain = String::with_capacity(name.len() + 8);
    let mut run = String::new();
    let flush = |run: &mut String, plain: &mut String| {
        if run.is_empty() {
            return;
        }
        // 十 alone is 10, 十一 11, 二十 20, 二十一 21; plain digits read in turn (二〇二二).
        let mut value = 0u32;
        let mut current = 0u32;
        for c in run.chars() {
            if c == '十' {
                value += current.max(1) * 10;
                current = 0;
            } else if let Some(d) = DIGITS.chars().position(|x| x == c) {
                current = current * 10 + d as u32;
            }
        }
        value += current;
        plain.push_str(&format!("{value:04}"));
        run.clear();
    };
    for c in name.chars() {
        if c == '十' || DIGITS.contains(c) {
            run.push(c);
        } else {
            flush(&mut run, &mut plain);
            plain.push(c);
        }
    }
    flush(&mut run, &mut plain);
    pinyin_key(&plain)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn branches_sort_by_their_number() {
        let mut names = vec![
            "机关第三党支部",
            "机关第十一党支部",
            "机关第一党支部",
            "机关第二党支部",
            "机关第十党支部",
        ];
        names.sort_by_key(|n| org_key(n));
        assert_eq!(
            names,
            [
                "机关第一党支部",
                "机关第二党支部",
                "机关第三党支部",
                "机关第十党支部",
                "机关第十一党支部"
            ]
        );
    }

    #[test]
    fn names_sort_by_pinyin() {
        let mut names = vec!["张伟", "王芳", "李娜", "陈静", "安然", "赵磊"];
        names.sort_by_key(|n| pinyin_key(n));
        assert_eq!(names, ["安然", "陈静", "李娜", "王芳", "张伟", "赵磊"]);
        // Homophones still get distinct keys, so the order is stable.
        assert_ne!(pinyin_key("王小明"), pinyin_key("王晓明"));
    }
}
