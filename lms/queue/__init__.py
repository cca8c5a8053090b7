"""The task queue: one Huey instance per app, and the one place where tasks are registered.

Areas write plain functions next to their code (`lms/quiz/tasks.py`, …) and
register them with `task(name)` or `periodic_task(name, schedule, label)`;
`TASK_MODULES` lists those modules the way `create_app` lists blueprints. The
Huey instance is made on first use from the settings: SQLite storage in
instance/queue.sqlite3 by default, Redis when `LMS_QUEUE_URL=redis://…`. With
`JOBS_RUN_INLINE` (tests) Huey runs in immediate mode: a task runs inside the
call that enqueues it. The worker process is `flask --app wsgi lms worker`
(lms/queue/worker.py).

A later issue adds work like this::

    # lms/surveys/tasks.py
    from huey import crontab
    from lms.queue import periodic_task

    @periodic_task("surveys.follow_up", crontab(hour="1", minute="0"), label=_l("Tindak lanjut survei"))
    def send_follow_ups() -> str:
        ...
        return "3 pesan dikirim"  # the summary staff see on /staf/operasional

and adds "lms.surveys.tasks" to TASK_MODULES.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app, has_app_context
from huey import Huey, RedisHuey, SqliteHuey

# Every module that registers tasks; importing it is what registers them.
TASK_MODULES = (
    "lms.jobs",
    "lms.ops.tasks",
    "lms.quiz.tasks",
    "lms.assignments.tasks",
    "lms.resumable.tasks",
    "lms.auth.tasks",
    "lms.certificates.tasks",
    "lms.privacy.tasks",
    "lms.impact.tasks",
)


@dataclass(frozen=True)
class PeriodicTask:
    """A function the worker's scheduler runs on a crontab; it returns a one-line summary."""

    name: str
    schedule: Callable  # huey.crontab(...)
    function: Callable[[], str]
    label: object  # a lazy translated string shown to staff
    when: str  # the schedule in words, for the staff page (UTC)


HEARTBEAT_TASK = "queue.heartbeat"  # its last run is "when a worker was last seen"
TASKS: dict[str, Callable] = {}
PERIODIC: dict[str, PeriodicTask] = {}
_lock = threading.Lock()


def task(name: str) -> Callable[[Callable], Callable]:
    """Register a function as a queue task under a stable name (enqueue it with `enqueue(name, …)`)."""

    def register(function: Callable) -> Callable:
        TASKS[name] = function
        return function

    return register


def periodic_task(name: str, schedule: Callable, *, label, when: str) -> Callable[[Callable], Callable]:
    """Register a function the scheduler runs on `schedule`; its returned text is recorded as the summary."""

    def register(function: Callable[[], str]) -> Callable[[], str]:
        register_periodic(PeriodicTask(name=name, schedule=schedule, function=function, label=label, when=when))
        return function

    return register


def register_periodic(periodic: PeriodicTask) -> None:
    """Add a periodic task (the function behind the `periodic_task` decorator)."""
    PERIODIC[periodic.name] = periodic


def load_task_modules() -> None:
    """Import every module in TASK_MODULES, so their tasks are registered."""
    for module_name in TASK_MODULES:
        importlib.import_module(module_name)


@dataclass
class AppQueue:
    """An app's Huey instance and the Huey task wrappers made for it."""

    huey: Huey
    backend: str
    tasks: dict[str, Callable]


def get_queue(app: Flask | None = None) -> AppQueue:
    """Return the app's queue, making the Huey instance and its tasks on first use."""
    app = app or current_app._get_current_object()
    queue = app.extensions.get("lms_queue")
    if queue is not None:
        return queue
    with _lock:
        if "lms_queue" not in app.extensions:
            app.extensions["lms_queue"] = build_queue(app)
    return app.extensions["lms_queue"]


def build_queue(app: Flask) -> AppQueue:
    """Make the Huey instance the settings call for and wrap every registered task for this app."""
    load_task_modules()
    immediate = bool(app.config.get("JOBS_RUN_INLINE"))
    url = app.config.get("QUEUE_URL")
    if url:
        if not url.startswith(("redis://", "rediss://", "unix://")):
            raise RuntimeError(f"LMS_QUEUE_URL must be a redis:// URL (got {url.split('://')[0]}://…).")
        huey, backend = RedisHuey("lms", url=url, results=False, immediate=immediate), "redis"
    else:
        path = app.config.get("QUEUE_SQLITE_PATH") or str(Path(app.instance_path) / "queue.sqlite3")
        huey, backend = SqliteHuey("lms", filename=path, results=False, immediate=immediate), "sqlite"
    wrappers = {name: huey.task(name=name)(_in_app(app, function)) for name, function in TASKS.items()}
    for periodic in PERIODIC.values():
        huey.periodic_task(periodic.schedule, name=periodic.name)(_in_app(app, _recorded(periodic.name)))
    return AppQueue(huey=huey, backend=backend, tasks=wrappers)


def _in_app(app: Flask, function: Callable) -> Callable:
    """Wrap a task so it runs in an app context (the request's own one in immediate mode)."""

    def run(*args, **kwargs):
        if has_app_context() and current_app._get_current_object() is app:
            return function(*args, **kwargs)
        with app.app_context():
            return function(*args, **kwargs)

    run.__name__ = getattr(function, "__name__", "task")
    return run


def _recorded(name: str) -> Callable[[], None]:
    def run() -> None:
        from lms.queue.periodic import run_periodic

        run_periodic(name)

    return run


def enqueue(name: str, *args) -> None:
    """Put a registered task on the queue (in immediate mode it runs now)."""
    get_queue().tasks[name](*args)


def is_immediate(app: Flask | None = None) -> bool:
    """Tell whether tasks run inside the call that enqueues them (tests)."""
    return bool((app or current_app).config.get("JOBS_RUN_INLINE"))
