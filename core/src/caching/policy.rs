//! What every L1 eviction policy implements, so [`super::L1Cache`] can switch between them.

use super::cache::{Cache, EffectSink, EntryView, Key};
use crate::sim::{SimDuration, SimTime};

/// An in-memory cache with a fixed entry capacity and its own eviction rule.
///
/// The `_with` methods report what they did to a sink; pass [`super::Discard`] to skip that.
pub trait L1Policy<V>: Cache<V> {
    /// The value if present and not expired, reporting a hit, a miss or an expiry to `sink`; a hit counts as a use for the policy.
    fn get_with<S: EffectSink>(&mut self, key: Key, now: SimTime, sink: &mut S) -> Option<&V>;
    /// Stores `value` under `key` with an optional TTL, reporting the insertion or update and any eviction to `sink`.
    fn set_with<S: EffectSink>(
        &mut self,
        key: Key,
        value: V,
        ttl: Option<SimDuration>,
        now: SimTime,
        sink: &mut S,
    );
    /// Removes `key` (an explicit eviction). True if it was present.
    fn delete_with<S: EffectSink>(&mut self, key: Key, sink: &mut S) -> bool;
    /// Removes every entry, reporting it to `sink`.
    fn clear_with<S: EffectSink>(&mut self, sink: &mut S);
    /// Present and fresh at `now`, without counting a lookup or touching recency.
    fn contains(&self, key: Key, now: SimTime) -> bool;
    /// Entries it holds at most.
    fn capacity(&self) -> u64;
    /// Entries in keep order: the first is the one the policy would evict last.
    fn entries(&self) -> Vec<EntryView>;
    /// The value stored in `slot` (an [`EntryView`]'s), for rebuilding under another policy.
    fn value_at(&self, slot: u32) -> Option<&V>;
}

/// Implements the tutorial's [`super::Cache`] interface on top of [`L1Policy`] and the type's
/// inherent `stats_snapshot` / `entry_count`.
macro_rules! impl_cache_via_policy {
    ([$($generics:tt)*] $ty:ty) => {
        impl<$($generics)*> $crate::caching::Cache<V> for $ty {
            fn get(&mut self, key: $crate::caching::Key, now: $crate::sim::SimTime) -> Option<V> {
                $crate::caching::L1Policy::get_with(self, key, now, &mut $crate::caching::Discard)
                    .cloned()
            }
            fn set(
                &mut self,
                key: $crate::caching::Key,
                value: V,
                ttl: Option<$crate::sim::SimDuration>,
                now: $crate::sim::SimTime,
            ) {
                $crate::caching::L1Policy::set_with(
                    self,
                    key,
                    value,
                    ttl,
                    now,
                    &mut $crate::caching::Discard,
                )
            }
            fn delete(&mut self, key: $crate::caching::Key) -> bool {
                $crate::caching::L1Policy::delete_with(self, key, &mut $crate::caching::Discard)
            }
            fn clear(&mut self) {
                $crate::caching::L1Policy::clear_with(self, &mut $crate::caching::Discard)
            }
            fn stats(&self) -> $crate::caching::CacheStats {
                self.stats_snapshot()
            }
            fn len(&self) -> u64 {
                self.entry_count()
            }
        }
    };
}
pub(crate) use impl_cache_via_policy;
