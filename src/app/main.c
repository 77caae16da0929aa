/* main: options, inputs and rules, then either the viewer (a terminal and
 * no batch option) or one of the batch outputs. Exit status: 0 success,
 * 1 an input could not be read at all, 2 bad usage. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util.h"
#include "reader.h"
#include "source.h"
#include "engine.h"
#include "rules.h"
#include "filter.h"
#include "batch.h"
#include "app.h"

#ifndef SIPSNOOP_VERSION
#define SIPSNOOP_VERSION "0.1.0"
#endif
/* Messages a batch filter looks at between two givings back of pages. */
#define MAIN_SELECT_STEP 65536

enum mode {
	MODE_AUTO = 0,		/* viewer on a terminal, else --list */
	MODE_VIEW,
	MODE_LIST,
	MODE_DIALOGS,
	MODE_REGISTRATIONS,
	MODE_FLOW,
	MODE_STATS,
};

enum {
	OPT_LIST = 256,
	OPT_DIALOGS,
	OPT_REGISTRATIONS,
	OPT_FLOW,
	OPT_JSON,
	OPT_DIALOG,
	OPT_WIDTH,
	OPT_FORMAT,
	OPT_FORMATS,
	OPT_RULES,
	OPT_CHECK_RULES,
	OPT_COLOR,
	OPT_STATS,
	OPT_MERGE_HOSTS,
	OPT_NO_RULES,
	OPT_OFFSET,
	OPT_FOLLOW,
};

static const struct option main_longopts[] = {
	{ "list", no_argument, NULL, OPT_LIST },
	{ "dialogs", no_argument, NULL, OPT_DIALOGS },
	{ "registrations", no_argument, NULL, OPT_REGISTRATIONS },
	{ "flow", optional_argument, NULL, OPT_FLOW },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "filter", required_argument, NULL, 'f' },
	{ "dialog", required_argument, NULL, OPT_DIALOG },
	{ "width", required_argument, NULL, OPT_WIDTH },
	{ "merge-hosts", no_argument, NULL, OPT_MERGE_HOSTS },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "formats", no_argument, NULL, OPT_FORMATS },
	{ "rules", required_argument, NULL, OPT_RULES },
	{ "no-rules", no_argument, NULL, OPT_NO_RULES },
	{ "check-rules", required_argument, NULL, OPT_CHECK_RULES },
	{ "color", optional_argument, NULL, OPT_COLOR },
	{ "colour", optional_argument, NULL, OPT_COLOR },
	{ "stats", no_argument, NULL, OPT_STATS },
	{ "offset", required_argument, NULL, OPT_OFFSET },
	{ "follow", no_argument, NULL, OPT_FOLLOW },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static void
main_usage(FILE *out)
{
	fputs(
"Usage: sipsnoop [OPTION]... FILE...\n"
"View SIP traces: Lync/Skype for Business server (CLS/OCSLogger) and client\n"
"(.uccapilog) logs, pcap/pcapng captures, Asterisk, FreeSWITCH, pjsip,\n"
"SIPp, Kamailio, Cisco, AudioCodes, sngrep exports, ngrep and more\n"
"(--formats), also through syslog or the journal; gzip-compressed or not,\n"
"UTF-8 or UTF-16. On a terminal the interactive viewer opens; otherwise,\n"
"or with a batch option, text is written to standard output.\n"
"FILE '-' reads standard input.\n"
"\n"
"Batch output:\n"
"  --list                one line per message (the default when not a terminal)\n"
"  --dialogs             one line per dialog (Call-ID)\n"
"  --registrations       one entry per REGISTER dialog: user, schemes, outcome\n"
"  --flow[=text|svg]     ladder diagram of the selected messages\n"
"  --stats               index everything and print counts (of the\n"
"                        messages -f and --dialog select, when given)\n"
"  --json                JSON Lines instead of text (--list, --dialogs,\n"
"                        --registrations)\n"
"\n"
"Selection:\n"
"  -f, --filter=EXPR     only messages matching EXPR (see sipsnoop(1), FILTERS);\n"
"                        given several times, matching all of them\n"
"      --dialog=N        only the messages of dialog N (as --dialogs numbers them);\n"
"                        the viewer opens it once it is numbered;\n"
"                        with --follow, one not there yet is waited for\n"
"                        while following (in the viewer, F stops that)\n"
"\n"
"Input and rules:\n"
"      --format=NAME     read every FILE as format NAME instead of probing;\n"
"                        one that gives no message so is refused\n"
"      --offset=FILE=T   shift the times of FILE by T (+2.5s, -150ms, +1h;\n"
"                        units h, m, s, ms, us; default s); times whose\n"
"                        zone the log gives are shown in UTC, others as\n"
"                        the log writes them; once per file\n"
"      --formats         list the formats and exit\n"
"      --follow          like tail -f: show messages appended to the files\n"
"                        (the viewer, or --list); rotation is noticed;\n"
"                        a pipe is read as it comes, to its end;\n"
"                        - from a file (< FILE) is followed too;\n"
"                        captures too (tcpdump -U -w - | sipsnoop --follow\n"
"                        -, dumpcap -w -), ngrep's output, and syslog and\n"
"                        journal lines (journalctl -f | sipsnoop --follow\n"
"                        -); gzip and the other formats converted whole\n"
"                        (FreeSWITCH...) are read once\n"
"      --rules=FILE      rate messages with the rules in FILE\n"
"      --no-rules        do not rate messages\n"
"      --check-rules=FILE  check a rules file, report FILE:LINE: errors\n"
"                        (no input is read; FILE is not -)\n"
"\n"
"Display:\n"
"      --width=N         width of --flow text, 20 to 10000, exceeded where\n"
"                        labels need it (default: terminal width, else\n"
"                        COLUMNS, else 100)\n"
"      --merge-hosts     --flow: one column per host, not per host:port\n"
"      --color[=WHEN]    viewer colours: auto (default), never, always\n"
"                        (--color alone); a non-empty NO_COLOR in the\n"
"                        environment makes auto never\n"
"  -h, --help            this help\n"
"  -V, --version         version and features\n"
"\n"
"Exit status: 0 success, 1 an input or the rules could not be read (or\n"
"the output written), 2 bad usage or no dialog N (--dialog; following,\n"
"once following stopped).\n"
"Keys of the viewer: press ? in it, or see sipsnoop(1).\n", out);
}

static int main_bad_usage(const char *fmt, const char *arg);

/* An option getopt_long() does not know. A short one may sit in a word
 * not finished yet (-dash.log: 'd' is unknown, optind still on it), so
 * that word is found by optopt; a file whose name starts with '-' gets
 * a hint. */
static int
main_unknown_option(int argc, char **argv)
{
	const char *word = argv[optind - 1];
	char opt[3] = { '-', (char)optopt, '\0' };
	struct stat st;
	char *msg;
	int rc;

	size_t i;

	if (optopt == 0)	/* a long option: the word it was in */
		return main_bad_usage("unrecognized option '%s'", word);
	/* A long option given a value it takes none of (--stats=1):
	 * optopt is its val, not a character of the command line. */
	for (i = 0; main_longopts[i].name != NULL; i++) {
		if (main_longopts[i].val == optopt &&
		    main_longopts[i].has_arg == no_argument) {
			char *name = xstrndup(word, strcspn(word, "="));

			rc = main_bad_usage("option '%s' takes no value", name);
			free(name);
			return rc;
		}
	}
	if (optind < argc && argv[optind][0] == '-' &&
	    strchr(argv[optind] + 1, optopt) != NULL)
		word = argv[optind];
	if (stat(word, &st) == 0) {
		msg = xasprintf("unrecognized option '%s' in '%s' (a file "
				"whose name starts with '-' is given as ./%s "
				"or after --)", opt, word, word);
		rc = main_bad_usage("%s", msg);
		free(msg);
		return rc;
	}
	return main_bad_usage("unrecognized option '%s'", opt);
}

/* fmt takes one %s, arg, which comes from the command line: it is shown
 * with its control bytes made visible. */
static int
main_bad_usage(const char *fmt, const char *arg)
{
	struct strbuf vis;

	strbuf_init(&vis);
	sanitize_append(&vis, arg, strlen(arg), 0);
	fprintf(stderr, "sipsnoop: ");
	fprintf(stderr, fmt, vis.buf != NULL ? vis.buf : "");
	fprintf(stderr, "\nTry 'sipsnoop --help'.\n");
	strbuf_free(&vis);
	return 2;
}

/* A number of milliseconds (0 to an hour) in environment variable name,
 * for the tests on a loaded machine: *ms, left as it is when unset; -1
 * (said, bad usage) when it is no such number. */
static int
main_env_ms(const char *name, long *ms)
{
	const char *q = getenv(name);
	char fmt[96], *qe;
	long v;

	if (q == NULL || *q == '\0')
		return 0;
	v = strtol(q, &qe, 10);
	if (*qe != '\0' || v < 0 || v > 3600000) {
		snprintf(fmt, sizeof fmt, "%s: not a number of milliseconds: "
			 "%%s", name);
		main_bad_usage(fmt, q);
		return -1;
	}
	*ms = v;
	return 0;
}

/* Standard output is checked once everything is written, whatever the
 * mode (--formats and --help too): a full disk or a closed file leaves
 * the output short, and a script must see it fail. Says so once. */
static int
main_check_stdout(void)
{
	static int reported;
	int bad, err;

	errno = 0;
	bad = fflush(stdout) != 0;
	err = errno;
	if (!bad && !ferror(stdout))
		return 0;
	if (!reported) {
		reported = 1;
		if (bad && err != 0)
			fprintf(stderr, "sipsnoop: write error on standard output: %s\n",
				strerror(err));
		else
			fprintf(stderr, "sipsnoop: write error on standard output\n");
	}
	return -1;
}

/* The engine, kept where a leak checker finds it: --list --follow runs
 * until a signal ends the process, which frees nothing (the kernel takes
 * it all back); a pointer held only in a register read as a leak
 * (volatile: a store never read back would be dropped). */
static struct engine *volatile main_engine;

/* At exit: an output that could not be written fails with status 1. */
static void
main_exit_check_stdout(void)
{
	if (main_check_stdout() == -1)
		_exit(1);
}

static void
main_formats(void)
{
	size_t i;
	int w = 0;

	for (i = 0; reader_formats[i] != NULL; i++) {
		if ((int)strlen(reader_formats[i]->name) > w)
			w = (int)strlen(reader_formats[i]->name);
	}
	for (i = 0; reader_formats[i] != NULL; i++)
		printf("%-*s  %s\n", w, reader_formats[i]->name,
		       reader_formats[i]->desc);
}

/* s with control bytes and escape sequences made visible (a file name or
 * an argument may hold them): borrowed from sb until its next use. */
static const char *
main_visible(struct strbuf *sb, const char *s)
{
	strbuf_reset(sb);
	sanitize_append(sb, s, strlen(s), 0);
	return sb->buf != NULL ? sb->buf : "";
}

/* Writes text line by line, each after prefix and made visible as
 * main_visible does. */
/* Says why an input was refused (*err, freed), its control bytes made
 * visible. */
static void
main_input_error(char **err)
{
	struct strbuf sb;

	strbuf_init(&sb);
	sanitize_append(&sb, *err, strlen(*err), 0);
	fprintf(stderr, "sipsnoop: %s\n", sb.buf);
	strbuf_free(&sb);
	free(*err);
	*err = NULL;
}

static void
main_put_visible_lines(FILE *fp, const char *prefix, const char *text)
{
	struct strbuf sb;
	const char *nl;

	strbuf_init(&sb);
	while (*text != '\0') {
		nl = strchr(text, '\n');
		strbuf_reset(&sb);
		sanitize_append(&sb, text, nl != NULL ? (size_t)(nl - text) :
				strlen(text), 0);
		fprintf(fp, "%s%s\n", prefix, sb.buf != NULL ? sb.buf : "");
		if (nl == NULL)
			break;
		text = nl + 1;
	}
	strbuf_free(&sb);
}

/* A filter's syntax error: the message, the expression made visible (an
 * expression may hold control bytes, from a script) and a caret under
 * character col of it, where its visible form puts that character. */
static void
main_filter_error(const char *expr, const char *err, int col)
{
	struct strbuf vis, pre;
	size_t i, k = 0, w = 0;

	strbuf_init(&vis);
	strbuf_init(&pre);
	for (i = 0; expr[i] != '\0'; i++) {
		if (((unsigned char)expr[i] & 0xc0) != 0x80 && k++ == (size_t)col)
			break;
	}
	sanitize_append(&pre, expr, i, 0);
	for (k = 0; k < pre.len; k++)
		w += ((unsigned char)pre.buf[k] & 0xc0) != 0x80;
	sanitize_append(&vis, expr, strlen(expr), 0);
	fprintf(stderr, "sipsnoop: filter: %s\n  %s\n  %*s^ column %d\n",
		err, vis.buf != NULL ? vis.buf : "", (int)w, "", col + 1);
	strbuf_free(&vis);
	strbuf_free(&pre);
}

/* A filter that holds a word written like a field (stauts:401,
 * ip:10.0.0.1) was likely meant as one: say so, whatever it selects (the
 * word may be in some messages' text), and that it selects nothing when
 * none says so; the exit status stays. */
static void
main_filter_hint(const struct filter *flt, int none)
{
	struct strbuf words, names, word, name;
	size_t nw, nn;

	strbuf_init(&words);
	strbuf_init(&names);
	if ((nw = filter_fieldlike(flt, &words, &names, &nn)) > 0) {
		strbuf_init(&word);
		strbuf_init(&name);
		sanitize_append(&word, words.buf, words.len, 0);
		sanitize_append(&name, names.buf, names.len, 0);
		fprintf(stderr, "sipsnoop: -f: %s%s %s read as free text (%s "
			"%s; see FILTERS in sipsnoop(1))\n",
			none ? "no message matches, and " : "", word.buf,
			nw == 1 ? "was" : "were", name.buf,
			nn == 1 ? "is no field name" : "are no field names");
		strbuf_free(&word);
		strbuf_free(&name);
	}
	strbuf_free(&words);
	strbuf_free(&names);
}

static int
main_check_rules(const char *path)
{
	struct strbuf errs, vis;
	struct rules *r;

	strbuf_init(&errs);
	strbuf_init(&vis);
	r = rules_load(path, &errs);
	if (r == NULL) {
		main_put_visible_lines(stderr, "", errs.len > 0 ? errs.buf : "");
		if (errs.len == 0)
			fprintf(stderr, "%s: cannot be read\n",
				main_visible(&vis, path));
		strbuf_free(&errs);
		strbuf_free(&vis);
		return 1;
	}
	printf("%s: %zu rule%s, no errors\n", main_visible(&vis, path),
	       rules_count(r), rules_count(r) == 1 ? "" : "s");
	rules_free(r);
	strbuf_free(&errs);
	strbuf_free(&vis);
	return 0;
}

/* Parses "+2.5s", "-150ms", "1h", "0.25" (seconds) into microseconds;
 * -1 with what is wrong in why (whysz bytes). */
static int
main_parse_offset(const char *s, int64_t *out, char *why, size_t whysz)
{
	static const struct {
		const char *name;
		double us;
	} units[] = { { "", 1e6 }, { "s", 1e6 }, { "ms", 1e3 }, { "us", 1 },
		      { "m", 60e6 }, { "min", 60e6 }, { "h", 3600e6 } };
	char *end;
	double v;
	double unit = 0;
	size_t i = 0, ndig = 0, k;

	/* Decimal only: strtod would take nan, inf and hex too. */
	if (s[i] == '+' || s[i] == '-')
		i++;
	for (; isdigit((unsigned char)s[i]) || s[i] == '.'; i++)
		ndig += isdigit((unsigned char)s[i]) != 0;
	if (s[0] == '\0') {
		snprintf(why, whysz, "no TIME after the '='");
		return -1;
	}
	if (ndig == 0) {
		snprintf(why, whysz, "TIME starts with a number");
		return -1;
	}
	if (memchr(s, '.', i) != strrchr(s, '.')) {
		snprintf(why, whysz, "more than one decimal point");
		return -1;
	}
	if (s[i] != '\0' && !isalpha((unsigned char)s[i])) {
		snprintf(why, whysz, "'%c' after the number: a unit follows "
		    "it (+1h, not +01:00)", s[i]);
		return -1;
	}
	errno = 0;
	v = strtod(s, &end);
	if (end != s + i || errno != 0) {
		snprintf(why, whysz, "a plain decimal number (1000, not 1e3)");
		return -1;
	}
	for (k = 0; k < sizeof units / sizeof units[0]; k++) {
		if (strcmp(end, units[k].name) == 0)
			unit = units[k].us;
	}
	if (unit == 0) {
		const char *d = end;

		while (isalpha((unsigned char)*d))
			d++;
		if (*d != '\0')
			snprintf(why, whysz, "one number and one unit (+1.5h, "
			    "not 1h30m)");
		else
			snprintf(why, whysz, "no unit '%s' (h, m or min, s, "
			    "ms, us%s)", end,
			    strcmp(end, "d") == 0 ? "; +24h for a day" : "");
		return -1;
	}
	v *= unit;
	if (v > 1e17 || v < -1e17) {
		snprintf(why, whysz, "more than 3000 years");
		return -1;
	}
	*out = (int64_t)(v < 0 ? v - 0.5 : v + 0.5);
	return 0;
}

struct main_offset {
	const char *file;
	int64_t us;
};

/* Whether paths a and b name the same input: the same name, or two paths
 * to one file (fe.log and ./fe.log). "-" is only itself. */
static int
main_same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	if (strcmp(a, b) == 0)
		return 1;
	if (strcmp(a, "-") == 0 || strcmp(b, "-") == 0)
		return 0;
	return stat(a, &sa) == 0 && stat(b, &sb) == 0 &&
	    sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

static void main_print_warnings(const struct engine *e, size_t from);

/* Says why each input refused since *from was (engine_refused: an awaited
 * file that was not SIP once long enough) and counts them. Returns how
 * many. */
static int
main_new_refusals(const struct engine *e, size_t *from)
{
	char *err;
	int n = 0;

	for (; *from < engine_nrefused(e); (*from)++, n++) {
		err = xstrdup(engine_refused(e, *from));
		main_input_error(&err);
	}
	return n;
}

/* filter_select() over [from, to) in steps, giving back between them the
 * pages a search of the text read (a filter over a large log reads all
 * of it). */
static size_t
main_select(struct filter *flt, struct engine *e, uint32_t from, uint32_t to,
	    uint32_t **out)
{
	uint32_t *part, step = MAIN_SELECT_STEP, end;
	size_t n = 0, k;

	*out = xmalloc(sizeof **out);
	for (; from < to; from = end) {
		end = to - from > step ? from + step : to;
		k = filter_select(flt, e, from, end, &part);
		if (k > 0) {
			*out = xrealloc(*out, (n + k + 1) * sizeof **out);
			memcpy(*out + n, part, k * sizeof *part);
			n += k;
		}
		free(part);
		engine_give_back(e);
	}
	return n;
}

/* The signal that ends --list --follow, or 0. */
static volatile sig_atomic_t main_stop_sig;

static void
main_on_stop(int sig)
{
	main_stop_sig = sig;
}

/* Messages of --list --follow still to be printed: those a followed file
 * ended in the middle of, read cut short once it was quiet. The rest of
 * such a message is most likely still being written, and a list cannot
 * take back a line: each waits until it is read again whole (the file grew
 * or ended), or until the listing is interrupted. */
struct main_held {
	uint32_t *ids;
	size_t n;
};

/* Whether message id may still be read again whole: its file's last,
 * read cut short once the file was quiet (engine_tentative). */
static int
main_unfinished(struct engine *e, uint32_t id)
{
	return engine_tentative(e, id) &&
	       (msgindex_get(engine_index(e), id)->flags & RECF_TRUNCATED);
}

/* Whether h holds id. */
static int
main_is_held(const struct main_held *h, uint32_t id)
{
	size_t k;

	for (k = 0; k < h->n; k++) {
		if (h->ids[k] == id)
			return 1;
	}
	return 0;
}

/* Prints what is due, in the list's order (ids): the held messages now
 * read whole (all of them when stop), then the new ones, from..to-1, less
 * those not finished yet, which h holds from now on; filtered, and of
 * dialog dialog_no only when it is not negative. */
static void
main_follow_print(struct engine *e, struct filter *flt, long dialog_no,
		  struct batch_opts *bo, struct main_held *h, uint32_t from,
		  uint32_t to, int stop)
{
	uint32_t *sel = xmalloc((h->n + to - from + 1) * sizeof *sel), *part;
	size_t n = 0, j = 0, k, np;
	uint32_t id;

	/* The held ones are older than any new one. One is looked at by
	 * the filter as it is now, whole. */
	for (k = 0; k < h->n; k++) {
		id = h->ids[k];
		if (!stop && main_unfinished(e, id)) {
			h->ids[j++] = id;
			continue;
		}
		if (flt != NULL) {
			np = main_select(flt, e, id, id + 1, &part);
			free(part);
			if (np == 0)
				continue;
		}
		sel[n++] = id;
	}
	h->n = j;
	/* New ones not finished are held whatever the filter says of them
	 * now; the others are filtered as a range. */
	for (id = from; id < to; id++) {
		if (!stop && main_unfinished(e, id)) {
			h->ids = xrealloc(h->ids, (h->n + 1) * sizeof *h->ids);
			h->ids[h->n++] = id;
		}
	}
	if (flt != NULL) {
		np = main_select(flt, e, from, to, &part);
	} else {
		part = xmalloc((to - from + 1) * sizeof *part);
		for (np = 0, id = from; id < to; id++)
			part[np++] = id;
	}
	for (k = 0; k < np; k++) {
		if (!main_is_held(h, part[k]))
			sel[n++] = part[k];
	}
	free(part);
	for (k = j = 0; k < n; k++) {
		if (dialog_no < 0 || dialogs_of(engine_dialogs(e),
		    msgindex_get(engine_index(e), sel[k])) ==
		    (uint32_t)dialog_no)
			sel[j++] = sel[k];
	}
	bo->sel = sel;
	bo->nsel = j;
	if (j > 0)
		batch_list(e, bo, stdout);
	free(sel);
}

/* --list --follow: prints what the files gain until interrupted. */
static int
main_follow(struct engine *e, struct filter *flt, long dialog_no,
	    struct batch_opts *bo)
{
	size_t shown = msgindex_count(engine_index(e)), nwarn, n;
	size_t nref = engine_nrefused(e);
	struct main_held held = { NULL, 0 };
	struct sigaction sa, old_int, old_term;
	int fed = 0, nfailed = 0, status = -1;

	/* Interrupted, what was held is printed as it is (cut short),
	 * then the signal ends the process as it would have. */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = main_on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, NULL, &old_int);
	sigaction(SIGTERM, NULL, &old_term);
	/* One ignored (started in the background) stays so. */
	if (old_int.sa_handler != SIG_IGN)
		sigaction(SIGINT, &sa, NULL);
	if (old_term.sa_handler != SIG_IGN)
		sigaction(SIGTERM, &sa, NULL);
	while (status < 0) {
		fflush(stdout);
		if (ferror(stdout)) {
			status = 1;
			break;
		}
		if (main_stop_sig)
			break;
		/* While a pipe keeps coming, read on at once. */
		if (!fed)
			engine_wait(e, 200);
		nwarn = engine_nwarnings(e);
		/* An awaited file that begins is read as what a followed
		 * file gains: in the order it comes, after what was listed. */
		fed = engine_poll(e);
		nfailed += main_new_refusals(e, &nref);
		if (fed) {
			while (engine_step(e, 65536))
				;
		}
		main_print_warnings(e, nwarn);
		n = msgindex_count(engine_index(e));
		main_follow_print(e, flt, dialog_no, bo, &held,
				  (uint32_t)shown, (uint32_t)n, 0);
		/* A pipe read to its end leaves nothing to follow. A dialog
		 * waited for that never came is as one asked for without
		 * --follow. */
		if (n == shown && engine_nfollowed(e) == 0 &&
		    engine_nawaited(e) == 0) {
			status = nfailed > 0 ? 1 : 0;
			if (dialog_no >= 0 && (size_t)dialog_no >=
			    dialogs_count(engine_dialogs(e))) {
				fprintf(stderr, "sipsnoop: no dialog %ld (there "
					"are %zu)\n", dialog_no,
					dialogs_count(engine_dialogs(e)));
				status = 2;
			}
		}
		shown = n;
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	if (main_stop_sig) {
		main_follow_print(e, flt, dialog_no, bo, &held,
				  (uint32_t)shown, (uint32_t)shown, 1);
		fflush(stdout);
		free(held.ids);
		raise(main_stop_sig);
	}
	free(held.ids);
	return status;
}

/* Whether --list --follow goes on after what was read: something is
 * left to follow (each input that cannot be was warned about). */
static int
main_follows(const struct engine *e, int mode, int follow)
{
	return mode == MODE_LIST && follow &&
	    (engine_nfollowed(e) > 0 || engine_nawaited(e) > 0);
}

/* The default of --width: the terminal's, else COLUMNS, else 100, kept
 * within what --width takes (20 to 10000). COLUMNS is not checked by
 * anyone before us: atoi("99999999999") asked for lines of a billion
 * cells, and the machine's memory ran out; one that is no whole number
 * is not taken. */
static int
main_terminal_width(void)
{
	struct winsize ws;
	const char *cols = getenv("COLUMNS");
	long w = 100;
	char *end;

	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 &&
	    ws.ws_col > 0)
		w = ws.ws_col;
	else if (cols != NULL && *cols != '\0') {
		w = strtol(cols, &end, 10);	/* LONG_MAX when too large */
		if (*end != '\0' || w <= 0)
			w = 100;
	}
	return w < 20 ? 20 : w > 10000 ? 10000 : (int)w;
}

/* Problems found while reading, as FILE:LINE: message. A badly damaged
 * log can have thousands: the first ones of each file are printed, then
 * a count. Those of a whole file (no line: it shrank, was rotated, ...)
 * are few and always printed. */
#define MAIN_WARNINGS_PER_FILE 20

static void
main_print_warnings(const struct engine *e, size_t from)
{
	size_t i, n = engine_nwarnings(e), nfiles = engine_nfiles(e);
	size_t *shown = xcalloc(nfiles ? nfiles : 1, sizeof *shown);
	const struct engine_warning *w;
	const char *path;
	struct strbuf sb;

	strbuf_init(&sb);
	for (i = from; i < n; i++) {
		w = engine_warning(e, i);
		if (w->line > 0 && shown[w->file]++ >= MAIN_WARNINGS_PER_FILE)
			continue;
		path = engine_file(e, w->file)->src->path;
		strbuf_reset(&sb);
		sanitize_append(&sb, path, strlen(path), 0);
		if (w->line > 0)
			strbuf_addf(&sb, ":%u", w->line);
		strbuf_adds(&sb, ": ");
		sanitize_append(&sb, w->msg, strlen(w->msg), 0);
		fprintf(stderr, "sipsnoop: %s\n", sb.buf);
	}
	for (i = 0; i < nfiles; i++) {
		if (shown[i] <= MAIN_WARNINGS_PER_FILE)
			continue;
		path = engine_file(e, i)->src->path;
		strbuf_reset(&sb);
		sanitize_append(&sb, path, strlen(path), 0);
		fprintf(stderr, "sipsnoop: %s: %zu more warnings not shown\n",
			sb.buf, shown[i] - MAIN_WARNINGS_PER_FILE);
	}
	free(shown);
	strbuf_free(&sb);
}

/* --stats. With -f or --dialog (bo->filtered) the counts of messages,
 * dialogs and severities are those of the selected messages (the dialogs
 * that hold one), and a "filter" line says what selected them; the file
 * lines, strings and warnings are of everything read. */
static int
main_stats(struct engine *e, const struct batch_opts *bo,
	   const char *filter_expr, long dialog_no)
{
	struct msgindex *ix = engine_index(e);
	struct dialogs *ds = engine_dialogs(e);
	size_t total = msgindex_count(ix), i, sev[SEV__COUNT] = { 0 };
	size_t n = bo->filtered ? bo->nsel : total, kinds[4] = { 0 };
	struct strbuf vis;
	size_t ndialogs = dialogs_count(ds);
	uint8_t *seen = NULL;

	if (bo->filtered) {
		seen = xcalloc(ndialogs ? ndialogs : 1, 1);
		ndialogs = 0;
	}
	for (i = 0; i < n; i++) {
		uint32_t id = bo->filtered ? bo->sel[i] : (uint32_t)i;
		const struct msg *m = msgindex_get(ix, id);
		uint32_t d;

		sev[m->severity < SEV__COUNT ? m->severity : 0]++;
		kinds[m->kind]++;	/* two bits */
		if (seen != NULL && (d = dialogs_of(ds, m)) != NO_DIALOG &&
		    !seen[d]) {
			seen[d] = 1;
			ndialogs++;
		}
	}
	free(seen);
	strbuf_init(&vis);
	for (i = 0; i < engine_nfiles(e); i++) {
		const struct engine_file *f = engine_file(e, i);
		char fmt[64];

		if (f->unreadable)	/* refused, with a warning */
			continue;
		printf("file %s format %s bytes %zu messages %zu\n",
		       main_visible(&vis, f->src->path),
		       engine_format_name(f, fmt, sizeof fmt),
		       f->src->len, f->nmsgs);
	}
	if (bo->filtered) {
		printf("filter");
		if (filter_expr != NULL)
			printf(" -f %s", main_visible(&vis, filter_expr));
		if (dialog_no >= 0)
			printf(" --dialog %ld", dialog_no);
		printf(" selects %zu of %zu messages\n", n, total);
	}
	printf("messages %zu requests %zu responses %zu diagnostics %zu invalid %zu\n",
	       n, kinds[MSG_REQUEST], kinds[MSG_RESPONSE], kinds[MSG_DIAG],
	       kinds[MSG_INVALID]);
	printf("dialogs %zu strings %zu warnings %zu\n", ndialogs,
	       engine_nstrings(e), engine_nwarnings(e));
	printf("severity");
	for (i = 0; i < SEV__COUNT; i++)
		printf(" %s %zu", severity_name((enum severity)i), sev[i]);
	printf("\n");
	strbuf_free(&vis);
	return 0;
}

/* Where large converted output goes: $TMPDIR, else /var/tmp (on disk where
 * /tmp may be in memory). */
/* The viewer reads the start of standard input or of a named pipe before
 * its first screen: if nothing has come within a tenth of a second, the
 * terminal says what it waits for (the line is wiped once something
 * comes). A named pipe is held open here, for reading and writing (Linux
 * opens a pipe so at once), until sipsnoop has opened it to read: its
 * writer may have written and gone by then, and the open would wait for
 * another one, and what it wrote would go with the last descriptor.
 * Returns that descriptor, to close then, or -1. */
static int
main_wait_for_input(const char *path)
{
	struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
	struct strbuf sb;
	struct stat st;
	int rc, tty = isatty(STDERR_FILENO), held = -1;

	if (strcmp(path, "-") != 0) {
		if (stat(path, &st) != 0 || !S_ISFIFO(st.st_mode) ||
		    (held = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC)) < 0)
			return -1;
		pfd.fd = held;
	}
	do
		rc = poll(&pfd, 1, 100);
	while (rc < 0 && errno == EINTR);
	if (rc != 0)
		return held;
	strbuf_init(&sb);
	if (held < 0)
		strbuf_adds(&sb, "standard input");
	else
		sanitize_append(&sb, path, strlen(path), 0);
	fprintf(stderr, "sipsnoop: waiting for %s (Ctrl-C quits)%s", sb.buf,
		tty ? "" : "\n");
	strbuf_free(&sb);
	do
		rc = poll(&pfd, 1, -1);
	while (rc < 0 && errno == EINTR);
	if (tty)
		fputs("\r\033[K", stderr);
	return held;
}

static const char *
main_tmpdir(void)
{
	const char *d = getenv("TMPDIR");

	return d != NULL && d[0] != '\0' ? d : "/var/tmp";
}

#ifndef SIPSNOOP_DATADIR
#define SIPSNOOP_DATADIR "/usr/local/share/sipsnoop"
#endif

/* The directory this program was run from (to find data/rules.conf next
 * to a build in the source tree), or NULL. Caller frees. */
static char *
main_exe_dir(void)
{
	char buf[4096];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
	char *slash;

	if (n <= 0 || (size_t)n >= sizeof buf - 1)
		return NULL;
	buf[n] = '\0';
	slash = strrchr(buf, '/');
	if (slash == NULL || slash == buf)
		return NULL;
	*slash = '\0';
	return xstrdup(buf);
}

int
main(int argc, char **argv)
{
	enum mode mode = MODE_AUTO;
	struct batch_opts bo;
	struct app_options ao;
	const char *filter_expr = NULL, *format = NULL, *rules_path = NULL;
	const char *check_rules = NULL;
	const char *filters[64];
	size_t nfilters = 0, fi;
	struct strbuf joined;
	char *added;
	struct stat st;
	const char *codeset;
	long dialog_no = -1, lw, quiet_ms = -1, wait_ms = -1;
	int c, follow = 0, no_rules = 0, width = 0, nread = 0, nfailed = 0, status = 0, i;
	int nunread = 0, rules_failed = 0;
	struct strbuf rules_why;	/* why no rules: for the viewer's W */
	struct engine *e;
	struct rules *rules = NULL;
	struct filter *flt = NULL;
	uint32_t *sel = NULL;
	size_t nsel = 0;
	char *err = NULL, *defpath = NULL, *end;
	struct main_offset offsets[64];
	size_t noffsets = 0, oi, nref;

	setlocale(LC_ALL, "");
	source_guard();
	atexit(main_exit_check_stdout);
	strbuf_init(&joined);
	opterr = 0;
	memset(&bo, 0, sizeof bo);
	memset(&ao, 0, sizeof ao);
	while ((c = getopt_long(argc, argv, ":f:hV", main_longopts, NULL)) != -1) {
		switch (c) {
		case OPT_LIST: mode = MODE_LIST; break;
		case OPT_DIALOGS: mode = MODE_DIALOGS; break;
		case OPT_REGISTRATIONS: mode = MODE_REGISTRATIONS; break;
		case OPT_STATS: mode = MODE_STATS; break;
		case OPT_FLOW:
			mode = MODE_FLOW;
			if (optarg == NULL || strcmp(optarg, "text") == 0)
				bo.svg = 0;
			else if (strcmp(optarg, "svg") == 0)
				bo.svg = 1;
			else
				return main_bad_usage("--flow takes text or svg, not '%s'", optarg);
			break;
		case OPT_JSON: bo.json = 1; break;
		case 'f':
			if (nfilters == sizeof filters / sizeof filters[0])
				return main_bad_usage("%s", "too many -f options");
			filters[nfilters++] = optarg;
			break;
		case OPT_DIALOG:
			errno = 0;
			dialog_no = strtol(optarg, &end, 10);
			if (errno != 0 || end == optarg || *end != '\0' ||
			    dialog_no < 0 || optarg[0] == '-')
				return main_bad_usage("--dialog takes a dialog number, not '%s'", optarg);
			break;
		case OPT_WIDTH:
			errno = 0;
			lw = strtol(optarg, &end, 10);
			width = errno == 0 && end != optarg && *end == '\0' &&
			    lw >= 20 && lw <= 10000 ? (int)lw : 0;
			if (width == 0)
				return main_bad_usage("--width takes a number from 20 to 10000, not '%s'", optarg);
			break;
		case OPT_MERGE_HOSTS: bo.merge_hosts = 1; break;
		case OPT_FORMAT:
			if (reader_by_name(optarg) == NULL)
				return main_bad_usage("unknown format '%s' (see --formats)", optarg);
			format = optarg;
			break;
		case OPT_FORMATS: main_formats(); return 0;
		case OPT_RULES: rules_path = optarg; break;
		case OPT_NO_RULES: no_rules = 1; break;
		case OPT_FOLLOW: follow = 1; break;
		case OPT_OFFSET: {
			char *eq = strrchr(optarg, '=');
			char why[96];

			if (noffsets == sizeof offsets / sizeof offsets[0])
				return main_bad_usage("%s", "too many --offset options");
			if (eq == NULL || eq == optarg)
				return main_bad_usage("--offset takes FILE=TIME, TIME a number of h, m, s (the default), ms or us: edge.log=+2.5s, fe.log=-150ms; not '%s'", optarg);
			if (main_parse_offset(eq + 1, &offsets[noffsets].us, why,
					      sizeof why) < 0) {
				/* What is wrong, after the argument: both
				 * shown as main_bad_usage shows an argument. */
				char *arg = xasprintf("%s': %s", optarg, why);
				int rc = main_bad_usage("--offset takes FILE=TIME, TIME a number of h, m, s (the default), ms or us: edge.log=+2.5s, fe.log=-150ms; in '%s", arg);

				free(arg);
				return rc;
			}
			*eq = '\0';
			offsets[noffsets].file = optarg;
			noffsets++;
			break;
		}
		case OPT_CHECK_RULES: check_rules = optarg; break;
		case OPT_COLOR:
			if (optarg == NULL || strcmp(optarg, "always") == 0)
				ao.color = COLOR_ALWAYS;
			else if (strcmp(optarg, "never") == 0)
				ao.color = COLOR_NEVER;
			else if (strcmp(optarg, "auto") == 0)
				ao.color = COLOR_AUTO;
			else
				return main_bad_usage("--color takes auto, never or always, not '%s'", optarg);
			break;
		case 'h': main_usage(stdout); return 0;
		case 'V':
			printf("sipsnoop %s\nformats:", SIPSNOOP_VERSION);
			for (i = 0; reader_formats[i] != NULL; i++)
				printf(" %s", reader_formats[i]->name);
			printf("\nfeatures: pcre2 ncursesw pcap");
#ifdef SIPSNOOP_HAVE_ZLIB
			printf(" gzip");
#endif
			printf("\n");
			return 0;
		case ':':
			return main_bad_usage("option '%s' needs a value",
					      argv[optind - 1]);
		default:
			return main_unknown_option(argc, argv);
		}
	}
	/* Rules come from a file: standard input is for the log. */
	if ((check_rules != NULL && strcmp(check_rules, "-") == 0) ||
	    (rules_path != NULL && strcmp(rules_path, "-") == 0))
		return main_bad_usage("%s", "rules are not read from standard "
				      "input: --rules and --check-rules take a "
				      "file");
	if (check_rules != NULL) {
		if (optind < argc)
			return main_bad_usage("--check-rules checks a rules "
					      "file and reads no input ('%s')",
					      argv[optind]);
		return main_check_rules(check_rules);
	}
	if (optind >= argc)
		return main_bad_usage("%s", "no input file (use - for standard input)");
	/* An offset for no input would leave the merge silently wrong, and
	 * so would two for one file (which one was meant?). */
	for (oi = 0; oi < noffsets; oi++) {
		size_t oj;

		for (oj = 0; oj < oi; oj++) {
			if (main_same_file(offsets[oj].file, offsets[oi].file)) {
				int same = strcmp(offsets[oj].file,
						  offsets[oi].file) == 0;
				char *msg = xasprintf("--offset names '%s' twice"
				    "%s%s%s: it takes one offset per file",
				    offsets[oj].file, same ? "" : " (also as '",
				    same ? "" : offsets[oi].file, same ? "" : "')");

				c = main_bad_usage("%s", msg);
				free(msg);
				return c;
			}
		}
		for (i = optind; i < argc; i++) {
			if (main_same_file(offsets[oi].file, argv[i]))
				break;
		}
		if (i == argc)
			return main_bad_usage("--offset names '%s', which is not one of the inputs",
					      offsets[oi].file);
	}
	if (bo.json && mode != MODE_LIST && mode != MODE_DIALOGS &&
	    mode != MODE_REGISTRATIONS && mode != MODE_AUTO)
		return main_bad_usage("%s", "--json goes with --list, --dialogs or --registrations");
	if (mode == MODE_AUTO)
		mode = (isatty(STDOUT_FILENO) && !bo.json) ?
			       MODE_VIEW : MODE_LIST;
	/* Several -f must all match: each is checked alone, so that an
	 * error points into the expression given, then they are joined. */
	for (fi = 0; fi < nfilters; fi++) {
		int col = 0;

		flt = filter_compile(filters[fi], &err, &col);
		if (flt == NULL) {
			main_filter_error(filters[fi], err, col);
			free(err);
			strbuf_free(&joined);
			return 2;
		}
		if (!filter_is_empty(flt)) {
			if (joined.len > 0)
				strbuf_addc(&joined, ' ');
			strbuf_addf(&joined, nfilters > 1 ? "(%s)" : "%s",
				    filters[fi]);
		}
		filter_free(flt);
		flt = NULL;
	}
	if (nfilters > 0) {
		filter_expr = joined.buf != NULL ? joined.buf : "";
		flt = filter_compile(filter_expr, &err, NULL);
		if (flt == NULL) {	/* each compiled alone */
			fprintf(stderr, "sipsnoop: filter: %s\n", err);
			free(err);
			strbuf_free(&joined);
			return 2;
		}
	}

	if (main_env_ms("SIPSNOOP_FOLLOW_QUIET_MS", &quiet_ms) < 0 ||
	    main_env_ms("SIPSNOOP_ANSWER_WAIT_MS", &wait_ms) < 0)
		return 2;
	/* Rules: a broken rules file is reported and the trace is still shown,
	 * unrated. */
	/* Asked for a severity and for no rating: no message could match
	 * (a script would take the empty answer for "none"). */
	if (no_rules && filter_uses_severity(flt)) {
		filter_free(flt);
		strbuf_free(&joined);
		return main_bad_usage("%s", "-f asks for a severity, but "
				      "--no-rules rates no message");
	}
	strbuf_init(&rules_why);
	if (no_rules)
		strbuf_adds(&rules_why, "--no-rules was given");
	else {
		if (rules_path == NULL) {
			char *exe_dir = main_exe_dir();

			rules_path = defpath = rules_default_path(exe_dir);
			free(exe_dir);
			/* A severity asked for without rules has no answer:
			 * as for a rules file that cannot be used, the
			 * trace is shown unrated and the exit status is 1. */
			if (rules_path == NULL) {
				rules_failed = filter_uses_severity(flt);
				fprintf(stderr, "sipsnoop: %s (~/.config/"
					"sipsnoop/rules.conf, %s): messages "
					"are not rated; --rules FILE names "
					"one\n", rules_failed ? "-f asks for a "
					"severity, but no rules file was found" :
					"no rules file found",
					SIPSNOOP_DATADIR "/rules.conf");
				strbuf_addf(&rules_why, "no rules file found "
					    "(~/.config/sipsnoop/rules.conf, "
					    "%s); --rules FILE names one",
					    SIPSNOOP_DATADIR "/rules.conf");
			}
		}
		if (rules_path != NULL) {
			struct strbuf errs;

			strbuf_init(&errs);
			rules = rules_load(rules_path, &errs);
			if (rules == NULL) {
				struct strbuf vis;

				strbuf_init(&vis);
				main_put_visible_lines(stderr, "sipsnoop: ",
						       errs.len > 0 ? errs.buf : "");
				fprintf(stderr, "sipsnoop: %s: rules not used; messages are not rated\n",
					main_visible(&vis, rules_path));
				/* The same for W (made visible there). */
				if (errs.len > 0)
					strbuf_addf(&rules_why, "%s%s", errs.buf,
						    errs.buf[errs.len - 1] ==
							    '\n' ? "" : "\n");
				strbuf_addf(&rules_why, "%s: rules not used",
					    rules_path);
				/* Shown unrated, but a script that asks for
				 * severity:error must not take "none" for
				 * an answer. */
				rules_failed = 1;
				strbuf_free(&vis);
			}
			strbuf_free(&errs);
		}
	}

	if (follow && mode != MODE_VIEW && mode != MODE_LIST)
		return main_bad_usage("%s", "--follow goes with the viewer or --list");
	e = main_engine = engine_new();
	engine_set_rules(e, rules);
	engine_follow(e, follow);
	if (quiet_ms >= 0)
		engine_set_follow_quiet(e, (int)quiet_ms);
	if (wait_ms >= 0)
		engine_set_answer_wait(e, (int)wait_ms);
	/* The viewer's first screen must not wait for a capture to be
	 * converted; batch output needs all of it anyway. */
	engine_set_background(e, mode == MODE_VIEW);
	/* What a capture converts to, or a .gz inflates to, goes to a file
	 * once large: a capture larger than RAM can be read. */
	engine_set_spill(e, main_tmpdir(), 0);
	added = xcalloc((size_t)argc, 1);
	for (i = optind; i < argc; i++) {
		int fileno, j, maybe_begun, held;

		/* A file named twice (a glob and a name, two paths) would
		 * show each of its messages twice; standard input, "-"
		 * twice, is read once too. */
		for (j = optind; j < i; j++) {
			if (added[j] && (strcmp(argv[i], "-") == 0 ?
			    strcmp(argv[j], "-") == 0 :
			    main_same_file(argv[j], argv[i])))
				break;
		}
		if (j < i && strcmp(argv[i], "-") == 0) {
			fprintf(stderr, "sipsnoop: -: standard input given "
				"twice, read once\n");
			continue;
		}
		if (j < i) {
			struct strbuf a, b;

			strbuf_init(&a);
			strbuf_init(&b);
			sanitize_append(&a, argv[i], strlen(argv[i]), 0);
			sanitize_append(&b, argv[j], strlen(argv[j]), 0);
			fprintf(stderr, "sipsnoop: %s: the same file as %s, read once\n",
				a.buf, b.buf);
			strbuf_free(&a);
			strbuf_free(&b);
			continue;
		}
		held = mode == MODE_VIEW ? main_wait_for_input(argv[i]) : -1;
		/* Followed, an empty file (just rotated) or the first bytes
		 * of one are not refused: it waits for more, as tail -f
		 * does (engine_await_file), alone or among others. */
		maybe_begun = follow &&
		    (mode == MODE_LIST || mode == MODE_VIEW) &&
		    strcmp(argv[i], "-") != 0 &&
		    stat(argv[i], &st) == 0 && S_ISREG(st.st_mode) &&
		    st.st_size < ENGINE_AWAIT_BYTES;
		fileno = maybe_begun ?
		    engine_try_file(e, argv[i], format, &err) :
		    engine_add_file(e, argv[i], format, &err);
		if (held >= 0)
			close(held);
		for (oi = 0; fileno >= 0 && oi < noffsets; oi++) {
			if (main_same_file(offsets[oi].file, argv[i]))
				engine_set_offset(e, (size_t)fileno, offsets[oi].us);
		}
		if (fileno < 0 && maybe_begun &&
		    stat(argv[i], &st) == 0 && st.st_size < ENGINE_AWAIT_BYTES) {
			struct strbuf sb;
			int64_t us = 0;

			strbuf_init(&sb);
			sanitize_append(&sb, argv[i], strlen(argv[i]), 0);
			fprintf(stderr, "sipsnoop: %s: no SIP message yet (%lld "
				"bytes); waiting for more%s\n", sb.buf,
				(long long)st.st_size, mode == MODE_VIEW ?
				" (Ctrl-C quits)" : "");
			strbuf_free(&sb);
			free(err);
			err = NULL;
			for (oi = 0; oi < noffsets; oi++) {
				if (main_same_file(offsets[oi].file, argv[i]))
					us = offsets[oi].us;
			}
			engine_await_file(e, argv[i], format, us);
			added[i] = 1;
			continue;
		}
		if (fileno < 0) {
			main_input_error(&err);
			nfailed++;
		} else {
			nread++;
			added[i] = 1;
		}
	}
	free(added);
	/* With nothing else to show, the viewer opens once a file it
	 * waits for has begun (the list follows them as they come:
	 * main_follow; the viewer, the others). A file refused then is no
	 * longer waited for. */
	nref = engine_nrefused(e);
	while (mode == MODE_VIEW && nread == 0 && engine_nawaited(e) > 0) {
		struct timespec ts = { 0, 200 * 1000000L };

		nanosleep(&ts, NULL);
		engine_poll(e);
		nfailed += main_new_refusals(e, &nref);
		if (engine_nfiles(e) > 0)
			nread++;
	}
	if (nread == 0 && engine_nawaited(e) == 0) {
		engine_free(e);
		rules_free(rules);
		filter_free(flt);
		free(defpath);
		strbuf_free(&rules_why);
		strbuf_free(&joined);
		return 1;
	}
	if (mode == MODE_VIEW) {
		ao.filter = filter_expr;
		ao.rules = rules;
		ao.follow = follow;
		ao.dialog = dialog_no;
		ao.inputs = (const char *const *)(argv + optind);
		ao.ninputs = (size_t)(argc - optind);
		ao.rules_why = rules == NULL ? rules_why.buf : NULL;
		status = app_run(e, &ao);
		/* A capture converted beside the viewer that turned out
		 * unreadable counts as one refused at the start would, and
		 * so does a file waited for that was not SIP. */
		for (i = 0; i < (int)engine_nfiles(e); i++)
			nfailed += engine_file(e, (size_t)i)->unreadable;
		nfailed += (int)(engine_nrefused(e) - nref);
		filter_free(flt);
		engine_free(e);
		rules_free(rules);
		free(defpath);
		strbuf_free(&rules_why);
		strbuf_free(&joined);
		return status != 0 ? status :
		    (nfailed > 0 || rules_failed ? 1 : 0);
	}

	engine_run(e);
	main_print_warnings(e, 0);
	/* Files read as a --format that gave nothing were refused (the
	 * warnings said so): as when none was recognised, with nothing
	 * left there is nothing to show. */
	for (i = 0; i < (int)engine_nfiles(e); i++)
		nunread += engine_file(e, (size_t)i)->unreadable;
	nfailed += nunread;
	if (nunread == nread && engine_nawaited(e) == 0) {
		status = 1;
		goto out;
	}

	/* The selection: --filter, then --dialog. */
	if (flt != NULL || dialog_no >= 0) {
		size_t n = msgindex_count(engine_index(e)), k, j = 0;

		if (flt != NULL) {
			nsel = main_select(flt, e, 0, (uint32_t)n, &sel);
			/* Following, more may come: "no message matches"
			 * would be early. */
			main_filter_hint(flt, nsel == 0 && !follow);
		} else {
			sel = xmalloc((n ? n : 1) * sizeof *sel);
			for (k = 0; k < n; k++)
				sel[k] = (uint32_t)k;
			nsel = n;
		}
		if (dialog_no >= 0) {
			/* Following, it may still come (main_follow). */
			if ((size_t)dialog_no >= dialogs_count(engine_dialogs(e)) &&
			    main_follows(e, mode, follow)) {
				fprintf(stderr, "sipsnoop: no dialog %ld yet (there "
					"are %zu); waiting for it\n", dialog_no,
					dialogs_count(engine_dialogs(e)));
			} else if ((size_t)dialog_no >=
				   dialogs_count(engine_dialogs(e))) {
				fprintf(stderr, "sipsnoop: no dialog %ld (there are %zu)\n",
					dialog_no, dialogs_count(engine_dialogs(e)));
				status = 2;
				goto out;
			}
			for (k = 0; k < nsel; k++) {
				if (dialogs_of(engine_dialogs(e),
				    msgindex_get(engine_index(e), sel[k])) ==
				    (uint32_t)dialog_no)
					sel[j++] = sel[k];
			}
			nsel = j;
		}
		bo.filtered = 1;
	} else if (mode != MODE_STATS) {
		/* --stats counts the index itself: no 4 bytes a message. */
		size_t n = msgindex_count(engine_index(e)), k;

		sel = xmalloc((n ? n : 1) * sizeof *sel);
		for (k = 0; k < n; k++)
			sel[k] = (uint32_t)k;
		nsel = n;
	}
	bo.sel = sel;
	bo.nsel = nsel;
	bo.rules = rules;
	bo.width = width > 0 ? width : main_terminal_width();
	codeset = nl_langinfo(CODESET);
	bo.utf8 = codeset != NULL && strcmp(codeset, "UTF-8") == 0;

	switch (mode) {
	case MODE_LIST:
		status = batch_list(e, &bo, stdout);
		/* Each file that cannot be followed was warned about. */
		if (status == 0 && main_follows(e, mode, follow))
			status = main_follow(e, flt, dialog_no, &bo);
		break;
	case MODE_DIALOGS: status = batch_dialogs(e, &bo, stdout); break;
	case MODE_REGISTRATIONS: status = batch_registrations(e, &bo, stdout); break;
	case MODE_FLOW: status = batch_flow(e, &bo, stdout); break;
	case MODE_STATS:
		status = main_stats(e, &bo, filter_expr, dialog_no);
		break;
	default: break;
	}
	if (status < 0)
		status = 1;
	if (main_check_stdout() == -1)
		status = 1;
	if (status == 0 && (nfailed > 0 || rules_failed))
		status = 1;
out:
	free(sel);
	filter_free(flt);
	engine_free(e);
	rules_free(rules);
	free(defpath);
	strbuf_free(&rules_why);
	strbuf_free(&joined);
	return status;
}
