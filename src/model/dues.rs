//! 党费: monthly dues, amount = base × rate by the bands of domain.md. Money is kept in fen.

use serde::{Deserialize, Serialize};

use super::labelled_enum;

labelled_enum! {
    /// Which table of rates applies to a member.
    pub enum Basis {
        InService => "在职",
        Retired => "离退休",
        Flat => "定额",
    }
}

/// The flat amount (学生、失业、领取最低生活保障金的党员): 0.2 元 a month.
pub const FLAT_FEN: i64 = 20;

/// A rate: per-mille of the base, or the flat amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rate {
    PerMille(i64),
    Flat,
}

impl Rate {
    /// As it is printed on the 公示表: "1%", "1.5%", "0.2元/月".
    pub fn label(self) -> String {
        match self {
            Rate::PerMille(p) if p % 10 == 0 => format!("{}%", p / 10),
            Rate::PerMille(p) => format!("{}.{}%", p / 10, p % 10),
            Rate::Flat => "0.2元/月".into(),
        }
    }
}

/// The band a monthly base (after-tax fixed pay, in fen) falls in. Edges belong to the lower band:
/// 3000 元 exactly pays 0.5%, 5000 元 1%, 10000 元 1.5%.
pub fn rate(basis: Basis, base_fen: i64) -> Rate {
    match basis {
        Basis::InService => Rate::PerMille(if base_fen <= 300_000 {
            5
        } else if base_fen <= 500_000 {
            10
        } else if base_fen <= 1_000_000 {
            15
        } else {
            20
        }),
        Basis::Retired => Rate::PerMille(if base_fen <= 500_000 { 5 } else { 10 }),
        Basis::Flat => Rate::Flat,
    }
}

/// The monthly amount in fen, rounded half up to the fen.
pub fn amount(basis: Basis, base_fen: i64) -> i64 {
    match rate(basis, base_fen) {
        Rate::PerMille(p) => (base_fen.max(0) * p + 500) / 1000,
        Rate::Flat => FLAT_FEN,
    }
}

/// One member's dues for one month: a record means it was paid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dues {
    pub member_id: i64,
    /// The organisation the dues were paid in (the branch whose month form recorded them).
    pub org_id: i64,
    pub year: i32,
    pub month: u32,
    pub basis: Basis,
    /// The base the amount was computed from; `None` for the flat amount.
    pub base_fen: Option<i64>,
    pub amount_fen: i64,
}

impl Dues {
    /// "2022-03", as stored.
    pub fn month_key(&self) -> String {
        month_key(self.year, self.month)
    }
}

pub fn month_key(year: i32, month: u32) -> String {
    format!("{year:04}-{month:02}")
}

/// Whether a month's dues are owed by `today`: months that have ended (the month under way is
/// still being collected). Arrears are the owed months of a member on the rolls without a record.
pub fn month_is_due(year: i32, month: u32, today: chrono::NaiveDate) -> bool {
    use chrono::Datelike;
    (year, month) < (today.year(), today.month())
}

/// Parses an amount of money as staff type it ("4567.8", "4,567.80", "4567元") into fen.
pub fn parse_yuan(text: &str) -> Result<i64, String> {
    let t: String = text
        .trim()
        .trim_end_matches('元')
        .chars()
        .filter(|c| !matches!(c, ',' | '，' | ' '))
        .collect();
    if t.is_empty() {
        return Err("请填写金额".into());
    }
    let (whole, frac) = t.split_once('.').unwrap_or((&t, ""));
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    if !digits(whole) || !(frac.is_empty() || digits(frac)) || frac.len() > 2 {
        return Err(format!("“{}”不是金额（例：4567.80）", text.trim()));
    }
    let whole: i64 = whole
        .parse()
        .map_err(|_| format!("“{}”金额过大", text.trim()))?;
    let frac: i64 = format!("{frac:0<2}").parse().unwrap_or(0);
    whole
        .checked_mul(100)
        .and_then(|w| w.checked_add(frac))
        .filter(|&f| f <= 10_000_000_000)
        .ok_or_else(|| format!("“{}”金额过大", text.trim()))
}

/// Fen as yuan with two decimals ("45.68"), as forms, tables and the report show money.
pub fn yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let fen = fen.unsigned_abs();
    format!("{sign}{}.{:02}", fen / 100, fen % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_service_bands_at_their_edges() {
        let at = |yuan: i64| rate(Basis::InService, yuan * 100);
        assert_eq!(at(3000), Rate::PerMille(5));
        assert_eq!(rate(Basis::InService, 300_001), Rate::PerMille(10));
        assert_eq!(at(5000), Rate::PerMille(10));
        assert_eq!(rate(Basis::InService, 500_001), Rate::PerMille(15));
        assert_eq!(at(10000), Rate::PerMille(15));
        assert_eq!(rate(Basis::InService, 1_000_001), Rate::PerMille(20));
        assert_eq!(
            amount(Basis::InService, 300_000),
            1500,
            "3000 元 × 0.5% = 15 元"
        );
        assert_eq!(
            amount(Basis::InService, 500_000),
            5000,
            "5000 元 × 1% = 50 元"
        );
        assert_eq!(
            amount(Basis::InService, 1_000_000),
            15000,
            "10000 元 × 1.5%"
        );
        assert_eq!(amount(Basis::InService, 1_200_000), 24000, "12000 元 × 2%");
        assert_eq!(
            amount(Basis::InService, 456_789),
            4568,
            "rounded half up to the fen"
        );
    }

    #[test]
    fn retired_and_flat() {
        assert_eq!(rate(Basis::Retired, 500_000), Rate::PerMille(5));
        assert_eq!(rate(Basis::Retired, 500_001), Rate::PerMille(10));
        assert_eq!(amount(Basis::Retired, 500_000), 2500);
        assert_eq!(amount(Basis::Flat, 999_999), 20);
        assert_eq!(Rate::PerMille(15).label(), "1.5%");
        assert_eq!(Rate::PerMille(10).label(), "1%");
        assert_eq!(Rate::Flat.label(), "0.2元/月");
    }

    #[test]
    fn amounts_as_typed() {
        assert_eq!(parse_yuan("4567.8"), Ok(456_780));
        assert_eq!(parse_yuan("4,567.80元"), Ok(456_780));
        assert_eq!(parse_yuan("0.2"), Ok(20));
        assert!(parse_yuan("4.567").is_err());
        assert!(parse_yuan("-3").is_err());
        assert!(parse_yuan("").is_err());
        assert_eq!(yuan(456_780), "4567.80");
        assert_eq!(yuan(-5), "-0.05");
    }
}
