//! SLA policies: conditions on priority, ticket type and customer tier, in the admin's order.
//! The first policy whose conditions all hold sets the ticket's targets.

use crate::config::SlaTarget;
use crate::ids::{CalendarId, TicketTypeId};
use crate::kinds::{Priority, Tier};

/// Conditions a ticket must meet; an empty list means "any".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PolicyMatch {
    pub priorities: Vec<Priority>,
    pub type_ids: Vec<TicketTypeId>,
    pub tiers: Vec<Tier>,
}

impl PolicyMatch {
    /// Whether a ticket with these attributes meets every condition.
    pub fn matches(&self, priority: Priority, type_id: TicketTypeId, tier: Tier) -> bool {
        (self.priorities.is_empty() || self.priorities.contains(&priority))
            && (self.type_ids.is_empty() || self.type_ids.contains(&type_id))
            && (self.tiers.is_empty() || self.tiers.contains(&tier))
    }
}

/// One SLA policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlaPolicy {
    pub name: String,
    pub when: PolicyMatch,
    pub first_response_minutes: u32,
    pub resolution_minutes: u32,
    /// A clock is "near breach" from this share of its target (default 80).
    pub near_percent: u8,
    /// Whether time in 待回复客户 (waiting on the customer) stops the resolution clock.
    pub pause_awaiting_reply: bool,
    /// Whose working hours count; `None` counts every hour.
    pub calendar: Option<CalendarId>,
}

impl SlaPolicy {
    /// The catch-all policy for one priority from the per-priority targets.
    pub fn from_target(t: &SlaTarget) -> Self {
        SlaPolicy {
            name: format!("{} (default)", t.priority),
            when: PolicyMatch {
                priorities: vec![t.priority],
                ..Default::default()
            },
            first_response_minutes: t.first_response_minutes,
            resolution_minutes: t.resolution_minutes,
            near_percent: 80,
            pause_awaiting_reply: true,
            calendar: None,
        }
    }
}

/// The first policy, in order, that matches; then the per-priority defaults.
pub fn select<'a>(
    ordered: &'a [SlaPolicy],
    defaults: &'a [SlaPolicy],
    priority: Priority,
    type_id: TicketTypeId,
    tier: Tier,
) -> Option<&'a SlaPolicy> {
    ordered
        .iter()
        .chain(defaults)
        .find(|p| p.when.matches(priority, type_id, tier))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::default_sla_targets;

    fn defaults() -> Vec<SlaPolicy> {
        default_sla_targets()
            .iter()
            .map(SlaPolicy::from_target)
            .collect()
    }

    fn vip_high() -> SlaPolicy {
        SlaPolicy {
            name: "VIP high".into(),
            when: PolicyMatch {
                priorities: vec![Priority::High, Priority::Urgent],
                tiers: vec![Tier::Vip],
                ..Default::default()
            },
            first_response_minutes: 10,
            resolution_minutes: 120,
            near_percent: 80,
            pause_awaiting_reply: true,
            calendar: None,
        }
    }

    #[test]
    fn the_first_matching_policy_wins() {
        let ordered = vec![vip_high()];
        let d = defaults();
        let p = select(&ordered, &d, Priority::High, TicketTypeId(1), Tier::Vip).unwrap();
        assert_eq!(p.first_response_minutes, 10);
        let p = select(&ordered, &d, Priority::High, TicketTypeId(1), Tier::Normal).unwrap();
        assert_eq!(
            p.first_response_minutes, 30,
            "falls back to the per-priority default"
        );
        let p = select(&ordered, &d, Priority::Low, TicketTypeId(1), Tier::Vip).unwrap();
        assert_eq!(p.first_response_minutes, 24 * 60);
    }

    #[test]
    fn order_decides_between_overlapping_policies() {
        let mut complaints = vip_high();
        complaints.name = "complaints".into();
        complaints.when = PolicyMatch {
            type_ids: vec![TicketTypeId(2)],
            ..Default::default()
        };
        complaints.first_response_minutes = 5;
        let d = defaults();
        let a = [complaints.clone(), vip_high()];
        let b = [vip_high(), complaints];
        assert_eq!(
            select(&a, &d, Priority::High, TicketTypeId(2), Tier::Vip)
                .unwrap()
                .first_response_minutes,
            5
        );
        assert_eq!(
            select(&b, &d, Priority::High, TicketTypeId(2), Tier::Vip)
                .unwrap()
                .first_response_minutes,
            10
        );
    }

    #[test]
    fn empty_conditions_match_anything() {
        assert!(PolicyMatch::default().matches(Priority::Low, TicketTypeId(9), Tier::Enterprise));
    }
}
