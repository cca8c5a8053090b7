"""Taking a module's quiz: one page, autosave, exactly-once submit, results."""


from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import inspect, select

from lms.extensions import db
from lms.learn import access
from lms.models import QuizAttempt, QuizVersion
from lms.quiz import operations, queries, scoring
from lms.quiz.forms import GrantAttemptsForm, PostedAnswers, read_posted_answers
from lms.quiz.operations import QuizRefused, SubmitReplayRefused
from lms.quiz.scoring import format_score
from lms.quiz.versions import quiz_for_version, remember_identity

bp = Blueprint("quiz", __name__)


@bp.before_request
@login_required
def require_login():
    """Every page here is for signed-in users; each view checks role and ownership."""


def load_quiz_module_or_404(course_id: str, module_id: str):
    """Return a course the user may read and one of its modules that has a quiz, or 404."""
    return access.course_module_or_404(current_user, course_id, module_id, needs="quiz")


def load_attempt(attempt_id: int) -> QuizAttempt | None:
    """Load an attempt with its quiz snapshot's identity in one statement (quiz_for_version then reads no row)."""
    row = db.session.execute(
        select(QuizAttempt, QuizVersion.module_id, QuizVersion.version)
        .join(QuizVersion, QuizVersion.id == QuizAttempt.quiz_version_id)
        .where(QuizAttempt.id == attempt_id)
    ).first()
    if row is None:
        return None
    remember_identity(row.QuizAttempt.quiz_version_id, row.module_id, row.version)
    return row.QuizAttempt


def own_attempt_or_404(attempt_id: int) -> QuizAttempt:
    """Return the signed-in participant's own attempt; anyone else's is 404."""
    attempt = load_attempt(attempt_id)
    if attempt is None or attempt.user_id != current_user.id:
        abort(404)
    return attempt


def visible_attempt_or_404(attempt_id: int) -> QuizAttempt:
    """Return an attempt the user may see: their own, a followed participant's, or any for staff."""
    attempt = load_attempt(attempt_id)
    if attempt is None or not queries.may_see_attempts_of(current_user, attempt.user_id):
        abort(404)
    return attempt


def wants_json() -> bool:
    """Tell whether the request came from the autosave script."""
    return request.accept_mimetypes.best_match(["text/html", "application/json"]) == "application/json"


@bp.get("/belajar/<course_id>/<module_id>/kuis")
def overview(course_id: str, module_id: str):
    """Show the quiz's rules, the participant's attempts and the start or continue button."""
    course, module = load_quiz_module_or_404(course_id, module_id)
    status = queries.quiz_status(current_user, course, module, expire=True)
    return render_template("quiz/overview.html", course=course, module=module, quiz=module.quiz, status=status)


@bp.post("/belajar/<course_id>/<module_id>/kuis/mulai")
def start(course_id: str, module_id: str):
    """Start an attempt (or reopen the open one) and go to the quiz page."""
    course, module = load_quiz_module_or_404(course_id, module_id)
    if not current_user.is_participant:
        abort(403)
    try:
        attempt = operations.start_attempt(current_user, course, module)
    except QuizRefused as refusal:
        flash(refusal.message, "error")
        return redirect(url_for(".overview", course_id=course.id, module_id=module.id))
    # The id from the identity map: reading attempt.id after the commit would load the row again.
    return redirect(url_for(".attempt", attempt_id=inspect(attempt).identity[0]))


@bp.get("/kuis/percobaan/<int:attempt_id>")
def attempt(attempt_id: int):
    """Show the one-page quiz while the attempt is open, and its result once graded."""
    attempt = visible_attempt_or_404(attempt_id)
    operations.expire_if_overdue(attempt, queries.pass_mark_for(attempt.course_id))
    quiz = quiz_for_version(attempt.quiz_version_id)
    if attempt.submitted_at is not None:
        return render_template("quiz/result.html", **queries.result_context(attempt, quiz))
    if attempt.user_id != current_user.id:
        return render_template("quiz/in_progress.html", attempt=attempt, quiz=quiz,
                               module_title=queries.module_title(attempt.module_id))
    return render_quiz_page(attempt, quiz)


@bp.post("/kuis/percobaan/<int:attempt_id>/simpan")
def save(attempt_id: int):
    """Save answers as the draft: the "Simpan jawaban" button, and the autosave script."""
    attempt = own_attempt_or_404(attempt_id)
    quiz = quiz_for_version(attempt.quiz_version_id)
    posted = read_posted_answers(quiz, request.form)
    if posted.error or (posted.seq is None and not posted.is_empty):
        return refuse(attempt, quiz, posted.error or _("Formulir kuis tidak lengkap. Muat ulang halaman kuis."))
    if posted.seq is None and not wants_json():
        flash(_("Tidak ada jawaban yang dikirim."), "error")
        return redirect(url_for(".attempt", attempt_id=attempt.id))
    outcome = operations.save_draft(attempt, current_user, posted, queries.pass_mark_for(attempt.course_id))
    message = queries.save_message(outcome.status)
    if wants_json():
        readings = queries.number_readings(quiz, posted.answers)  # only sent when there are some
        return jsonify(status=outcome.status, seq=outcome.seq, message=message,
                       problems=queries.number_problems(quiz, posted.answers),
                       **({"readings": readings} if readings else {}))
    if outcome.status == "stale":
        return render_quiz_page(attempt, quiz, posted=posted, message=message, code=409)
    flash(message, "success" if outcome.status == "saved" else "info")
    return redirect(url_for(".attempt", attempt_id=attempt.id))


@bp.post("/kuis/percobaan/<int:attempt_id>/kirim")
def submit(attempt_id: int):
    """Grade the attempt exactly once; a repeat shows the same result."""
    attempt = own_attempt_or_404(attempt_id)
    quiz = quiz_for_version(attempt.quiz_version_id)
    posted = read_posted_answers(quiz, request.form)
    if posted.error or (posted.seq is None and not posted.is_empty):
        return refuse(attempt, quiz, posted.error or _("Formulir kuis tidak lengkap. Muat ulang halaman kuis."))
    key = request.form.get("idempotency_key") or None
    if key is not None and not read_idempotency_key(key):
        return refuse(attempt, quiz, _("Formulir kuis tidak lengkap. Muat ulang halaman kuis."))
    if request.form.get("confirm") != "1" and needs_a_second_look(attempt, quiz, posted):
        return ask_before_grading(attempt, quiz, posted)
    try:
        outcome = operations.submit_attempt(attempt.id, current_user, posted,
                                            queries.pass_mark_for(attempt.course_id), key=key)
    except SubmitReplayRefused as refusal:
        return refuse(attempt, quiz, refusal.message)
    except QuizRefused as refusal:
        return render_quiz_page(attempt, quiz, posted=posted, message=refusal.message, code=409)
    if outcome.late and not posted.is_empty:
        flash(_("Waktu sudah habis. Jawaban yang dinilai adalah jawaban yang tersimpan sebelum batas waktu; "
                "jawaban yang dikirim sesudahnya tidak dipakai."), "error")
    elif outcome.graded_now:
        flash(_("Jawaban terkirim dan sudah dinilai."), "success")
    return redirect(url_for(".attempt", attempt_id=attempt_id))  # attempt.id would load the row again


def read_idempotency_key(value: str) -> bool:
    """Tell whether a queued submit's idempotency key has the shape the phone makes (16–64 URL-safe characters)."""
    return 16 <= len(value) <= 64 and all(ch.isascii() and (ch.isalnum() or ch in "-_") for ch in value)


def needs_a_second_look(attempt: QuizAttempt, quiz, posted: PostedAnswers) -> bool:
    """Tell whether grading now would count questions as unanswered, or read a number the participant
    should see first ("1.200" that may mean 1,2; a number or unit that cannot be read).

    An overdue attempt is graded anyway.
    """
    if attempt.submitted_at is not None or operations.is_expired(attempt):
        return False
    answers = {**(attempt.draft_answers or {}), **posted.answers}
    return bool(scoring.unanswered_questions(quiz, answers) or scoring.number_problems(quiz, answers)
                or scoring.ambiguous_numbers(quiz, answers))


def ask_before_grading(attempt: QuizAttempt, quiz, posted: PostedAnswers):
    """Keep the posted answers as the draft, then list what to check before anything is graded."""
    if not posted.is_empty:
        outcome = operations.save_draft(attempt, current_user, posted, queries.pass_mark_for(attempt.course_id))
        if outcome.status == "stale":
            return render_quiz_page(attempt, quiz, posted=posted, message=queries.save_message("stale"), code=409)
        if outcome.status != "saved":  # graded meanwhile: another tab, or the time ran out
            flash(queries.save_message(outcome.status), "info")
            return redirect(url_for(".attempt", attempt_id=attempt.id))
    return render_template("quiz/confirm.html", **queries.confirm_context(attempt, quiz))


@bp.get("/kuis/peserta/<int:enrollment_id>")
def participant_attempts(enrollment_id: int):
    """List one participant's quiz attempts and scores, for their mentor and for staff."""
    enrollment = followed_enrollment_or_404(enrollment_id)
    return render_participant_attempts(enrollment)


@bp.post("/kuis/peserta/<int:enrollment_id>/<module_id>/tambah-percobaan")
def grant_attempts(enrollment_id: int, module_id: str):
    """Give a participant extra attempts at one quiz, with a reason: their mentor, or staff."""
    enrollment = followed_enrollment_or_404(enrollment_id)
    context = queries.participant_quiz_rows(enrollment)
    row = next((r for r in context["rows"] if r["module"].id == module_id and r["limit"] is not None), None)
    if row is None:
        abort(404)
    form = GrantAttemptsForm(prefix=f"tambah-{module_id}")
    if not form.validate_on_submit():
        return render_participant_attempts(enrollment, failed=(module_id, form), context=context), 400
    operations.grant_extra_attempts(enrollment.user, module_id, form.extra.data, form.reason.data, current_user)
    flash(_("%(name)s mendapat %(n)s percobaan tambahan untuk kuis %(quiz)s.", name=enrollment.user.name,
            n=form.extra.data, quiz=row["module"].title), "success")
    return redirect(url_for(".participant_attempts", enrollment_id=enrollment.id) + f"#kuis-{module_id}")


def followed_enrollment_or_404(enrollment_id: int):
    """Return an enrollment for staff, or for the mentor who follows it now; 403 for others, 404 if unseen."""
    if not (current_user.is_staff or current_user.is_mentor):
        abort(403)
    enrollment = queries.enrollment_visible_to(current_user, enrollment_id)
    if enrollment is None:
        abort(404)
    return enrollment


def render_participant_attempts(enrollment, failed: tuple[str, GrantAttemptsForm] | None = None,
                                context: dict | None = None):
    """Render a participant's quiz results with a grant form per limited quiz (a refused one keeps its input)."""
    context = context or queries.participant_quiz_rows(enrollment)
    forms = {row["module"].id: GrantAttemptsForm(prefix=f"tambah-{row['module'].id}", formdata=None)
             for row in context["rows"] if row["limit"] is not None}
    if failed is not None:
        forms[failed[0]] = failed[1]
    return render_template("quiz/participant_attempts.html", enrollment=enrollment, grant_forms=forms, **context)


def refuse(attempt: QuizAttempt, quiz, message: str):
    """Refuse a tampered or incomplete post: nothing is saved; say why."""
    if wants_json():
        return jsonify(status="refused", seq=attempt.draft_seq, message=message), 400
    if attempt.submitted_at is not None:  # a replayed submit with other answers: the result stays as it was
        return render_template("quiz/result.html", message=message, **queries.result_context(attempt, quiz)), 400
    return render_quiz_page(attempt, quiz, message=message, code=400)


def render_quiz_page(attempt: QuizAttempt, quiz, posted: PostedAnswers | None = None, message: str | None = None,
                     code: int = 200):
    """Render the open attempt with the draft (and any answers just posted) filled in."""
    if attempt.submitted_at is not None:
        return redirect(url_for(".attempt", attempt_id=attempt.id))
    context = queries.quiz_page_context(attempt, quiz, posted.answers if posted else None)
    return render_template("quiz/attempt.html", message=message, **context), code


@bp.app_template_global()
def participant_open_quizzes(user):
    """Return the quizzes a participant has started but not sent, for the home page."""
    if not user.is_authenticated or not user.is_participant:
        return []
    return queries.open_attempts_of(user)


@bp.app_template_global()
def quiz_attempt_grants(user):
    """Return the extra quiz attempts granted to a participant, newest first, for mentor and staff pages."""
    return queries.grants_of(user.id)


@bp.app_template_global()
def module_title_of(module_id: str) -> str:
    """Return a module's current title (its id if it is gone)."""
    return queries.module_title(module_id)


bp.add_app_template_filter(format_score, "nilai")
