"""Admission limit for gunicorn: a request that waited too long in a worker's queue gets 503 + Retry-After.

gunicorn's gthread worker accepts every connection it can (up to `worker_connections`)
and queues the requests for its threads without bound. Under overload the queue grows
until clients give up: at 600 concurrent clients, requests waited 20-30 s inside
gunicorn while each took 0.2 s to serve, and clients with a 30 s timeout dropped their
connection (the bench counted them as failures; nginx's `proxy_read_timeout` of 60 s
would answer 504 the same way).

`QueueLimitWorker` is gthread with one change: it notes when each request joins the
queue, and a request that waited longer than `LMS_QUEUE_LIMIT_SECONDS` (default 5) is
answered at once with 503 and a `Retry-After` of a few seconds (with jitter, so the
refused clients do not come back together), before the app runs: nothing is read from
or written to the database, so sending the same request again is always safe. Shedding
the late requests empties the queue quickly (each refusal takes microseconds), so the
ones behind them are served in time again. The quiz page's autosave and the queued
offline submit wait Retry-After and send again with the same sequence number or
idempotency key (lms/static/quiz.js).

It also holds at most one open connection per thread (`LMS_WORKER_CONNECTIONS`, default
"threads"). Under a burst the other connections then wait in the kernel's listen queue
for whichever worker frees a thread first, so the burst splits evenly between the
workers. Without the cap, the worker that wins the accept race takes many connections
in a row and serves them on one core while the other core runs dry
(docs/architecture.md, "The closing rush", round 27). With no slot left for an idle
connection, gunicorn closes each one after its response, as nginx's HTTP/1.0 requests
to the app do anyway.

A request waiting in the listen queue is invisible to the worker, so behind nginx the
wait counts from the moment nginx received the request (`X-Request-Start: t=${msec}`,
docs/deploy.md).
"""

from __future__ import annotations

import math
import os
import random
import threading
import time

from gunicorn.workers.gthread import ThreadWorker

DEFAULT_LIMIT_SECONDS = 5.0
# Retry-After is drawn from this range (seconds): spread out, so refused clients do not return together.
RETRY_AFTER_SECONDS = (2, 8)
# A proxy's stamp older than this is not a wait but another clock (or a made-up header).
MAX_PROXY_WAIT_SECONDS = 3600.0
BUSY_PAGE = (
    '<!doctype html><html lang="id"><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width, initial-scale=1">{refresh}'
    "<title>Server sedang sibuk</title>"
    "<h1>Server sedang sibuk</h1><p>Banyak peserta sedang mengakses. Coba lagi dalam {seconds} detik; "
    "jawaban yang sudah tersimpan tetap aman.</p>"
    '<p lang="en">The server is busy. Please try again in {seconds} seconds; saved answers are safe.</p></html>'
)


def queue_limit_seconds(environ: dict | None = None) -> float:
    """Return the longest a request may wait in a worker's queue before it is refused."""
    environ = os.environ if environ is None else environ
    return float(environ.get("LMS_QUEUE_LIMIT_SECONDS", DEFAULT_LIMIT_SECONDS))


def connection_cap(threads: int, configured: int, environ: dict | None = None) -> int:
    """Return how many connections a worker holds open: its threads, "gunicorn"'s own setting, or a number."""
    value = (os.environ if environ is None else environ).get("LMS_WORKER_CONNECTIONS", "threads").strip()
    if value == "threads":
        return threads
    if value == "gunicorn":
        return configured
    if not value.isdigit() or int(value) < 1:
        raise ValueError(f'LMS_WORKER_CONNECTIONS must be "threads", "gunicorn" or a whole number ≥ 1, not {value!r}')
    return int(value)


def busy_response(method: str, seconds: int) -> tuple[str, list[tuple[str, str]], bytes]:
    """Return the 503 status, headers and body; a page fetched with GET reloads itself after the wait."""
    refresh = f'<meta http-equiv="refresh" content="{seconds}">' if method in ("GET", "HEAD") else ""
    body = BUSY_PAGE.format(refresh=refresh, seconds=seconds).encode()
    headers = [("Content-Type", "text/html; charset=utf-8"), ("Retry-After", str(seconds)),
               ("Cache-Control", "no-store"), ("Content-Length", str(len(body)))]
    return "503 Service Unavailable", headers, body


def proxy_wait_seconds(environ: dict, now: float | None = None) -> float:
    """Seconds since the proxy received this request, from nginx's `X-Request-Start: t=<epoch seconds>`; else 0.

    A stamp in the future or over an hour old (another clock, a forged header) counts as none:
    a forged stamp can only get its own request refused, never another's.
    """
    value = environ.get("HTTP_X_REQUEST_START", "").strip().removeprefix("t=")
    try:
        started = float(value)
    except ValueError:
        return 0.0
    elapsed = (time.time() if now is None else now) - started
    return elapsed if 0.0 <= elapsed <= MAX_PROXY_WAIT_SECONDS else 0.0


def shed_late_requests(app, waited, limit: float):
    """Wrap a WSGI app: answer 503 when the request waited (in this worker or before it) over `limit`."""

    def admission(environ, start_response):
        if max(waited(), proxy_wait_seconds(environ)) > limit:
            seconds = random.randint(*RETRY_AFTER_SECONDS)  # noqa: S311 - jitter, not a secret
            status, headers, body = busy_response(environ.get("REQUEST_METHOD", "GET"), seconds)
            start_response(status, headers)
            return [body]
        return app(environ, start_response)

    return admission


class QueueLimitWorker(ThreadWorker):
    """gthread, refusing with 503 + Retry-After a request that waited too long, and one connection per thread."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.worker_connections = connection_cap(self.cfg.threads, self.cfg.worker_connections)
        self.max_keepalived = self.worker_connections - self.cfg.threads  # 0 or less: every response closes

    def init_process(self):
        self.queue_limit = queue_limit_seconds()
        self._waits = threading.local()
        super().init_process()

    def load_wsgi(self):
        super().load_wsgi()
        if math.isfinite(self.queue_limit):
            self.wsgi = shed_late_requests(self.wsgi, self.waited, self.queue_limit)

    def waited(self) -> float:
        """Seconds the request this thread is serving spent in the queue."""
        return getattr(self._waits, "seconds", 0.0)

    def enqueue_req(self, conn):
        conn.queued_at = time.monotonic()
        super().enqueue_req(conn)

    def handle(self, conn):
        self._waits.seconds = time.monotonic() - getattr(conn, "queued_at", time.monotonic())
        return super().handle(conn)
