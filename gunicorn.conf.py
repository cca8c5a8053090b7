"""gunicorn settings for Fast Track LMS; gunicorn reads this file from the working directory.

Command-line flags win over these (`gunicorn --workers 4 wsgi:app`).
"""

import os

bind = os.environ.get("LMS_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
# Threads let one process wait on the database while another request runs; requests are short.
# 4 processes × 2 threads with one connection per thread: the registration rush's PostgreSQL p95
# was 354 ms with 3 × 8 and no cap, 255 ms with this (full runs, docs/benchmarks.md, round 27).
# nginx buffers uploads and answers, so a slow phone does not hold a thread.
# gthread with an admission limit: a request that waited longer than LMS_QUEUE_LIMIT_SECONDS (5)
# for a thread is answered 503 + Retry-After at once instead of queueing until the client gives up.
# The worker holds one open connection per thread (LMS_WORKER_CONNECTIONS): a burst waits in the
# kernel's queue below and splits evenly between the workers (lms/admission.py).
worker_class = "lms.admission.QueueLimitWorker"
threads = int(os.environ.get("LMS_THREADS", "2"))
# Under a burst, connections wait in the kernel's queue instead of being refused.
backlog = 2048
# Only with LMS_WORKER_CONNECTIONS above the threads: with one connection per thread there is no
# slot for an idle one, and gunicorn closes each connection after its response (nginx speaks
# HTTP/1.0 to the app anyway). A longer idle time means a client that pauses is not cut off.
keepalive = 10
timeout = 60
graceful_timeout = 30


def post_worker_init(worker):
    """Set the interval after which a thread waiting for the GIL makes the running one hand it over."""
    import sys

    interval = os.environ.get("LMS_GIL_SWITCH_INTERVAL")
    if interval:
        sys.setswitchinterval(float(interval))
