//! 公民身份号码 (GB 11643-1999): 18 characters, the last a check digit over the first 17 (ISO 7064 MOD 11-2).

use chrono::NaiveDate;

use super::member::Gender;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("公民身份号码应为18位，现为{0}位")]
    Length(usize),
    #[error("公民身份号码前17位应为数字，末位为数字或X")]
    Characters,
    #[error("公民身份号码中的出生日期（第7至14位）不是有效日期")]
    BirthDate,
    #[error("公民身份号码校验位不符（按前17位计算末位应为{0}），请核对号码")]
    CheckDigit(char),
}

/// What a valid number tells about its holder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdInfo {
    pub birth_date: NaiveDate,
    pub gender: Gender,
}

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// The check digit for the first 17 digits.
pub fn check_digit(first17: &[u32; 17]) -> char {
    let sum: u32 = first17.iter().zip(WEIGHTS).map(|(d, w)| d * w).sum();
    CHECK[(sum % 11) as usize]
}

/// Upper-cases the final x and drops spaces, so `11010519491231002x` and `110105 19491231 002X` match.
pub fn normalise(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Validates a number (already normalised or not) and reads the birth date and gender from it.
pub fn validate(s: &str) -> Result<IdInfo, IdError> {
    let s = normalise(s);
    let chars: Vec<char> = s.chars().collect();
    if chars.len() != 18 {
        return Err(IdError::Length(chars.len()));
    }
    let mut digits = [0u32; 17];
    for (slot, c) in digits.iter_mut().zip(&chars[..17]) {
        *slot = c.to_digit(10).ok_or(IdError::Characters)?;
    }
    if !(chars[17].is_ascii_digit() || chars[17] == 'X') {
        return Err(IdError::Characters);
    }
    let birth_date =
        NaiveDate::parse_from_str(&s[6..14], "%Y%m%d").map_err(|_| IdError::BirthDate)?;
    let expected = check_digit(&digits);
    if chars[17] != expected {
        return Err(IdError::CheckDigit(expected));
    }
    let gender = if digits[16] % 2 == 1 {
        Gender::Male
    } else {
        Gender::Female
    };
    Ok(IdInfo { birth_date, gender })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_standard_example_is_valid() {
        // The example number in GB 11643-1999.
        let info = validate("11010519491231002X").unwrap();
        assert_eq!(
            info.birth_date,
            NaiveDate::from_ymd_opt(1949, 12, 31).unwrap()
        );
        assert_eq!(info.gender, Gender::Female);
        assert!(validate("11010519491231002x").is_ok());
        let info = validate("440524188001010014").unwrap();
        assert_eq!(info.gender, Gender::Male);
    }

    #[test]
    fn every_kind_of_mistake_is_named() {
        assert_eq!(validate("1101051949123100"), Err(IdError::Length(16)));
        assert_eq!(validate("11010519491231002Y"), Err(IdError::Characters));
        assert_eq!(validate("1101051949123A002X"), Err(IdError::Characters));
        assert_eq!(validate("110105194913310029"), Err(IdError::BirthDate));
        assert_eq!(
            validate("110105194912310021"),
            Err(IdError::CheckDigit('X'))
        );
    }
}
