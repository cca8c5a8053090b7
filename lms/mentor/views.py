"""The mentor's area: the participants they follow, the review queue and the grading page."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from lms import regions
from lms.assignments import operations, queries, rules
from lms.assignments.forms import review_form_for
from lms.extensions import db
from lms.main.queries import mentor_participants
from lms.models import Enrollment, MentorAllocation, Role, Submission
from lms.security import require_roles

bp = Blueprint("mentor", __name__)
bp.before_request(require_roles(Role.MENTOR))


def enrollment_followed_by(mentor, enrollment_id: int) -> Enrollment:
    """Return an enrollment the mentor follows now, or 404 (never 403: do not confirm it exists)."""
    enrollment = db.session.scalar(
        select(Enrollment)
        .join(MentorAllocation, MentorAllocation.enrollment_id == Enrollment.id)
        .where(
            Enrollment.id == enrollment_id,
            MentorAllocation.mentor_id == mentor.id,
            MentorAllocation.ended_at.is_(None),
        )
    )
    if enrollment is None:
        abort(404)
    return enrollment


def submission_followed_by(mentor, submission_id: int) -> Submission:
    """Return a submission of a participant the mentor follows now, or 404."""
    submission = db.session.scalar(
        select(Submission)
        .join(MentorAllocation, MentorAllocation.enrollment_id == Submission.enrollment_id)
        .where(
            Submission.id == submission_id,
            MentorAllocation.mentor_id == mentor.id,
            MentorAllocation.ended_at.is_(None),
        )
    )
    if submission is None:
        abort(404)
    return submission


@bp.get("/")
def participants():
    """List the participants this mentor follows."""
    return render_template("mentor/participants.html", rows=mentor_participants(current_user))


@bp.get("/peserta/<int:enrollment_id>")
def participant(enrollment_id: int):
    """Show one followed participant's business and enrollment."""
    enrollment = enrollment_followed_by(current_user, enrollment_id)
    return render_template("mentor/participant.html", enrollment=enrollment)


@bp.get("/antrean")
def queue():
    """List the newest versions of the mentor's participants, oldest first, with filters."""
    filters = queries.QueueFilters.from_args(request.args)
    return render_template(
        "mentor/queue.html", filters=filters, page=queries.queue_page(filters, mentor_id=current_user.id),
        module_choices=queries.module_filter_choices(), regency_choices=regions.regency_choices(),
    )


@bp.route("/kiriman/<int:submission_id>", methods=["GET", "POST"])
def grade(submission_id: int):
    """Show a version with the rubric; record the mentor's scores, feedback and decision."""
    submission = submission_followed_by(current_user, submission_id)
    if request.method == "GET":
        # A read marker, like last_seen_at: from now on the participant can no longer withdraw it.
        operations.mark_opened(submission, current_user)
    form = review_form_for(submission.assignment_snapshot)
    if form.validate_on_submit():
        try:
            operations.review_submission(submission.id, current_user, decision=form.decision.data,
                                         scores=form.scores(), feedback=form.feedback.data or "")
        except rules.RubricError as error:
            for criterion_id in error.missing:
                form[f"score-{criterion_id}"].errors = [str(error)]
        except operations.ReviewRefused as error:
            flash(str(error), "error")
            return redirect(url_for(".grade", submission_id=submission.id))
        else:
            flash(_("Penilaian tersimpan. Peserta sudah diberi tahu."), "success")
            return redirect(url_for(".grade", submission_id=submission.id))
    versions = operations.versions_of(submission.user_id, submission.module_id)
    return render_template(
        "mentor/grade.html", submission=submission, form=form, versions=versions,
        previous=operations.previous_reviewed_version(versions, submission),
        outbox=operations.latest_review_outbox(submission),
        may_correct=operations.may_correct(current_user, submission)
        and operations.correction_block_reason(submission) is None,
    )
