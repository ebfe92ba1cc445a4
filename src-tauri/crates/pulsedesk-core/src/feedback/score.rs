//! The survey's three scores and their overall mean.

use crate::error::DomainError;
use crate::reason::Reason;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A score in tenths (47 is 4.7), so comparisons and sums are exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
pub struct Tenths(pub u32);

impl std::fmt::Display for Tenths {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.0 / 10, self.0 % 10)
    }
}

/// The three 1–5 scores: 响应速度 response speed, 专业度 professionalism, 问题解决 resolution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Scores {
    pub speed: u8,
    pub professionalism: u8,
    pub resolution: u8,
}

impl Scores {
    /// Checks each score is a whole number from 1 to 5.
    pub fn new(speed: u8, professionalism: u8, resolution: u8) -> Result<Self, DomainError> {
        for (field, v) in [
            ("speed", speed),
            ("professionalism", professionalism),
            ("resolution", resolution),
        ] {
            if !(1..=5).contains(&v) {
                return Err(DomainError::Invalid {
                    field,
                    reason: Reason::OutOfRange { min: 1, max: 5 },
                });
            }
        }
        Ok(Self {
            speed,
            professionalism,
            resolution,
        })
    }

    /// The overall score: the mean of the three, to the nearest tenth. Three whole scores
    /// never fall exactly halfway between two tenths, so no tie rule is needed:
    /// 5, 5, 4 → 4.7; 2, 1, 3 → 2.0.
    pub fn overall(&self) -> Tenths {
        let sum =
            u32::from(self.speed) + u32::from(self.professionalism) + u32::from(self.resolution);
        // floor(sum × 10 / 3 + 1/2), in integers.
        Tenths((sum * 20 + 3) / 6)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn overall(a: u8, b: u8, c: u8) -> String {
        Scores::new(a, b, c).unwrap().overall().to_string()
    }

    #[test]
    fn the_overall_score_is_the_mean_to_one_decimal() {
        assert_eq!(overall(5, 5, 4), "4.7");
        assert_eq!(overall(2, 1, 3), "2.0");
        assert_eq!(overall(5, 5, 5), "5.0");
        assert_eq!(overall(1, 1, 1), "1.0");
        assert_eq!(overall(4, 4, 5), "4.3");
        assert_eq!(overall(3, 3, 4), "3.3");
        assert_eq!(overall(1, 1, 2), "1.3");
        assert_eq!(overall(1, 2, 2), "1.7");
    }

    #[test]
    fn every_combination_matches_the_mean_rounded() {
        for a in 1..=5u8 {
            for b in 1..=5u8 {
                for c in 1..=5u8 {
                    let mean = f64::from(a + b + c) / 3.0;
                    let want = (mean * 10.0).round() as u32;
                    assert_eq!(Scores::new(a, b, c).unwrap().overall(), Tenths(want));
                }
            }
        }
    }

    #[test]
    fn out_of_range_scores_are_refused_by_name() {
        let err = Scores::new(5, 0, 3).unwrap_err().to_string();
        assert!(
            err.contains("professionalism") || err.contains("1 to 5"),
            "{err}"
        );
        assert!(Scores::new(6, 5, 5).is_err());
    }
}
