"""Staff-written course content: parsing, validation and rendering.

Pure Python (no Flask). The app calls :func:`load_library` once at start-up
(and again when content changes) and serves the result from memory. The checker lives in :mod:`lms.content.check`
(not re-exported, so ``python -m lms.content.check`` runs cleanly).
"""

from .loader import load_library
from .numbers import parse_indonesian_number
from .quizparse import normalize_text_answer
from .render import render_inline, render_markdown
from .schema import (
    Assignment,
    Choice,
    Course,
    Criterion,
    Level,
    Library,
    Module,
    Problem,
    Question,
    Quiz,
    TocEntry,
)

__all__ = [
    "Assignment",
    "Choice",
    "Course",
    "Criterion",
    "Level",
    "Library",
    "Module",
    "Problem",
    "Question",
    "Quiz",
    "TocEntry",
    "load_library",
    "normalize_text_answer",
    "parse_indonesian_number",
    "render_inline",
    "render_markdown",
]
