//! Names the unknown elements of one record, in O(1) per element: an element whose name already
//! occurred in the record gets the next occurrence number (`#2`, `#3`…).
//!
//! A record's first few elements are compared directly. Past that, an index of the distinct names
//! counts them: a run of one name needs no lookup, a repeating pattern (records nested one level
//! too deep) is found by its period, up to [`SMALL`] distinct names are compared directly, and only
//! beyond that is there a hash table: open addressing, SipHash under a key derived from the whole
//! body. A crafted answer cannot make its names collide, because the key is only known once every
//! name in the body is fixed (the std hasher's own random keys are fixed on wasm).

use std::cell::Cell;
use std::hash::{DefaultHasher, Hasher};

use super::reader::same;
use super::span::{Field, Texts};

/// Records with fewer unknown elements than this are searched without an index, and an index
/// with at most this many distinct names without a hash table.
const SMALL: usize = 16;

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

/// Numbers the repeats among one record's unknown elements, in document order: the first
/// element of a name gets 1, the next one 2…
pub(crate) fn number_repeats<'k>(entries: &mut [Field], texts: &Texts<'_>, key: &'k HashKey<'k>) {
    let mut index: Option<NameIndex> = None;
    let mut at = 0;
    while at < entries.len() {
        let (before, rest) = entries.split_at_mut(at);
        let name = texts.get(rest[0].name);
        let first = match &mut index {
            None if at < SMALL => before
                .iter()
                .rev()
                .find(|e| same(texts.get(e.name), name))
                .map_or(1, |e| e.occurrence + 1),
            _ => index
                .get_or_insert_with(|| NameIndex::of(before, texts, key))
                .count(before, texts, name),
        };
        // The elements right after it with the same name, the commonest repetition, continue
        // the count without a search.
        let run = 1 + rest[1..]
            .iter()
            .take_while(|e| e.name == rest[0].name || same(texts.get(e.name), name))
            .count();
        for (n, entry) in (first..).zip(&mut rest[..run]) {
            entry.occurrence = n;
        }
        if let Some(index) = &mut index {
            index.repeat_last(run - 1);
        }
        at += run;
    }
}

/// The distinct names of one record and how often each occurred.
struct NameIndex<'k> {
    key: &'k HashKey<'k>,
    names: Vec<DistinctName>,
    /// A hash table over `names`, built once there are more than [`SMALL`] of them: open
    /// addressing with linear probing, at most half full; 0 is empty, else 1 + an index into
    /// `names`. Fewer names are searched directly, and so is every name found by `period`: the
    /// body is hashed for the key only when a record has many distinct names.
    slots: Vec<u32>,
    hash_key: u64,
    /// The `names` index of each element counted so far.
    ids: Vec<u32>,
    /// How far back the last element found had its previous occurrence. Answers repeat in
    /// patterns (the fields of records nested one level too deep come back every record), so
    /// the element that far back is compared first.
    period: usize,
}

struct DistinctName {
    /// The element where this name first occurred (whose name is compared on lookup).
    first: u32,
    /// The element where it last occurred.
    last: u32,
    count: u32,
    /// The name's hash, once there is a table (kept so that growing it hashes nothing again).
    hash: u64,
}

impl<'k> NameIndex<'k> {
    /// The index of the elements so far (each already numbered).
    fn of(entries: &[Field], texts: &Texts<'_>, key: &'k HashKey<'k>) -> Self {
        let mut index = NameIndex {
            key,
            names: Vec::new(),
            slots: Vec::new(),
            hash_key: 0,
            ids: Vec::with_capacity(entries.len() * 2),
            period: 1,
        };
        for (at, entry) in entries.iter().enumerate() {
            index.count(&entries[..at], texts, texts.get(entry.name));
        }
        index
    }

    /// Counts one more element `name`, the one just after `entries`, and returns its occurrence
    /// number. Element counts fit in u32: a body holds at most 64 MiB, an element takes 4 bytes.
    fn count(&mut self, entries: &[Field], texts: &Texts<'_>, name: &str) -> u32 {
        let at = entries.len();
        let guess = at
            .checked_sub(self.period)
            .filter(|&back| same(texts.get(entries[back].name), name))
            .map(|back| self.ids[back] as usize);
        let id = match guess.map_or_else(|| self.find(entries, texts, name), Ok) {
            Ok(id) => {
                let distinct = &mut self.names[id];
                self.period = at - distinct.last as usize;
                distinct.count += 1;
                distinct.last = at as u32;
                id
            }
            Err(place) => {
                self.names.push(DistinctName {
                    first: at as u32,
                    last: at as u32,
                    count: 1,
                    hash: place.map_or(0, |(_, hash)| hash),
                });
                let id = self.names.len() - 1;
                if let Some((slot, _)) = place {
                    self.slots[slot] = id as u32 + 1;
                    if 2 * self.names.len() > self.slots.len() {
                        self.rebuild(2 * self.slots.len());
                    }
                } else if self.names.len() > SMALL {
                    self.hash_key = self.key.get();
                    for distinct in &mut self.names {
                        let name = entries
                            .get(distinct.first as usize)
                            .map_or(name, |e| texts.get(e.name));
                        distinct.hash = hash(self.hash_key, name);
                    }
                    self.rebuild(4 * SMALL);
                }
                id
            }
        };
        self.ids.push(id as u32);
        self.names[id].count
    }

    /// Counts `n` more elements of the name counted last, right after it.
    fn repeat_last(&mut self, n: usize) {
        if n == 0 {
            return;
        }
        let id = self.ids.last().copied().unwrap_or_default();
        self.ids.resize(self.ids.len() + n, id);
        let distinct = &mut self.names[id as usize];
        distinct.count += n as u32;
        distinct.last += n as u32;
        self.period = 1;
    }

    /// The `names` index of `name`, or where it goes: its free slot and hash once there is a
    /// table.
    fn find(
        &self,
        entries: &[Field],
        texts: &Texts<'_>,
        name: &str,
    ) -> Result<usize, Option<(usize, u64)>> {
        let name_of = |id: usize| texts.get(entries[self.names[id].first as usize].name);
        if self.slots.is_empty() {
            return (0..self.names.len())
                .find(|&id| same(name_of(id), name))
                .ok_or(None);
        }
        let hash = hash(self.hash_key, name);
        let mask = self.slots.len() - 1;
        let mut slot = hash as usize & mask;
        loop {
            match self.slots[slot] as usize {
                0 => return Err(Some((slot, hash))),
                s if self.names[s - 1].hash == hash && same(name_of(s - 1), name) => {
                    return Ok(s - 1)
                }
                _ => slot = (slot + 1) & mask,
            }
        }
    }

    /// Places every distinct name in a table of `size` slots.
    fn rebuild(&mut self, size: usize) {
        self.slots = vec![0; size];
        let mask = size - 1;
        for (id, distinct) in self.names.iter().enumerate() {
            // Only the low bits pick a slot; truncating on 32-bit targets is intended.
            let mut slot = distinct.hash as usize & mask;
            while self.slots[slot] != 0 {
                slot = (slot + 1) & mask;
            }
            self.slots[slot] = id as u32 + 1;
        }
    }
}

/// SipHash of `name` under `key`.
fn hash(key: u64, name: &str) -> u64 {
    let mut hasher = DefaultHasher::new();
    hasher.write_u64(key);
    hasher.write(name.as_bytes());
    hasher.finish()
}
