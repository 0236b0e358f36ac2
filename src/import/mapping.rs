//! Column mappings for statements in no layout Casebook knows: the user says
//! which column holds what, and may save the mapping by name for next time.

use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};

use crate::db::Journal;
use crate::error::{Error, Problem, Result};
use crate::time::At;

/// Which column holds what (by header name).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(default)]
pub struct ColumnMapping {
    pub date: String,
    /// A separate time column, if the date column has no time.
    pub time: Option<String>,
    /// Signed amount: negative is money out (unless `direction` says).
    pub amount: String,
    pub currency: Option<String>,
    /// The currency when no column holds it.
    pub fixed_currency: Option<String>,
    pub id: Option<String>,
    pub counterparty: Option<String>,
    pub status: Option<String>,
    pub note: Option<String>,
    /// A column saying in/out (credit/debit, 收入/支出).
    pub direction: Option<String>,
    /// Dates such as 03/04/2024 are day first.
    pub day_first: bool,
    /// Times are UTC (otherwise the user's local time).
    pub utc: bool,
}

impl ColumnMapping {
    /// Checks the mapping against a file's header row.
    pub(crate) fn check(&self, header: &[String]) -> Result<()> {
        let norm: Vec<String> = header.iter().map(|h| super::values::norm(h)).collect();
        let has = |c: &str| norm.contains(&super::values::norm(c));
        for (role, col) in [("date", Some(&self.date)), ("amount", Some(&self.amount))] {
            let col = col.map(|c| c.trim()).unwrap_or("");
            if col.is_empty() {
                return Err(Error::invalid(Problem::MappingColumnMissing {
                    role: role.into(),
                }));
            }
        }
        if self.currency.is_none() && self.fixed_currency.is_none() {
            return Err(Error::invalid(Problem::MappingCurrencyMissing {}));
        }
        let optional = [
            &self.time,
            &self.currency,
            &self.id,
            &self.counterparty,
            &self.status,
            &self.note,
            &self.direction,
        ];
        for col in [Some(&self.date), Some(&self.amount)]
            .into_iter()
            .flatten()
            .chain(optional.into_iter().flatten())
        {
            if !has(col) {
                return Err(Error::invalid(Problem::MappingNoSuchColumn {
                    column: col.to_string(),
                    columns: header.to_vec(),
                }));
            }
        }
        Ok(())
    }
}

/// A mapping saved under a name.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct SavedMapping {
    pub name: String,
    pub mapping: ColumnMapping,
}

impl Journal {
    /// Saves (or replaces) a column mapping under `name`.
    pub fn save_mapping(&mut self, name: &str, mapping: &ColumnMapping) -> Result<()> {
        let name = name.trim();
        if name.is_empty() {
            return Err(Error::invalid(Problem::MappingNameMissing {}));
        }
        crate::cases::check_text("name", name, 200)?;
        let json =
            serde_json::to_string(mapping).map_err(|e| Error::internal("saving_mapping", e))?;
        self.write(|tx| {
            tx.execute(
                "INSERT INTO import_mappings (name, mapping_json, saved_ms) VALUES (?1, ?2, ?3)
                 ON CONFLICT(name) DO UPDATE SET mapping_json = excluded.mapping_json, saved_ms = excluded.saved_ms",
                params![name, json, At::now().utc_ms],
            )?;
            Ok(())
        })
    }

    pub fn mapping(&self, name: &str) -> Result<ColumnMapping> {
        let json: Option<String> = self
            .read()
            .query_row(
                "SELECT mapping_json FROM import_mappings WHERE name = ?1",
                [name.trim()],
                |r| r.get(0),
            )
            .optional()?;
        let json = json.ok_or_else(|| {
            Error::invalid(Problem::MappingNotFound {
                name: name.trim().into(),
            })
        })?;
        serde_json::from_str(&json).map_err(|e| {
            Error::Conflict(Problem::MappingDamaged {
                detail: e.to_string(),
            })
        })
    }

    pub fn mappings(&self) -> Result<Vec<SavedMapping>> {
        let mut stmt = self
            .read()
            .prepare("SELECT name, mapping_json FROM import_mappings ORDER BY name")?;
        let rows: Vec<(String, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows
            .into_iter()
            .filter_map(|(name, json)| {
                serde_json::from_str(&json)
                    .ok()
                    .map(|mapping| SavedMapping { name, mapping })
            })
            .collect())
    }
}
