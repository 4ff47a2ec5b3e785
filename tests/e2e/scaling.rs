//! Scaling has no checks beyond the generic ones (see `generic.rs`).

use crate::Test;

pub fn tests() -> Vec<Test> {
    Vec::new()
}
