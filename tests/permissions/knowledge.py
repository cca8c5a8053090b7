"""Permission-matrix rows for the knowledge pre-test and post-test (participants only; staff read the report).

`phase` is "awal" (the pre-test). The world's participants have not started learning,
so their pre-test is open: GET shows the form and an empty POST is refused with 400
(every item must be answered) and saves nothing. Each participant sees only their own
tests: no URL names another person's result. Mentors and staff get 403 (staff read the
results in the impact report).
"""

ROWS = {
    ("knowledge.overview", "GET"): (302, 200, 200, 403, 403, 403),
    ("knowledge.take", "GET"): (302, 200, 200, 403, 403, 403),
    ("knowledge.take", "POST"): (302, 400, 400, 403, 403, 403),
}


def url_values(world) -> dict:
    return {"phase": "awal"}
