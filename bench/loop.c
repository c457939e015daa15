/* loop.c: the syscall workload of bench/capture.sh. `loop N` calls getppid N times and prints
 * two figures, measured around the loop only: the mean wall-clock nanoseconds per call, and the
 * mean CPU nanoseconds per call of this thread (user and kernel, the probe's work included).
 * On a loaded machine the CPU figure is the steadier one: it leaves out time spent waiting for
 * a CPU while other processes run. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static double ns_between(struct timespec a, struct timespec b)
{
	return (b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec);
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1000000;
	struct timespec a, b, ca, cb;
	clock_gettime(CLOCK_MONOTONIC, &a);
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ca);
	for (long i = 0; i < n; i++)
		syscall(SYS_getppid);
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cb);
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%.1f %.1f\n", ns_between(a, b) / n, ns_between(ca, cb) / n);
	return 0;
}
