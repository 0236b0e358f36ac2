//! Money is a decimal amount with its currency, never a float.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Problem, Result};

/// A currency code: ISO 4217 (CNY, USD, EUR...) or a crypto ticker (BTC, USDT).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(transparent)]
pub struct Currency(String);

impl Currency {
    pub fn parse(field: &'static str, input: &str) -> Result<Currency> {
        let code = input.trim().to_ascii_uppercase();
        let code = match code.as_str() {
            "RMB" | "¥" | "元" | "人民币" => "CNY".to_string(),
            _ => code,
        };
        let ok = (2..=10).contains(&code.len())
            && code
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
            && code.chars().next().is_some_and(|c| c.is_ascii_uppercase());
        if !ok {
            return Err(Error::invalid(Problem::NotACurrency {
                field: field.into(),
                input: input.trim().to_string(),
            }));
        }
        Ok(Currency(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Parses an amount typed by a user: digits with an optional sign and decimal
/// point (`12.50`, `-3`, `+0.00012`). Thousands separators and exponents are
/// refused so that `1,234` can never be misread.
pub fn parse_amount(field: &'static str, input: &str) -> Result<Decimal> {
    let s = input.trim();
    let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let well_formed = !int.is_empty()
        && int.chars().all(|c| c.is_ascii_digit())
        && frac.chars().all(|c| c.is_ascii_digit())
        && !(digits.contains('.') && frac.is_empty())
        && frac.len() <= 18
        && int.len() <= 18;
    if !well_formed {
        return Err(Error::invalid(Problem::NotAnAmount {
            field: field.into(),
            input: s.to_string(),
        }));
    }
    Decimal::from_str(s).map_err(|_| {
        Error::invalid(Problem::AmountTooLarge {
            field: field.into(),
            input: s.to_string(),
        })
    })
}

/// An amount with its currency.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Money {
    #[serde(with = "rust_decimal::serde::str")]
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub amount: Decimal,
    pub currency: Currency,
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount, self.currency)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_exact() {
        assert_eq!(parse_amount("a", "12.50").unwrap().to_string(), "12.50");
        assert_eq!(
            parse_amount("a", "-0.1").unwrap() + parse_amount("a", "0.2").unwrap(),
            Decimal::new(1, 1)
        );
        assert_eq!(
            parse_amount("a", "0.000000000000000001").unwrap().scale(),
            18
        );
        for bad in [
            "", "abc", "1,234.50", "1e5", "12.", ".5", "--1", "NaN", "12.5.1",
        ] {
            assert!(parse_amount("a", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn currency_codes() {
        assert_eq!(Currency::parse("c", "rmb").unwrap().as_str(), "CNY");
        assert_eq!(Currency::parse("c", "usdt").unwrap().as_str(), "USDT");
        assert!(Currency::parse("c", "US$").is_err());
        assert!(Currency::parse("c", "").is_err());
    }
}
