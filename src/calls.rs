//! "On a call": lines typed while talking to support, each stamped with the
//! time into the call, saved as one phone contact with its duration.

use serde::{Deserialize, Serialize};

use crate::contacts::ContactInput;
use crate::error::{Error, Problem, Result};
use crate::model::{Channel, Direction};
use crate::time::At;

/// One line typed during a call, `offset_secs` after the call started.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct CallLine {
    pub offset_secs: u32,
    pub text: String,
}

/// A finished call as the app hands it over.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(default)]
pub struct CallForm {
    /// When the call started (RFC 3339 with the user's offset).
    pub started_at: String,
    /// How long it lasted, in seconds.
    pub duration_secs: u32,
    pub via: Option<String>,
    pub agent: Option<String>,
    pub direction: Option<String>,
    pub lines: Vec<CallLine>,
}

fn stamp(secs: u32) -> String {
    if secs >= 3600 {
        format!("{}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60)
    } else {
        format!("{:02}:{:02}", secs / 60, secs % 60)
    }
}

impl CallForm {
    /// The phone contact for this call: the lines, each prefixed with its
    /// time into the call, become the reply; the duration is kept.
    pub fn parse(self) -> Result<ContactInput> {
        let started = At::parse("call start", &self.started_at)?;
        if self
            .lines
            .iter()
            .any(|l| l.offset_secs > self.duration_secs.saturating_add(5))
        {
            return Err(Error::invalid(Problem::CallLineAfterEnd {}));
        }
        let mut c = ContactInput::new(Channel::Phone, started);
        if let Some(d) = self.direction.as_deref().filter(|d| !d.trim().is_empty()) {
            c.direction = Direction::parse(d)?;
        }
        c.duration_secs = Some(i64::from(self.duration_secs));
        c.via = self.via.unwrap_or_default();
        c.agent = self.agent.unwrap_or_default();
        c.reply = self
            .lines
            .iter()
            .filter(|l| !l.text.trim().is_empty())
            .map(|l| format!("[{}] {}", stamp(l.offset_secs), l.text.trim_end()))
            .collect::<Vec<_>>()
            .join("\n");
        Ok(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_stamped_and_the_duration_kept() {
        let c = CallForm {
            started_at: "2026-11-20T14:30:00+08:00".into(),
            duration_secs: 3725,
            via: Some("95188".into()),
            lines: vec![
                CallLine {
                    offset_secs: 5,
                    text: "接通，客服工号 8823".into(),
                },
                CallLine {
                    offset_secs: 61,
                    text: "  ".into(),
                },
                CallLine {
                    offset_secs: 3700,
                    text: "Agent says refund in 3 days".into(),
                },
            ],
            ..CallForm::default()
        }
        .parse()
        .unwrap();
        assert_eq!(c.channel, Channel::Phone);
        assert_eq!(c.duration_secs, Some(3725));
        assert_eq!(
            c.reply,
            "[00:05] 接通，客服工号 8823\n[1:01:40] Agent says refund in 3 days"
        );
        assert_eq!(c.at.to_rfc3339(), "2026-11-20T14:30:00+08:00");
    }
}
