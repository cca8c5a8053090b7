"""Parse an impact survey definition, courses/surveys/<id>.yaml (docs/content-format.md, "Survei dampak").

The questions of the baseline, endline and follow-up waves live in the repository,
versioned like the modules, so changing a question never changes a stored answer:
each answer records the survey version it was given under.
"""

from __future__ import annotations

from dataclasses import dataclass

from .fields import Fields
from .frontmatter import parse_yaml
from .ids import id_rule, is_valid_id
from .report import Report

WAVES = ("baseline", "endline", "followup")
KINDS = ("rupiah", "bilangan", "pilihan", "skala")
# What an answer measures: the impact indicators read questions by measure, never by id.
MEASURES = ("omzet", "karyawan", "kanal", "legalitas", "rebranding", "alat_digital", "pola_pikir")
# One question each: the indicators pair a participant's baseline and endline answer of that measure.
SINGLE_MEASURES = ("omzet", "karyawan", "kanal", "legalitas")
MEASURE_KINDS = {"omzet": ("rupiah",), "karyawan": ("bilangan",), "kanal": ("pilihan",),
                 "legalitas": ("pilihan",), "rebranding": ("pilihan",), "alat_digital": ("pilihan",),
                 "pola_pikir": ("skala",)}
SURVEY_KEYS = ("judul", "versi", "pengantar", "pertanyaan")
QUESTION_KEYS = ("id", "jenis", "ukuran", "teks", "petunjuk", "wajib", "gelombang", "pilihan", "maks", "ganda")
LIKERT_POINTS = 5
# The channel and legality ids the indicators count ("marketplace_onboarded", "legality_gained"):
# the checker insists the survey offers each, so a renamed choice cannot silently drop out of a figure.
MARKETPLACE_CHANNELS = frozenset({"shopee", "tokopedia", "tiktok-shop", "lazada", "bukalapak", "blibli",
                                  "gofood", "grabfood", "shopeefood"})
GOVERNMENT_CHANNELS = frozenset({"ekatalog", "padi-umkm", "bela-pengadaan"})
LEGALITY_ITEMS = ("nib", "pirt", "halal", "bpom", "merek")
MAX_RUPIAH = 100_000_000_000  # 100 miliar a month: far above any UMKM, low enough to catch typos of 10¹⁵
MAX_COUNT = 100_000


@dataclass(frozen=True)
class SurveyChoice:
    id: str
    text: str


@dataclass(frozen=True)
class SurveyQuestion:
    id: str
    kind: str
    measure: str
    text: str
    hint: str
    required: bool
    waves: tuple[str, ...]
    choices: tuple[SurveyChoice, ...] = ()
    multiple: bool = False
    maximum: int = 0

    def choice_ids(self) -> frozenset[str]:
        return frozenset(choice.id for choice in self.choices)


@dataclass(frozen=True)
class Survey:
    id: str
    version: int
    title: str
    intro: str
    questions: tuple[SurveyQuestion, ...]

    def for_wave(self, wave: str) -> tuple[SurveyQuestion, ...]:
        """The questions asked in one wave, in file order."""
        return tuple(q for q in self.questions if wave in q.waves)

    def by_measure(self, measure: str) -> tuple[SurveyQuestion, ...]:
        return tuple(q for q in self.questions if q.measure == measure)


def parse_survey(survey_id: str, text: str, report: Report) -> Survey | None:
    """Build a Survey from its YAML text; None when it has problems (each reported at its line)."""
    if not is_valid_id(survey_id):
        report.add(0, f"id survei '{survey_id}' (nama berkas) tidak valid: {id_rule()}")
    doc = parse_yaml(text, report)
    if doc is None:
        return None
    fields = Fields(doc, report, anchor_line=1, where="survei")
    if not fields.is_mapping():
        return None
    fields.reject_unknown(SURVEY_KEYS)
    title = fields.text("judul")
    version = fields.integer("versi", low=1, high=10_000)
    intro = fields.text("pengantar", required=False) or ""
    raw_questions = doc.data.get("pertanyaan")
    if not isinstance(raw_questions, list) or not raw_questions:
        report.add(fields.line("pertanyaan"), "'pertanyaan' harus daftar pertanyaan (baris diawali '- ')")
        return None
    questions = [_parse_question(doc, report, index) for index in range(len(raw_questions))]
    if None in questions:
        return None
    _check_whole(questions, doc, report)
    if not report.ok or title is None or version is None:
        return None
    return Survey(id=survey_id, version=version, title=title, intro=intro, questions=tuple(questions))


def _parse_question(doc, report: Report, index: int) -> SurveyQuestion | None:
    line = doc.line("pertanyaan", index, default=1)
    fields = Fields(doc, report, anchor_line=line, where=f"pertanyaan ke-{index + 1}", prefix=("pertanyaan", index))
    if not fields.is_mapping():
        return None
    fields.reject_unknown(QUESTION_KEYS)
    question_id = fields.text("id")
    if question_id is not None and not is_valid_id(question_id):
        report.add(fields.line("id"), f"id pertanyaan '{question_id}' tidak valid: {id_rule()}")
    kind = fields.choice("jenis", KINDS, default="")
    measure = fields.choice("ukuran", MEASURES, default="")
    if kind == "":
        report.add(fields.line("jenis"), f"kunci 'jenis' wajib diisi: {', '.join(KINDS)}")
    if measure == "":
        report.add(fields.line("ukuran"), f"kunci 'ukuran' wajib diisi: {', '.join(MEASURES)}")
    if kind and measure and kind not in MEASURE_KINDS[measure]:
        report.add(fields.line("jenis"), f"ukuran '{measure}' harus berjenis {' atau '.join(MEASURE_KINDS[measure])}")
    waves = fields.text_list("gelombang")
    for wave_index, wave in enumerate(waves or ()):
        if wave not in WAVES:
            report.add(fields.item_line("gelombang", wave_index),
                       f"gelombang '{wave}' tidak dikenal: {', '.join(WAVES)}")
    choices = _parse_choices(doc, report, fields, index) if kind == "pilihan" else ()
    if kind != "pilihan" and fields.present("pilihan", required=False):
        report.add(fields.line("pilihan"), "'pilihan' hanya untuk pertanyaan berjenis 'pilihan'")
    default_max = {"rupiah": MAX_RUPIAH, "bilangan": MAX_COUNT}.get(kind or "", 0)
    maximum = fields.integer("maks", low=1, high=MAX_RUPIAH, required=False) or default_max
    text = fields.text("teks")
    if None in (question_id, kind, measure, waves, text, choices) or not kind or not measure:
        return None
    return SurveyQuestion(
        id=question_id, kind=kind, measure=measure, text=text, hint=fields.text("petunjuk", required=False) or "",
        required=bool(doc.data["pertanyaan"][index].get("wajib", False)), waves=waves, choices=choices,
        multiple=bool(doc.data["pertanyaan"][index].get("ganda", kind == "pilihan")), maximum=maximum,
    )


def _parse_choices(doc, report: Report, fields: Fields, index: int) -> tuple[SurveyChoice, ...] | None:
    raw = fields.data.get("pilihan")
    if not isinstance(raw, list) or len(raw) < 2:
        report.add(fields.line("pilihan"), "'pilihan' harus daftar berisi minimal 2 pilihan")
        return None
    choices = []
    for choice_index, item in enumerate(raw):
        line = doc.line("pertanyaan", index, "pilihan", choice_index, default=fields.line("pilihan"))
        if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not isinstance(item.get("teks"), str):
            report.add(line, "setiap pilihan ditulis sebagai '- {id: ..., teks: ...}'")
            return None
        if not is_valid_id(item["id"]):
            report.add(line, f"id pilihan '{item['id']}' tidak valid: {id_rule()}")
            return None
        choices.append(SurveyChoice(item["id"], " ".join(item["teks"].split())))
    if len({c.id for c in choices}) != len(choices):
        report.add(fields.line("pilihan"), "id pilihan tidak boleh kembar")
        return None
    return tuple(choices)


def _check_whole(questions: list[SurveyQuestion], doc, report: Report) -> None:
    """Ids unique; one question per paired measure; every wave asks the paired measures."""
    seen: dict[str, int] = {}
    for index, question in enumerate(questions):
        line = doc.line("pertanyaan", index, default=1)
        if question.id in seen:
            report.add(line, f"id pertanyaan '{question.id}' sudah dipakai di pertanyaan ke-{seen[question.id] + 1}")
        seen.setdefault(question.id, index)
    for measure in SINGLE_MEASURES:
        found = [q for q in questions if q.measure == measure]
        if len(found) > 1:
            report.add(1, f"ukuran '{measure}' hanya boleh dipakai satu pertanyaan (dipakai {len(found)})")
        if not found:
            report.add(1, f"survei harus punya pertanyaan berukuran '{measure}'")
        for question in found:
            if set(question.waves) != set(WAVES):
                report.add(doc.line("pertanyaan", questions.index(question), default=1),
                           f"pertanyaan '{question.id}' harus ditanyakan di semua gelombang agar bisa dibandingkan")
    _require_choices(questions, "kanal", MARKETPLACE_CHANNELS | GOVERNMENT_CHANNELS, report)
    _require_choices(questions, "legalitas", frozenset(LEGALITY_ITEMS), report)
    likert = [q for q in questions if q.measure == "pola_pikir"]
    if not 3 <= len(likert) <= 5:
        report.add(1, f"survei harus punya 3–5 pernyataan pola pikir (ada {len(likert)})")


def _require_choices(questions: list[SurveyQuestion], measure: str, needed: frozenset[str], report: Report) -> None:
    for question in questions:
        missing = sorted(needed - question.choice_ids()) if question.measure == measure else []
        if missing:
            report.add(1, f"pertanyaan '{question.id}' harus menawarkan pilihan: {', '.join(missing)}")
