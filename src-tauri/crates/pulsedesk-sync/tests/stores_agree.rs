//! The two stores agree: random sequences of members' commands — new tickets, claims,
//! assignments, moves, reopenings, notes, priorities and reveals of a customer's contact —
//! by a supervisor, two agents and an admin, refusals included — applied to an embedded
//! workspace and, through the team service, to PostgreSQL end with the same outcome for
//! every command, the same tickets, the same event logs and notes, and the same board
//! (the supervisor's, on the embedded workspace and on a desktop's replica of the team's).
//!
//! Both stores run on one clock, so even the instants agree; the ids of members (and of
//! tickets, if a store skipped one) are compared through what they stand for.

#![allow(clippy::unwrap_used)]

mod common;

use chrono::{DateTime, Duration as Span, Utc};
use common::{desk, eventually};
use pulsedesk_core::clock::Clock;
use pulsedesk_core::command::{Command, Envelope};
use pulsedesk_core::ids::{TicketId, TicketTypeId, UserId};
use pulsedesk_core::kinds::{Channel, NoteAudience, Outcome, Priority, Role, Stage, Tier};
use pulsedesk_core::permissions::Actor;
use pulsedesk_core::reason::Reason;
use pulsedesk_core::ticket::{EventKind, TicketCommand};
use pulsedesk_core::view::{CustomerChoice, NewCustomer, NewTicket};
use pulsedesk_shared::submissions::Outcome as Decided;
use pulsedesk_shared::testing::{db, TestDb};
use pulsedesk_shared::Shared;
use pulsedesk_store::demo::DemoOptions;
use pulsedesk_store::Workspace;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// Who acts: names and roles as in the embedded demo team (whose caps the team database is
/// given too).
const PEOPLE: [(&str, Role, i64); 4] = [
    ("陈静", Role::Supervisor, 8),
    ("李娜", Role::Agent, 5),
    ("张伟", Role::Agent, 5),
    ("王敏", Role::Admin, 5),
];

/// What a step does, in terms both stores understand: tickets by the order they were
/// logged in, people by their place in [`PEOPLE`].
#[derive(Debug, Clone)]
enum Act {
    Create {
        subject: String,
        priority: Priority,
    },
    Claim(usize),
    Assign(usize, usize),
    Move(usize, Stage, Option<Outcome>),
    Reopen(usize, String),
    Note(usize, NoteAudience, String),
    Priority(usize, Priority),
    /// Show the customer's contact in full (audited).
    Reveal(usize),
}

/// Steps per run (`PULSEDESK_AGREE_SEED` picks another sequence).
const STEPS: usize = 300;

const STAGES: [Stage; 5] = [
    Stage::Unassigned,
    Stage::ToContact,
    Stage::InProgress,
    Stage::AwaitingReply,
    Stage::Done,
];
const PRIORITIES: [Priority; 4] = [
    Priority::Urgent,
    Priority::High,
    Priority::Medium,
    Priority::Low,
];

/// A ticket as the embedded workspace has it now, to steer the steps towards ones that
/// can succeed (the rules decide, never this).
#[derive(Debug, Clone, Copy)]
struct Look {
    assignee: Option<usize>,
    stage: Stage,
}

/// A random step and who takes it, over the tickets logged so far (and one nobody has).
fn random_act(rng: &mut StdRng, tickets: &[Look]) -> (Act, usize) {
    let anyone = |rng: &mut StdRng| rng.random_range(0..PEOPLE.len());
    let pick = rng.random_range(0..100);
    if tickets.is_empty() || pick < 12 {
        let subject = match rng.random_range(0..10) {
            0 => "   ".to_string(),
            _ => format!("客户来电 {}", rng.random_range(0..1000)),
        };
        let priority = PRIORITIES[rng.random_range(0..4)];
        return (Act::Create { subject, priority }, anyone(rng));
    }
    // Mostly an open ticket, sometimes any (or none at all).
    let open: Vec<usize> = (0..tickets.len())
        .filter(|t| tickets[*t].stage != Stage::Done)
        .collect();
    let t = match (open.is_empty(), rng.random_range(0..10)) {
        (false, 0..=6) => open[rng.random_range(0..open.len())],
        _ => rng.random_range(0..=tickets.len()),
    };
    let look = tickets.get(t).copied().unwrap_or(Look {
        assignee: None,
        stage: Stage::Unassigned,
    });
    // Mostly whoever holds the ticket works it.
    let worker = |rng: &mut StdRng| match (look.assignee, rng.random_range(0..10)) {
        (Some(a), 0..=7) => a,
        _ => anyone(rng),
    };
    match pick {
        // Mostly those who may: anyone but the admin claims, the supervisor assigns.
        12..=25 => (Act::Claim(t), rng.random_range(0..PEOPLE.len() + 3) % 3),
        26..=35 => {
            let by = match rng.random_range(0..10) {
                0..=7 => 0,
                _ => anyone(rng),
            };
            (Act::Assign(t, anyone(rng)), by)
        }
        36..=69 => {
            let next = match look.stage {
                Stage::Unassigned | Stage::ToContact => Stage::InProgress,
                Stage::InProgress => Stage::AwaitingReply,
                Stage::AwaitingReply | Stage::Done => Stage::Done,
            };
            let to = match rng.random_range(0..10) {
                0..=5 => next,
                _ => STAGES[rng.random_range(0..STAGES.len())],
            };
            let outcome = match rng.random_range(0..6) {
                0 => None,
                1 => Some(Outcome::Partially),
                2 => Some(Outcome::NotResolved),
                _ => Some(Outcome::Fully),
            };
            (Act::Move(t, to, outcome), worker(rng))
        }
        70..=77 => {
            let reason = match rng.random_range(0..4) {
                0 => String::new(),
                _ => "客户反馈问题仍在".to_string(),
            };
            // Reopening is for finished tickets.
            let done: Vec<usize> = (0..tickets.len())
                .filter(|t| tickets[*t].stage == Stage::Done)
                .collect();
            let t = match done.is_empty() {
                false => done[rng.random_range(0..done.len())],
                true => t,
            };
            let by = match tickets.get(t).and_then(|l| l.assignee) {
                Some(a) if rng.random_range(0..10) < 7 => a,
                _ => anyone(rng),
            };
            (Act::Reopen(t, reason), by)
        }
        78..=89 => {
            let audience = match rng.random_range(0..3) {
                0 => NoteAudience::Tech,
                _ => NoteAudience::Internal,
            };
            let body = match rng.random_range(0..8) {
                0 => " ".to_string(),
                _ => format!(" 已联系客户 {}", rng.random_range(0..100)),
            };
            (Act::Note(t, audience, body), worker(rng))
        }
        90..=94 => (
            Act::Priority(t, PRIORITIES[rng.random_range(0..4)]),
            worker(rng),
        ),
        _ => (Act::Reveal(t), worker(rng)),
    }
}

/// The tickets of the embedded workspace, in the order logged, as [`Look`]s.
async fn looks(ws: &Workspace, ids: &Ids) -> Vec<Look> {
    let mut out = Vec::with_capacity(ids.tickets.len());
    for t in &ids.tickets {
        let (assignee, stage): (Option<i64>, String) =
            sqlx::query_as("SELECT assignee_id, stage FROM tickets WHERE id = ?")
                .bind(t.0)
                .fetch_one(ws.pool())
                .await
                .unwrap();
        out.push(Look {
            assignee: assignee.and_then(|a| ids.people.iter().position(|p| p.0 == a)),
            stage: Stage::parse(&stage).unwrap(),
        });
    }
    out
}

/// One store's ids for the people and the tickets logged so far.
struct Ids {
    people: Vec<UserId>,
    tickets: Vec<TicketId>,
}

impl Ids {
    fn ticket(&self, n: usize) -> TicketId {
        self.tickets.get(n).copied().unwrap_or(TicketId(999_999))
    }

    fn command(&self, act: &Act, serial: usize) -> Command {
        let change = |t: usize, change| Command::Ticket {
            ticket: self.ticket(t),
            change,
        };
        match act {
            Act::Create { subject, priority } => Command::CreateTicket {
                ticket: new_ticket(subject, *priority, serial),
            },
            Act::Claim(t) => change(*t, TicketCommand::Claim),
            Act::Assign(t, to) => change(
                *t,
                TicketCommand::Assign {
                    to: self.people[*to],
                },
            ),
            Act::Move(t, to, outcome) => change(
                *t,
                TicketCommand::Move {
                    to: *to,
                    outcome: *outcome,
                },
            ),
            Act::Reopen(t, reason) => change(
                *t,
                TicketCommand::Reopen {
                    reason: reason.clone(),
                },
            ),
            Act::Note(t, audience, body) => Command::AddNote {
                ticket: self.ticket(*t),
                audience: *audience,
                body: body.clone(),
            },
            Act::Priority(t, to) => Command::ChangePriority {
                ticket: self.ticket(*t),
                to: *to,
            },
            Act::Reveal(t) => Command::RevealCustomer {
                ticket: self.ticket(*t),
            },
        }
    }

    /// The person behind a store's member id (or the id itself, for anyone else).
    fn who(&self, id: UserId) -> String {
        match self.people.iter().position(|p| *p == id) {
            Some(n) => PEOPLE[n].0.to_string(),
            None => format!("member {}", id.0),
        }
    }

    /// The order a store's ticket was logged in.
    fn logged(&self, id: i64) -> usize {
        self.tickets
            .iter()
            .position(|t| t.0 == id)
            .unwrap_or(usize::MAX)
    }
}

fn new_ticket(subject: &str, priority: Priority, serial: usize) -> NewTicket {
    NewTicket {
        channel: Channel::Phone,
        type_id: TicketTypeId(1),
        customer: CustomerChoice::New(NewCustomer {
            name: format!("客户{serial}"),
            phone: format!("138{:08}", serial),
            email: String::new(),
            tier: Tier::Normal,
        }),
        priority,
        subject: subject.to_string(),
        description: "快递三天未更新".into(),
        departments: vec![],
        attachments: vec![],
    }
}

/// What became of a command: the ticket it made (a new one), or the reason it was refused.
type Result1 = Result<Option<TicketId>, Option<Reason>>;

/// Runs `command` on the embedded workspace, through its one way in for members' commands.
async fn run_embedded(ws: &Workspace, actor: &Actor, command: &Command) -> Result1 {
    ws.run(actor, command).await.map_err(|e| e.reason())
}

/// Submits `command` as `member` and waits for the team service's outcome.
async fn run_team(member: &Shared, command: Command, at: DateTime<Utc>) -> Result1 {
    let envelope = Envelope::new(at, command);
    let mut conn = member.pool().acquire().await.unwrap();
    member.submit(&mut conn, &[&envelope]).await.unwrap();
    let end = Instant::now() + Duration::from_secs(10);
    loop {
        let mut outcomes = member.outcomes(&mut conn, &[envelope.id]).await.unwrap();
        match outcomes.remove(&envelope.id) {
            Some(Decided::Applied { ticket }) => {
                return Ok(match envelope.command {
                    Command::CreateTicket { .. } => ticket,
                    _ => None,
                })
            }
            Some(Decided::Refused { reason, .. }) => return Err(reason),
            None => {}
        }
        assert!(Instant::now() < end, "the service decided nothing in 10 s");
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}

/// A ticket and its log, as both stores can show them: people by name, tickets by the
/// order they were logged in.
#[derive(Debug, PartialEq)]
struct Seen {
    number: String,
    subject: String,
    stage: String,
    priority: String,
    assignee: Option<String>,
    outcome: Option<String>,
    round: i64,
    first_response_at: Option<i64>,
    resolved_at: Option<i64>,
    events: Vec<(i64, Option<String>, String)>,
    notes: Vec<(String, String, String)>,
}

/// Every ticket of a store, read with `sql` on `pool` of either kind.
macro_rules! read_tickets {
    ($pool:expr, $ids:expr, $ms:expr) => {{
        let tickets: Vec<(i64, String, String, String, String, Option<i64>, Option<String>, i64)> =
            sqlx::query_as(
                "SELECT id, number, subject, stage, priority, assignee_id, outcome, CAST(round AS BIGINT)
                 FROM tickets ORDER BY id",
            )
            .fetch_all($pool)
            .await
            .unwrap();
        let mut seen = BTreeMap::new();
        for (id, number, subject, stage, priority, assignee, outcome, round) in tickets {
            let events: Vec<(i64, i64, Option<i64>, String)> = sqlx::query_as(&format!(
                "SELECT ticket_id, {} AS at, actor_id, {} AS data FROM ticket_events
                 WHERE ticket_id = {id} ORDER BY id",
                $ms.0, $ms.1
            ))
            .fetch_all($pool)
            .await
            .unwrap();
            let notes: Vec<(i64, String, String)> = sqlx::query_as(&format!(
                "SELECT author_id, audience, body FROM notes WHERE ticket_id = {id} ORDER BY id"
            ))
            .fetch_all($pool)
            .await
            .unwrap();
            let times: (Option<i64>, Option<i64>) = sqlx::query_as(&format!(
                "SELECT {}, {} FROM tickets WHERE id = {id}",
                $ms.2, $ms.3
            ))
            .fetch_one($pool)
            .await
            .unwrap();
            let ids: &Ids = $ids;
            seen.insert(
                ids.logged(id),
                Seen {
                    number,
                    subject,
                    stage,
                    priority,
                    assignee: assignee.map(|a| ids.who(UserId(a))),
                    outcome,
                    round,
                    first_response_at: times.0,
                    resolved_at: times.1,
                    events: events
                        .into_iter()
                        .map(|(_, at, actor, data)| {
                            (at, actor.map(|a| ids.who(UserId(a))), event(ids, &data))
                        })
                        .collect(),
                    notes: notes
                        .into_iter()
                        .map(|(author, audience, body)| (ids.who(UserId(author)), audience, body))
                        .collect(),
                },
            );
        }
        seen
    }};
}

/// A logged event with its members named and its note's id left out.
fn event(ids: &Ids, data: &str) -> String {
    let kind: EventKind = serde_json::from_str(data).unwrap();
    match kind {
        EventKind::Assigned { from, to, why } => format!(
            "assigned {:?} → {} {why:?}",
            from.map(|f| ids.who(f)),
            ids.who(to)
        ),
        EventKind::NoteAdded { audience, .. } => format!("note {audience:?}"),
        other => format!("{other:?}"),
    }
}

async fn embedded_seen(ws: &Workspace, ids: &Ids) -> BTreeMap<usize, Seen> {
    read_tickets!(
        ws.pool(),
        ids,
        ("at", "data", "first_response_at", "resolved_at")
    )
}

async fn team_seen(db: &TestDb, ids: &Ids) -> BTreeMap<usize, Seen> {
    let ms = |c: &str| format!("(extract(epoch FROM {c}) * 1000)::bigint");
    let (at, fr, res) = (ms("at"), ms("first_response_at"), ms("resolved_at"));
    read_tickets!(
        db.owner.pool(),
        ids,
        (at.as_str(), "data::text", fr.as_str(), res.as_str())
    )
}

/// The board's figures with members named and tickets numbered, as both stores show them
/// (members outside [`PEOPLE`] — the rest of the demo team, the service — left out).
fn board_of(board: &pulsedesk_core::board::Board) -> String {
    let mut b = board.clone();
    b.agents
        .retain(|a| PEOPLE.iter().any(|(name, _, _)| *name == a.name));
    for a in &mut b.agents {
        a.id = UserId(0);
    }
    for n in b.breached.iter_mut().chain(b.near_breach.iter_mut()) {
        n.id = TicketId(0);
    }
    format!("{b:#?}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn random_commands_leave_both_stores_alike() {
    let db = db().await;
    let _service = db.service().await;
    let dir = tempfile::tempdir().unwrap();
    let ws = Workspace::open(&dir.path().join("ws.db"), db.clock.clone())
        .await
        .unwrap();
    ws.seed_demo(DemoOptions {
        tickets: 0,
        ..Default::default()
    })
    .await
    .unwrap();
    let accounts = ws.accounts().await.unwrap();
    let mut local = Ids {
        people: vec![],
        tickets: vec![],
    };
    let mut team = Ids {
        people: vec![],
        tickets: vec![],
    };
    let (mut actors, mut members, mut logins) = (vec![], vec![], vec![]);
    for (name, role, cap) in PEOPLE {
        let a = accounts.iter().find(|a| a.name == name).unwrap();
        assert_eq!(a.role, role, "{name}");
        local.people.push(a.id);
        actors.push(Actor { id: a.id, role });
        let login = db.member(name, role).await;
        sqlx::query("UPDATE users SET cap = $1 WHERE login = $2")
            .bind(cap)
            .bind(&login)
            .execute(db.owner.pool())
            .await
            .unwrap();
        let member = db.connect(&login).await;
        team.people.push(member.actor().id);
        members.push(member);
        logins.push(login);
    }

    let mut rng = StdRng::seed_from_u64(
        std::env::var("PULSEDESK_AGREE_SEED").map_or(20261208, |s| s.parse().unwrap()),
    );
    let (mut applied, mut refused) = (0, 0);
    for step in 0..STEPS {
        let (act, by) = random_act(&mut rng, &looks(&ws, &local).await);
        let at = db.clock.now();
        let here = run_embedded(&ws, &actors[by], &local.command(&act, step)).await;
        let there = run_team(&members[by], team.command(&act, step), at).await;
        let what = format!("step {step}: {} does {act:?}", PEOPLE[by].0);
        match (&here, &there) {
            (Ok(a), Ok(b)) => {
                assert_eq!(a.is_some(), b.is_some(), "{what}");
                if let (Some(a), Some(b)) = (a, b) {
                    local.tickets.push(*a);
                    team.tickets.push(*b);
                }
                applied += 1;
            }
            (Err(a), Err(b)) => {
                assert_eq!(a, b, "{what}: refused for different reasons");
                refused += 1;
            }
            _ => panic!("{what}: embedded {here:?}, team {there:?}"),
        }
        db.clock.advance(Span::seconds(rng.random_range(5..900)));
    }
    // The sequence exercised both sides of the rules.
    eprintln!("{applied} applied, {refused} refused");
    assert!(
        applied >= 120 && refused >= 60,
        "{applied} applied, {refused} refused"
    );

    let (here, there) = (
        embedded_seen(&ws, &local).await,
        team_seen(&db, &team).await,
    );
    assert_eq!(here.len(), local.tickets.len());
    for (n, ticket) in &here {
        assert_eq!(Some(ticket), there.get(n), "ticket logged {n}th");
    }
    assert_eq!(here.len(), there.len());

    // What followed from the changes beyond the tickets: each person's last assignment (the
    // assigner's fairness rule reads it), and the audit of who saw a customer in full.
    let mut reveals = 0;
    for (n, (name, _, _)) in PEOPLE.iter().enumerate() {
        let (local_at,): (Option<i64>,) =
            sqlx::query_as("SELECT last_assigned_at FROM users WHERE id = ?")
                .bind(local.people[n].0)
                .fetch_one(ws.pool())
                .await
                .unwrap();
        let (team_at,): (Option<i64>,) = sqlx::query_as(
            "SELECT (extract(epoch FROM last_assigned_at) * 1000)::bigint FROM users WHERE id = $1",
        )
        .bind(team.people[n].0)
        .fetch_one(db.owner.pool())
        .await
        .unwrap();
        assert_eq!(local_at, team_at, "{name}'s last assignment");
        // Every reveal audited, on both sides.
        let (local_reveals,): (i64,) = sqlx::query_as(
            "SELECT count(*) FROM audit_log WHERE action = 'reveal_contact' AND actor_id = ?",
        )
        .bind(local.people[n].0)
        .fetch_one(ws.pool())
        .await
        .unwrap();
        let (team_reveals,): (i64,) =
            sqlx::query_as("SELECT count(*) FROM pii_audit WHERE user_id = $1")
                .bind(team.people[n].0)
                .fetch_one(db.owner.pool())
                .await
                .unwrap();
        assert_eq!(local_reveals, team_reveals, "{name}'s reveals");
        reveals += local_reveals;
    }
    assert!(reveals > 0, "the sequence revealed no customer");

    // The supervisor's board: on the workspace, and on a desktop replicating the team's.
    let sup = desk(&db, &logins[0]).await;
    let server_versions: Vec<(i64, i64)> =
        sqlx::query_as("SELECT id, version FROM tickets ORDER BY id")
            .fetch_all(db.owner.pool())
            .await
            .unwrap();
    eventually("the replica caught up", Duration::from_secs(10), || async {
        let replica: Vec<(i64, i64)> = sup
            .tickets()
            .await
            .into_iter()
            .map(|t| (t.0, t.4))
            .collect();
        replica == server_versions
    })
    .await;
    let on_workspace = ws.board(&actors[0], None).await.unwrap();
    let on_replica = sup.ws.board(&sup.actor, None).await.unwrap();
    assert_eq!(board_of(&on_workspace), board_of(&on_replica));
}
