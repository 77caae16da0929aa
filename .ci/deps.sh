#!/bin/sh
# Makes sure the packages that building and testing sipsnoop need are here.
# On Debian/Ubuntu it installs what is missing with apt-get (as root, or
# through sudo); elsewhere it prints what to install and fails.
# Usage: deps.sh build   (compiler, autoconf, ncursesw, PCRE2, zlib)
#        deps.sh check   (also Check, tmux, xmllint for the tests)
set -u
what=${1:-build}

pkgs=""
need_cmd() { command -v "$1" >/dev/null 2>&1 || pkgs="$pkgs $2"; }
need_pc() { pkg-config --exists "$1" 2>/dev/null || pkgs="$pkgs $2"; }

need_cmd cc gcc
need_cmd make make
need_cmd autoreconf autoconf
need_cmd pkg-config pkg-config
[ -f /usr/share/aclocal/pkg.m4 ] || command -v pkg-config >/dev/null 2>&1 || pkgs="$pkgs pkg-config"
need_pc ncursesw libncurses-dev
need_pc libpcre2-8 libpcre2-dev
need_pc zlib zlib1g-dev
if [ "$what" = check ]; then
	need_pc check check
	need_cmd tmux tmux
	need_cmd xmllint libxml2-utils
fi
# pkg-config itself missing makes every need_pc fail: ask once per package.
pkgs=$(printf '%s\n' $pkgs | sort -u | tr '\n' ' ')
[ -z "${pkgs# }" ] && exit 0

if command -v apt-get >/dev/null 2>&1; then
	if [ "$(id -u)" = 0 ]; then
		sudo=""
	elif command -v sudo >/dev/null 2>&1; then
		sudo="sudo"
	else
		echo "sipsnoop: missing packages:$pkgs" >&2
		echo "sipsnoop: run as root: apt-get install -y$pkgs" >&2
		exit 1
	fi
	echo "sipsnoop: installing:$pkgs" >&2
	export DEBIAN_FRONTEND=noninteractive
	$sudo apt-get install -y -qq $pkgs >/dev/null 2>&1 ||
		{ $sudo apt-get update -qq && $sudo apt-get install -y -qq $pkgs; } || {
		echo "sipsnoop: could not install:$pkgs" >&2
		exit 1
	}
	exit 0
fi
echo "sipsnoop: missing (Debian package names):$pkgs" >&2
echo "sipsnoop: install them with your system's package manager, then run make again" >&2
exit 1
