"""Parse assignment.md: instructions, submission kinds and the rubric."""

import re
from dataclasses import dataclass, field

from .fields import Fields
from .frontmatter import FrontMatter
from .ids import id_rule, is_valid_id, split_heading_id
from .images import report_images_not_allowed
from .render import render_block
from .report import Report
from .schema import Assignment, Criterion, Level, SubmissionKind

SUBMISSION_KINDS: dict[str, SubmissionKind] = {
    "tautan": "link",
    "teks": "text",
    "berkas": "file",
}
FRONT_MATTER_KEYS = ("judul", "kiriman")
MAX_LEVEL_POINTS = 1000

_RUBRIC = re.compile(r"^##\s+rubrik\s*$", re.IGNORECASE)
_CRITERION = re.compile(r"^###(?!#)\s*(?P<text>.*?)\s*$")
# A single "#" needs a space to be a heading, so "#UMKMNaikKelas" stays a hashtag.
_OTHER_HEADING = re.compile(r"^(?:#(?:[ \t]|$)|##(?!#))")
_LEVEL = re.compile(r"^ {0,3}[-*+]\s+(?P<points>-?\d+)\s*poin\s*:\s*(?P<text>.*?)\s*$", re.IGNORECASE)
_LIST_ITEM = re.compile(r"^ {0,3}[-*+]\s")
_RUBRIC_TEXT_RULE = "di bagian Rubrik hanya boleh judul kriteria '### ...' dan baris '- N poin: keterangan'"


@dataclass
class _RawCriterion:
    """A ``###`` criterion and its level lines, before validation."""

    line: int
    heading: str
    levels: list[tuple[int, int, list[str]]] = field(default_factory=list)


def parse_assignment(front: FrontMatter, report: Report, *, version: str) -> Assignment | None:
    """Build an Assignment from parsed front matter and body; None on problems."""
    fields = Fields(front.doc, report, anchor_line=front.start_line, where="front matter")
    if not fields.is_mapping():
        return None
    fields.reject_unknown(FRONT_MATTER_KEYS)
    title = fields.text("judul")
    accepts = _accepts(fields)
    lines = front.body.splitlines()
    rubric_at = _find_rubric(lines, front.body_first_line, report)
    instructions = "\n".join(lines[:rubric_at] if rubric_at is not None else lines)
    _check_instructions(instructions, front.body_first_line, report)
    criteria: tuple[Criterion, ...] = ()
    if rubric_at is not None:
        raws = _split_rubric(lines[rubric_at + 1 :], front.body_first_line + rubric_at + 1, report)
        criteria = _build_criteria(raws, report)
        if not raws:
            report.add(
                front.body_first_line + rubric_at, "rubrik belum punya kriteria (tulis '### Nama kriteria {#id}')"
            )
    if not report.ok or title is None or accepts is None:
        return None
    return Assignment(
        title=title,
        accepts=accepts,
        instructions_html=render_block(instructions),
        criteria=criteria,
        version=version,
    )


def _accepts(fields: Fields) -> frozenset[SubmissionKind] | None:
    """Read ``kiriman``: which kinds of submission are allowed."""
    values = fields.text_list("kiriman")
    if values is None:
        return None
    result: set[SubmissionKind] = set()
    unknown = False
    for index, value in enumerate(values):
        kind = SUBMISSION_KINDS.get(value.lower())
        if kind is None:
            unknown = True
            fields.report.add(
                fields.item_line("kiriman", index),
                f"jenis kiriman '{value}' tidak dikenal; pilih: " + ", ".join(SUBMISSION_KINDS),
            )
            continue
        result.add(kind)
    return None if unknown else frozenset(result)


def _find_rubric(lines: list[str], first_line: int, report: Report) -> int | None:
    """Return the index of the ``## Rubrik`` line, reporting absence or repeats."""
    found = [index for index, text in enumerate(lines) if _RUBRIC.match(text)]
    if not found:
        report.add(first_line, "tugas belum punya bagian '## Rubrik'")
        return None
    for extra in found[1:]:
        report.add(first_line + extra, "'## Rubrik' ditulis dua kali")
    return found[0]


def _check_instructions(text: str, first_line: int, report: Report) -> None:
    """Require instructions and refuse images (only module.md may show them)."""
    if not text.strip():
        report.add(first_line, "instruksi tugas kosong; tulis di atas '## Rubrik'")
    report_images_not_allowed(text, body_first_line=first_line, report=report)


def _split_rubric(lines: list[str], first_line: int, report: Report) -> list[_RawCriterion]:
    """Group rubric lines under their ``###`` criteria."""
    criteria: list[_RawCriterion] = []
    for offset, text in enumerate(lines):
        number = first_line + offset
        if not text.strip():
            continue
        heading = _CRITERION.match(text)
        if heading:
            criteria.append(_RawCriterion(line=number, heading=heading["text"]))
        elif _OTHER_HEADING.match(text):
            report.add(number, "setelah '## Rubrik' hanya boleh kriteria '### ...'")
        else:
            _add_level_line(criteria, number, text, report)
    return criteria


def _add_level_line(criteria: list[_RawCriterion], number: int, text: str, report: Report) -> None:
    """Record a ``- N poin: ...`` line or an indented continuation of one."""
    level = _LEVEL.match(text)
    if level and criteria:
        criteria[-1].levels.append((number, int(level["points"]), [level["text"]]))
        return
    is_continuation = text.startswith((" ", "\t")) and not _LIST_ITEM.match(text)
    if is_continuation and criteria and criteria[-1].levels:
        criteria[-1].levels[-1][2].append(text.strip())
        return
    if criteria and _LIST_ITEM.match(text):
        report.add(number, "tingkat nilai harus ditulis '- N poin: keterangan'")
        return
    report.add(number, _RUBRIC_TEXT_RULE)


def _build_criteria(raws: list[_RawCriterion], report: Report) -> tuple[Criterion, ...]:
    """Validate criteria: ids, unique ids, at least two distinct levels."""
    seen: dict[str, int] = {}
    criteria: list[Criterion] = []
    for raw in raws:
        # Ids first, so a duplicate is reported even if the criterion has other problems.
        _, cid = split_heading_id(raw.heading)
        duplicate = cid is not None and cid in seen
        if duplicate:
            report.add(raw.line, f"id kriteria '{cid}' dipakai dua kali (pertama di baris {seen[cid]})")
        elif cid is not None:
            seen[cid] = raw.line
        criterion = _build_criterion(raw, report)
        if criterion is not None and not duplicate:
            criteria.append(criterion)
    return tuple(criteria)


def _build_criterion(raw: _RawCriterion, report: Report) -> Criterion | None:
    """Validate one criterion and its levels."""
    errors_before = len(report.problems)
    title, cid = split_heading_id(raw.heading)
    if not title:
        report.add(raw.line, "nama kriteria kosong")
    if cid is None:
        report.add(raw.line, "kriteria tidak punya id; tulis di akhir judul, mis. {#pencahayaan}")
    elif not is_valid_id(cid):
        report.add(raw.line, f"id kriteria '{cid}' tidak valid: {id_rule()}")
    levels = _build_levels(raw, report)
    # Repeated points are reported per line; here only count what was written.
    if len(raw.levels) < 2:
        report.add(raw.line, "kriteria perlu minimal dua tingkat nilai ('- N poin: keterangan') dengan poin berbeda")
    if len(report.problems) > errors_before or cid is None:
        return None
    return Criterion(id=cid, title=title, levels=levels)


def _build_levels(raw: _RawCriterion, report: Report) -> tuple[Level, ...]:
    """Validate a criterion's levels: points in range, distinct, described."""
    seen: set[int] = set()
    levels: list[Level] = []
    for line, points, parts in raw.levels:
        description = " ".join(part for part in parts if part)
        if not 0 <= points <= MAX_LEVEL_POINTS:
            report.add(line, f"poin harus antara 0 dan {MAX_LEVEL_POINTS}")
        elif points in seen:
            report.add(line, f"tingkat {points} poin ditulis dua kali")
        elif not description:
            report.add(line, "keterangan tingkat nilai kosong")
        else:
            seen.add(points)
            levels.append(Level(points=points, description=description))
    return tuple(levels)
