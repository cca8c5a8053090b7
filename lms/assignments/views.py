"""Submitting assignment work and reading reviews; files, notices and the staff overview."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from lms import audit, regions
from lms.assignments import notifications, operations, queries, stats, uploads
from lms.assignments.forms import CorrectionForm, SubmissionForm, WithdrawForm, new_client_token, review_form_for
from lms.errors import render_page
from lms.extensions import db
from lms.learn import access
from lms.learn.store import get_content
from lms.models import Notification, OutboxMessage, Submission, SubmissionFile, User
from lms.security import is_safe_next

bp = Blueprint("assignments", __name__)
FILE_MAX_AGE = 3600
OUTBOX_ROWS = 100
# The submission form may carry files over the per-file limit up to this many times it, so the
# form can say which file is too big and keep the typed text (Werkzeug spools files to disk).
SUBMISSION_BODY_FACTOR = 4


@bp.url_value_preprocessor
def allow_oversized_submission_body(endpoint, _values):
    """Raise the body limit for the submission form only, before anything reads the form.

    URL value preprocessors run before every before_request function, including the
    CSRF check that parses the body; the per-file limit is then checked by the form.
    """
    if endpoint == "assignments.assignment":
        request.max_content_length = (SUBMISSION_BODY_FACTOR * uploads.max_upload_mb() + 1) * 1024 * 1024


@bp.before_request
@login_required
def require_login():
    """Every page here is for signed-in users."""


def load_assignment_or_404(course_id: str, module_id: str):
    """Return a course and one of its modules that has an assignment the user may read, or 404."""
    return access.course_module_or_404(current_user, course_id, module_id, needs="assignment")


def load_submission_or_404(submission_id: int) -> Submission:
    """Return a submission the user may see (owner, their mentor now, staff), or 404."""
    submission = db.session.get(Submission, submission_id)
    if submission is None or not operations.can_view_submission(current_user, submission):
        abort(404)
    return submission


def load_file_or_404(file_id: int) -> SubmissionFile:
    """Return a stored file the user may see, or 404 (never 403: do not confirm it exists)."""
    stored = db.session.get(SubmissionFile, file_id)
    if stored is None or not operations.can_view_submission(current_user, stored.submission):
        abort(404)
    return stored


@bp.route("/belajar/<course_id>/<module_id>/tugas", methods=["GET", "POST"])
def assignment(course_id: str, module_id: str):
    """Show an assignment with its rubric; participants see their versions and send a new one."""
    course, module = load_assignment_or_404(course_id, module_id)
    if request.method == "POST" and not current_user.is_participant:
        abort(403)
    enrollment = operations.participant_enrollment(current_user, course.id) if current_user.is_participant else None
    versions = operations.versions_of(current_user.id, module.id) if enrollment is not None else []
    form = SubmissionForm(module.assignment.accepts, keepable=operations.keepable_files(versions), user=current_user)
    status = 200
    if enrollment is not None and form.validate_on_submit():
        try:
            result = operations.submit_work(current_user, enrollment, module, form.submission_input())
        except uploads.UploadError as error:
            form.files.errors = [str(error)]
        except operations.TokenReused as error:
            flash(str(error), "error")
            form.client_token.data, status = new_client_token(), 409  # the typed content stays in the form
        except operations.SubmissionRefused as error:
            flash(str(error), "error")
        else:
            flash(_("Kiriman versi %(n)s tersimpan. Mentor Anda akan menilainya.", n=result.submission.version_no)
                  if result.created else _("Kiriman ini sudah tersimpan sebelumnya."), "success")
            return redirect(url_for(".assignment", course_id=course.id, module_id=module.id))
    return render_template(
        "assignments/assignment.html", course=course, module=module, assignment=module.assignment,
        enrollment=enrollment, versions=versions, form=form, withdraw_form=WithdrawForm(),
        block_reason=operations.block_reason(enrollment, versions) if enrollment is not None else None,
    ), status


@bp.get("/kiriman/<int:submission_id>")
def submission(submission_id: int):
    """Show one version with its files, link, text and reviews."""
    submission = load_submission_or_404(submission_id)
    return render_template("assignments/submission.html", submission=submission,
                           course_id=submission.enrollment.cohort.course_id)


@bp.post("/kiriman/<int:submission_id>/tarik")
def withdraw(submission_id: int):
    """Take back one's own waiting version that no mentor has opened yet (409 once opened or reviewed)."""
    form = WithdrawForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        submission = operations.withdraw_submission(current_user, submission_id)
    except operations.NotYours:
        abort(404)
    except operations.WithdrawRefused as error:
        return render_page(409, str(error))
    flash(_("Versi %(n)s ditarik dan tetap tersimpan di riwayat. Silakan kirim versi yang benar.",
            n=submission.version_no), "success")
    course_id = submission.enrollment.cohort.course_id
    return redirect(url_for(".assignment", course_id=course_id, module_id=submission.module_id) + "#kirim")


@bp.route("/kiriman/<int:submission_id>/koreksi", methods=["GET", "POST"])
def correct(submission_id: int):
    """Let the mentor who gave the review in force (or staff) correct it with a new review and a reason."""
    submission = load_submission_or_404(submission_id)
    if not operations.may_correct(current_user, submission):
        abort(404 if current_user.is_participant else 403)
    form = review_form_for(submission.assignment_snapshot, base=CorrectionForm)
    block = operations.correction_block_reason(submission)
    if request.method == "GET":
        form.prefill_from(submission.current_review)
    elif block is None and form.validate_on_submit():
        try:
            operations.correct_review(submission.id, current_user, decision=form.decision.data, scores=form.scores(),
                                      feedback=form.feedback.data or "", reason=form.reason.data or "")
        except operations.ReviewRefused as error:
            flash(str(error), "error")
        else:
            flash(_("Koreksi nilai tersimpan. Peserta sudah diberi tahu."), "success")
            return redirect(url_for(".submission", submission_id=submission.id))
    return render_template("assignments/correct.html", submission=submission, form=form, block_reason=block,
                           corrected=submission.current_review)


@bp.get("/berkas/<int:file_id>")
def download(file_id: int):
    """Send a stored file as an attachment, under its harmless display name."""
    stored = load_file_or_404(file_id)
    audit.record_access("submission_file", stored, file=stored.display_name)
    # Re-derived, so names stored before extensions followed the detected type are safe too.
    name = uploads.display_name_for(stored.display_name, stored.content_type)
    return _send_stored(stored.stored_name, stored.content_type, as_attachment=True, name=name)


@bp.get("/berkas/<int:file_id>/lihat")
def view_file(file_id: int):
    """Show a checked image or PDF in the browser (its content was verified on upload)."""
    stored = load_file_or_404(file_id)
    if stored.content_type not in uploads.INLINE_TYPES:
        abort(404)
    audit.record_access("submission_file", stored, file=stored.display_name, inline=True)
    return _send_stored(stored.stored_name, stored.content_type, as_attachment=False, name=stored.display_name)


@bp.get("/berkas/<int:file_id>/kecil")
def thumbnail(file_id: int):
    """Show the downscaled copy of an image, made by the server on upload."""
    stored = load_file_or_404(file_id)
    if not stored.thumbnail_name:
        abort(404)
    return _send_stored(stored.thumbnail_name, uploads.JPEG, as_attachment=False, name="thumbnail.jpg")


def _send_stored(stored_name: str, content_type: str, *, as_attachment: bool, name: str):
    """Send a file from the upload folder with nosniff and a private cache."""
    path = uploads.path_of(stored_name)
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype=content_type, as_attachment=as_attachment, download_name=name,
                         max_age=FILE_MAX_AGE, conditional=True)
    if not as_attachment:
        response.headers["Content-Disposition"] = "inline"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.cache_control.private = True
    response.cache_control.public = False
    return response


@bp.get("/notifikasi")
def notifications_page():
    """List the user's notices, newest first."""
    return render_template("assignments/notifications.html",
                           items=notifications.recent_notifications(current_user))


@bp.post("/notifikasi/<int:notification_id>/buka")
def open_notification(notification_id: int):
    """Mark one notice as read and go to what it is about."""
    notice = db.session.get(Notification, notification_id)
    if notice is None or notice.user_id != current_user.id:
        abort(404)
    notifications.mark_read(current_user, notice.id)
    return redirect(notice.link if is_safe_next(notice.link) else url_for(".notifications_page"))


@bp.post("/notifikasi/baca-semua")
def read_all_notifications():
    """Mark every notice of the user as read."""
    notifications.mark_read(current_user)
    flash(_("Semua notifikasi ditandai sudah dibaca."), "success")
    return redirect(url_for(".notifications_page"))


@bp.get("/penilaian")
def overview():
    """Show staff every newest version with filters, and each mentor's workload and turnaround."""
    if not current_user.is_staff:
        abort(403)
    filters = queries.QueueFilters.from_args(request.args)
    mentors = queries.mentors()
    return render_template(
        "assignments/overview.html", filters=filters, page=queries.queue_page(filters, mentor_id=None),
        mentors=mentors, workload=stats.mentor_workload([m.id for m in mentors]),
        module_choices=queries.module_filter_choices(), regency_choices=regions.regency_choices(),
    )


@bp.get("/kotak-keluar")
def outbox():
    """Show staff the newest outbound messages with their status and WhatsApp links."""
    if not current_user.is_staff:
        abort(403)
    rows = db.session.execute(
        select(OutboxMessage, User.name)
        .outerjoin(User, User.id == OutboxMessage.recipient_id)
        .order_by(OutboxMessage.id.desc())
        .limit(OUTBOX_ROWS)
    ).all()
    return render_template("assignments/outbox.html", rows=rows)


@bp.app_template_global()
def unread_notification_count() -> int:
    """Return the signed-in user's unread notice count, for the header badge."""
    return notifications.unread_count(current_user) if current_user.is_authenticated else 0


@bp.app_template_global()
def participant_assignments(user: User) -> list[dict]:
    """Return each assignment of the participant's course with its newest status, in one query."""
    enrollment = user.current_enrollment()
    content = get_content()
    course = content.course(enrollment.cohort.course_id) if enrollment else None
    if course is None:
        return []
    modules = [m for m in content.course_modules(course) if m.assignment is not None]
    statuses = queries.participant_statuses(user, [m.id for m in modules])
    return [{"course": course, "module": m, "status": statuses.get(m.id)} for m in modules]


@bp.app_template_global()
def mentor_queue_summary(user: User):
    """Return the mentor's first waiting versions, oldest first, for the home page."""
    return queries.queue_page(queries.QueueFilters(), mentor_id=user.id)



@bp.app_template_filter("filesize")
def filesize(size: int) -> str:
    """Show a byte count the way people read it: "850 KB", "2,4 MB"."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / 1048576:.1f} MB".replace(".", ",")
