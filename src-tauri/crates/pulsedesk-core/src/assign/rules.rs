//! The admin's assignment rules: which skills each ticket type needs, which tag each
//! customer tier prefers, whether assignment runs by itself, and the idle timeout.

use super::decide::Need;
use crate::error::DomainError;
use crate::ids::TicketTypeId;
use crate::kinds::Tier;
use crate::reason::Reason;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Minutes without input (or with the screen locked) before a member counts as away.
pub const DEFAULT_IDLE_MINUTES: u32 = 10;
/// The longest idle timeout an admin may set: one working day.
pub const MAX_IDLE_MINUTES: u32 = 8 * 60;

/// Skills an agent needs to take tickets of one type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TypeSkills {
    pub type_id: TicketTypeId,
    pub skills: Vec<String>,
}

/// Agents with `skill` get this tier's tickets first (e.g. VIP → "VIP").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TierPreference {
    pub tier: Tier,
    pub skill: String,
}

/// Everything the assigner follows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AssignRules {
    /// Assign new and returned tickets by themselves; off means supervisors assign by hand.
    pub auto: bool,
    pub idle_minutes: u32,
    pub type_skills: Vec<TypeSkills>,
    pub tier_preferences: Vec<TierPreference>,
}

impl Default for AssignRules {
    fn default() -> Self {
        AssignRules {
            auto: true,
            idle_minutes: DEFAULT_IDLE_MINUTES,
            type_skills: Vec::new(),
            tier_preferences: Vec::new(),
        }
    }
}

impl AssignRules {
    /// What a ticket of `type_id` from a `tier` customer asks of its agent.
    pub fn need(&self, type_id: TicketTypeId, tier: Tier) -> Need<'_> {
        Need {
            required: self
                .type_skills
                .iter()
                .find(|t| t.type_id == type_id)
                .map(|t| t.skills.as_slice())
                .unwrap_or(&[]),
            preferred: self
                .tier_preferences
                .iter()
                .find(|p| p.tier == tier)
                .map(|p| p.skill.as_str()),
        }
    }

    /// Checks an admin's edit against the team's skills and ticket types, and tidies it
    /// (skills trimmed, sorted and deduplicated; types without skills dropped).
    pub fn validated(
        mut self,
        known_skills: &[String],
        known_types: &[TicketTypeId],
    ) -> Result<AssignRules, DomainError> {
        if self.idle_minutes == 0 || self.idle_minutes > MAX_IDLE_MINUTES {
            return Err(DomainError::invalid(
                "idle_minutes",
                Reason::OutOfRange {
                    min: 1,
                    max: i64::from(MAX_IDLE_MINUTES),
                },
            ));
        }
        let known = |s: &str| {
            known_skills
                .iter()
                .find(|k| k.eq_ignore_ascii_case(s.trim()))
        };
        let mut seen_types = Vec::new();
        for t in &mut self.type_skills {
            if !known_types.contains(&t.type_id) {
                return Err(DomainError::invalid(
                    "type_skills",
                    Reason::UnknownTicketType { id: t.type_id.0 },
                ));
            }
            if seen_types.contains(&t.type_id) {
                return Err(DomainError::invalid(
                    "type_skills",
                    Reason::TicketTypeTwice { id: t.type_id.0 },
                ));
            }
            seen_types.push(t.type_id);
            let mut skills = Vec::with_capacity(t.skills.len());
            for s in &t.skills {
                let k = known(s).ok_or_else(|| {
                    DomainError::invalid(
                        "type_skills",
                        Reason::UnknownSkill {
                            skill: s.trim().to_string(),
                        },
                    )
                })?;
                skills.push(k.clone());
            }
            skills.sort();
            skills.dedup();
            t.skills = skills;
        }
        self.type_skills.retain(|t| !t.skills.is_empty());
        let mut seen_tiers = Vec::new();
        for p in &mut self.tier_preferences {
            if seen_tiers.contains(&p.tier) {
                return Err(DomainError::invalid(
                    "tier_preferences",
                    Reason::TierTwice { tier: p.tier },
                ));
            }
            seen_tiers.push(p.tier);
            p.skill = known(&p.skill)
                .ok_or_else(|| {
                    DomainError::invalid(
                        "tier_preferences",
                        Reason::UnknownSkill {
                            skill: p.skill.trim().to_string(),
                        },
                    )
                })?
                .clone();
        }
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn skills() -> Vec<String> {
        vec!["VIP".into(), "技术故障".into(), "退换货".into()]
    }

    #[test]
    fn a_tickets_need_comes_from_its_type_and_tier() {
        let rules = AssignRules {
            type_skills: vec![TypeSkills {
                type_id: TicketTypeId(3),
                skills: vec!["技术故障".into()],
            }],
            tier_preferences: vec![TierPreference {
                tier: Tier::Vip,
                skill: "VIP".into(),
            }],
            ..Default::default()
        };
        let need = rules.need(TicketTypeId(3), Tier::Vip);
        assert_eq!(need.required, ["技术故障".to_string()]);
        assert_eq!(need.preferred, Some("VIP"));
        let plain = rules.need(TicketTypeId(1), Tier::Normal);
        assert!(plain.required.is_empty());
        assert_eq!(plain.preferred, None);
    }

    #[test]
    fn an_edit_is_tidied_against_the_known_skills() {
        let rules = AssignRules {
            type_skills: vec![
                TypeSkills {
                    type_id: TicketTypeId(1),
                    skills: vec![" 退换货".into(), "vip".into(), "退换货".into()],
                },
                TypeSkills {
                    type_id: TicketTypeId(2),
                    skills: vec![],
                },
            ],
            tier_preferences: vec![TierPreference {
                tier: Tier::Vip,
                skill: "vip ".into(),
            }],
            ..Default::default()
        }
        .validated(&skills(), &[TicketTypeId(1), TicketTypeId(2)])
        .unwrap();
        assert_eq!(rules.type_skills.len(), 1);
        assert_eq!(rules.type_skills[0].skills, ["VIP", "退换货"]);
        assert_eq!(rules.tier_preferences[0].skill, "VIP");
    }

    #[test]
    fn bad_edits_name_the_field_at_fault() {
        let types = [TicketTypeId(1)];
        let check = |rules: AssignRules| rules.validated(&skills(), &types).unwrap_err();
        let e = check(AssignRules {
            idle_minutes: 0,
            ..Default::default()
        });
        assert!(e.to_string().starts_with("idle_minutes"), "{e}");
        let e = check(AssignRules {
            idle_minutes: MAX_IDLE_MINUTES + 1,
            ..Default::default()
        });
        assert!(e.to_string().starts_with("idle_minutes"), "{e}");
        let e = check(AssignRules {
            type_skills: vec![TypeSkills {
                type_id: TicketTypeId(1),
                skills: vec!["Klingon".into()],
            }],
            ..Default::default()
        });
        assert!(e.to_string().contains("Klingon"), "{e}");
        let e = check(AssignRules {
            type_skills: vec![TypeSkills {
                type_id: TicketTypeId(9),
                skills: vec!["VIP".into()],
            }],
            ..Default::default()
        });
        assert!(e.to_string().contains("does not exist"), "{e}");
        let twice = TierPreference {
            tier: Tier::Vip,
            skill: "VIP".into(),
        };
        let e = check(AssignRules {
            tier_preferences: vec![twice.clone(), twice],
            ..Default::default()
        });
        assert!(e.to_string().contains("twice"), "{e}");
    }
}
