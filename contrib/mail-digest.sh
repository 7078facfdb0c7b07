#!/bin/sh
# Mail today's digest as one message with a plain-text and an HTML part, through sendmail.
#   contrib/mail-digest.sh OUTPUT_DIR RECIPIENT [DATE]
# Reads OUTPUT_DIR/DATE.txt and OUTPUT_DIR/DATE.email.html (CSS already inlined by digest).
# Does nothing when there is no digest for the day (digest build --skip-empty wrote none).
set -eu
out=$1
to=$2
day=${3:-$(date +%F)}
sendmail=${SENDMAIL:-/usr/sbin/sendmail}
text="$out/$day.txt"
html="$out/$day.email.html"
markdown="$out/$day.md"
[ -f "$text" ] && [ -f "$html" ] || exit 0
# The subject is the digest's title (the Markdown's first line), encoded for any language.
title=$( { [ -f "$markdown" ] && head -n 1 "$markdown" | sed 's/^# //; s/\\//g'; } || true)
subject=$(printf '%s \342\200\224 %s' "${title:-Digest}" "$day" | base64 | tr -d '\n')
boundary="digest-$day-$$"
{
  printf 'To: %s\n' "$to"
  printf 'Subject: =?UTF-8?B?%s?=\n' "$subject"
  printf 'MIME-Version: 1.0\n'
  printf 'Content-Type: multipart/alternative; boundary="%s"\n\n' "$boundary"
  printf -- '--%s\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n' "$boundary"
  cat "$text"
  printf -- '\n--%s\nContent-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n' "$boundary"
  cat "$html"
  printf -- '\n--%s--\n' "$boundary"
} | "$sendmail" -t
