"""A tiny WSGI app for tests/test_admission.py: /slow holds the only thread, /count says how many calls ran."""

import os
import time
from pathlib import Path

calls = 0


def app(environ, start_response):
    """Count every call; /slow writes a marker, then waits until the test leaves a release file."""
    global calls
    calls += 1
    folder = Path(os.environ["ADMISSION_TEST_FOLDER"])
    if environ["PATH_INFO"] == "/slow":
        (folder / "started").touch()
        for _ in range(300):
            if (folder / "release").exists():
                break
            time.sleep(0.05)
    body = str(calls).encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
