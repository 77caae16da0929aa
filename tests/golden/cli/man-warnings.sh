#!/bin/sh
# sipsnoop(1) renders without troff warnings: a line that began with "..."
# was taken for a macro and its text dropped from the page.
set -u
command -v groff >/dev/null 2>&1 || { echo "(groff not installed: not tested)"; exit 0; }
warn=$(groff -man -ww -z man/sipsnoop.1 2>&1)
[ -z "$warn" ] || { echo "$warn"; exit 1; }
echo "man-warnings: ok"
