//! One assignment decision, and a plan for a whole backlog.
//!
//! Eligible: an active agent who is online, has every skill the ticket's type requires and
//! is below their cap. Among the eligible, in this order: agents with the tier's preferred
//! tag first, then the fewest open tickets, then the least recently assigned (never
//! assigned counts as longest ago), then the lower member id. There is no randomness: the
//! same inputs always give the same agent.

use crate::ids::{TicketId, TicketTypeId, UserId};
use crate::kinds::{Presence, Tier, WaitReason};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use ts_rs::TS;

use super::AssignRules;

/// An agent as the assigner sees them at the moment of deciding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub id: UserId,
    pub name: String,
    pub skills: Vec<String>,
    /// Effective presence (see [`super::presence::effective`]).
    pub presence: Presence,
    /// Open tickets assigned to them now.
    pub load: u32,
    pub cap: u32,
    pub last_assigned_at: Option<DateTime<Utc>>,
}

impl Candidate {
    fn has(&self, skill: &str) -> bool {
        self.skills.iter().any(|s| s == skill)
    }
}

/// What a ticket asks of its agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Need<'a> {
    /// Skills every candidate must have (from the ticket type).
    pub required: &'a [String],
    /// A tag that puts its holders first (from the customer tier), if any.
    pub preferred: Option<&'a str>,
}

/// What set the chosen agent apart from the runner-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// Nobody else was eligible.
    OnlyCandidate,
    /// The chosen agent has the customer tier's preferred tag; the runner-up does not.
    TierPreference,
    /// The chosen agent had fewer open tickets.
    LeastLoaded,
    /// Equal load; the chosen agent waited longest since their last assignment.
    LeastRecentlyAssigned,
    /// Equal on every score; the member listed first won.
    Tie,
}

/// One candidate's scores, as recorded with the decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Score {
    pub user: UserId,
    pub name: String,
    /// Has the tier's preferred tag.
    pub preferred: bool,
    pub load: u32,
    pub cap: u32,
    pub last_assigned_at: Option<DateTime<Utc>>,
}

/// Why a ticket went to its agent: the deciding rule and the top of the ranking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AssignWhy {
    pub rule: Rule,
    pub required: Vec<String>,
    pub preferred: Option<String>,
    /// Active agents looked at.
    pub considered: u32,
    /// Of those, online, skilled and below their cap.
    pub eligible: u32,
    /// The winner first, then up to two runners-up.
    pub ranked: Vec<Score>,
}

/// The outcome of one decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Decision {
    Assign { to: UserId, why: AssignWhy },
    Wait { reason: WaitReason },
}

/// Sort key: smaller is better.
type Key = (bool, u32, Option<DateTime<Utc>>, UserId);

fn key(c: &Candidate, need: Need<'_>) -> Key {
    let preferred = need.preferred.is_some_and(|p| c.has(p));
    (!preferred, c.load, c.last_assigned_at, c.id)
}

fn score(c: &Candidate, need: Need<'_>) -> Score {
    Score {
        user: c.id,
        name: c.name.clone(),
        preferred: need.preferred.is_some_and(|p| c.has(p)),
        load: c.load,
        cap: c.cap,
        last_assigned_at: c.last_assigned_at,
    }
}

fn deciding_rule(win: &Key, next: Option<&Key>) -> Rule {
    let Some(next) = next else {
        return Rule::OnlyCandidate;
    };
    if win.0 != next.0 {
        Rule::TierPreference
    } else if win.1 != next.1 {
        Rule::LeastLoaded
    } else if win.2 != next.2 {
        Rule::LeastRecentlyAssigned
    } else {
        Rule::Tie
    }
}

/// Picks the best eligible agent for a ticket with `need`, or says why it must wait.
/// Runs in one pass over the candidates, without allocating for those who lose.
pub fn decide(need: Need<'_>, candidates: &[Candidate]) -> Decision {
    let mut skilled = false;
    let mut skilled_online = false;
    let mut eligible = 0u32;
    // The best three, best first.
    let mut top: [Option<(Key, usize)>; 3] = [None, None, None];
    for (i, c) in candidates.iter().enumerate() {
        if !need.required.iter().all(|r| c.has(r)) {
            continue;
        }
        skilled = true;
        if c.presence != Presence::Online {
            continue;
        }
        skilled_online = true;
        if c.load >= c.cap {
            continue;
        }
        eligible += 1;
        let k = key(c, need);
        let mut item = Some((k, i));
        for slot in top.iter_mut() {
            let better = match (&item, &*slot) {
                (Some((k, _)), Some((s, _))) => k.cmp(s) == Ordering::Less,
                (Some(_), None) => true,
                (None, _) => false,
            };
            if better {
                std::mem::swap(slot, &mut item);
            }
        }
    }
    let Some((win_key, win)) = top[0] else {
        let reason = if !skilled {
            WaitReason::NoSkilledAgent
        } else if !skilled_online {
            WaitReason::NobodyOnline
        } else {
            WaitReason::AllAtCap
        };
        return Decision::Wait { reason };
    };
    let rule = deciding_rule(&win_key, top[1].as_ref().map(|(k, _)| k));
    let ranked = top
        .iter()
        .flatten()
        .map(|(_, i)| score(&candidates[*i], need))
        .collect();
    Decision::Assign {
        to: candidates[win].id,
        why: AssignWhy {
            rule,
            required: need.required.to_vec(),
            preferred: need.preferred.map(str::to_string),
            considered: u32::try_from(candidates.len()).unwrap_or(u32::MAX),
            eligible,
            ranked,
        },
    }
}

/// A ticket waiting for an agent, in the order the backlog is drained (urgent first, then oldest).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Waiting {
    pub id: TicketId,
    pub type_id: TicketTypeId,
    pub tier: Tier,
}

/// One ticket's part of a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    pub ticket: TicketId,
    pub decision: Decision,
}

/// Decides a whole backlog in order. Each assignment counts against its agent (load + 1,
/// last assigned = `now`) before the next ticket is decided, so no plan exceeds a cap.
pub fn plan(
    waiting: &[Waiting],
    rules: &AssignRules,
    candidates: &mut [Candidate],
    now: DateTime<Utc>,
) -> Vec<Planned> {
    let mut out = Vec::with_capacity(waiting.len());
    for w in waiting {
        let decision = decide(rules.need(w.type_id, w.tier), candidates);
        if let Decision::Assign { to, .. } = &decision {
            if let Some(c) = candidates.iter_mut().find(|c| c.id == *to) {
                c.load += 1;
                c.last_assigned_at = Some(now);
            }
        }
        out.push(Planned {
            ticket: w.id,
            decision,
        });
    }
    out
}

#[cfg(test)]
#[path = "decide_tests.rs"]
mod tests;
