//! The demo workspace: a team of 13, the four ticket types with templates, the SPEC's SLA
//! targets and a few hundred tickets across every stage, generated from a fixed seed.

use crate::rows::to_json;
use crate::time::to_ms;
use crate::{StoreError, Workspace};
use chrono::{DateTime, Duration, Utc};
use pulsedesk_core::assign::{AssignRules, TierPreference, TypeSkills};
use pulsedesk_core::config::default_sla_targets;
use pulsedesk_core::ids::{TicketId, TicketTypeId, UserId};
use pulsedesk_core::kinds::{Channel, Department, NoteAudience, Outcome, Priority, Stage, Tier};
use pulsedesk_core::ticket::{EventKind, TicketNumber, TicketState};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::HashMap;

/// How much demo data to generate.
#[derive(Debug, Clone, Copy)]
pub struct DemoOptions {
    pub tickets: usize,
    /// Tickets are spread over this many days up to now.
    pub days: i64,
    pub seed: u64,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions {
            tickets: 300,
            days: 14,
            seed: 20261123,
        }
    }
}

/// (name, role, cap, skills)
const TEAM: &[(&str, &str, i64, &[&str])] = &[
    ("王敏", "admin", 5, &[]),
    (
        "陈静",
        "supervisor",
        8,
        &["产品咨询", "技术故障", "退换货", "VIP"],
    ),
    ("刘洋", "supervisor", 8, &["技术故障", "退换货"]),
    ("李娜", "agent", 5, &["产品咨询", "退换货"]),
    ("张伟", "agent", 5, &["技术故障"]),
    ("王芳", "agent", 5, &["产品咨询"]),
    ("赵磊", "agent", 6, &["技术故障", "产品咨询"]),
    ("孙丽", "agent", 5, &["退换货"]),
    ("周杰", "agent", 4, &["技术故障", "VIP"]),
    ("吴婷", "agent", 5, &["产品咨询", "退换货", "VIP"]),
    ("郑浩", "agent", 5, &["技术故障"]),
    ("冯雪", "agent", 5, &["退换货"]),
    ("Emily Chen", "agent", 5, &["产品咨询", "VIP"]),
];

/// (name, template, subjects)
const TYPES: &[(&str, &str, &[&str])] = &[
    (
        "咨询",
        "□ 确认客户身份与订单号\n□ 查询知识库，给出准确答复\n□ 确认客户是否还有其他问题\n\n回复模板：\n您好，关于您咨询的问题：……如有其他疑问，欢迎随时联系我们。",
        &["会员积分如何使用", "配送范围咨询", "发票开具方式", "优惠券为何无法使用", "How do I change my delivery address?", "营业时间咨询"],
    ),
    (
        "投诉",
        "□ 致歉并记录投诉要点\n□ 核实事实（订单、物流、通话记录）\n□ 提出补偿或解决方案，并征得客户同意\n□ 24 小时内回访\n\n回复模板：\n非常抱歉给您带来不便。经核实……我们将为您……",
        &["快递三天未更新", "快递员态度差", "包裹破损", "客服电话一直占线", "Parcel delivered to the wrong address", "重复扣款"],
    ),
    (
        "技术支持",
        "□ 记录设备型号、系统版本、App 版本\n□ 复现问题并截图\n□ 按排障手册逐步排查\n□ 无法解决时转技术部并备注\n\n回复模板：\n您好，请您先尝试……如问题仍存在，请提供……",
        &["App 登录后闪退", "无法接收验证码", "支付页面白屏", "订单状态不同步", "App crashes on startup", "扫码寄件失败"],
    ),
    (
        "售后申请",
        "□ 核对订单与签收信息\n□ 确认退换货原因及照片\n□ 生成退货单并告知寄回方式\n□ 跟踪退款进度\n\n回复模板：\n您的售后申请已受理，售后单号……预计……个工作日内完成。",
        &["申请退货退款", "商品少件", "换货进度查询", "保价理赔申请", "Refund not received", "签收后发现损坏"],
    ),
];

const SURNAMES: &[&str] = &[
    "张", "王", "李", "赵", "刘", "陈", "杨", "黄", "周", "吴", "徐", "孙", "马", "胡", "朱", "郭",
    "何", "林", "欧阳", "高",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀英", "建华", "晓燕",
];
const LATIN: &[&str] = &[
    "Alice Smith",
    "Bob Li",
    "Carol Wang",
    "David Zhang",
    "Eva Liu",
    "Frank Wu",
];

fn pick<'a, T>(rng: &mut StdRng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

impl Workspace {
    /// Whether the workspace has no team yet.
    pub async fn is_empty(&self) -> Result<bool, StoreError> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users")
            .fetch_one(&self.pool)
            .await?;
        Ok(n == 0)
    }

    /// Fills an empty workspace with the demo team, configuration and tickets.
    /// Does nothing to a workspace that already has a team.
    pub async fn seed_demo(&self, opts: DemoOptions) -> Result<bool, StoreError> {
        if !self.is_empty().await? {
            return Ok(false);
        }
        let now = self.clock.now();
        let mut rng = StdRng::seed_from_u64(opts.seed);
        let mut tx = self.begin_write().await?;

        let mut agents: Vec<(UserId, i64)> = Vec::new();
        for (name, role, cap, skills) in TEAM {
            let (id,): (i64,) =
                sqlx::query_as("INSERT INTO users (name, role, cap) VALUES (?, ?, ?) RETURNING id")
                    .bind(name)
                    .bind(role)
                    .bind(cap)
                    .fetch_one(&mut *tx)
                    .await?;
            for skill in *skills {
                sqlx::query("INSERT INTO skills (name) VALUES (?) ON CONFLICT DO NOTHING")
                    .bind(skill)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("INSERT INTO user_skills (user_id, skill_id) SELECT ?, id FROM skills WHERE name = ?")
                    .bind(id)
                    .bind(skill)
                    .execute(&mut *tx)
                    .await?;
            }
            if *role != "admin" {
                agents.push((UserId(id), *cap));
            }
        }
        let mut type_ids = Vec::new();
        for (name, template, _) in TYPES {
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO ticket_types (name, template) VALUES (?, ?) RETURNING id",
            )
            .bind(name)
            .bind(template)
            .fetch_one(&mut *tx)
            .await?;
            type_ids.push(id);
        }
        for t in default_sla_targets() {
            sqlx::query("INSERT INTO sla_targets (priority, first_response_minutes, resolution_minutes) VALUES (?, ?, ?)")
                .bind(t.priority.as_str())
                .bind(i64::from(t.first_response_minutes))
                .bind(i64::from(t.resolution_minutes))
                .execute(&mut *tx)
                .await?;
        }

        let customer_count = (opts.tickets / 3).clamp(40, 20_000);
        let mut customers: Vec<(i64, Tier)> = Vec::with_capacity(customer_count);
        for i in 0..customer_count {
            let name = if i % 15 == 7 {
                pick(&mut rng, LATIN).to_string()
            } else {
                format!("{}{}", pick(&mut rng, SURNAMES), pick(&mut rng, GIVEN))
            };
            let phone = format!(
                "1{}{:09}",
                pick(&mut rng, &[3, 5, 8]),
                rng.random_range(0..1_000_000_000u64)
            );
            let email = if i % 3 == 0 {
                format!("user{i}@example.com")
            } else {
                String::new()
            };
            let tier = match rng.random_range(0..10) {
                0 => Tier::Vip,
                1 | 2 => Tier::Enterprise,
                _ => Tier::Normal,
            };
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO customers (name, phone, email, tier, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
            )
            .bind(name)
            .bind(phone)
            .bind(email)
            .bind(tier.as_str())
            .bind(to_ms(now - Duration::days(opts.days + 30)))
            .fetch_one(&mut *tx)
            .await?;
            customers.push((id, tier));
        }

        let span_ms = (opts.days * 86_400_000).max(1);
        let mut created: Vec<DateTime<Utc>> = (0..opts.tickets)
            .map(|_| now - Duration::milliseconds(rng.random_range(0..span_ms)))
            .collect();
        created.sort();
        let mut counters: HashMap<String, u32> = HashMap::new();
        let mut open_load: HashMap<UserId, i64> = HashMap::new();

        for created_at in created {
            let day = self.clock.local_day(created_at);
            let seq = counters.entry(TicketNumber::day_key(day)).or_insert(0);
            *seq += 1;
            let number = TicketNumber::new(day, *seq)
                .map(|n| n.to_string())
                .unwrap_or_default();
            let ti = rng.random_range(0..TYPES.len());
            let (cust, tier) = *pick(&mut rng, &customers);
            let priority = match rng.random_range(0..20) {
                0 | 1 => Priority::Urgent,
                2..=6 => Priority::High,
                7..=14 => Priority::Medium,
                _ => Priority::Low,
            };
            let channel = match rng.random_range(0..20) {
                0..=12 => Channel::Chat,
                13..=17 => Channel::Phone,
                18 => Channel::Email,
                _ => *pick(&mut rng, &[Channel::App, Channel::WebForm]),
            };
            let departments: Vec<Department> = match (ti, rng.random_range(0..4)) {
                (2, 0) => vec![Department::Tech],
                (3, 0) => vec![Department::AfterSales],
                (1, 0) => vec![Department::Product, Department::AfterSales],
                _ => vec![],
            };
            let subject = pick(&mut rng, TYPES[ti].2).to_string();
            let (tid,): (i64,) = sqlx::query_as(
                "INSERT INTO tickets (number, channel, type_id, customer_id, tier, priority, priority_rank, subject,
                     description, departments, stage, created_at, updated_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'unassigned', ?, ?) RETURNING id",
            )
            .bind(&number)
            .bind(channel.as_str())
            .bind(type_ids[ti])
            .bind(cust)
            .bind(tier.as_str())
            .bind(priority.as_str())
            .bind(priority.rank())
            .bind(&subject)
            .bind(format!("客户来电/留言反映：{subject}。请按模板处理。"))
            .bind(to_json(&departments))
            .bind(to_ms(created_at))
            .bind(to_ms(created_at))
            .fetch_one(&mut *tx)
            .await?;

            // Play the ticket's life forward until it is done or reaches "now".
            let speed = match priority {
                Priority::Urgent => 1,
                Priority::High => 2,
                Priority::Medium => 4,
                Priority::Low => 8,
            };
            let mut life: Vec<(DateTime<Utc>, Option<UserId>, EventKind)> = vec![(
                created_at,
                None,
                EventKind::Created {
                    channel,
                    priority,
                    tier,
                },
            )];
            let mut at = created_at + Duration::minutes(rng.random_range(1..8 * speed));
            let free: Vec<UserId> = agents
                .iter()
                .filter(|(u, cap)| open_load.get(u).copied().unwrap_or(0) < *cap)
                .map(|(u, _)| *u)
                .collect();
            let mut agent = None;
            // Half of the last two days' tickets are still being worked: each stops at a chosen
            // stage, so the demo always shows every stage. Older tickets ran their course.
            let recent = now - created_at < Duration::days(2);
            let stop_at = (recent && rng.random_range(0..2) == 0).then(|| {
                *pick(
                    &mut rng,
                    &[
                        Stage::Unassigned,
                        Stage::ToContact,
                        Stage::InProgress,
                        Stage::AwaitingReply,
                    ],
                )
            });
            if at < now && !free.is_empty() && stop_at != Some(Stage::Unassigned) {
                let a = *pick(&mut rng, &free);
                agent = Some(a);
                life.push((
                    at,
                    None,
                    EventKind::Assigned {
                        from: None,
                        to: a,
                        why: None,
                    },
                ));
                life.push((
                    at,
                    None,
                    EventKind::StageChanged {
                        from: Stage::Unassigned,
                        to: Stage::ToContact,
                        outcome: None,
                    },
                ));
                let mut stage = Stage::ToContact;
                let steps: &[(Stage, i64)] = &[
                    (Stage::InProgress, 12),
                    (Stage::AwaitingReply, 40),
                    (Stage::InProgress, 90),
                    (Stage::Done, 60),
                ];
                for (to, minutes) in steps {
                    if stop_at == Some(stage) {
                        break;
                    }
                    if *to == Stage::AwaitingReply
                        && stop_at != Some(Stage::AwaitingReply)
                        && rng.random_range(0..2) == 0
                    {
                        continue;
                    }
                    if *to == Stage::InProgress && stage == Stage::InProgress {
                        continue;
                    }
                    let next = at + Duration::minutes(rng.random_range(1..=minutes * speed));
                    if next >= now {
                        break;
                    }
                    at = next;
                    let outcome = (*to == Stage::Done).then(|| match rng.random_range(0..10) {
                        0 => Outcome::NotResolved,
                        1 | 2 => Outcome::Partially,
                        _ => Outcome::Fully,
                    });
                    life.push((
                        at,
                        Some(a),
                        EventKind::StageChanged {
                            from: stage,
                            to: *to,
                            outcome,
                        },
                    ));
                    stage = *to;
                }
                if stage == Stage::Done && rng.random_range(0..30) == 0 {
                    let back = at + Duration::minutes(rng.random_range(30..600));
                    if back < now {
                        life.push((
                            back,
                            Some(a),
                            EventKind::Reopened {
                                round: 2,
                                reason: "客户反馈问题仍未解决".into(),
                            },
                        ));
                        life.push((
                            back,
                            Some(a),
                            EventKind::StageChanged {
                                from: Stage::Done,
                                to: Stage::InProgress,
                                outcome: None,
                            },
                        ));
                        stage = Stage::InProgress;
                        // The second round ends too, unless it is still under way.
                        let again = back + Duration::minutes(rng.random_range(20..240));
                        if again < now {
                            let done = EventKind::StageChanged {
                                from: Stage::InProgress,
                                to: Stage::Done,
                                outcome: Some(Outcome::Fully),
                            };
                            life.push((again, Some(a), done));
                            stage = Stage::Done;
                        }
                    }
                }
                if stage != Stage::Done {
                    *open_load.entry(a).or_insert(0) += 1;
                }
            }
            if rng.random_range(0..6) == 0 && life.len() > 3 {
                let (note_at, _, _) = life[3];
                let (nid,): (i64,) = sqlx::query_as(
                    "INSERT INTO notes (ticket_id, author_id, audience, body, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
                )
                .bind(tid)
                .bind(agent.map(|a| a.0))
                .bind(if departments.is_empty() { "internal" } else { "tech" })
                .bind("已与客户电话沟通，正在核实。")
                .bind(to_ms(note_at))
                .fetch_one(&mut *tx)
                .await?;
                let audience = if departments.is_empty() {
                    NoteAudience::Internal
                } else {
                    NoteAudience::Tech
                };
                life.push((
                    note_at,
                    agent,
                    EventKind::NoteAdded {
                        note_id: pulsedesk_core::ids::NoteId(nid),
                        audience,
                    },
                ));
                life.sort_by_key(|e| e.0);
            }

            let mut state = TicketState::default();
            for (at, actor, kind) in &life {
                state.apply(*at, kind);
                crate::tickets::append_event(&mut tx, TicketId(tid), *at, *actor, kind).await?;
            }
            let last = life.last().map(|l| l.0).unwrap_or(created_at);
            sqlx::query(
                "UPDATE tickets SET stage = ?, assignee_id = ?, outcome = ?, round = ?, first_response_at = ?,
                     resolved_at = ?, updated_at = ?, version = ? WHERE id = ?",
            )
            .bind(state.stage.as_str())
            .bind(state.assignee.map(|u| u.0))
            .bind(state.outcome.map(|o| o.as_str()))
            .bind(i64::from(state.round))
            .bind(state.timings.first_response_at.map(to_ms))
            .bind(state.timings.resolved_at.map(to_ms))
            .bind(to_ms(last))
            .bind(i64::try_from(life.len()).unwrap_or(1))
            .bind(tid)
            .execute(&mut *tx)
            .await?;
        }
        for (day, last) in counters {
            sqlx::query("INSERT INTO ticket_counters (day, last) VALUES (?, ?)")
                .bind(day)
                .bind(i64::from(last))
                .execute(&mut *tx)
                .await?;
        }
        // Assignment: each type needs its skill (complaints go to anyone), VIP customers go
        // to VIP-tagged agents first.
        let type_skills = [Some("产品咨询"), None, Some("技术故障"), Some("退换货")]
            .iter()
            .zip(&type_ids)
            .filter_map(|(skill, id)| {
                skill.map(|s| TypeSkills {
                    type_id: TicketTypeId(*id),
                    skills: vec![s.to_string()],
                })
            })
            .collect();
        let rules = AssignRules {
            type_skills,
            tier_preferences: vec![TierPreference {
                tier: Tier::Vip,
                skill: "VIP".into(),
            }],
            ..AssignRules::default()
        };
        sqlx::query("INSERT INTO settings (key, value) VALUES ('assign.rules', ?)")
            .bind(to_json(&rules))
            .execute(&mut *tx)
            .await?;
        crate::feedback::demo::seed(&mut tx, self.clock.as_ref(), opts.seed).await?;
        crate::feedback::demo::seed_measure(&mut tx, self.clock.as_ref()).await?;
        tx.commit().await?;
        self.index_new_tickets().await?;
        // A bulk load: project every clock (open tickets' countdowns, finished tickets'
        // verdicts), then give the query planner fresh statistics at once.
        self.retarget_all().await?;
        self.judge_finished().await?;
        self.analyze().await?;
        tracing::info!(tickets = opts.tickets, "demo workspace seeded");
        Ok(true)
    }
}
