//! Desktops for the sync benchmarks: a replica workspace in a temp folder plus a running
//! sync engine, signed in as one member of the benchmark's shared database.

#![allow(dead_code)]

use pulsedesk_core::ids::TicketId;
use pulsedesk_shared::testing::{TestDb, PASSWORD};
use pulsedesk_store::Workspace;
use pulsedesk_sync::{Engine, Link, Login, Observer, Options, SyncStatus};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;

/// Tells a watcher which tickets changed.
pub struct Watch(pub mpsc::UnboundedSender<Vec<TicketId>>);
impl Observer for Watch {
    fn tickets_changed(&self, ids: &[TicketId]) {
        let _ = self.0.send(ids.to_vec());
    }
    fn status_changed(&self, _: &SyncStatus) {}
}

/// Hears nothing.
pub struct Quiet;
impl Observer for Quiet {
    fn tickets_changed(&self, _: &[TicketId]) {}
    fn status_changed(&self, _: &SyncStatus) {}
}

pub struct Desk {
    pub ws: Workspace,
    pub engine: Engine,
    pub actor: pulsedesk_core::permissions::Actor,
    _dir: tempfile::TempDir,
}

/// A desktop signed in as `login`, returned once it is online (its replica filled).
pub async fn desk(db: &TestDb, login: &str, options: Options, observer: Arc<dyn Observer>) -> Desk {
    let s = db.connect(login).await;
    let actor = s.actor();
    s.close().await;
    let dir = tempfile::tempdir().expect("a temp folder");
    let ws = Workspace::open(&dir.path().join("replica.db"), db.clock.clone())
        .await
        .expect("a replica workspace");
    ws.become_replica().await.expect("a replica");
    let engine = Engine::start(
        ws.clone(),
        Login {
            server: db.server.clone(),
            login: login.into(),
            password: PASSWORD.into(),
        },
        db.clock.clone(),
        options,
        observer,
    );
    while engine.status().await.link != Link::Online {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Desk {
        ws,
        engine,
        actor,
        _dir: dir,
    }
}
