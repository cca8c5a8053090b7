"""The admission limit (lms/admission.py): a request that waited too long for a thread gets 503 + Retry-After.

The integration test runs the real gunicorn worker class with one thread: while /slow holds
it, two more requests queue; released after the limit, they are refused without reaching the app.
"""

import http.client
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from lms.admission import RETRY_AFTER_SECONDS, busy_response, queue_limit_seconds, shed_late_requests

ROOT = Path(__file__).resolve().parent.parent


def call(app, method="GET"):
    seen = {}

    def start_response(status, headers):
        seen["status"], seen["headers"] = status, dict(headers)

    body = b"".join(app({"REQUEST_METHOD": method, "PATH_INFO": "/"}, start_response))
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


def test_the_limit_comes_from_the_environment():
    assert queue_limit_seconds({}) == 5.0
    assert queue_limit_seconds({"LMS_QUEUE_LIMIT_SECONDS": "2.5"}) == 2.5


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(port: int, path: str, method: str = "GET"):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request(method, path, body=b"x=1" if method == "POST" else None)
    response = connection.getresponse()
    result = response.status, response.getheader("Retry-After"), response.read().decode()
    connection.close()
    return result


def test_gunicorn_refuses_requests_that_queued_behind_a_busy_thread_and_serves_again_after(tmp_path):
    port = free_port()
    (tmp_path / "empty.conf.py").write_text("")
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "ADMISSION_TEST_FOLDER": str(tmp_path),
           "LMS_QUEUE_LIMIT_SECONDS": "0.5"}
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
        queued = [threading.Thread(target=lambda m=m: results.setdefault(m, get(port, "/count", m)))
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
            assert status == 503 and RETRY_AFTER_SECONDS[0] <= int(retry_after) <= RETRY_AFTER_SECONDS[1]
            assert "Server sedang sibuk" in body
        # The refused requests never reached the app: this is its third call.
        assert get(port, "/count") == (200, None, "3")
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
