//! Who sits at this desktop: the signed-in member, their language and do-not-disturb.
//! The SLA scheduler asks it whom to tell; commands keep it current.

use chrono::{DateTime, Utc};
use pulsedesk_alerts::{Presence, Viewer};
use pulsedesk_core::sla::notice::Lang;
use pulsedesk_core::view::Account;
use std::sync::RwLock;

#[derive(Default)]
pub struct Desk {
    session: RwLock<Option<Account>>,
    lang: RwLock<Option<Lang>>,
    dnd_until: RwLock<Option<DateTime<Utc>>>,
}

fn read<T: Clone>(lock: &RwLock<T>) -> T {
    lock.read().unwrap_or_else(|e| e.into_inner()).clone()
}

fn write<T>(lock: &RwLock<T>, value: T) {
    *lock.write().unwrap_or_else(|e| e.into_inner()) = value;
}

/// The pop-up language for a UI locale tag ("zh-CN", "en-US", ...).
pub fn lang_of(locale: &str) -> Lang {
    if locale.to_ascii_lowercase().starts_with("zh") {
        Lang::Zh
    } else {
        Lang::En
    }
}

impl Desk {
    pub fn new(session: Option<Account>) -> Self {
        Desk {
            session: RwLock::new(session),
            ..Default::default()
        }
    }

    pub fn session(&self) -> Option<Account> {
        read(&self.session)
    }

    pub fn set_session(&self, account: Option<Account>) {
        write(&self.session, account);
    }

    pub fn set_lang(&self, lang: Lang) {
        write(&self.lang, Some(lang));
    }

    /// The pop-up and tray language.
    pub fn viewer_lang(&self) -> Lang {
        read(&self.lang).unwrap_or(Lang::En)
    }

    pub fn dnd_until(&self) -> Option<DateTime<Utc>> {
        read(&self.dnd_until)
    }

    pub fn set_dnd_until(&self, until: Option<DateTime<Utc>>) {
        write(&self.dnd_until, until);
    }
}

impl Presence for Desk {
    fn viewer(&self) -> Option<Viewer> {
        let account = self.session()?;
        Some(Viewer {
            user: account.id,
            role: account.role,
            lang: read(&self.lang).unwrap_or(Lang::En),
            dnd_until: self.dnd_until(),
        })
    }
}
