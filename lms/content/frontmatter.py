"""Read text files, YAML documents and front matter, keeping real line numbers."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from .report import Report

# Path inside a YAML document: mapping keys and sequence indexes.
YamlPath = tuple[str | int, ...]

# PyYAML explains errors in English; these hints say what to do in Indonesian.
_YAML_HINTS = (
    (
        "mapping values are not allowed",
        "ada titik dua (:) di tempat yang salah; bila teks memuat ':', apit teksnya dengan tanda kutip",
    ),
    ("cannot start any token", "jangan pakai Tab; pakai spasi"),
    ("could not find expected ':'", "baris harus berbentuk 'kunci: nilai'"),
    ("expected <block end>", "jarak spasi di awal baris tidak konsisten"),
    ("found unexpected end of stream", "tanda kutip belum ditutup"),
    ("expected ',' or ']'", "tanda kurung '[' belum ditutup dengan ']'"),
    ("expected ',' or '}'", "tanda kurung '{' belum ditutup dengan '}'"),
)


@dataclass(frozen=True)
class YamlDoc:
    """Parsed YAML data plus the file line of every key and list item."""

    data: Any
    lines: Mapping[YamlPath, int] = field(default_factory=dict)

    def line(self, *path: str | int, default: int = 0) -> int:
        """Return the file line of ``path`` (a key or list item), or ``default``."""
        return self.lines.get(tuple(path), default)


@dataclass(frozen=True)
class FrontMatter:
    """A file split into its front matter and its body."""

    doc: YamlDoc
    start_line: int
    body: str
    body_first_line: int


def decode_text(raw: bytes, report: Report) -> str | None:
    """Decode UTF-8 (BOM allowed), reporting the line of the first bad byte."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        report.add(line, "berkas harus disimpan dengan encoding UTF-8")
        return None


def parse_yaml(text: str, report: Report, *, first_line: int = 1, label: str = "YAML") -> YamlDoc | None:
    """Parse YAML safely; report syntax errors at their real file line."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = None if node is None else loader.construct_document(node)
    except yaml.YAMLError as exc:
        report.add(_error_line(exc, text, first_line), f"{label} tidak valid: {_explain_yaml_error(exc)}")
        return None
    finally:
        loader.dispose()
    lines: dict[YamlPath, int] = {}
    if node is not None:
        _collect_lines(node, (), first_line, lines, report)
    return YamlDoc(data=data, lines=lines)


def split_front_matter(text: str, report: Report) -> FrontMatter | None:
    """Split ``---`` front matter from the body and parse it as YAML."""
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip()), 0)
    if start >= len(lines) or lines[start].strip() != "---":
        report.add(start + 1, "front matter tidak valid: baris pertama harus '---'")
        return None
    end = next((i for i in range(start + 1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        report.add(start + 1, "front matter tidak valid: belum ditutup dengan '---'")
        return None
    yaml_text = "\n".join(lines[start + 1 : end])
    doc = parse_yaml(yaml_text, report, first_line=start + 2, label="front matter")
    if doc is None:
        return None
    return FrontMatter(
        doc=doc,
        start_line=start + 1,
        body="\n".join(lines[end + 1 :]),
        body_first_line=end + 2,
    )


def _error_line(exc: yaml.YAMLError, text: str, first_line: int) -> int:
    """Return the file line a PyYAML error points at."""
    problem = getattr(exc, "problem_mark", None)
    context = getattr(exc, "context_mark", None)
    mark = problem or context
    if context is not None and _points_at_opening(exc, problem, text):
        # An unclosed quote or bracket is detected lines later; staff need the
        # line where it was opened.
        mark = context
    if mark is None:
        return first_line
    last = first_line + text.count("\n")
    return min(first_line + mark.line, last + 1)


def _points_at_opening(exc: yaml.YAMLError, problem: Any, text: str) -> bool:
    """Return True when the error's context mark is the more useful line."""
    context = str(getattr(exc, "context", "") or "")
    at_end = problem is not None and problem.index >= len(text.rstrip())
    return at_end or "flow" in context or "quoted" in context


def _explain_yaml_error(exc: yaml.YAMLError) -> str:
    """Translate a PyYAML error into a short Indonesian hint."""
    problem = str(getattr(exc, "problem", None) or exc).strip()
    for needle, hint in _YAML_HINTS:
        if needle in problem:
            return hint
    return problem.splitlines()[0] if problem else "format salah"


def _collect_lines(
    node: yaml.Node,
    path: YamlPath,
    first_line: int,
    out: dict[YamlPath, int],
    report: Report,
) -> None:
    """Record the line of every mapping key and sequence item under ``node``."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                continue
            line = first_line + key_node.start_mark.line
            if path + (key,) in out:
                report.add(line, f"kunci '{key}' ditulis dua kali")
                continue
            out[path + (key,)] = line
            _collect_lines(value_node, path + (key,), first_line, out, report)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            out[path + (index,)] = first_line + item.start_mark.line
            _collect_lines(item, path + (index,), first_line, out, report)
