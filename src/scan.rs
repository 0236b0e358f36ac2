//! The scan: what support said in a case's contacts and notes, checked
//! against the scam shield's rules, and the number or address each contact
//! went through against the register of official contact points. It sits
//! above both: the rules (`shield`) know no journal, the register
//! (`channels`) checks points with the rules' words.

use serde::Serialize;

use crate::db::Journal;
use crate::error::Result;
use crate::shield::Flag;

/// A red flag found in one entry of the journal.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct EntryFlag {
    pub case_id: i64,
    /// "contact" or "note".
    pub entry: String,
    pub entry_id: i64,
    /// Which field: "reply", "asked" or "text".
    pub field: String,
    #[serde(flatten)]
    pub flag: Flag,
}

/// What `scan` found and with which rules.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ScanReport {
    pub rules_version: u32,
    pub entries_checked: usize,
    pub flags: Vec<EntryFlag>,
}

/// What support said in every contact and every note of cases `?1..=?2`
/// (see [`crate::db::case_bounds`]).
pub(crate) const TEXTS_TO_CHECK: &str = "SELECT case_id, 'contact', id, 'reply', reply FROM contacts WHERE case_id BETWEEN ?1 AND ?2 AND deleted_ms IS NULL
 UNION ALL
 SELECT case_id, 'contact', id, 'asked', asked FROM contacts WHERE case_id BETWEEN ?1 AND ?2 AND deleted_ms IS NULL
 UNION ALL
 SELECT case_id, 'note', id, 'text', body FROM notes WHERE case_id BETWEEN ?1 AND ?2 AND deleted_ms IS NULL
 ORDER BY 1, 2, 3";

/// The parts of a script found so far in one case's entries.
#[derive(Default)]
struct Across {
    case_id: Option<i64>,
    parts: crate::shield::scripts::Found,
    /// Entries that held at least one part.
    entries: std::collections::BTreeSet<(String, i64)>,
}

impl Journal {
    /// Re-checks what support said in every contact (its reply, and what
    /// the user was told to do in "asked") and every note, of one case or of
    /// all, against the shield's rules; and the number or address of every
    /// contact against the register of official contact points.
    pub fn scan(&self, case_id: Option<i64>) -> Result<ScanReport> {
        let rules = crate::shield::RuleSet::builtin();
        let conn = self.read();
        if let Some(id) = case_id {
            crate::cases::ensure_exists(conn, id)?;
        }
        let mut flags = Vec::new();
        let mut checked = 0;
        let mut stmt = conn.prepare(TEXTS_TO_CHECK)?;
        let (lo, hi) = crate::db::case_bounds(case_id);
        let rows = stmt.query_map([lo, hi], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?;
        // A script often spans several calls: one claims to be 银保监会,
        // the next asks for a transfer. The parts found so far in the case's
        // replies that were not scripts on their own, and their entries.
        let mut across = Across::default();
        for row in rows {
            let (case_id, entry, entry_id, field, text) = row?;
            if text.trim().is_empty() {
                continue;
            }
            checked += 1;
            let (found, parts) = rules.check_with_parts(&text);
            let warned = found.iter().any(|f| f.category == "script");
            for flag in found {
                flags.push(EntryFlag {
                    case_id,
                    entry: entry.clone(),
                    entry_id,
                    field: field.clone(),
                    flag,
                });
            }
            if across.case_id != Some(case_id) {
                across = Across {
                    case_id: Some(case_id),
                    ..Across::default()
                };
            }
            // Only what support said adds up: not the user's own question
            // or notes ("客服说48小时内回电"); and not a reply already warned
            // about as a script on its own.
            if field != "reply" || warned || parts.is_empty() {
                continue;
            }
            across.parts.merge(&parts);
            across.entries.insert((entry.clone(), entry_id));
            if across.entries.len() >= 2 && rules.scripts.parts_make_a_script(&across.parts) {
                flags.push(EntryFlag {
                    case_id,
                    entry: entry.clone(),
                    entry_id,
                    field: field.clone(),
                    flag: rules.script_warning(
                        "script_across_contacts",
                        &across.parts,
                        None,
                        true,
                        text.trim().chars().take(200).collect(),
                    ),
                });
                // The next script starts afresh.
                across = Across {
                    case_id: Some(case_id),
                    ..Across::default()
                };
            }
        }
        // The number or address each contact went through.
        for (case_id, f) in crate::channels::flags_of_contacts(conn, case_id)? {
            flags.push(EntryFlag {
                case_id,
                entry: "contact".into(),
                entry_id: f.contact_id.unwrap_or_default(),
                field: "via".into(),
                flag: f.to_flag(),
            });
        }
        flags.sort_by(|a, b| {
            (a.case_id, &a.entry, a.entry_id).cmp(&(b.case_id, &b.entry, b.entry_id))
        });
        Ok(ScanReport {
            rules_version: rules.version,
            entries_checked: checked,
            flags,
        })
    }
}
