//! Rows keyed by a `u64` — a request id, a load id or a cache key — kept in key order.
//!
//! Why not one `BTreeMap<u64, T>` per row type: every `BTreeMap<K, V>` instantiation brings its
//! own insert, remove, search, clone and drop (5–7 KB of wasm each), and the caching model has
//! half a dozen such maps. Here the ordered part is always the same `BTreeMap<u64, u32>` (key →
//! row slot, the instantiation the L2 index already uses) and the rows sit in a `Vec` slab, so a
//! new row type costs only a few small `Vec` functions. Iteration is in key order, exactly as a
//! `BTreeMap<u64, T>` iterates, so events that follow it keep their order.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Table<T> {
    /// Key → slot in `rows`.
    index: BTreeMap<u64, u32>,
    /// `None` marks a free slot (listed in `free`).
    rows: Vec<Option<T>>,
    /// Slots freed by `remove`, reused before `rows` grows.
    free: Vec<u32>,
}

impl<T> Default for Table<T> {
    fn default() -> Self {
        Table {
            index: BTreeMap::new(),
            rows: Vec::new(),
            free: Vec::new(),
        }
    }
}

impl<T> Table<T> {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    pub(crate) fn len(&self) -> usize {
        self.index.len()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    pub(crate) fn get(&self, key: u64) -> Option<&T> {
        let slot = *self.index.get(&key)?;
        self.rows.get(slot as usize)?.as_ref()
    }

    pub(crate) fn get_mut(&mut self, key: u64) -> Option<&mut T> {
        let slot = *self.index.get(&key)?;
        self.rows.get_mut(slot as usize)?.as_mut()
    }

    /// Stores `row` under `key`, returning the row it replaces.
    pub(crate) fn insert(&mut self, key: u64, row: T) -> Option<T> {
        if let Some(old) = self.get_mut(key) {
            return Some(core::mem::replace(old, row));
        }
        let slot = match self.free.pop() {
            Some(slot) => {
                if let Some(free) = self.rows.get_mut(slot as usize) {
                    *free = Some(row);
                }
                slot
            }
            None => {
                self.rows.push(Some(row));
                (self.rows.len() - 1) as u32
            }
        };
        self.index.insert(key, slot);
        None
    }

    pub(crate) fn remove(&mut self, key: u64) -> Option<T> {
        let slot = self.index.remove(&key)?;
        let row = self.rows.get_mut(slot as usize)?.take();
        self.free.push(slot);
        row
    }

    /// Keys in ascending order.
    pub(crate) fn keys(&self) -> impl Iterator<Item = u64> + '_ {
        self.index.keys().copied()
    }

    /// `(key, row)` in ascending key order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (u64, &T)> + '_ {
        self.index
            .iter()
            .filter_map(|(&key, &slot)| Some((key, self.rows.get(slot as usize)?.as_ref()?)))
    }

    /// Empties the table, returning its rows in ascending key order.
    pub(crate) fn drain(&mut self) -> Vec<(u64, T)> {
        let index = core::mem::take(&mut self.index);
        let mut rows = core::mem::take(&mut self.rows);
        self.free.clear();
        index
            .into_iter()
            .filter_map(|(key, slot)| Some((key, rows.get_mut(slot as usize)?.take()?)))
            .collect()
    }
}

/// Equal contents, whatever slots the rows happen to occupy.
impl<T: PartialEq> PartialEq for Table<T> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Any sequence of inserts and removes leaves the same contents, in the same order, as
        /// a `BTreeMap<u64, u64>` given the same sequence.
        #[test]
        fn behaves_like_a_btree_map(ops in proptest::collection::vec((any::<bool>(), 0u64..40, any::<u64>()), 0..300)) {
            let mut table = Table::new();
            let mut reference = BTreeMap::new();
            for (insert, key, value) in ops {
                if insert {
                    prop_assert_eq!(table.insert(key, value), reference.insert(key, value));
                } else {
                    prop_assert_eq!(table.remove(key), reference.remove(&key));
                }
                prop_assert_eq!(table.len(), reference.len());
                prop_assert_eq!(table.get(key), reference.get(&key));
            }
            let expected: Vec<(u64, u64)> = reference.iter().map(|(&k, &v)| (k, v)).collect();
            let listed: Vec<(u64, u64)> = table.iter().map(|(k, &v)| (k, v)).collect();
            prop_assert_eq!(&listed, &expected);
            prop_assert!(table.keys().eq(reference.keys().copied()));
            let copy = table.clone();
            prop_assert!(copy == table);
            prop_assert_eq!(table.drain(), expected);
            prop_assert!(table.is_empty());
        }
    }
}
