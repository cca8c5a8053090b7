"""Participant pages: the knowledge pre-test at orientation, the post-test at the end, and both scores."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.knowledge import bp, forms, operations, queries, rules
from lms.models import Role
from lms.quiz.scoring import format_score
from lms.security import require_roles

_participants_only = require_roles(Role.PARTICIPANT)


@bp.before_request
def check_access():
    """Participants only: staff read the results in the cohort's impact report."""
    return _participants_only()


def tests_or_404() -> queries.ParticipantTests:
    tests = queries.participant_tests(current_user)
    if tests is None:
        abort(404)
    return tests


@bp.get("/tes-pengetahuan")
def overview():
    """Show the participant's two tests: which one is open, and the scores of those taken."""
    tests = tests_or_404()
    return render_template("knowledge/overview.html", tests=tests, rows=score_rows(tests),
                           titles=queries.module_titles([t.module_id for t in tests.tests]))


@bp.route("/tes-pengetahuan/<phase>", methods=["GET", "POST"])
def take(phase: str):
    """Show the open test, or take its answers once; every item must be answered."""
    phase_key = rules.PHASE_BY_SLUG.get(phase)
    if phase_key is None:
        abort(404)
    tests = tests_or_404()
    if tests.states[phase_key] != "open":
        if request.method == "POST":
            flash(_("Tes ini sudah Anda kerjakan; jawaban pertama yang dihitung.") if tests.states[phase_key] == "taken"
                  else _("Tes ini sedang tidak dibuka. Jawaban tidak disimpan."), "info")
        return redirect(url_for(".overview"))
    if request.method == "GET":
        return render_test(tests, phase_key, {}, [])
    answers = forms.read_posted_answers(tests.tests, request.form)
    missing = rules.unanswered(tests.tests, answers)
    if missing:
        return render_test(tests, phase_key, answers, missing), 400
    outcome = operations.submit_test(current_user, tests.enrollment.cohort, phase_key, tests.tests, answers)
    score = format_score(rules.one_decimal(rules.overall_percent(outcome.result.scores)))
    flash(_("Terima kasih, tes Anda sudah terkirim. Nilai Anda %(score)s dari 100.", score=score)
          if outcome.created else _("Tes ini sudah Anda kerjakan; jawaban pertama yang dihitung."), "success")
    return redirect(url_for(".overview"))


def render_test(tests: queries.ParticipantTests, phase: str, answers: dict, missing: list[tuple[str, str]]):
    titles = queries.module_titles([t.module_id for t in tests.tests])
    return render_template("knowledge/take.html", tests=tests.tests, phase=phase, slug=rules.SLUG_BY_PHASE[phase],
                           answers=answers, missing=missing, titles=titles, field_name=forms.field_name,
                           item_count=sum(len(test.questions) for test in tests.tests))


def score_rows(tests: queries.ParticipantTests) -> list[dict]:
    """Per module, the participant's own pre and post score (0–100) where taken; then the whole test."""
    pre, post = (tests.results[p].scores if p in tests.results else {} for p in rules.PHASES)
    rows = [{"module": t.module_id, "pre": _pct(pre.get(t.module_id)), "post": _pct(post.get(t.module_id))}
            for t in tests.tests]
    rows.append({"module": None, "pre": rules.one_decimal(rules.overall_percent(pre)) if pre else None,
                 "post": rules.one_decimal(rules.overall_percent(post)) if post else None})
    return rows


def _pct(entry) -> float | None:
    return None if entry is None else rules.one_decimal(rules.module_percent(entry))


@bp.app_template_global()
def knowledge_tests_for(user) -> queries.ParticipantTests | None:
    """For the home and course pages: the participant's knowledge tests (None for everyone else)."""
    if not user.is_authenticated or not user.is_participant:
        return None
    return queries.participant_tests(user)
