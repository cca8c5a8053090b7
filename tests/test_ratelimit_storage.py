"""The shared rate-limit store, the refusal to run several workers on memory://, and the public URL."""

import logging
import os
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import unquote

import pytest

from lms import create_app, ratelimit_storage
from lms.public_url import public_url
from lms.ratelimit_storage import SQLiteStorage, UnsharedLimitsError, check_shared_storage, gunicorn_worker_count

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def storage(tmp_path):
    return SQLiteStorage(f"lms-sqlite://{tmp_path / 'limits.sqlite3'}")


def test_counters_count_expire_and_clear(storage, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(ratelimit_storage.time, "time", lambda: clock[0])
    assert [storage.incr("k", 60) for _ in range(3)] == [1, 2, 3]
    assert storage.get("k") == 3 and storage.get_expiry("k") == 1060.0
    clock[0] = 1060.0  # the window has passed: the counter starts again
    assert storage.get("k") == 0
    assert storage.incr("k", 60, amount=2) == 2 and storage.get_expiry("k") == 1120.0
    storage.incr("other", 60)
    storage.clear("k")
    assert storage.get("k") == 0 and storage.get("other") == 1
    storage.reset()
    assert storage.get("other") == 0 and storage.check()


def test_several_counters_in_one_statement_count_and_expire_as_incr_does(storage, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(ratelimit_storage.time, "time", lambda: clock[0])
    storage.incr("minute", 60)
    assert storage.incr_many({"minute": 60, "hour": 3600}) == {"minute": 2, "hour": 1}
    assert storage.get_many(["minute", "hour", "never"]) == {"minute": (2, 1060.0), "hour": (1, 4600.0)}
    clock[0] = 1060.0  # the minute's window has passed, the hour's has not
    assert storage.get_many(["minute", "hour"]) == {"hour": (1, 4600.0)}
    assert storage.incr_many({"minute": 60, "hour": 3600}) == {"minute": 1, "hour": 2}
    assert storage.get("minute") == 1 and storage.get_expiry("minute") == 1120.0


@pytest.mark.parametrize("store", ["sqlite", "memory"])  # several counters per statement, or one at a time
def test_take_counts_until_a_limit_then_tells_the_wait_without_counting(make_app, tmp_path, store):
    from lms import throttle
    from lms.extensions import limiter

    uri = f"lms-sqlite://{tmp_path / 'limits.sqlite3'}" if store == "sqlite" else "memory://"
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=uri, TAKE_TEST_LIMIT="2/minute;3/hour")
    with app.test_request_context():
        assert throttle.enabled() and hasattr(limiter.storage, "get_many") == (store == "sqlite")
        assert [throttle.take("TAKE_TEST_LIMIT", "k") for _ in range(2)] == [0, 0]
        wait = throttle.take("TAKE_TEST_LIMIT", "k")
        assert 1 <= wait <= 60
        assert throttle.take("TAKE_TEST_LIMIT", "other") == 0  # another key is not blocked
        # the refused event was not counted: the hour's counter still says 2, as wait_seconds + count leave it
        hour = [item for item in throttle._items("TAKE_TEST_LIMIT") if item.get_expiry() == 3600][0]
        assert limiter.storage.get(throttle._key(hour, ("k",))) == 2
        assert throttle.wait_seconds("TAKE_TEST_LIMIT", "k") >= 1


def test_threads_of_one_process_lose_no_hit(storage):
    def hit_many():
        for _ in range(200):
            storage.incr("shared", 600)

    threads = [threading.Thread(target=hit_many) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert storage.get("shared") == 1200


def test_separate_processes_share_the_counters(tmp_path):
    uri = f"lms-sqlite://{tmp_path / 'limits.sqlite3'}"
    script = ("import sys; from lms.ratelimit_storage import SQLiteStorage; s = SQLiteStorage(sys.argv[1]); "
              "[s.incr('shared', 600) for _ in range(300)]")
    processes = [subprocess.Popen([sys.executable, "-c", script, uri], cwd=ROOT) for _ in range(3)]  # noqa: S603
    assert [process.wait(timeout=120) for process in processes] == [0, 0, 0]
    assert SQLiteStorage(uri).get("shared") == 900


def test_the_default_store_is_the_sqlite_file_in_the_instance_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("LMS_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("LMS_SECRET_KEY", "x" * 32)
    monkeypatch.setenv("LMS_PUBLIC_URL", "https://lms.example.go.id")
    monkeypatch.delenv("LMS_REDIS_URL", raising=False)
    app = create_app()
    assert app.config["RATELIMIT_STORAGE_URI"] == f"lms-sqlite://{tmp_path / 'ratelimits.sqlite3'}"
    monkeypatch.setenv("LMS_REDIS_URL", "redis://127.0.0.1:6379/0")
    assert create_app().config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/0"


@pytest.mark.parametrize(
    ("argv", "environ", "workers"),
    [
        (["/srv/lms/.venv/bin/gunicorn", "--workers", "4", "wsgi:app"], {}, 4),
        (["gunicorn", "-w3", "wsgi:app"], {}, 3),
        (["gunicorn", "--workers=2", "wsgi:app"], {}, 2),
        (["gunicorn", "wsgi:app"], {"WEB_CONCURRENCY": "5"}, 5),
        (["gunicorn", "wsgi:app"], {"GUNICORN_CMD_ARGS": "--workers 2 --bind 0.0.0.0:80"}, 2),
        (["gunicorn", "wsgi:app"], {}, 1),
        ([".venv/bin/flask", "run"], {"WEB_CONCURRENCY": "5"}, 0),
    ],
)
def test_gunicorn_worker_count(argv, environ, workers, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # no gunicorn.conf.py here
    assert gunicorn_worker_count(argv, environ) == workers


GUNICORN = "/srv/lms/.venv/bin/gunicorn"


@pytest.mark.parametrize(
    ("argv", "environ", "workers"),
    [
        ([GUNICORN, "wsgi:app"], {}, 4),  # ./gunicorn.conf.py, as gunicorn reads it by default
        ([GUNICORN, "wsgi:app"], {"WEB_CONCURRENCY": "9"}, 4),  # the file wins over the default
        ([GUNICORN, "--workers", "2", "wsgi:app"], {}, 2),  # the command line wins over the file
        ([GUNICORN, "wsgi:app"], {"GUNICORN_CMD_ARGS": "-w 7"}, 7),  # and so does GUNICORN_CMD_ARGS
        ([GUNICORN, "-c", "other.conf.py", "wsgi:app"], {}, 6),  # another file instead of the default
        ([GUNICORN, "--config=other.conf.py", "wsgi:app"], {}, 6),
        ([GUNICORN, "-c", "file:other.conf.py", "-w", "3", "wsgi:app"], {}, 3),
        ([GUNICORN, "wsgi:app"], {"GUNICORN_CMD_ARGS": "--config other.conf.py"}, 6),
        ([GUNICORN, "-c", "one.conf.py", "wsgi:app"], {"WEB_CONCURRENCY": "5"}, 5),  # a file without workers
        (["/usr/lib/python3/site-packages/gunicorn/__main__.py", "wsgi:app"], {}, 4),  # python -m gunicorn
    ],
)
def test_gunicorn_worker_count_reads_the_config_file(argv, environ, workers, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "gunicorn.conf.py").write_text("workers = 4\nthreads = 8\n")
    (tmp_path / "other.conf.py").write_text("import os\nworkers = int(os.environ.get('OTHER_WORKERS', '6'))\n")
    (tmp_path / "one.conf.py").write_text("bind = '127.0.0.1:8000'\n")
    assert gunicorn_worker_count(argv, environ) == workers


def test_the_projects_gunicorn_conf_is_read_with_its_web_concurrency(monkeypatch):
    monkeypatch.chdir(Path(__file__).resolve().parent.parent)
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    assert gunicorn_worker_count([GUNICORN, "wsgi:app"], {}) == 4
    monkeypatch.setenv("WEB_CONCURRENCY", "5")
    assert gunicorn_worker_count([GUNICORN, "wsgi:app"], {"WEB_CONCURRENCY": "5"}) == 5


def test_create_app_refuses_memory_store_when_only_the_config_file_sets_workers(monkeypatch, tmp_path):
    monkeypatch.setenv("LMS_INSTANCE_PATH", str(tmp_path))
    (tmp_path / "config.py").write_text("SECRET_KEY = 'k'\nPUBLIC_URL = 'https://lms.example.go.id'\n"
                                        "RATELIMIT_STORAGE_URI = 'memory://'\n")
    (tmp_path / "prod.conf.py").write_text("workers = 3\n")
    monkeypatch.setattr(sys, "argv", ["gunicorn", "-c", str(tmp_path / "prod.conf.py"), "wsgi:app"])
    with pytest.raises(UnsharedLimitsError, match="gunicorn runs 3 workers"):
        create_app()


def test_gunicorn_with_a_config_file_of_two_workers_and_memory_limits_does_not_start(tmp_path):
    root = Path(__file__).resolve().parent.parent
    (tmp_path / "config.py").write_text("SECRET_KEY = 'k'\nPUBLIC_URL = 'https://lms.example.go.id'\n"
                                        "RATELIMIT_STORAGE_URI = 'memory://'\n")
    (tmp_path / "two.conf.py").write_text("workers = 2\nbind = '127.0.0.1:0'\n")
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(root),
           "LMS_INSTANCE_PATH": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "gunicorn", "-c", str(tmp_path / "two.conf.py"),  # noqa: S603
                           "--no-control-socket", "wsgi:app"], cwd=root, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode != 0 and "UnsharedLimitsError" in done.stderr and "runs 2 workers" in done.stderr


def test_memory_store_under_several_workers_refuses_to_start():
    with pytest.raises(UnsharedLimitsError, match="gunicorn runs 2 workers"):
        check_shared_storage("memory://", debug_or_testing=False, workers=2)
    check_shared_storage("lms-sqlite:///tmp/x.sqlite3", debug_or_testing=False, workers=8)
    check_shared_storage("redis://127.0.0.1:6379", debug_or_testing=False, workers=8)


def test_memory_store_in_one_process_warns_loudly(caplog, monkeypatch):
    monkeypatch.setattr(ratelimit_storage.log, "disabled", False)  # Alembic's fileConfig disables old loggers
    with caplog.at_level(logging.WARNING, logger="lms.ratelimit_storage"):
        check_shared_storage("memory://", debug_or_testing=False, workers=1)
    assert "RATE LIMITS ARE NOT SHARED" in caplog.text


def test_create_app_refuses_memory_store_under_gunicorn_workers(monkeypatch, tmp_path):
    monkeypatch.setenv("LMS_INSTANCE_PATH", str(tmp_path))
    (tmp_path / "config.py").write_text("SECRET_KEY = 'k'\nPUBLIC_URL = 'https://lms.example.go.id'\n"
                                        "RATELIMIT_STORAGE_URI = 'memory://'\n")
    monkeypatch.setattr(sys, "argv", ["gunicorn", "--workers", "2", "wsgi:app"])
    with pytest.raises(UnsharedLimitsError, match="memory://"):
        create_app()


# --- Public URL -------------------------------------------------------------------------------


def test_missing_public_url_stops_startup(monkeypatch, tmp_path):
    monkeypatch.setenv("LMS_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("LMS_SECRET_KEY", "x" * 32)
    monkeypatch.delenv("LMS_PUBLIC_URL", raising=False)
    with pytest.raises(RuntimeError, match="LMS_PUBLIC_URL is not set"):
        create_app()
    monkeypatch.setenv("LMS_PUBLIC_URL", "lms.example.go.id")
    with pytest.raises(RuntimeError, match="must look like https://"):
        create_app()


def test_debug_and_tests_fall_back_to_the_development_address(monkeypatch, tmp_path):
    monkeypatch.setenv("LMS_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("LMS_PUBLIC_URL", raising=False)
    assert create_app({"TESTING": True}).config["PUBLIC_URL"] == "http://127.0.0.1:5000"


def test_activation_links_and_qr_codes_come_from_the_one_setting(app):
    from lms import accounts
    from lms.certificates.operations import verify_url
    from tests.conftest import make_user

    app.config["PUBLIC_URL"] = "https://ftd.example.go.id/lms/"
    issued = accounts.issue_activation_code(make_user(phone="081234567890", password=None), created_by=None)
    assert accounts.activation_url(issued) == (
        f"https://ftd.example.go.id/lms/aktivasi?kode={issued.display}&hp=0812-3456-7890")
    assert verify_url("K7QM4XRT9BZPWH3C") == "https://ftd.example.go.id/lms/verify/K7QM-4XRT-9BZP-WH3C"
    assert public_url("main.health") == "https://ftd.example.go.id/lms/healthz"
    message = unquote(accounts.activation_whatsapp_link(issued, accounts.activation_url(issued)))
    assert f"Buka https://ftd.example.go.id/lms/aktivasi?kode={issued.display}&hp=0812-3456-7890 " in message


def test_healthz_reports_database_and_public_url(client, app):
    body = client.get("/healthz").get_json()
    assert body["status"] == "ok"
    assert body["public_url"] == app.config["PUBLIC_URL"]
    assert body["database"]["ok"] is True and body["database"]["ms"] >= 0
    assert body["database"]["dialect"] in ("sqlite", "postgresql")


def test_healthz_says_503_when_the_database_is_gone(make_app, tmp_path):
    broken = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'missing' / 'no.sqlite3'}")
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"]["ok"] is False
