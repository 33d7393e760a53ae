//! Names the unknown elements of one record, in O(1) per element: an element whose name already
//! occurred in the record gets the next occurrence number (`#2`, `#3`…).
//!
//! A record's first few elements are compared directly. Past that, an index of the distinct names
//! counts them: a run of one name needs no lookup, a repeating pattern (records nested one level
//! too deep) is found by its period, up to [`SMALL`] distinct names are compared directly, and only
//! beyond that is there a hash table: open addressing, a multiply-fold hash (as foldhash and
//! ahash use) under a key derived from the whole body. A crafted answer cannot make its names
//! collide, because the key is only known once every name in the body is fixed (random keys are
//! not available on wasm).

use std::cell::Cell;

use super::reader::same_bytes;
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
        let key = hash(BODY_SEED, self.body);
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
                .find(|e| same_bytes(texts.bytes(e.name), name.as_bytes()))
                .map_or(1, |e| e.occurrence + 1),
            _ => index
                .get_or_insert_with(|| NameIndex::of(before, texts, key))
                .count(before, texts, name),
        };
        // The elements right after it with the same name, the commonest repetition, continue
        // the count without a search.
        let run = 1 + rest[1..]
            .iter()
            .take_while(|e| {
                e.name == rest[0].name || same_bytes(texts.bytes(e.name), name.as_bytes())
            })
            .count();
        for (n, entry) in (first..).zip(&mut rest[..run]) {
            entry.occurrence = n;
        }
        at += run;
        if let Some(index) = &mut index {
            index.repeat_last(run - 1);
            at = index.continue_pattern(entries, texts, at);
        }
    }
}

/// The distinct names of one record and how often each occurred.
struct NameIndex<'k> {
    key: &'k HashKey<'k>,
    names: Vec<DistinctName>,
    /// A hash table over `names`, built once there are more than [`SMALL`] of them: open
    /// addressing with linear probing, at most half full; 0 is empty, else the name's hash's top
    /// byte (compared first, so that a probe rarely touches `names`) over 1 + an index into
    /// `names` in the low 24 bits. A record cannot hold 2^24 distinct names (each takes at least
    /// five bytes of a body of at most 64 MiB); should it, the byte is 0 and always compared. Fewer names are searched directly, and so is every name found by `period`:
    /// the body is hashed for the key only when a record has many distinct names.
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
            .filter(|&back| same_bytes(texts.bytes(entries[back].name), name.as_bytes()))
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
                if let Some((slot, hash)) = place {
                    self.slots[slot] = slot_value(hash, id);
                    if 2 * self.names.len() > self.slots.len() {
                        self.rebuild(2 * self.slots.len());
                    }
                } else if self.names.len() > SMALL {
                    self.hash_key = self.key.get();
                    for distinct in &mut self.names {
                        let name = entries
                            .get(distinct.first as usize)
                            .map_or(name, |e| texts.get(e.name));
                        distinct.hash = hash(self.hash_key, name.as_bytes());
                    }
                    self.rebuild(4 * SMALL);
                }
                id
            }
        };
        self.ids.push(id as u32);
        self.names[id].count
    }

    /// Numbers the elements from `at` on for as long as each has the name of the element
    /// `period` before it (records nested one level too deep repeat their fields every record):
    /// one comparison and no lookup per element. Returns where the pattern ends.
    fn continue_pattern(&mut self, entries: &mut [Field], texts: &Texts<'_>, at: usize) -> usize {
        let period = self.period;
        if period < 2 || at < period || self.ids.len() != at {
            return at;
        }
        let mut end = at;
        while end < entries.len() {
            let earlier = entries[end - period].name;
            if earlier != entries[end].name
                && !same_bytes(texts.bytes(earlier), texts.bytes(entries[end].name))
            {
                break;
            }
            let id = self.ids[end - period];
            let distinct = &mut self.names[id as usize];
            distinct.count += 1;
            distinct.last = end as u32;
            entries[end].occurrence = distinct.count;
            self.ids.push(id);
            end += 1;
        }
        end
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
        let name_of = |id: usize| texts.bytes(entries[self.names[id].first as usize].name);
        if self.slots.is_empty() {
            return (0..self.names.len())
                .find(|&id| same_bytes(name_of(id), name.as_bytes()))
                .ok_or(None);
        }
        let hash = hash(self.hash_key, name.as_bytes());
        let tag = (hash >> 56) as u32;
        let mask = self.slots.len() - 1;
        let mut slot = hash as usize & mask;
        loop {
            match self.slots[slot] {
                0 => return Err(Some((slot, hash))),
                s if (s >> 24 == tag || s >> 24 == 0) => {
                    let id = (s & ID_BITS) as usize - 1;
                    if same_bytes(name_of(id), name.as_bytes()) {
                        return Ok(id);
                    }
                    slot = (slot + 1) & mask;
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
            self.slots[slot] = slot_value(distinct.hash, id);
        }
    }
}

/// The bits of a slot that hold 1 + the name's index.
const ID_BITS: u32 = (1 << 24) - 1;

/// A slot of the table: the hash's top byte over 1 + the name's index (see `slots`).
fn slot_value(hash: u64, id: usize) -> u32 {
    match u32::try_from(id + 1) {
        Ok(n) if n <= ID_BITS => ((hash >> 56) as u32) << 24 | n,
        // Beyond 24 bits of index the tag is given up (never reached: see `slots`).
        _ => (id + 1) as u32,
    }
}

/// The seed of the key's hash over the body (any odd constant; the digits of pi).
const BODY_SEED: u64 = 0x243F_6A88_85A3_08D3;
/// The multiplier of each step (2^64 / the golden ratio).
const MULTIPLIER: u64 = 0x9E37_79B9_7F4A_7C15;

/// A multiply-fold hash of `bytes` under `key`, eight bytes a step.
fn hash(key: u64, bytes: &[u8]) -> u64 {
    let mut state = key ^ (bytes.len() as u64).wrapping_mul(MULTIPLIER);
    let mut words = bytes.chunks_exact(8);
    for word in &mut words {
        state = fold(
            state ^ word.try_into().map_or(0, u64::from_le_bytes),
            MULTIPLIER,
        );
    }
    let rest = words.remainder();
    if !rest.is_empty() {
        let word = rest
            .iter()
            .rev()
            .fold(0u64, |word, &b| word << 8 | u64::from(b));
        state = fold(state ^ word, MULTIPLIER);
    }
    fold(state ^ key.rotate_left(29), MULTIPLIER ^ key)
}

/// The 128-bit product of `a` and `b`, its halves folded together.
fn fold(a: u64, b: u64) -> u64 {
    let product = u128::from(a) * u128::from(b);
    (product as u64) ^ ((product >> 64) as u64)
}
