"""`flask --app wsgi lms worker` and `flask --app wsgi lms tasks …`."""

import sys

import click
from flask import current_app
from flask.cli import with_appcontext


@click.command("worker")
@click.option("--workers", default=1, show_default=True, help="Threads that run tasks at once.")
@with_appcontext
def worker_command(workers):
    """Run the task-queue worker and its periodic scheduler until stopped (Ctrl+C)."""
    from lms.queue.worker import run_worker

    try:
        run_worker(current_app._get_current_object(), workers=workers)
    except RuntimeError as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(1)


@click.group("tasks")
def tasks_group():
    """Periodic tasks of the queue."""


@tasks_group.command("list")
@with_appcontext
def tasks_list_command():
    """List the periodic tasks with their schedule and last run."""
    from lms.queue import PERIODIC, load_task_modules
    from lms.queue.periodic import last_runs

    load_task_modules()
    runs = last_runs()
    for name, periodic in sorted(PERIODIC.items()):
        run = runs.get(name)
        last = (f"{run.finished_at:%Y-%m-%d %H:%M} UTC {'ok' if run.ok else 'FAILED'}: "
                f"{(run.summary or '').splitlines()[0] if run.summary else ''}") if run and run.finished_at else "never"
        click.echo(f"{name:24} {periodic.when:30} {last}")


@tasks_group.command("run")
@click.argument("name")
@with_appcontext
def tasks_run_command(name):
    """Run one periodic task now, in this process, and record it like the scheduler does."""
    from lms.queue import PERIODIC, load_task_modules
    from lms.queue.periodic import run_periodic

    load_task_modules()
    if name not in PERIODIC:
        click.echo(f"Error: no periodic task {name!r}; try: {', '.join(sorted(PERIODIC))}", err=True)
        sys.exit(1)
    run = run_periodic(name)
    click.echo(f"{name}: {'ok' if run.ok else 'FAILED'}: {run.summary}")
    sys.exit(0 if run.ok else 1)
