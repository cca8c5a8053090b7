#!/bin/sh
# `make run`: the web server and one queue worker; Ctrl+C (or TERM) stops both.
# The worker runs background jobs and the periodic tasks (lms/queue); see README.
set -u
FLASK="${FLASK:-.venv/bin/flask --app wsgi}"

$FLASK lms worker &
worker=$!
stop_worker() {
  trap - EXIT INT TERM
  # TERM stops at once; a job it was running is resumed by the next worker (docs/architecture.md).
  kill -TERM "$worker" 2>/dev/null
  wait "$worker" 2>/dev/null
}
trap stop_worker EXIT
trap 'stop_worker; exit 130' INT TERM

$FLASK run --host 127.0.0.1 --port "${PORT:-5000}"
