//! Providers: the wallets and payment services cases are about.

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use crate::db::Journal;
use crate::error::Result;
use crate::model::ProviderKind;
use crate::time::At;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Provider {
    pub id: i64,
    pub name: String,
    pub kind: ProviderKind,
}

/// A sensible kind for well-known services, so most users never pick one.
pub fn guess_kind(name: &str) -> ProviderKind {
    let n = name.to_lowercase();
    const WALLETS: &[&str] = &[
        "alipay",
        "支付宝",
        "wechat",
        "微信",
        "paypal",
        "venmo",
        "cash app",
        "revolut",
        "wise",
        "apple pay",
        "google pay",
        "云闪付",
        "unionpay",
    ];
    const CRYPTO: &[&str] = &[
        "coinbase",
        "binance",
        "metamask",
        "kraken",
        "okx",
        "trust wallet",
        "ledger",
        "币安",
    ];
    const BANKS: &[&str] = &["bank", "银行", "hsbc", "barclays", "chase", "icbc", "boc"];
    if CRYPTO.iter().any(|k| n.contains(k)) {
        ProviderKind::CryptoWallet
    } else if WALLETS.iter().any(|k| n.contains(k)) {
        ProviderKind::EWallet
    } else if BANKS.iter().any(|k| n.contains(k)) {
        ProviderKind::BankApp
    } else {
        ProviderKind::Other
    }
}

pub(crate) fn get_or_create(
    conn: &Connection,
    name: &str,
    kind: Option<ProviderKind>,
) -> Result<Provider> {
    let existing = conn
        .query_row(
            "SELECT id, name, kind FROM providers WHERE name = ?1 COLLATE NOCASE",
            [name],
            |r| {
                Ok(Provider {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    kind: r.get(2)?,
                })
            },
        )
        .optional()?;
    if let Some(p) = existing {
        return Ok(p);
    }
    let kind = kind.unwrap_or_else(|| guess_kind(name));
    conn.execute(
        "INSERT INTO providers (name, kind, created_ms) VALUES (?1, ?2, ?3)",
        params![name, kind, At::now().utc_ms],
    )?;
    Ok(Provider {
        id: conn.last_insert_rowid(),
        name: name.to_string(),
        kind,
    })
}

impl Journal {
    pub fn providers(&self) -> Result<Vec<Provider>> {
        let mut stmt = self
            .read()
            .prepare("SELECT id, name, kind FROM providers ORDER BY name COLLATE NOCASE")?;
        let rows = stmt.query_map([], |r| {
            Ok(Provider {
                id: r.get(0)?,
                name: r.get(1)?,
                kind: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
