//! The closed vocabularies of the journal: categories, statuses, channels...
//! Each has a stable snake_case key (stored in SQLite, printed in JSON, typed
//! on the command line) and a few aliases people naturally type.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        $name:ident, $field:literal {
            $($variant:ident = $key:literal $(| $alias:literal)*),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, ::serde::Serialize, ::serde::Deserialize)]
        #[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $(#[serde(rename = $key)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn key(self) -> &'static str {
                match self {
                    $($name::$variant => $key),+
                }
            }

            /// Parses a key or one of its aliases, case-insensitively.
            pub fn parse(input: &str) -> Result<Self> {
                let norm = input.trim().to_lowercase().replace(['-', ' '], "_");
                match norm.as_str() {
                    $($key $(| $alias)* => Ok($name::$variant),)+
                    _ => Err(Error::invalid($crate::error::Problem::unknown_value(
                        $field,
                        input,
                        &[$($key),+],
                    ))),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.key())
            }
        }

        impl rusqlite::types::ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                Ok(self.key().into())
            }
        }

        impl rusqlite::types::FromSql for $name {
            fn column_result(v: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
                let s = v.as_str()?;
                $name::parse(s).map_err(|e| rusqlite::types::FromSqlError::Other(Box::new(e)))
            }
        }
    };
}

pub(crate) use vocabulary;

vocabulary! {
    /// What kind of service the provider is.
    ProviderKind, "provider kind" {
        EWallet = "e_wallet" | "ewallet" | "wallet" | "payment_app",
        BankApp = "bank_app" | "bank",
        CryptoWallet = "crypto_wallet" | "crypto" | "exchange",
        Other = "other",
    }
}

vocabulary! {
    /// What the problem is.
    Category, "category" {
        AccountLocked = "account_locked" | "locked" | "frozen" | "account_frozen",
        TransactionFailed = "transaction_failed" | "failed" | "failed_payment",
        Refund = "refund",
        Fraud = "fraud" | "scam" | "fraud_scam",
        Security = "security",
        Other = "other",
    }
}

vocabulary! {
    /// Where the case stands.
    Status, "status" {
        Open = "open",
        Waiting = "waiting" | "waiting_on_provider" | "pending",
        Escalated = "escalated",
        Resolved = "resolved",
        Closed = "closed",
    }
}

impl Status {
    /// Resolved and closed cases need nothing more from the user.
    pub fn is_finished(self) -> bool {
        matches!(self, Status::Resolved | Status::Closed)
    }
}

vocabulary! {
    /// How the user and support talked.
    Channel, "channel" {
        Chat = "chat" | "in_app" | "online_chat" | "app",
        Phone = "phone" | "call" | "hotline",
        Email = "email" | "e_mail" | "mail",
        Social = "social" | "social_media",
        InPerson = "in_person" | "branch" | "counter",
        Other = "other",
    }
}

vocabulary! {
    /// Who started the interaction (or which way the money moved).
    Direction, "direction" {
        Out = "out" | "outgoing" | "me" | "i_contacted_them" | "sent",
        In = "in" | "incoming" | "them" | "they_contacted_me" | "received",
    }
}

vocabulary! {
    /// What a reference number refers to.
    RefKind, "reference kind" {
        Ticket = "ticket",
        Complaint = "complaint",
        Case = "case",
        Transaction = "transaction" | "txn" | "order",
        Other = "other",
    }
}

/// Checklist items recommended before contacting support, per category.
/// The UI shows them on the new-case form; the CLI prints them with the case.
pub fn preparation_checklist(category: Category) -> &'static [&'static str] {
    const COMMON: &[&str] = &[
        "account_details",
        "transaction_records",
        "problem_description",
    ];
    match category {
        Category::AccountLocked => &[
            "account_details",
            "identity_documents",
            "problem_description",
            "screenshots",
        ],
        Category::TransactionFailed => &[
            "account_details",
            "transaction_records",
            "problem_description",
            "screenshots",
        ],
        Category::Refund => &[
            "account_details",
            "transaction_records",
            "problem_description",
            "refund_deadline",
        ],
        Category::Fraud => &[
            "freeze_account",
            "transaction_records",
            "chat_logs",
            "screenshots",
            "police_report",
        ],
        Category::Security => &[
            "change_password",
            "account_details",
            "problem_description",
            "screenshots",
        ],
        Category::Other => COMMON,
    }
}

/// What to do at once, in order, for a category where money is at risk right
/// now (the consumer advice after a scam). Empty for the other categories.
pub fn emergency_steps(category: Category) -> &'static [&'static str] {
    match category {
        Category::Fraud => &[
            "freeze_through_official_channel",
            "collect_evidence",
            "report",
            "keep_all_records",
        ],
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_keys_and_aliases() {
        assert_eq!(Channel::parse("In-Person").unwrap(), Channel::InPerson);
        assert_eq!(Category::parse("frozen").unwrap(), Category::AccountLocked);
        let err = Channel::parse("pigeon").unwrap_err();
        assert_eq!(
            err.problem(),
            crate::error::Problem::unknown_value(
                "channel",
                "pigeon",
                &["chat", "phone", "email", "social", "in_person", "other"]
            )
        );
        assert_eq!(
            serde_json::to_string(&Status::Waiting).unwrap(),
            "\"waiting\""
        );
    }
}

/// The languages Casebook speaks: of the faces, the exports and letters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    En,
    Zh,
}

impl Lang {
    pub fn parse(input: &str) -> Result<Lang> {
        match input.trim().to_ascii_lowercase().as_str() {
            "en" | "english" => Ok(Lang::En),
            "zh" | "zh-cn" | "zh_cn" | "cn" | "chinese" | "中文" => Ok(Lang::Zh),
            _ => Err(Error::invalid(crate::error::Problem::unknown_value(
                "language",
                input,
                &["zh", "en"],
            ))),
        }
    }

    pub fn pick<'a>(self, en: &'a str, zh: &'a str) -> &'a str {
        match self {
            Lang::En => en,
            Lang::Zh => zh,
        }
    }
}

impl Lang {
    /// The code kept in settings and sent to the UI: `zh` or `en`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }
}
