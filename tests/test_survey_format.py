"""The impact survey format (courses/surveys/*.yaml): the real survey loads, mistakes are reported at their line."""

from pathlib import Path

import pytest

from lms import PROJECT_ROOT
from lms.content import load_library
from lms.content.report import Report
from lms.content.surveyparse import parse_survey

REAL = PROJECT_ROOT / "courses" / "surveys" / "dampak-umkm.yaml"


def parse(text: str):
    report = Report("courses/surveys/uji.yaml")
    return parse_survey("uji", text, report), [str(p) for p in report.problems]


def test_the_real_survey_loads_with_every_measure():
    survey, problems = parse(REAL.read_text())
    assert problems == []
    assert {q.measure for q in survey.for_wave("baseline")} >= {"omzet", "karyawan", "kanal", "legalitas",
                                                                "pola_pikir"}
    assert [q.id for q in survey.by_measure("omzet")] == ["omzet"]
    assert "rebranding" not in {q.measure for q in survey.for_wave("baseline")}


def test_the_library_carries_the_survey_and_the_content_check_counts_it():
    library = load_library(PROJECT_ROOT, lambda module_id: "/")
    assert "dampak-umkm" in library.surveys
    assert not [p for p in library.problems if "surveys" in p.path]


def replace(old: str, new: str) -> str:
    text = REAL.read_text()
    assert old in text
    return text.replace(old, new, 1)


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("    jenis: rupiah\n", "    jenis: uang\n", "'jenis' harus salah satu dari"),
    ("    ukuran: karyawan\n", "    ukuran: pegawai\n", "'ukuran' harus salah satu dari"),
    ("    jenis: bilangan\n", "    jenis: rupiah\n", "ukuran 'karyawan' harus berjenis bilangan"),
    ("  - id: karyawan\n", "  - id: omzet\n", "id pertanyaan 'omzet' sudah dipakai"),
    ("      - {id: padi-umkm, teks: PaDi UMKM}\n", "", "harus menawarkan pilihan: padi-umkm"),
    ("      - {id: halal, teks: Sertifikat halal}\n", "", "harus menawarkan pilihan: halal"),
    ("    gelombang: [baseline, endline, followup]\n  - id: karyawan",
     "    gelombang: [baseline, endline]\n  - id: karyawan", "harus ditanyakan di semua gelombang"),
    ("    gelombang: [endline, followup]\n", "    gelombang: [akhir]\n", "gelombang 'akhir' tidak dikenal"),
    ("    wajib: true\n    maks: 10000\n", "    wajib: true\n    maks: -5\n", "'maks' harus bilangan bulat"),
    ("versi: 1\n", "versi: satu\n", "'versi' harus bilangan bulat"),
    ("    teks: Saya tahu siapa", "    tekz: Saya tahu siapa", "kunci 'tekz' tidak dikenal"),
])
def test_mistakes_are_reported_with_path_and_line(old, new, expected):
    survey, problems = parse(replace(old, new))
    assert survey is None
    assert any(expected in problem for problem in problems), problems
    assert all(problem.startswith("courses/surveys/uji.yaml") for problem in problems)


def test_a_problem_points_at_the_line_of_the_question():
    text = replace("    jenis: bilangan\n", "    jenis: rupiah\n")
    line = text.splitlines().index("    jenis: rupiah", text.splitlines().index("  - id: karyawan")) + 1
    _survey, problems = parse(text)
    assert f"courses/surveys/uji.yaml:{line}: ukuran 'karyawan' harus berjenis bilangan" in problems


def test_too_few_mindset_items_and_a_missing_measure():
    text = REAL.read_text()
    cut = text.index("  - id: pola-pelanggan")
    _survey, problems = parse(text[:cut])
    assert any("3–5 pernyataan pola pikir (ada 1)" in p for p in problems)
    without_revenue = replace("    ukuran: omzet\n", "    ukuran: pola_pikir\n").replace("    jenis: rupiah\n",
                                                                                          "    jenis: skala\n", 1)
    _survey, problems = parse(without_revenue)
    assert any("berukuran 'omzet'" in p for p in problems)


def test_broken_yaml_and_a_wrong_folder_name(tmp_path: Path):
    _survey, problems = parse("judul: [tidak ditutup\n")
    assert problems and "tidak valid" in problems[0]
    report = Report("courses/surveys/Bad Name.yaml")
    parse_survey("Bad Name", REAL.read_text(), report)
    assert any("id survei 'Bad Name'" in str(p) for p in report.problems)
