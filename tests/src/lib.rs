//! End-to-end browser tests for the Scalelab playground live here (see issue 5).
