//! A pool ticket the assigner could not place waits "for capacity" with the reason it gave
//! (no skilled agent, nobody online, all at their cap): marked once when the wait starts —
//! with a `capacity_wait` entry in its log — and its reason kept current while it waits. An
//! assignment ends the wait. Both assigners (the embedded one and the team service's) ask
//! here.

use crate::kinds::WaitReason;

/// What marking a ticket that must wait changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// It starts waiting now: marked, and its log says why.
    Start,
    /// It was waiting for another reason: the reason changes, the log does not.
    Reason,
    /// Nothing changes.
    Same,
}

/// How to mark a ticket that must wait for `reason`, when it is `waiting` already for `now`
/// (`None`: a reason this build cannot read, which counts as another one).
pub fn mark(waiting: bool, now: Option<WaitReason>, reason: WaitReason) -> Mark {
    match (waiting, now) {
        (false, _) => Mark::Start,
        (true, Some(r)) if r == reason => Mark::Same,
        (true, _) => Mark::Reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wait_is_logged_once_and_its_reason_kept_current() {
        let cap = WaitReason::AllAtCap;
        assert_eq!(mark(false, None, cap), Mark::Start);
        assert_eq!(mark(false, Some(cap), cap), Mark::Start);
        assert_eq!(mark(true, Some(cap), cap), Mark::Same);
        assert_eq!(
            mark(true, Some(cap), WaitReason::NobodyOnline),
            Mark::Reason
        );
        assert_eq!(mark(true, None, cap), Mark::Reason);
    }
}
