#!/bin/bash
# check-man.sh PROGRAM MANPAGE VERSION
#
# The manual page and --help cannot drift apart: every long option that
# PROGRAM --help prints must appear in MANPAGE and every long option of
# MANPAGE must be one --help prints.  Then man -l must render the page
# without a warning of any class (groff -ww).  Without man(1) the rendering
# is skipped (exit 77, which ctest reports as skipped): CI installs man-db,
# the README's set-up command does not.
#
# Also PROGRAM --version must print "<name> VERSION", the version of
# project() that the man page and spow_config.h carry.  (The programs still
# write it by hand until they take it from the build: issue 11.)
set -euo pipefail
prog=$1
page=$2
version=$3

name=$(basename "$prog")
printed=$("$prog" --version)
if [ "$printed" != "$name $version" ]; then
  echo "FAIL: $prog --version prints '$printed', the project is $version" >&2
  exit 1
fi

options_of() { grep -oE -- '--[a-z][a-z0-9-]*' | sort -u; }

help_opts=$("$prog" --help | options_of)
# In roff a hyphen is written \- ; undo that before looking.
page_opts=$(sed 's/\\-/-/g' "$page" | options_of)
if [ -z "$help_opts" ]; then
  echo "FAIL: $prog --help printed no long option" >&2
  exit 1
fi

rc=0
missing=$(comm -23 <(echo "$help_opts") <(echo "$page_opts"))
extra=$(comm -13 <(echo "$help_opts") <(echo "$page_opts"))
if [ -n "$missing" ]; then
  echo "FAIL: options of $prog --help missing from $page:" $missing >&2
  rc=1
fi
if [ -n "$extra" ]; then
  echo "FAIL: options in $page that $prog --help does not print:" $extra >&2
  rc=1
fi
[ $rc -eq 0 ] || exit $rc
echo "$page: all $(echo "$help_opts" | wc -l) long options of --help"

if ! command -v man > /dev/null; then
  echo "man(1) not installed: rendering not checked" >&2
  exit 77
fi
warnings=$(MANWIDTH=80 man --warnings=w -l "$page" 2>&1 > /dev/null)
if [ -n "$warnings" ]; then
  echo "FAIL: man -l $page warns:" >&2
  echo "$warnings" >&2
  exit 1
fi
lines=$(MANWIDTH=80 man -l "$page" 2> /dev/null | wc -l)
if ! MANWIDTH=80 man -l "$page" 2> /dev/null | grep -q "^NAME"; then
  echo "FAIL: man -l $page rendered no NAME section" >&2
  exit 1
fi
echo "man -l $page: $lines lines, no warnings"
