#!/bin/sh
# The title keeps the counts, the filter and the search in view when the
# names of the files do not fit: the program's name goes first, then the
# names give way to their count, and what is still too long is cut with
# a '~'. An input not read is W's, but named when none was read.
. "$(dirname "$0")/lib.inc"

e2e_start 80 24 --rules data/rules.conf data/sample.cls.log \
	tests/data/remote-ntlm.uccapilog tests/data/call-cancel.cls.log
check "three files at 80 columns: their count and the messages" \
	e2e_wait_re "^3 files  [0-9]+/[0-9]+ msgs"
e2e_keys f
e2e_keys -l "method:REGISTER status:401 -user:nobody"
e2e_keys Enter
check "the filter is in the title" \
	e2e_wait_re "^3 files  6/55 msgs  filter: method:REGISTER status:401 -user:nobody *$"
e2e_keys /
e2e_keys -l "WWW-Authenticate: NTLM"
e2e_keys Enter
check "so is the search, the file names gone" \
	e2e_wait_re "^6/55 msgs  filter: method:REGISTER status:401 -user:nobody  search: WWW-Authent"

e2e_start 40 15 --rules data/rules.conf data/sample.cls.log
check "one file at 40 columns: its name and the counts" \
	e2e_wait_re "^sample.cls.log \[cls\]  40/40 msgs *$"
e2e_keys f
e2e_keys -l "user:izabelaf method:REGISTER"
e2e_keys Enter
check "a filter too long is cut with a ~" \
	e2e_wait_re "^[0-9]+/40 msgs  filter: user:izabelaf m[a-zA-Z:]*~$"

e2e_start 80 24 --rules data/rules.conf tests/data/multi.uccapilog \
	tests/data/bad.uccapilog
check "two files at 80 columns: their names, without the program's" \
	e2e_wait_re "^multi\.uccapilog \[uccapi\], bad\.uccapilog \[uccapi\]  11/11 msgs +1 warning \\(W\\) *$"

# A single input that gave no message once read is named too, as one
# read is (it was left out as an input not read, the title naming none):
# text read as a format it is not, an empty capture followed.
out=$(mktemp -d "${TMPDIR:-/tmp}/sipsnoop-e2e.XXXXXX")
trap 'e2e_cleanup; rm -rf "$out"' EXIT INT TERM
printf 'hello\nno SIP here\n' >"$out/notes.txt"
: >"$out/empty.pcap"
e2e_start 100 24 --format cls "$out/notes.txt"
check "text read as cls: its name in the title" \
	e2e_wait_re "^sipsnoop notes\.txt \[cls\]  0/0 msgs +1 input not read \(W\) *$"
check "the list says it could not be read" \
	e2e_wait "no messages: the inputs could not be read (W says why)"
e2e_start 100 24 --follow --format pcap "$out/empty.pcap"
check "an empty capture followed: its name in the title" \
	e2e_wait_re "^sipsnoop empty\.pcap \[pcap\]  0/0 msgs"
# Beside one read, the one not read is still W's alone.
e2e_start 100 24 --format cls "$out/notes.txt" data/sample.cls.log
check "beside a file read, only that one is named" \
	e2e_wait_re "^sipsnoop sample\.cls\.log \[cls\]  40/40 msgs +1 input not read \(W\) *$"
e2e_done
