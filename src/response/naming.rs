//! Names the unknown elements of one record, in O(1) per element: an element whose name already
//! occurred in the record gets the next occurrence number (`#2`, `#3`…).
//!
//! Records with a few unknown elements (nearly all) are searched directly. Past that, an index is
//! built: an open-addressing table of the distinct names, hashed with SipHash whose key is derived
//! from the whole body. A crafted answer cannot make its names collide, because the key is only
//! known once every name in the body is fixed (and the std hasher's own keys are fixed on wasm).

use std::cell::Cell;
use std::hash::{DefaultHasher, Hasher};

use crate::model::{Extra, ExtraEntry, Text};

/// Records with at most this many unknown elements are searched without an index.
const SMALL: usize = 8;

/// The hash key of one parse, derived from the body the first time a record needs an index.
pub(crate) struct HashKey<'b> {
    body: &'b [u8],
    key: Cell<Option<u64>>,
}

impl<'b> HashKey<'b> {
    pub(crate) fn new(body: &'b [u8]) -> Self {
        HashKey {
            body,
            key: Cell::new(None),
        }
    }

    fn get(&self) -> u64 {
        if let Some(key) = self.key.get() {
            return key;
        }
        let mut hasher = DefaultHasher::new();
        hasher.write(self.body);
        let key = hasher.finish();
        self.key.set(Some(key));
        key
    }
}

/// Collects one record's unknown elements into an [`Extra`].
pub(crate) struct ExtraBuilder<'a, 'k> {
    entries: Vec<ExtraEntry<'a>>,
    index: Option<NameIndex>,
    key: &'k HashKey<'a>,
}

impl<'a, 'k> ExtraBuilder<'a, 'k> {
    pub(crate) fn new(key: &'k HashKey<'a>) -> Self {
        ExtraBuilder {
            entries: Vec::new(),
            index: None,
            key,
        }
    }

    pub(crate) fn push(&mut self, name: Text<'a>, value: Option<Text<'a>>) {
        let occurrence = self.occurrence(&name);
        self.entries.push(ExtraEntry {
            name,
            occurrence,
            value,
        });
    }

    pub(crate) fn finish(self) -> Extra<'a> {
        Extra {
            entries: self.entries,
        }
    }

    /// The occurrence number the element `name`, about to be pushed, gets.
    fn occurrence(&mut self, name: &str) -> u32 {
        let entries = &self.entries;
        // A run of one name, the commonest repetition, needs no search.
        if let Some(last) = entries.last().filter(|last| last.name == name) {
            if let Some(index) = &mut self.index {
                index.names[index.last].count += 1;
            }
            return last.occurrence + 1;
        }
        if self.index.is_none() && entries.len() < SMALL {
            return entries
                .iter()
                .rev()
                .find(|e| e.name == name)
                .map_or(1, |e| e.occurrence + 1);
        }
        let key = self.key;
        let index = self
            .index
            .get_or_insert_with(|| NameIndex::of(entries, key.get()));
        index.count(entries, name, entries.len())
    }
}

/// The distinct names of one record and how often each occurred.
struct NameIndex {
    key: u64,
    /// Open addressing with linear probing, at most half full: 0 is empty, else 1 + an index
    /// into `names`.
    slots: Vec<u32>,
    names: Vec<DistinctName>,
    /// The `names` index of the last element counted.
    last: usize,
}

struct DistinctName {
    /// The entry holding the first element of this name (whose name is compared on lookup).
    first: u32,
    count: u32,
}

impl NameIndex {
    /// The index of the entries so far.
    fn of(entries: &[ExtraEntry<'_>], key: u64) -> Self {
        let mut index = NameIndex {
            key,
            slots: vec![0; 4 * SMALL],
            names: Vec::new(),
            last: 0,
        };
        for (i, entry) in entries.iter().enumerate() {
            index.count(entries, &entry.name, i);
        }
        index
    }

    fn hash(&self, name: &str) -> usize {
        let mut hasher = DefaultHasher::new();
        hasher.write_u64(self.key);
        hasher.write(name.as_bytes());
        // Only the low bits pick a slot; truncating on 32-bit targets is intended.
        hasher.finish() as usize
    }

    /// Counts one more element `name`, which is (or is about to be) `entries[at]`, and returns
    /// its occurrence number.
    fn count(&mut self, entries: &[ExtraEntry<'_>], name: &str, at: usize) -> u32 {
        let mut slot = match self.find(entries, name) {
            Ok(id) => {
                self.names[id].count += 1;
                self.last = id;
                return self.names[id].count;
            }
            Err(free) => free,
        };
        if 2 * (self.names.len() + 1) > self.slots.len() {
            self.grow(entries);
            slot = self.free_slot(name);
        }
        // Entry counts fit in u32: a body holds at most 64 MiB, and each element takes 4 bytes.
        self.names.push(DistinctName {
            first: at as u32,
            count: 1,
        });
        self.last = self.names.len() - 1;
        self.slots[slot] = self.names.len() as u32;
        1
    }

    /// The `names` index of `name`, or the free slot where it would go.
    fn find(&self, entries: &[ExtraEntry<'_>], name: &str) -> Result<usize, usize> {
        let mask = self.slots.len() - 1;
        let mut slot = self.hash(name) & mask;
        loop {
            let id = match self.slots[slot] {
                0 => return Err(slot),
                s => s as usize - 1,
            };
            if entries[self.names[id].first as usize].name == name {
                return Ok(id);
            }
            slot = (slot + 1) & mask;
        }
    }

    /// The first free slot on `name`'s probe sequence.
    fn free_slot(&self, name: &str) -> usize {
        let mask = self.slots.len() - 1;
        let mut slot = self.hash(name) & mask;
        while self.slots[slot] != 0 {
            slot = (slot + 1) & mask;
        }
        slot
    }

    /// Doubles the table and places every distinct name again (all are in `entries`).
    fn grow(&mut self, entries: &[ExtraEntry<'_>]) {
        self.slots = vec![0; 2 * self.slots.len()];
        for id in 0..self.names.len() {
            let slot = self.free_slot(&entries[self.names[id].first as usize].name);
            self.slots[slot] = id as u32 + 1;
        }
    }
}
