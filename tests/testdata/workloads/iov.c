/* iov.c: a live-capture workload (tests/it/live_iov.rs) for vectored I/O: writev and readv on a
 * pipe, pwritev and preadv on a file, a writev longer than the snaplen, and sendmsg, recvmsg,
 * sendmmsg and recvmmsg between two UDP sockets on loopback. Prints "SENDER_PORT RECEIVER_PORT".
 * Built by the test with `cc -O1 -o iov iov.c`; the file goes in the directory it runs in. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

static long check(const char *what, long r)
{
	if (r < 0) {
		perror(what);
		exit(2);
	}
	return r;
}

static struct iovec io(const char *s)
{
	struct iovec v = { (void *)s, strlen(s) };
	return v;
}

static int udp_on_loopback(struct sockaddr_in *addr)
{
	socklen_t len = sizeof(*addr);
	int s = check("socket", socket(AF_INET, SOCK_DGRAM, 0));
	memset(addr, 0, sizeof(*addr));
	addr->sin_family = AF_INET;
	addr->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	check("bind", bind(s, (struct sockaddr *)addr, sizeof(*addr)));
	check("getsockname", getsockname(s, (struct sockaddr *)addr, &len));
	return s;
}

int main(void)
{
	/* A pipe: three pieces out, two buffers in (12 bytes of room for the 9 written). */
	int p[2];
	check("pipe", pipe(p));
	struct iovec w[3] = { io("abc"), io("defg"), io("hi") };
	check("writev", writev(p[1], w, 3));
	char a[4], b[8];
	struct iovec r[2] = { { a, sizeof(a) }, { b, sizeof(b) } };
	check("readv", readv(p[0], r, 2));

	/* A file at offset 100. */
	int f = check("open", open("vec.dat", O_RDWR | O_CREAT | O_TRUNC, 0600));
	struct iovec pw[2] = { io("0123456789"), io("ABCDEFGHIJ") };
	check("pwritev", pwritev(f, pw, 2, 100));
	char c[8], d[12];
	struct iovec pr[2] = { { c, sizeof(c) }, { d, sizeof(d) } };
	check("preadv", preadv(f, pr, 2, 100));

	/* 120 bytes in three pieces: the data is cut at the snaplen, the size is not. */
	char x[40], y[40], z[40];
	memset(x, 'x', sizeof(x));
	memset(y, 'y', sizeof(y));
	memset(z, 'z', sizeof(z));
	struct iovec big[3] = { { x, sizeof(x) }, { y, sizeof(y) }, { z, sizeof(z) } };
	check("writev", writev(f, big, 3));

	/* UDP: one message in two pieces, then two messages at once. */
	struct sockaddr_in to, from, peer;
	int rx = udp_on_loopback(&to);
	int tx = udp_on_loopback(&from);
	struct iovec m[2] = { io("hello "), io("world") };
	struct msghdr msg = { .msg_name = &to, .msg_namelen = sizeof(to), .msg_iov = m, .msg_iovlen = 2 };
	check("sendmsg", sendmsg(tx, &msg, 0));
	char in[64];
	struct iovec iv = { in, sizeof(in) };
	struct msghdr back = { .msg_name = &peer, .msg_namelen = sizeof(peer), .msg_iov = &iv, .msg_iovlen = 1 };
	check("recvmsg", recvmsg(rx, &back, 0));

	struct iovec one = io("one"), two = io("two!");
	struct mmsghdr out[2] = {
		{ .msg_hdr = { .msg_name = &to, .msg_namelen = sizeof(to), .msg_iov = &one, .msg_iovlen = 1 } },
		{ .msg_hdr = { .msg_name = &to, .msg_namelen = sizeof(to), .msg_iov = &two, .msg_iovlen = 1 } },
	};
	check("sendmmsg", sendmmsg(tx, out, 2, 0));
	char in1[16], in2[16];
	struct iovec v1 = { in1, sizeof(in1) }, v2 = { in2, sizeof(in2) };
	struct mmsghdr got[2] = { { .msg_hdr = { .msg_iov = &v1, .msg_iovlen = 1 } },
				  { .msg_hdr = { .msg_iov = &v2, .msg_iovlen = 1 } } };
	check("recvmmsg", recvmmsg(rx, got, 2, 0, NULL));

	printf("%d %d\n", ntohs(from.sin_port), ntohs(to.sin_port));
	return 0;
}
