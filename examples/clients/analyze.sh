#!/bin/sh
# A client of `beritanlp serve` in plain POSIX sh + curl (no Python, Node or jq).
#
#   sh examples/clients/analyze.sh [BASE_URL] [ITEMS.ndjson]
#
# 1. waits for GET /readyz (up to $WAIT_SECONDS, default 60);
# 2. POSTs one article to /v1/analyze and prints the article JSON on one line;
# 3. if ITEMS.ndjson is given, streams it to /v1/analyze/batch as NDJSON and prints the
#    result lines as they arrive (one line per non-blank input line, in input order).
#
# stdout carries only the server's JSON (one line per result), progress goes to stderr.
# An HTTP error status makes the script exit non-zero after printing the error body
# {"error_type", "message", "request_id"}.
set -eu

BASE_URL=${1:-http://127.0.0.1:8000}
BASE_URL=${BASE_URL%/}
ITEMS=${2:-}
WAIT_SECONDS=${WAIT_SECONDS:-60}

say() { printf 'analyze.sh: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

# --fail-with-body (curl >= 7.76): on a status >= 400, print the error body and exit 22
version=$(curl --version | sed -n '1s/^curl \([0-9][0-9]*\)\.\([0-9][0-9]*\).*/\1 \2/p')
[ -n "$version" ] || die "cannot read the curl version"
set -- $version
if [ "$1" -lt 7 ] || { [ "$1" -eq 7 ] && [ "$2" -lt 76 ]; }; then
    die "curl $1.$2 is too old: --fail-with-body needs curl >= 7.76"
fi

if [ -n "$ITEMS" ] && [ ! -r "$ITEMS" ]; then
    die "cannot read $ITEMS"
fi

# post PATH CURL-ARGS...: one request; on an HTTP error the body is printed and we stop
post() {
    path=$1
    shift
    if ! curl --silent --show-error --fail-with-body "$@" "$BASE_URL$path"; then
        echo
        die "POST $path failed (see the error body above)"
    fi
}

# 1. wait until the pipeline is loaded: 000 (no connection yet) and 503 (loading) are retried
waited=0
while :; do
    status=$(curl --silent --output /dev/null --max-time 5 --write-out '%{http_code}' \
        "$BASE_URL/readyz") || true
    case $status in
        200) break ;;
        000 | 503) ;;
        *) die "GET $BASE_URL/readyz answered $status: is this a beritanlp server?" ;;
    esac
    [ "$waited" -lt "$WAIT_SECONDS" ] || die "$BASE_URL not ready after $WAIT_SECONDS s"
    sleep 1
    waited=$((waited + 1))
done
say "ready: $BASE_URL"

# 2. one article (an invented example)
say "POST /v1/analyze"
post /v1/analyze \
    --header 'Content-Type: application/json' \
    --data-binary '{"text": "Yogyakarta - Pemerintah Kota Yogyakarta membuka pasar malam baru di Jalan Malioboro pada Sabtu (1/6/2024). Wali Kota Andi Pratama mengatakan pasar itu buka setiap akhir pekan."}'
echo  # the JSON response has no final newline

# 3. NDJSON in, NDJSON out, printed as the lines arrive
if [ -n "$ITEMS" ]; then
    say "POST /v1/analyze/batch (NDJSON from $ITEMS)"
    post /v1/analyze/batch \
        --header 'Content-Type: application/x-ndjson' \
        --data-binary "@$ITEMS" \
        --no-buffer
fi
