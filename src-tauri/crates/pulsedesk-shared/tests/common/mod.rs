//! Shared-database test support lives in the crate (feature `testing`).

#![allow(unused_imports)]
pub use pulsedesk_shared::testing::*;
