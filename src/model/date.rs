//! Dates as staff type them: `2022-3-5`, `2022/03/05`, `2022.3.5`, `2022年3月5日`, `20220305`,
//! with full-width digits from a Chinese input method accepted too.

use chrono::{Datelike, NaiveDate};

/// Why a typed date was not accepted, phrased for the field it was typed in.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("无法识别的日期，请按 2022-03-05 或 2022年3月5日 的格式填写")]
    Unrecognised,
    #[error("日期不存在：{0}年{1}月{2}日")]
    NoSuchDay(i32, u32, u32),
}

/// Maps full-width digits and separators (typed with a Chinese IME) to ASCII.
fn to_half_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '－' | '—' | '–' => '-',
            '／' => '/',
            '．' | '。' => '.',
            _ => c,
        })
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// Splits `s` into its runs of digits, and returns them with whether anything other than the
/// accepted separators appeared.
fn digit_runs<'a>(s: &'a str, separators: &[char]) -> Option<Vec<&'a str>> {
    if s.chars()
        .any(|c| !c.is_ascii_digit() && !separators.contains(&c))
    {
        return None;
    }
    Some(
        s.split(|c: char| !c.is_ascii_digit())
            .filter(|p| !p.is_empty())
            .collect(),
    )
}

fn ymd(y: &str, m: &str, d: &str) -> Result<NaiveDate, DateError> {
    if y.len() != 4 || m.is_empty() || m.len() > 2 || d.is_empty() || d.len() > 2 {
        return Err(DateError::Unrecognised);
    }
    let (y, m, d): (i32, u32, u32) = (
        y.parse().map_err(|_| DateError::Unrecognised)?,
        m.parse().map_err(|_| DateError::Unrecognised)?,
        d.parse().map_err(|_| DateError::Unrecognised)?,
    );
    NaiveDate::from_ymd_opt(y, m, d).ok_or(DateError::NoSuchDay(y, m, d))
}

/// Parses a date in any of the forms staff use. Empty input is an error; callers treat an empty
/// optional field before calling this.
pub fn parse_date(input: &str) -> Result<NaiveDate, DateError> {
    let s = to_half_width(input);
    if s.len() == 8 && s.chars().all(|c| c.is_ascii_digit()) {
        return ymd(&s[0..4], &s[4..6], &s[6..8]);
    }
    if s.contains('年') {
        let rest = s
            .strip_suffix('日')
            .or_else(|| s.strip_suffix('号'))
            .unwrap_or(&s);
        let (y, rest) = rest.split_once('年').ok_or(DateError::Unrecognised)?;
        let (m, d) = rest.split_once('月').ok_or(DateError::Unrecognised)?;
        if [y, m, d]
            .iter()
            .any(|p| p.is_empty() || !p.chars().all(|c| c.is_ascii_digit()))
        {
            return Err(DateError::Unrecognised);
        }
        return ymd(y, m, d);
    }
    for sep in ['-', '/', '.'] {
        if s.contains(sep) {
            let parts = digit_runs(&s, &[sep]).ok_or(DateError::Unrecognised)?;
            if parts.len() != 3 || s.split(sep).count() != 3 {
                return Err(DateError::Unrecognised);
            }
            return ymd(parts[0], parts[1], parts[2]);
        }
    }
    Err(DateError::Unrecognised)
}

/// Parses an optional date field: empty (or blank) is `Ok(None)`.
pub fn parse_optional_date(input: &str) -> Result<Option<NaiveDate>, DateError> {
    if input.trim().is_empty() {
        Ok(None)
    } else {
        parse_date(input).map(Some)
    }
}

/// Parses a month, `2022-03` or `2022年3月`, into (year, month).
pub fn parse_month(input: &str) -> Option<(i32, u32)> {
    let s = to_half_width(input);
    let (y, m) = if let Some(rest) = s.strip_suffix('月') {
        rest.split_once('年')?
    } else {
        let sep = ['-', '/', '.'].into_iter().find(|c| s.contains(*c))?;
        s.split_once(sep)?
    };
    if y.len() != 4 || m.is_empty() || m.len() > 2 || !m.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let (y, m): (i32, u32) = (y.parse().ok()?, m.parse().ok()?);
    (1..=12).contains(&m).then_some((y, m))
}

/// The form dates are stored and shown in: `2022-03-05`.
pub fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// The form a report sentence uses: `2022年3月5日`.
pub fn chinese(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// Whole years from `from` to `to` (age on a date), counting a birthday on `to` as reached.
pub fn whole_years(from: NaiveDate, to: NaiveDate) -> i32 {
    let mut years = to.year() - from.year();
    if (to.month(), to.day()) < (from.month(), from.day()) {
        years -= 1;
    }
    years
}

/// The same day `years` later; 29 February becomes 28 February in a common year.
pub fn add_years(d: NaiveDate, years: u32) -> NaiveDate {
    d.checked_add_months(chrono::Months::new(years * 12))
        .unwrap_or(d)
}

/// Chinese weekday names starting Monday, as on a Chinese wall calendar.
pub const WEEKDAYS: [&str; 7] = ["一", "二", "三", "四", "五", "六", "日"];

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn accepts_every_form_staff_type() {
        for s in [
            "2022-3-5",
            "2022-03-05",
            "2022/3/5",
            "2022.3.5",
            "2022年3月5日",
            "2022年03月05日",
            "2022年3月5",
            "20220305",
            " 2022-3-5 ",
            "２０２２年３月５日",
            "2022．3．5",
        ] {
            assert_eq!(parse_date(s), Ok(d(2022, 3, 5)), "{s}");
        }
    }

    #[test]
    fn rejects_what_is_not_a_date() {
        for s in [
            "",
            "2022",
            "2022-3",
            "22-3-5",
            "2022-3-5-1",
            "2022年3月",
            "abc",
            "2022-3/5",
            "2022-３-5x",
        ] {
            assert_eq!(parse_date(s), Err(DateError::Unrecognised), "{s}");
        }
        assert_eq!(
            parse_date("2022-2-30"),
            Err(DateError::NoSuchDay(2022, 2, 30))
        );
        assert_eq!(
            parse_date("2023年2月29日"),
            Err(DateError::NoSuchDay(2023, 2, 29))
        );
    }

    #[test]
    fn optional_dates_and_months() {
        assert_eq!(parse_optional_date("  "), Ok(None));
        assert_eq!(parse_optional_date("2024-2-29"), Ok(Some(d(2024, 2, 29))));
        assert_eq!(parse_month("2022-03"), Some((2022, 3)));
        assert_eq!(parse_month("2022年3月"), Some((2022, 3)));
        assert_eq!(parse_month("2022-13"), None);
        assert_eq!(parse_month("2022"), None);
    }

    #[test]
    fn ages_and_anniversaries() {
        assert_eq!(whole_years(d(2004, 3, 5), d(2022, 3, 4)), 17);
        assert_eq!(whole_years(d(2004, 3, 5), d(2022, 3, 5)), 18);
        assert_eq!(add_years(d(2020, 2, 29), 1), d(2021, 2, 28));
        assert_eq!(add_years(d(2022, 6, 1), 3), d(2025, 6, 1));
        assert_eq!(chinese(d(2022, 3, 5)), "2022年3月5日");
        assert_eq!(iso(d(2022, 3, 5)), "2022-03-05");
    }
}
