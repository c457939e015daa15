//! The order csysdig visits its table rows in, reproduced.
//!
//! csysdig keeps rows in a C++ `std::unordered_map` (libstdc++, GCC 12) keyed by the raw bytes of
//! the key, and merges rows by the group-by key in the map's iteration order. Some results depend
//! on that order: a text column aggregated with `MAX` keeps the last row's text, `NONE` the first
//! one's, and a `SUM` of averages comes out differently depending on which row starts the group.
//! To give the same rows, `StdOrder` replays libstdc++'s hash table: csysdig's hash function, its
//! prime bucket counts and growth policy, and its rule for where a new node goes in the list.
//!
//! See: libstdc++'s `hashtable.h` (`_M_insert_bucket_begin`, `_M_rehash_aux`) and
//! `hashtable_c++0x.cc` (`_Prime_rehash_policy`); the bucket counts below are its `__prime_list`.

/// libstdc++'s bucket counts (`__prime_list`), up to about 20 million.
const PRIMES: &[u64] = &[
    2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97, 103, 109, 113, 127,
    137, 139, 149, 157, 167, 179, 193, 199, 211, 227, 241, 257, 277, 293, 313, 337, 359, 383, 409, 439, 467, 503, 541,
    577, 619, 661, 709, 761, 823, 887, 953, 1031, 1109, 1193, 1289, 1381, 1493, 1613, 1741, 1879, 2029, 2179, 2357,
    2549, 2753, 2971, 3209, 3469, 3739, 4027, 4349, 4703, 5087, 5503, 5953, 6427, 6949, 7517, 8123, 8783, 9497, 10273,
    11113, 12011, 12983, 14033, 15173, 16411, 17749, 19183, 20753, 22447, 24281, 26267, 28411, 30727, 33223, 35933,
    38873, 42043, 45481, 49201, 53201, 57557, 62233, 67307, 72817, 78779, 85229, 92203, 99733, 107897, 116731, 126271,
    136607, 147793, 159871, 172933, 187091, 202409, 218971, 236897, 256279, 277261, 299951, 324503, 351061, 379787,
    410857, 444487, 480881, 520241, 562841, 608903, 658753, 712697, 771049, 834181, 902483, 976369, 1056323, 1142821,
    1236397, 1337629, 1447153, 1565659, 1693859, 1832561, 1982627, 2144977, 2320627, 2510653, 2716249, 2938679,
    3179303, 3439651, 3721303, 4026031, 4355707, 4712381, 5098259, 5515729, 5967347, 6456007, 6984629, 7556579,
    8175383, 8844859, 9569143, 10352717, 11200489, 12117689, 13109983, 14183539, 15345007, 16601593, 17961079,
    19431899,
];

/// Bucket counts for small requests (`_M_next_bkt`'s fast path).
const FAST_BUCKETS: [u64; 14] = [2, 2, 2, 3, 5, 5, 7, 7, 11, 11, 11, 11, 13, 13];

/// csysdig's key hash: `h = h * 101 + byte` over every byte of the key but the last.
pub fn key_hash(bytes: &[u8]) -> u64 {
    let n = bytes.len().saturating_sub(1);
    bytes[..n].iter().fold(0u64, |h, &b| h.wrapping_mul(101).wrapping_add(u64::from(b)))
}

const BEFORE_BEGIN: usize = usize::MAX;

/// The iteration order of a libstdc++ `unordered_map`.
#[derive(Clone, Debug, Default)]
pub struct StdOrder {
    /// Elements in the map.
    count: u64,
    hashes: Vec<u64>,
    next: Vec<Option<usize>>,
    head: Option<usize>,
    /// For each bucket, the node before its first node (`BEFORE_BEGIN` for the list head).
    buckets: Vec<Option<usize>>,
    next_resize: u64,
    /// Past the largest bucket count we know: plain insertion order from then on.
    overflow: bool,
    /// Nodes erased.
    removed: Vec<bool>,
}

impl StdOrder {
    /// An empty map (one bucket, nothing allocated).
    pub fn new() -> StdOrder {
        StdOrder { buckets: vec![None], ..StdOrder::default() }
    }

    fn bucket_count(&self) -> u64 {
        self.buckets.len() as u64
    }

    fn set_next(&mut self, node: usize, value: Option<usize>) {
        if node == BEFORE_BEGIN {
            self.head = value;
        } else {
            self.next[node] = value;
        }
    }

    fn next_of(&self, node: usize) -> Option<usize> {
        if node == BEFORE_BEGIN {
            self.head
        } else {
            self.next[node]
        }
    }

    /// `_M_next_bkt`: the bucket count for at least `n` buckets; `None` past our prime list.
    fn next_bucket_count(&mut self, n: u64) -> Option<u64> {
        if n < FAST_BUCKETS.len() as u64 {
            if n == 0 {
                return Some(1);
            }
            let b = FAST_BUCKETS[n as usize];
            self.next_resize = b;
            return Some(b);
        }
        let from = &PRIMES[6..];
        let i = from.partition_point(|&p| p < n);
        let b = *from.get(i)?;
        self.next_resize = b;
        Some(b)
    }

    /// `_M_need_rehash` for one more element: the new bucket count, if the table must grow.
    fn grow_to(&mut self) -> Option<Option<u64>> {
        let n_elt = self.count;
        if n_elt < self.next_resize {
            return None;
        }
        let min_buckets = (n_elt + 1).max(if self.next_resize == 0 { 11 } else { 0 });
        let n_bkt = self.bucket_count();
        if min_buckets >= n_bkt {
            return Some(self.next_bucket_count((min_buckets + 1).max(n_bkt * 2)));
        }
        self.next_resize = n_bkt;
        None
    }

    fn rehash(&mut self, n: u64) {
        let mut buckets: Vec<Option<usize>> = vec![None; n as usize];
        let mut p = self.head.take();
        let mut head_bucket = 0usize;
        while let Some(node) = p {
            let after = self.next[node];
            let b = (self.hashes[node] % n) as usize;
            match buckets[b] {
                None => {
                    self.next[node] = self.head;
                    self.head = Some(node);
                    buckets[b] = Some(BEFORE_BEGIN);
                    if self.next[node].is_some() {
                        buckets[head_bucket] = Some(node);
                    }
                    head_bucket = b;
                }
                Some(prev) => {
                    self.next[node] = self.next_of(prev);
                    self.set_next(prev, Some(node));
                }
            }
            p = after;
        }
        self.buckets = buckets;
    }

    /// Adds a key with this hash (a key not already in the map); returns its node number, which
    /// is the number of keys added before it.
    pub fn insert(&mut self, hash: u64) -> usize {
        let node = self.hashes.len();
        if !self.overflow {
            match self.grow_to() {
                Some(Some(n)) => self.rehash(n),
                Some(None) => self.overflow = true,
                None => {}
            }
        }
        self.count += 1;
        self.hashes.push(hash);
        self.next.push(None);
        if self.overflow {
            return node;
        }
        let b = (hash % self.bucket_count()) as usize;
        match self.buckets[b] {
            Some(prev) => {
                self.next[node] = self.next_of(prev);
                self.set_next(prev, Some(node));
            }
            None => {
                self.next[node] = self.head;
                self.head = Some(node);
                if let Some(after) = self.next[node] {
                    let ab = (self.hashes[after] % self.bucket_count()) as usize;
                    self.buckets[ab] = Some(node);
                }
                self.buckets[b] = Some(BEFORE_BEGIN);
            }
        }
        node
    }

    /// Removes a node (`_M_erase`): the others keep their order and the buckets never shrink.
    pub fn erase(&mut self, node: usize) {
        if node >= self.hashes.len() || self.removed.get(node).copied().unwrap_or(false) {
            return;
        }
        self.removed.resize(self.hashes.len(), false);
        self.removed[node] = true;
        self.count = self.count.saturating_sub(1);
        if self.overflow {
            return;
        }
        let n = self.bucket_count();
        let bkt = (self.hashes[node] % n) as usize;
        let Some(first_prev) = self.buckets[bkt] else { return };
        let mut prev = first_prev;
        while self.next_of(prev) != Some(node) {
            match self.next_of(prev) {
                Some(p) => prev = p,
                None => return,
            }
        }
        let next = self.next[node];
        if prev == first_prev {
            // The node was its bucket's first.
            let next_bkt = next.map(|x| (self.hashes[x] % n) as usize);
            if next_bkt != Some(bkt) {
                if let Some(nb) = next_bkt {
                    self.buckets[nb] = self.buckets[bkt];
                }
                self.buckets[bkt] = None;
            }
        } else if let Some(x) = next {
            let nb = (self.hashes[x] % n) as usize;
            if nb != bkt {
                self.buckets[nb] = Some(prev);
            }
        }
        self.set_next(prev, next);
        self.next[node] = None;
    }

    /// The node numbers in iteration order.
    pub fn order(&self) -> Vec<usize> {
        if self.overflow {
            return (0..self.hashes.len()).filter(|&i| !self.removed.get(i).copied().unwrap_or(false)).collect();
        }
        let mut out = Vec::with_capacity(self.hashes.len());
        let mut p = self.head;
        while let Some(n) = p {
            out.push(n);
            p = self.next[n];
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order_of(hashes: &[u64]) -> Vec<usize> {
        let mut o = StdOrder::new();
        for &h in hashes {
            o.insert(h);
        }
        o.order()
    }

    // Expected orders printed by a GCC 12 program iterating an unordered_map<uint64_t, int>
    // with an identity hash after the same insertions.
    #[test]
    fn matches_libstdcxx() {
        assert_eq!(order_of(&[5, 18, 31]), vec![2, 1, 0]);
        let twenty: Vec<u64> = (1..=20).collect();
        assert_eq!(order_of(&twenty), vec![19, 18, 17, 16, 15, 14, 13, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
        assert_eq!(order_of(&[100, 3, 29, 58, 7, 13]), vec![5, 4, 3, 2, 1, 0]);
    }

    #[test]
    fn erases_like_libstdcxx() {
        // Keys are their own hashes; an unordered_map<int64_t, int> printed 39 50 46 51 83 70 44
        // 21 47 1 3 28 after these inserts and erases.
        let mut o = StdOrder::new();
        let mut nodes = std::collections::HashMap::new();
        let ops: &[(char, u64)] = &[
            ('i', 57),
            ('i', 17),
            ('i', 28),
            ('e', 17),
            ('i', 3),
            ('i', 1),
            ('i', 47),
            ('e', 57),
            ('i', 21),
            ('i', 44),
            ('i', 8),
            ('i', 51),
            ('i', 46),
            ('i', 50),
            ('i', 39),
            ('i', 70),
            ('e', 8),
            ('i', 83),
        ];
        let mut keys = Vec::new();
        for &(op, k) in ops {
            if op == 'i' {
                nodes.insert(k, o.insert(k));
                keys.push(k);
            } else if let Some(n) = nodes.remove(&k) {
                o.erase(n);
            }
        }
        let order: Vec<u64> = o.order().into_iter().map(|n| keys[n]).collect();
        assert_eq!(order, vec![39, 50, 46, 51, 83, 70, 44, 21, 47, 1, 3, 28]);
    }

    #[test]
    fn csysdig_hash_skips_the_last_byte() {
        assert_eq!(key_hash(b"ab\0"), 97 * 101 + 98);
        assert_eq!(key_hash(&7i64.to_le_bytes()), 7 * 101u64.pow(6));
        assert_eq!(key_hash(&[]), 0);
    }
}
