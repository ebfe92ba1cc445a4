//! SLA alert records for every ticket, whether or not any desktop is open: the service keeps
//! a replica of the team database (the same sync engine a desktop runs) and the same SLA
//! scheduler, with nobody to show pop-ups to. When a clock crosses its threshold the
//! scheduler records it — stamped at the crossing — and the engine sends the record to the
//! team database, where it reaches every timeline once.

use crate::config::Config;
use pulsedesk_alerts::{Notifier, Popup, Presence, Scheduler, SchedulerHandle, Viewer};
use pulsedesk_core::clock::Clock;
use pulsedesk_core::ids::TicketId;
use pulsedesk_store::Workspace;
use pulsedesk_sync::{Engine, Login, Observer, Options, SyncStatus};
use std::sync::{Arc, Mutex};

/// Nobody is signed in at the service: no pop-ups, only records.
struct Nobody;

impl Presence for Nobody {
    fn viewer(&self) -> Option<Viewer> {
        None
    }
}

impl Notifier for Nobody {
    fn show(&self, _: Popup) {}
}

/// Tells the scheduler what the engine changed in the replica.
#[derive(Default)]
struct Relay {
    scheduler: Mutex<Option<SchedulerHandle>>,
    online: Mutex<Option<bool>>,
}

impl Relay {
    fn with(&self, f: impl FnOnce(&SchedulerHandle)) {
        if let Ok(s) = self.scheduler.lock() {
            if let Some(s) = s.as_ref() {
                f(s);
            }
        }
    }
}

impl Observer for Relay {
    fn tickets_changed(&self, ids: &[TicketId]) {
        self.with(|s| ids.iter().for_each(|id| s.ticket_changed(*id)));
    }

    fn config_changed(&self) {
        self.with(SchedulerHandle::rules_changed);
    }

    fn status_changed(&self, status: &SyncStatus) {
        let online = status.link == pulsedesk_sync::Link::Online;
        if let Ok(mut was) = self.online.lock() {
            if *was != Some(online) {
                *was = Some(online);
                crate::say(if online {
                    "SLA records: the replica is in step with the team database"
                } else {
                    "SLA records: the replica is catching up with the team database"
                });
            }
        }
    }
}

/// The running replica and scheduler.
pub struct Records {
    engine: Engine,
    scheduler: SchedulerHandle,
}

impl Records {
    /// Opens (or creates) the replica in the configured folder and starts syncing and
    /// scheduling. An error names the folder.
    pub async fn start(config: &Config, clock: Arc<dyn Clock>) -> Result<Records, String> {
        let dir = &config.data_dir;
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create the data folder {}: {e}", dir.display()))?;
        let path = dir.join("replica.db");
        let ws = Workspace::open(&path, clock.clone())
            .await
            .map_err(|e| format!("cannot open the replica {}: {e}", path.display()))?;
        ws.become_replica()
            .await
            .map_err(|e| format!("cannot open the replica {}: {e}", path.display()))?;
        let relay = Arc::new(Relay::default());
        let login = Login {
            server: config.server.clone(),
            login: config.login.clone(),
            password: config.password.clone(),
        };
        // Assignment is the service's own loop (crate::assign), not the engine's seat.
        let options = Options {
            ..Options::default()
        };
        let engine = Engine::start(ws.clone(), login, clock, options, relay.clone());
        let (scheduler, run) = Scheduler::new(ws, Arc::new(Nobody), Arc::new(Nobody)).start();
        if let Ok(mut s) = relay.scheduler.lock() {
            *s = Some(scheduler.clone());
        }
        tokio::spawn(run);
        Ok(Records { engine, scheduler })
    }

    pub async fn stop(self) {
        self.scheduler.stop();
        self.engine.stop().await;
    }
}
