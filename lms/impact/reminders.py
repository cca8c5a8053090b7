"""Survey reminders: once per participant and wave, while the wave is open and unanswered.

The scheduler (lms/impact/tasks.py) runs `send_reminders` daily. For every cohort and
every wave open today (the cohort's own follow-up months included) it finds the
participants who have submitted nothing for that wave and have not been reminded of
it, and gives each an in-app notice, an outbox message (email when SMTP is set) and a
SurveyReminder row holding the wa.me link that staff and mentors send from their
reminder lists. The row's unique key (user, cohort, wave) makes it exactly once per
wave, even when two schedulers race: the second insert fails and its whole batch is
rolled back.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from lms.assignments import notifications
from lms.database import write_transaction
from lms.extensions import db
from lms.impact.labels import wave_label
from lms.impact.rules import cohort_windows
from lms.models import (
    Cohort,
    Enrollment,
    EnrollmentStatus,
    MentorAllocation,
    SurveyReminder,
    SurveyResponse,
    User,
)

REMINDED_STATUSES = (EnrollmentStatus.SELECTED.value, EnrollmentStatus.ACTIVE.value, EnrollmentStatus.GRADUATED.value)


def due(today: date) -> list[tuple[Cohort, User, str]]:
    """(cohort, participant, wave) for every open wave a participant has neither answered nor been reminded of."""
    found = []
    for cohort in db.session.scalars(select(Cohort).order_by(Cohort.id)):
        for window in cohort_windows(cohort):
            if not window.is_open(today):
                continue
            answered = select(SurveyResponse.user_id).where(
                SurveyResponse.cohort_id == cohort.id, SurveyResponse.wave == window.wave,
                SurveyResponse.status == "submitted")
            reminded = select(SurveyReminder.user_id).where(
                SurveyReminder.cohort_id == cohort.id, SurveyReminder.wave == window.wave)
            users = db.session.scalars(
                select(User).join(Enrollment, Enrollment.user_id == User.id)
                .where(Enrollment.cohort_id == cohort.id, Enrollment.status.in_(REMINDED_STATUSES),
                       User.id.not_in(answered), User.id.not_in(reminded))
                .order_by(User.id))
            found += [(cohort, user, window.wave) for user in users]
    return found


def send_reminders(today: date) -> int:
    """Remind everyone due today (one transaction), deliver the outbox, and return how many were reminded."""
    outbox = []
    with write_transaction():
        for cohort, user, wave in due(today):
            message = _("Halo %(name)s, %(wave)s sudah dibuka. Lima menit saja untuk membantu Dinas mengukur manfaat "
                        "program.", name=user.name, wave=wave_label(wave).lower())
            sent = notifications.notify(user, "survey.reminder", message, f"/survei/{wave}",
                                        subject=_("Pengingat: %(wave)s", wave=wave_label(wave)))
            db.session.add(SurveyReminder(user_id=user.id, cohort_id=cohort.id, wave=wave,
                                          whatsapp_url=sent.whatsapp_url or ""))
            outbox.append(sent)
    if outbox:
        notifications.deliver(outbox)
    return len(outbox)


def open_reminders(cohort_id: int | None = None, mentor_id: int | None = None) -> list[tuple[SurveyReminder, User]]:
    """Reminders whose wave is still unanswered: of one cohort, or of one mentor's participants."""
    answered = select(SurveyResponse.id).where(
        SurveyResponse.user_id == SurveyReminder.user_id, SurveyResponse.cohort_id == SurveyReminder.cohort_id,
        SurveyResponse.wave == SurveyReminder.wave, SurveyResponse.status == "submitted").exists()
    statement = (select(SurveyReminder, User).join(User, User.id == SurveyReminder.user_id)
                 .where(~answered).order_by(SurveyReminder.created_at.desc(), User.name))
    if cohort_id is not None:
        statement = statement.where(SurveyReminder.cohort_id == cohort_id)
    if mentor_id is not None:
        statement = statement.join(Enrollment, (Enrollment.user_id == SurveyReminder.user_id)
                                   & (Enrollment.cohort_id == SurveyReminder.cohort_id)).join(
            MentorAllocation, MentorAllocation.enrollment_id == Enrollment.id).where(
            MentorAllocation.mentor_id == mentor_id, MentorAllocation.ended_at.is_(None))
    return list(db.session.execute(statement).all())
