"""The admission limit (lms/admission.py): a request that waited too long for a thread gets 503 + Retry-After.

The integration test runs the real gunicorn worker class with one thread: while /slow holds
it, two more requests queue; released after the limit, they are refused without reaching the app.
With one connection per thread (the default) they wait in the kernel's listen queue, and only
nginx's X-Request-Start stamp tells the worker how long; without the cap they wait in the worker.
"""

import http.client
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from lms.admission import (
    RETRY_AFTER_SECONDS,
    busy_response,
    connection_cap,
    proxy_wait_seconds,
    queue_limit_seconds,
    shed_late_requests,
)

ROOT = Path(__file__).resolve().parent.parent


def call(app, method="GET", **environ):
    seen = {}

    def start_response(status, headers):
        seen["status"], seen["headers"] = status, dict(headers)

    body = b"".join(app({"REQUEST_METHOD": method, "PATH_INFO": "/", **environ}, start_response))
    return seen["status"], seen["headers"], body.decode()


def hello(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"hello"]


def test_a_request_within_the_limit_reaches_the_app():
    assert call(shed_late_requests(hello, lambda: 0.2, 5.0)) == ("200 OK", {"Content-Type": "text/plain"}, "hello")


def test_a_request_over_the_limit_gets_503_with_retry_after_and_a_page_that_reloads_itself():
    status, headers, body = call(shed_late_requests(hello, lambda: 7.5, 5.0))
    assert status.startswith("503") and "hello" not in body
    seconds = int(headers["Retry-After"])
    assert RETRY_AFTER_SECONDS[0] <= seconds <= RETRY_AFTER_SECONDS[1]
    assert "Server sedang sibuk" in body and f'http-equiv="refresh" content="{seconds}"' in body
    assert headers["Cache-Control"] == "no-store" and int(headers["Content-Length"]) == len(body.encode())


def test_a_refused_post_is_not_reloaded_by_the_page():
    status, headers, body = busy_response("POST", 3)
    assert status.startswith("503") and dict(headers)["Retry-After"] == "3" and b"refresh" not in body


def test_a_request_nginx_received_long_ago_is_refused_though_it_never_queued_in_the_worker():
    stamp = f"t={time.time() - 7.5:.3f}"  # nginx's ${msec}: seconds with milliseconds
    assert call(shed_late_requests(hello, lambda: 0.0, 5.0), HTTP_X_REQUEST_START=stamp)[0].startswith("503")
    fresh = f"t={time.time() - 0.2:.3f}"
    assert call(shed_late_requests(hello, lambda: 0.0, 5.0), HTTP_X_REQUEST_START=fresh)[0] == "200 OK"


@pytest.mark.parametrize(("header", "wait"), [
    ("t=100.250", 0.75), ("100.250", 0.75),  # nginx's form, and a bare number
    ("", 0.0), ("t=soon", 0.0),  # none, or not a number
    ("t=102.0", 0.0),  # in the future: another clock
    ("t=-4000", 0.0),  # over an hour: another clock or made up
])
def test_the_proxy_stamp_is_read_and_a_stamp_from_another_clock_counts_as_none(header, wait):
    assert proxy_wait_seconds({"HTTP_X_REQUEST_START": header}, now=101.0) == pytest.approx(wait)
    assert proxy_wait_seconds({}, now=101.0) == 0.0


def test_a_worker_holds_one_connection_per_thread_unless_told_otherwise():
    assert connection_cap(8, 1000, {}) == 8
    assert connection_cap(8, 1000, {"LMS_WORKER_CONNECTIONS": "threads"}) == 8
    assert connection_cap(8, 1000, {"LMS_WORKER_CONNECTIONS": "gunicorn"}) == 1000
    assert connection_cap(8, 1000, {"LMS_WORKER_CONNECTIONS": "12"}) == 12
    for wrong in ("0", "many", "-3"):
        with pytest.raises(ValueError, match="LMS_WORKER_CONNECTIONS"):
            connection_cap(8, 1000, {"LMS_WORKER_CONNECTIONS": wrong})


def test_the_limit_comes_from_the_environment():
    assert queue_limit_seconds({}) == 5.0
    assert queue_limit_seconds({"LMS_QUEUE_LIMIT_SECONDS": "2.5"}) == 2.5


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(port: int, path: str, method: str = "GET", stamped: bool = False):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"X-Request-Start": f"t={time.time():.3f}"} if stamped else {}  # as nginx stamps it
    connection.request(method, path, body=b"x=1" if method == "POST" else None, headers=headers)
    response = connection.getresponse()
    result = response.status, response.getheader("Retry-After"), response.read().decode()
    connection.close()
    return result


@pytest.mark.parametrize(("connections", "stamped", "refused"), [
    ("threads", True, True),  # behind nginx: the wait in the listen queue counts from nginx's stamp
    ("gunicorn", False, True),  # no cap: the requests wait in the worker's own queue, which it sees
    ("threads", False, False),  # no proxy and the cap: the wait happened outside, unseen (docs/architecture.md)
])
def test_gunicorn_refuses_requests_that_queued_behind_a_busy_thread_and_serves_again_after(
        tmp_path, connections, stamped, refused):
    port = free_port()
    (tmp_path / "empty.conf.py").write_text("")
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "ADMISSION_TEST_FOLDER": str(tmp_path),
           "LMS_QUEUE_LIMIT_SECONDS": "0.5", "LMS_WORKER_CONNECTIONS": connections}
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "--config", str(tmp_path / "empty.conf.py"),
         "--worker-class", "lms.admission.QueueLimitWorker", "--workers", "1", "--threads", "1",
         "--bind", f"127.0.0.1:{port}", "--no-control-socket", "tests.admission_app:app"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log)
    try:
        for _ in range(300):
            try:
                assert get(port, "/count")[0] == 200  # call 1
                break
            except OSError:
                time.sleep(0.1)
        slow = threading.Thread(target=lambda: results.setdefault("slow", get(port, "/slow")))  # call 2
        results: dict = {}
        slow.start()
        for _ in range(600):
            if (tmp_path / "started").exists():
                break
            time.sleep(0.05)
        queued = [threading.Thread(target=lambda m=m: results.setdefault(m, get(port, "/count", m, stamped)))
                  for m in ("GET", "POST")]
        for thread in queued:
            thread.start()
        time.sleep(1.5)  # both wait for the one thread longer than the 0.5 s limit
        (tmp_path / "release").touch()
        for thread in [slow, *queued]:
            thread.join(timeout=60)
        assert results["slow"][0] == 200
        for method in ("GET", "POST"):
            status, retry_after, body = results[method]
            if refused:
                assert status == 503 and RETRY_AFTER_SECONDS[0] <= int(retry_after) <= RETRY_AFTER_SECONDS[1]
                assert "Server sedang sibuk" in body
            else:
                assert status == 200 and retry_after is None
        # Refused requests never reached the app: then this is its third call, else its fifth.
        assert get(port, "/count") == (200, None, "3" if refused else "5")
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
