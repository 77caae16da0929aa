#!/bin/sh
# The registration report opened while a large log is being indexed ends
# up with every registration of it, without a key pressed: a report
# rebuilt as the index grew, and finished after indexing ended, was shown
# as it was and never built again (the heading stayed at "1 of 926" of
# 1002 until a key was pressed).
. "$(dirname "$0")/lib.inc"

out=$(mktemp -d "${TMPDIR:-/tmp}/sipsnoop-e2e.XXXXXX")
trap 'e2e_cleanup; rm -rf "$out"' EXIT INT TERM
E2E_TIMEOUT=60

e2e_copies data/sample.cls.log 1000 >"$out/big.cls.log"

e2e_start 120 40 --rules data/rules.conf "$out/big.cls.log"
check "opens while indexing" e2e_wait "msgs"
e2e_keys R
check "the report opens" e2e_wait "Registrations"
check "all indexed" e2e_wait "40000/40000 msgs"
check "indexing ended" e2e_wait_gone "indexing"
# No key from here on: the report catches up by itself.
check "every registration, no key pressed" \
	e2e_wait "registration 1 of 1002  Enter: flow"
e2e_keys q q
check "quits" e2e_wait "exit=0"
e2e_done
