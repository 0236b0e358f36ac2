//! The register of official contact points the user verified, per provider,
//! and the checks of a contact's number or address against it.
//!
//! Casebook ships no numbers or URLs of its own (official numbers change, and
//! a shipped list could be wrong or poisoned): the user verifies their own,
//! and says where (the official app, the back of the card, the website).
//!
//! A contact is flagged when its number or address
//! * is not in the register of the case's provider ("unverified channel"),
//! * was used in a contact the user reported as a scam ("scam-reported"),
//! * is a phone number starting with 00 (an international call dressed up as
//!   a local service line, a script Chinese police warn about),
//! * imitates a registered website or e-mail domain ("imitates alipay.com"):
//!   the same letters from another script (`аlipay.com` with a Cyrillic а,
//!   or its punycode `xn--lipay-3ve.com`), the official domain inside
//!   another one (`alipay.com.refund-help.top`, `alipay.com@evil.top`), or
//!   the official name with words added (`alipay-refund.com`).

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use crate::db::Journal;
use crate::error::{Error, Problem, Result};
use crate::model::Channel;
use crate::shield::{Flag, RuleSet};
use crate::time::At;

crate::model::vocabulary! {
    /// What kind of contact point an official channel is.
    PointKind, "contact point kind" {
        Phone = "phone" | "tel" | "number",
        Email = "email" | "e_mail" | "email_domain" | "mail",
        Website = "website" | "web" | "url" | "site",
        Social = "social" | "handle" | "social_media",
        InApp = "in_app" | "app" | "chat",
        Other = "other",
    }
}

/// One verified official contact point.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct OfficialChannel {
    pub id: i64,
    pub provider: String,
    pub kind: PointKind,
    /// As the user typed it.
    pub value: String,
    /// Where the user verified it (the official app, the back of the card…).
    pub verified_how: String,
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub added_at: At,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum ChannelFlagKind {
    /// Not in the register of the case's provider.
    Unverified,
    /// Used in a contact the user reported as a scam.
    ScamReported,
    /// A phone number starting with 00.
    International00,
    /// A website or e-mail domain that imitates a registered one.
    Imitates,
}

/// A warning about the contact point a contact went through.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ChannelFlag {
    pub kind: ChannelFlagKind,
    /// The contact it is about (None while a contact is being typed).
    pub contact_id: Option<i64>,
    pub via: String,
    /// For `scam_reported`: the contact that was reported.
    pub reported_in: Option<i64>,
    /// For `imitates`: the registered contact point it imitates.
    pub imitates: Option<String>,
}

/// The comparable form of a contact point: digits of a phone number (a
/// leading 00 or + country code kept), the host of a URL or the domain of an
/// e-mail address, a handle without `@`, all lower case.
pub fn normalize(kind: PointKind, value: &str) -> String {
    let v = value.trim().to_lowercase();
    match kind {
        PointKind::Phone => phone_number(&v),
        PointKind::Email => domain(
            v.rsplit('@')
                .next()
                .unwrap_or("")
                .trim_end_matches(|c: char| matches!(c, '>' | ')' | ']') || c.is_whitespace()),
        ),
        PointKind::Website => host_of(&v),
        PointKind::Social => v.trim_start_matches('@').to_string(),
        PointKind::InApp | PointKind::Other => v,
    }
}

/// A phone number's comparable digits: a Chinese number without its country
/// code and trunk 0 (`+86 21 6123 4567`, `0086 21…`, `+86 (0)21…` and
/// `021-6123 4567` are all `2161234567`); another international number as
/// `00` + country code + national number (`+44 (0)20 7946 0000` is
/// `00442079460000`). Numbers are read by libphonenumber's rules (the
/// `phonenumber` crate): the country code, the trunk prefix written in
/// brackets, a national number read as Chinese; an extension (转, ext, x, #)
/// is dropped. A national number it cannot read (a short code such as 95188,
/// a foreign national number) keeps its digits without a trunk 0.
fn phone_number(v: &str) -> String {
    // An extension is not part of the number: "010-6123 4567 转 8001".
    let lower = v.to_lowercase();
    let v = ["转", "分机", "ext", "x", "#", ",", ";"]
        .iter()
        .filter_map(|m| lower.find(m))
        .filter(|&at| at > 0)
        .min()
        .map_or(lower.as_str(), |at| &lower[..at]);
    let digits: String = v.chars().filter(char::is_ascii_digit).collect();
    let after_idd = if v.trim_start().starts_with('+') {
        Some(digits.as_str())
    } else {
        digits.strip_prefix("00")
    };
    let comparable = |n: &phonenumber::PhoneNumber| {
        let national = n.national().to_string();
        match n.code().value() {
            86 => national,
            cc => format!("00{cc}{national}"),
        }
    };
    match after_idd {
        // A number the metadata does not know yet (a new range) is still
        // read for its country code and trunk prefix.
        Some(rest) => match phonenumber::parse(None, format!("+{rest}")) {
            Ok(n) => comparable(&n),
            _ => match rest.strip_prefix("86") {
                Some(national) => national.strip_prefix('0').unwrap_or(national).to_string(),
                None => format!("00{rest}"),
            },
        },
        None => match phonenumber::parse(Some(phonenumber::country::Id::CN), &digits) {
            Ok(n) if n.is_valid() && n.code().value() == 86 => comparable(&n),
            _ => digits.strip_prefix('0').unwrap_or(&digits).to_string(),
        },
    }
}

/// The host of a URL or bare domain as the browser would reach it: through
/// the `url` crate (userinfo such as `alipay.com@evil.top` is dropped, IDNA
/// names become punycode, case folded), without a trailing dot or `www.`.
fn host_of(v: &str) -> String {
    let with_scheme = if v.contains("://") {
        v.to_string()
    } else {
        format!("http://{v}")
    };
    let host = match url::Url::parse(&with_scheme) {
        Ok(u) => u.host_str().unwrap_or("").to_string(),
        // Not a URL the browser would open: its first host-like part.
        Err(_) => {
            let no_scheme = v.split_once("://").map_or(v, |(_, rest)| rest);
            let h = no_scheme.split(['/', '?', '#']).next().unwrap_or("");
            let h = h.rsplit('@').next().unwrap_or("");
            h.split(':').next().unwrap_or("").to_string()
        }
    };
    domain(&host)
}

/// A domain in its comparable form: punycode, lower case, no trailing dot,
/// no leading `www.`.
fn domain(d: &str) -> String {
    let d = d.trim().trim_end_matches('.');
    let ascii = idna::domain_to_ascii(d).unwrap_or_else(|_| d.to_lowercase());
    ascii.strip_prefix("www.").unwrap_or(&ascii).to_string()
}

/// The confusable skeleton (Unicode TR39) of a domain's Unicode form: `аlipay`
/// (Cyrillic а) and `alipay` have the same skeleton.
fn skeleton(ascii_domain: &str) -> String {
    let (unicode, _) = idna::domain_to_unicode(ascii_domain);
    unicode_security::skeleton(&unicode).collect()
}

/// The registrable domain (`refund-help.top` of `alipay.com.refund-help.top`)
/// and its name without the public suffix (`refund-help`).
fn registrable(host: &str) -> (String, String) {
    let dom = psl::domain_str(host).unwrap_or(host).to_string();
    let name = match psl::suffix_str(&dom) {
        Some(suffix) if dom.len() > suffix.len() + 1 => {
            dom[..dom.len() - suffix.len() - 1].to_string()
        }
        _ => dom.clone(),
    };
    (dom, name)
}

/// Whether `seen` (a normalized host or e-mail domain, typed as `raw`)
/// imitates the registered domain `official`. Not called for a point that
/// matches the register.
fn imitates(raw: &str, seen: &str, official: &str) -> bool {
    if seen.is_empty() || official.is_empty() || seen == official {
        return false;
    }
    let (seen_dom, seen_name) = registrable(seen);
    let (off_dom, off_name) = registrable(official);
    if seen_dom == off_dom {
        // Another subdomain of the official domain is the provider's own.
        return false;
    }
    // The same letters from another script, or digits for letters.
    if skeleton(&seen_dom) == skeleton(&off_dom) || skeleton(&seen_name) == skeleton(&off_name) {
        return true;
    }
    // The official domain written inside another address.
    let raw = raw.to_lowercase();
    if raw.contains(&off_dom)
        || seen.contains(&format!("{off_dom}."))
        || seen.contains(&format!("{off_dom}-"))
    {
        return true;
    }
    // The official name with words added: alipay-refund, paypal-secure-login.
    off_name.chars().count() >= 4
        && skeleton(&seen_name)
            .split(|c: char| !c.is_alphanumeric())
            .any(|part| part == skeleton(&off_name))
}

/// What a contact's `via` most likely is.
pub fn kind_of(channel: Channel, via: &str) -> PointKind {
    let v = via.trim();
    let digits = v.chars().filter(char::is_ascii_digit).count();
    let phone_like = digits >= 3
        && v.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | ' ' | '(' | ')' | '.'));
    if phone_like {
        PointKind::Phone
    } else if v.contains('@') && !v.starts_with('@') {
        PointKind::Email
    } else if v.contains("://") || (v.contains('.') && !v.contains(' ')) {
        PointKind::Website
    } else if v.starts_with('@') || channel == Channel::Social {
        PointKind::Social
    } else if channel == Channel::Chat {
        PointKind::InApp
    } else {
        PointKind::Other
    }
}

/// Whether a contact point matches a registered one of the same kind.
fn matches(kind: PointKind, seen: &str, registered: &str) -> bool {
    if seen.is_empty() || registered.is_empty() {
        return false;
    }
    match kind {
        // "+44 800 123 4567" is "0800 123 4567" (the country code is known
        // on one side only); a short code matches only itself.
        PointKind::Phone => {
            let (intl, national) = (seen.starts_with("00"), registered.starts_with("00"));
            seen == registered
                || (intl != national && {
                    let (long, short) = if intl {
                        (seen, registered)
                    } else {
                        (registered, seen)
                    };
                    short.len() >= 7 && long.ends_with(short) && long.len() <= short.len() + 5
                })
        }
        // A subdomain of a verified domain is the provider's own.
        PointKind::Email | PointKind::Website => {
            seen == registered || seen.ends_with(&format!(".{registered}"))
        }
        // Chat inside the provider's own app: any verified in-app channel.
        PointKind::InApp => true,
        _ => seen == registered,
    }
}

fn same_point(a: &str, b: &str, kind: PointKind) -> bool {
    matches(kind, a, b) || matches(kind, b, a)
}

/// The contact points of contacts reported as scams. CROSS JOIN: from the
/// few reports to their contacts; left to itself SQLite scanned every
/// contact, on every search that found one.
pub(crate) const REPORTED_POINTS: &str =
    "SELECT k.id, k.channel, k.via FROM scam_reports s CROSS JOIN contacts k ON k.id = s.contact_id
  WHERE k.deleted_ms IS NULL AND trim(k.via) <> ''";

/// The contact point of every contact in cases `?1..=?2` (see
/// [`crate::db::case_bounds`]).
pub(crate) const CONTACT_POINTS: &str = "SELECT k.case_id, c.provider_id, k.id, k.channel, k.via
   FROM contacts k JOIN cases c ON c.id = k.case_id
  WHERE k.case_id BETWEEN ?1 AND ?2 AND k.deleted_ms IS NULL AND trim(k.via) <> ''
  ORDER BY k.case_id, k.id";

/// The register and the scam-reported contact points, loaded once for a
/// batch of checks.
pub(crate) struct Register {
    /// Per provider: (kind, normalized, as typed).
    by_provider: HashMap<i64, Vec<(PointKind, String)>>,
    /// (contact id, kind, normalized) of every contact reported as a scam.
    reported: Vec<(i64, PointKind, String)>,
}

impl Register {
    pub(crate) fn load(conn: &Connection) -> Result<Register> {
        let mut by_provider: HashMap<i64, Vec<(PointKind, String)>> = HashMap::new();
        let mut stmt = conn.prepare_cached(
            "SELECT provider_id, kind, value FROM official_channels WHERE deleted_ms IS NULL",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, PointKind>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        for row in rows {
            let (provider, kind, value) = row?;
            // Normalized again: older versions kept `ALIPAY.COM.` as typed.
            by_provider
                .entry(provider)
                .or_default()
                .push((kind, normalize(kind, &value)));
        }
        let mut stmt = conn.prepare_cached(REPORTED_POINTS)?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, Channel>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        let mut reported = Vec::new();
        for row in rows {
            let (id, channel, via) = row?;
            let kind = kind_of(channel, &via);
            reported.push((id, kind, normalize(kind, &via)));
        }
        Ok(Register {
            by_provider,
            reported,
        })
    }

    /// The flags of one contact point used in a case of `provider`.
    pub(crate) fn check(
        &self,
        provider: Option<i64>,
        contact_id: Option<i64>,
        channel: Channel,
        via: &str,
    ) -> Vec<ChannelFlag> {
        let via_t = via.trim();
        if via_t.is_empty() {
            return Vec::new();
        }
        let kind = kind_of(channel, via_t);
        let norm = normalize(kind, via_t);
        let flag = |kind, reported_in| ChannelFlag {
            kind,
            contact_id,
            via: via_t.to_string(),
            reported_in,
            imitates: None,
        };
        let mut out = Vec::new();
        // A visit in person has no number to verify.
        if let Some(provider) = provider
            && channel != Channel::InPerson
        {
            let known = self
                .by_provider
                .get(&provider)
                .map_or(&[][..], Vec::as_slice);
            if !known
                .iter()
                .any(|(k, r)| *k == kind && matches(kind, &norm, r))
            {
                match self.imitated(kind, via_t, &norm) {
                    Some(official) => out.push(ChannelFlag {
                        imitates: Some(official),
                        ..flag(ChannelFlagKind::Imitates, None)
                    }),
                    None => out.push(flag(ChannelFlagKind::Unverified, None)),
                }
            }
        } else if let Some(official) = self.imitated(kind, via_t, &norm) {
            out.push(ChannelFlag {
                imitates: Some(official),
                ..flag(ChannelFlagKind::Imitates, None)
            });
        }
        if let Some((id, _, _)) = self
            .reported
            .iter()
            .find(|(id, k, n)| Some(*id) != contact_id && *k == kind && same_point(&norm, n, kind))
        {
            out.push(flag(ChannelFlagKind::ScamReported, Some(*id)));
        }
        if kind == PointKind::Phone && via_t.trim_start_matches('(').starts_with("00") {
            out.push(flag(ChannelFlagKind::International00, None));
        }
        out
    }
}

impl Register {
    /// The registered website or e-mail domain (of any provider) that a
    /// point imitates, if any; none when it is itself registered.
    fn imitated(&self, kind: PointKind, raw: &str, norm: &str) -> Option<String> {
        if !matches!(kind, PointKind::Website | PointKind::Email) {
            return None;
        }
        let domains = || {
            self.by_provider
                .values()
                .flatten()
                .filter(|(k, _)| matches!(k, PointKind::Website | PointKind::Email))
        };
        if domains().any(|(_, r)| matches(PointKind::Website, norm, r)) {
            return None;
        }
        domains()
            .find(|(_, r)| imitates(raw, norm, r))
            .map(|(_, r)| r.clone())
    }
}

impl ChannelFlagKind {
    pub fn key(self) -> &'static str {
        match self {
            ChannelFlagKind::Unverified => "unverified",
            ChannelFlagKind::ScamReported => "scam_reported",
            ChannelFlagKind::International00 => "international_00",
            ChannelFlagKind::Imitates => "imitates",
        }
    }
}

impl ChannelFlag {
    /// The warning as the shield shows it: rule id `channel_<kind>`, category
    /// `channel`, reason and advice from `rules/scam-shield.toml`, and the
    /// contact point as the evidence.
    pub fn to_flag(&self) -> Flag {
        let key = self.kind.key();
        let text = RuleSet::builtin().channel.get(key).expect(
            "rules/scam-shield.toml has a text for every channel warning (checked by tests)",
        );
        Flag {
            rule_id: format!("channel_{key}"),
            category: "channel".into(),
            reason_en: text.reason_en.clone(),
            reason_zh: text.reason_zh.clone(),
            advice_en: text.advice_en.clone(),
            advice_zh: text.advice_zh.clone(),
            evidence: match (self.reported_in, &self.imitates) {
                (Some(id), _) => format!("{} (#{id})", self.via),
                // Where the address really goes, when it does not read as
                // written: `https://аlipay.com` → `xn--lipay-3ve.com`,
                // `alipay.com@evil.top` → `evil.top`.
                (None, Some(official)) => {
                    let reached = host_of(&self.via);
                    if reached.is_empty() || self.via.trim().eq_ignore_ascii_case(&reached) {
                        format!("{} ≠ {official}", self.via)
                    } else {
                        format!("{} (→ {reached}) ≠ {official}", self.via)
                    }
                }
                (None, None) => self.via.clone(),
            },
            parts_en: Vec::new(),
            parts_zh: Vec::new(),
            resembles: None,
        }
    }

    /// Whether this is a red flag rather than a prompt to verify.
    pub fn is_red(&self) -> bool {
        self.kind != ChannelFlagKind::Unverified
    }
}

/// The flags of the contact points of every contact, of one case or of all:
/// (case id, flag).
pub(crate) fn flags_of_contacts(
    conn: &Connection,
    case_id: Option<i64>,
) -> Result<Vec<(i64, ChannelFlag)>> {
    let register = Register::load(conn)?;
    let mut stmt = conn.prepare_cached(CONTACT_POINTS)?;
    let (lo, hi) = crate::db::case_bounds(case_id);
    let rows = stmt.query_map([lo, hi], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, Option<i64>>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, Channel>(3)?,
            r.get::<_, String>(4)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (case, provider, id, channel, via) = row?;
        out.extend(
            register
                .check(provider, Some(id), channel, &via)
                .into_iter()
                .map(|f| (case, f)),
        );
    }
    Ok(out)
}

impl Journal {
    /// Adds a verified official contact point of a provider (created if new).
    pub fn add_official_channel(
        &mut self,
        provider: &str,
        kind: PointKind,
        value: &str,
        verified_how: &str,
    ) -> Result<OfficialChannel> {
        let provider = provider.trim();
        if provider.is_empty() {
            return Err(Error::invalid(Problem::ChannelProviderMissing {}));
        }
        let value = value.trim();
        let norm = normalize(kind, value);
        if norm.is_empty() {
            return Err(Error::invalid(Problem::ChannelValueMissing {}));
        }
        crate::cases::check_text("contact point", value, 500)?;
        crate::cases::check_text("verified how", verified_how, 2_000)?;
        let now = At::now();
        self.write(|tx| {
            let p = crate::providers::get_or_create(tx, provider, None)?;
            let existing: Option<i64> = tx
                .query_row(
                    "SELECT id FROM official_channels WHERE provider_id = ?1 AND kind = ?2 AND normalized = ?3 AND deleted_ms IS NULL",
                    params![p.id, kind, norm],
                    |r| r.get(0),
                )
                .optional()?;
            if existing.is_some() {
                return Err(Error::Conflict(Problem::ChannelAlreadyRegistered {
                    value: value.to_string(),
                    provider: p.name.clone(),
                }));
            }
            // A number the user reported as a scam is not made official by a click.
            if let Some((id, _, _)) = Register::load(tx)?
                .reported
                .iter()
                .find(|(_, k, n)| *k == kind && same_point(&norm, n, kind))
            {
                return Err(Error::Conflict(Problem::ChannelReportedAsScam {
                    value: value.to_string(),
                    contact_id: *id,
                }));
            }
            tx.execute(
                "INSERT INTO official_channels (provider_id, kind, value, normalized, verified_how, added_ms, added_offset)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![p.id, kind, value, norm, verified_how.trim(), now.utc_ms, now.offset_secs],
            )?;
            Ok(OfficialChannel {
                id: tx.last_insert_rowid(),
                provider: p.name,
                kind,
                value: value.to_string(),
                verified_how: verified_how.trim().to_string(),
                added_at: now,
            })
        })
    }

    /// The register: every verified contact point, by provider.
    pub fn official_channels(&self) -> Result<Vec<OfficialChannel>> {
        let mut stmt = self.read().prepare(
            "SELECT o.id, p.name, o.kind, o.value, o.verified_how, o.added_ms, o.added_offset
               FROM official_channels o JOIN providers p ON p.id = o.provider_id
              WHERE o.deleted_ms IS NULL ORDER BY p.name COLLATE NOCASE, o.kind, o.value",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(OfficialChannel {
                id: r.get(0)?,
                provider: r.get(1)?,
                kind: r.get(2)?,
                value: r.get(3)?,
                verified_how: r.get(4)?,
                added_at: At::from_parts(r.get(5)?, r.get(6)?),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Takes a contact point out of the register (kept, marked removed).
    pub fn remove_official_channel(&mut self, id: i64) -> Result<()> {
        let now = At::now();
        self.write(|tx| {
            let n = tx.execute(
                "UPDATE official_channels SET deleted_ms = ?1 WHERE id = ?2 AND deleted_ms IS NULL",
                params![now.utc_ms, id],
            )?;
            if n == 0 {
                return Err(Error::NotFound {
                    what: "official_channel",
                    id,
                });
            }
            Ok(())
        })
    }

    /// Marks (or unmarks) a contact as a scam: its number or address is then
    /// flagged wherever it is used again.
    pub fn report_scam(&mut self, contact_id: i64, reported: bool) -> Result<()> {
        let now = At::now();
        self.write(|tx| {
            crate::contacts::get(tx, contact_id)?;
            if reported {
                tx.execute(
                    "INSERT OR IGNORE INTO scam_reports (contact_id, at_ms, at_offset) VALUES (?1, ?2, ?3)",
                    params![contact_id, now.utc_ms, now.offset_secs],
                )?;
            } else {
                tx.execute("DELETE FROM scam_reports WHERE contact_id = ?1", [contact_id])?;
            }
            Ok(())
        })
    }

    /// The warnings about a contact point while a contact is being typed
    /// (or edited: `contact_id` keeps a reported contact from flagging itself).
    pub fn check_channel(
        &self,
        case_id: i64,
        contact_id: Option<i64>,
        channel: Channel,
        via: &str,
    ) -> Result<Vec<Flag>> {
        let conn = self.read();
        crate::cases::ensure_exists(conn, case_id)?;
        let provider: Option<i64> = conn.query_row(
            "SELECT provider_id FROM cases WHERE id = ?1",
            [case_id],
            |r| r.get(0),
        )?;
        Ok(Register::load(conn)?
            .check(provider, contact_id, channel, via)
            .iter()
            .map(ChannelFlag::to_flag)
            .collect())
    }

    /// The warnings about the contact points of contacts, of one case or all.
    pub fn channel_flags(&self, case_id: Option<i64>) -> Result<Vec<ChannelFlag>> {
        if let Some(id) = case_id {
            crate::cases::ensure_exists(self.read(), id)?;
        }
        Ok(flags_of_contacts(self.read(), case_id)?
            .into_iter()
            .map(|(_, f)| f)
            .collect())
    }

    /// Contacts the user reported as scams.
    pub fn scam_reports(&self) -> Result<Vec<i64>> {
        let mut stmt = self
            .read()
            .prepare("SELECT contact_id FROM scam_reports ORDER BY contact_id")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contact_points_compare_by_their_meaningful_part() {
        assert_eq!(normalize(PointKind::Phone, "+86 955-88"), "95588");
        assert_eq!(
            normalize(PointKind::Phone, "0086 21 6123-4567"),
            "2161234567"
        );
        assert_eq!(normalize(PointKind::Phone, "(021) 6123 4567"), "2161234567");
        assert_eq!(
            normalize(PointKind::Phone, "+852 6123 4567"),
            "0085261234567"
        );
        assert_eq!(
            normalize(PointKind::Phone, "00852 6123 4567"),
            "0085261234567"
        );
        assert!(!matches(PointKind::Phone, "1095588", "95588"));
        // The trunk prefix written in brackets after the country code, as
        // British and Chinese business cards print it.
        assert_eq!(
            normalize(PointKind::Phone, "+44 (0)20 7946 0000"),
            normalize(PointKind::Phone, "+44 20 7946 0000")
        );
        assert_eq!(
            normalize(PointKind::Phone, "+86 (0)21 6123 4567"),
            "2161234567"
        );
        assert_eq!(
            normalize(PointKind::Phone, "+86 138 0013 8000"),
            normalize(PointKind::Phone, "138-0013-8000")
        );
        assert_eq!(normalize(PointKind::Phone, "+86 95188"), "95188");
        assert_eq!(
            normalize(PointKind::Phone, "010-6123 4567 转 8001"),
            normalize(PointKind::Phone, "+86 10 6123 4567 ext. 8001")
        );
        assert_eq!(
            normalize(PointKind::Phone, "010-6123 4567 转 8001"),
            "1061234567"
        );
        let uk = normalize(PointKind::Phone, "+44 800 123 4567");
        assert!(matches(
            PointKind::Phone,
            &uk,
            &normalize(PointKind::Phone, "0800 123 4567")
        ));
        assert!(
            !matches(PointKind::Phone, "0044123", "123"),
            "short codes match only themselves"
        );
        assert_eq!(
            normalize(PointKind::Website, "https://www.PayPal.com/help?x=1"),
            "paypal.com"
        );
        assert!(matches(PointKind::Website, "help.paypal.com", "paypal.com"));
        assert!(!matches(
            PointKind::Website,
            "paypal.com.refund-center.top",
            "paypal.com"
        ));
        assert_eq!(
            normalize(PointKind::Email, "Service@Mail.Alipay.com"),
            "mail.alipay.com"
        );
        assert_eq!(kind_of(Channel::Phone, "00852 6123 4567"), PointKind::Phone);
        assert_eq!(
            kind_of(Channel::Email, "support@paypal.com"),
            PointKind::Email
        );
        assert_eq!(kind_of(Channel::Social, "@AlipayCare"), PointKind::Social);
        assert_eq!(kind_of(Channel::Chat, "forms.gle/abc"), PointKind::Website);
        assert_eq!(
            kind_of(Channel::Chat, "支付宝 App 在线客服"),
            PointKind::InApp
        );
    }
}
