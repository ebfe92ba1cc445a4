//! Pulsedesk's team service: a headless process next to the team database that does the
//! team's background work whether or not any desktop is open.
//!
//! It is the team's writer: members' desktops submit their commands and the service
//! applies them, in order, once each, with the core's rules, as the member who submitted
//! them (`pulsedesk_shared::applier`; one service writes, by its lease, another stands
//! by). It runs automatic assignment: it takes the team's assigner seat (the assigner's
//! lease, `pulsedesk_shared::lease`) and drains the pool every poll with the core's rules, so
//! a ticket logged at night is assigned the moment an eligible agent is online. Desktops
//! stand by while it holds the seat. Two services on one database: one assigns, the other
//! stands by and takes over within a poll or two when the first stops or loses its
//! connection. It also keeps a replica of the team database and records every ticket's SLA
//! alerts as its clocks cross their thresholds (`sla`). Failures are reported on standard error and retried; the service only ends
//! when asked to (SIGTERM, Ctrl-C).

pub mod config;
pub mod sla;

use config::Config;
use pulsedesk_core::clock::Clock;
use pulsedesk_shared::applier::{self, Said};
use pulsedesk_shared::assigner::Seat;
use pulsedesk_shared::{Shared, SharedError};
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

/// How often the seat holder checks it still holds the seat, in polls.
const CHECK_EVERY: u32 = 10;
/// The longest wait between tries to reach the database: 50 polls, at most 30 s (members'
/// commands wait meanwhile).
fn max_backoff(poll: Duration) -> Duration {
    (poll * 50).min(Duration::from_secs(30))
}

/// What the service says it is doing (one line each, on standard error).
pub(crate) fn say(what: &str) {
    eprintln!("pulsedesk-server: {what}");
}

/// Runs until `stop` completes.
pub async fn run(config: Config, clock: Arc<dyn Clock>, stop: impl Future<Output = ()>) {
    let records = match sla::Records::start(&config, clock.clone()).await {
        Ok(r) => Some(r),
        Err(e) => {
            say(&format!("SLA records are off: {e}"));
            None
        }
    };
    tokio::select! {
        () = serve(&config, clock) => {}
        () = stop => say("stopping"),
    }
    if let Some(r) = records {
        r.stop().await;
    }
}

async fn serve(config: &Config, clock: Arc<dyn Clock>) {
    let mut backoff = config.poll;
    loop {
        match Shared::connect(&config.server, &config.login, &config.password, clock.clone())
            .await
        {
            Ok(shared) => {
                say(&format!(
                    "connected to {} as {}",
                    config.server, config.login
                ));
                backoff = config.poll;
                let e = match shared.is_service().await {
                    Ok(true) => {
                        tokio::select! {
                            e = assign(&shared, config, clock.as_ref()) => e,
                            e = applier::serve(&shared, config.poll, &tell) => e,
                        }
                    }
                    Ok(false) => {
                        say(&format!(
                            "{} is not the team service's login: run pulsedesk-admin service {} as the database owner; retrying in {} s",
                            config.login,
                            config.login,
                            backoff.as_secs_f32()
                        ));
                        shared.close().await;
                        tokio::time::sleep(backoff).await;
                        backoff = (backoff * 2).min(max_backoff(config.poll));
                        continue;
                    }
                    Err(e) => e,
                };
                shared.close().await;
                say(&format!("lost the team database ({e}); reconnecting"));
            }
            Err(SharedError::BadLogin) => say(&format!(
                "the team database refused {}: a wrong password, or not an active member (add it with pulsedesk-admin member add); retrying in {} s",
                config.login,
                backoff.as_secs_f32()
            )),
            Err(e) => say(&format!(
                "cannot reach the team database at {} ({e}); retrying in {} s",
                config.server,
                backoff.as_secs_f32()
            )),
        }
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(max_backoff(config.poll));
    }
}

/// What the writer's loop reports, as the service's lines.
fn tell(said: Said) {
    match said {
        Said::Writing => say("applying the team's commands"),
        Said::StandingBy => say("standing by: another service applies the team's commands"),
        Said::Drained(d) => say(&format!(
            "applied {} command(s), refused {}",
            d.applied, d.refused
        )),
        Said::GaveUp(why) => say(&format!("stopped applying commands ({why})")),
    }
}

/// Holds the assigner's seat whenever it is free and drains the pool; returns the error
/// that broke the connection.
async fn assign(shared: &Shared, config: &Config, clock: &dyn Clock) -> SharedError {
    let mut standing_by = false;
    loop {
        match shared.take_assigner_seat().await {
            Ok(Some(seat)) => {
                say("assigning for the team");
                standing_by = false;
                let e = hold(seat, config, clock).await;
                say(&format!("gave up the assigner's seat ({e})"));
            }
            Ok(None) => {
                if !standing_by {
                    say("standing by: another service holds the assigner's seat");
                    standing_by = true;
                }
            }
            Err(e) => return e,
        }
        tokio::time::sleep(config.poll).await;
    }
}

/// Drains the pool every poll while the seat is held; returns why it stopped.
async fn hold(mut seat: Seat, config: &Config, clock: &dyn Clock) -> String {
    let mut polls = 0u32;
    loop {
        match seat.drain(clock.now()).await {
            Ok(d) if !d.assigned.is_empty() || d.refused > 0 => say(&format!(
                "assigned {} ticket(s); {} decision(s) refused as out of date",
                d.assigned.len(),
                d.refused
            )),
            Ok(_) => {}
            Err(e) => {
                seat.release().await;
                return e.to_string();
            }
        }
        polls += 1;
        if polls.is_multiple_of(CHECK_EVERY) {
            match seat.holds().await {
                Ok(true) => {}
                Ok(false) => {
                    seat.release().await;
                    return "the database no longer counts this connection as the seat's".into();
                }
                Err(e) => {
                    seat.release().await;
                    return e.to_string();
                }
            }
        }
        tokio::time::sleep(config.poll).await;
    }
}
