//! 党费: monthly dues, amount = base × rate by the bands of domain.md. Money is kept in fen.

use serde::{Deserialize, Serialize};

use super::field::{self, Field, Kind};
use super::{FieldErrors, labelled_enum};

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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DuesField {
    Member,
    Org,
    Month,
    Basis,
    Base,
    Rate,
    Amount,
}

super::form_field!(DuesField => Dues);

/// The fields of a month's dues, declared once (`model::field`). The rate is not kept: it follows
/// from the basis and the base.
pub const FIELDS: &[Field<DuesField>] = {
    use DuesField as F;
    &[
        Field::new(F::Member, "member_id", "党员", Kind::Int).required(),
        Field::new(F::Org, "org_id", "缴纳组织", Kind::Org),
        Field::new(F::Month, "month", "月份", Kind::Month)
            .required()
            .synonyms(&["缴费月份", "所属月份"])
            .note("如 2022-03 或 2022年3月"),
        Field::new(F::Basis, "basis", "缴纳类别", Kind::Choice(Basis::LABELS))
            .note("在职 / 离退休 / 定额，空白为在职"),
        Field::new(F::Base, "base_fen", "缴费基数", Kind::Money)
            .synonyms(&["基数", "工资基数", "月工资基数"])
            .note("元，月工资基数"),
        Field::elsewhere(F::Rate, "比例", Kind::Text).note("百分数，如 1.5；定额缴纳填 定额"),
        Field::new(F::Amount, "amount_fen", "金额", Kind::Money)
            .required()
            .synonyms(&["缴纳金额", "党费金额", "实交金额"])
            .note("元，最多两位小数"),
    ]
};

impl DuesField {
    /// The one Chinese label of the field.
    pub fn label(self) -> &'static str {
        field::find(FIELDS, self).label
    }
}

/// More than any month's dues of one member: an amount above it is a typing error (or fen).
pub const CEILING_FEN: i64 = 5_000_000;

/// One member's month as typed: in the month form's line, or a row of the 党费 sheet.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DuesInput {
    pub basis: Basis,
    /// 缴费基数 in 元 as typed (ignored for the flat amount).
    pub base: String,
    /// 金额 in 元 as typed.
    pub amount: String,
}

// The enum comes from `labelled_enum!`, which cannot mark a `#[default]` variant.
#[allow(clippy::derivable_impls)]
impl Default for Basis {
    fn default() -> Self {
        Basis::InService
    }
}

impl DuesInput {
    /// Checks the line and builds the record of `member_id` paid in `org_id` for the month. Money
    /// has at most two decimals; an amount above [`CEILING_FEN`], or a hundred times what the base
    /// and rate give (typed in fen), is refused.
    pub fn validate(
        &self,
        member_id: i64,
        org_id: i64,
        (year, month): (i32, u32),
    ) -> Result<Dues, FieldErrors<DuesField>> {
        use DuesField as F;
        let mut errors = FieldErrors::new();
        let base_fen = match self.basis {
            Basis::Flat => None,
            _ if self.base.trim().is_empty() => None,
            _ => match parse_yuan(&self.base) {
                Ok(b) if b > 100 * CEILING_FEN => {
                    errors.push(F::Base, format!("缴费基数{}元过大，请核对", yuan(b)));
                    None
                }
                Ok(b) => Some(b),
                Err(e) => {
                    errors.push(F::Base, e);
                    None
                }
            },
        };
        let amount_fen = match parse_yuan(&self.amount) {
            Ok(a) if a > CEILING_FEN => {
                errors.push(
                    F::Amount,
                    format!(
                        "金额{}元超过每月{}元，请核对（金额以元为单位）",
                        yuan(a),
                        yuan(CEILING_FEN)
                    ),
                );
                None
            }
            Ok(a) => Some(a),
            Err(e) => {
                errors.push(F::Amount, e);
                None
            }
        };
        if let (Some(a), Some(b)) = (amount_fen, base_fen) {
            let due = amount(self.basis, b);
            if due > 0 && a >= 100 * due {
                errors.push(
                    F::Amount,
                    format!(
                        "金额{}元是按缴费基数和比例算出的应交金额{}元的{}倍，金额可能以分为单位；请按元填写",
                        yuan(a),
                        yuan(due),
                        a / due
                    ),
                );
            }
        }
        match (amount_fen, errors.is_empty()) {
            (Some(amount_fen), true) => Ok(Dues {
                member_id,
                org_id,
                year,
                month,
                basis: self.basis,
                base_fen,
                amount_fen,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_in_fen_or_beyond_reason_are_refused() {
        let line = |base: &str, amount: &str| DuesInput {
            basis: Basis::InService,
            base: base.into(),
            amount: amount.into(),
        };
        let ok = line("5000", "50").validate(1, 2, (2022, 3)).unwrap();
        assert_eq!((ok.amount_fen, ok.base_fen), (5000, Some(500_000)));
        let e = line("5000", "5000").validate(1, 2, (2022, 3)).unwrap_err();
        assert!(
            e.get(DuesField::Amount)
                .unwrap()
                .contains("金额可能以分为单位"),
            "{e:?}"
        );
        let e = line("", "1000000000000")
            .validate(1, 2, (2022, 3))
            .unwrap_err();
        assert!(e.get(DuesField::Amount).is_some());
        let e = line("", "50.005").validate(1, 2, (2022, 3)).unwrap_err();
        assert!(e.get(DuesField::Amount).unwrap().contains("不是金额"));
        // More than due, but not a hundred times: a member may pay more.
        assert!(line("5000", "200").validate(1, 2, (2022, 3)).is_ok());
    }

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
