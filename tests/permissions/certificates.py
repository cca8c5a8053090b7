"""Permission-matrix rows for certificates.

Columns: anonymous, participant, other participant, mentor (follows participant),
other mentor, staff. The certificate, its job and its code belong to `participant`.
"""

from datetime import date

from lms.certificates.operations import today_wib

# The world's cohort graduates on 14 December 2026: before that, issuing asks a confirmation first (200).
_EARLY = 200 if today_wib() < date(2026, 12, 14) else 302

ROWS = {
    ("certificates.index", "GET"): (302, 403, 403, 403, 403, 200),
    ("certificates.cohort", "GET"): (302, 403, 403, 403, 403, 200),
    ("certificates.issue_all", "POST"): (302, 403, 403, 403, 403, _EARLY),  # unconfirmed: the confirm step
    ("certificates.job", "GET"): (302, 403, 403, 403, 403, 200),
    ("certificates.job_status", "GET"): (302, 403, 403, 403, 403, 200),
    ("certificates.cohort_zip", "GET"): (302, 403, 403, 403, 403, 200),
    ("certificates.issue_one", "POST"): (302, 403, 403, 403, 403, 302),
    ("certificates.detail", "GET"): (302, 403, 403, 403, 403, 200),
    ("certificates.revoke", "POST"): (302, 403, 403, 403, 403, 200),  # empty reason: form comes back
    ("certificates.graduate_now", "POST"): (302, 403, 403, 403, 403, 200),  # unconfirmed: the confirm step
    ("certificates.signatories", "GET"): (302, 403, 403, 403, 403, 200),
    ("certificates.signatories", "POST"): (302, 403, 403, 403, 403, 400),  # empty names: form comes back
    ("certificates.reissue", "POST"): (302, 403, 403, 403, 403, 200),  # empty name: form comes back
    ("certificates.download", "GET"): (302, 200, 404, 404, 404, 200),
    ("certificates.verify_form", "GET"): (200, 200, 200, 200, 200, 200),
    ("certificates.verify", "GET"): (200, 200, 200, 200, 200, 200),
}


def extend_world(world) -> None:
    """Give `participant` a valid certificate (PDF rendered on first download) and a finished job."""
    from lms.certificates import codes
    from lms.certificates.operations import JOB_KIND
    from lms.extensions import db
    from lms.models import BackgroundJob, Certificate

    # A row made by hand, not by operations.create_certificate: that would move the enrollment
    # to "graduated" and change what other areas' routes answer for `participant`.
    cohort = world["cohort"]
    certificate = Certificate(enrollment_id=world["enrollment"].id, kind="graduation", number="FTD-2026-990001",
                              code=codes.new_code(), name=world["participant"].name, business_name="Bika Ambon Satu",
                              regency_code="1275", course_title="Fast Track Digitalisasi UMKM",
                              cohort_name=cohort.name, graduation_date=cohort.graduation_date)
    db.session.add(certificate)
    job = BackgroundJob(kind=JOB_KIND, cohort_id=world["cohort"].id, status="done", total=1, done=1,
                        result={"issued": 1})
    db.session.add(job)
    db.session.commit()
    world["certificate"] = certificate
    world["certificate_job"] = job
    world["certificate_code"] = codes.display_code(certificate.code)


def url_values(world) -> dict:
    """URL values for the certificates routes."""
    if "certificate" not in world:
        return {}
    return {
        "certificate_id": world["certificate"].id,
        "cert_job_id": world["certificate_job"].id,
        "certificate_code": world["certificate_code"],
    }
