/*
 * Reads the event table facts out of the installed libscap (Debian's
 * libfalcosecurity0, the library sysdig 0.29.3 runs on) and prints them as
 * Rust source in our own schema format. Nothing of libscap's code is copied:
 * this program only walks the data the shared library exports at run time.
 *
 * Build and run through xtask/schema-gen/gen.sh, which writes
 * common/src/schema/generated.rs.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAME_LEN 32
#define MAX_PARAMS 32
#define N_EVENTS 336
#define N_SC 329
#define SYSCALL_TABLE_SIZE 512

struct name_value {
	const char *name;
	uint32_t value;
};

struct param_info {
	char name[NAME_LEN];
	uint32_t type;
	uint32_t fmt;
	const void *info;
	uint8_t ninfo;
} __attribute__((packed));

struct event_info {
	char name[NAME_LEN];
	uint32_t category;
	uint32_t flags;
	uint32_t nparams;
	struct param_info params[MAX_PARAMS];
} __attribute__((packed));

struct syscall_desc {
	uint32_t category;
	uint32_t flags;
	char *name;
};

struct syscall_pair {
	int flags;
	uint32_t enter;
	uint32_t exit;
} __attribute__((packed));

/* Parameter types whose info pointer names a flag table. */
static int is_flag_type(uint32_t t)
{
	/* FLAGS8/16/32, MODE, and enum-like UINT/INT params carry name tables. */
	return t == 28 || t == 29 || t == 30 || t == 42;
}

static const void *seen_tables[512];
static char *seen_names[512];
static int n_seen;

static const char *table_name(const void *p, const char *fallback)
{
	for (int i = 0; i < n_seen; i++)
		if (seen_tables[i] == p)
			return seen_names[i];
	Dl_info di;
	char buf[128];
	if (dladdr(p, &di) && di.dli_sname && di.dli_saddr == p)
		snprintf(buf, sizeof buf, "%s", di.dli_sname);
	else
		snprintf(buf, sizeof buf, "%s", fallback);
	for (char *c = buf; *c; c++)
		if (*c >= 'a' && *c <= 'z')
			*c -= 32;
	seen_tables[n_seen] = p;
	seen_names[n_seen] = strdup(buf);
	return seen_names[n_seen++];
}

static const char *ptype_name(uint32_t t)
{
	static const char *names[] = {
		"None", "Int8", "Int16", "Int32", "Int64", "Uint8", "Uint16", "Uint32",
		"Uint64", "Charbuf", "Bytebuf", "Errno", "Sockaddr", "Socktuple", "Fd", "Pid",
		"Fdlist", "Fspath", "SyscallId", "Sigtype", "Reltime", "Abstime", "Port",
		"L4Proto", "SockFamily", "Bool", "Ipv4Addr", "Dyn", "Flags8", "Flags16",
		"Flags32", "Uid", "Gid", "Double", "Sigset", "CharbufArray",
		"CharbufPairArray", "Ipv4Net", "Ipv6Addr", "Ipv6Net", "IpAddr", "IpNet",
		"Mode", "Fsrelpath",
	};
	if (t < sizeof names / sizeof names[0])
		return names[t];
	fprintf(stderr, "unknown param type %u\n", t);
	exit(1);
}

static const char *fmt_name(uint32_t f)
{
	static const char *names[] = {"Na", "Dec", "Hex", "PaddedDec", "Id", "Dir", "Oct"};
	if (f < 7)
		return names[f];
	fprintf(stderr, "unknown print format %u\n", f);
	exit(1);
}

static void print_escaped(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			putchar('\\');
		putchar(*s);
	}
	putchar('"');
}

static void print_flag_table(const char *name, const struct name_value *nv)
{
	printf("/// Names of the values of the `%s` table.\npub static %s: &[(&str, u32)] = &[\n", name, name);
	for (; nv->name; nv++) {
		printf("    (");
		print_escaped(nv->name);
		printf(", 0x%x),\n", nv->value);
	}
	printf("];\n\n");
}

static void print_params(const struct param_info *p, uint32_t n, const char *owner);

static void print_param(const struct param_info *p, const char *owner)
{
	printf("P { name: ");
	print_escaped(p->name);
	printf(", ty: ParamType::%s, fmt: PrintFormat::%s, extra: ", ptype_name(p->type), fmt_name(p->fmt));
	if (p->info && is_flag_type(p->type)) {
		char fb[96];
		snprintf(fb, sizeof fb, "%s_%s", owner, p->name);
		printf("Extra::Flags(%s)", table_name(p->info, fb));
	} else if (p->type == 43) {
		printf("Extra::DirFd(%lu)", (unsigned long)(uintptr_t)p->info);
	} else if (p->type == 27 && p->info) {
		char fb[96];
		snprintf(fb, sizeof fb, "DYN_%s_%s", owner, p->name);
		printf("Extra::Dynamic(%s)", table_name(p->info, fb));
	} else if (p->info) {
		char fb[96];
		snprintf(fb, sizeof fb, "%s_%s", owner, p->name);
		printf("Extra::Flags(%s)", table_name(p->info, fb));
	} else {
		printf("Extra::None");
	}
	printf(" }");
}

static void print_params(const struct param_info *p, uint32_t n, const char *owner)
{
	printf("&[");
	for (uint32_t i = 0; i < n; i++) {
		if (i)
			printf(", ");
		print_param(&p[i], owner);
	}
	printf("]");
}

/* First pass: emit every table referenced by a parameter, dynamic ones last. */
static int emitted(const void *p, const void **done, int n)
{
	for (int i = 0; i < n; i++)
		if (done[i] == p)
			return 1;
	return 0;
}

int main(void)
{
	void *h = dlopen("libscap.so.0.1.1dev+git20220316.e5c53d64", RTLD_NOW);
	if (!h) {
		fprintf(stderr, "%s\n", dlerror());
		return 1;
	}
	const struct event_info *ev = dlsym(h, "g_event_info");
	const struct syscall_desc *sc = dlsym(h, "g_syscall_info_table");
	const struct syscall_pair *st = dlsym(h, "g_syscall_table");
	const uint32_t *routing = dlsym(h, "g_syscall_code_routing_table");
	if (!ev || !sc || !st || !routing) {
		fprintf(stderr, "missing symbols\n");
		return 1;
	}

	printf("// @generated by xtask/schema-gen/gen.sh from the installed libscap's exported tables.\n");
	printf("// Do not edit by hand; rerun the generator.\n\n");
	printf("#![allow(missing_docs)]\n\nuse super::{EventInfo, Extra, ParamInfo as P, ParamType, PrintFormat};\n\n");

	const void *done[512];
	int n_done = 0;
	for (int e = 0; e < N_EVENTS; e++) {
		char owner[64];
		snprintf(owner, sizeof owner, "%s_%d", ev[e].name, e);
		for (uint32_t i = 0; i < ev[e].nparams; i++) {
			const struct param_info *p = &ev[e].params[i];
			if (!p->info || p->type == 43)
				continue;
			if (emitted(p->info, done, n_done))
				continue;
			char fb[96];
			if (p->type == 27) {
				snprintf(fb, sizeof fb, "DYN_%s_%s", owner, p->name);
				const char *nm = table_name(p->info, fb);
				/* Flag tables the dynamic params refer to come first. */
				const struct param_info *dp = p->info;
				for (int k = 0; k < p->ninfo; k++) {
					if (dp[k].info && !emitted(dp[k].info, done, n_done) && is_flag_type(dp[k].type)) {
						char fb2[96];
						snprintf(fb2, sizeof fb2, "%s_%d", nm, k);
						print_flag_table(table_name(dp[k].info, fb2), dp[k].info);
						done[n_done++] = dp[k].info;
					}
				}
				printf("/// Parameter layouts selected by the `%s` dynamic parameter's index.\npub static %s: &[P] = ", nm, nm);
				print_params(dp, p->ninfo, nm);
				printf(";\n\n");
			} else {
				snprintf(fb, sizeof fb, "%s_%s", owner, p->name);
				for (char *c = fb; *c; c++)
					if (*c == '-' || *c == '.')
						*c = '_';
				print_flag_table(table_name(p->info, fb), p->info);
			}
			done[n_done++] = p->info;
		}
	}

	printf("/// The event table of libscap as sysdig 0.29.3 knows it, indexed by event type.\n");
	printf("pub static EVENTS: [EventInfo; %d] = [\n", N_EVENTS);
	for (int e = 0; e < N_EVENTS; e++) {
		char owner[64];
		snprintf(owner, sizeof owner, "%s_%d", ev[e].name, e);
		printf("    EventInfo { name: ");
		print_escaped(ev[e].name);
		printf(", category: 0x%x, flags: 0x%x, params: ", ev[e].category, ev[e].flags);
		print_params(ev[e].params, ev[e].nparams, owner);
		printf(" },\n");
	}
	printf("];\n\n");

	printf("/// Syscall names and categories by PPM syscall code (the SYSCALLID parameter of generic events).\n");
	printf("pub static SYSCALLS: [(&str, u32); %d] = [\n", N_SC);
	for (int i = 0; i < N_SC; i++) {
		printf("    (");
		print_escaped(sc[i].name ? sc[i].name : "");
		printf(", 0x%x),\n", sc[i].category);
	}
	printf("];\n\n");

	printf("/// x86_64 syscall number to (flags, enter event, exit event, PPM syscall code).\n");
	printf("pub static X86_64_SYSCALLS: [(u32, u16, u16, u16); %d] = [\n", SYSCALL_TABLE_SIZE);
	for (int i = 0; i < SYSCALL_TABLE_SIZE; i++)
		printf("    (0x%x, %u, %u, %u),\n", st[i].flags, st[i].enter, st[i].exit, routing[i]);
	printf("];\n");
	return 0;
}
