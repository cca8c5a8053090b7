"""Parse quiz.md (see docs/content-format.md) with line-accurate problems."""

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from .fields import Fields
from .frontmatter import FrontMatter
from .ids import id_rule, is_valid_id, split_heading_id
from .images import report_images_not_allowed
from .numbers import DECLARED_UNITS, declared_unit, read_typed_number
from .render import render_block, render_inline
from .report import Report
from .schema import Choice, Question, QuestionKind, Quiz

KINDS: dict[str, QuestionKind] = {
    "tunggal": "single",
    "ganda": "multiple",
    "benar-salah": "truefalse",
    "angka": "numeric",
    "isian": "text",
}
KEYS = ("jenis", "penilaian", "jawaban", "toleransi", "satuan", "penjelasan")
FRONT_MATTER_KEYS = ("judul", "batas_waktu", "maks_percobaan")
_KIND_LIST = ", ".join(KINDS)

_HEADING = re.compile(r"^##(?!#)\s*(?P<text>.*?)\s*$")
# A single "#" needs a space to be a heading, so "#UMKMNaikKelas" stays a hashtag.
_H1 = re.compile(r"^#(?:[ \t]|$)")
_KEY = re.compile(r"^(?P<key>[A-Za-z][A-Za-z_-]*)\s*:\s*(?P<value>.*?)\s*$")
_CHOICE = re.compile(r"^ {0,3}[-*+]\s+\[(?P<mark>[^\]]{0,3})\](?:\s+(?P<text>.*))?$")
_LIST_ITEM = re.compile(r"^ {0,3}[-*+]\s+\S")


@dataclass
class _RawChoice:
    """A choice line as written, before validation."""

    line: int
    correct: bool
    text: list[str]


@dataclass
class _RawQuestion:
    """Everything written under one ``##`` heading, before validation."""

    line: int
    heading: str
    keys: dict[str, tuple[str, int]] = field(default_factory=dict)
    choices: list[_RawChoice] = field(default_factory=list)
    scenario: list[str] = field(default_factory=list)
    explanation: list[str] = field(default_factory=list)


def parse_quiz(front: FrontMatter, report: Report, *, version: str) -> Quiz | None:
    """Build a Quiz from parsed front matter and body; None if it has problems."""
    fields = Fields(front.doc, report, anchor_line=front.start_line, where="front matter")
    if not fields.is_mapping():
        return None
    fields.reject_unknown(FRONT_MATTER_KEYS)
    title = fields.text("judul")
    time_limit = fields.integer("batas_waktu", low=1, high=600, required=False)
    max_attempts = fields.integer("maks_percobaan", low=1, high=100, required=False)
    report_images_not_allowed(front.body, body_first_line=front.body_first_line, report=report)
    raw_questions = _split_questions(front.body, front.body_first_line, report)
    questions = _build_questions(raw_questions, report)
    if not raw_questions:
        report.add(front.body_first_line, "kuis belum punya soal (awali soal dengan '## ')")
    if not report.ok or title is None:
        return None
    return Quiz(
        title=title,
        time_limit_minutes=time_limit,
        max_attempts=max_attempts,
        questions=tuple(questions),
        version=version,
    )


def parse_questions(body: str, first_line: int, report: Report) -> list[Question]:
    """Parse and validate the ``##`` questions of a body written in the quiz format (no front matter)."""
    return _build_questions(_split_questions(body, first_line, report), report)


def normalize_text_answer(text: str) -> str:
    """Normalise an isian answer: ignore case, spaces, accents, punctuation and brackets.

    "Nama, alamat, dan nomor telepon." and "nama alamat dan nomor telepon" are
    the same answer; so are "café" and "cafe". Punctuation counts as a space, so
    "nomor-telepon" matches "nomor telepon"; "&" is read as "dan".
    """
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    spaced = "".join(_text_char(ch) for ch in bare.casefold().replace("&", " dan "))
    return " ".join(spaced.split())


def _text_char(ch: str) -> str:
    """Keep letters, digits and "%"; punctuation, brackets and symbols become a space."""
    if ch.isalnum() or ch == "%":
        return ch
    # Apostrophes join a word ("Jum'at" = "Jumat"); other punctuation separates words.
    if ch in "'’`´":
        return ""
    return " "


@dataclass(frozen=True)
class StatedNumber:
    """A numeric question's ``Jawaban`` exactly as the author wrote it, for the content check."""

    question_id: str | None
    text: str
    line: int


def stated_numbers(front: FrontMatter) -> list[StatedNumber]:
    """Return the ``Jawaban`` text and line of every ``Jenis: angka`` question in a quiz body."""
    raws = _split_questions(front.body, front.body_first_line, Report("-"))
    found = []
    for raw in raws:
        kind = raw.keys.get("jenis", ("", 0))[0]
        if re.sub(r"[\s/]+", "-", kind.strip().lower()) == "angka" and "jawaban" in raw.keys:
            value, line = raw.keys["jawaban"]
            found.append(StatedNumber(split_heading_id(raw.heading)[1], value, line))
    return found


# --- splitting the body into raw questions ---------------------------------


def _split_questions(body: str, first_line: int, report: Report) -> list[_RawQuestion]:
    """Group body lines under their ``##`` headings."""
    questions: list[_RawQuestion] = []
    stray_reported = False
    lines = body.splitlines()
    current_lines: list[tuple[int, str]] = []
    for offset, text in enumerate(lines):
        number = first_line + offset
        heading = _HEADING.match(text)
        if heading:
            if questions:
                _fill_question(questions[-1], current_lines, report)
            questions.append(_RawQuestion(line=number, heading=heading["text"]))
            current_lines = []
        elif _H1.match(text):
            report.add(number, "judul soal harus diawali '## ' (dua tanda #)")
        elif questions:
            current_lines.append((number, text))
        elif text.strip() and not stray_reported:
            report.add(number, "teks sebelum soal pertama tidak dipakai; awali setiap soal dengan '## '")
            stray_reported = True
    if questions:
        _fill_question(questions[-1], current_lines, report)
    return questions


def _fill_question(question: _RawQuestion, lines: list[tuple[int, str]], report: Report) -> None:
    """Sort a question's lines into keys, choices, scenario and explanation."""
    previous = "blank"  # kind of the previous line: blank/choice/key/list/text
    in_explanation = False
    for number, text in lines:
        previous, in_explanation = _classify_line(question, number, text, previous, in_explanation, report)


def _classify_line(
    question: _RawQuestion,
    number: int,
    text: str,
    previous: str,
    in_explanation: bool,
    report: Report,
) -> tuple[str, bool]:
    """Handle one line; return the new (previous-kind, in-explanation) state."""
    if not text.strip():
        target = question.explanation if in_explanation else question.scenario
        target.append("")
        return "blank", in_explanation
    choice = _CHOICE.match(text)
    if choice:
        _add_choice(question, number, choice, previous, report)
        return "choice", False
    key = _KEY.match(text)
    if key and key["key"].lower() in KEYS:
        return "key", _add_key(question, number, key, report)
    if key and _is_unknown_key(key["key"], previous, in_explanation):
        report.add(number, _unknown_key_message(key["key"]))
        return "key", in_explanation
    if in_explanation:
        question.explanation.append(text)
        return "text", True
    return _add_text(question, number, text, previous, report), False


def _add_choice(
    question: _RawQuestion,
    number: int,
    match: re.Match[str],
    previous: str,
    report: Report,
) -> None:
    """Record a ``- [x]`` / ``- [ ]`` line."""
    if previous == "list":
        report.add(number - 1, "pilihan harus diawali '- [ ]' atau '- [x]'")
    mark = match["mark"]
    if mark not in (" ", "x", "X"):
        report.add(
            number, f"kotak pilihan '[{mark}]' tidak dikenal; pakai [x] untuk jawaban benar atau [ ] untuk salah"
        )
    question.choices.append(_RawChoice(line=number, correct=mark in ("x", "X"), text=[match["text"] or ""]))


def _add_key(question: _RawQuestion, number: int, match: re.Match[str], report: Report) -> bool:
    """Record a ``Key: value`` line; return True if it starts the explanation."""
    name = match["key"].lower()
    if name in question.keys:
        first = question.keys[name][1]
        report.add(number, f"'{match['key']}' ditulis dua kali (pertama di baris {first})")
        return False
    question.keys[name] = (match["value"], number)
    if name == "penjelasan":
        question.explanation.append(match["value"])
        return True
    return False


def _add_text(question: _RawQuestion, number: int, text: str, previous: str, report: Report) -> str:
    """Record scenario text or a choice's continuation; return the line kind."""
    is_list = bool(_LIST_ITEM.match(text))
    if is_list and previous == "choice":
        report.add(number, "pilihan harus diawali '- [ ]' atau '- [x]'")
        return "list"
    if previous == "choice" and not is_list:
        # Markdown continues a list item on the next unindented line too.
        question.choices[-1].text.append(text.strip())
        return "choice"
    question.scenario.append(text)
    return "list" if is_list else "text"


def _is_unknown_key(name: str, previous: str, in_explanation: bool) -> bool:
    """Decide whether ``Word: ...`` is a mistyped key rather than prose."""
    if difflib.get_close_matches(name.lower(), KEYS, n=1, cutoff=0.75):
        return True
    # Outside the explanation, a "Word:" line right under a key line is almost
    # certainly meant as another key.
    return previous == "key" and not in_explanation


def _unknown_key_message(name: str) -> str:
    """Explain an unknown key, suggesting the nearest real one."""
    guess = difflib.get_close_matches(name.lower(), KEYS, n=1, cutoff=0.6)
    hint = f" (maksudnya '{guess[0].capitalize()}'?)" if guess else ""
    return f"kunci '{name}' tidak dikenal{hint}; yang boleh: " + ", ".join(key.capitalize() for key in KEYS)


# --- validating raw questions ----------------------------------------------


def _build_questions(raws: list[_RawQuestion], report: Report) -> list[Question]:
    """Validate each raw question and check ids are unique."""
    seen: dict[str, int] = {}
    questions: list[Question] = []
    for raw in raws:
        # Check ids before anything else so a duplicate is reported even when
        # one of the two questions has other problems too.
        _, qid = split_heading_id(raw.heading)
        duplicate = qid is not None and qid in seen
        if duplicate:
            report.add(raw.line, f"id soal '{qid}' dipakai dua kali (pertama di baris {seen[qid]})")
        elif qid is not None:
            seen[qid] = raw.line
        question = _build_question(raw, report)
        if question is not None and not duplicate:
            questions.append(question)
    return questions


def _build_question(raw: _RawQuestion, report: Report) -> Question | None:
    """Turn one raw question into a Question, reporting what is wrong."""
    errors_before = len(report.problems)
    text, qid = _heading_parts(raw, report)
    kind = _read_kind(raw, report)
    explanation = "\n".join(raw.explanation).strip()
    if not explanation:
        line = raw.keys.get("penjelasan", ("", raw.line))[1]
        report.add(line, "soal tidak punya Penjelasan (tulis 'Penjelasan: ...')")
    answer = _Answer()
    if kind is not None:
        _check_kind_keys(raw, kind, report)
        answer = _ANSWER_READERS[kind](raw, kind, report)
    if len(report.problems) > errors_before or qid is None or kind is None:
        return None
    title_html = render_inline(text)
    scenario_md = "\n".join(raw.scenario).strip()
    scenario_html = render_block(scenario_md) if scenario_md else ""
    return Question(
        id=qid,
        kind=kind,
        prompt_html=f"<p>{title_html}</p>\n{scenario_html}".strip(),
        choices=answer.choices,
        partial_credit=answer.partial_credit,
        answer_bool=answer.answer_bool,
        answer_number=answer.answer_number,
        tolerance=answer.tolerance,
        accepted_texts=answer.accepted_texts,
        explanation_html=render_block(explanation),
        title_html=title_html,
        scenario_html=scenario_html,
        unit=answer.unit,
    )


def _heading_parts(raw: _RawQuestion, report: Report) -> tuple[str, str | None]:
    """Return the question text and its valid id (None if missing/invalid)."""
    text, qid = split_heading_id(raw.heading)
    if not text:
        report.add(raw.line, "teks soal kosong")
    if qid is None:
        report.add(raw.line, "soal tidak punya id; tulis di akhir judul, mis. {#nama-soal}")
        return text, None
    if not is_valid_id(qid):
        report.add(raw.line, f"id soal '{qid}' tidak valid: {id_rule()}")
        return text, None
    return text, qid


def _read_kind(raw: _RawQuestion, report: Report) -> QuestionKind | None:
    """Read ``Jenis`` (default tunggal)."""
    if "jenis" not in raw.keys:
        return "single"
    value, line = raw.keys["jenis"]
    normalized = re.sub(r"[\s/]+", "-", value.strip().lower())
    if normalized in KINDS:
        return KINDS[normalized]
    report.add(line, f"jenis soal '{value}' tidak dikenal; pilih: {_KIND_LIST}")
    return None


def _check_kind_keys(raw: _RawQuestion, kind: QuestionKind, report: Report) -> None:
    """Report keys and choices that do not belong to this kind of question."""
    label = _kind_label(kind)
    if "penilaian" in raw.keys and kind != "multiple":
        report.add(raw.keys["penilaian"][1], "'Penilaian' hanya untuk soal jenis 'ganda'")
    if "toleransi" in raw.keys and kind != "numeric":
        report.add(raw.keys["toleransi"][1], "'Toleransi' hanya untuk soal jenis 'angka'")
    if "satuan" in raw.keys and kind != "numeric":
        report.add(raw.keys["satuan"][1], "'Satuan' hanya untuk soal jenis 'angka'")
    if kind in ("single", "multiple"):
        if "jawaban" in raw.keys:
            report.add(
                raw.keys["jawaban"][1], "soal pilihan tidak memakai 'Jawaban'; tandai pilihan yang benar dengan [x]"
            )
    else:
        for choice in raw.choices:
            report.add(choice.line, f"soal jenis '{label}' tidak memakai pilihan '- [ ]'")


def _kind_label(kind: QuestionKind) -> str:
    """Return the Indonesian name of a question kind."""
    return next(name for name, value in KINDS.items() if value == kind)


@dataclass(frozen=True)
class _Answer:
    """The kind-specific answer fields of a Question."""

    choices: tuple[Choice, ...] = ()
    partial_credit: bool = False
    answer_bool: bool | None = None
    answer_number: Decimal | None = None
    tolerance: Decimal = Decimal(0)
    accepted_texts: tuple[str, ...] = ()
    unit: str | None = None


def _read_choices(raw: _RawQuestion, kind: QuestionKind, report: Report) -> _Answer:
    """Validate tunggal/ganda choices and the Penilaian key."""
    multiple = kind == "multiple"
    partial = _partial_credit(raw, report) if multiple else False
    if len(raw.choices) < 2:
        report.add(raw.line, "soal pilihan perlu minimal dua pilihan '- [ ]'")
    for choice in raw.choices:
        if not " ".join(choice.text).strip():
            report.add(choice.line, "teks pilihan kosong")
    correct = [choice for choice in raw.choices if choice.correct]
    if raw.choices and not correct:
        report.add(raw.line, "soal tidak punya jawaban benar (tandai dengan [x])")
    if not multiple and len(correct) > 1:
        report.add(
            correct[1].line,
            "soal jenis 'tunggal' hanya boleh punya satu [x]; pakai 'Jenis: ganda' untuk beberapa jawaban benar",
        )
    choices = tuple(
        Choice(
            id=_choice_id(index),
            html=render_inline(" ".join(part.strip() for part in choice.text)),
            correct=choice.correct,
        )
        for index, choice in enumerate(raw.choices)
    )
    return _Answer(choices=choices, partial_credit=partial)


def _partial_credit(raw: _RawQuestion, report: Report) -> bool:
    """Read ``Penilaian`` (semua or sebagian)."""
    value, line = raw.keys.get("penilaian", ("semua", raw.line))
    normalized = value.strip().lower()
    if normalized not in ("semua", "sebagian"):
        report.add(line, f"'Penilaian' harus 'semua' atau 'sebagian', bukan '{value}'")
    return normalized == "sebagian"


def _read_truefalse(raw: _RawQuestion, _kind: QuestionKind, report: Report) -> _Answer:
    """Read ``Jawaban: benar|salah`` and expose it as two choices."""
    if "jawaban" not in raw.keys:
        report.add(raw.line, "soal tidak punya jawaban benar (tulis 'Jawaban: benar' atau 'Jawaban: salah')")
        return _Answer()
    value, line = raw.keys["jawaban"]
    normalized = value.strip().lower()
    if normalized not in ("benar", "salah"):
        report.add(line, f"'Jawaban' harus 'benar' atau 'salah', bukan '{value}'")
        return _Answer()
    answer = normalized == "benar"
    return _Answer(
        choices=(
            Choice(id="benar", html="Benar", correct=answer),
            Choice(id="salah", html="Salah", correct=not answer),
        ),
        answer_bool=answer,
    )


def _read_number(raw: _RawQuestion, _kind: QuestionKind, report: Report) -> _Answer:
    """Read ``Jawaban`` and ``Toleransi`` as Indonesian numbers."""
    if "jawaban" not in raw.keys:
        report.add(raw.line, "soal tidak punya jawaban benar (tulis 'Jawaban: ...')")
        return _Answer()
    unit = _read_unit(raw, report)
    answer = _number(raw, "jawaban", report, unit)
    tolerance = _number(raw, "toleransi", report, unit) if "toleransi" in raw.keys else None
    if tolerance is not None and tolerance < 0:
        report.add(raw.keys["toleransi"][1], "'Toleransi' tidak boleh negatif")
    return _Answer(answer_number=answer, tolerance=tolerance or Decimal(0), unit=unit)


def _read_unit(raw: _RawQuestion, report: Report) -> str | None:
    """Read ``Satuan`` (rupiah, persen, kali, rasio, kg, gram, piksel, bintang); None when absent."""
    if "satuan" not in raw.keys:
        return None
    value, line = raw.keys["satuan"]
    unit = declared_unit(value)
    if unit is None:
        report.add(line, f"'Satuan' '{value}' tidak dikenal; pilih: " + ", ".join(DECLARED_UNITS))
    return unit


def _number(raw: _RawQuestion, key: str, report: Report, unit: str | None = None) -> Decimal | None:
    """Parse one numeric key the way a participant's answer is read, reporting junk at its line."""
    value, line = raw.keys[key]
    try:
        return read_typed_number(value, unit).value
    except ValueError as exc:
        report.add(line, f"'{key.capitalize()}' harus angka: {exc}")
        return None


def _read_texts(raw: _RawQuestion, _kind: QuestionKind, report: Report) -> _Answer:
    """Read ``Jawaban: a | b`` (accepted answers for isian)."""
    if "jawaban" not in raw.keys:
        report.add(raw.line, "soal tidak punya jawaban benar (tulis 'Jawaban: ...')")
        return _Answer()
    value, line = raw.keys["jawaban"]
    accepted: dict[str, str] = {}
    for part in value.split("|"):
        text = " ".join(part.split())
        if text:
            accepted.setdefault(normalize_text_answer(text), text)
    if not accepted:
        report.add(line, "'Jawaban' kosong")
    return _Answer(accepted_texts=tuple(accepted.values()))


def _choice_id(index: int) -> str:
    """Return "a", "b", … "z", then "aa", "ab", … for choice ``index``."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    if index < len(letters):
        return letters[index]
    return _choice_id(index // len(letters) - 1) + letters[index % len(letters)]


_ANSWER_READERS = {
    "single": _read_choices,
    "multiple": _read_choices,
    "truefalse": _read_truefalse,
    "numeric": _read_number,
    "text": _read_texts,
}
