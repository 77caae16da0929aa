#!/bin/sh
# Resizes: 120x40 -> 60x20 -> 20x6 (too small) -> back; the screen adapts
# each time and nothing is left of the previous size.
. "$(dirname "$0")/lib.inc"

e2e_start 120 40 --rules data/rules.conf tests/data/remote-ntlm.cls.log
check "opens at 120x40" e2e_wait "6/6 msgs"
t resize-window -t e2e -x 60 -y 20
check "adapts to 60x20" e2e_wait_re "^ Messages +1/6 *$"
check "60x20 stacks detail and flow" e2e_wait "Flow"
widest=$(e2e_screen | LC_ALL=C.UTF-8 wc -L)
check "no line wider than 60 columns" [ "$widest" -le 60 ]
t resize-window -t e2e -x 20 -y 6
check "20x6 says the terminal is too small" e2e_wait "Terminal too small"
t resize-window -t e2e -x 12 -y 3
check "12x3 still says so" e2e_wait "too small"
e2e_keys j j
t resize-window -t e2e -x 120 -y 40
check "back to 120x40" e2e_wait_re "Messages +3/6"
check "too-small note is gone" e2e_wait_gone "too small"

# A resize storm, with keys in between: still alive and drawn right.
for size in 30x8 200x60 81x24 15x4 133x41 80x24 41x10 39x9 100x30 \
	62x21 20x6 240x70 90x25 45x12 120x40; do
	t resize-window -t e2e -x "${size%x*}" -y "${size#*x}"
	e2e_keys j
done
e2e_keys g
check "alive after a resize storm" e2e_wait_re "Messages +1/6"
check "still drawn at 120x40" e2e_wait_re "^ Detail .*│ Flow"
# L cycles the layouts; one the terminal is too narrow for says what is
# used instead.
t resize-window -t e2e -x 100 -y 30
check "at 100x30" e2e_wait_re "^ Messages +[0-9]+/6"
e2e_keys L
check "L: stack" e2e_wait "layout: stack"
e2e_keys L
check "L: wide is too narrow at 100 columns" e2e_wait "layout: wide (too narrow here: split)"
e2e_done
