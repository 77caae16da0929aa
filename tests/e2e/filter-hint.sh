#!/bin/sh
# A filter typed at f that shows nothing and holds a word written like a
# field that is none (stauts:401): the status line names it, as --list
# does on standard error; it said only "0 messages match".
. "$(dirname "$0")/lib.inc"

e2e_start 100 30 --rules data/rules.conf data/sample.cls.log
check "opens sample" e2e_wait "40/40 msgs"
e2e_keys f
e2e_keys -l "stauts:401"
e2e_keys Enter
check "the misspelt field is named" \
	e2e_wait "no message matches: stauts is no field name, stauts:401 was read as free text"
check "nothing shown" e2e_wait "0/40 msgs"
e2e_keys f C-u
e2e_keys -l "status:401"
e2e_keys Enter
check "the field written right" e2e_wait "4 messages match"
# One: "1 message matches", not "1 messages match".
e2e_keys f C-u
e2e_keys -l '"call was cancelled"'
e2e_keys Enter
check "one message matches, said in the singular" \
	e2e_wait "1 message matches  (Esc: back)"

# Given with -f: the empty list says it.
e2e_start 100 30 --rules data/rules.conf -f stauts:401 data/sample.cls.log
check "opens on nothing" e2e_wait "0/40 msgs"
check "the list names the misspelt field" \
	e2e_wait "stauts is no field name: stauts:401 was read as free text"
e2e_done
