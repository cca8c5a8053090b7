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


def busy_response(method: str, seconds: int) -> tuple[str, list[tuple[str, str]], bytes]:
    """Return the 503 status, headers and body; a page fetched with GET reloads itself after the wait."""
    refresh = f'<meta http-equiv="refresh" content="{seconds}">' if method in ("GET", "HEAD") else ""
    body = BUSY_PAGE.format(refresh=refresh, seconds=seconds).encode()
    headers = [("Content-Type", "text/html; charset=utf-8"), ("Retry-After", str(seconds)),
               ("Cache-Control", "no-store"), ("Content-Length", str(len(body)))]
    return "503 Service Unavailable", headers, body


def shed_late_requests(app, waited, limit: float):
    """Wrap a WSGI app: answer 503 when `waited()` (seconds in the queue) is over `limit`, else call the app."""

    def admission(environ, start_response):
        if waited() > limit:
            seconds = random.randint(*RETRY_AFTER_SECONDS)  # noqa: S311 - jitter, not a secret
            status, headers, body = busy_response(environ.get("REQUEST_METHOD", "GET"), seconds)
            start_response(status, headers)
            return [body]
        return app(environ, start_response)

    return admission


class QueueLimitWorker(ThreadWorker):
    """gthread, refusing with 503 + Retry-After a request that waited too long for a thread."""

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
