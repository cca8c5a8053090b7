"""Survey answers as people type them, and what the indicators read from them."""

import pytest

from lms import PROJECT_ROOT
from lms.content.report import Report
from lms.content.surveyparse import parse_survey
from lms.impact.answers import indicator_answer, read_answers

SURVEY = parse_survey("dampak-umkm", (PROJECT_ROOT / "courses/surveys/dampak-umkm.yaml").read_text(), Report("x"))
BASELINE = SURVEY.for_wave("baseline")


def full(**overrides):
    raw = {"omzet": ["Rp 1.500.000"], "karyawan": ["2"], "kanal": ["whatsapp", "shopee"], "legalitas": ["nib"],
           "alat-digital": ["qris"], "pola-konten": ["2"], "pola-pelanggan": ["3"], "pola-data": ["1"],
           "pola-online": ["5"]}
    raw.update(overrides)
    return raw


@pytest.mark.parametrize(("typed", "stored"), [("Rp 1.500.000", 1_500_000), ("1,5 juta", 1_500_000),
                                               ("750 rb", 750_000), ("0", 0), ("2jt", 2_000_000)])
def test_revenue_in_everyday_forms(typed, stored):
    answers, errors = read_answers(BASELINE, full(omzet=[typed]), require_all=True)
    assert errors == {} and answers["omzet"] == stored


@pytest.mark.parametrize(("typed", "message"), [("-500000", "negatif"), ("1000000000000000", "terlalu besar"),
                                                ("sejuta", "tidak bisa dibaca"), ("1,5 M", "tidak bisa dibaca")])
def test_impossible_revenue_is_refused_with_a_message(typed, message):
    answers, errors = read_answers(BASELINE, full(omzet=[typed]), require_all=True)
    assert "omzet" not in answers and message in errors["omzet"]


@pytest.mark.parametrize(("typed", "message"), [("2,5", "bilangan bulat"), ("-1", "negatif"), ("dua", "angka"),
                                                ("20000", "terlalu besar")])
def test_employees_must_be_a_whole_count(typed, message):
    _answers, errors = read_answers(BASELINE, full(karyawan=[typed]), require_all=True)
    assert message in errors["karyawan"]


def test_choices_refuse_unknown_ids_and_likert_stays_in_range():
    _answers, errors = read_answers(BASELINE, full(kanal=["shopee", "<script>"], **{"pola-data": ["6"]}),
                                    require_all=True)
    assert "Pilihan tidak dikenal" in errors["kanal"] and "1–5" in errors["pola-data"]


def test_required_questions_only_block_a_submission_not_a_draft():
    raw = full(omzet=[""], karyawan=[])
    _answers, errors = read_answers(BASELINE, raw, require_all=True)
    assert set(errors) == {"omzet", "karyawan"}
    answers, errors = read_answers(BASELINE, raw, require_all=False)
    assert errors == {} and "omzet" not in answers and answers["kanal"] == ["shopee", "whatsapp"]


def test_none_of_these_is_an_answer_when_the_form_says_the_question_was_shown():
    answers, _ = read_answers(BASELINE, {**full(legalitas=[]), "legalitas--dijawab": ["1"]}, require_all=True)
    assert answers["legalitas"] == []
    answers, _ = read_answers(BASELINE, full(legalitas=[]), require_all=True)
    assert "legalitas" not in answers


def test_indicator_answer_reads_by_measure():
    answers, _ = read_answers(BASELINE, full(), require_all=True)
    answer = indicator_answer(SURVEY.questions, answers)
    assert answer.revenue == 1_500_000 and answer.employees == 2
    assert answer.channels == frozenset({"whatsapp", "shopee"}) and answer.legality == frozenset({"nib"})
    assert answer.mindset == {"pola-konten": 2, "pola-pelanggan": 3, "pola-data": 1, "pola-online": 5}
    assert indicator_answer(SURVEY.questions, {}).revenue is None


def test_the_messages_are_in_the_language_of_the_request_that_reads_the_answers(app):
    from flask_babel import force_locale

    expected = {"id": ("'<b>' tidak bisa dibaca sebagai angka.", "Pertanyaan ini wajib dijawab."),
                "en": ("'<b>' cannot be read as a number.", "This question must be answered.")}
    for locale, (unreadable, required) in expected.items():
        with app.test_request_context(), force_locale(locale):
            _answers, errors = read_answers(BASELINE, full(omzet=["<b>"], karyawan=[]), require_all=True)
        assert errors["omzet"].startswith(unreadable) and errors["karyawan"] == required
        assert type(errors["omzet"]) is str  # not a lazy string, which Jinja would take as safe HTML
