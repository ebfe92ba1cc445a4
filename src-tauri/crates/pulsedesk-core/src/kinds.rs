//! The closed vocabularies of the helpdesk: roles, channels, priorities, tiers, stages.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Generates `as_str`/`parse`/`ALL` for a fieldless enum stored as text.
macro_rules! text_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vdoc])* $variant),+ }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The stable text stored in the database and sent over IPC.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
            /// Parses the stable text; `None` for anything unknown.
            pub fn parse(s: &str) -> Option<Self> {
                match s { $($text => Some($name::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

text_enum!(
    /// What a member may do; see [`crate::permissions`].
    Role {
        /// 客服专员
        Agent = "agent",
        /// 主管
        Supervisor = "supervisor",
        /// 数据管理员
        Admin = "admin",
    }
);

text_enum!(
    /// How the customer reached the team.
    Channel {
        Phone = "phone",
        Chat = "chat",
        Email = "email",
        App = "app",
        WebForm = "web_form",
    }
);

text_enum!(
    /// Ticket priority; the pool orders urgent first.
    Priority {
        /// 紧急
        Urgent = "urgent",
        /// 高
        High = "high",
        /// 中
        Medium = "medium",
        /// 低
        Low = "low",
    }
);

impl Priority {
    /// Sort rank: 0 for urgent up to 3 for low.
    pub fn rank(self) -> i64 {
        match self {
            Priority::Urgent => 0,
            Priority::High => 1,
            Priority::Medium => 2,
            Priority::Low => 3,
        }
    }
}

text_enum!(
    /// Customer tier.
    Tier {
        Vip = "vip",
        /// 普通
        Normal = "normal",
        /// 企业
        Enterprise = "enterprise",
    }
);

text_enum!(
    /// Where a ticket is in its life; see [`crate::ticket::stage`].
    Stage {
        /// 待分配
        Unassigned = "unassigned",
        /// 待联系客户
        ToContact = "to_contact",
        /// 处理中
        InProgress = "in_progress",
        /// 待回复客户
        AwaitingReply = "awaiting_reply",
        /// 已完成
        Done = "done",
    }
);

text_enum!(
    /// How a finished ticket ended.
    Outcome {
        Fully = "fully",
        Partially = "partially",
        NotResolved = "not_resolved",
    }
);

text_enum!(
    /// A department a ticket involves (技术部, 产品部, 售后).
    Department {
        Tech = "tech",
        Product = "product",
        AfterSales = "after_sales",
    }
);

text_enum!(
    /// Who a note is written for: the team only, or a department.
    NoteAudience {
        Internal = "internal",
        Tech = "tech",
        Product = "product",
        AfterSales = "after_sales",
    }
);

text_enum!(
    /// Whether a member can take new tickets now. Only online agents are assigned work.
    Presence {
        /// 在线
        Online = "online",
        /// 离开 (set by hand, by locking the screen or by being idle)
        Away = "away",
        /// 离线
        Offline = "offline",
    }
);

text_enum!(
    /// Why a ticket is waiting in the pool instead of being assigned.
    WaitReason {
        /// No active agent has every skill the ticket's type requires.
        NoSkilledAgent = "no_skilled_agent",
        /// Agents with the skills exist, but none of them is online.
        NobodyOnline = "nobody_online",
        /// Every online agent with the skills is at their cap.
        AllAtCap = "all_at_cap",
    }
);

text_enum!(
    /// Where a transfer request (转交申请) stands.
    TransferStatus {
        /// Waiting for a supervisor.
        Pending = "pending",
        Approved = "approved",
        Declined = "declined",
        /// The ticket changed hands or finished before anyone decided.
        Withdrawn = "withdrawn",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_round_trips_through_its_text() {
        for s in Stage::ALL {
            assert_eq!(Stage::parse(s.as_str()), Some(*s));
        }
        for p in Priority::ALL {
            assert_eq!(Priority::parse(p.as_str()), Some(*p));
        }
        for c in Channel::ALL {
            assert_eq!(Channel::parse(c.as_str()), Some(*c));
        }
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn serde_text_matches_stored_text() {
        let json = serde_json::to_string(&Channel::WebForm).unwrap();
        assert_eq!(json, "\"web_form\"");
        let bad: Result<Priority, _> = serde_json::from_str("\"critical\"");
        assert!(bad.is_err(), "unknown enum values are refused");
    }

    #[test]
    fn priority_ranks_urgent_first() {
        let mut ps = vec![
            Priority::Low,
            Priority::Urgent,
            Priority::Medium,
            Priority::High,
        ];
        ps.sort_by_key(|p| p.rank());
        assert_eq!(
            ps,
            vec![
                Priority::Urgent,
                Priority::High,
                Priority::Medium,
                Priority::Low
            ]
        );
    }
}
