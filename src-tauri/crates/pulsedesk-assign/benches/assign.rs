//! Assignment figures (release build; `bench/assign.sh`):
//!
//! 1. one decision among 500 agents (core, in memory);
//! 2. draining a backlog of 10,000 waiting tickets across 500 agents on SQLite;
//! 3. ticket created → assigned, with the assigner task running as in the app.

use chrono::{FixedOffset, Utc};
use pulsedesk_assign::Assigner;
use pulsedesk_core::assign::{
    decide, AssignRules, Candidate, Decision, TierPreference, TypeSkills,
};
use pulsedesk_core::clock::ManualClock;
use pulsedesk_core::config::MemberInput;
use pulsedesk_core::ids::{TicketTypeId, UserId};
use pulsedesk_core::kinds::{Channel, Presence, Priority, Role, Tier};
use pulsedesk_core::permissions::Actor;
use pulsedesk_core::view::{CustomerChoice, NewCustomer, NewTicket};
use pulsedesk_store::demo::DemoOptions;
use pulsedesk_store::Workspace;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

const SKILLS: [&str; 4] = ["产品咨询", "技术故障", "退换货", "VIP"];

fn pct(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

fn skills_for(i: usize) -> Vec<String> {
    SKILLS
        .iter()
        .enumerate()
        .filter(|(k, _)| !(i + k).is_multiple_of(3))
        .map(|(_, s)| s.to_string())
        .collect()
}

fn rules(types: &[i64]) -> AssignRules {
    AssignRules {
        type_skills: types
            .iter()
            .zip(SKILLS)
            .map(|(t, s)| TypeSkills {
                type_id: TicketTypeId(*t),
                skills: vec![s.to_string()],
            })
            .collect(),
        tier_preferences: vec![TierPreference {
            tier: Tier::Vip,
            skill: "VIP".into(),
        }],
        ..AssignRules::default()
    }
}

fn one_decision() -> (Duration, Duration) {
    let mut rng = StdRng::seed_from_u64(7);
    let team: Vec<Candidate> = (0..500)
        .map(|i| Candidate {
            id: UserId(i as i64 + 1),
            name: format!("agent{i}"),
            skills: skills_for(i),
            presence: if i % 10 == 0 {
                Presence::Away
            } else {
                Presence::Online
            },
            load: rng.random_range(0..5),
            cap: 5,
            last_assigned_at: Some(
                Utc::now() - chrono::Duration::seconds(rng.random_range(0..3600)),
            ),
        })
        .collect();
    let rules = rules(&[1, 2, 3, 4]);
    let mut times = Vec::with_capacity(10_000);
    let mut assigned = 0;
    for i in 0..10_000 {
        let tier = if i % 5 == 0 { Tier::Vip } else { Tier::Normal };
        let need = rules.need(TicketTypeId(1 + (i % 4) as i64), tier);
        let t = Instant::now();
        let d = decide(need, &team);
        times.push(t.elapsed());
        if matches!(d, Decision::Assign { .. }) {
            assigned += 1;
        }
    }
    assert!(assigned > 9_000);
    times.sort();
    (pct(&times, 0.5), pct(&times, 0.99))
}

fn ticket(type_id: i64, i: usize) -> NewTicket {
    NewTicket {
        channel: Channel::Chat,
        type_id: TicketTypeId(type_id),
        customer: CustomerChoice::New(NewCustomer {
            name: format!("客户{i}"),
            phone: format!("1390000{:04}", i % 10_000),
            email: String::new(),
            tier: if i.is_multiple_of(5) {
                Tier::Vip
            } else {
                Tier::Normal
            },
        }),
        priority: Priority::ALL[i % 4],
        subject: "积分兑换失败".into(),
        description: String::new(),
        departments: vec![],
        attachments: vec![],
    }
}

/// A workspace with the demo types, `agents` agents online (cap `cap`) and the rules.
async fn team(agents: usize, cap: u32) -> (tempfile::TempDir, Arc<Workspace>, Actor) {
    let dir = tempfile::tempdir().expect("temp dir");
    let clock = Arc::new(ManualClock::new(
        Utc::now(),
        FixedOffset::east_opt(8 * 3600).expect("offset"),
    ));
    let ws = Workspace::open(&dir.path().join("ws.db"), clock)
        .await
        .expect("open");
    ws.seed_demo(DemoOptions {
        tickets: 0,
        ..Default::default()
    })
    .await
    .expect("seed");
    let accounts = ws.accounts().await.expect("accounts");
    let who = |role| {
        let a = accounts.iter().find(|a| a.role == role).expect("member");
        Actor { id: a.id, role }
    };
    let admin = who(Role::Admin);
    for i in 0..agents {
        let m = ws
            .save_member(
                &admin,
                &MemberInput {
                    id: None,
                    name: format!("bench agent {i}"),
                    role: Role::Agent,
                    skills: skills_for(i),
                    cap,
                    active: true,
                },
            )
            .await
            .expect("member");
        ws.set_presence(m.id, Presence::Online, false)
            .await
            .expect("presence");
    }
    ws.save_assign_rules(&admin, rules(&[1, 2, 3, 4]))
        .await
        .expect("rules");
    (dir, Arc::new(ws), who(Role::Supervisor))
}

async fn drain_backlog() -> (usize, Duration) {
    let (_dir, ws, sup) = team(500, 20).await;
    for i in 0..10_000 {
        ws.create_ticket(&sup, &ticket(1 + (i % 4) as i64, i))
            .await
            .expect("ticket");
    }
    let t = Instant::now();
    let report = ws.assign_waiting().await.expect("drain");
    (report.assigned.len(), t.elapsed())
}

async fn created_to_assigned() -> (Duration, Duration, Duration) {
    // 20 agents × cap 50: room for all 500 tickets.
    let (_dir, ws, sup) = team(20, 50).await;
    let (tx, mut rx) = mpsc::unbounded_channel();
    let (handle, task) = Assigner::new(ws.clone())
        .on_drained(Arc::new(move |r| {
            let at = Instant::now();
            for (t, _) in &r.assigned {
                let _ = tx.send((*t, at));
            }
        }))
        .start();
    let running = tokio::spawn(task);
    handle.drain().await;
    let mut times = Vec::new();
    for i in 0..500 {
        let t = Instant::now();
        let row = ws
            .create_ticket(&sup, &ticket(1 + (i % 4) as i64, i))
            .await
            .expect("ticket");
        handle.wake(); // as the app's create command does
        loop {
            let (id, at) = rx.recv().await.expect("report");
            if id == row.id {
                times.push(at - t);
                break;
            }
        }
    }
    handle.stop();
    let _ = running.await;
    times.sort();
    (
        pct(&times, 0.5),
        pct(&times, 0.99),
        *times.last().expect("samples"),
    )
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let (d50, d99) = one_decision();
    let (n, took) = rt.block_on(drain_backlog());
    let (l50, l99, lmax) = rt.block_on(created_to_assigned());
    println!("| figure | measured |");
    println!("|---|---|");
    println!(
        "| one decision among 500 agents (p50 / p99) | {} / {} |",
        ms(d50),
        ms(d99)
    );
    println!(
        "| drain 10,000 waiting tickets over 500 agents | {n} assigned in {:.2} s = {:.0} assignments/s |",
        took.as_secs_f64(),
        n as f64 / took.as_secs_f64()
    );
    println!(
        "| ticket created → assigned (p50 / p99 / max of 500) | {} / {} / {} |",
        ms(l50),
        ms(l99),
        ms(lmax)
    );
}
