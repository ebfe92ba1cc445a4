//! Names of the closed vocabularies in both languages, for files people read.

use crate::kinds::{Department, Outcome, Priority, Stage, Tier};
use crate::sla::notice::Lang;

pub fn stage(s: Stage, lang: Lang) -> &'static str {
    match (s, lang) {
        (Stage::Unassigned, Lang::Zh) => "待分配",
        (Stage::ToContact, Lang::Zh) => "待联系客户",
        (Stage::InProgress, Lang::Zh) => "处理中",
        (Stage::AwaitingReply, Lang::Zh) => "待回复客户",
        (Stage::Done, Lang::Zh) => "已完成",
        (Stage::Unassigned, Lang::En) => "Unassigned",
        (Stage::ToContact, Lang::En) => "To contact",
        (Stage::InProgress, Lang::En) => "In progress",
        (Stage::AwaitingReply, Lang::En) => "Awaiting reply",
        (Stage::Done, Lang::En) => "Done",
    }
}

pub fn priority(p: Priority, lang: Lang) -> &'static str {
    match (p, lang) {
        (Priority::Urgent, Lang::Zh) => "紧急",
        (Priority::High, Lang::Zh) => "高",
        (Priority::Medium, Lang::Zh) => "中",
        (Priority::Low, Lang::Zh) => "低",
        (Priority::Urgent, Lang::En) => "Urgent",
        (Priority::High, Lang::En) => "High",
        (Priority::Medium, Lang::En) => "Medium",
        (Priority::Low, Lang::En) => "Low",
    }
}

pub fn tier(t: Tier, lang: Lang) -> &'static str {
    match (t, lang) {
        (Tier::Vip, Lang::Zh) => "VIP客户",
        (Tier::Normal, Lang::Zh) => "普通客户",
        (Tier::Enterprise, Lang::Zh) => "企业客户",
        (Tier::Vip, Lang::En) => "VIP",
        (Tier::Normal, Lang::En) => "Normal",
        (Tier::Enterprise, Lang::En) => "Enterprise",
    }
}

pub fn department(d: Department, lang: Lang) -> &'static str {
    match (d, lang) {
        (Department::Tech, Lang::Zh) => "技术部",
        (Department::Product, Lang::Zh) => "产品部",
        (Department::AfterSales, Lang::Zh) => "售后部",
        (Department::Tech, Lang::En) => "Tech dept.",
        (Department::Product, Lang::En) => "Product dept.",
        (Department::AfterSales, Lang::En) => "After-sales",
    }
}

pub fn outcome(o: Outcome, lang: Lang) -> &'static str {
    match (o, lang) {
        (Outcome::Fully, Lang::Zh) => "已完全解决",
        (Outcome::Partially, Lang::Zh) => "部分解决",
        (Outcome::NotResolved, Lang::Zh) => "未解决",
        (Outcome::Fully, Lang::En) => "Fully resolved",
        (Outcome::Partially, Lang::En) => "Partially resolved",
        (Outcome::NotResolved, Lang::En) => "Not resolved",
    }
}
