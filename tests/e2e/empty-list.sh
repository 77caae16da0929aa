#!/bin/sh
# With a filter that shows no message, the keys about the selected message
# say that none is selected, instead of nothing (Enter) or a wrong reason
# (] said "last message of this dialog"), and how to see them again.
. "$(dirname "$0")/lib.inc"

e2e_start 100 30 --rules data/rules.conf -f user:nobody data/sample.cls.log
check "opens on an empty list" e2e_wait "0/40 msgs  filter: user:nobody"
# The filter given with -f has none before it for Esc to go back to: x
# shows every message.
e2e_keys Enter
check "with -f's filter, Enter points to x, not Esc" \
	e2e_wait "no message selected: the filter shows none (x: all messages)"
for k in Enter ']' '[' c u; do
	e2e_keys x f
	e2e_keys -l "user:nobody"
	e2e_keys Enter
	check "the filter again ($k)" e2e_wait "0 messages match"
	e2e_keys "$k"
	check "$k says no message is selected" \
		e2e_wait "no message selected: the filter shows none (Esc: back)"
done
e2e_done
