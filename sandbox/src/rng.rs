//! A tiny deterministic random number generator (xorshift64*).
//!
//! The sandbox needs randomness for three things: return codes, UUIDs and pack codes that look
//! real, and the `--fail-rate` fault injection. None of it is security relevant, but all of it must
//! be reproducible from `--seed` so that a shop can replay a failing CI run. A dozen lines of
//! xorshift do that without pulling in the `rand` crate.

/// A xorshift64* generator. Not cryptographically secure; never use it for secrets.
#[derive(Debug, Clone)]
pub struct XorShift {
    state: u64,
}

impl XorShift {
    /// Creates a generator from `seed`. Any seed works, including 0 (it is remapped, because the
    /// all-zero state is the one state xorshift never leaves). Seeds are scrambled with
    /// SplitMix64 first so that neighbouring seeds (1, 2, 3 …) give unrelated streams.
    pub fn new(seed: u64) -> Self {
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        XorShift {
            state: if z == 0 { 0x2545_F491_4F6C_DD1D } else { z },
        }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.state;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.state = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A uniformly distributed number in `0.0..1.0` (53 bits of precision).
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A number in `0..bound` (`bound` must be non-zero; 0 is treated as 1). The modulo bias is
    /// at most `bound / 2^64`, irrelevant for the small bounds used here.
    pub fn below(&mut self, bound: u64) -> u64 {
        self.next_u64() % bound.max(1)
    }

    /// `len` random decimal digits, the first one never `0` (so the number keeps its length
    /// when a client reads it as an integer, as InPost's example codes all do).
    pub fn digits(&mut self, len: usize) -> String {
        let mut out = String::with_capacity(len);
        for i in 0..len {
            let digit = if i == 0 {
                1 + self.below(9)
            } else {
                self.below(10)
            };
            out.push(char::from(b'0' + digit as u8));
        }
        out
    }

    /// A random UUID in the version 4 layout (`xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx`, `y` one of
    /// `8 9 a b`), lower-case hex like InPost's examples.
    pub fn uuid_v4(&mut self) -> String {
        let hi = self.next_u64();
        let lo = self.next_u64();
        let mut bytes = [0u8; 16];
        bytes[..8].copy_from_slice(&hi.to_be_bytes());
        bytes[8..].copy_from_slice(&lo.to_be_bytes());
        bytes[6] = (bytes[6] & 0x0F) | 0x40;
        bytes[8] = (bytes[8] & 0x3F) | 0x80;
        let mut out = String::with_capacity(36);
        for (i, b) in bytes.iter().enumerate() {
            if matches!(i, 4 | 6 | 8 | 10) {
                out.push('-');
            }
            out.push_str(&format!("{b:02x}"));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_stream() {
        let mut a = XorShift::new(42);
        let mut b = XorShift::new(42);
        for _ in 0..100 {
            assert_eq!(a.next_u64(), b.next_u64());
        }
        assert_ne!(XorShift::new(1).next_u64(), XorShift::new(2).next_u64());
    }

    #[test]
    fn zero_seed_works() {
        let mut r = XorShift::new(0);
        assert_ne!(r.next_u64(), r.next_u64());
    }

    #[test]
    fn floats_in_range() {
        let mut r = XorShift::new(7);
        for _ in 0..10_000 {
            let f = r.next_f64();
            assert!((0.0..1.0).contains(&f));
        }
    }

    #[test]
    fn digits_shape() {
        let mut r = XorShift::new(3);
        for _ in 0..1000 {
            let d = r.digits(10);
            assert_eq!(d.len(), 10);
            assert!(d.bytes().all(|b| b.is_ascii_digit()));
            assert_ne!(d.as_bytes()[0], b'0');
        }
    }

    #[test]
    fn uuid_shape() {
        let mut r = XorShift::new(9);
        for _ in 0..100 {
            let u = r.uuid_v4();
            assert_eq!(u.len(), 36);
            let parts: Vec<&str> = u.split('-').collect();
            assert_eq!(
                parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
                [8, 4, 4, 4, 12]
            );
            assert!(parts[2].starts_with('4'));
            assert!(matches!(parts[3].as_bytes()[0], b'8' | b'9' | b'a' | b'b'));
            assert!(u.bytes().all(|b| b == b'-' || b.is_ascii_hexdigit()));
        }
    }
}
