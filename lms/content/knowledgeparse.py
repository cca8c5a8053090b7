"""Parse a module's knowledge test, content/<module>/pengetahuan.md (see docs/content-format.md).

The file holds a few items written exactly like quiz.md questions, without front
matter: the same items are asked once at orientation (pre-test) and once at the
end (post-test), so the report can compare the two means per module. Only closed
items are allowed (``tunggal`` and ``benar-salah``), so every participant is scored
the same way and nothing depends on reading typed text. ``Penjelasan`` is required
as in quiz.md, for the people who review the items; the app never shows it.
"""

from __future__ import annotations

from .images import report_images_not_allowed
from .quizparse import parse_questions
from .report import Report
from .schema import KnowledgeTest

MIN_ITEMS = 2
MAX_ITEMS = 8
ALLOWED_KINDS = ("single", "truefalse")


def parse_knowledge_test(module_id: str, text: str, report: Report, *, version: str) -> KnowledgeTest | None:
    """Build a module's KnowledgeTest from pengetahuan.md's text; None if it has problems."""
    first = next((number for number, line in enumerate(text.splitlines(), start=1) if line.strip()), 1)
    if text.strip().startswith("---"):
        report.add(first, "pengetahuan.md tidak memakai front matter; mulai langsung dengan soal '## '")
        return None
    report_images_not_allowed(text, body_first_line=1, report=report)
    questions = parse_questions(text, 1, report)
    if not text.strip():
        report.add(1, "tes pengetahuan belum punya soal (awali soal dengan '## ')")
    for question in questions:
        if question.kind not in ALLOWED_KINDS:
            report.add(_heading_line(text, question.id),
                       "tes pengetahuan hanya memakai soal 'tunggal' dan 'benar-salah'")
    if report.ok and not MIN_ITEMS <= len(questions) <= MAX_ITEMS:
        report.add(first, f"tes pengetahuan perlu {MIN_ITEMS}–{MAX_ITEMS} soal (sekarang {len(questions)})")
    if not report.ok:
        return None
    return KnowledgeTest(module_id=module_id, questions=tuple(questions), version=version)


def _heading_line(text: str, question_id: str) -> int:
    """Return the line of the ``##`` heading that carries ``{#question_id}``."""
    marker = "{#" + question_id + "}"
    return next((number for number, line in enumerate(text.splitlines(), start=1)
                 if line.startswith("##") and marker in line), 0)
