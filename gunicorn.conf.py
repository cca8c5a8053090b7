"""gunicorn settings for Fast Track LMS; gunicorn reads this file from the working directory.

Command-line flags win over these (`gunicorn --workers 4 wsgi:app`).
"""

import os

bind = os.environ.get("LMS_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
# Threads let one process wait on the database for several requests at once; requests are short.
# gthread with an admission limit: a request that waited longer than LMS_QUEUE_LIMIT_SECONDS (5)
# for a thread is answered 503 + Retry-After at once instead of queueing until the client gives up.
worker_class = "lms.admission.QueueLimitWorker"
threads = int(os.environ.get("LMS_THREADS", "8"))
# Under a burst, connections wait in the kernel's queue instead of being refused.
backlog = 2048
# nginx speaks HTTP/1.0 to the app by default, so keep-alive matters only without it; a longer idle
# time means a client that pauses (a participant reading) is not cut off between requests.
keepalive = 10
timeout = 60
graceful_timeout = 30


def post_worker_init(worker):
    """Set the interval after which a thread waiting for the GIL makes the running one hand it over."""
    import sys

    interval = os.environ.get("LMS_GIL_SWITCH_INTERVAL")
    if interval:
        sys.setswitchinterval(float(interval))
