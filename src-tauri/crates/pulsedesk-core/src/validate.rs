//! Input limits and checks. Everything a user types passes through here before it is saved.

use crate::config::{MemberInput, SlaTarget, TicketTypeInput};
use crate::error::DomainError;
use crate::view::{NewCustomer, NewTicket};

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

/// A required text field: trimmed, not empty, at most `max` characters.
pub fn required(field: &'static str, value: &str, max: usize) -> Result<(), DomainError> {
    if value.trim().is_empty() {
        return Err(DomainError::invalid(field, "must not be empty"));
    }
    at_most(field, value, max)
}

/// An optional text field of at most `max` characters.
pub fn at_most(field: &'static str, value: &str, max: usize) -> Result<(), DomainError> {
    let n = value.chars().count();
    if n > max {
        return Err(DomainError::invalid(
            field,
            format!("is too long ({n} characters; at most {max})"),
        ));
    }
    Ok(())
}

/// A new ticket's own fields (the customer is checked by [`customer`]).
pub fn new_ticket(t: &NewTicket) -> Result<(), DomainError> {
    required("subject", &t.subject, MAX_SUBJECT)?;
    at_most("description", &t.description, MAX_DESCRIPTION)?;
    if t.attachments.len() > MAX_ATTACHMENTS {
        return Err(DomainError::invalid(
            "attachments",
            format!("at most {MAX_ATTACHMENTS} attachments"),
        ));
    }
    for a in &t.attachments {
        required("attachments", a, 255)?;
    }
    Ok(())
}

/// A new customer: a name, and a phone number or an e-mail address that look real.
pub fn customer(c: &NewCustomer) -> Result<(), DomainError> {
    required("customer.name", &c.name, MAX_NAME)?;
    let phone = c.phone.trim();
    let email = c.email.trim();
    if phone.is_empty() && email.is_empty() {
        return Err(DomainError::invalid(
            "customer.phone",
            "give a phone number or an e-mail address",
        ));
    }
    if !phone.is_empty() {
        let ok_chars = phone
            .chars()
            .all(|ch| ch.is_ascii_digit() || " +-()".contains(ch));
        let digits = phone.chars().filter(char::is_ascii_digit).count();
        if !ok_chars || !(3..=20).contains(&digits) || phone[1..].contains('+') {
            return Err(DomainError::invalid(
                "customer.phone",
                "use 3 to 20 digits, with optional +, -, spaces or brackets",
            ));
        }
    }
    if !email.is_empty() {
        at_most("customer.email", email, 254)?;
        let valid = match email.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !domain.contains('@')
                    && !email.contains(char::is_whitespace)
            }
            None => false,
        };
        if !valid {
            return Err(DomainError::invalid(
                "customer.email",
                "is not an e-mail address",
            ));
        }
    }
    Ok(())
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
                format!("must be between 1 and {MAX_TARGET_MINUTES} minutes"),
            ));
        }
    }
    if t.resolution_minutes < t.first_response_minutes {
        return Err(DomainError::invalid(
            "resolution_minutes",
            "must not be shorter than the first-response target",
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
            format!("must be between 1 and {MAX_CAP}"),
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
    use crate::view::CustomerChoice;

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
        assert!(err.to_string().contains("1000000 characters"), "{err}");
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
        for bad in ["12", "138-abc", "++8613812341234", "1".repeat(21).as_str()] {
            c.phone = bad.into();
            assert_eq!(field(customer(&c).unwrap_err()), "customer.phone", "{bad}");
        }
        for good in ["+86 138 1234 1234", "(010) 1234-5678", "95588"] {
            c.phone = good.into();
            assert_eq!(customer(&c), Ok(()), "{good}");
        }
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
