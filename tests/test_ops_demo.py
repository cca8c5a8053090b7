"""The demo seed runs the quick housekeeping tasks once, so the operations page has last runs to show."""

from lms import seed


def test_the_demo_shows_the_housekeeping_tasks_last_runs(app, client, world):
    from lms.ops import demo as ops_demo
    from lms.queue.periodic import last_runs
    from tests.conftest import login

    seed.seed_demo()
    runs = last_runs()
    assert all(runs[name].ok and runs[name].finished_at for name in ops_demo.QUICK_TASKS)
    first = {name: runs[name].runs for name in ops_demo.QUICK_TASKS}
    seed.seed_demo()
    assert {name: run.runs for name, run in last_runs().items() if name in first} == first
    login(client, world["staff"])
    page = client.get("/staf/operasional/").get_data(as_text=True)
    assert page.count("status-ok") >= len(ops_demo.QUICK_TASKS)
