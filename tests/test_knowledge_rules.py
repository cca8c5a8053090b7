"""Knowledge test rules without HTTP: the item format, scoring, the two windows, and pairing pre with post."""

from pathlib import Path

import pytest

from lms import PROJECT_ROOT
from lms.content.check import find_problems
from lms.content.knowledgeparse import parse_knowledge_test
from lms.content.loader import load_library
from lms.content.report import Report
from lms.knowledge import rules
from tests.conftest import shipped_module_ids

MODULE_MD = "---\njudul: Modul Uji\nringkasan: Ringkas.\nmenit: 5\ntujuan:\n  - Belajar\n---\nIsi modul.\n"
GOOD_ITEMS = """## Apa kepanjangan NIB? {#nib}

- [ ] Nomor Izin Bisnis
- [x] Nomor Induk Berusaha

Penjelasan: NIB diterbitkan lewat OSS.

## QRIS boleh dikenai biaya tambahan kepada pembeli. {#surcharge}
Jenis: benar-salah
Jawaban: salah

Penjelasan: MDR ditanggung penjual.
"""


def parse(text: str):
    report = Report("content/m/pengetahuan.md")
    return parse_knowledge_test("m", text, report, version="v1"), [str(p) for p in report.problems]


def test_the_shipped_course_has_a_valid_knowledge_test_for_every_module():
    library = load_library(PROJECT_ROOT, lambda module_id: f"/m/{module_id}/")
    assert not [p for p in library.problems if "pengetahuan" in p.path]
    assert set(library.knowledge_tests) == set(shipped_module_ids())
    for test in library.knowledge_tests.values():
        assert 2 <= len(test.questions) <= 8
        assert all(q.kind in ("single", "truefalse") and len(q.correct_choice_ids) == 1 for q in test.questions)


def test_good_items_parse_with_their_version():
    test, problems = parse(GOOD_ITEMS)
    assert problems == [] and test.version == "v1" and [q.id for q in test.questions] == ["nib", "surcharge"]
    assert test.questions[1].correct_choice_ids == {"salah"}


@pytest.mark.parametrize(("text", "expected"), [
    ("---\njudul: x\n---\n" + GOOD_ITEMS, "pengetahuan.md:1: pengetahuan.md tidak memakai front matter"),
    (GOOD_ITEMS + "\n## Berapa 2 + 2? {#angka}\nJenis: angka\nJawaban: 4\n\nPenjelasan: empat.\n",
     "pengetahuan.md:14: tes pengetahuan hanya memakai soal 'tunggal' dan 'benar-salah'"),
    (GOOD_ITEMS.split("## QRIS")[0], "tes pengetahuan perlu 2–8 soal (sekarang 1)"),
    (GOOD_ITEMS.replace("Penjelasan: NIB diterbitkan lewat OSS.\n", ""), "soal tidak punya Penjelasan"),
    (GOOD_ITEMS.replace("- [x] Nomor Induk", "- [ ] Nomor Induk"), "soal tidak punya jawaban benar"),
    (GOOD_ITEMS.replace("{#surcharge}", "{#nib}"), "id soal 'nib' dipakai dua kali"),
    (GOOD_ITEMS + "\n![foto](images/a.png)\n", "gambar 'images/a.png' hanya bisa dipakai di module.md"),
])
def test_bad_items_are_refused_with_the_line(text, expected):
    test, problems = parse(text)
    assert test is None and any(expected in problem for problem in problems), problems


def write_tree(root: Path, modules: dict[str, str | None]) -> None:
    (root / "courses").mkdir(parents=True)
    (root / "courses" / "kursus.yaml").write_text(
        "judul: Kursus\ndeskripsi: Uji.\nmodul:\n" + "".join(f"  - {m}\n" for m in modules)
        + "kelulusan:\n  nilai_lulus_kuis: 70\nsertifikat: kelulusan\n", encoding="utf-8")
    for module_id, items in modules.items():
        folder = root / "content" / module_id
        folder.mkdir(parents=True)
        (folder / "module.md").write_text(MODULE_MD, encoding="utf-8")
        if items is not None:
            (folder / "pengetahuan.md").write_text(items, encoding="utf-8")


def test_content_check_fails_on_broken_items_and_warns_about_a_module_without_them(tmp_path):
    write_tree(tmp_path, {"satu": GOOD_ITEMS, "dua": None, "tiga": "## Tanpa id\n"})
    findings = find_problems(tmp_path)
    errors = [str(p) for p in findings.errors]
    assert any(e.startswith("content/tiga/pengetahuan.md:1: soal tidak punya id") for e in errors), errors
    assert "tiga" not in findings.library.knowledge_tests and "tiga" in findings.library.modules  # reading stays
    assert set(findings.library.knowledge_tests) == {"satu"}
    warnings = [str(p) for p in findings.warnings]
    assert any(w.startswith("content/dua: peringatan: modul belum punya pengetahuan.md") for w in warnings)


def test_content_check_cli_validates_the_shipped_items(runner):
    result = runner.invoke(args=["lms", "content", "check"])
    assert result.exit_code == 0 and "tes pengetahuan" in result.output


def items():
    return parse(GOOD_ITEMS)[0]


def test_scoring_counts_right_choices_and_nothing_else():
    test = items()
    assert rules.score_module(test, {"nib": "b", "surcharge": "salah"}) == {"version": "v1", "points": 2, "items": 2}
    assert rules.score_module(test, {"nib": "a", "surcharge": "salah"})["points"] == 1
    assert rules.score_module(test, {"nib": ["b"], "surcharge": "SALAH"})["points"] == 0  # tampered shapes
    assert rules.score_module(test, {})["points"] == 0
    assert rules.module_percent({"points": 1, "items": 3}) == pytest.approx(33.333, abs=0.001)
    assert rules.unanswered([test], {"m": {"nib": "b", "surcharge": "mungkin"}}) == [("m", "surcharge")]


def test_the_pre_test_closes_once_learning_starts_and_the_post_test_opens_when_every_module_is_read():
    assert rules.pretest_state(has_items=True, taken=False, started_learning=False) == "open"
    assert rules.pretest_state(has_items=True, taken=False, started_learning=True) == "closed"
    assert rules.pretest_state(has_items=True, taken=True, started_learning=True) == "taken"
    assert rules.pretest_state(has_items=False, taken=False, started_learning=False) == "none"
    assert rules.posttest_state(has_items=True, taken=False, finished_modules=False) == "not_yet"
    assert rules.posttest_state(has_items=True, taken=False, finished_modules=True) == "open"
    assert rules.posttest_state(has_items=True, taken=True, finished_modules=True) == "taken"


def scores(**modules):
    """Module id → (points, items[, version])."""
    return {m: {"points": v[0], "items": v[1], "version": v[2] if len(v) > 2 else "v1"} for m, v in modules.items()}


def test_gain_pairs_only_participants_with_both_tests_and_the_same_items():
    results = [
        (scores(a=(1, 2), b=(0, 2)), scores(a=(2, 2), b=(1, 2))),  # paired on a and b
        (scores(a=(0, 2), b=(2, 2)), scores(a=(1, 2), b=(2, 2, "v2"))),  # b's items changed: a only
        (scores(a=(2, 2), b=(2, 2)), None),  # pre only: counted, not paired
        (None, scores(a=(2, 2), b=(2, 2))),  # post only
    ]
    gain = rules.knowledge_gain(results, ["a", "b"])
    assert (gain["respondents_pre"], gain["respondents_post"], gain["n"]) == (3, 3, 2)
    a, b = gain["modules"]
    assert (a["module"], a["n"], a["pre_mean"], a["post_mean"], a["gain_mean"]) == ("a", 2, 25, 75, 50)
    assert (b["n"], b["pre_mean"], b["post_mean"], b["changed_items"]) == (1, 0, 50, 1)
    # Overall per person over their paired modules: (1+0)/4 → 25 and 3/4 → 75; then 0/2 → 0 and 1/2 → 50.
    assert gain["pre_mean"] == pytest.approx(12.5) and gain["post_mean"] == pytest.approx(62.5)
    assert gain["gain_mean"] == pytest.approx(50)


def test_gain_with_nobody_paired_says_none_not_zero_and_rounds_half_up():
    gain = rules.knowledge_gain([(scores(a=(1, 2)), None)], ["a"])
    assert gain["n"] == 0 and gain["pre_mean"] is None and gain["modules"][0]["post_mean"] is None
    assert rules.one_decimal(53.25) == 53.3 and rules.one_decimal(66.66666) == 66.7 and rules.one_decimal(None) is None
    rounded = rules.rounded_gain(rules.knowledge_gain([(scores(a=(1, 3)), scores(a=(2, 3)))], ["a"]))
    assert rounded["pre_mean"] == 33.3 and rounded["modules"][0]["post_mean"] == 66.7
    assert rounded["modules"][0]["gain_mean"] == 33.3


def test_an_empty_file_is_reported_once():
    test, problems = parse("\n\n")
    assert test is None and problems == ["content/m/pengetahuan.md:1: tes pengetahuan belum punya soal "
                                         "(awali soal dengan '## ')"]
