// SPDX-License-Identifier: GPL-2.0-only OR MIT
/* probe.bpf.c: the scap capture probe.
 *
 * sys_enter/sys_exit (tp_btf) filter on the capturing process tree or cgroup, look up what the
 * syscall's spec (filled by the loader from probe/src/decode/spec.rs) says to read, and write
 * one record per enter and per exit into the current CPU's ring buffer. Process exits, and the
 * exits of clone/execve, go to a separate small lifecycle ring so that a flood of syscalls never
 * loses them. sched_process_fork keeps the tracked process tree in the pid bitmap.
 *
 * Records are our own layout (scap_abi.h); userspace turns them into libscap events.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include "scap_abi.h"

/* The kernel only lets GPL-compatible programs use bpf_probe_read_*: this string names the
 * license of this file and scap_abi.h (SPDX above), one the kernel accepts as GPL-compatible. */
char LICENSE[] SEC("license") = "Dual MIT/GPL";

/* Set by the loader before loading (frozen read-only data). */
const volatile __u32 filter_mode = 0;
const volatile __u32 self_tgid = 0;
const volatile __u32 snaplen = 80;
const volatile __u32 cpus_per_ring = 1;
const volatile __u64 cgroup_id = 0;
const volatile __u32 cgroup_level = 0;
const volatile __u32 wake_bytes = 1 << 20;

struct ring_template {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 16);
};

/* One ring per CPU (or per group of cpus_per_ring CPUs), created and inserted by the loader. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, SCAP_MAX_RINGS);
	__type(key, __u32);
	__array(values, struct ring_template);
} rings SEC(".maps");

/* Process lifecycle records: exits, and the exits of clone and execve. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);
} life_ring SEC(".maps");

struct scratch {
	__u32 off; /* bytes of data used: kept in memory so the verifier merges states */
	__u32 n;   /* items written */
	__u32 cut; /* items that did not fit or could not be read */
	__u32 aux; /* bytes used by a loop that builds one item: in memory, like off */
	__s64 ret; /* the syscall's return value, for items sized by it */
	__u8 data[SCAP_SCRATCH_SIZE];
};

/* Per-CPU scratch for records with items (an ARRAY indexed by CPU: values over 32 KiB cannot
 * be per-CPU). max_entries is set to the number of CPUs by the loader. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct scratch);
} scratch SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SCAP_PID_WORDS);
	__type(key, __u32);
	__type(value, __u64);
} pids SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 512);
	__type(key, __u32);
	__type(value, struct scap_spec);
} specs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct scap_counters);
} stats SEC(".maps");

static __always_inline struct scap_counters *counters(void)
{
	__u32 zero = 0;
	return bpf_map_lookup_elem(&stats, &zero);
}

static __always_inline bool pid_tracked(__u32 tgid)
{
	__u32 word = tgid >> 6;
	__u64 *bits = bpf_map_lookup_elem(&pids, &word);
	return bits && (*bits & (1ULL << (tgid & 63)));
}

static __always_inline void pid_track(__u32 tgid)
{
	__u32 word = tgid >> 6;
	__u64 *bits = bpf_map_lookup_elem(&pids, &word);
	if (bits)
		__sync_fetch_and_or(bits, 1ULL << (tgid & 63));
}

static __always_inline void pid_untrack(__u32 tgid)
{
	__u32 word = tgid >> 6;
	__u64 *bits = bpf_map_lookup_elem(&pids, &word);
	if (bits)
		__sync_fetch_and_and(bits, ~(1ULL << (tgid & 63)));
}

/* Whether the current task is in the cgroup or below it. cgroup_level is the cgroup's depth as
 * the loader sees it; inside a cgroup namespace the real depth is larger by an unknown amount,
 * so deeper levels are tried until the task's own depth is passed. */
static __always_inline bool in_cgroup(void)
{
	for (int k = 0; k < 16; k++) {
		__u64 id = bpf_get_current_ancestor_cgroup_id(cgroup_level + k);
		if (id == cgroup_id)
			return true;
		if (id == 0)
			return false;
	}
	return false;
}

/* Whether events of the current task are captured. */
static __always_inline bool wanted(__u32 tgid)
{
	if (tgid == self_tgid)
		return false;
	if ((filter_mode & SCAP_FILTER_PIDS) && !pid_tracked(tgid))
		return false;
	if ((filter_mode & SCAP_FILTER_CGROUP) && !in_cgroup())
		return false;
	return true;
}

static __always_inline void *cpu_ring(void)
{
	__u32 idx = bpf_get_smp_processor_id();
	if (cpus_per_ring > 1)
		idx /= cpus_per_ring;
	return bpf_map_lookup_elem(&rings, &idx);
}

/* Wake the consumer only when this record makes the ring cross the high-water mark: waking
 * on every record costs more than the capture itself. The consumer also polls on a timer.
 * `size` is the record's size in the ring (its 8-byte ring header included); a reserved record
 * is already counted in the available data, a record about to be output is not yet, and the
 * window of one record's size either way makes exactly one record per crossing wake. */
static __always_inline __u64 wake_flags(void *rb, __u64 size)
{
	__u64 avail = bpf_ringbuf_query(rb, BPF_RB_AVAIL_DATA);
	if (avail >= wake_bytes && avail < wake_bytes + size)
		return BPF_RB_FORCE_WAKEUP;
	return BPF_RB_NO_WAKEUP;
}

static __always_inline void fill_hdr(struct scap_hdr *h, __u16 kind, __u32 len, __u64 pid_tgid)
{
	h->ts = bpf_ktime_get_ns();
	h->tid = (__u32)pid_tgid;
	h->pid = pid_tgid >> 32;
	h->len = len;
	h->kind = kind;
	h->cpu = bpf_get_smp_processor_id();
}

static __always_inline void count_drop(bool lifecycle)
{
	struct scap_counters *c = counters();
	if (!c)
		return;
	if (lifecycle)
		c->lifecycle_drops++;
	else
		c->drops_buffer++;
}

/* Reserves a record of `size` bytes (a constant) in `rb` and fills its header; NULL, with the
 * drop counted (as a lifecycle drop when `lifecycle`), when the ring is full. */
static __always_inline void *reserve_rec(void *rb, __u32 size, __u16 kind, __u64 pid_tgid, bool lifecycle)
{
	struct scap_hdr *h = bpf_ringbuf_reserve(rb, size, 0);
	if (!h) {
		count_drop(lifecycle);
		return NULL;
	}
	fill_hdr(h, kind, size, pid_tgid);
	return h;
}

/* A process's memory in KiB, as the driver reports it: total, resident (file, anonymous and
 * shared memory pages) and swapped out. */
static __always_inline void mm_kb(struct mm_struct *mm, __u32 *size_kb, __u32 *rss_kb, __u32 *swap_kb)
{
	*size_kb = BPF_CORE_READ(mm, total_vm) << 2;
	__s64 rss = BPF_CORE_READ(mm, rss_stat[MM_FILEPAGES].count) + BPF_CORE_READ(mm, rss_stat[MM_ANONPAGES].count) +
		    BPF_CORE_READ(mm, rss_stat[MM_SHMEMPAGES].count);
	__s64 swap = BPF_CORE_READ(mm, rss_stat[MM_SWAPENTS].count);
	*rss_kb = rss > 0 ? rss << 2 : 0;
	*swap_kb = swap > 0 ? swap << 2 : 0;
}

/* ---- items ---------------------------------------------------------------------------- */

/* BPF functions take at most five arguments: an item's kind and argument index travel packed
 * in one tag, and the syscall's return value sits in the scratch. */
#define TAG(kind, arg) ((__u32)(kind) | ((__u32)(arg) << 8))
#define TAG_KIND(tag) ((__u8)(tag))
#define TAG_ARG(tag) ((__u8)((tag) >> 8))
#define HALF_MASK (SCAP_SCRATCH_HALF - 1)
#define FULL_MASK (2 * SCAP_SCRATCH_HALF - 1)

/* Starts an item at the current offset; returns the item's offset or -1 when the record is full. */
static __always_inline long item_begin(struct scratch *sc)
{
	__u32 off = sc->off;
	if (off >= SCAP_SCRATCH_HALF) {
		sc->cut++;
		return -1;
	}
	return off;
}

static __always_inline void item_end(struct scratch *sc, __u32 off, __u32 len, __u32 tag)
{
	off &= HALF_MASK;
	struct scap_item *it = (void *)&sc->data[off];
	len &= 0xffff;
	it->len = len;
	it->kind = TAG_KIND(tag);
	it->arg = TAG_ARG(tag);
	sc->off = off + sizeof(struct scap_item) + len;
	sc->n++;
}

/* The item writers called from several places are global functions (`NAME_at`, user pointers
 * passed as integers, as global functions take no pointers but to context and known memory),
 * each behind an inline wrapper with the old signature: the verifier checks a global function
 * once, on its own, where it checks a static one again at every call site. That halves the
 * instructions it walks for the syscall programs, and so the time they take to load. */
__noinline int put_str_at(struct scratch *sc, __u32 tag, __u64 uptr_addr)
{
	const void *uptr = (const void *)uptr_addr;
	if (!sc)
		return 0;
	long off = item_begin(sc);
	if (off < 0)
		return 0;
	off &= HALF_MASK;
	long n = bpf_probe_read_user_str(&sc->data[off + sizeof(struct scap_item)], SCAP_MAX_STR, uptr);
	if (n < 0) {
		sc->cut++;
		n = 0;
	}
	item_end(sc, off, n, tag);
	return 0;
}

static __always_inline void put_str(struct scratch *sc, __u32 tag, const void *uptr)
{
	put_str_at(sc, tag, (__u64)uptr);
}

__noinline int put_user_at(struct scratch *sc, __u32 tag, __u64 uptr_addr, __u64 len)
{
	const void *uptr = (const void *)uptr_addr;
	if (!sc)
		return 0;
	long off = item_begin(sc);
	if (off < 0)
		return 0;
	off &= HALF_MASK;
	if (len > SCAP_SCRATCH_HALF - 1)
		len = SCAP_SCRATCH_HALF - 1;
	len &= HALF_MASK;
	if (bpf_probe_read_user(&sc->data[off + sizeof(struct scap_item)], len, uptr) < 0) {
		sc->cut++;
		len = 0;
	}
	item_end(sc, off, len, tag);
	return 0;
}

static __always_inline void put_user(struct scratch *sc, __u32 tag, const void *uptr, __u64 len)
{
	put_user_at(sc, tag, (__u64)uptr, len);
}

static __always_inline __u64 clamp_snap(__u64 len)
{
	return len > snaplen ? snaplen : len;
}

/* Copies up to `want` bytes (and at most snaplen) from an iovec array into one item. */
__noinline int put_iov_at(struct scratch *sc, __u32 tag, __u64 iov_addr, __u64 cnt, __u64 want)
{
	const struct iovec *iov = (const struct iovec *)iov_addr;
	if (!sc)
		return 0;
	long off = item_begin(sc);
	if (off < 0)
		return 0;
	off &= HALF_MASK;
	__u32 base = off + sizeof(struct scap_item);
	__u32 got = 0;
	want = clamp_snap(want);
	for (int i = 0; i < SCAP_MAX_IOV; i++) {
		if (i >= cnt || got >= want)
			break;
		struct iovec v;
		if (bpf_probe_read_user(&v, sizeof(v), &iov[i]) < 0) {
			sc->cut++;
			break;
		}
		__u64 chunk = v.iov_len;
		if (chunk > want - got)
			chunk = want - got;
		chunk &= HALF_MASK;
		__u32 at = (base + got) & FULL_MASK;
		if (bpf_probe_read_user(&sc->data[at], chunk, v.iov_base) < 0) {
			sc->cut++;
			break;
		}
		got += chunk;
	}
	item_end(sc, off, got, tag);
	return 0;
}

static __always_inline void put_iov(struct scratch *sc, __u32 tag, const struct iovec *iov, __u64 cnt, __u64 want)
{
	put_iov_at(sc, tag, (__u64)iov, cnt, want);
}

__noinline int put_u64_at(struct scratch *sc, __u32 tag, __u64 v)
{
	if (!sc)
		return 0;
	long off = item_begin(sc);
	if (off < 0)
		return 0;
	off &= HALF_MASK;
	*(__u64 *)&sc->data[off + sizeof(struct scap_item)] = v;
	item_end(sc, off, sizeof(__u64), tag);
	return 0;
}

static __always_inline void put_u64(struct scratch *sc, __u32 tag, __u64 v)
{
	put_u64_at(sc, tag, v);
}

/* The byte total of an iovec array (at most SCAP_MAX_IOV entries are summed). */
__noinline __u64 iov_total_at(__u64 iov_addr, __u64 cnt)
{
	const struct iovec *iov = (const struct iovec *)iov_addr;
	__u64 total = 0;
	for (int k = 0; k < SCAP_MAX_IOV; k++) {
		if (k >= cnt)
			break;
		struct iovec v;
		if (bpf_probe_read_user(&v, sizeof(v), &iov[k]) < 0)
			break;
		total += v.iov_len;
	}
	return total;
}

static __always_inline __u64 iov_total(const struct iovec *iov, __u64 cnt)
{
	return iov_total_at((__u64)iov, cnt);
}

static __always_inline struct file *fd_file(long fd)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	if (!fdt || fd < 0)
		return NULL;
	unsigned int max = BPF_CORE_READ(fdt, max_fds);
	if ((unsigned long)fd >= max)
		return NULL;
	struct file **fds = BPF_CORE_READ(fdt, fd);
	struct file *f = NULL;
	bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]);
	return f;
}

static __always_inline __u32 encode_dev(__u32 dev)
{
	__u32 major = dev >> 20, minor = dev & ((1U << 20) - 1);
	return (minor & 0xff) | (major << 8) | ((minor & ~0xffU) << 12);
}

__noinline int put_file_at(struct scratch *sc, __u32 tag, long fd)
{
	if (!sc)
		return 0;
	struct file *f = fd_file(fd);
	if (!f)
		return 0;
	long off = item_begin(sc);
	if (off < 0)
		return 0;
	off &= HALF_MASK;
	struct scap_file *out = (void *)&sc->data[off + sizeof(struct scap_item)];
	out->ino = BPF_CORE_READ(f, f_inode, i_ino);
	out->dev = encode_dev(BPF_CORE_READ(f, f_inode, i_sb, s_dev));
	out->flags = BPF_CORE_READ(f, f_flags);
	item_end(sc, off, sizeof(struct scap_file), tag);
	return 0;
}

static __always_inline void put_file(struct scratch *sc, __u32 tag, long fd)
{
	put_file_at(sc, tag, fd);
}

#define S_IFMT 00170000
#define S_IFSOCK 0140000
#define AF_UNIX 1
#define AF_INET 2
#define AF_INET6 10

__noinline int put_sock_at(struct scratch *sc, __u32 tag, long fd)
{
	if (!sc)
		return 0;
	struct file *f = fd_file(fd);
	if (!f)
		return 0;
	umode_t mode = BPF_CORE_READ(f, f_inode, i_mode);
	if ((mode & S_IFMT) != S_IFSOCK)
		return 0;
	struct socket *sock = BPF_CORE_READ(f, private_data);
	struct sock *sk = BPF_CORE_READ(sock, sk);
	if (!sk)
		return 0;
	long off = item_begin(sc);
	if (off < 0)
		return 0;
	off &= HALF_MASK;
	struct scap_sock *out = (void *)&sc->data[off + sizeof(struct scap_item)];
	__builtin_memset(out, 0, sizeof(*out));
	__u16 family = BPF_CORE_READ(sk, __sk_common.skc_family);
	out->family = family;
	out->type = BPF_CORE_READ(sock, type);
	out->proto = BPF_CORE_READ(sk, sk_protocol);
	out->sk = (__u64)sk;
	if (family == AF_INET) {
		bpf_probe_read_kernel(out->laddr, 4, __builtin_preserve_access_index(&sk->__sk_common.skc_rcv_saddr));
		bpf_probe_read_kernel(out->raddr, 4, __builtin_preserve_access_index(&sk->__sk_common.skc_daddr));
		out->lport = BPF_CORE_READ(sk, __sk_common.skc_num);
		out->rport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
	} else if (family == AF_INET6) {
		bpf_probe_read_kernel(out->laddr, 16, __builtin_preserve_access_index(&sk->__sk_common.skc_v6_rcv_saddr));
		bpf_probe_read_kernel(out->raddr, 16, __builtin_preserve_access_index(&sk->__sk_common.skc_v6_daddr));
		out->lport = BPF_CORE_READ(sk, __sk_common.skc_num);
		out->rport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
	} else if (family == AF_UNIX) {
		struct unix_sock *us = (void *)sk;
		struct sock *peer = BPF_CORE_READ(us, peer);
		out->peer = (__u64)peer;
		item_end(sc, off, sizeof(struct scap_sock), tag);
		/* The path: our own when bound, else the peer's. */
		struct unix_address *addr = BPF_CORE_READ(us, addr);
		if (!addr && peer)
			addr = BPF_CORE_READ((struct unix_sock *)peer, addr);
		if (!addr)
			return 0;
		int len = BPF_CORE_READ(addr, len);
		long poff = item_begin(sc);
		if (poff < 0)
			return 0;
		poff &= HALF_MASK;
		if (len < 2)
			len = 2;
		__u32 plen = (len - 2) & 127;
		bpf_probe_read_kernel(&sc->data[poff + sizeof(struct scap_item)], plen,
				      (void *)addr + bpf_core_field_offset(struct unix_address, name) + 2);
		item_end(sc, poff, plen, TAG(SCAP_ITEM_UNIX_PATH, TAG_ARG(tag)));
		return 0;
	}
	item_end(sc, off, sizeof(struct scap_sock), tag);
	return 0;
}

static __always_inline void put_sock(struct scratch *sc, __u32 tag, long fd)
{
	put_sock_at(sc, tag, fd);
}

__noinline int put_msghdr_at(struct scratch *sc, __u32 arg, __u64 umsg_addr, __u32 from_ret)
{
	const struct user_msghdr *umsg = (const struct user_msghdr *)umsg_addr;
	if (!sc)
		return 0;
	struct user_msghdr m;
	if (bpf_probe_read_user(&m, sizeof(m), umsg) < 0) {
		sc->cut++;
		return 0;
	}
	if (m.msg_name && m.msg_namelen > 0)
		put_user(sc, TAG(SCAP_ARG_SOCKADDR, arg), m.msg_name, m.msg_namelen > 128 ? 128 : m.msg_namelen);
	__s64 want = sc->ret;
	if (!from_ret) {
		want = 0;
		for (int i = 0; i < SCAP_MAX_IOV; i++) {
			if (i >= m.msg_iovlen)
				break;
			struct iovec v;
			if (bpf_probe_read_user(&v, sizeof(v), &m.msg_iov[i]) < 0)
				break;
			want += v.iov_len;
		}
	}
	if (want < 0)
		want = 0;
	put_iov(sc, TAG(SCAP_ITEM_IOV, arg), m.msg_iov, m.msg_iovlen, want);
	return 0;
}

static __always_inline void put_msghdr(struct scratch *sc, __u32 arg, const struct user_msghdr *umsg, __u32 from_ret)
{
	put_msghdr_at(sc, arg, (__u64)umsg, from_ret);
}

static __always_inline __u32 pid_nr_of(struct pid *p, bool virt)
{
	if (!p)
		return 0;
	unsigned int level = virt ? BPF_CORE_READ(p, level) : 0;
	struct upid up;
	__u64 at = (__u64)p + bpf_core_field_offset(struct pid, numbers) + (__u64)level * bpf_core_type_size(struct upid);
	if (bpf_probe_read_kernel(&up, sizeof(up), (void *)at) < 0)
		return 0;
	return up.nr;
}

static __noinline void put_kstr(struct scratch *sc, __u32 tag, const void *kptr)
{
	long off = item_begin(sc);
	if (off < 0)
		return;
	off &= HALF_MASK;
	long n = bpf_probe_read_kernel_str(&sc->data[off + sizeof(struct scap_item)], 256, kptr);
	if (n < 0)
		n = 0;
	item_end(sc, off, n, tag);
}

static __noinline void put_cgroup(struct scratch *sc, __u32 tag)
{
	struct task_struct *t = bpf_get_current_task_btf();
	struct kernfs_node *kn = BPF_CORE_READ(t, cgroups, dfl_cgrp, kn);
	long off = item_begin(sc);
	if (off < 0)
		return;
	off &= HALF_MASK;
	__u32 used = 0;
	for (int i = 0; i < 8; i++) {
		if (!kn)
			break;
		const char *kname = BPF_CORE_READ(kn, name);
		struct kernfs_node *parent = BPF_CORE_READ(kn, __parent);
		if (!parent)
			break;
		__u32 at = (off + sizeof(struct scap_item) + used) & FULL_MASK;
		long n = bpf_probe_read_kernel_str(&sc->data[at], 128, kname);
		if (n <= 0)
			break;
		used += n;
		kn = parent;
	}
	item_end(sc, off, used, tag);
}

/* The current working directory, as path components leaf first (NUL separated), walking
 * dentries up and across mounts: bpf_d_path is not allowed in tracepoint programs. */
static __noinline void put_cwd(struct scratch *sc, __u32 tag)
{
	struct task_struct *t = bpf_get_current_task_btf();
	struct fs_struct *fs = BPF_CORE_READ(t, fs);
	if (!fs)
		return;
	struct dentry *d = BPF_CORE_READ(fs, pwd.dentry);
	struct vfsmount *vm = BPF_CORE_READ(fs, pwd.mnt);
	struct mount *mnt = (void *)vm - bpf_core_field_offset(struct mount, mnt);
	long off = item_begin(sc);
	if (off < 0)
		return;
	off &= HALF_MASK;
	sc->aux = 0;
	for (int i = 0; i < 48; i++) {
		struct dentry *mnt_root = BPF_CORE_READ(vm, mnt_root);
		if (d == mnt_root) {
			struct mount *up = BPF_CORE_READ(mnt, mnt_parent);
			if (!up || up == mnt)
				break;
			d = BPF_CORE_READ(mnt, mnt_mountpoint);
			mnt = up;
			vm = (void *)up + bpf_core_field_offset(struct mount, mnt);
			continue;
		}
		struct dentry *parent = BPF_CORE_READ(d, d_parent);
		if (!parent || parent == d)
			break;
		const unsigned char *name = BPF_CORE_READ(d, d_name.name);
		__u32 used = sc->aux;
		if (used > 4096)
			break;
		__u32 at = (off + sizeof(struct scap_item) + used) & FULL_MASK;
		long n = bpf_probe_read_kernel_str(&sc->data[at], 256, name);
		if (n <= 0)
			break;
		sc->aux = used + n;
		d = parent;
	}
	item_end(sc, off, sc->aux, tag);
}

static __noinline void put_vm(struct scratch *sc, __u32 tag)
{
	struct task_struct *t = bpf_get_current_task_btf();
	struct mm_struct *mm = BPF_CORE_READ(t, mm);
	if (!mm)
		return;
	long off = item_begin(sc);
	if (off < 0)
		return;
	off &= HALF_MASK;
	struct scap_vm *vm = (void *)&sc->data[off + sizeof(struct scap_item)];
	mm_kb(mm, &vm->vm_size_kb, &vm->vm_rss_kb, &vm->vm_swap_kb);
	vm->pad = 0;
	item_end(sc, off, sizeof(struct scap_vm), tag);
}

#define SB_RDONLY 1   /* super_block.s_flags */
#define S_IMMUTABLE 8 /* inode.i_flags */
#define CAP_DAC_OVERRIDE 1
#define CAP_FOWNER 3

/* Whether a task with credentials `cred` (effective capabilities `caps`) may write the file
 * `ino`: libscap's EXE_WRITABLE flag of execve. Not on a read-only mount nor when immutable;
 * yes for its owner, by the group or other mode bits, or with CAP_DAC_OVERRIDE or CAP_FOWNER.
 * ACLs are not looked at, nor more than 16 supplementary groups. */
static __always_inline __u32 may_write(struct inode *ino, const struct cred *cred, __u64 caps)
{
	if (!ino)
		return 0;
	if ((BPF_CORE_READ(ino, i_sb, s_flags) & SB_RDONLY) || (BPF_CORE_READ(ino, i_flags) & S_IMMUTABLE))
		return 0;
	__u32 uid = BPF_CORE_READ(ino, i_uid.val), gid = BPF_CORE_READ(ino, i_gid.val);
	if (uid == (__u32)-1 || gid == (__u32)-1)
		return 0;
	if (BPF_CORE_READ(cred, fsuid.val) == uid)
		return 1;
	umode_t mode = BPF_CORE_READ(ino, i_mode);
	bool in_group = BPF_CORE_READ(cred, fsgid.val) == gid;
	struct group_info *gi = BPF_CORE_READ(cred, group_info);
	int ngroups = gi ? BPF_CORE_READ(gi, ngroups) : 0;
	for (int k = 0; k < 16 && !in_group; k++) {
		if (k >= ngroups)
			break;
		__u32 g = 0;
		bpf_probe_read_kernel(&g, sizeof(g), (void *)gi + bpf_core_field_offset(struct group_info, gid) + k * 4);
		in_group = g == gid;
	}
	if ((in_group ? mode >> 3 : mode) & 2)
		return 1;
	return (caps >> CAP_DAC_OVERRIDE) & 1 || (caps >> CAP_FOWNER) & 1;
}

static __noinline void put_proc(struct scratch *sc, __u32 arg)
{
	struct task_struct *t = bpf_get_current_task_btf();
	long off = item_begin(sc);
	if (off < 0)
		return;
	off &= HALF_MASK;
	struct scap_proc *p = (void *)&sc->data[off + sizeof(struct scap_item)];
	__builtin_memset(p, 0, sizeof(*p));
	p->tid = BPF_CORE_READ(t, pid);
	p->pid = BPF_CORE_READ(t, tgid);
	p->ptid = BPF_CORE_READ(t, real_parent, tgid);
	p->vtid = pid_nr_of(BPF_CORE_READ(t, thread_pid), true);
	struct signal_struct *sig = BPF_CORE_READ(t, signal);
	p->vpid = pid_nr_of(BPF_CORE_READ(sig, pids[PIDTYPE_TGID]), true);
	p->pgid = pid_nr_of(BPF_CORE_READ(sig, pids[PIDTYPE_PGID]), false);
	p->sid = pid_nr_of(BPF_CORE_READ(sig, pids[PIDTYPE_SID]), false);
	const struct cred *cred = BPF_CORE_READ(t, cred);
	p->uid = BPF_CORE_READ(cred, euid.val);
	p->gid = BPF_CORE_READ(cred, egid.val);
	bpf_probe_read_kernel(&p->cap_inheritable, 8, __builtin_preserve_access_index(&cred->cap_inheritable));
	bpf_probe_read_kernel(&p->cap_permitted, 8, __builtin_preserve_access_index(&cred->cap_permitted));
	bpf_probe_read_kernel(&p->cap_effective, 8, __builtin_preserve_access_index(&cred->cap_effective));
	if (bpf_core_field_exists(t->loginuid))
		p->loginuid = BPF_CORE_READ(t, loginuid.val);
	else
		p->loginuid = 0xffffffff;
	struct tty_struct *tty = BPF_CORE_READ(sig, tty);
	if (tty) {
		__u32 major = BPF_CORE_READ(tty, driver, major);
		__u32 minor = BPF_CORE_READ(tty, driver, minor_start) + BPF_CORE_READ(tty, index);
		p->tty = encode_dev((major << 20) | minor);
	}
	p->fdlimit = BPF_CORE_READ(sig, rlim[7].rlim_cur); /* RLIMIT_NOFILE */
	p->pgft_maj = BPF_CORE_READ(t, maj_flt);
	p->pgft_min = BPF_CORE_READ(t, min_flt);
	p->start_ts = BPF_CORE_READ(t, start_time);
	bpf_get_current_comm(p->comm, sizeof(p->comm));
	struct mm_struct *mm = BPF_CORE_READ(t, mm);
	unsigned long arg_start = 0, arg_end = 0, env_start = 0, env_end = 0;
	const unsigned char *exe = NULL;
	if (mm) {
		mm_kb(mm, &p->vm_size_kb, &p->vm_rss_kb, &p->vm_swap_kb);
		p->exe_ino = BPF_CORE_READ(mm, exe_file, f_inode, i_ino);
		p->exe_writable = may_write(BPF_CORE_READ(mm, exe_file, f_inode), cred, p->cap_effective);
		arg_start = BPF_CORE_READ(mm, arg_start);
		arg_end = BPF_CORE_READ(mm, arg_end);
		env_start = BPF_CORE_READ(mm, env_start);
		env_end = BPF_CORE_READ(mm, env_end);
		exe = BPF_CORE_READ(mm, exe_file, f_path.dentry, d_name.name);
	}
	item_end(sc, off, sizeof(struct scap_proc), TAG(SCAP_ARG_PROC, arg));
	if (arg_end > arg_start) {
		__u64 n = arg_end - arg_start;
		put_user(sc, TAG(SCAP_ITEM_ARGS, arg), (void *)arg_start, n > SCAP_PROC_AREA ? SCAP_PROC_AREA : n);
	}
	if (env_end > env_start) {
		__u64 n = env_end - env_start;
		put_user(sc, TAG(SCAP_ITEM_ENV, arg), (void *)env_start, n > SCAP_PROC_AREA ? SCAP_PROC_AREA : n);
	}
	if (exe)
		put_kstr(sc, TAG(SCAP_ITEM_EXE, arg), exe);
	put_cgroup(sc, TAG(SCAP_ITEM_CGROUP, arg));
	put_cwd(sc, TAG(SCAP_ITEM_CWD, arg));
}

/* Global (not static): the verifier checks it once, on its own, instead of once per call site
 * and path, which keeps the syscall programs far below the verifier's instruction budget. */
__noinline int put_arg(struct scratch *sc, __u32 kind, __u32 i, __u64 a, __u64 next)
{
	if (!sc)
		return 0;
	__s64 ret = sc->ret;
	__u32 tag = TAG(kind, i);
	switch (kind) {
	case SCAP_ARG_STR:
		put_str(sc, tag, (void *)a);
		break;
	case SCAP_ARG_BUF_RET:
		if (ret > 0)
			put_user(sc, tag, (void *)a, clamp_snap(ret));
		break;
	case SCAP_ARG_BUF_LEN:
		put_user(sc, tag, (void *)a, clamp_snap(next));
		break;
	case SCAP_ARG_BUF_LENPTR: {
		__u32 len = 0;
		if (next)
			bpf_probe_read_user(&len, sizeof(len), (void *)next);
		put_user(sc, tag, (void *)a, clamp_snap(len));
		break;
	}
	case SCAP_ARG_IOV_RET:
		if (ret > 0)
			put_iov(sc, tag, (void *)a, next, ret);
		break;
	case SCAP_ARG_IOV_LEN: {
		__u64 total = 0;
		const struct iovec *iov = (void *)a;
		for (int k = 0; k < SCAP_MAX_IOV; k++) {
			if (k >= next)
				break;
			struct iovec v;
			if (bpf_probe_read_user(&v, sizeof(v), &iov[k]) < 0)
				break;
			total += v.iov_len;
		}
		put_iov(sc, tag, iov, next, total);
		break;
	}
	case SCAP_ARG_SOCKADDR:
		if (a && next)
			put_user(sc, tag, (void *)a, next > 128 ? 128 : next);
		break;
	case SCAP_ARG_SOCKADDR_LENPTR: {
		__u32 len = 0;
		if (a && next && bpf_probe_read_user(&len, sizeof(len), (void *)next) == 0 && len)
			put_user(sc, TAG(SCAP_ARG_SOCKADDR, i), (void *)a, len > 128 ? 128 : len);
		break;
	}
	case SCAP_ARG_FD_SOCK:
		put_sock(sc, tag, (long)a);
		break;
	case SCAP_ARG_RET_SOCK:
		if (ret >= 0)
			put_sock(sc, tag, ret);
		break;
	case SCAP_ARG_MSGHDR_RET:
		put_msghdr(sc, i, (void *)a, 1);
		break;
	case SCAP_ARG_MSGHDR_LEN:
		put_msghdr(sc, i, (void *)a, 0);
		break;
	case SCAP_ARG_INT2:
		put_user(sc, tag, (void *)a, 8);
		break;
	case SCAP_ARG_INT2_FILE: {
		int fds[2] = {-1, -1};
		put_user(sc, TAG(SCAP_ARG_INT2, i), (void *)a, 8);
		if (ret == 0 && bpf_probe_read_user(fds, sizeof(fds), (void *)a) == 0)
			put_file(sc, TAG(SCAP_ARG_FD_FILE, i), fds[0]);
		break;
	}
	case SCAP_ARG_INT2_SOCK: {
		int fds[2] = {-1, -1};
		put_user(sc, TAG(SCAP_ARG_INT2, i), (void *)a, 8);
		if (ret == 0 && bpf_probe_read_user(fds, sizeof(fds), (void *)a) == 0) {
			put_sock(sc, TAG(SCAP_ARG_FD_SOCK, i), fds[0]);
			put_sock(sc, TAG(SCAP_ARG_FD_SOCK, i), fds[1]);
		}
		break;
	}
	/* A NULL pointer (an optional argument left out) gives no item, and is no read failure. */
	case SCAP_ARG_MEM4:
		if (a)
			put_user(sc, tag, (void *)a, 4);
		break;
	case SCAP_ARG_MEM8:
		if (a)
			put_user(sc, tag, (void *)a, 8);
		break;
	case SCAP_ARG_MEM16:
		if (a)
			put_user(sc, tag, (void *)a, 16);
		break;
	case SCAP_ARG_MEM24:
		if (a)
			put_user(sc, tag, (void *)a, 24);
		break;
	case SCAP_ARG_PEEK8: {
		/* PTRACE_PEEKTEXT, PEEKDATA, PEEKUSR (1..3) store the word read at args[i]; other
		 * requests pass a plain value there, which is not read. */
		__u64 req = ((struct scap_sys *)sc->data)->args[0];
		if (ret >= 0 && req >= 1 && req <= 3)
			put_user(sc, tag, (void *)a, 8);
		break;
	}
	case SCAP_ARG_POLLFDS:
		put_user(sc, tag, (void *)a, (next > SCAP_MAX_POLLFDS ? SCAP_MAX_POLLFDS : next) * 8);
		break;
	case SCAP_ARG_RET_FILE:
		if (ret >= 0)
			put_file(sc, tag, ret);
		break;
	case SCAP_ARG_FD_FILE:
		put_file(sc, tag, (long)a);
		break;
	case SCAP_ARG_PROC:
		put_proc(sc, i);
		break;
	case SCAP_ARG_VM:
		put_vm(sc, tag);
		break;
	case SCAP_ARG_IOV_TOTAL:
		put_u64(sc, tag, iov_total((void *)a, next));
		break;
	case SCAP_ARG_MSGHDR_TOTAL: {
		/* sendmsg's enter: the byte total, and the address given, which the tuple names as
		 * its destination (an unconnected socket has no peer of its own). */
		struct user_msghdr m;
		if (bpf_probe_read_user(&m, sizeof(m), (void *)a) < 0)
			break;
		if (m.msg_name && m.msg_namelen > 0)
			put_user(sc, TAG(SCAP_ARG_SOCKADDR, i), m.msg_name, m.msg_namelen > 128 ? 128 : m.msg_namelen);
		put_u64(sc, tag, iov_total(m.msg_iov, m.msg_iovlen));
		break;
	}
	case SCAP_ARG_FD_BACKLOG: {
		struct file *f = fd_file((long)a);
		if (!f)
			break;
		struct socket *sock = BPF_CORE_READ(f, private_data);
		struct sock *sk = BPF_CORE_READ(sock, sk);
		if (!sk)
			break;
		__u64 v = BPF_CORE_READ(sk, sk_ack_backlog) | ((__u64)BPF_CORE_READ(sk, sk_max_ack_backlog) << 32);
		put_u64(sc, tag, v);
		break;
	}
	}
	return 0;
}

/* Writes a short record: the syscall routes to a generic event, which needs only its number
 * (and the return value at exit), so neither arguments nor items are read. This is the cheapest
 * path and the most common one for busy processes. */
static __always_inline int emit_short(__u16 kind, __u32 nr, __s64 ret, __u64 pid_tgid)
{
	void *rb = cpu_ring();
	if (!rb) {
		count_drop(false);
		return 0;
	}
	struct scap_sys_head *s = reserve_rec(rb, sizeof(*s), kind, pid_tgid, false);
	if (!s)
		return 0;
	s->nr = nr;
	s->n_items = 0;
	s->ret = ret;
	bpf_ringbuf_submit(s, wake_flags(rb, sizeof(*s) + 8));
	return 0;
}

/* Writes one syscall record: fixed part only when the spec asks for no items, else assembled
 * in the CPU's scratch with its items. */
static __always_inline int emit_sys(__u16 kind, __u32 nr, __s64 ret, __u64 *args, const __u8 *kinds, __u8 flags,
				    __u64 pid_tgid)
{
	bool lifecycle = flags & SCAP_SPEC_LIFECYCLE;
	void *rb = lifecycle ? (void *)&life_ring : cpu_ring();
	if (!rb) {
		count_drop(lifecycle);
		return 0;
	}
	__u64 any = 0;
	for (int i = 0; i < SCAP_SPEC_ARGS; i++)
		any |= kinds[i];
	if (!any) {
		struct scap_sys *s = reserve_rec(rb, sizeof(*s), kind, pid_tgid, lifecycle);
		if (!s)
			return 0;
		s->nr = nr;
		s->n_items = 0;
		s->ret = ret;
		for (int i = 0; i < 6; i++)
			s->args[i] = args[i];
		bpf_ringbuf_submit(s, lifecycle ? 0 : wake_flags(rb, sizeof(*s) + 8));
		return 0;
	}
	__u32 cpu = bpf_get_smp_processor_id();
	struct scratch *sc = bpf_map_lookup_elem(&scratch, &cpu);
	if (!sc)
		return 0;
	struct scap_sys *s = (void *)sc->data;
	fill_hdr(&s->h, kind, 0, pid_tgid);
	s->nr = nr;
	s->ret = ret;
	for (int i = 0; i < 6; i++)
		s->args[i] = args[i];
	sc->off = sizeof(struct scap_sys);
	sc->n = 0;
	sc->cut = 0;
	sc->ret = ret;
	for (int i = 0; i < SCAP_SPEC_ARGS; i++) {
		__u8 k = kinds[i];
		if (k)
			put_arg(sc, k, i, args[i], i < 5 ? args[i + 1] : 0);
	}
	__u32 size = sc->off;
	if (size > SCAP_SCRATCH_SIZE)
		size = SCAP_SCRATCH_SIZE;
	s = (void *)sc->data;
	s->h.len = size;
	s->n_items = sc->n;
	if (sc->cut) {
		/* Items that could not be read or did not fit: the event goes out without them. */
		struct scap_counters *c = counters();
		if (c)
			c->drops_other += sc->cut;
	}
	if (bpf_ringbuf_output(rb, sc->data, size, lifecycle ? 0 : wake_flags(rb, size + 8)) < 0) {
		count_drop(lifecycle);
		return 0;
	}
	return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(scap_sys_enter, struct pt_regs *regs, long id)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	if (!wanted(pid_tgid >> 32))
		return 0;
	__u32 nr = id;
	if (nr >= 512)
		return 0;
	struct scap_spec *spec = bpf_map_lookup_elem(&specs, &nr);
	if (!spec || !(spec->flags & SCAP_SPEC_ON))
		return 0;
	if (spec->flags & SCAP_SPEC_SHORT_ENTER)
		return emit_short(SCAP_REC_SYS_ENTER, nr, 0, pid_tgid);
	__u64 args[6] = {regs->di, regs->si, regs->dx, regs->r10, regs->r8, regs->r9};
	/* Enter records always go to the CPU ring: only exits of lifecycle syscalls are protected. */
	return emit_sys(SCAP_REC_SYS_ENTER, nr, 0, args, spec->enter, spec->flags & ~SCAP_SPEC_LIFECYCLE, pid_tgid);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(scap_sys_exit, struct pt_regs *regs, long ret)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	if (!wanted(pid_tgid >> 32))
		return 0;
	__u32 nr = regs->orig_ax;
	if (nr >= 512)
		return 0;
	struct scap_spec *spec = bpf_map_lookup_elem(&specs, &nr);
	if (!spec || !(spec->flags & SCAP_SPEC_ON))
		return 0;
	if (spec->flags & SCAP_SPEC_SHORT_EXIT)
		return emit_short(SCAP_REC_SYS_EXIT, nr, ret, pid_tgid);
	/* pt_regs still holds the user's arguments at exit (x86_64 keeps them saved). */
	__u64 args[6] = {regs->di, regs->si, regs->dx, regs->r10, regs->r8, regs->r9};
	return emit_sys(SCAP_REC_SYS_EXIT, nr, ret, args, spec->exit, spec->flags, pid_tgid);
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(scap_proc_fork, struct task_struct *parent, struct task_struct *child)
{
	if (!(filter_mode & SCAP_FILTER_PIDS))
		return 0;
	__u32 ptgid = parent->tgid;
	__u32 ctgid = child->tgid;
	if (ctgid != ptgid && pid_tracked(ptgid))
		pid_track(ctgid);
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(scap_proc_exit, struct task_struct *p)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tgid = pid_tgid >> 32;
	if (!wanted(tgid))
		return 0;
	bool group_dead = BPF_CORE_READ(p, signal, live.counter) == 0;
	struct scap_proc_exit *r = reserve_rec(&life_ring, sizeof(*r), SCAP_REC_PROC_EXIT, pid_tgid, true);
	if (r) {
		r->exit_code = BPF_CORE_READ(p, exit_code);
		r->group_dead = group_dead;
		r->ptid = BPF_CORE_READ(p, real_parent, tgid);
		r->reaper = 0;
		bpf_ringbuf_submit(r, 0);
	}
	if (group_dead && (filter_mode & SCAP_FILTER_PIDS))
		pid_untrack(tgid);
	return 0;
}

SEC("tp_btf/sched_switch")
int BPF_PROG(scap_sched_switch, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	if (!(pid_tgid >> 32) || !wanted(pid_tgid >> 32))
		return 0;
	void *rb = cpu_ring();
	if (!rb)
		return 0;
	struct scap_switch *r = reserve_rec(rb, sizeof(*r), SCAP_REC_SCHED_SWITCH, pid_tgid, false);
	if (!r)
		return 0;
	r->next_tid = next->pid;
	r->pad = 0;
	r->pgft_maj = prev->maj_flt;
	r->pgft_min = prev->min_flt;
	struct mm_struct *mm = prev->mm;
	r->vm_size_kb = 0;
	r->vm_rss_kb = 0;
	r->vm_swap_kb = 0;
	if (mm)
		mm_kb(mm, &r->vm_size_kb, &r->vm_rss_kb, &r->vm_swap_kb);
	r->pad2 = 0;
	bpf_ringbuf_submit(r, wake_flags(rb, sizeof(*r) + 8));
	return 0;
}

SEC("tp_btf/page_fault_user")
int BPF_PROG(scap_page_fault, unsigned long address, struct pt_regs *regs, unsigned long error_code)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	if (!wanted(pid_tgid >> 32))
		return 0;
	void *rb = cpu_ring();
	if (!rb)
		return 0;
	struct scap_fault *r = reserve_rec(rb, sizeof(*r), SCAP_REC_PAGE_FAULT, pid_tgid, false);
	if (!r)
		return 0;
	r->addr = address;
	r->ip = regs->ip;
	r->error = error_code;
	bpf_ringbuf_submit(r, wake_flags(rb, sizeof(*r) + 8));
	return 0;
}

SEC("tp_btf/signal_deliver")
int BPF_PROG(scap_signal_deliver, int sig, struct kernel_siginfo *info)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	if (!wanted(pid_tgid >> 32))
		return 0;
	void *rb = cpu_ring();
	if (!rb)
		return 0;
	struct scap_signal *r = reserve_rec(rb, sizeof(*r), SCAP_REC_SIGNAL, pid_tgid, false);
	if (!r)
		return 0;
	r->spid = info ? BPF_CORE_READ(info, _sifields._kill._pid) : 0;
	r->dpid = (__u32)pid_tgid;
	r->sig = sig;
	r->pad = 0;
	bpf_ringbuf_submit(r, wake_flags(rb, sizeof(*r) + 8));
	return 0;
}

/* Whether a task (not the current one) is in the capture scope: wanted() for another task. */
static __always_inline bool task_in_cgroup(struct task_struct *t)
{
	struct cgroup *cg = BPF_CORE_READ(t, cgroups, dfl_cgrp);
	if (!cg)
		return false;
	int depth = BPF_CORE_READ(cg, level);
	for (int k = 0; k < 16; k++) {
		int lvl = cgroup_level + k;
		if (lvl > depth)
			return false;
		struct cgroup *anc = NULL;
		bpf_probe_read_kernel(&anc, sizeof(anc),
				      (void *)cg + bpf_core_field_offset(struct cgroup, ancestors) + (__u64)(lvl & 0xff) * sizeof(anc));
		if (!anc)
			return false;
		if (BPF_CORE_READ(anc, kn, id) == cgroup_id)
			return true;
	}
	return false;
}

/* One procinfo record per thread in scope: the drain thread runs this iterator once a second
 * (at each second of the wall clock), so nothing runs on any hot path for it. utime and stime
 * are nanoseconds in the kernel; libsinsp expects USER_HZ ticks. */
SEC("iter/task")
int scap_procinfo(struct bpf_iter__task *ctx)
{
	struct task_struct *t = ctx->task;
	if (!t)
		return 0;
	__u32 tgid = t->tgid;
	if (tgid == self_tgid)
		return 0;
	if ((filter_mode & SCAP_FILTER_PIDS) && !pid_tracked(tgid))
		return 0;
	if ((filter_mode & SCAP_FILTER_CGROUP) && !task_in_cgroup(t))
		return 0;
	void *rb = cpu_ring();
	if (!rb)
		return 0;
	struct scap_procinfo *r = reserve_rec(rb, sizeof(*r), SCAP_REC_PROCINFO, ((__u64)tgid << 32) | (__u32)t->pid, false);
	if (!r)
		return 0;
	r->utime_ticks = t->utime / (1000000000ULL / SCAP_USER_HZ);
	r->stime_ticks = t->stime / (1000000000ULL / SCAP_USER_HZ);
	bpf_ringbuf_submit(r, wake_flags(rb, sizeof(*r) + 8));
	return 0;
}
