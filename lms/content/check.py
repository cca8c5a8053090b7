"""Command-line content check: ``python -m lms.content.check [root] [--strict]``.

Besides everything the loader refuses (errors that keep a module off the site),
the check lints what the loader lets through:

* errors: a raw HTML tag in Markdown (the renderer drops raw HTML, and an
  unclosed block tag such as ``<details>`` swallows the rest of the page), and a
  numeric question whose stated ``Jawaban`` is not read back as right;
* warnings: a module below the curriculum minimums (lesson words, quiz items,
  numeric items) and a ``Jawaban`` that a participant typing it would be asked
  about ("1.200" where 1,2 may be meant). Warnings print to stderr and fail the
  check only with ``--strict``.
"""

import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from .frontmatter import decode_text, split_front_matter
from .loader import CONTENT_DIR, load_library
from .moduleparse import KNOWLEDGE_FILE, KNOWN_FILES, QUIZ_FILE
from .numbers import is_ambiguous_reading, read_typed_number
from .quizparse import stated_numbers
from .report import Report
from .schema import Library, Module, Problem

# Curriculum minimums per module (issue 17, "Figures to reach").
MIN_LESSON_WORDS = 1200
MIN_QUIZ_ITEMS = 10
MIN_NUMERIC_ITEMS = 2

# Not a tag: autolinks (<https://…>, <nama@contoh.id>), comments (<!-- -->), "a < b", "<3".
_TAG = re.compile(r"<(?P<close>/?)(?P<name>[A-Za-z][A-Za-z0-9-]*)(?=[\s/>]|$)")
# Raw tags written on purpose that lose nothing when dropped. Empty: every raw tag
# is dropped by the renderer, so even <br> or <b> silently changes the text.
ALLOWED_RAW_TAGS: frozenset[str] = frozenset()
# Block tags Python-Markdown treats as an HTML block: unclosed, they swallow everything after them.
_BLOCK_TAGS = frozenset(
    "address article aside blockquote details dialog div dl fieldset figure footer form h1 h2 h3 h4 h5 h6 "
    "header hr iframe main nav ol p pre section summary table ul video audio object embed script style "
    "noscript canvas math svg".split()
)
_FENCE = re.compile(r"^\s{0,3}(?P<fence>`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(?P<ticks>`+).+?(?P=ticks)")


@dataclass(frozen=True)
class Findings:
    """What the check found: errors fail it, warnings fail it only when strict."""

    errors: tuple[Problem, ...]
    warnings: tuple[Problem, ...]
    library: Library


def check_content(root: Path) -> list[Problem]:
    """Return every error in the content under ``root`` (empty when fine); warnings are left out."""
    return list(find_problems(root).errors)


def find_problems(root: Path) -> Findings:
    """Load the content under ``root`` and lint it; return errors and warnings."""
    library = _load(root)
    errors = list(library.problems)
    warnings: list[Problem] = []
    content = root / CONTENT_DIR
    for module_dir in sorted(p for p in content.iterdir() if p.is_dir()) if content.is_dir() else ():
        for name in KNOWN_FILES:
            path = module_dir / name
            if path.is_file():
                errors += raw_html_problems(_read(path), f"{CONTENT_DIR}/{module_dir.name}/{name}")
        module = library.modules.get(module_dir.name)
        if module is not None:
            warnings += minimum_warnings(module, f"{CONTENT_DIR}/{module_dir.name}")
            found_errors, found_warnings = stated_answer_problems(module, module_dir)
            errors += found_errors
            warnings += found_warnings
    warnings += knowledge_coverage_warnings(library)
    return Findings(errors=tuple(sorted(set(errors))), warnings=tuple(sorted(set(warnings))), library=library)


def knowledge_coverage_warnings(library: Library) -> list[Problem]:
    """Warn when a course has a knowledge test for some of its modules but not for others."""
    warnings = []
    for course in library.courses.values():
        module_ids = course.listed_module_ids or course.module_ids
        if not any(module_id in library.knowledge_tests for module_id in module_ids):
            continue
        warnings += [Problem(f"{CONTENT_DIR}/{module_id}", 0, f"peringatan: modul belum punya {KNOWLEDGE_FILE}; "
                             f"tes awal dan akhir kursus '{course.id}' tidak mengukurnya")
                     for module_id in module_ids if module_id not in library.knowledge_tests]
    return warnings


def raw_html_problems(text: str, rel_path: str) -> list[Problem]:
    """Report every raw HTML tag outside code, with its line; Markdown drops them (or loses text after them)."""
    problems = []
    open_blocks: dict[str, list[int]] = {}
    for number, line in _prose_lines(text):
        for match in _TAG.finditer(_CODE_SPAN.sub("", line)):
            name = match["name"].lower()
            if name in ALLOWED_RAW_TAGS:
                continue
            if match["close"]:
                if open_blocks.get(name):
                    open_blocks[name].pop()
                problems.append(Problem(rel_path, number, f"tag HTML '</{name}>' tidak dipakai; tulis dengan "
                                        "Markdown (HTML mentah dibuang dari halaman)"))
                continue
            open_blocks.setdefault(name, []).append(number)
            problems.append(Problem(rel_path, number, _raw_tag_message(name)))
    for name, lines in open_blocks.items():
        for number in lines:
            if name in _BLOCK_TAGS and name != "hr":
                problems.append(Problem(rel_path, number, f"tag '<{name}>' tidak ditutup: semua teks sesudahnya "
                                        "hilang dari halaman"))
    return problems


def _raw_tag_message(name: str) -> str:
    """Explain why a raw tag is a problem, in Indonesian."""
    if name in _BLOCK_TAGS:
        return (f"tag HTML '<{name}>' di Markdown: HTML mentah dibuang, dan teks sesudahnya bisa ikut hilang; "
                "pakai Markdown (mis. kotak '!!! tip' atau tautan biasa)")
    return f"tag HTML '<{name}>' di Markdown dibuang dari halaman; pakai Markdown (mis. **tebal**, *miring*)"


def _prose_lines(text: str) -> Iterator[tuple[int, str]]:
    """Yield (line number, text) for lines outside fenced code blocks."""
    fence = None
    for number, line in enumerate(text.splitlines(), start=1):
        match = _FENCE.match(line)
        if fence is None and match:
            fence = match["fence"][0] * len(match["fence"])
            continue
        if fence is not None:
            if line.strip().startswith(fence):
                fence = None
            continue
        yield number, line


def minimum_warnings(module: Module, rel_dir: str) -> list[Problem]:
    """Warn when a module is below the words, quiz-item or numeric-item minimums."""
    warnings = []
    if module.word_count < MIN_LESSON_WORDS:
        warnings.append(Problem(f"{rel_dir}/module.md", 0, f"peringatan: teks pelajaran {module.word_count} kata; "
                                f"minimal {MIN_LESSON_WORDS:,} kata".replace(",", ".")))
    if module.quiz is None:
        warnings.append(Problem(rel_dir, 0, f"peringatan: modul belum punya kuis (minimal {MIN_QUIZ_ITEMS} soal)"))
        return warnings
    count = len(module.quiz.questions)
    numeric = sum(1 for question in module.quiz.questions if question.kind == "numeric")
    if count < MIN_QUIZ_ITEMS:
        warnings.append(Problem(f"{rel_dir}/{QUIZ_FILE}", 0,
                                f"peringatan: kuis punya {count} soal; minimal {MIN_QUIZ_ITEMS}"))
    if numeric < MIN_NUMERIC_ITEMS:
        warnings.append(Problem(f"{rel_dir}/{QUIZ_FILE}", 0,
                                f"peringatan: kuis punya {numeric} soal angka; minimal {MIN_NUMERIC_ITEMS}"))
    return warnings


def stated_answer_problems(module: Module, module_dir: Path) -> tuple[list[Problem], list[Problem]]:
    """Read every numeric ``Jawaban`` back as a participant typing it would be read, and grade it."""
    # Imported here: the quiz package sits above content in the import order.
    from lms.quiz.scoring import format_decimal, score_question, with_unit

    if module.quiz is None:
        return [], []
    rel_path = f"{CONTENT_DIR}/{module_dir.name}/{QUIZ_FILE}"
    front = split_front_matter(_read(module_dir / QUIZ_FILE), Report(rel_path))
    if front is None:
        return [], []
    errors, warnings = [], []
    for stated in stated_numbers(front):
        question = module.quiz.question(stated.question_id or "")
        if question is None or question.kind != "numeric":
            continue
        shown = with_unit(format_decimal(question.answer_number), question.unit)
        for text, what in ((stated.text, "Jawaban"), (shown, "jawaban benar yang ditampilkan")):
            if score_question(question, text).credit != 1:
                errors.append(Problem(rel_path, stated.line, f"{what} '{text}' tidak terbaca kembali sebagai "
                                      "jawaban benar oleh penilai angka"))
        reading = read_typed_number(stated.text, question.unit)
        if is_ambiguous_reading(reading, question.answer_number, question.tolerance):
            warnings.append(Problem(rel_path, stated.line, f"peringatan: Jawaban '{stated.text}' bisa dibaca "
                                    "ribuan atau desimal; tulis tanpa titik ribuan atau dengan koma desimal"))
    return errors, warnings


def main(argv: Sequence[str] | None = None) -> int:
    """Print errors (stdout) and warnings (stderr) as ``path:line: message``; return 1 on errors.

    With ``--strict`` warnings fail the check too.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    strict = "--strict" in args
    args = [arg for arg in args if arg != "--strict"]
    root = Path(args[0]) if args else Path.cwd()
    findings = find_problems(root)
    for problem in findings.errors:
        print(problem)
    for warning in findings.warnings:
        print(warning, file=sys.stderr)
    if findings.warnings:
        print(f"{len(findings.warnings)} peringatan" + (" (--strict: dihitung gagal)" if strict else ""),
              file=sys.stderr)
    if findings.errors or (strict and findings.warnings):
        if findings.errors:
            print(f"{len(findings.errors)} masalah ditemukan", file=sys.stderr)
        return 1
    library = findings.library
    tests = f", {len(library.knowledge_tests)} tes pengetahuan" if library.knowledge_tests else ""
    print(f"Konten OK: {len(library.courses)} kursus, {len(library.modules)} modul, {len(library.surveys)} survei"
          + tests)
    return 0


def _read(path: Path) -> str:
    """Read a content file as text (unreadable files and bad bytes are the loader's problems, reported there)."""
    try:
        raw = path.read_bytes()
    except OSError:
        return ""
    return decode_text(raw, Report(str(path))) or ""


def _load(root: Path) -> Library:
    """Load the library with placeholder image URLs (only problems matter here)."""
    return load_library(root, lambda module_id: f"/modul/{module_id}/gambar/")


if __name__ == "__main__":
    sys.exit(main())
