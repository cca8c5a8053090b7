"""Read survey answers typed on a form or found in an import row; turn stored answers into indicator inputs.

Pure functions: a form, the import and proxy entry all go through `read_answers`,
so "Rp 1.500.000", "1,5 juta" and "750 rb" mean the same everywhere, and an
impossible value (negative, letters, far beyond any UMKM) is refused with an
Indonesian message instead of being stored.

The messages are marked with `_l` and made into text by `read_answers`, in the language of the request
that reads the answers (an English page gets English errors). They become plain `str` there on purpose:
a lazy string counts as safe HTML in Jinja (`__html__`), and these messages quote what the person typed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l

from lms.content.numbers import parse_amount, parse_indonesian_number
from lms.content.surveyparse import LIKERT_POINTS, SurveyQuestion
from lms.impact.indicators import Answer

Raw = Mapping[str, Sequence[str]]  # question id → the values typed or ticked


def read_answers(questions: Sequence[SurveyQuestion], raw: Raw, *,
                 require_all: bool) -> tuple[dict[str, object], dict[str, str]]:
    """Return (answers, errors): answers by question id, and a message (current locale) per refused question.

    A draft (`require_all=False`) may leave questions empty; a submission may not leave a required one empty.
    """
    answers: dict[str, object] = {}
    errors: dict[str, str] = {}
    for question in questions:
        values = [v.strip() for v in raw.get(question.id, ()) if v and v.strip()]
        if not values:
            if question.kind == "pilihan" and f"{question.id}--dijawab" in raw:
                answers[question.id] = []  # "none of these" is an answer, unlike a skipped question
            elif require_all and question.required:
                errors[question.id] = str(_l("Pertanyaan ini wajib dijawab."))
            continue
        try:
            answers[question.id] = _read_one(question, values)
        except ValueError as error:
            errors[question.id] = str(error.args[0])  # plain text, so the page escapes the typed value
    return answers, errors


def _read_one(question: SurveyQuestion, values: list[str]) -> object:
    if question.kind == "pilihan":
        unknown = [v for v in values if v not in question.choice_ids()]
        if unknown:
            raise ValueError(_l("Pilihan tidak dikenal: %(choices)s.", choices=", ".join(unknown[:3])))
        if not question.multiple and len(values) > 1:
            raise ValueError(_l("Pilih satu saja."))
        return sorted(set(values))
    if len(values) > 1:
        raise ValueError(_l("Isi satu jawaban saja."))
    if question.kind == "skala":
        return _likert(values[0])
    return _whole_number(question, values[0])


def _whole_number(question: SurveyQuestion, text: str) -> int:
    """Rupiah or a count: a whole number from 0 to the question's maximum."""
    try:
        value = parse_amount(text) if question.kind == "rupiah" else parse_indonesian_number(text)
    except (ValueError, InvalidOperation):
        if question.kind == "rupiah":
            raise ValueError(_l("'%(text)s' tidak bisa dibaca sebagai angka. Contoh: Rp 1.500.000, 1,5 juta atau "
                                "750 rb.", text=text[:40])) from None
        raise ValueError(_l("'%(text)s' tidak bisa dibaca sebagai angka. Contoh: 3.", text=text[:40])) from None
    if value < 0:
        raise ValueError(_l("Angka tidak boleh negatif."))
    if question.kind == "bilangan" and value != value.to_integral_value():
        raise ValueError(_l("Tulis bilangan bulat, tanpa koma."))
    if value > question.maximum:
        raise ValueError(_l("Angka %(value)s terlalu besar untuk pertanyaan ini; periksa jumlah nolnya.",
                            value=_dotted(value)))
    return int(value.to_integral_value())


def _likert(text: str) -> int:
    if text.isdigit() and 1 <= int(text) <= LIKERT_POINTS:
        return int(text)
    raise ValueError(_l("Pilih salah satu angka 1–%(points)s.", points=LIKERT_POINTS))


def _dotted(value: Decimal) -> str:
    return f"{int(value):,}".replace(",", ".")


def indicator_answer(questions: Sequence[SurveyQuestion], answers: Mapping[str, object]) -> Answer:
    """The stored answers of one wave as the indicators read them (by measure, never by question id)."""
    return answer_reader(tuple(questions))(answers)


def answer_reader(questions: tuple[SurveyQuestion, ...]):
    """A function that reads stored answers into an Answer; the question lookups are done once, not per answer."""
    ids = {measure: next((q.id for q in questions if q.measure == measure), None)
           for measure in ("omzet", "karyawan", "kanal", "legalitas")}
    likert = tuple(q.id for q in questions if q.measure == "pola_pikir")

    def as_set(value) -> frozenset[str] | None:
        return None if value is None else frozenset(value)

    def read(answers: Mapping[str, object]) -> Answer:
        return Answer(revenue=answers.get(ids["omzet"]), employees=answers.get(ids["karyawan"]),
                      channels=as_set(answers.get(ids["kanal"])), legality=as_set(answers.get(ids["legalitas"])),
                      mindset={qid: answers[qid] for qid in likert if qid in answers})

    return read
