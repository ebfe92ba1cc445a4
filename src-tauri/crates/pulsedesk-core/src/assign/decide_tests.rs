use super::*;
use crate::assign::{TierPreference, TypeSkills};
use chrono::{Duration, TimeZone};

fn t(min: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(1_790_000_000, 0).unwrap() + Duration::minutes(min)
}

fn agent(id: i64, skills: &[&str], load: u32, cap: u32) -> Candidate {
    Candidate {
        id: UserId(id),
        name: format!("agent{id}"),
        skills: skills.iter().map(|s| s.to_string()).collect(),
        presence: Presence::Online,
        load,
        cap,
        last_assigned_at: None,
    }
}

fn with(mut c: Candidate, f: impl FnOnce(&mut Candidate)) -> Candidate {
    f(&mut c);
    c
}

fn tech() -> Vec<String> {
    vec!["技术故障".into()]
}

/// Who gets the ticket (or why it waits), and by which rule.
fn run(need: Need<'_>, team: &[Candidate]) -> Result<(i64, Rule), WaitReason> {
    match decide(need, team) {
        Decision::Assign { to, why } => {
            assert_eq!(why.ranked[0].user, to, "the winner leads the ranking");
            Ok((to.0, why.rule))
        }
        Decision::Wait { reason } => Err(reason),
    }
}

/// (name, need, team, expected winner and rule or wait reason)
type Case<'a> = (
    &'static str,
    Need<'a>,
    Vec<Candidate>,
    Result<(i64, Rule), WaitReason>,
);

#[test]
fn the_decision_table() {
    let req = tech();
    let skilled = Need {
        required: &req,
        preferred: None,
    };
    let vip = Need {
        required: &req,
        preferred: Some("VIP"),
    };
    let any = Need::default();
    let away = |c| with(c, |c| c.presence = Presence::Away);
    let offline = |c| with(c, |c| c.presence = Presence::Offline);
    let cases: Vec<Case<'_>> = vec![
        (
            "nobody at all",
            any,
            vec![],
            Err(WaitReason::NoSkilledAgent),
        ),
        (
            "skills are required",
            skilled,
            vec![agent(1, &["退换货"], 0, 5), agent(2, &["技术故障"], 4, 5)],
            Ok((2, Rule::OnlyCandidate)),
        ),
        (
            "nobody has the skill",
            skilled,
            vec![agent(1, &["退换货"], 0, 5)],
            Err(WaitReason::NoSkilledAgent),
        ),
        (
            "the skilled are away or offline",
            skilled,
            vec![
                away(agent(1, &["技术故障"], 0, 5)),
                offline(agent(2, &["技术故障"], 0, 5)),
                agent(3, &[], 0, 5),
            ],
            Err(WaitReason::NobodyOnline),
        ),
        (
            "the skilled online are at their caps",
            skilled,
            vec![
                agent(1, &["技术故障"], 5, 5),
                agent(2, &["技术故障"], 7, 6),
                away(agent(3, &["技术故障"], 0, 5)),
            ],
            Err(WaitReason::AllAtCap),
        ),
        (
            "one below the cap is enough",
            skilled,
            vec![agent(1, &["技术故障"], 5, 5), agent(2, &["技术故障"], 4, 5)],
            Ok((2, Rule::OnlyCandidate)),
        ),
        (
            "the least loaded wins",
            any,
            vec![
                agent(1, &[], 3, 5),
                agent(2, &[], 1, 5),
                agent(3, &[], 2, 5),
            ],
            Ok((2, Rule::LeastLoaded)),
        ),
        (
            "the tier's tag beats a lighter load",
            vip,
            vec![
                agent(1, &["技术故障"], 0, 5),
                agent(2, &["技术故障", "VIP"], 3, 5),
            ],
            Ok((2, Rule::TierPreference)),
        ),
        (
            "without a tagged agent the tier falls back to load",
            vip,
            vec![agent(1, &["技术故障"], 2, 5), agent(2, &["技术故障"], 1, 5)],
            Ok((2, Rule::LeastLoaded)),
        ),
        (
            "a tagged agent at the cap does not block the others",
            vip,
            vec![
                agent(1, &["技术故障", "VIP"], 5, 5),
                agent(2, &["技术故障"], 1, 5),
            ],
            Ok((2, Rule::OnlyCandidate)),
        ),
        (
            "equal load: the least recently assigned",
            any,
            vec![
                with(agent(1, &[], 1, 5), |c| c.last_assigned_at = Some(t(5))),
                with(agent(2, &[], 1, 5), |c| c.last_assigned_at = Some(t(2))),
            ],
            Ok((2, Rule::LeastRecentlyAssigned)),
        ),
        (
            "never assigned counts as longest ago",
            any,
            vec![
                with(agent(1, &[], 1, 5), |c| c.last_assigned_at = Some(t(0))),
                agent(2, &[], 1, 5),
            ],
            Ok((2, Rule::LeastRecentlyAssigned)),
        ),
        (
            "a full tie goes to the member listed first",
            any,
            vec![agent(7, &[], 0, 5), agent(3, &[], 0, 5)],
            Ok((3, Rule::Tie)),
        ),
    ];
    for (name, need, team, want) in cases {
        assert_eq!(run(need, &team), want, "{name}");
    }
}

#[test]
fn the_reason_records_the_scores_of_the_top_three() {
    let team: Vec<Candidate> = (1..=5).map(|i| agent(i, &[], 5 - i as u32, 9)).collect();
    let Decision::Assign { to, why } = decide(Need::default(), &team) else {
        panic!("someone is eligible");
    };
    assert_eq!(to, UserId(5));
    assert_eq!(why.considered, 5);
    assert_eq!(why.eligible, 5);
    let order: Vec<(i64, u32)> = why.ranked.iter().map(|s| (s.user.0, s.load)).collect();
    assert_eq!(order, [(5, 0), (4, 1), (3, 2)]);
    assert_eq!(why.rule, Rule::LeastLoaded);
}

fn ten_equal_agents(cap: u32) -> Vec<Candidate> {
    (1..=10).map(|i| agent(i, &["产品咨询"], 0, cap)).collect()
}

fn spread(counts: &[u32]) -> u32 {
    counts.iter().max().unwrap() - counts.iter().min().unwrap()
}

#[test]
fn fairness_over_ten_thousand_assignments_while_tickets_stay_open() {
    let rules = AssignRules::default();
    let mut team = ten_equal_agents(2_000);
    let waiting: Vec<Waiting> = (0..10_000)
        .map(|i| Waiting {
            id: TicketId(i),
            type_id: TicketTypeId(1),
            tier: Tier::Normal,
        })
        .collect();
    let planned = plan(&waiting, &rules, &mut team, t(0));
    let mut counts = [0u32; 10];
    for p in &planned {
        let Decision::Assign { to, .. } = p.decision else {
            panic!("capacity is ample");
        };
        counts[(to.0 - 1) as usize] += 1;
    }
    assert_eq!(counts.iter().sum::<u32>(), 10_000);
    assert!(spread(&counts) <= 1, "{counts:?}");
}

#[test]
fn fairness_over_ten_thousand_assignments_when_each_is_finished_at_once() {
    // Loads stay equal, so only "least recently assigned" spreads the work.
    let rules = AssignRules::default();
    let mut team = ten_equal_agents(5);
    let mut counts = [0u32; 10];
    for i in 0..10_000 {
        let need = rules.need(TicketTypeId(1), Tier::Normal);
        let Decision::Assign { to, .. } = decide(need, &team) else {
            panic!("capacity is ample");
        };
        counts[(to.0 - 1) as usize] += 1;
        let c = team.iter_mut().find(|c| c.id == to).unwrap();
        c.last_assigned_at = Some(t(i));
    }
    assert!(spread(&counts) <= 1, "{counts:?}");
}

/// A tiny deterministic generator, so the randomised runs repeat exactly.
struct XorShift(u64);
impl XorShift {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// A random day of work: tickets of random types and tiers arrive, agents finish some.
/// Returns who got each ticket (or `None` when it had to wait).
fn simulate(seed: u64) -> Vec<Option<UserId>> {
    let mut rng = XorShift(seed);
    let rules = AssignRules {
        type_skills: vec![TypeSkills {
            type_id: TicketTypeId(2),
            skills: tech(),
        }],
        tier_preferences: vec![TierPreference {
            tier: Tier::Vip,
            skill: "VIP".into(),
        }],
        ..Default::default()
    };
    let mut team: Vec<Candidate> = (1..=40)
        .map(|i| {
            let mut skills = vec!["产品咨询"];
            if i % 3 == 0 {
                skills.push("技术故障");
            }
            if i % 7 == 0 {
                skills.push("VIP");
            }
            with(agent(i, &skills, 0, 3 + (i % 3) as u32), |c| {
                if i % 11 == 0 {
                    c.presence = Presence::Away;
                }
            })
        })
        .collect();
    let mut out = Vec::new();
    for minute in 0..2_000 {
        let tier = [Tier::Normal, Tier::Vip, Tier::Enterprise][rng.below(3) as usize];
        let need = rules.need(TicketTypeId(1 + rng.below(2) as i64), tier);
        match decide(need, &team) {
            Decision::Assign { to, .. } => {
                let c = team.iter_mut().find(|c| c.id == to).unwrap();
                assert!(c.load < c.cap, "never past the cap");
                c.load += 1;
                c.last_assigned_at = Some(t(minute));
                out.push(Some(to));
            }
            Decision::Wait { .. } => out.push(None),
        }
        let done = rng.below(40) as usize;
        if team[done].load > 0 && rng.below(2) == 0 {
            team[done].load -= 1;
        }
    }
    out
}

#[test]
fn the_same_clock_and_seed_give_the_same_assignments() {
    let a = simulate(42);
    assert_eq!(a, simulate(42));
    assert_ne!(
        a,
        simulate(43),
        "the seed matters, so the test can see a difference"
    );
    assert!(
        a.iter().any(Option::is_none),
        "the day runs out of capacity at times"
    );
    assert!(a.iter().filter(|x| x.is_some()).count() > 500);
}

#[test]
fn a_plan_never_exceeds_a_cap_and_keeps_the_backlog_order() {
    let rules = AssignRules::default();
    let mut team = vec![agent(1, &[], 3, 5), agent(2, &[], 0, 2)];
    let waiting: Vec<Waiting> = (0..8)
        .map(|i| Waiting {
            id: TicketId(i),
            type_id: TicketTypeId(1),
            tier: Tier::Normal,
        })
        .collect();
    let planned = plan(&waiting, &rules, &mut team, t(0));
    let got: Vec<Option<i64>> = planned
        .iter()
        .map(|p| match &p.decision {
            Decision::Assign { to, .. } => Some(to.0),
            Decision::Wait { .. } => None,
        })
        .collect();
    // Agent 2 (load 0) takes two, then agent 1 fills its last two places, then the rest wait.
    assert_eq!(
        got,
        [Some(2), Some(2), Some(1), Some(1), None, None, None, None]
    );
    assert_eq!(
        planned[4].decision,
        Decision::Wait {
            reason: WaitReason::AllAtCap
        }
    );
    assert_eq!((team[0].load, team[1].load), (5, 2));
}
