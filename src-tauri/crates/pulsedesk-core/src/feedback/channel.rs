//! The survey's way to the customer: the channel layer a gateway (SMS, e-mail) plugs into.
//! Pulsedesk picks the channel and keeps the survey's link token; the gateway only sends.

use crate::ids::{SurveyId, TicketId};
use crate::kinds::Channel;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Where a survey link goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "via", rename_all = "snake_case")]
pub enum Destination {
    Sms { phone: String },
    Email { email: String },
}

impl Destination {
    pub fn name(&self) -> &'static str {
        match self {
            Destination::Sms { .. } => "sms",
            Destination::Email { .. } => "email",
        }
    }
}

/// The way to reach a customer about `channel`'s ticket: e-mail for tickets that came by
/// e-mail or web form when there is an address, otherwise a text message to a phone; none
/// when the customer left neither (an agent then asks by phone).
pub fn destination(channel: Channel, phone: &str, email: &str) -> Option<Destination> {
    let phone = phone.trim();
    let email = email.trim();
    let prefers_email = matches!(channel, Channel::Email | Channel::WebForm);
    match (
        prefers_email && !email.is_empty(),
        phone.is_empty(),
        email.is_empty(),
    ) {
        (true, _, _) => Some(Destination::Email {
            email: email.to_string(),
        }),
        (false, false, _) => Some(Destination::Sms {
            phone: phone.to_string(),
        }),
        (false, true, false) => Some(Destination::Email {
            email: email.to_string(),
        }),
        (false, true, true) => None,
    }
}

/// One survey for the gateway to send: where, and the link's token (the customer's answer
/// comes back with it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub survey: SurveyId,
    pub ticket: TicketId,
    pub number: String,
    pub to: Destination,
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

/// A channel gateway: sends one survey link, or says why it could not.
pub trait SurveyChannel: Send + Sync {
    fn send(&self, delivery: &Delivery) -> Result<(), String>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_for_email_tickets_otherwise_a_text_message() {
        let mail = Some(Destination::Email {
            email: "a@b.cn".into(),
        });
        let sms = Some(Destination::Sms {
            phone: "13800001111".into(),
        });
        assert_eq!(destination(Channel::Email, "13800001111", "a@b.cn"), mail);
        assert_eq!(destination(Channel::Phone, "13800001111", "a@b.cn"), sms);
        assert_eq!(destination(Channel::Email, "13800001111", ""), sms);
        assert_eq!(destination(Channel::Chat, "", "a@b.cn"), mail);
        assert_eq!(destination(Channel::Chat, " ", ""), None);
    }
}
