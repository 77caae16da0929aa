#!/bin/sh
# A filter typed at f that holds a word written like a field that is none
# (stauts:401): the status line names it, as --list does on standard
# error; it said only "0 messages match", and nothing when the word was in
# some messages' text (ip:172.31.255.247 finds 4 through Via and Contact).
. "$(dirname "$0")/lib.inc"

e2e_start 100 30 --rules data/rules.conf data/sample.cls.log
check "opens sample" e2e_wait "40/40 msgs"
e2e_keys f
e2e_keys -l "stauts:401"
e2e_keys Enter
check "the misspelt field is named" \
	e2e_wait "no message matches: stauts is no field name, stauts:401 was read as free text"
check "nothing shown" e2e_wait "0/40 msgs"
# Two misspelt: both named, each once.
e2e_keys f C-u
e2e_keys -l "mehtod:BYE or stauts:401"
e2e_keys Enter
check "both misspelt fields are named" \
	e2e_wait "no message matches: mehtod and stauts are no field names, mehtod:BYE and stauts:401 were read"
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

# Matching some messages, the hint is given too, and again on Esc back.
e2e_keys f C-u
e2e_keys -l "ip:172.31.255.247"
e2e_keys Enter
check "the misspelt field is named though some match" \
	e2e_wait "4 messages match, but ip is no field name: ip:172.31.255.247 was read as free text"
e2e_keys f C-u
e2e_keys -l "status:401"
e2e_keys Enter
check "then a right filter" e2e_wait "4 messages match  (Esc: back)"
e2e_keys Escape
check "Esc back names it again" \
	e2e_wait "4 messages match, but ip is no field name: ip:172.31.255.247 was read as free text  (Esc: back)"

# Given with -f: the empty list says it.
e2e_start 100 30 --rules data/rules.conf -f stauts:401 data/sample.cls.log
check "opens on nothing" e2e_wait "0/40 msgs"
check "the list names the misspelt field" \
	e2e_wait "stauts is no field name: stauts:401 was read as free text"

# Given with -f, matching some: the status line names it.
e2e_start 100 30 --rules data/rules.conf -f ip:172.31.255.247 data/sample.cls.log
check "opens on the 4" e2e_wait "4/40 msgs"
check "the status line names the misspelt field" \
	e2e_wait "-f: ip is no field name: ip:172.31.255.247 was read as free text"
e2e_done
