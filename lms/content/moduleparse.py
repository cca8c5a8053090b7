"""Parse one module folder: module.md, its images, quiz.md and assignment.md."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from .assignmentparse import parse_assignment
from .fields import Fields
from .frontmatter import FrontMatter, decode_text, split_front_matter
from .images import ImageFile, check_images
from .quizparse import parse_quiz
from .render import ADMONITION_KINDS, count_words, render_markdown
from .report import Report
from .schema import Assignment, Module, Problem, Quiz, TocEntry, frozen_mapping
from .versions import version_of, version_of_files

MODULE_FILE = "module.md"
QUIZ_FILE = "quiz.md"
ASSIGNMENT_FILE = "assignment.md"
KNOWLEDGE_FILE = "pengetahuan.md"  # knowledge: the pre/post test items, loaded by lms/content/knowledgeparse.py
KNOWN_FILES = (MODULE_FILE, QUIZ_FILE, ASSIGNMENT_FILE, KNOWLEDGE_FILE)
FRONT_MATTER_KEYS = ("judul", "ringkasan", "menit", "tujuan")

_ADMONITION = re.compile(r"^\s*!!!\s*(?P<kind>[^\s\"']*)")
_Part = TypeVar("_Part", Quiz, Assignment)


@dataclass(frozen=True)
class _ModuleText:
    """module.md's validated front matter."""

    title: str
    summary: str
    minutes: int
    objectives: tuple[str, ...]


@dataclass(frozen=True)
class _Reading:
    """module.md fully processed: metadata, HTML, TOC, images and version."""

    meta: _ModuleText
    html: str
    toc: tuple[TocEntry, ...]
    images: tuple[ImageFile, ...]
    version: str


def load_module(
    module_dir: Path, module_id: str, rel_dir: str, image_url_prefix: str
) -> tuple[Module | None, list[Problem]]:
    """Load a module folder; return (module or None, problems)."""
    problems: list[Problem] = []
    _report_unknown_files(module_dir, rel_dir, problems)
    module_report = Report(f"{rel_dir}/{MODULE_FILE}")
    parts = _load_reading(module_dir, module_report, image_url_prefix)
    problems += module_report.problems
    quiz = _load_optional(module_dir, rel_dir, QUIZ_FILE, parse_quiz, problems)
    assignment = _load_optional(module_dir, rel_dir, ASSIGNMENT_FILE, parse_assignment, problems)
    if problems or parts is None:
        return None, problems
    return Module(
        id=module_id,
        title=parts.meta.title,
        summary=parts.meta.summary,
        minutes=parts.meta.minutes,
        objectives=parts.meta.objectives,
        html=parts.html,
        toc=parts.toc,
        version=parts.version,
        quiz=quiz,
        assignment=assignment,
        images=frozen_mapping({img.name: (img.width, img.height) for img in parts.images}),
        word_count=count_words(parts.html),
        source_dir=str(module_dir.resolve()),
    ), problems


def _load_reading(module_dir: Path, report: Report, image_url_prefix: str) -> _Reading | None:
    """Parse module.md and its images; None when anything is wrong."""
    path = module_dir / MODULE_FILE
    if not path.is_file():
        report.add(0, "berkas module.md tidak ditemukan")
        return None
    loaded = _read_front_matter(path, report)
    if loaded is None:
        return None
    raw, front = loaded
    meta = _module_meta(front, report)
    _check_body(front, report)
    images = check_images(
        front.body,
        body_first_line=front.body_first_line,
        module_dir=module_dir,
        report=report,
    )
    if not report.ok or meta is None:
        return None
    html, toc = render_markdown(
        front.body,
        image_sizes={img.name: (img.width, img.height) for img in images},
        image_url_prefix=image_url_prefix,
    )
    version = version_of_files(raw, ((img.name, img.data) for img in images))
    return _Reading(meta=meta, html=html, toc=toc, images=images, version=version)


def _read_front_matter(path: Path, report: Report) -> tuple[bytes, FrontMatter] | None:
    """Read a file's bytes and split its front matter."""
    try:
        raw = path.read_bytes()
    except OSError:
        report.add(0, "berkas tidak bisa dibaca")
        return None
    text = decode_text(raw, report)
    if text is None:
        return None
    front = split_front_matter(text, report)
    return None if front is None else (raw, front)


def _module_meta(front: FrontMatter, report: Report) -> _ModuleText | None:
    """Validate module.md's front matter."""
    fields = Fields(front.doc, report, anchor_line=front.start_line, where="front matter")
    if not fields.is_mapping():
        return None
    fields.reject_unknown(FRONT_MATTER_KEYS)
    title = fields.text("judul")
    summary = fields.text("ringkasan")
    minutes = fields.integer("menit", low=1, high=600)
    objectives = fields.text_list("tujuan")
    if title is None or summary is None or minutes is None or objectives is None:
        return None
    return _ModuleText(title, summary, minutes, objectives)


def _check_body(front: FrontMatter, report: Report) -> None:
    """Check the reading is not empty and uses only known box kinds."""
    if not front.body.strip():
        report.add(front.body_first_line, "isi modul kosong")
    for offset, text in enumerate(front.body.splitlines()):
        match = _ADMONITION.match(text)
        if match and match["kind"] not in ADMONITION_KINDS:
            kind = match["kind"] or "(kosong)"
            report.add(
                front.body_first_line + offset,
                f"jenis kotak '{kind}' tidak dikenal; pakai: {', '.join(ADMONITION_KINDS)}",
            )


def _load_optional(
    module_dir: Path,
    rel_dir: str,
    name: str,
    parse: Callable[..., _Part | None],
    problems: list[Problem],
) -> _Part | None:
    """Parse quiz.md or assignment.md if present, collecting its problems."""
    path = module_dir / name
    if not path.is_file():
        return None
    report = Report(f"{rel_dir}/{name}")
    loaded = _read_front_matter(path, report)
    result = None
    if loaded is not None:
        raw, front = loaded
        result = parse(front, report, version=version_of(raw))
    problems += report.problems
    return result


def _report_unknown_files(module_dir: Path, rel_dir: str, problems: list[Problem]) -> None:
    """Flag misnamed Markdown files (e.g. kuis.md) that would be silently ignored."""
    for child in sorted(module_dir.iterdir()):
        if child.suffix.lower() == ".md" and child.name not in KNOWN_FILES:
            problems.append(
                Problem(
                    f"{rel_dir}/{child.name}",
                    0,
                    f"berkas '{child.name}' tidak dikenal; nama yang dipakai: " + ", ".join(KNOWN_FILES),
                )
            )
