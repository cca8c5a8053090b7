"""Permission-matrix rows for the registration area: the public programme page and /daftar.

Columns: anonymous, participant, other participant, mentor (follows participant), other mentor, staff.
Every page is public. The world's cohort gets a registration window containing today, so
/daftar shows the open form: an empty POST is refused (400: no fill time, missing fields),
the "tell me" form is only for a closed window (302 to the form), and the confirmation needs
a registration made in this session (302 to the form).
"""

from datetime import timedelta

from lms.extensions import db
from lms.registration.queries import wib_today

ROWS = {
    ("registration.programme", "GET"): (200, 200, 200, 200, 200, 200),
    ("registration.register", "GET"): (200, 200, 200, 200, 200, 200),
    ("registration.register", "POST"): (400, 400, 400, 400, 400, 400),
    ("registration.confirmation", "GET"): (302, 302, 302, 302, 302, 302),
    ("registration.interest", "POST"): (302, 302, 302, 302, 302, 302),
    ("registration.robots", "GET"): (200, 200, 200, 200, 200, 200),
}


def extend_world(world) -> None:
    """Open the world's cohort for registration."""
    cohort = world["cohort"]
    cohort.registration_opens_on = wib_today() - timedelta(days=1)
    cohort.registration_closes_on = wib_today() + timedelta(days=1)
    db.session.commit()
