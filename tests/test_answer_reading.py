"""Answers typed the way people type them (issue 17 §5): numbers with units and multipliers, isian text.

The tables below are the grammar in docs/content-format.md ("Angka yang diketik
peserta" and "Jawaban isian"), row by row, including what is refused.
"""

from decimal import Decimal

import pytest

from lms.content.numbers import declared_unit, is_ambiguous_reading, read_typed_number
from lms.content.quizparse import normalize_text_answer
from lms.content.schema import Question
from lms.quiz import scoring


@pytest.mark.parametrize(
    ("typed", "unit", "expected"),
    [
        # Bare numbers, as before.
        ("1500000", None, "1500000"),
        ("1.500.000", None, "1500000"),
        ("2,5", None, "2.5"),
        ("1.5", None, "1.5"),
        ("12.500", None, "12500"),
        ("0.750", None, "0.75"),  # a leading 0 group is never thousands
        ("16.", None, "16"),  # a sentence's full stop
        ("-3", None, "-3"),
        # Multipliers.
        ("1,5 juta", None, "1500000"),
        ("1,5jt", None, "1500000"),
        ("1,5 JT", "rupiah", "1500000"),
        ("15 ribu", None, "15000"),
        ("15rb", None, "15000"),
        ("15 rb.", None, "15000"),
        ("15k", None, "15000"),
        ("15 K", "rupiah", "15000"),
        ("2 miliar", "rupiah", "2000000000"),
        ("1.250 ribu", "rupiah", "1250000"),
        # Currency.
        ("Rp 1.500.000", "rupiah", "1500000"),
        ("Rp1.500.000,-", "rupiah", "1500000"),
        ("Rp 15rb", "rupiah", "15000"),
        ("Rp. 750", "rupiah", "750"),
        ("IDR 5000", "rupiah", "5000"),
        ("750 rupiah", "rupiah", "750"),
        ("750 Rupiah", None, "750"),
        ("15 ribu rupiah", "rupiah", "15000"),
        ("-Rp 5.000", "rupiah", "-5000"),
        # Weight, with conversion between kg and gram.
        ("1,5 kg", "kg", "1.5"),
        ("1,5kg", "kg", "1.5"),
        ("1,5 kilo", "kg", "1.5"),
        ("1,5 kilogram", None, "1.5"),
        ("1500 gram", "kg", "1.5"),
        ("1.500 gr", "kg", "1.5"),
        ("1500 g", "gram", "1500"),
        ("1,5 kg", "gram", "1500"),
        ("15kg", None, "15"),  # "k" of "kg" is not the thousands multiplier
        # Pixels, stars.
        ("1920 piksel", "piksel", "1920"),
        ("1920 px", "piksel", "1920"),
        ("1920 pixel", None, "1920"),
        ("1.920 piksel", "piksel", "1920"),
        ("4,4 bintang", "bintang", "4.4"),
        # Ratios and multiples; a percent is divided by 100 when the author asks for "kali"/"rasio".
        ("3x", "kali", "3"),
        ("3 x", "kali", "3"),
        ("3×", "rasio", "3"),
        ("3 kali", "kali", "3"),
        ("3 kali lipat", "kali", "3"),
        ("3 kali.", "rasio", "3"),
        ("300%", "kali", "3"),
        ("300 %", "rasio", "3"),
        ("250 persen", "rasio", "2.5"),
        ("2,5", "rasio", "2.5"),
        # Percent.
        ("15%", "persen", "15"),
        ("15 persen", "persen", "15"),
        ("2,5%", None, "2.5"),
        ("300%", None, "300"),  # no Satuan: a percent sign is ignored, as before
        ("15", "persen", "15"),
    ],
)
def test_reads_numbers_as_people_type_them(typed, unit, expected):
    assert read_typed_number(typed, unit).value == Decimal(expected)


@pytest.mark.parametrize(
    ("typed", "unit", "fragment"),
    [
        ("", None, "angka kosong"),
        ("abc", None, "ada huruf"),
        ("juta", None, "ada huruf"),
        ("satu juta", None, "ada huruf"),
        ("1,5 M", None, "ada huruf"),  # "M" is miliar to some, million to others
        ("15kk", None, "ada huruf"),
        ("x3", None, "ada huruf"),
        ("1,5 jutaan", None, "ada huruf"),
        ("kg", None, "ada huruf"),
        ("1:3", "rasio", "tulis satu angka"),
        ("3:1", None, "tulis satu angka"),
        ("1,2,3", None, "koma hanya boleh satu"),
        ("1" * 61, None, "terlalu panjang"),
        # A unit that contradicts the declared one is refused, not silently accepted.
        ("300%", "rupiah", "soal ini meminta rupiah"),
        ("1,5 kg", "rupiah", "soal ini meminta rupiah"),
        ("3x", "persen", "soal ini meminta persen"),
        ("3 kali", "kg", "soal ini meminta kilogram"),
        ("Rp 15.000", "persen", "soal ini meminta persen"),
        ("1920 piksel", "kali", "soal ini meminta kali"),
        ("1,5 kg", "piksel", "soal ini meminta piksel"),
        ("15%", "kg", "soal ini meminta kilogram"),
        ("0,03 kali", "persen", "soal ini meminta persen"),
        ("Rp 1,5 kg", None, "Rp dan 'kg' tidak bisa sekaligus"),
        ("4,4 bintang", "persen", "soal ini meminta persen"),
    ],
)
def test_refuses_what_a_person_would_not_accept(typed, unit, fragment):
    with pytest.raises(ValueError, match=fragment):
        read_typed_number(typed, unit)


@pytest.mark.parametrize(
    ("declared", "family"),
    [("rupiah", "rupiah"), ("Persen", "persen"), ("kali", "kali"), ("rasio", "kali"), ("kg", "kg"),
     ("gram", "gram"), ("piksel", "piksel"), ("bintang", "bintang"), ("meter", None), ("%", None), ("", None)],
)
def test_declared_units(declared, family):
    assert declared_unit(declared) == family


@pytest.mark.parametrize(
    ("typed", "unit", "expected", "tolerance", "ambiguous"),
    [
        ("1.200", None, "1.2", "0.05", True),  # CTR 1,2 %: 1.200 is surely meant as 1,2
        ("1.200", None, "1.2", "0", True),
        ("4.400", None, "4.4", "0.05", True),
        ("12.500", None, "1.2", "0", True),
        ("1.200", None, "1200", "0", False),  # the expected size says thousands
        ("12.500", None, "12500", "10", False),
        ("1.500", None, "750", "5", False),
        ("1.200", None, "1200", "0.5", True),  # a fractional tolerance asks for decimals
        ("1.200", None, "0", "0", True),
        ("2.500", "kali", "2.5", "0.05", True),
        ("1.500 gram", "kg", "1.5", "0.05", False),  # 1.500 gram is 1,5 kg: thousands, no doubt
        ("1.200", "persen", "12", "0.1", True),
        ("1,2", None, "1.2", "0.05", False),  # a comma is never ambiguous
        ("1.200.000", None, "1.2", "0", False),  # two groups: thousands
        ("Rp 1.200", None, "1.2", "0", False),  # rupiah never has a decimal part here
        ("1.200", "rupiah", "1.2", "0", False),
        ("1200", None, "1.2", "0", False),
        ("1.5", None, "1.5", "0", False),
    ],
)
def test_ambiguous_dot_is_flagged_from_the_question_not_the_answer(typed, unit, expected, tolerance, ambiguous):
    reading = read_typed_number(typed, unit)
    assert is_ambiguous_reading(reading, Decimal(expected), Decimal(tolerance)) is ambiguous


def _numeric(answer: str, tolerance: str = "0", unit: str | None = None) -> Question:
    return Question(id="q", kind="numeric", prompt_html="<p>?</p>", choices=(), partial_credit=False,
                    answer_bool=None, answer_number=Decimal(answer), tolerance=Decimal(tolerance),
                    accepted_texts=(), explanation_html="", unit=unit)


@pytest.mark.parametrize(
    ("question", "typed", "credit"),
    [
        (_numeric("3", "0.05", "kali"), "300%", 1.0),
        (_numeric("3", "0.05", "kali"), "3x", 1.0),
        (_numeric("3", "0.05", "kali"), "3 kali", 1.0),
        (_numeric("3", "0.05", "rasio"), "3", 1.0),
        (_numeric("3", "0.05", "rasio"), "30%", 0.0),
        (_numeric("3", "0.05", "kali"), "3 kg", 0.0),
        (_numeric("3", "0.05"), "300%", 0.0),  # no Satuan: 300% is 300
        (_numeric("750", "5", "rupiah"), "Rp 750", 1.0),
        (_numeric("750", "5", "rupiah"), "750 rupiah", 1.0),
        (_numeric("15000", "100", "rupiah"), "15rb", 1.0),
        (_numeric("15000", "100", "rupiah"), "15 ribu", 1.0),
        (_numeric("15000", "100", "rupiah"), "15k", 1.0),
        (_numeric("15000", "100", "rupiah"), "Rp15.000,-", 1.0),
        (_numeric("15000", "100", "rupiah"), "15%", 0.0),
        (_numeric("1500000", "0", "rupiah"), "1,5 juta", 1.0),
        (_numeric("1500000", "0"), "1,5jt", 1.0),
        (_numeric("1.5", "0.05", "kg"), "1,5 kg", 1.0),
        (_numeric("1.5", "0.05", "kg"), "1500 gram", 1.0),
        (_numeric("1.5", "0.05", "kg"), "1,5", 1.0),
        (_numeric("1920", "0", "piksel"), "1920 piksel", 1.0),
        (_numeric("1920", "0", "piksel"), "1.920 px", 1.0),
        (_numeric("1920", "0"), "1920 piksel", 1.0),
        (_numeric("1.2", "0.05"), "1.200", 0.0),  # read as 1.200, shown before submit
        (_numeric("1.2", "0.05"), "1,2", 1.0),
        (_numeric("4.4", "0.05", "bintang"), "4,4 bintang", 1.0),
    ],
)
def test_numeric_answers_are_graded_as_a_person_would(question, typed, credit):
    assert scoring.score_question(question, typed).credit == credit


def test_a_contradicting_unit_is_explained_not_silently_accepted():
    result = scoring.score_question(_numeric("15000", "100", "rupiah"), "15%")
    assert result.credit == 0.0
    assert "soal ini meminta rupiah" in result.number_problem


@pytest.mark.parametrize(
    ("typed", "accepted"),
    [
        ("OTP", "OTP"),
        ("OTP.", "OTP"),
        ("otp", "OTP"),
        ("  O T P", "O T P"),
        ("One Time Password (OTP)", "One Time Password (OTP)"),
        ("one time password otp", "One Time Password (OTP)"),
        ("One-Time Password (OTP).", "One Time Password (OTP)"),
        ("nama, alamat dan nomor telepon", "Nama, Alamat, dan Nomor Telepon"),
        ("Nama alamat dan nomor telepon", "Nama, Alamat, dan Nomor Telepon"),
        ("nama; alamat; dan nomor telepon!", "Nama, Alamat, dan Nomor Telepon"),
        ("Nama, alamat & nomor telepon", "Nama, Alamat dan Nomor Telepon"),
        ("BPJPH.", "BPJPH"),
        ("\u201cBPJPH\u201d", "BPJPH"),
        ("[BPJPH]", "BPJPH"),
        ("balasan cepat (quick reply)", "Balasan cepat (quick reply)"),
        ("Balasan Cepat quick-reply", "Balasan cepat (quick reply)"),
        ("Café", "cafe"),
        ("CAFÉ", "café"),
        ("ﬁlter", "filter"),  # NFKD unfolds the ligature
        ("Jum'at", "Jumat"),
        ("call to action.", "Call to Action"),
        ("call-to-action", "Call to Action"),
        ("rule of thirds", "Rule of Thirds"),
    ],
)
def test_isian_ignores_case_spaces_punctuation_brackets_and_accents(typed, accepted):
    assert normalize_text_answer(typed) == normalize_text_answer(accepted)


@pytest.mark.parametrize(
    ("typed", "accepted"),
    [
        ("OTPP", "OTP"),
        ("BPJPH Kemenag", "BPJPH"),  # extra words are a different answer unless listed
        ("rule of third", "Rule of Thirds"),  # listed as a variant if the author accepts it
        ("CPC", "CPM"),
        ("50", "50%"),
        ("ajakan", "ajakan bertindak"),
    ],
)
def test_isian_still_tells_different_answers_apart(typed, accepted):
    assert normalize_text_answer(typed) != normalize_text_answer(accepted)


def test_text_matches_any_listed_variant():
    question = Question(id="q", kind="text", prompt_html="<p>?</p>", choices=(), partial_credit=False,
                        answer_bool=None, answer_number=None, tolerance=Decimal(0),
                        accepted_texts=("BPJPH", "BPJPH Kemenag", "Badan Penyelenggara Jaminan Produk Halal"),
                        explanation_html="")
    assert scoring.text_matches(question, "bpjph (kemenag).")
    assert scoring.text_matches(question, "Badan Penyelenggara Jaminan Produk Halal (BPJPH)") is False
    assert scoring.text_matches(question, "badan penyelenggara jaminan produk halal.")
    assert scoring.text_matches(question, "   ") is False


# --- the Satuan field in quiz.md ---------------------------------------------

QUIZ_WITH_UNITS = """---
judul: Kuis satuan
---

## Berapa ROAS-nya? {#roas}

Jenis: angka
Jawaban: 3 kali
Toleransi: 0,05
Satuan: rasio
Penjelasan: 900.000 ÷ 300.000 = 3.

## Berapa biaya per klik? {#cpc}

Jenis: angka
Jawaban: Rp 750
Satuan: rupiah
Penjelasan: 90.000 ÷ 120.

## Berapa berat paketnya? {#berat}

Jenis: angka
Jawaban: 1,5 kg
Toleransi: 50 gram
Satuan: kg
Penjelasan: 1,5 kg.

## Apa kepanjangan OTP? {#otp}

Jenis: isian
Jawaban: One Time Password | kode sekali pakai
Penjelasan: OTP.
"""


def test_satuan_is_read_and_kept_in_the_snapshot(tmp_path):
    from lms.content.schema import Quiz
    from tests.test_content_format import build_tree, load

    library = load(build_tree(tmp_path, quiz=QUIZ_WITH_UNITS))
    assert library.problems == ()
    quiz = next(iter(library.modules.values())).quiz
    roas, cpc, weight, otp = quiz.questions
    assert (roas.unit, roas.answer_number, roas.tolerance) == ("kali", Decimal(3), Decimal("0.05"))
    assert (cpc.unit, cpc.answer_number) == ("rupiah", Decimal(750))
    assert (weight.unit, weight.answer_number, weight.tolerance) == ("kg", Decimal("1.5"), Decimal("0.05"))
    assert otp.unit is None and "unit" not in otp.to_dict()
    again = Quiz.from_dict(quiz.to_dict())
    assert again == quiz
    assert scoring.score_question(again.questions[0], "300%").credit == 1.0
    assert scoring.correct_answer_text(roas) == "3 kali (± 0,05)"
    assert scoring.correct_answer_text(cpc) == "Rp 750"


@pytest.mark.parametrize(
    ("replace", "by", "fragment"),
    [
        ("Satuan: rasio", "Satuan: meter", "'Satuan' 'meter' tidak dikenal; pilih: rupiah, persen, kali, rasio"),
        ("Jawaban: Rp 750", "Jawaban: 750%", "'Jawaban' harus angka: '750%' ditulis dalam persen"),
        ("Jawaban: One Time Password | kode sekali pakai", "Jawaban: OTP\nSatuan: kali",
         "'Satuan' hanya untuk soal jenis 'angka'"),
        ("Satuan: rasio", "Satuann: rasio", "maksudnya 'Satuan'"),
    ],
)
def test_satuan_mistakes_are_reported_at_their_line(tmp_path, replace, by, fragment):
    from tests.test_content_format import build_tree, line_of, load

    text = QUIZ_WITH_UNITS.replace(replace, by)
    problems = load(build_tree(tmp_path, quiz=text)).problems
    needle = by.splitlines()[-1]
    line = line_of(text, needle)
    assert any(p.line == line and fragment in p.message for p in problems), [str(p) for p in problems]
