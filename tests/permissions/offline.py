"""Permission-matrix rows for the offline area (lms/offline).

The worker, manifest and offline page hold nothing about anyone, so they are public.
The token answers 401 to the anonymous (a queued request then keeps waiting for a new
login). The course bundle lists a course's pages for its participants only. Columns:
anonymous, participant, other participant, mentor, other mentor, staff.
"""

ROWS = {
    ("offline.worker", "GET"): (200, 200, 200, 200, 200, 200),
    ("offline.manifest", "GET"): (200, 200, 200, 200, 200, 200),
    ("offline.fallback", "GET"): (200, 200, 200, 200, 200, 200),
    ("offline.token", "GET"): (401, 200, 200, 200, 200, 200),
    # `other_participant` is in the same cohort, so the same course is theirs too.
    ("offline.course_bundle", "GET"): (302, 200, 200, 403, 403, 403),
    ("offline.data_saver", "POST"): (302, 302, 302, 302, 302, 302),
}
