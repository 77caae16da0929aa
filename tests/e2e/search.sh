#!/bin/sh
# Incremental search for a Call-ID: the match is selected and highlighted,
# n/N move between matches, a miss says "no match".
. "$(dirname "$0")/lib.inc"

e2e_start 120 40 --rules data/rules.conf tests/data/call-cancel.cls.log \
	tests/data/remote-ntlm.cls.log
check "opens two files" e2e_wait "remote-ntlm.cls.log [cls]"
e2e_keys /
check "/ opens the search prompt" e2e_wait_re "^/"
e2e_keys -l "9f6c1d2e4b7a4c0e"
check "typing searches at once" e2e_wait "Call-ID: 9f6c1d2e4b7a4c0e8d3b5a6f7e8c9d01"
e2e_keys Enter
check "search stays in the title" e2e_wait "search: 9f6c1d2e4b7a4c0e"
check "the first match is the first REGISTER" e2e_wait "CSeq: 1 REGISTER"
check "the title says which match of how many" e2e_wait "search: 9f6c1d2e4b7a4c0e  match 1 of 6"
e2e_keys n
check "n goes to the next match" e2e_wait "SIP/2.0 401 Unauthorized"
check "match 2 of 6" e2e_wait "search: 9f6c1d2e4b7a4c0e  match 2 of 6"
e2e_keys N
check "N goes back" e2e_wait "CSeq: 1 REGISTER"
e2e_keys c
check "c filters by the Call-ID" e2e_wait "filter: callid:9f6c1d2e4b7a4c0e8d3b5a6f"
check "c shows the six messages" e2e_wait " 6/15 msgs"
# Esc and the next key apart: in one read they are Alt+key.
e2e_keys Escape
check "Esc: back from c" e2e_wait " 15/15 msgs"
e2e_keys /
e2e_keys -l "no-such-text-anywhere"
e2e_keys Enter
check "a miss says no match" e2e_wait "no match: no-such-text-anywhere"

# n past the last match goes on from the top, N before the first from the
# end, and the status line says so (as vi does).
e2e_start 120 30 --rules data/rules.conf data/sample.cls.log
check "opens sample" e2e_wait "40/40 msgs"
e2e_keys /
e2e_keys -l "petrak"
e2e_keys Enter
check "the first match" e2e_wait_re "^ Messages +12/40$"
e2e_keys n
check "n to the next one says nothing of wrapping" e2e_wait_re "^ Messages +13/40$"
check "the hints are back" e2e_wait "? help  / search"
e2e_keys G n
check "n from the last goes to the first match" e2e_wait_re "^ Messages +12/40$"
check "and says it went on from the top" \
	e2e_wait "search hit the end, went on from the top"
e2e_keys N
check "N from the first match goes to the last" e2e_wait_re "^ Messages +40/40$"
check "and says it went on from the end" \
	e2e_wait "search hit the top, went on from the end"
e2e_keys G /
e2e_keys -l "izabelaf"
check "typing from the last message finds the first" e2e_wait_re "^ Messages +1/40$"
e2e_keys Enter
check "Enter says the search went on from the top" \
	e2e_wait "search hit the end, went on from the top"

# / then Enter on an empty line clears the search, and says so; the help
# says how.
e2e_keys /
e2e_keys Enter
check "an empty search clears it" e2e_wait "search cleared"
check "the title no longer has it" e2e_wait_re "^sipsnoop sample.cls.log \[cls\]  40/40 msgs *$"
e2e_keys '?'
check "the help says an empty search clears it" \
	e2e_wait "search text (incremental; empty: clear it)"
check "and that Esc with no filter to go back to does" \
	e2e_wait "close view (none: clear the search)"

# Esc with no filter to go back to clears the search: it says so (the
# highlights went without a word).
e2e_keys q /
e2e_keys -l "petrak"
e2e_keys Enter
check "a search again" e2e_wait "search: petrak"
e2e_keys Escape
check "Esc clears it and says so" e2e_wait "search cleared"
check "the title no longer has it (Esc)" e2e_wait_re "^sipsnoop sample.cls.log \[cls\]  40/40 msgs *$"
e2e_done
