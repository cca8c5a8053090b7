"""The SQLite writers' queue: one writer at a time across threads and processes, waiting on a file lock."""

import fcntl
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from lms.database import _SQLiteWriterQueue, _writer_queue

ROOT = Path(__file__).resolve().parent.parent
HOLD = """
import sys
from lms.database import _SQLiteWriterQueue
with _SQLiteWriterQueue(sys.argv[1]).turn():
    print("in", flush=True)
    sys.stdin.readline()
"""


def test_a_writer_in_another_process_holds_the_queue_until_it_is_done(tmp_path):
    path = str(tmp_path / "db.sqlite3-writers.lock")
    with subprocess.Popen([sys.executable, "-c", HOLD, path], cwd=ROOT,  # noqa: S603
                          stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True) as holder:
        assert holder.stdout.readline().strip() == "in"
        fd = os.open(path, os.O_RDWR)
        try:
            with pytest.raises(BlockingIOError):
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # our turn has not come
            holder.stdin.write("\n")
            holder.stdin.flush()
            assert holder.wait(timeout=30) == 0
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # the writer left: the queue is free at once
        finally:
            os.close(fd)


def test_threads_of_one_process_take_turns(tmp_path):
    queue = _SQLiteWriterQueue(str(tmp_path / "db.sqlite3-writers.lock"))
    inside, most, lock = [0], [0], threading.Lock()

    def write():
        for _ in range(50):
            with queue.turn():
                with lock:
                    inside[0] += 1
                    most[0] = max(most[0], inside[0])
                time.sleep(0.001)  # let the other threads try to come in
                with lock:
                    inside[0] -= 1

    threads = [threading.Thread(target=write) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert most[0] == 1


def test_only_a_sqlite_file_gets_a_queue(tmp_path):
    assert _writer_queue(create_engine(f"sqlite:///{tmp_path / 'a.sqlite3'}")) is not None
    assert _writer_queue(create_engine("sqlite://")) is None
    assert _writer_queue(create_engine("postgresql+psycopg://lms:lms@127.0.0.1/x")) is None
