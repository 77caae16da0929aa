/* rusage: the benchmark's stopwatch. Runs a command and prints its user and
 * system CPU seconds, peak RSS and wall seconds, so that bench.sh does not
 * depend on GNU time; with --touch it maps a file and reads every page,
 * the memory floor of any tool that maps its input. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int
rusage_touch(const char *path)
{
	struct stat st;
	const volatile unsigned char *p;
	unsigned long sum = 0;
	long page = sysconf(_SC_PAGESIZE);
	size_t i;
	int fd;

	if ((fd = open(path, O_RDONLY)) < 0 || fstat(fd, &st) < 0) {
		fprintf(stderr, "rusage: %s: %s\n", path, strerror(errno));
		return 1;
	}
	if (st.st_size == 0)
		return 0;
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED) {
		fprintf(stderr, "rusage: %s: %s\n", path, strerror(errno));
		return 1;
	}
	for (i = 0; i < (size_t)st.st_size; i += (size_t)page)
		sum += p[i];
	printf("%lu\n", sum & 0xff);
	return 0;
}

int
main(int argc, char **argv)
{
	struct timespec t0, t1;
	struct rusage ru;
	FILE *out = stderr;
	pid_t pid;
	int status, argi = 1;

	if (argc == 3 && strcmp(argv[1], "--touch") == 0)
		return rusage_touch(argv[2]);
	if (argc > 3 && strcmp(argv[1], "-o") == 0) {
		if ((out = fopen(argv[2], "w")) == NULL) {
			fprintf(stderr, "rusage: %s: %s\n", argv[2],
			    strerror(errno));
			return 127;
		}
		argi = 3;
	}
	if (argi >= argc) {
		fprintf(stderr, "usage: rusage [-o FILE] COMMAND [ARG]...\n"
		    "       rusage --touch FILE\n"
		    "Prints \"user SECONDS sys SECONDS maxrss KB wall SECONDS "
		    "status N\".\n");
		return 127;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((pid = fork()) < 0) {
		perror("rusage: fork");
		return 127;
	}
	if (pid == 0) {
		execvp(argv[argi], argv + argi);
		fprintf(stderr, "rusage: %s: %s\n", argv[argi], strerror(errno));
		_exit(127);
	}
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			perror("rusage: wait4");
			return 127;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	fprintf(out, "user %ld.%06ld sys %ld.%06ld maxrss %ld wall %.6f "
	    "status %d\n", (long)ru.ru_utime.tv_sec, (long)ru.ru_utime.tv_usec,
	    (long)ru.ru_stime.tv_sec, (long)ru.ru_stime.tv_usec, ru.ru_maxrss,
	    (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
	    WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	if (out != stderr)
		fclose(out);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
