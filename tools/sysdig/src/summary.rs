//! `-S`: the table of events by type that sysdig prints when the capture ends.
//!
//! sysdig keeps one counter per event type (0.29.3's 336) and two per syscall code for generic
//! `syscall` events (enter and exit, 329 codes), sorts that table by count with `std::sort`
//! and prints the rows with calls. `std::sort` is not stable, so rows with equal counts come
//! out in the order libstdc++'s introsort leaves them; `std_sort` below does the same steps
//! on the same table so that ties print in the same order.

use std::io::{self, Write};

use scap_common::event::Event;
use scap_common::schema::{self, ev};

/// One row of the table.
#[derive(Clone, Copy, Debug, Default)]
struct Entry {
    id: u16,
    /// A generic syscall counter rather than an event type.
    generic: bool,
    calls: u64,
}

/// The counters.
pub struct Summary {
    table: Vec<Entry>,
}

const N_SYSCALLS: usize = 329;

/// sysdig prints the first 100 rows.
const ROWS: usize = 100;

impl Default for Summary {
    fn default() -> Self {
        Summary::new()
    }
}

impl Summary {
    /// All counters at zero.
    pub fn new() -> Summary {
        let n_events = usize::from(schema::SYSDIG_0_29_EVENT_MAX);
        let mut table = Vec::with_capacity(n_events + 2 * N_SYSCALLS);
        table.extend((0..n_events).map(|j| Entry { id: j as u16, generic: false, calls: 0 }));
        table.extend((0..2 * N_SYSCALLS).map(|j| Entry { id: j as u16, generic: true, calls: 0 }));
        Summary { table }
    }

    /// Counts one event.
    pub fn count(&mut self, e: &Event) {
        let n_events = usize::from(schema::SYSDIG_0_29_EVENT_MAX);
        let idx = if e.event_type == ev::GENERIC_E || e.event_type == ev::GENERIC_X {
            let Some(id) = e.param_u64(0) else { return };
            let id = id as usize;
            if id >= N_SYSCALLS {
                return;
            }
            n_events + id * 2 + usize::from(e.event_type == ev::GENERIC_X)
        } else {
            usize::from(e.event_type)
        };
        if let Some(entry) = self.table.get_mut(idx) {
            entry.calls += 1;
        }
    }

    /// Prints the table as sysdig does.
    pub fn print(&self, out: &mut dyn Write) -> io::Result<()> {
        let mut table = self.table.clone();
        std_sort(&mut table, |a, b| a.calls > b.calls);
        writeln!(out, "----------------------")?;
        writeln!(out, "{:<16}#Calls", "Event")?;
        writeln!(out, "----------------------")?;
        for e in table.iter().take(ROWS).take_while(|e| e.calls > 0) {
            let name = if e.generic {
                schema::syscall_info(e.id / 2).map_or("", |(n, _)| n)
            } else {
                schema::event_info(e.id).map_or("", |i| i.name)
            };
            let dir = if e.id & 1 == 0 { "> " } else { "< " };
            // sysdig pads or cuts the name to 16 bytes.
            let name = name.get(..16).unwrap_or(name);
            writeln!(out, "{dir}{name:<16}{}", e.calls)?;
        }
        Ok(())
    }
}

/// libstdc++'s `std::sort`: introsort (median-of-three pivot, depth limit 2·log2 n, heapsort
/// when it is reached) on runs longer than 16, then insertion sort.
fn std_sort<T: Copy>(v: &mut [T], less: impl Fn(&T, &T) -> bool + Copy) {
    let n = v.len();
    if n < 2 {
        return;
    }
    let depth = 2 * (usize::BITS - 1 - n.leading_zeros()) as usize;
    introsort_loop(v, 0, n, depth, less);
    final_insertion_sort(v, less);
}

const THRESHOLD: usize = 16;

fn introsort_loop<T: Copy>(
    v: &mut [T],
    first: usize,
    mut last: usize,
    mut depth: usize,
    less: impl Fn(&T, &T) -> bool + Copy,
) {
    while last - first > THRESHOLD {
        if depth == 0 {
            heap_sort(&mut v[first..last], less);
            return;
        }
        depth -= 1;
        let cut = partition_pivot(v, first, last, less);
        introsort_loop(v, cut, last, depth, less);
        last = cut;
    }
}

fn partition_pivot<T: Copy>(v: &mut [T], first: usize, last: usize, less: impl Fn(&T, &T) -> bool) -> usize {
    let mid = first + (last - first) / 2;
    move_median_to_first(v, first, first + 1, mid, last - 1, &less);
    unguarded_partition(v, first + 1, last, first, &less)
}

fn move_median_to_first<T>(v: &mut [T], result: usize, a: usize, b: usize, c: usize, less: &impl Fn(&T, &T) -> bool) {
    let pick = if less(&v[a], &v[b]) {
        if less(&v[b], &v[c]) {
            b
        } else if less(&v[a], &v[c]) {
            c
        } else {
            a
        }
    } else if less(&v[a], &v[c]) {
        a
    } else if less(&v[b], &v[c]) {
        c
    } else {
        b
    };
    v.swap(result, pick);
}

fn unguarded_partition<T>(
    v: &mut [T],
    mut first: usize,
    mut last: usize,
    pivot: usize,
    less: &impl Fn(&T, &T) -> bool,
) -> usize {
    loop {
        while less(&v[first], &v[pivot]) {
            first += 1;
        }
        last -= 1;
        while less(&v[pivot], &v[last]) {
            last -= 1;
        }
        if first >= last {
            return first;
        }
        v.swap(first, last);
        first += 1;
    }
}

fn final_insertion_sort<T: Copy>(v: &mut [T], less: impl Fn(&T, &T) -> bool) {
    let n = v.len();
    if n > THRESHOLD {
        insertion_sort(v, 0, THRESHOLD, &less);
        for i in THRESHOLD..n {
            unguarded_linear_insert(v, i, &less);
        }
    } else {
        insertion_sort(v, 0, n, &less);
    }
}

fn insertion_sort<T: Copy>(v: &mut [T], first: usize, last: usize, less: &impl Fn(&T, &T) -> bool) {
    if first == last {
        return;
    }
    for i in first + 1..last {
        if less(&v[i], &v[first]) {
            let val = v[i];
            v.copy_within(first..i, first + 1);
            v[first] = val;
        } else {
            unguarded_linear_insert(v, i, less);
        }
    }
}

fn unguarded_linear_insert<T: Copy>(v: &mut [T], mut last: usize, less: &impl Fn(&T, &T) -> bool) {
    let val = v[last];
    let mut next = last - 1;
    while less(&val, &v[next]) {
        v[last] = v[next];
        last = next;
        next -= 1;
    }
    v[last] = val;
}

fn heap_sort<T: Copy>(v: &mut [T], less: impl Fn(&T, &T) -> bool) {
    let len = v.len();
    if len >= 2 {
        let mut parent = (len - 2) / 2;
        loop {
            let value = v[parent];
            adjust_heap(v, parent, len, value, &less);
            if parent == 0 {
                break;
            }
            parent -= 1;
        }
    }
    let mut last = len;
    while last > 1 {
        last -= 1;
        let value = v[last];
        v[last] = v[0];
        adjust_heap(v, 0, last, value, &less);
    }
}

fn adjust_heap<T: Copy>(v: &mut [T], mut hole: usize, len: usize, value: T, less: &impl Fn(&T, &T) -> bool) {
    let top = hole;
    let mut child = hole;
    while len >= 2 && child < (len - 1) / 2 {
        child = 2 * (child + 1);
        if less(&v[child], &v[child - 1]) {
            child -= 1;
        }
        v[hole] = v[child];
        hole = child;
    }
    if len & 1 == 0 && len >= 2 && child == (len - 2) / 2 {
        child = 2 * (child + 1);
        v[hole] = v[child - 1];
        hole = child - 1;
    }
    let mut parent = hole.wrapping_sub(1) / 2;
    while hole > top && less(&v[parent], &value) {
        v[hole] = v[parent];
        hole = parent;
        parent = hole.wrapping_sub(1) / 2;
    }
    v[hole] = value;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts() {
        let mut v: Vec<u32> = (0..1000u32).map(|i| (i * 7919) % 13).collect();
        std_sort(&mut v, |a, b| a > b);
        assert!(v.windows(2).all(|w| w[0] >= w[1]));
        let mut h: Vec<u32> = (0..100u32).map(|i| (i * 31) % 17).collect();
        heap_sort(&mut h, |a, b| a < b);
        assert!(h.windows(2).all(|w| w[0] <= w[1]));
    }
}
