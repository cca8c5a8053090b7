"""What a participant's home page says about certificates: a new one, or what happens next at 100%."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from lms.certificates.eligibility import GRADUATION, enrollment_eligibility
from lms.extensions import db
from lms.models import Certificate, Enrollment, EnrollmentStatus, User, utcnow

NEW_FOR_DAYS = 14  # a certificate is "new" on the home page this long after it was issued


@dataclass(frozen=True)
class CertificateNews:
    new: list[Certificate]  # valid certificates issued in the last NEW_FOR_DAYS days, newest first
    waiting_since_complete: bool  # everything done, no graduation certificate yet ("menunggu wisuda")
    graduation_date: date | None

    @property
    def graduation_passed(self) -> bool:
        from lms.certificates.operations import today_wib  # operations imports much; only needed here

        return self.graduation_date is not None and self.graduation_date <= today_wib()


def certificate_news(user: User, enrollment: Enrollment | None) -> CertificateNews:
    """Return the certificate card a participant's home page shows at the top."""
    certificates = db.session.scalars(
        select(Certificate).join(Enrollment, Enrollment.id == Certificate.enrollment_id)
        .where(Enrollment.user_id == user.id, Certificate.status == "valid").order_by(Certificate.id.desc())
    ).all()
    since = utcnow() - timedelta(days=NEW_FOR_DAYS)
    new = [c for c in certificates if c.issued_at >= since]
    waiting = False
    if enrollment is not None and enrollment.status in (EnrollmentStatus.ACTIVE, EnrollmentStatus.GRADUATED) \
            and not any(c.enrollment_id == enrollment.id and c.kind == GRADUATION for c in certificates):
        eligibility, _missing = enrollment_eligibility(enrollment)
        waiting = eligibility is not None and eligibility.eligible
    return CertificateNews(new=new, waiting_since_complete=waiting,
                           graduation_date=enrollment.cohort.graduation_date if enrollment else None)
