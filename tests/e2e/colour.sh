#!/bin/sh
# Colours come from the theme: 256 colours on xterm-256color, 8 on xterm,
# none with NO_COLOR (bold/reverse/underline only); TERM=dumb is refused
# with a clear message.
. "$(dirname "$0")/lib.inc"

esc=$(printf '\033')
has() { e2e_screen_attrs | grep -q -- "$1"; }

e2e_start 120 40 --rules data/rules.conf tests/data/reg-rejected.cls.log
check "opens in 256 colours" e2e_wait "4/4 msgs"
check "256-colour sequences are used" has "${esc}\[[0-9;]*38;5;"

E2E_TERM=xterm
e2e_start 120 40 --rules data/rules.conf tests/data/reg-rejected.cls.log
check "opens in 8 colours" e2e_wait "4/4 msgs"
check "8-colour sequences are used" has "${esc}\[[0-9;]*3[0-7]m"
check "no 256-colour sequence" sh -c "! tmux -L $E2E_SOCK capture-pane -p -e -t e2e | grep -q '38;5;'"

E2E_TERM=xterm-256color
E2E_ENV="NO_COLOR=1"
e2e_start 120 40 --rules data/rules.conf tests/data/reg-rejected.cls.log
check "opens with NO_COLOR" e2e_wait "4/4 msgs"
check "NO_COLOR: no colour at all" sh -c "! tmux -L $E2E_SOCK capture-pane -p -e -t e2e | grep -qE '\[([0-9;]*;)?(3[0-8]|4[0-8])[;m]'"
check "NO_COLOR: selection in reverse video" has "${esc}\[[0-9;]*7m"
check "NO_COLOR: severity letters carry the verdict" e2e_wait_re "^.E .*403 Forbidden"

E2E_ENV=
E2E_TERM=dumb
e2e_start 120 40 --rules data/rules.conf tests/data/reg-rejected.cls.log
check "TERM=dumb is refused clearly" e2e_wait "cannot move the cursor"
check "TERM=dumb exits 1" e2e_wait "exit=1"
e2e_done
