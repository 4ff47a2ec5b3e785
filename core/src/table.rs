//! Rows kept in key order: an ordered map whose code is shared by every row type with the same
//! key type.
//!
//! Why not one `BTreeMap<K, T>` per row type: every `BTreeMap<K, V>` instantiation brings its
//! own insert, remove, search, clone and drop (5–7 KB of wasm each), and a model has several
//! such maps (the caching model's requests, loads and write buffer by `u64`; the sharded
//! store's data, directory and ledger by key `String`). Here the ordered part is always
//! `BTreeMap<K, u32>` (key → row slot) and the rows sit in a `Vec` slab, so a new row type
//! costs only a few small `Vec` functions. Iteration is in key order, exactly as a
//! `BTreeMap<K, T>` iterates, so events that follow it keep their order.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Borrow;
use std::collections::BTreeMap;

/// Serialized as its `(key, row)` pairs in key order; the slots are derived (and a row of `()`
/// would not survive JSON as `Option<()>`: `Some(())` and `None` are both `null`).
#[derive(Debug, Clone)]
pub(crate) struct Table<K, T> {
    /// Key → slot in `rows`.
    index: BTreeMap<K, u32>,
    /// `None` marks a free slot (listed in `free`).
    rows: Vec<Option<T>>,
    /// Slots freed by `remove`, reused before `rows` grows.
    free: Vec<u32>,
}

impl<K, T> Default for Table<K, T> {
    fn default() -> Self {
        Table {
            index: BTreeMap::new(),
            rows: Vec::new(),
            free: Vec::new(),
        }
    }
}

impl<K: Ord, T> Table<K, T> {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    pub(crate) fn len(&self) -> usize {
        self.index.len()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    pub(crate) fn contains<Q: Ord + ?Sized>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.index.contains_key(key)
    }

    pub(crate) fn get<Q: Ord + ?Sized>(&self, key: &Q) -> Option<&T>
    where
        K: Borrow<Q>,
    {
        let slot = *self.index.get(key)?;
        self.rows.get(slot as usize)?.as_ref()
    }

    pub(crate) fn get_mut<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<&mut T>
    where
        K: Borrow<Q>,
    {
        let slot = *self.index.get(key)?;
        self.rows.get_mut(slot as usize)?.as_mut()
    }

    /// Stores `row` under `key`, returning the row it replaces.
    pub(crate) fn insert(&mut self, key: K, row: T) -> Option<T> {
        if let Some(old) = self.get_mut(&key) {
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

    pub(crate) fn remove<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<T>
    where
        K: Borrow<Q>,
    {
        let slot = self.index.remove(key)?;
        self.free_slot(slot)
    }

    /// Removes the row with the smallest key.
    pub(crate) fn pop_first(&mut self) -> Option<(K, T)> {
        let (key, slot) = self.index.pop_first()?;
        Some((key, self.free_slot(slot)?))
    }

    fn free_slot(&mut self, slot: u32) -> Option<T> {
        let row = self.rows.get_mut(slot as usize)?.take();
        self.free.push(slot);
        row
    }

    /// Keys in ascending order.
    pub(crate) fn keys(&self) -> impl Iterator<Item = &K> + '_ {
        self.index.keys()
    }

    /// `(key, row)` in ascending key order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&K, &T)> + '_ {
        self.index
            .iter()
            .filter_map(|(key, &slot)| Some((key, self.rows.get(slot as usize)?.as_ref()?)))
    }

    /// Empties the table, returning its rows in ascending key order.
    pub(crate) fn drain(&mut self) -> Vec<(K, T)> {
        let index = core::mem::take(&mut self.index);
        let mut rows = core::mem::take(&mut self.rows);
        self.free.clear();
        index
            .into_iter()
            .filter_map(|(key, slot)| Some((key, rows.get_mut(slot as usize)?.take()?)))
            .collect()
    }
}

impl<K: Ord + Serialize, T: Serialize> Serialize for Table<K, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<'de, K: Ord + Deserialize<'de>, T: Deserialize<'de>> Deserialize<'de> for Table<K, T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut table = Table::new();
        for (key, row) in Vec::<(K, T)>::deserialize(deserializer)? {
            table.insert(key, row);
        }
        Ok(table)
    }
}

/// Equal contents, whatever slots the rows happen to occupy.
impl<K: Ord, T: PartialEq> PartialEq for Table<K, T> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_set_survives_json() {
        let mut set = Table::new();
        set.insert("b".to_string(), ());
        set.insert("a".to_string(), ());
        let json = serde_json::to_string(&set).unwrap();
        assert_eq!(json, r#"[["a",null],["b",null]]"#);
        let back: Table<String, ()> = serde_json::from_str(&json).unwrap();
        assert!(back == set);
    }

    proptest! {
        /// Any sequence of inserts and removes leaves the same contents, in the same order, as
        /// a `BTreeMap<u64, u64>` given the same sequence.
        #[test]
        fn behaves_like_a_btree_map(ops in proptest::collection::vec((0u8..5, 0u64..40, any::<u64>()), 0..300)) {
            let mut table = Table::new();
            let mut reference = BTreeMap::new();
            for (op, key, value) in ops {
                match op {
                    0 => prop_assert_eq!(table.insert(key, value), reference.insert(key, value)),
                    1 => prop_assert_eq!(table.remove(&key), reference.remove(&key)),
                    _ => prop_assert_eq!(table.pop_first(), reference.pop_first()),
                }
                prop_assert_eq!(table.len(), reference.len());
                prop_assert_eq!(table.get(&key), reference.get(&key));
                prop_assert_eq!(table.contains(&key), reference.contains_key(&key));
            }
            let expected: Vec<(u64, u64)> = reference.iter().map(|(&k, &v)| (k, v)).collect();
            let listed: Vec<(u64, u64)> = table.iter().map(|(&k, &v)| (k, v)).collect();
            prop_assert_eq!(&listed, &expected);
            prop_assert!(table.keys().eq(reference.keys()));
            let copy = table.clone();
            prop_assert!(copy == table);
            let json = serde_json::to_string(&table).unwrap();
            let back: Table<u64, u64> = serde_json::from_str(&json).unwrap();
            prop_assert!(back == table);
            prop_assert_eq!(table.drain(), expected);
            prop_assert!(table.is_empty());
        }
    }
}
