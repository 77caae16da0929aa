#!/bin/sh
# UTF-8 display names and wide characters: shown as they are, measured as
# two columns, so panes and separators stay aligned; wrapped lines never
# split a character.
. "$(dirname "$0")/lib.inc"

e2e_start 120 40 --rules data/rules.conf tests/data/ui-utf8.raw.sip
check "opens" e2e_wait "1/1 msgs"
check "display name with CJK and Polish letters" \
	e2e_wait 'From: "山田太郎 Żaneta" <sip:taro@example.jp>'
check "body in Japanese" e2e_wait "日本語の本文"
# The detail/flow separator is at column 60 on every line.
sep_col() { printf '%s\n' "$1" | sed 's/│.*//' | LC_ALL=C.UTF-8 wc -L; }
aligned() {
	e2e_screen | grep -qF "$1" || return 1
	e2e_screen | grep -F "$1" | while IFS= read -r l; do
		[ "$(sep_col "$l")" -eq 59 ] || exit 1
	done
}
check "separator aligned on the From line" aligned "山田太郎"
check "separator aligned on wrapped Subject lines" aligned "折り返し"
check "separator aligned on the body line" aligned "日本語の本文"
# A search in small letters finds the capital Ż too (only ASCII letters
# matched in either case: /żaneta found nothing).
e2e_keys /
e2e_keys -l "żaneta"
e2e_keys Enter
check "/żaneta finds Żaneta" e2e_wait "search: żaneta  match 1 of 1"
e2e_done
