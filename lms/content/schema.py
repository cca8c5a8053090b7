"""Immutable data produced by the content loader.

Everything here is plain data: the app keeps it in memory after one load and
stores JSON snapshots of quizzes and assignments (``to_dict``) so past attempts
keep the exact questions and rubric they were made against.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType
from typing import Any, Literal

QuestionKind = Literal["single", "multiple", "truefalse", "numeric", "text"]
SubmissionKind = Literal["link", "text", "file"]

# Bumped when the snapshot layout changes, so old snapshots can be migrated.
SNAPSHOT_SCHEMA = 1


@dataclass(frozen=True, order=True)
class Problem:
    """One content error, located by repository-relative path and 1-based line.

    Line 0 means "the whole file or folder" (e.g. a missing file).
    """

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        """Format as ``path:line: message`` for terminals and editors."""
        if self.line <= 0:
            return f"{self.path}: {self.message}"
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True)
class TocEntry:
    """A heading of a module page, for the table of contents."""

    level: int
    anchor: str
    title: str


@dataclass(frozen=True)
class Choice:
    """One answer option of a choice question; ``id`` is "a", "b", … by position."""

    id: str
    html: str
    correct: bool


@dataclass(frozen=True)
class Question:
    """One quiz question.

    ``prompt_html`` is the complete prompt (question sentence, then any scenario
    paragraphs) and is enough on its own; ``title_html`` (inline, the heading
    text) and ``scenario_html`` (blocks) are the same content split for UIs that
    style them apart.
    """

    id: str
    kind: QuestionKind
    prompt_html: str
    choices: tuple[Choice, ...]
    partial_credit: bool
    answer_bool: bool | None
    answer_number: Decimal | None
    tolerance: Decimal
    accepted_texts: tuple[str, ...]
    explanation_html: str
    title_html: str = ""
    scenario_html: str = ""
    # ``Satuan:`` of an angka question: a family from numbers.DECLARED_UNITS, or None.
    unit: str | None = None

    @property
    def correct_choice_ids(self) -> frozenset[str]:
        """Return the ids of the correct choices (empty for numeric/text)."""
        return frozenset(choice.id for choice in self.choices if choice.correct)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable snapshot of this question."""
        return {
            "id": self.id,
            "kind": self.kind,
            "prompt_html": self.prompt_html,
            "title_html": self.title_html,
            "scenario_html": self.scenario_html,
            "choices": [{"id": c.id, "html": c.html, "correct": c.correct} for c in self.choices],
            "partial_credit": self.partial_credit,
            "answer_bool": self.answer_bool,
            "answer_number": _decimal_or_none(self.answer_number),
            "tolerance": str(self.tolerance),
            "accepted_texts": list(self.accepted_texts),
            "explanation_html": self.explanation_html,
            **({"unit": self.unit} if self.unit else {}),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Question":
        """Rebuild a question from ``to_dict`` output."""
        number = data.get("answer_number")
        return cls(
            id=data["id"],
            kind=data["kind"],
            prompt_html=data["prompt_html"],
            choices=tuple(
                Choice(id=c["id"], html=c["html"], correct=bool(c["correct"])) for c in data.get("choices", ())
            ),
            partial_credit=bool(data.get("partial_credit", False)),
            answer_bool=data.get("answer_bool"),
            answer_number=None if number is None else Decimal(number),
            tolerance=Decimal(data.get("tolerance", "0")),
            accepted_texts=tuple(data.get("accepted_texts", ())),
            explanation_html=data.get("explanation_html", ""),
            title_html=data.get("title_html", ""),
            scenario_html=data.get("scenario_html", ""),
            unit=data.get("unit"),
        )


@dataclass(frozen=True)
class Quiz:
    """A module's quiz; ``version`` hashes quiz.md."""

    title: str
    time_limit_minutes: int | None
    max_attempts: int | None
    questions: tuple[Question, ...]
    version: str

    def question(self, question_id: str) -> Question | None:
        """Return the question with ``question_id``, or None."""
        return next((q for q in self.questions if q.id == question_id), None)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable snapshot (Decimals become strings)."""
        return {
            "schema": SNAPSHOT_SCHEMA,
            "title": self.title,
            "time_limit_minutes": self.time_limit_minutes,
            "max_attempts": self.max_attempts,
            "version": self.version,
            "questions": [q.to_dict() for q in self.questions],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Quiz":
        """Rebuild a quiz from ``to_dict`` output."""
        return cls(
            title=data["title"],
            time_limit_minutes=data.get("time_limit_minutes"),
            max_attempts=data.get("max_attempts"),
            questions=tuple(Question.from_dict(q) for q in data["questions"]),
            version=data["version"],
        )


@dataclass(frozen=True)
class Level:
    """One scoring level of a rubric criterion."""

    points: int
    description: str


@dataclass(frozen=True)
class Criterion:
    """One rubric criterion with its levels, in the order they were written."""

    id: str
    title: str
    levels: tuple[Level, ...]

    @property
    def max_points(self) -> int:
        """Return the points of the highest level."""
        return max((level.points for level in self.levels), default=0)


@dataclass(frozen=True)
class Assignment:
    """A module's assignment; ``version`` hashes assignment.md."""

    title: str
    accepts: frozenset[SubmissionKind]
    instructions_html: str
    criteria: tuple[Criterion, ...]
    version: str

    @property
    def max_points(self) -> int:
        """Return the maximum score: the sum of each criterion's best level."""
        return sum(criterion.max_points for criterion in self.criteria)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable snapshot."""
        return {
            "schema": SNAPSHOT_SCHEMA,
            "title": self.title,
            "accepts": sorted(self.accepts),
            "instructions_html": self.instructions_html,
            "version": self.version,
            "criteria": [
                {
                    "id": c.id,
                    "title": c.title,
                    "levels": [{"points": lv.points, "description": lv.description} for lv in c.levels],
                }
                for c in self.criteria
            ],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Assignment":
        """Rebuild an assignment from ``to_dict`` output."""
        return cls(
            title=data["title"],
            accepts=frozenset(data["accepts"]),
            instructions_html=data["instructions_html"],
            criteria=tuple(
                Criterion(
                    id=c["id"],
                    title=c["title"],
                    levels=tuple(Level(points=int(lv["points"]), description=lv["description"]) for lv in c["levels"]),
                )
                for c in data["criteria"]
            ),
            version=data["version"],
        )


# Reading speed for the time a module page states (issue 17: "about 200 words a minute").
READING_WORDS_PER_MINUTE = 200


@dataclass(frozen=True)
class Module:
    """A published module: rendered reading plus optional quiz and assignment.

    ``version`` hashes module.md and the images it uses. ``images`` maps each
    image file name used by module.md to its (width, height); only these files
    should be served. ``source_dir`` is the absolute path of the module folder.
    """

    id: str
    title: str
    summary: str
    minutes: int
    objectives: tuple[str, ...]
    html: str
    toc: tuple[TocEntry, ...]
    version: str
    quiz: Quiz | None
    assignment: Assignment | None
    images: Mapping[str, tuple[int, int]]
    word_count: int
    source_dir: str

    @property
    def reading_minutes(self) -> int:
        """Return the honest reading time of the lesson text at 200 words a minute (at least 1)."""
        return max(1, -(-self.word_count // READING_WORDS_PER_MINUTE))


@dataclass(frozen=True)
class Course:
    """A course manifest.

    ``module_ids`` holds only modules that loaded cleanly. ``listed_module_ids``
    is the manifest's full order (including broken or missing modules) so the
    app can slot in the last good version of a broken module where it belongs.
    """

    id: str
    title: str
    description: str
    module_ids: tuple[str, ...]
    pass_mark: int
    require_read: bool
    require_quiz: bool
    require_assignment: bool
    certificate_template: str
    top_certificate_template: str | None
    version: str
    listed_module_ids: tuple[str, ...] = ()
    # Minimum attendance (percent of the cohort's held sessions) for graduation; None: no rule (lms.bootcamp).
    attendance_minimum: int | None = None


@dataclass(frozen=True)
class KnowledgeTest:
    """A module's knowledge test: the same few items asked at orientation (pre) and at the end (post).

    ``version`` hashes pengetahuan.md; a pre and a post score pair only when taken on the same version.
    """

    module_id: str
    questions: tuple[Question, ...]
    version: str


@dataclass(frozen=True)
class Library:
    """Everything loaded from content/ and courses/, plus the problems found.

    Modules with any problem are left out of ``modules`` and named in
    ``broken_module_ids``; courses whose manifest itself is invalid are left
    out of ``courses`` and named in ``broken_course_ids``.
    """

    courses: Mapping[str, Course]
    modules: Mapping[str, Module]
    problems: tuple[Problem, ...]
    broken_module_ids: frozenset[str]
    broken_course_ids: frozenset[str] = field(default_factory=frozenset)
    # Impact survey definitions (courses/surveys/*.yaml), by id; typed loosely to keep schema import-free.
    surveys: Mapping[str, Any] = field(default_factory=dict)
    # knowledge: each module's pre/post knowledge test items (content/<module>/pengetahuan.md), by module id.
    knowledge_tests: Mapping[str, "KnowledgeTest"] = field(default_factory=dict)

    def courses_for_module(self, module_id: str) -> tuple[Course, ...]:
        """Return the courses whose manifest lists ``module_id``, in id order."""
        return tuple(
            course
            for _, course in sorted(self.courses.items())
            if module_id in course.listed_module_ids or module_id in course.module_ids
        )


def frozen_mapping(data: Mapping[str, Any]) -> Mapping[str, Any]:
    """Return a read-only copy of ``data`` (so frozen dataclasses stay frozen)."""
    return MappingProxyType(dict(data))


def _decimal_or_none(value: Decimal | None) -> str | None:
    """Serialise an optional Decimal as a string."""
    return None if value is None else str(value)
