"""`lms content check` lints (issue 17 §6): raw HTML with path:line, curriculum minimums, numeric read-back."""

from pathlib import Path

import pytest

from lms.content.check import find_problems, main, raw_html_problems
from tests.test_content_format import MODULE, MODULE_MD, QUIZ_MD, build_tree, line_of

QUIZ_HEAD = "---\njudul: Kuis\n---\n\n"


@pytest.mark.parametrize(
    ("markdown", "needle", "fragment"),
    [
        ("Teks\n\n<iframe src='https://youtube.com/x'></iframe>\n\nLanjut", "<iframe", "tag HTML '<iframe>'"),
        ("Teks\n\n<details>\n<summary>Buka</summary>\n\nIsi\n", "<details>", "tag '<details>' tidak ditutup"),
        ("Teks\n\n<details>\n<summary>Buka</summary>\n\nIsi\n", "<details>", "teks sesudahnya bisa ikut hilang"),
        ("Satu<br>dua", "Satu<br>", "tag HTML '<br>' di Markdown dibuang"),
        ("Harga <b>murah</b>", "Harga", "'</b>' tidak dipakai"),
        ("<DIV class='x'>\nA\n</div>", "<DIV", "tag HTML '<div>'"),
        ("A\n<span\nstyle='x'>B</span>", "<span", "tag HTML '<span>'"),
        ("A\n\n<img src=x>", "<img", "tag HTML '<img>'"),
        # Python-Markdown really reads this as a tag and drops "Rp 10.000 untuk".
        ("Ongkir <Rp 10.000 untuk >1 kg", "Ongkir", "tag HTML '<rp>'"),
    ],
)
def test_raw_html_is_reported_at_its_line(markdown, needle, fragment):
    problems = raw_html_problems(markdown, "content/m/module.md")
    line = line_of(markdown, needle)
    assert any(p.line == line and fragment in p.message for p in problems), [str(p) for p in problems]
    assert all(str(p).startswith(f"content/m/module.md:{p.line}: ") for p in problems)


@pytest.mark.parametrize(
    "markdown",
    [
        "Kunjungi <https://umkm.example.id> atau tulis ke <halo@contoh.id>.",
        "Jika A < B dan C > D, pilih A. Saya <3 UMKM.",
        "<!-- catatan penulis: cek harga tiap bulan -->\n\nTeks",
        "Ketik `<iframe>` hanya sebagai contoh kode.",
        "```html\n<iframe src='x'></iframe>\n<details>\n```\n\nTeks",
        "~~~\n<div>\n~~~",
    ],
)
def test_what_is_not_a_raw_tag(markdown):
    assert raw_html_problems(markdown, "content/m/module.md") == []


def test_check_reports_raw_html_in_module_and_quiz_files(tmp_path: Path, capsys):
    module = MODULE + "\n<details>\n<summary>Selengkapnya</summary>\n\nTeks tersembunyi.\n"
    root = build_tree(tmp_path, module=module)
    quiz_path = root / QUIZ_MD
    quiz_path.write_text(quiz_path.read_text(encoding="utf-8").replace(
        "Penjelasan: Cahaya jendela lembut dan merata.", "Penjelasan: Cahaya jendela <b>lembut</b>."),
        encoding="utf-8")
    assert main([str(root)]) == 1
    out = capsys.readouterr().out
    assert f"{MODULE_MD}:{line_of(module, '<details>')}: tag '<details>' tidak ditutup" in out
    quiz_text = quiz_path.read_text(encoding="utf-8")
    assert f"{QUIZ_MD}:{line_of(quiz_text, '<b>lembut')}: tag HTML '<b>'" in out


def test_minimums_are_warnings_on_stderr_unless_strict(tmp_path: Path, capsys):
    root = build_tree(tmp_path)  # a small module: few words, few questions
    assert main([str(root)]) == 0
    captured = capsys.readouterr()
    assert captured.out.strip() == "Konten OK: 1 kursus, 1 modul, 0 survei"
    assert "content/contoh-modul/module.md: peringatan: teks pelajaran" in captured.err
    assert "minimal 1.200 kata" in captured.err
    assert "peringatan: kuis punya" in captured.err and "minimal 10" in captured.err
    assert "soal angka; minimal 2" in captured.err
    assert main([str(root), "--strict"]) == 1
    assert "--strict" in capsys.readouterr().err


def test_a_module_that_meets_the_minimums_has_no_warning(tmp_path: Path):
    prose = "\n\n".join("Kalimat pelajaran yang cukup panjang untuk dibaca peserta " * 10 for _ in range(15))
    questions = "".join(
        f"## Soal angka {n} {{#angka-{n}}}\n\nJenis: angka\nJawaban: {n}\nPenjelasan: x\n\n" for n in range(10))
    root = build_tree(tmp_path, module=MODULE + "\n" + prose + "\n", quiz=QUIZ_HEAD + questions)
    findings = find_problems(root)
    assert findings.errors == () and findings.warnings == ()
    assert findings.library.modules["contoh-modul"].word_count >= 1200


def test_numeric_jawaban_that_cannot_be_read_back_is_an_error(tmp_path: Path):
    quiz = QUIZ_HEAD + "## ROAS? {#roas}\n\nJenis: angka\nJawaban: 1:3\nPenjelasan: x\n"
    findings = find_problems(build_tree(tmp_path, quiz=quiz))
    line = line_of(quiz, "Jawaban: 1:3")
    assert any(str(p).startswith(f"{QUIZ_MD}:{line}: 'Jawaban' harus angka") for p in findings.errors)


def test_ambiguous_numeric_jawaban_is_a_warning(tmp_path: Path):
    quiz = QUIZ_HEAD + "## Berapa? {#berapa}\n\nJenis: angka\nJawaban: 1.200\nToleransi: 0,5\nPenjelasan: x\n"
    findings = find_problems(build_tree(tmp_path, quiz=quiz))
    assert findings.errors == ()
    line = line_of(quiz, "Jawaban: 1.200")
    assert any(p.line == line and "bisa dibaca ribuan atau desimal" in p.message for p in findings.warnings)


def test_the_project_content_has_no_errors():
    root = Path(__file__).resolve().parent.parent
    assert find_problems(root).errors == ()


@pytest.mark.parametrize(("words", "minutes"), [(0, 1), (1, 1), (200, 1), (201, 2), (1200, 6), (1450, 8)])
def test_reading_time_is_200_words_a_minute(tmp_path: Path, words, minutes):
    from dataclasses import replace

    module = find_problems(build_tree(tmp_path)).library.modules["contoh-modul"]
    assert replace(module, word_count=words).reading_minutes == minutes


def test_module_page_states_the_reading_time_from_the_word_count(client, world):
    from tests.conftest import login

    root = Path(__file__).resolve().parent.parent
    module = find_problems(root).library.modules["pembuatan-konten"]
    login(client, world["participant"])
    page = client.get("/belajar/ftd-umkm/pembuatan-konten").get_data(as_text=True)
    assert f"Perkiraan waktu baca: {-(-module.word_count // 200)} menit" in page
