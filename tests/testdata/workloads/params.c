/* params.c: a live-capture workload (tests/it/live_params.rs) making the syscalls whose
 * parameters the driver decodes beyond the registers: socket options, signalfd masks, ppoll's
 * timeout and sigmask, semaphores, file offsets, execveat flags, ptrace requests. Prints "CHILD ADDR WORD" for the ptrace checks.
 * Built by the test with `cc -O1 -o params params.c`. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/ptrace.h>
#include <sys/sendfile.h>
#include <sys/sem.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile uint64_t peek_me = 0x1122334455667788ULL;

static long check(const char *what, long r)
{
	if (r < 0) {
		perror(what);
		exit(2);
	}
	return r;
}

int main(void)
{
	int one = 1, v = -1;
	socklen_t len = sizeof(v);
	int s = check("socket", socket(AF_INET, SOCK_STREAM, 0));
	check("SO_REUSEADDR", setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)));
	struct timeval tv = {2, 500000};
	check("SO_RCVTIMEO", setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	check("TCP_NODELAY", setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)));
	struct linger lg = {1, 7};
	check("SO_LINGER", setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)));
	check("SO_TYPE", getsockopt(s, SOL_SOCKET, SO_TYPE, &v, &len));
	len = sizeof(v);
	check("SO_ERROR", getsockopt(s, SOL_SOCKET, SO_ERROR, &v, &len));
	struct timeval got = {0, 0};
	len = sizeof(got);
	check("SO_RCVTIMEO", getsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &got, &len));
	if (setsockopt(s, SOL_SOCKET, 9999, &one, sizeof(one)) == 0)
		return 2;
	close(s);

	/* signalfd with SIGUSR1 and SIGUSR2: through signalfd4 (glibc), then signalfd itself. */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	close(check("signalfd", signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK)));
	close(check("SYS_signalfd", syscall(SYS_signalfd, -1, &set, 8)));

	/* eventfd2 with flags (glibc), then eventfd, which has none. */
	close(check("eventfd2", eventfd(3, EFD_CLOEXEC | EFD_NONBLOCK)));
	close(check("SYS_eventfd", syscall(SYS_eventfd, 4)));

	/* ppoll on a pipe with data: a 1.5 ms timeout with SIGUSR1 blocked, then neither. */
	int fds[2];
	check("pipe", pipe(fds));
	check("write", write(fds[1], "x", 1));
	struct pollfd pfd = {fds[0], POLLIN, 0};
	struct timespec ts = {0, 1500000};
	sigset_t usr1;
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	check("ppoll", syscall(SYS_ppoll, &pfd, 1, &ts, &usr1, 8));
	check("ppoll", syscall(SYS_ppoll, &pfd, 1, NULL, NULL, 8));
	close(fds[0]);
	close(fds[1]);

	/* System V semaphores: a set of two, one set to 5, an operation on each, removal. */
	int sem = check("semget", semget(IPC_PRIVATE, 2, IPC_CREAT | 0600));
	check("SETVAL", semctl(sem, 1, SETVAL, 5));
	struct sembuf ops[2] = {{0, 1, SEM_UNDO}, {1, -1, IPC_NOWAIT}};
	check("semop", syscall(SYS_semop, sem, ops, 2)); /* glibc's semop() is semtimedop */
	check("IPC_RMID", semctl(sem, 0, IPC_RMID));

	/* sendfile and copy_file_range from offset 1 of a file with "abcdef": the offsets before
	 * (enter) and after (exit). */
	char tmpl[] = "/tmp/scap-params-XXXXXX";
	int src = check("mkstemp", mkstemp(tmpl));
	unlink(tmpl);
	check("write", write(src, "abcdef", 6));
	int dst = check("open", open("/dev/null", O_WRONLY));
	off_t off = 1;
	check("sendfile", sendfile(dst, src, &off, 3));
	char tmpl2[] = "/tmp/scap-params-XXXXXX";
	int out = check("mkstemp", mkstemp(tmpl2));
	unlink(tmpl2);
	loff_t in_off = 1, out_off = 2;
	check("copy_file_range", copy_file_range(src, &in_off, out, &out_off, 4, 0));
	close(src);
	close(dst);
	close(out);

	/* execveat: a failing one (the last component is a symlink), then /bin/true by its fd in a
	 * child. */
	char *argv[] = {"true", NULL}, *envp[] = {NULL};
	if (syscall(SYS_execveat, AT_FDCWD, "/proc/self/exe", argv, envp, AT_SYMLINK_NOFOLLOW) == 0)
		return 2;
	pid_t runner = check("fork", fork());
	if (runner == 0) {
		int fd = open("/bin/true", O_PATH | O_CLOEXEC);
		syscall(SYS_execveat, fd, "", argv, envp, AT_EMPTY_PATH);
		_exit(127);
	}
	int rstatus;
	check("waitpid", waitpid(runner, &rstatus, 0));
	if (!WIFEXITED(rstatus) || WEXITSTATUS(rstatus) != 0)
		return 2;

	/* ptrace: a child asks to be traced and stops; we read a word of its memory, let it go on
	 * with no signal, and reap it; then a request on the child that is gone fails. */
	pid_t child = check("fork", fork());
	if (child == 0) {
		ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		raise(SIGSTOP);
		_exit(0);
	}
	int status;
	check("waitpid", waitpid(child, &status, 0));
	uint64_t word = 0;
	check("PEEKDATA", syscall(SYS_ptrace, PTRACE_PEEKDATA, child, &peek_me, &word));
	check("CONT", syscall(SYS_ptrace, PTRACE_CONT, child, NULL, 0));
	check("waitpid", waitpid(child, &status, 0));
	if (syscall(SYS_ptrace, PTRACE_PEEKDATA, child, &peek_me, &word) == 0)
		return 2;
	printf("%d %#lx %#lx\n", (int)child, (unsigned long)&peek_me, (unsigned long)word);
	return 0;
}
