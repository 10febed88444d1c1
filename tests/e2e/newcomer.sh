#!/usr/bin/env bash
# The newcomer's five minutes, end to end (test_demo.py is the short form that `make test` runs):
# from a clean clone of this checkout, the README's run command, `make run`, installs what is
# missing, builds, and ends with the demo reachable; the curl example it prints works as printed;
# Ctrl-C stops everything cleanly.
#
# Usage: tests/e2e/newcomer.sh   (free ports are used, so a running demo does not disturb it)
set -euo pipefail
repo=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git clone -q "$repo" "$work/hearth"
cd "$work/hearth"
started=$(date +%s)
setsid make run RUN_ARGS="--http-port 0 --mqtt-tcp-port 0 --mqtt-ws-port -1 --mqtt-tls-port -1" \
  >"$work/out.txt" 2>"$work/err.txt" &
make_pid=$!
until grep -q "Press Ctrl-C" "$work/out.txt"; do
  if ! kill -0 "$make_pid" 2>/dev/null; then
    cat "$work/out.txt" "$work/err.txt" >&2
    echo "newcomer: make run ended before the demo was up" >&2
    exit 1
  fi
  sleep 1
done
echo "newcomer: demo up $(( $(date +%s) - started )) s after make run"
example=$(sed -n '/^Try it/,/^Press/p' "$work/out.txt" | sed -n '2,4p')
echo "$example"
result=$(bash -c "$example")
echo "$result"
grep -q '"properties":' <<<"$result"
grep -q '"result":\[{"siid":2,"piid":1,"code":0},{"siid":2,"piid":2,"code":0}\]' <<<"$result"
kill -INT -- -"$make_pid"
wait "$make_pid" || true
grep -q "Hearth stopped" "$work/out.txt"
echo "newcomer: ok"
