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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_sort_by_pinyin() {
        let mut names = vec!["张伟", "王芳", "李娜", "陈静", "安然", "赵磊"];
        names.sort_by_key(|n| pinyin_key(n));
        assert_eq!(names, ["安然", "陈静", "李娜", "王芳", "张伟", "赵磊"]);
        // Homophones still get distinct keys, so the order is stable.
        assert_ne!(pinyin_key("王小明"), pinyin_key("王晓明"));
    }
}
