//! Property tests over the parsers and the period arithmetic: 100,000 inputs each, none may panic,
//! and what they accept keeps its meaning.

use chrono::{Datelike, NaiveDate};
use dangwu::model::activity::{Frequency, Period};
use dangwu::model::date::{iso, parse_date};
use dangwu::model::id_card::{check_digit, validate};
use proptest::prelude::*;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 100_000,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    /// Any text: an answer, never a panic; a date that comes back prints as it was meant.
    #[test]
    fn the_date_parser_never_panics(s in "\\PC{0,24}") {
        if let Ok(d) = parse_date(&s) {
            prop_assert_eq!(parse_date(&iso(d)).ok(), Some(d));
        }
    }

    /// Dates typed the ways staff type them parse to that date; impossible days are refused.
    #[test]
    fn dates_in_every_spelling_parse_to_themselves(y in 1900i32..2100, m in 1u32..=12, day in 1u32..=31) {
        let spellings = [
            format!("{y}-{m}-{day}"),
            format!("{y}年{m}月{day}日"),
            format!("{y}.{m}.{day}"),
            format!("{y}{m:02}{day:02}"),
        ];
        let real = NaiveDate::from_ymd_opt(y, m, day);
        for s in &spellings {
            let got = parse_date(s).ok();
            prop_assert_eq!(got, real, "{}", s);
        }
    }

    /// Any text as an ID number: an answer, never a panic.
    #[test]
    fn the_id_number_validator_never_panics(s in "[0-9Xx]{0,20}|\\PC{0,20}") {
        let _ = validate(&s);
    }

    /// Seventeen digits with their computed check digit are accepted when the birth date exists.
    #[test]
    fn a_computed_check_digit_is_accepted(area in 110000u32..659999, y in 1930i32..2010, m in 1u32..=12, day in 1u32..=28, seq in 0u32..999) {
        let first17 = format!("{area:06}{y:04}{m:02}{day:02}{seq:03}");
        let digits: Vec<u32> = first17.chars().filter_map(|c| c.to_digit(10)).collect();
        let digits: [u32; 17] = digits.try_into().unwrap();
        let number = format!("{first17}{}", check_digit(&digits));
        let info = validate(&number);
        prop_assert!(info.is_ok(), "{}: {:?}", number, info.err());
    }

    /// Every day lies in the period of each frequency that counts it, inside the period's bounds.
    #[test]
    fn a_day_lies_within_its_period(days in 0i64..80_000, f in 0usize..3) {
        let d = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap() + chrono::Duration::days(days);
        let frequency = [Frequency::Month, Frequency::Quarter, Frequency::Year][f];
        let p = Period::of(frequency, d).unwrap();
        prop_assert!(p.start() <= d && d <= p.end());
        prop_assert!(Period::all_in(frequency, d.year()).contains(&p));
        prop_assert_eq!(p.end().succ_opt().and_then(|n| Period::of(frequency, n)).map(|n| n.start()), p.end().succ_opt());
    }
}
