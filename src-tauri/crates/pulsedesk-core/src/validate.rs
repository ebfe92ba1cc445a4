//! Input limits and checks. Everything a user types passes through here before it is saved.

use crate::config::{MemberInput, SlaTarget, TicketTypeInput};
use crate::error::DomainError;
use crate::reason::Reason;
use crate::view::{CustomerChoice, NewCustomer, NewTicket};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Longest subject, in characters.
pub const MAX_SUBJECT: usize = 200;
/// Longest description, in characters.
pub const MAX_DESCRIPTION: usize = 20_000;
/// Longest note, in characters.
pub const MAX_NOTE: usize = 10_000;
/// Longest name of a person, type or skill, in characters.
pub const MAX_NAME: usize = 100;
/// Longest handling template, in characters.
pub const MAX_TEMPLATE: usize = 10_000;
/// Most attachment names on one ticket.
pub const MAX_ATTACHMENTS: usize = 20;
/// Longest SLA target: one year, in minutes.
pub const MAX_TARGET_MINUTES: u32 = 525_600;
/// Highest concurrent-ticket cap.
pub const MAX_CAP: u32 = 100;

/// One field at fault, for a form that shows them all at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FieldProblem {
    pub field: String,
    pub reason: Reason,
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A required text field: trimmed, not empty, at most `max` characters.
pub fn required(field: &'static str, value: &str, max: usize) -> Result<(), DomainError> {
    if value.trim().is_empty() {
        return Err(DomainError::invalid(field, Reason::Required));
    }
    at_most(field, value, max)
}

/// An optional text field of at most `max` characters.
pub fn at_most(field: &'static str, value: &str, max: usize) -> Result<(), DomainError> {
    let n = value.chars().count();
    if n > max {
        return Err(DomainError::invalid(
            field,
            Reason::TooLong {
                max: count(max),
                len: count(n),
            },
        ));
    }
    Ok(())
}

/// Whether `phone` is a number a customer can be called on: a mainland mobile (11 digits,
/// 13–19…), a landline with its area code (0 + 9 to 11 digits), a 400/800 service line,
/// or an international number (+ and 8 to 15 digits). Spaces, dashes and brackets are
/// allowed between the digits.
pub fn phone_ok(phone: &str) -> bool {
    let phone = phone.trim();
    if !phone
        .chars()
        .all(|ch| ch.is_ascii_digit() || " +-()".contains(ch))
    {
        return false;
    }
    let (plus, rest) = match phone.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, phone),
    };
    if rest.contains('+') {
        return false;
    }
    let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
    let n = digits.len();
    let b = digits.as_bytes();
    if plus {
        return (8..=15).contains(&n) && b[0] != b'0';
    }
    let mobile = n == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1]);
    let landline = b.first() == Some(&b'0') && (10..=12).contains(&n);
    let service = n == 10 && (digits.starts_with("400") || digits.starts_with("800"));
    mobile || landline || service
}

/// A new ticket's own fields (the customer is checked by [`customer`]).
pub fn new_ticket(t: &NewTicket) -> Result<(), DomainError> {
    first(ticket_problems(t))
}

/// A new customer: a name, and a phone number or an e-mail address that look real.
pub fn customer(c: &NewCustomer) -> Result<(), DomainError> {
    first(customer_problems(c))
}

/// Every problem of a new ticket and, when it names a new customer, of that customer.
pub fn new_ticket_problems(t: &NewTicket) -> Vec<FieldProblem> {
    let mut all = ticket_problems(t);
    if let CustomerChoice::New(c) = &t.customer {
        all.extend(customer_problems(c));
    }
    all.into_iter()
        .map(|(field, reason)| FieldProblem {
            field: field.to_string(),
            reason,
        })
        .collect()
}

fn first(problems: Vec<(&'static str, Reason)>) -> Result<(), DomainError> {
    match problems.into_iter().next() {
        Some((field, reason)) => Err(DomainError::invalid(field, reason)),
        None => Ok(()),
    }
}

fn reason_of(r: Result<(), DomainError>) -> Option<Reason> {
    r.err().map(|e| e.reason())
}

fn ticket_problems(t: &NewTicket) -> Vec<(&'static str, Reason)> {
    let mut out = Vec::new();
    if let Some(r) = reason_of(required("subject", &t.subject, MAX_SUBJECT)) {
        out.push(("subject", r));
    }
    if let Some(r) = reason_of(at_most("description", &t.description, MAX_DESCRIPTION)) {
        out.push(("description", r));
    }
    if t.attachments.len() > MAX_ATTACHMENTS {
        out.push((
            "attachments",
            Reason::TooMany {
                max: count(MAX_ATTACHMENTS),
            },
        ));
    } else if let Some(r) = t
        .attachments
        .iter()
        .find_map(|a| reason_of(required("attachments", a, 255)))
    {
        out.push(("attachments", r));
    }
    out
}

fn customer_problems(c: &NewCustomer) -> Vec<(&'static str, Reason)> {
    let mut out = Vec::new();
    if let Some(r) = reason_of(required("customer.name", &c.name, MAX_NAME)) {
        out.push(("customer.name", r));
    }
    let phone = c.phone.trim();
    let email = c.email.trim();
    if phone.is_empty() && email.is_empty() {
        out.push(("customer.phone", Reason::ContactNeeded));
    }
    if !phone.is_empty() && !phone_ok(phone) {
        out.push(("customer.phone", Reason::BadPhone));
    }
    if !email.is_empty() {
        if let Some(r) = reason_of(at_most("customer.email", email, 254)) {
            out.push(("customer.email", r));
        } else if !email_ok(email) {
            out.push(("customer.email", Reason::BadEmail));
        }
    }
    out
}

fn email_ok(email: &str) -> bool {
    match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains('@')
                && !email.contains(char::is_whitespace)
        }
        None => false,
    }
}

/// A ticket type edit.
pub fn ticket_type(t: &TicketTypeInput) -> Result<(), DomainError> {
    required("name", &t.name, 50)?;
    at_most("template", &t.template, MAX_TEMPLATE)
}

/// One priority's SLA targets: positive minutes, resolution no sooner than response.
pub fn sla_target(t: &SlaTarget) -> Result<(), DomainError> {
    for (field, v) in [
        ("first_response_minutes", t.first_response_minutes),
        ("resolution_minutes", t.resolution_minutes),
    ] {
        if v == 0 || v > MAX_TARGET_MINUTES {
            return Err(DomainError::invalid(
                field,
                Reason::OutOfRange {
                    min: 1,
                    max: i64::from(MAX_TARGET_MINUTES),
                },
            ));
        }
    }
    if t.resolution_minutes < t.first_response_minutes {
        return Err(DomainError::invalid(
            "resolution_minutes",
            Reason::ResolutionBeforeResponse,
        ));
    }
    Ok(())
}

/// A member edit: a name, a cap between 1 and [`MAX_CAP`], sensible skill tags.
pub fn member(m: &MemberInput) -> Result<(), DomainError> {
    required("name", &m.name, 60)?;
    if m.cap == 0 || m.cap > MAX_CAP {
        return Err(DomainError::invalid(
            "cap",
            Reason::OutOfRange {
                min: 1,
                max: i64::from(MAX_CAP),
            },
        ));
    }
    for s in &m.skills {
        skill(s)?;
    }
    Ok(())
}

/// A skill tag's name.
pub fn skill(name: &str) -> Result<(), DomainError> {
    required("skills", name, 30)
}

/// A note's body.
pub fn note(body: &str) -> Result<(), DomainError> {
    required("body", body, MAX_NOTE)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::TicketTypeId;
    use crate::kinds::{Channel, Priority, Role, Tier};

    fn ticket() -> NewTicket {
        NewTicket {
            channel: Channel::Phone,
            type_id: TicketTypeId(1),
            customer: CustomerChoice::New(cust()),
            priority: Priority::High,
            subject: "快递未送达".into(),
            description: "三天没有更新".into(),
            departments: vec![],
            attachments: vec![],
        }
    }

    fn cust() -> NewCustomer {
        NewCustomer {
            name: "张三".into(),
            phone: "13812341234".into(),
            email: String::new(),
            tier: Tier::Vip,
        }
    }

    fn field(e: DomainError) -> &'static str {
        match e {
            DomainError::Invalid { field, .. } => field,
            other => panic!("expected a field error, got {other:?}"),
        }
    }

    #[test]
    fn a_good_ticket_passes() {
        assert_eq!(new_ticket(&ticket()), Ok(()));
        assert_eq!(customer(&cust()), Ok(()));
    }

    #[test]
    fn empty_and_oversized_fields_are_refused_by_name() {
        let mut t = ticket();
        t.subject = "   ".into();
        assert_eq!(field(new_ticket(&t).unwrap_err()), "subject");
        let mut t = ticket();
        t.description = "x".repeat(1_000_000);
        let err = new_ticket(&t).unwrap_err();
        assert_eq!(
            err.reason(),
            Reason::TooLong {
                max: 20_000,
                len: 1_000_000
            }
        );
        assert_eq!(field(err), "description");
        let mut t = ticket();
        t.subject = "长".repeat(MAX_SUBJECT);
        assert_eq!(
            new_ticket(&t),
            Ok(()),
            "the limit counts characters, not bytes"
        );
    }

    #[test]
    fn customers_need_a_way_to_be_reached() {
        let mut c = cust();
        c.phone = String::new();
        assert_eq!(field(customer(&c).unwrap_err()), "customer.phone");
        c.email = "zhang@example.com".into();
        assert_eq!(customer(&c), Ok(()));
        for bad in ["zhang", "zhang@", "@x.cn", "a@b", "a b@x.cn", "a@.cn"] {
            c.email = bad.into();
            assert_eq!(field(customer(&c).unwrap_err()), "customer.email", "{bad}");
        }
        let mut c = cust();
        for bad in [
            "12",
            "12345",
            "138-abc",
            "++8613812341234",
            "1381234123",
            "23812341234",
            "+0123456789",
            "+1234567",
            "1".repeat(21).as_str(),
        ] {
            c.phone = bad.into();
            let e = customer(&c).unwrap_err();
            assert_eq!(e.reason(), Reason::BadPhone, "{bad}");
            assert_eq!(field(e), "customer.phone", "{bad}");
        }
        for good in [
            "+86 138 1234 1234",
            "(010) 1234-5678",
            "0755-8888 6666",
            "13812341234",
            "400-123-4567",
            "+44 20 7946 0958",
        ] {
            c.phone = good.into();
            assert_eq!(customer(&c), Ok(()), "{good}");
        }
    }

    #[test]
    fn a_form_hears_of_every_field_at_fault_at_once() {
        let mut t = ticket();
        t.subject = String::new();
        t.customer = CustomerChoice::New(NewCustomer {
            name: String::new(),
            phone: "12345".into(),
            email: "nope".into(),
            tier: Tier::Normal,
        });
        let fields: Vec<String> = new_ticket_problems(&t)
            .into_iter()
            .map(|p| p.field)
            .collect();
        assert_eq!(
            fields,
            [
                "subject",
                "customer.name",
                "customer.phone",
                "customer.email"
            ]
        );
        assert!(new_ticket_problems(&ticket()).is_empty());
    }

    #[test]
    fn sla_minutes_must_be_positive_and_ordered() {
        let ok = SlaTarget {
            priority: Priority::Urgent,
            first_response_minutes: 15,
            resolution_minutes: 240,
        };
        assert_eq!(sla_target(&ok), Ok(()));
        let zero = SlaTarget {
            first_response_minutes: 0,
            ..ok
        };
        assert_eq!(
            field(sla_target(&zero).unwrap_err()),
            "first_response_minutes"
        );
        let backwards = SlaTarget {
            resolution_minutes: 10,
            ..ok
        };
        assert_eq!(
            field(sla_target(&backwards).unwrap_err()),
            "resolution_minutes"
        );
        let huge = SlaTarget {
            resolution_minutes: MAX_TARGET_MINUTES + 1,
            ..ok
        };
        assert!(sla_target(&huge).is_err());
        for t in crate::config::default_sla_targets() {
            assert_eq!(sla_target(&t), Ok(()));
        }
    }

    #[test]
    fn members_need_a_name_and_a_sane_cap() {
        let mut m = MemberInput {
            id: None,
            name: "李四".into(),
            role: Role::Agent,
            skills: vec!["退换货".into()],
            cap: 5,
            active: true,
        };
        assert_eq!(member(&m), Ok(()));
        m.cap = 0;
        assert_eq!(field(member(&m).unwrap_err()), "cap");
        m.cap = 5;
        m.name = "".into();
        assert_eq!(field(member(&m).unwrap_err()), "name");
        m.name = "李四".into();
        m.skills = vec![" ".into()];
        assert_eq!(field(member(&m).unwrap_err()), "skills");
    }

    #[test]
    fn ticket_types_need_a_name() {
        let t = TicketTypeInput {
            id: None,
            name: "".into(),
            template: "".into(),
            active: true,
        };
        assert_eq!(field(ticket_type(&t).unwrap_err()), "name");
    }
}
