#!/bin/sh
# A client that answers a challenge with a new REGISTER on a new Call-ID
# (a 407 answered on two-realms-2, whose 401 is answered on two-realms-3):
# ] steps through the whole registration, from one dialog into the next,
# naming the Call-ID it goes on in, and [ comes back the same way. It said
# "last message of this dialog" at the first 407, as if it ended there.
. "$(dirname "$0")/lib.inc"

e2e_start 120 30 --rules data/rules.conf \
	tests/data/auth/new-call-id-two-realms.sngrep.txt
check "opens" e2e_wait "6/6 msgs"
e2e_keys ']'
check "] to the 407" e2e_wait_re "Messages +2/6"
e2e_keys ']'
check "] past it: on to the retry's dialog" e2e_wait_re "Messages +3/6"
check "the status line names its Call-ID" \
	e2e_wait "on to Call-ID two-realms-2@10.1.1.21: the client went on after the 407 in a new dialog"
check "its flow is the retry's" e2e_wait "401 Unauthorized [Digest]"
e2e_keys ']'
check "] to its 401" e2e_wait_re "Messages +4/6"
e2e_keys ']'
check "] on to the third dialog" e2e_wait_re "Messages +5/6"
check "named too" e2e_wait "on to Call-ID two-realms-3@10.1.1.21: the client went on after the 401"
e2e_keys ']'
check "] to the 200 OK" e2e_wait_re "Messages +6/6"
e2e_keys ']'
check "] at the end of the registration" e2e_wait "last message of this dialog"
e2e_keys '['
check "[ back" e2e_wait_re "Messages +5/6"
e2e_keys '['
check "[ from the retry's first: back to the 401 it answers" \
	e2e_wait_re "Messages +4/6"
check "the status line says so" \
	e2e_wait "back to the 401 of Call-ID two-realms-2@10.1.1.21, which this dialog's first request answers"

# Its dialog alone (Enter): where the registration goes on is hidden,
# and the status line says so instead of calling it the end.
e2e_keys Enter
check "Enter: the dialog alone" e2e_wait "filter: callid:two-realms-2@10.1.1.21"
e2e_keys ']'
check "] at its end: the retry hidden" \
	e2e_wait "last of this dialog; the client went on after the 401 in Call-ID two-realms-3@10.1.1.21 (hidden; x: all messages)"
check "still on it" e2e_wait_re "Messages +2/2"
e2e_keys '[' '['
check "[ at its start: what it answers, hidden" \
	e2e_wait "first of this dialog; it answers the 407 of Call-ID two-realms-1@10.1.1.21 (hidden; x: all messages)"

# A Skype for Business client's retry on a new Call-ID (Kerberos in
# Proxy-Authorization, as it answers a 401), in a server's log where an
# event of the first dialog follows its 401: ] goes on past the event.
e2e_start 120 30 --rules data/rules.conf tests/data/reg-new-call-id.cls.log
check "opens the server's log" e2e_wait "5/5 msgs"
e2e_keys ']' ']'
check "] ] to the server's event after the 401" e2e_wait_re "Messages +3/5"
e2e_keys ']'
check "] on to the retry" e2e_wait_re "Messages +4/5"
check "named" e2e_wait "on to Call-ID b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2: the client went on after the 401"

# A registration in one dialog ends where it did.
e2e_start 120 30 --rules data/rules.conf tests/data/auth/digest-stale.sngrep.txt
check "opens the stale-nonce log" e2e_wait "8/8 msgs"
e2e_keys G ']'
check "its last message says so" e2e_wait "last message of this dialog"
e2e_done
