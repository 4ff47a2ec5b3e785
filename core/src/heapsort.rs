//! An in-place heapsort for the few places the core sorts plain values (ring points, shard
//! ids, latency samples).
//!
//! Why not `sort_unstable`: every element type gets its own copy of the standard library's
//! pattern-defeating quicksort with its small-sort networks and heapsort fallback (~4 KB of
//! wasm per type), where this is a few hundred bytes. Both are O(n log n) and neither is
//! stable; callers sort whole values, so equal elements are indistinguishable and the result
//! is the same as `sort_unstable`'s.

/// Sorts `v` ascending.
pub(crate) fn heapsort<T: Ord>(v: &mut [T]) {
    let len = v.len();
    for root in (0..len / 2).rev() {
        sift_down(v, root, len);
    }
    for end in (1..len).rev() {
        v.swap(0, end);
        sift_down(v, 0, end);
    }
}

/// Restores the max-heap below `root` within `v[..end]`.
fn sift_down<T: Ord>(v: &mut [T], mut root: usize, end: usize) {
    loop {
        let mut child = 2 * root + 1;
        if child >= end {
            return;
        }
        if child + 1 < end && v.get(child) < v.get(child + 1) {
            child += 1;
        }
        if v.get(root) >= v.get(child) {
            return;
        }
        v.swap(root, child);
        root = child;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn sorts_like_sort_unstable(mut v in proptest::collection::vec((0u64..20, 0u64..5), 0..300)) {
            let mut expected = v.clone();
            expected.sort_unstable();
            heapsort(&mut v);
            prop_assert_eq!(v, expected);
        }

        #[test]
        fn sorts_packed_keys(mut v in proptest::collection::vec(any::<u128>(), 0..300)) {
            let mut expected = v.clone();
            expected.sort_unstable();
            heapsort(&mut v);
            prop_assert_eq!(v, expected);
        }
    }
}
