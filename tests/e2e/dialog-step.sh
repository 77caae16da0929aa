#!/bin/sh
# Filter user:izabelaf, Enter on the first message (its dialog), then step
# with ] through the six messages of the remote NTLM registration,
# checking the detail and the highlighted flow arrow each time.
. "$(dirname "$0")/lib.inc"

e2e_start 120 40 --rules data/rules.conf tests/data/remote-ntlm.cls.log
check "opens the remote NTLM log" e2e_wait "6/6 msgs"

e2e_keys f
check "f opens the filter prompt" e2e_wait_re "^filter:"
e2e_keys -l "user:izabelaf"
e2e_keys Enter
check "filter user:izabelaf applied" e2e_wait "filter: user:izabelaf"
e2e_keys g Enter
check "Enter filters to the dialog" e2e_wait_re "filter: callid:[0-9a-f]+"

# The arrow of the selected message carries a mark and its time; the
# label is on the line above it.
arrow_is() {
	e2e_wait "▶$1" || return 1
	e2e_screen | grep -F -B1 "▶$1" | head -1 | grep -qF -- "$2" && return 0
	E2E_LAST="$(e2e_screen)"
	return 1
}

step() {
	n=$1 time=$2 label=$3
	shift 3
	check "step $n: list at $n/6" e2e_wait " $n/6"
	for want in "$@"; do
		check "step $n: detail shows '$want'" e2e_wait "$want"
	done
	check "step $n: arrow '$label' highlighted" arrow_is "$time" "$label"
}

step 1 08:01:12.415 "REGISTER" "REGISTER sip:uclab.org SIP/2.0" "CSeq: 1 REGISTER"
e2e_keys ']'
step 2 08:01:12.448 "401 Unauthorized" "SIP/2.0 401 Unauthorized" \
	"BENIGN (auth-handshake-opened)" \
	"WWW-Authenticate: NTLM, realm \"SIP Communications" \
	"tests/data/remote-ntlm.cls.log:25"
# Headers further down: focus the detail, maximise it, and back.
e2e_keys Tab z
check "detail maximised shows ms-user-logon-data" \
	e2e_wait "ms-user-logon-data: RemoteUser"
e2e_keys z Tab Tab
e2e_keys ']'
step 3 08:01:12.503 "REGISTER [NTLM]" "CSeq: 2 REGISTER" "Proxy-Authorization: NTLM, empty token"
e2e_keys ']'
# Labels wider than their arrow are cut at its span with a '~'.
step 4 08:01:12.539 "401 Unauthorized [NTLM CHALL" \
	"BENIGN (auth-handshake-ntlm-challenge)" \
	"WWW-Authenticate: NTLM CHALLENGE, target UCLAB"
e2e_keys ']'
step 5 08:01:12.597 "REGISTER [NTLM AUTHEN" "CSeq: 3 REGISTER" \
	"NTLM AUTHENTICATE"
e2e_keys ']'
step 6 08:01:12.661 "200 OK" "SIP/2.0 200 OK" "OK (success)" \
	"Authentication-Info: NTLM" "tests/data/remote-ntlm.cls.log:113"
e2e_keys ']'
check "] at the end says so" e2e_wait "last message of this dialog"
e2e_keys '['
check "[ steps back" e2e_wait " 5/6"

e2e_keys Escape
check "Esc goes back to the previous filter" e2e_wait "filter: user:izabelaf"
e2e_keys Escape
check "Esc again shows everything" e2e_wait_gone "filter: "

# A server's event of no dialog (the TLS handshake, the sample's 7th
# message) has no dialog to step through: ] and [ say so, as Enter does,
# instead of calling it the last or first message of its dialog.
e2e_start 120 40 --rules data/rules.conf data/sample.cls.log
check "opens the sample" e2e_wait "40/40 msgs"
e2e_keys j j j j j j
check "the TLS event selected" e2e_wait_re "Messages +7/40"
e2e_keys ']'
check "] on it: no dialog" e2e_wait "this message has no Call-ID: it is in no dialog"
check "not its last message" e2e_wait_gone "last message of this dialog"
e2e_keys '['
check "[ on it: no dialog" e2e_wait "this message has no Call-ID: it is in no dialog"
check "still on it" e2e_wait_re "Messages +7/40"
# c on it says the same as ] and [ (it said "no Call-ID here").
e2e_keys c
check "c on it: no Call-ID to filter by" \
	e2e_wait "this message has no Call-ID: no filter by it"
e2e_done
