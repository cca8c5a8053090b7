"""Permission-matrix rows for the impact area (surveys and the report).

`wave` is "endline"; whether it is open today or not, a participant gets a page (the
form, or a "closed" page) and a POST answers with a redirect, so the rows do not
depend on the date. Proxy entry is for the participant's own mentor and staff.
"""

ROWS = {
    ("impact.my_surveys", "GET"): (302, 200, 200, 403, 403, 403),
    ("impact.answer", "GET"): (302, 200, 200, 403, 403, 403),
    # An empty POST keeps an empty draft (or is refused for a closed wave): both redirect.
    ("impact.answer", "POST"): (302, 302, 302, 403, 403, 403),
    ("impact.proxy_answer", "GET"): (302, 403, 403, 200, 404, 200),
    ("impact.proxy_answer", "POST"): (302, 403, 403, 302, 404, 302),
    ("impact.cohort_report", "GET"): (302, 403, 403, 403, 403, 200),
    ("impact.report_pdf", "GET"): (302, 403, 403, 403, 403, 200),
    ("impact.report_xlsx", "GET"): (302, 403, 403, 403, 403, 200),
    ("impact.compare_cohorts", "GET"): (302, 403, 403, 403, 403, 200),
    ("impact.import_answers", "GET"): (302, 403, 403, 403, 403, 200),
    ("impact.import_answers", "POST"): (302, 403, 403, 403, 403, 400),  # no file: the form says so
    ("impact.import_preview", "GET"): (302, 403, 403, 403, 403, 200),
    ("impact.import_confirm", "POST"): (302, 403, 403, 403, 403, 302),
    # A comparison registrant's signed link: public by design (no account); an empty POST is refused (400).
    ("impact.answer_by_link", "GET"): (200, 200, 200, 200, 200, 200),
    ("impact.answer_by_link", "POST"): (400, 400, 400, 400, 400, 400),
    ("impact.survey_links", "GET"): (302, 403, 403, 403, 403, 200),
    ("impact.make_survey_links", "POST"): (302, 403, 403, 403, 403, 302),
    ("impact.cohort_reminders", "GET"): (302, 403, 403, 403, 403, 200),
    ("impact.mentor_reminders", "GET"): (302, 403, 403, 200, 200, 403),
}


def extend_world(world) -> None:
    """Keep an uploaded survey file of `participant`'s cohort, waiting for its import."""
    from lms.impact import imports

    world["survey_upload"] = imports.store_upload(
        f"No HP;Gelombang;Omzet;Karyawan\n{world['participant'].phone};awal;1 juta;1\n".encode(), "s.csv",
        world["cohort"])
    world["survey_link_token"] = comparison_link(world)


def comparison_link(world) -> str:
    """A registrant of the cohort never selected, with a signed endline link."""
    from datetime import timedelta

    from lms import accounts
    from lms.enrollments import enroll
    from lms.extensions import db
    from lms.impact.links import token_for
    from lms.models import EnrollmentStatus, Role, SurveyLink, utcnow

    registrant = accounts.create_user(name="Pendaftar Pembanding", phone_text="089900000001", role=Role.PARTICIPANT,
                                      password=None)
    enrollment = enroll(registrant, world["cohort"], changed_by=None, status=EnrollmentStatus.REGISTERED)
    db.session.flush()
    link = SurveyLink(enrollment_id=enrollment.id, wave="endline", nonce="a" * 32,
                      expires_at=utcnow() + timedelta(days=1))
    db.session.add(link)
    db.session.commit()
    return token_for(link)


def url_values(world) -> dict:
    return {"wave": "endline", "enrollment_id": world["enrollment"].id, "cohort_id": world["cohort"].id,
            "stored": world.get("survey_upload", "0" * 32 + ".csv"), "token": world.get("survey_link_token", "x")}
