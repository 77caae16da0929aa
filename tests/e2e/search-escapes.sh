#!/bin/sh
# The search finds what the viewer shows: a control byte shown as \e,
# \xHH or \uHHHH is found by typing that form, as in a filter's quoted
# phrase. It looked for those characters themselves: /\e[31 said
# "0 matches" while the detail highlighted the \e[31 it showed.
. "$(dirname "$0")/lib.inc"

e2e_start 120 40 --rules data/rules.conf tests/data/hostile/escapes.cls.log
check "opens the hostile log" e2e_wait "24/24 msgs"
e2e_keys / '\e[31' Enter
check "an escape sequence as shown is found" \
	e2e_wait "search: \\e[31  match 1 of 17"
e2e_keys n
check "n goes to the next" e2e_wait "search: \\e[31  match 2 of 17"
e2e_keys / 'nul-\x00x' Enter
check "a NUL as shown is found" e2e_wait "search: nul-\\x00x  match 1 of 3"
check "in the Call-ID that holds it" e2e_wait_re "^┃.* nul-\\\\x00x~ mallory"
e2e_keys / '\u202egpj'
check "a bidi override as shown, while typing" \
	e2e_wait "search: \\u202egpj  match"
# Typed a character further, what it stands for may be no longer text:
# \x4 is those characters (in no message), \x41 an A (in all of them).
e2e_keys C-u '\x4'
check "\\x4 is no match" e2e_wait "no match"
e2e_keys 1
check "\\x41 finds an A, looked for again from the start" \
	e2e_wait_re "search: \\\\x41  match [0-9]+ of 24"
e2e_keys Enter q
check "quits" e2e_wait "exit=0"
e2e_done
