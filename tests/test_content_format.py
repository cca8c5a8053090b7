"""Content format: loading a tree, and every problem reported at path and line."""

import hashlib
import json
from decimal import Decimal
from pathlib import Path

import pytest
from PIL import Image

from lms.content.check import check_content, main
from lms.content.loader import load_library
from lms.content.schema import Assignment, Library, Problem, Quiz

MODULE_ID = "contoh-modul"
MODULE_DIR = f"content/{MODULE_ID}"
MODULE_MD = f"{MODULE_DIR}/module.md"
QUIZ_MD = f"{MODULE_DIR}/quiz.md"
ASSIGNMENT_MD = f"{MODULE_DIR}/assignment.md"
COURSE_YAML = "courses/kursus-contoh.yaml"

MODULE = """---
judul: Pembuatan Konten
ringkasan: Memotret produk dengan ponsel dan menulis caption.
menit: 45
tujuan:
  - Memotret produk dengan cahaya alami
  - Menulis caption yang mengajak pembeli
---

## Kenapa foto produk penting

Teks biasa dengan **tebal** dan [tautan](https://example.org).

![Foto bika ambon di dekat jendela](images/foto-jendela.png)

!!! tip "Tips"
    Kotak tips.

### Cahaya alami

| Kolom | Kolom |
|-------|-------|
| tabel | boleh |
"""

QUIZ = """---
judul: Kuis Pembuatan Konten
batas_waktu: 15
maks_percobaan: 3
---

## Sumber cahaya apa yang paling baik? {#cahaya-terbaik}

- [ ] Lampu neon di langit-langit
- [x] Cahaya dari jendela pada **pagi** hari
- [ ] Lampu kilat (flash) ponsel

Penjelasan: Cahaya jendela lembut dan merata.

## Pilih semua yang sebaiknya ada dalam caption jualan. {#isi-caption}
Jenis: ganda
Penilaian: sebagian

- [x] Nama dan keunggulan produk
- [x] Harga atau cara menanyakan harga
- [ ] Nomor rekening pribadi pemilik

Penjelasan: Caption yang baik menjawab "apa", "berapa" dan "bagaimana membeli".

## Video pendek harus selalu lebih dari tiga menit. {#durasi-video}
Jenis: benar-salah
Jawaban: salah

Penjelasan: Video pendek umumnya 15–60 detik.

## Berapa ROAS kampanye ini? {#roas-kopi}
Jenis: angka

Kedai kopi di Pematangsiantar membelanjakan Rp 250.000 untuk iklan dan
mendapat penjualan Rp 1.000.000 dari iklan itu.

Catatan: ROAS ditulis tanpa satuan.

Jawaban: 4
Toleransi: 0,1

Penjelasan: ROAS = penjualan ÷ biaya iklan = 1.000.000 ÷ 250.000 = 4.

Pembagian ini dibahas lagi di modul iklan.

## Apa kepanjangan NIB? {#kepanjangan-nib}
jenis: Isian
Jawaban: Nomor Induk Berusaha | nomor induk berusaha | NIB

Penjelasan: NIB adalah Nomor Induk Berusaha.
"""

ASSIGNMENT = """---
judul: Tugas Foto Produk
kiriman: [berkas, tautan, teks]
---

Ambil 3 foto produk unggulan Anda di dekat jendela.

## Rubrik

### Pencahayaan {#pencahayaan}
- 0 poin: Foto gelap atau buram.
- 2 poin: Terang, tetapi ada bayangan keras.
- 4 poin: Terang merata,
  warna produk terlihat asli.

### Caption {#caption}
- 0 poin: Tidak ada caption.
- 3 poin: Caption lengkap dengan ajakan ke WhatsApp.
"""

COURSE = f"""judul: Fast Track Digitalisasi UMKM
deskripsi: >
  Bootcamp digitalisasi untuk pelaku UMKM Sumatera Utara.
modul:
  - {MODULE_ID}
kelulusan:
  nilai_lulus_kuis: 70      # persen, per kuis
  modul_dibaca: semua
  kuis_lulus: semua
  tugas_diterima: tidak
sertifikat: kelulusan
sertifikat_terbaik: peserta-terbaik
"""


# --- helpers ----------------------------------------------------------------


def write(root: Path, rel: str, text: str) -> Path:
    """Write a UTF-8 file under ``root``, creating folders."""
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def make_image(path: Path, size: tuple[int, int] = (64, 48), fmt: str = "PNG", color: str = "red") -> None:
    """Create a small real image file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, color).save(path, format=fmt)


def build_tree(
    root: Path,
    *,
    module: str = MODULE,
    quiz: str | None = QUIZ,
    assignment: str | None = ASSIGNMENT,
    course: str | None = COURSE,
) -> Path:
    """Build a one-module, one-course content tree and return ``root``."""
    write(root, MODULE_MD, module)
    make_image(root / MODULE_DIR / "images" / "foto-jendela.png")
    if quiz is not None:
        write(root, QUIZ_MD, quiz)
    if assignment is not None:
        write(root, ASSIGNMENT_MD, assignment)
    if course is not None:
        write(root, COURSE_YAML, course)
    return root


def load(root: Path) -> Library:
    """Load the library with the app's URL scheme."""
    return load_library(root, lambda module_id: f"/modul/{module_id}/gambar/")


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """Return the 1-based line of the ``nth`` line containing ``needle``."""
    hits = [i for i, line in enumerate(text.splitlines(), start=1) if needle in line]
    assert len(hits) >= nth, f"{needle!r} not found {nth} time(s)"
    return hits[nth - 1]


def assert_problem(problems: list[Problem] | tuple[Problem, ...], path: str, line: int, fragment: str) -> None:
    """Assert a problem with exactly this path and line mentions ``fragment``."""
    here = [p for p in problems if p.path == path and p.line == line]
    assert any(fragment in p.message for p in here), (
        f"no problem {path}:{line} containing {fragment!r}; got:\n" + "\n".join(str(p) for p in problems)
    )


def sha12(*parts: bytes) -> str:
    """Return the version of a single file's bytes."""
    return hashlib.sha256(b"".join(parts)).hexdigest()[:12]


# --- a valid tree -------------------------------------------------------------


def test_valid_tree_has_no_problems(tmp_path: Path) -> None:
    library = load(build_tree(tmp_path))
    assert library.problems == ()
    assert set(library.modules) == {MODULE_ID}
    assert set(library.courses) == {"kursus-contoh"}
    assert library.broken_module_ids == frozenset()


def test_module_fields(tmp_path: Path) -> None:
    module = load(build_tree(tmp_path)).modules[MODULE_ID]
    assert module.title == "Pembuatan Konten"
    assert module.summary == "Memotret produk dengan ponsel dan menulis caption."
    assert module.minutes == 45
    assert module.objectives == (
        "Memotret produk dengan cahaya alami",
        "Menulis caption yang mengajak pembeli",
    )
    assert [(e.level, e.anchor) for e in module.toc] == [
        (2, "kenapa-foto-produk-penting"),
        (3, "cahaya-alami"),
    ]
    assert dict(module.images) == {"foto-jendela.png": (64, 48)}
    assert 'src="/modul/contoh-modul/gambar/foto-jendela.png"' in module.html
    assert 'width="64"' in module.html and 'height="48"' in module.html
    assert '<div class="admonition tip">' in module.html
    assert "<table>" in module.html
    # Headings, paragraph, box title and text, table cells; the alt text is not read.
    assert module.word_count == 19
    assert Path(module.source_dir) == (tmp_path / MODULE_DIR).resolve()


def test_quiz_structure(tmp_path: Path) -> None:
    quiz = load(build_tree(tmp_path)).modules[MODULE_ID].quiz
    assert quiz is not None
    assert quiz.title == "Kuis Pembuatan Konten"
    assert quiz.time_limit_minutes == 15
    assert quiz.max_attempts == 3
    assert [q.id for q in quiz.questions] == [
        "cahaya-terbaik",
        "isi-caption",
        "durasi-video",
        "roas-kopi",
        "kepanjangan-nib",
    ]
    single, multiple, truefalse, numeric, text = quiz.questions

    assert single.kind == "single"
    assert [(c.id, c.correct) for c in single.choices] == [
        ("a", False),
        ("b", True),
        ("c", False),
    ]
    assert single.choices[1].html == "Cahaya dari jendela pada <strong>pagi</strong> hari"
    assert single.partial_credit is False
    assert single.explanation_html == "<p>Cahaya jendela lembut dan merata.</p>"
    assert single.prompt_html == "<p>Sumber cahaya apa yang paling baik?</p>"

    assert multiple.kind == "multiple"
    assert multiple.partial_credit is True
    assert multiple.correct_choice_ids == frozenset({"a", "b"})

    assert truefalse.kind == "truefalse"
    assert truefalse.answer_bool is False
    assert [(c.id, c.html, c.correct) for c in truefalse.choices] == [
        ("benar", "Benar", False),
        ("salah", "Salah", True),
    ]

    assert numeric.kind == "numeric"
    assert numeric.answer_number == Decimal(4)
    assert numeric.tolerance == Decimal("0.1")
    assert numeric.choices == ()
    # The scenario (including a "Catatan:" prose line) belongs to the prompt.
    assert "Pematangsiantar" in numeric.prompt_html
    assert "Catatan: ROAS ditulis tanpa satuan." in numeric.scenario_html
    assert numeric.title_html == "Berapa ROAS kampanye ini?"
    # The explanation runs on to the end of the question, paragraphs included.
    assert numeric.explanation_html.count("<p>") == 2

    assert text.kind == "text"
    # Duplicates that differ only in case are dropped.
    assert text.accepted_texts == ("Nomor Induk Berusaha", "NIB")


def test_assignment_structure(tmp_path: Path) -> None:
    assignment = load(build_tree(tmp_path)).modules[MODULE_ID].assignment
    assert assignment is not None
    assert assignment.title == "Tugas Foto Produk"
    assert assignment.accepts == frozenset({"file", "link", "text"})
    assert "Ambil 3 foto produk" in assignment.instructions_html
    assert "Rubrik" not in assignment.instructions_html
    assert [c.id for c in assignment.criteria] == ["pencahayaan", "caption"]
    first = assignment.criteria[0]
    assert first.title == "Pencahayaan"
    assert [lv.points for lv in first.levels] == [0, 2, 4]
    assert first.levels[2].description == "Terang merata, warna produk terlihat asli."
    assert first.max_points == 4
    assert assignment.max_points == 7


def test_course_fields(tmp_path: Path) -> None:
    course = load(build_tree(tmp_path)).courses["kursus-contoh"]
    assert course.title == "Fast Track Digitalisasi UMKM"
    assert course.description == "Bootcamp digitalisasi untuk pelaku UMKM Sumatera Utara."
    assert course.module_ids == (MODULE_ID,)
    assert course.listed_module_ids == (MODULE_ID,)
    assert course.pass_mark == 70
    assert (course.require_read, course.require_quiz, course.require_assignment) == (
        True,
        True,
        False,
    )
    assert course.certificate_template == "kelulusan"
    assert course.top_certificate_template == "peserta-terbaik"


def test_optional_parts_default(tmp_path: Path) -> None:
    quiz = QUIZ.replace("batas_waktu: 15\nmaks_percobaan: 3\n", "")
    course = COURSE.replace("  modul_dibaca: semua\n  kuis_lulus: semua\n", "")
    course = course.replace("  tugas_diterima: tidak\n", "").replace("sertifikat_terbaik: peserta-terbaik\n", "")
    library = load(build_tree(tmp_path, quiz=quiz, assignment=None, course=course))
    assert library.problems == ()
    module = library.modules[MODULE_ID]
    assert module.quiz is not None and module.quiz.time_limit_minutes is None
    assert module.quiz.max_attempts is None
    assert module.assignment is None
    kursus = library.courses["kursus-contoh"]
    assert (kursus.require_read, kursus.require_quiz, kursus.require_assignment) == (
        True,
        True,
        True,
    )
    assert kursus.top_certificate_template is None


def test_versions_hash_file_bytes(tmp_path: Path) -> None:
    library = load(build_tree(tmp_path))
    module = library.modules[MODULE_ID]
    assert module.quiz is not None and module.assignment is not None
    assert module.quiz.version == sha12((tmp_path / QUIZ_MD).read_bytes())
    assert module.assignment.version == sha12((tmp_path / ASSIGNMENT_MD).read_bytes())
    assert library.courses["kursus-contoh"].version == sha12((tmp_path / COURSE_YAML).read_bytes())
    assert len(module.version) == 12
    assert all(ch in "0123456789abcdef" for ch in module.version)
    # The module version covers its images, so it differs from module.md alone.
    assert module.version != sha12((tmp_path / MODULE_MD).read_bytes())


def test_versions_change_with_their_own_file_only(tmp_path: Path) -> None:
    build_tree(tmp_path)
    before = load(tmp_path).modules[MODULE_ID]

    write(tmp_path, QUIZ_MD, QUIZ.replace("paling baik?", "paling bagus?"))
    after_quiz = load(tmp_path).modules[MODULE_ID]
    assert after_quiz.quiz.version != before.quiz.version  # type: ignore[union-attr]
    assert after_quiz.version == before.version
    assert after_quiz.assignment.version == before.assignment.version  # type: ignore[union-attr]

    make_image(tmp_path / MODULE_DIR / "images" / "foto-jendela.png", color="blue")
    after_image = load(tmp_path).modules[MODULE_ID]
    assert after_image.version != after_quiz.version

    write(tmp_path, MODULE_MD, MODULE + "\nSatu kalimat lagi.\n")
    after_text = load(tmp_path).modules[MODULE_ID]
    assert after_text.version != after_image.version

    write(tmp_path, ASSIGNMENT_MD, ASSIGNMENT.replace("3 foto", "5 foto"))
    after_assignment = load(tmp_path).modules[MODULE_ID]
    assert after_assignment.assignment.version != before.assignment.version  # type: ignore[union-attr]


def test_same_content_same_version(tmp_path: Path) -> None:
    first = load(build_tree(tmp_path / "a")).modules[MODULE_ID]
    second = load(build_tree(tmp_path / "b")).modules[MODULE_ID]
    assert first.version == second.version
    assert first.quiz.version == second.quiz.version  # type: ignore[union-attr]


def test_quiz_and_assignment_snapshots_round_trip(tmp_path: Path) -> None:
    module = load(build_tree(tmp_path)).modules[MODULE_ID]
    assert module.quiz is not None and module.assignment is not None
    quiz_json = json.dumps(module.quiz.to_dict())
    assert Quiz.from_dict(json.loads(quiz_json)) == module.quiz
    assert '"tolerance": "0.1"' in quiz_json
    assignment_json = json.dumps(module.assignment.to_dict())
    assert Assignment.from_dict(json.loads(assignment_json)) == module.assignment


def test_courses_for_module(tmp_path: Path) -> None:
    build_tree(tmp_path)
    write(tmp_path, "courses/kursus-lain.yaml", COURSE.replace("Fast Track", "Kelas"))
    library = load(tmp_path)
    assert [c.id for c in library.courses_for_module(MODULE_ID)] == [
        "kursus-contoh",
        "kursus-lain",
    ]
    assert library.courses_for_module("tidak-ada") == ()


def test_problem_str() -> None:
    assert str(Problem("content/a/quiz.md", 7, "soal tidak punya jawaban benar")) == (
        "content/a/quiz.md:7: soal tidak punya jawaban benar"
    )
    assert str(Problem("content/a", 0, "x")) == "content/a: x"


# --- the checker command ------------------------------------------------------


def test_check_main_reports_success(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    build_tree(tmp_path)
    assert main([str(tmp_path)]) == 0
    assert capsys.readouterr().out.strip() == "Konten OK: 1 kursus, 1 modul, 0 survei"


def test_check_main_reports_problems(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    build_tree(tmp_path, quiz=QUIZ.replace("- [x] Cahaya", "- [ ] Cahaya"))
    assert main([str(tmp_path)]) == 1
    out = capsys.readouterr().out
    line = line_of(QUIZ, "## Sumber cahaya")
    assert f"{QUIZ_MD}:{line}: soal tidak punya jawaban benar" in out
    assert "Konten OK" not in out


def test_check_content_returns_problems(tmp_path: Path) -> None:
    build_tree(tmp_path)
    assert check_content(tmp_path) == []
    (tmp_path / MODULE_MD).unlink()
    assert_problem(check_content(tmp_path), MODULE_MD, 0, "module.md tidak ditemukan")


def test_missing_content_folder(tmp_path: Path) -> None:
    assert_problem(check_content(tmp_path), "content", 0, "tidak ditemukan")


# --- quiz problems --------------------------------------------------------------


def quiz_problems(tmp_path: Path, quiz: str) -> tuple[Problem, ...]:
    """Load a tree whose quiz.md is ``quiz`` and return all problems."""
    return load(build_tree(tmp_path, quiz=quiz)).problems


QUIZ_HEAD = "---\njudul: Kuis\n---\n\n"


@pytest.mark.parametrize(
    ("body", "needle", "fragment"),
    [
        pytest.param(
            "## Soal tanpa id\n\n- [x] a\n- [ ] b\n\nPenjelasan: x\n",
            "## Soal tanpa id",
            "soal tidak punya id",
            id="heading-without-id",
        ),
        pytest.param(
            "## Soal {#Soal_1}\n\n- [x] a\n- [ ] b\n\nPenjelasan: x\n",
            "## Soal",
            "id soal 'Soal_1' tidak valid",
            id="invalid-id",
        ),
        pytest.param(
            "## Soal {#s}\nJenis: pilihan\n\n- [x] a\n- [ ] b\n\nPenjelasan: x\n",
            "Jenis: pilihan",
            "jenis soal 'pilihan' tidak dikenal",
            id="unknown-kind",
        ),
        pytest.param(
            "## Soal {#s}\nJenis: angka\nJawaban: 4\n\n- [x] 4\n- [ ] 5\n\nPenjelasan: x\n",
            "- [x] 4",
            "tidak memakai pilihan",
            id="choices-on-angka",
        ),
        pytest.param(
            "## Soal {#s}\nJenis: angka\nJawaban: empat\n\nPenjelasan: x\n",
            "Jawaban: empat",
            "'Jawaban' harus angka",
            id="non-number-answer",
        ),
        pytest.param(
            "## Soal {#s}\nJenis: angka\nJawaban: 1,2,3\n\nPenjelasan: x\n",
            "Jawaban: 1,2,3",
            "koma hanya boleh satu",
            id="two-commas",
        ),
        pytest.param(
            "## Soal {#s}\nJenis: angka\nJawaban: 4\nToleransi: sedikit\n\nPenjelasan: x\n",
            "Toleransi: sedikit",
            "'Toleransi' harus angka",
            id="bad-tolerance",
        ),
        pytest.param(
            "## Soal {#s}\nJenis: angka\nJawaban: 4\nToleransi: -1\n\nPenjelasan: x\n",
            "Toleransi: -1",
            "tidak boleh negatif",
            id="negative-tolerance",
        ),
        pytest.param(
            "## Soal {#s}\nJawapan: a\n\n- [x] a\n- [ ] b\n\nPenjelasan: x\n",
            "Jawapan: a",
            "maksudnya 'Jawaban'",
            id="typo-key",
        ),
        pytest.param(
            "## Soal {#s}\nJenis: tunggal\nBobot: 2\n\n- [x] a\n- [ ] b\n\nPenjelasan: x\n",
            "Bobot: 2",
            "kunci 'Bobot' tidak dikenal",
            id="unknown-key-line",
        ),
        pytest.param(
            "## Soal {#s}\n\n- [ ] a\n- [ ] b\n\nPenjelasan: x\n",
            "## Soal",
            "soal tidak punya jawaban benar",
            id="no-correct-choice",
        ),
        pytest.param(
            "## Soal {#s}\nJenis: ganda\n\n- [ ] a\n- [ ] b\n\nPenjelasan: x\n",
            "## Soal",
            "soal tidak punya jawaban benar",
            id="ganda-no-correct",
        ),
        pytest.param(
            "## Soal {#s}\n\n- [x] a\n- [ ] b\n- [x] c\n\nPenjelasan: x\n",
            "- [x] c",
            "hanya boleh punya satu [x]",
            id="tunggal-two-correct",
        ),
        pytest.param(
            "## Soal {#s}\n\n- [x] a\n\nPenjelasan: x\n",
            "## Soal",
            "minimal dua pilihan",
            id="one-choice",
        ),
        pytest.param(
            "## Soal {#s}\n\n- [x] a\n- [ ]\n\nPenjelasan: x\n",
            "- [ ]",
            "teks pilihan kosong",
            id="empty-choice",
        ),
        pytest.param(
            "## Soal {#s}\n\n- [x] a\n- [v] b\n\nPenjelasan: x\n",
            "- [v] b",
            "kotak pilihan '[v]' tidak dikenal",
            id="bad-box",
        ),
        pytest.param(
            "## Soal {#s}\n\n- [x] a\n- b\n\nPenjelasan: x\n",
            "- b",
            "pilihan harus diawali",
            id="choice-without-box",
        ),
        pytest.param(
            "## Satu {#sama}\n\n- [x] a\n- [ ] b\n\nPenjelasan: x\n\n"
            "## Dua {#sama}\n\n- [x] a\n- [ ] b\n\nPenjelasan: y\n",
            "## Dua",
            "id soal 'sama' dipakai dua kali",
            id="duplicate-id",
        ),
        pytest.param(
            "## Soal {#s}\n\n- [x] a\n- [ ] b\n",
            "## Soal",
            "soal tidak punya Penjelasan",
            id="missing-explanation",
        ),
        pytest.param(
            "## Soal {#s}\n\n- [x] a\n- [ ] b\n\nPenjelasan:\n",
            "Penjelasan:",
            "soal tidak punya Penjelasan",
            id="empty-explanation",
        ),
        pytest.param(
            "## Soal {#s}\nPenilaian: sebagian\n\n- [x] a\n- [ ] b\n\nPenjelasan: x\n",
            "Penilaian: sebagian",
            "hanya untuk soal jenis 'ganda'",
            id="penilaian-on-tunggal",
        ),
        pytest.param(
            "## Soal {#s}\nJenis: ganda\nPenilaian: separuh\n\n- [x] a\n- [ ] b\n\nPenjelasan: x\n",
            "Penilaian: separuh",
            "'Penilaian' harus 'semua' atau 'sebagian'",
            id="bad-penilaian",
        ),
        pytest.param(
            "## Soal {#s}\nToleransi: 1\n\n- [x] a\n- [ ] b\n\nPenjelasan: x\n",
            "Toleransi: 1",
            "hanya untuk soal jenis 'angka'",
            id="toleransi-on-tunggal",
        ),
        pytest.param(
            "## Soal {#s}\nJawaban: a\n\n- [x] a\n- [ ] b\n\nPenjelasan: x\n",
            "Jawaban: a",
            "tidak memakai 'Jawaban'",
            id="jawaban-on-choices",
        ),
        pytest.param(
            "## Soal {#s}\nJenis: benar-salah\n\nPenjelasan: x\n",
            "## Soal",
            "soal tidak punya jawaban benar",
            id="truefalse-no-answer",
        ),
        pytest.param(
            "## Soal {#s}\nJenis: benar-salah\nJawaban: betul\n\nPenjelasan: x\n",
            "Jawaban: betul",
            "'benar' atau 'salah'",
            id="truefalse-bad-answer",
        ),
        pytest.param(
            "## Soal {#s}\nJenis: angka\n\nPenjelasan: x\n",
            "## Soal",
            "soal tidak punya jawaban benar",
            id="angka-no-answer",
        ),
        pytest.param(
            "## Soal {#s}\nJenis: isian\nJawaban: | \n\nPenjelasan: x\n",
            "Jawaban: |",
            "'Jawaban' kosong",
            id="isian-empty-answer",
        ),
        pytest.param(
            "## Soal {#s}\nJenis: tunggal\nJenis: ganda\n\n- [x] a\n- [ ] b\n\nPenjelasan: x\n",
            "Jenis: ganda",
            "ditulis dua kali",
            id="duplicate-key",
        ),
        pytest.param(
            "# Soal {#s}\n\n- [x] a\n- [ ] b\n\nPenjelasan: x\n",
            "# Soal",
            "diawali '## '",
            id="h1-question",
        ),
        pytest.param(
            "Kuis ini tentang foto.\n\n## Soal {#s}\n\n- [x] a\n- [ ] b\n\nPenjelasan: x\n",
            "Kuis ini",
            "teks sebelum soal pertama",
            id="text-before-first",
        ),
        pytest.param(
            "Belum ada soal.\n",
            "Belum ada soal",
            "teks sebelum soal pertama",
            id="no-questions-text",
        ),
        pytest.param(
            "## {#s}\n\n- [x] a\n- [ ] b\n\nPenjelasan: x\n",
            "## {#s}",
            "teks soal kosong",
            id="empty-question-text",
        ),
        pytest.param(
            "## Soal {#s}\n\n![foto](images/foto-jendela.png)\n\n- [x] a\n- [ ] b\n\nPenjelasan: x\n",
            "![foto]",
            "hanya bisa dipakai di module.md",
            id="image-in-quiz",
        ),
    ],
)
def test_quiz_problem_reported_at_its_line(tmp_path: Path, body: str, needle: str, fragment: str) -> None:
    quiz = QUIZ_HEAD + body
    problems = quiz_problems(tmp_path, quiz)
    assert_problem(problems, QUIZ_MD, line_of(quiz, needle), fragment)


def test_duplicate_id_reported_even_when_question_has_other_problems(tmp_path: Path) -> None:
    quiz = QUIZ_HEAD + "## Satu {#sama}\n\n- [x] a\n- [ ] b\n\nPenjelasan: x\n\n## Dua {#sama}\n\n- [ ] a\n- [ ] b\n"
    problems = quiz_problems(tmp_path, quiz)
    line = line_of(quiz, "## Dua")
    assert_problem(problems, QUIZ_MD, line, "id soal 'sama' dipakai dua kali (pertama di baris 5)")
    assert_problem(problems, QUIZ_MD, line, "soal tidak punya jawaban benar")
    assert_problem(problems, QUIZ_MD, line, "soal tidak punya Penjelasan")


def test_quiz_without_questions(tmp_path: Path) -> None:
    quiz = QUIZ_HEAD
    assert_problem(quiz_problems(tmp_path, quiz), QUIZ_MD, 4, "kuis belum punya soal")


def test_quiz_problem_lines_count_front_matter(tmp_path: Path) -> None:
    # A problem far down the real sample quiz still gets the exact line.
    quiz = QUIZ.replace("Jawaban: 4\n", "Jawaban: empat\n")
    assert_problem(
        quiz_problems(tmp_path, quiz),
        QUIZ_MD,
        line_of(quiz, "Jawaban: empat"),
        "'Jawaban' harus angka",
    )


def test_quiz_with_crlf_line_endings_loads(tmp_path: Path) -> None:
    build_tree(tmp_path)
    (tmp_path / QUIZ_MD).write_bytes(QUIZ.replace("\n", "\r\n").encode())
    library = load(tmp_path)
    assert library.problems == ()
    assert library.modules[MODULE_ID].quiz.questions[3].tolerance == Decimal("0.1")  # type: ignore[union-attr]


def test_prose_with_colon_in_scenario_is_not_a_key(tmp_path: Path) -> None:
    quiz = QUIZ_HEAD + (
        "## Berapa labanya? {#laba}\nJenis: angka\n\nHarga: Rp 10.000 per bungkus.\n"
        "Modal: Rp 6.000.\n\nJawaban: 4.000\n\nPenjelasan: 10.000 − 6.000.\n"
        "Contoh: jual 10 bungkus, laba Rp 40.000.\n"
    )
    library = load(build_tree(tmp_path, quiz=quiz))
    assert library.problems == ()
    question = library.modules[MODULE_ID].quiz.questions[0]  # type: ignore[union-attr]
    assert question.answer_number == Decimal(4000)
    assert "Modal: Rp 6.000." in question.scenario_html
    assert "Contoh: jual 10 bungkus" in question.explanation_html


def test_hashtag_line_in_scenario_is_not_a_heading(tmp_path: Path) -> None:
    quiz = QUIZ_HEAD + (
        "## Tagar mana yang dipakai? {#tagar}\n\n#UMKMNaikKelas ditulis di caption.\n\n"
        "- [x] Benar\n- [ ] Salah\n\nPenjelasan: x\n"
    )
    library = load(build_tree(tmp_path, quiz=quiz))
    assert library.problems == ()
    question = library.modules[MODULE_ID].quiz.questions[0]  # type: ignore[union-attr]
    assert "<p>#UMKMNaikKelas ditulis di caption.</p>" in question.scenario_html


def test_quiz_markdown_is_sanitized(tmp_path: Path) -> None:
    quiz = QUIZ_HEAD + (
        "## Pilih <script>alert(1)</script> {#s}\n\n"
        "- [x] <img src=x onerror=alert(1)>ya\n- [ ] [tidak](javascript:alert(1))\n\n"
        "Penjelasan: <b onclick=alert(1)>karena</b>\n"
    )
    quiz_obj = load(build_tree(tmp_path, quiz=quiz)).modules[MODULE_ID].quiz
    assert quiz_obj is not None
    dumped = json.dumps(quiz_obj.to_dict()).lower()
    assert "<script" not in dumped and "onerror" not in dumped
    assert "javascript:" not in dumped and "onclick" not in dumped


# --- front matter problems -------------------------------------------------------


@pytest.mark.parametrize(
    ("module", "line", "fragment"),
    [
        pytest.param(
            MODULE.replace("judul: Pembuatan Konten\n", ""),
            1,
            "kunci 'judul' wajib diisi",
            id="missing-key",
        ),
        pytest.param(
            MODULE.replace("menit: 45", "menit: empat puluh"),
            4,
            "'menit' harus bilangan bulat 1–600",
            id="menit-text",
        ),
        pytest.param(
            MODULE.replace("menit: 45", "menit: 0"),
            4,
            "'menit' harus bilangan bulat 1–600",
            id="menit-zero",
        ),
        pytest.param(
            MODULE.replace("menit: 45", "menit: true"),
            4,
            "'menit' harus bilangan bulat",
            id="menit-bool",
        ),
        pytest.param(
            MODULE.replace("judul: Pembuatan Konten", "judul:"),
            2,
            "kunci 'judul' wajib diisi",
            id="empty-title",
        ),
        pytest.param(
            MODULE.replace("menit: 45", "menit: 45\njudull: x"),
            5,
            "kunci 'judull' tidak dikenal",
            id="unknown-key",
        ),
        pytest.param(
            MODULE.replace("menit: 45", "menit: 45\njudul: Lagi"),
            5,
            "kunci 'judul' ditulis dua kali",
            id="duplicate-key",
        ),
        pytest.param(
            MODULE.replace(
                "tujuan:\n  - Memotret produk dengan cahaya alami\n  - Menulis caption yang mengajak pembeli\n",
                "tujuan: []\n",
            ),
            5,
            "'tujuan' harus berupa daftar",
            id="empty-objectives",
        ),
        pytest.param(
            MODULE.replace("  - Menulis caption yang mengajak pembeli", "  -"),
            7,
            "isi daftar 'tujuan'",
            id="empty-objective-item",
        ),
        pytest.param(
            MODULE.replace("judul: Pembuatan Konten", "judul: Kenapa: foto"),
            2,
            "front matter tidak valid",
            id="yaml-colon",
        ),
        pytest.param(
            MODULE.replace("  - Menulis caption", "\t- Menulis caption"),
            7,
            "front matter tidak valid",
            id="yaml-tab",
        ),
        pytest.param(
            MODULE.replace("ringkasan: Memotret", 'ringkasan: "Memotret'),
            3,
            "front matter tidak valid",
            id="yaml-unclosed-quote",
        ),
        pytest.param(
            MODULE.removeprefix("---\n"),
            1,
            "front matter tidak valid: baris pertama harus '---'",
            id="no-opening",
        ),
        pytest.param(
            "---\njudul: x\n\n## Isi\n",
            1,
            "belum ditutup",
            id="not-closed",
        ),
        pytest.param(
            "---\n- judul\n---\n\n## Isi\n",
            1,
            "harus berisi baris 'kunci: nilai'",
            id="not-a-mapping",
        ),
    ],
)
def test_front_matter_problem_reported_at_its_line(tmp_path: Path, module: str, line: int, fragment: str) -> None:
    problems = load(build_tree(tmp_path, module=module)).problems
    assert_problem(problems, MODULE_MD, line, fragment)


def test_yaml_error_line_is_the_real_file_line(tmp_path: Path) -> None:
    module = MODULE.replace("menit: 45", "menit: 45\ntujuan_tambahan: [a, b")
    problems = load(build_tree(tmp_path, module=module)).problems
    mine = [p for p in problems if p.path == MODULE_MD]
    assert len(mine) == 1
    assert mine[0].message.startswith("front matter tidak valid")
    assert mine[0].line == 5


def test_non_utf8_file(tmp_path: Path) -> None:
    build_tree(tmp_path)
    (tmp_path / MODULE_MD).write_bytes(MODULE.replace("produk", "caf\xe9").encode("cp1252"))
    assert_problem(load(tmp_path).problems, MODULE_MD, 3, "UTF-8")


# --- module body and image problems ---------------------------------------------


def module_with(extra: str) -> str:
    """Return the sample module with ``extra`` Markdown appended."""
    return MODULE + "\n" + extra + "\n"


@pytest.mark.parametrize(
    ("extra", "fragment"),
    [
        ("![Tidak ada](images/hilang.png)", "gambar 'images/hilang.png' tidak ditemukan"),
        ("![Keluar](../rahasia.png)", "path gambar '../rahasia.png' keluar dari folder"),
        ("![Keluar](images/../../x.png)", "keluar dari folder modul"),
        ("![Absolut](/etc/passwd.png)", "keluar dari folder modul"),
        ("![Luar](https://example.org/a.png)", "bukan diambil dari internet"),
        ("![Data](data:image/png;base64,AAAA)", "bukan diambil dari internet"),
        ("![Salah folder](foto-jendela.png)", "harus ada di folder images/"),
        ("![Sub](images/sub/a.png)", "tanpa subfolder"),
        ("![Spasi](<images/foto saya.png>)", "tanpa spasi"),
        ("![Gif](images/anim.gif)", "harus PNG, JPEG atau WebP"),
        ("![](images/foto-jendela.png)", "belum punya teks alt"),
        ("!!! danger\n    Bahaya.", "jenis kotak 'danger' tidak dikenal"),
    ],
)
def test_module_body_problem_reported_at_its_line(tmp_path: Path, extra: str, fragment: str) -> None:
    module = module_with(extra)
    problems = load(build_tree(tmp_path, module=module)).problems
    first_line = extra.splitlines()[0]
    assert_problem(problems, MODULE_MD, line_of(module, first_line), fragment)


def test_image_that_is_not_an_image(tmp_path: Path) -> None:
    module = module_with("![Palsu](images/palsu.png)")
    build_tree(tmp_path, module=module)
    write(tmp_path, f"{MODULE_DIR}/images/palsu.png", "ini teks, bukan gambar")
    assert_problem(
        load(tmp_path).problems,
        MODULE_MD,
        line_of(module, "palsu.png"),
        "bukan PNG, JPEG atau WebP",
    )


def test_gif_disguised_as_png(tmp_path: Path) -> None:
    module = module_with("![Gif](images/gerak.png)")
    build_tree(tmp_path, module=module)
    make_image(tmp_path / MODULE_DIR / "images" / "gerak.png", fmt="GIF")
    assert_problem(
        load(tmp_path).problems,
        MODULE_MD,
        line_of(module, "gerak.png"),
        "bukan PNG, JPEG atau WebP",
    )


def test_jpeg_named_png(tmp_path: Path) -> None:
    module = module_with("![Foto](images/dari-wa.png)")
    build_tree(tmp_path, module=module)
    make_image(tmp_path / MODULE_DIR / "images" / "dari-wa.png", fmt="JPEG")
    assert_problem(
        load(tmp_path).problems,
        MODULE_MD,
        line_of(module, "dari-wa.png"),
        "berformat JPEG; ganti akhiran nama berkasnya menjadi .jpg",
    )


def test_jpeg_and_webp_images_load(tmp_path: Path) -> None:
    module = module_with("![Satu](images/satu.jpg)\n\n![Dua](images/dua.webp)")
    build_tree(tmp_path, module=module)
    make_image(tmp_path / MODULE_DIR / "images" / "satu.jpg", (30, 20), fmt="JPEG")
    make_image(tmp_path / MODULE_DIR / "images" / "dua.webp", (10, 5), fmt="WEBP")
    library = load(tmp_path)
    assert library.problems == ()
    assert dict(library.modules[MODULE_ID].images) == {
        "foto-jendela.png": (64, 48),
        "satu.jpg": (30, 20),
        "dua.webp": (10, 5),
    }


def test_image_case_mismatch_hint(tmp_path: Path) -> None:
    module = module_with("![Foto](images/foto.png)")
    build_tree(tmp_path, module=module)
    make_image(tmp_path / MODULE_DIR / "images" / "Foto.png")
    assert_problem(
        load(tmp_path).problems,
        MODULE_MD,
        line_of(module, "images/foto.png"),
        "yang ada 'images/Foto.png'",
    )


def test_symlinked_image_outside_module(tmp_path: Path) -> None:
    module = module_with("![Link](images/link.png)")
    build_tree(tmp_path, module=module)
    make_image(tmp_path / "rahasia.png")
    (tmp_path / MODULE_DIR / "images" / "link.png").symlink_to(tmp_path / "rahasia.png")
    assert_problem(
        load(tmp_path).problems,
        MODULE_MD,
        line_of(module, "link.png"),
        "keluar dari folder modul",
    )


def test_image_in_code_block_is_ignored(tmp_path: Path) -> None:
    library = load(build_tree(tmp_path, module=module_with("    ![kode](images/x.png)")))
    assert library.problems == ()


def test_empty_module_body(tmp_path: Path) -> None:
    module = MODULE.split("## Kenapa")[0]
    assert_problem(load(build_tree(tmp_path, module=module)).problems, MODULE_MD, 9, "isi modul kosong")


def test_raw_html_in_module_is_removed(tmp_path: Path) -> None:
    module = module_with('<script>alert(1)</script>\n\n<img src=x onerror="alert(1)">')
    html = load(build_tree(tmp_path, module=module)).modules[MODULE_ID].html
    assert "<script" not in html and "onerror" not in html and 'src="x"' not in html


# --- module folder problems ----------------------------------------------------


def test_folder_without_module_md(tmp_path: Path) -> None:
    build_tree(tmp_path)
    (tmp_path / "content" / "kosong").mkdir()
    library = load(tmp_path)
    assert_problem(library.problems, "content/kosong/module.md", 0, "module.md tidak ditemukan")
    assert "kosong" in library.broken_module_ids


def test_invalid_module_folder_name(tmp_path: Path) -> None:
    build_tree(tmp_path)
    write(tmp_path, "content/Modul_Baru/module.md", MODULE)
    assert_problem(load(tmp_path).problems, "content/Modul_Baru", 0, "nama folder modul 'Modul_Baru' tidak valid")


def test_misnamed_markdown_file(tmp_path: Path) -> None:
    build_tree(tmp_path)
    write(tmp_path, f"{MODULE_DIR}/kuis.md", QUIZ)
    assert_problem(load(tmp_path).problems, f"{MODULE_DIR}/kuis.md", 0, "berkas 'kuis.md' tidak dikenal")


def test_hidden_folders_are_ignored(tmp_path: Path) -> None:
    build_tree(tmp_path)
    (tmp_path / "content" / ".git").mkdir()
    assert load(tmp_path).problems == ()


# --- assignment problems --------------------------------------------------------


@pytest.mark.parametrize(
    ("assignment", "needle", "fragment"),
    [
        pytest.param(
            ASSIGNMENT.split("## Rubrik")[0],
            "Ambil 3 foto",
            "tugas belum punya bagian '## Rubrik'",
            id="no-rubric",
        ),
        pytest.param(
            ASSIGNMENT.replace("- 3 poin: Caption lengkap dengan ajakan ke WhatsApp.\n", ""),
            "### Caption",
            "minimal dua tingkat nilai",
            id="one-level",
        ),
        pytest.param(
            ASSIGNMENT.replace("### Caption {#caption}", "### Caption"),
            "### Caption",
            "kriteria tidak punya id",
            id="criterion-without-id",
        ),
        pytest.param(
            ASSIGNMENT.replace("{#caption}", "{#pencahayaan}"),
            "### Caption",
            "id kriteria 'pencahayaan' dipakai dua kali",
            id="duplicate-criterion",
        ),
        pytest.param(
            ASSIGNMENT.replace("kiriman: [berkas, tautan, teks]", "kiriman:\n  - berkas\n  - video"),
            "  - video",
            "jenis kiriman 'video' tidak dikenal",
            id="unknown-kiriman",
        ),
        pytest.param(
            ASSIGNMENT.replace("kiriman: [berkas, tautan, teks]", "kiriman: [teks, foto]"),
            "kiriman:",
            "jenis kiriman 'foto' tidak dikenal",
            id="unknown-kiriman-inline",
        ),
        pytest.param(
            ASSIGNMENT.replace("kiriman: [berkas, tautan, teks]\n", ""),
            "---",
            "kunci 'kiriman' wajib diisi",
            id="missing-kiriman",
        ),
        pytest.param(
            ASSIGNMENT.replace("- 2 poin: Terang", "- dua poin: Terang"),
            "- dua poin",
            "'- N poin: keterangan'",
            id="bad-level-line",
        ),
        pytest.param(
            ASSIGNMENT.replace("- 2 poin: Terang", "- 4 poin: Terang"),
            "- 4 poin: Terang merata",
            "tingkat 4 poin ditulis dua kali",
            id="duplicate-points",
        ),
        pytest.param(
            ASSIGNMENT.replace("- 0 poin: Tidak ada caption.", "- 0 poin:"),
            ("- 0 poin:", 2),
            "keterangan tingkat nilai kosong",
            id="empty-level",
        ),
        pytest.param(
            ASSIGNMENT.replace("### Caption {#caption}", "Nilai caption dengan adil.\n\n### Caption {#caption}"),
            "Nilai caption",
            "di bagian Rubrik hanya boleh",
            id="text-in-rubric",
        ),
        pytest.param(
            ASSIGNMENT.replace("## Rubrik\n", "## Rubrik\n\n## Lain\n"),
            "## Lain",
            "hanya boleh kriteria '### ...'",
            id="h2-in-rubric",
        ),
        pytest.param(
            ASSIGNMENT.replace("Ambil 3 foto produk unggulan Anda di dekat jendela.\n", ""),
            "## Rubrik",
            "instruksi tugas kosong",
            id="empty-instructions",
        ),
    ],
)
def test_assignment_problem_reported_at_its_line(
    tmp_path: Path, assignment: str, needle: str | tuple[str, int], fragment: str
) -> None:
    problems = load(build_tree(tmp_path, assignment=assignment)).problems
    if needle == "---":
        line = 1  # a missing front matter key: the opening "---"
    elif fragment in ("instruksi tugas kosong", "tugas belum punya bagian '## Rubrik'"):
        line = line_of(assignment, "---", 2) + 1  # the first body line
    elif isinstance(needle, tuple):
        line = line_of(assignment, *needle)
    else:
        line = line_of(assignment, needle)
    assert_problem(problems, ASSIGNMENT_MD, line, fragment)


def test_rubric_without_criteria(tmp_path: Path) -> None:
    assignment = ASSIGNMENT.split("### Pencahayaan")[0]
    problems = load(build_tree(tmp_path, assignment=assignment)).problems
    assert_problem(problems, ASSIGNMENT_MD, line_of(assignment, "## Rubrik"), "rubrik belum punya kriteria")


# --- course manifest problems ----------------------------------------------------


def course_problems(tmp_path: Path, course: str) -> tuple[Problem, ...]:
    """Load a tree whose manifest is ``course`` and return all problems."""
    return load(build_tree(tmp_path, course=course)).problems


@pytest.mark.parametrize(
    ("course", "needle", "fragment"),
    [
        pytest.param(
            COURSE.replace(f"  - {MODULE_ID}\n", f"  - {MODULE_ID}\n  - xyz\n"),
            "  - xyz",
            "modul 'xyz' tidak ditemukan di content/",
            id="unknown-module",
        ),
        pytest.param(
            COURSE.replace(f"  - {MODULE_ID}\n", f"  - {MODULE_ID}\n  - Modul_X\n"),
            "Modul_X",
            "id modul 'Modul_X' tidak valid",
            id="invalid-module-id",
        ),
        pytest.param(
            COURSE.replace(f"  - {MODULE_ID}\n", f"  - {MODULE_ID}\n  - {MODULE_ID}\n"),
            f"  - {MODULE_ID}",
            "tercantum dua kali",
            id="duplicate-module",
        ),
        pytest.param(
            COURSE.replace("judul:", "judull:"),
            "judull:",
            "kunci 'judull' tidak dikenal di manifest kursus (maksudnya 'judul'?)",
            id="unknown-key",
        ),
        pytest.param(
            COURSE.replace("  nilai_lulus_kuis: 70", "  nilai_lulus_kuis: 150"),
            "nilai_lulus_kuis",
            "'nilai_lulus_kuis' harus bilangan bulat 0–100",
            id="pass-mark-range",
        ),
        pytest.param(
            COURSE.replace("  kuis_lulus: semua", "  kuis_lulus: ya"),
            "kuis_lulus",
            "'kuis_lulus' harus salah satu dari: semua, tidak",
            id="bad-flag",
        ),
        pytest.param(
            COURSE.replace("  kuis_lulus: semua", "  kuis_lulus: semua\n  bonus: 1"),
            "bonus",
            "kunci 'bonus' tidak dikenal di kelulusan",
            id="unknown-nested-key",
        ),
        pytest.param(
            COURSE.replace("sertifikat: kelulusan", "sertifikat: ../kelulusan"),
            "sertifikat:",
            "nama template '../kelulusan' tidak valid",
            id="bad-template",
        ),
        pytest.param(
            COURSE.replace("modul:\n", "modul: orientasi,\n"),
            "modul:",
            "tidak valid",
            id="yaml-syntax",
        ),
        pytest.param(
            COURSE.replace("kelulusan:", "kelulusan: semua\nx:"),
            "kelulusan:",
            "kelulusan harus berisi baris 'kunci: nilai'",
            id="kelulusan-not-mapping",
        ),
    ],
)
def test_course_problem_reported_at_its_line(tmp_path: Path, course: str, needle: str, fragment: str) -> None:
    nth = 2 if "tercantum dua kali" in fragment else 1
    assert_problem(
        course_problems(tmp_path, course),
        COURSE_YAML,
        line_of(course, needle, nth),
        fragment,
    )


@pytest.mark.parametrize("key", ["judul", "deskripsi", "modul", "kelulusan", "sertifikat"])
def test_course_missing_required_key(tmp_path: Path, key: str) -> None:
    lines = COURSE.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{key}:"))
    end = next(
        (i for i in range(start + 1, len(lines)) if not lines[i].startswith(" ")),
        len(lines),
    )
    course = "".join(lines[:start] + lines[end:])
    problems = course_problems(tmp_path, course)
    assert_problem(problems, COURSE_YAML, 1, f"kunci '{key}' wajib diisi")
    assert "kursus-contoh" not in load(tmp_path).courses


def test_course_missing_pass_mark(tmp_path: Path) -> None:
    course = COURSE.replace("  nilai_lulus_kuis: 70      # persen, per kuis\n", "")
    problems = course_problems(tmp_path, course)
    assert_problem(problems, COURSE_YAML, line_of(course, "kelulusan:"), "kunci 'nilai_lulus_kuis' wajib diisi")


def test_invalid_course_file_name(tmp_path: Path) -> None:
    build_tree(tmp_path)
    write(tmp_path, "courses/Kursus_Baru.yaml", COURSE)
    library = load(tmp_path)
    assert_problem(library.problems, "courses/Kursus_Baru.yaml", 0, "id kursus 'Kursus_Baru' (nama berkas) tidak valid")
    assert "Kursus_Baru" in library.broken_course_ids


def test_non_yaml_files_in_courses_are_ignored(tmp_path: Path) -> None:
    build_tree(tmp_path)
    write(tmp_path, "courses/README.md", "# catatan\n")
    assert load(tmp_path).problems == ()


# --- broken modules and their courses --------------------------------------------


def test_broken_module_is_left_out_but_course_kept(tmp_path: Path) -> None:
    build_tree(tmp_path)
    write(tmp_path, "content/modul-kedua/module.md", MODULE.replace("images/", "img/"))
    write(
        tmp_path,
        "content/modul-ketiga/module.md",
        MODULE.replace("![Foto bika ambon di dekat jendela](images/foto-jendela.png)", ""),
    )
    course = COURSE.replace(f"  - {MODULE_ID}\n", f"  - {MODULE_ID}\n  - modul-kedua\n  - modul-ketiga\n")
    write(tmp_path, COURSE_YAML, course)
    library = load(tmp_path)

    assert set(library.modules) == {MODULE_ID, "modul-ketiga"}
    assert library.broken_module_ids == frozenset({"modul-kedua"})
    assert_problem(
        library.problems,
        "content/modul-kedua/module.md",
        line_of(MODULE, "images/foto-jendela.png"),
        "harus ada di folder images/",
    )
    assert_problem(library.problems, COURSE_YAML, line_of(course, "modul-kedua"), "modul 'modul-kedua' punya masalah")

    kursus = library.courses["kursus-contoh"]
    assert kursus.module_ids == (MODULE_ID, "modul-ketiga")
    assert kursus.listed_module_ids == (MODULE_ID, "modul-kedua", "modul-ketiga")
    assert [c.id for c in library.courses_for_module("modul-kedua")] == ["kursus-contoh"]


def test_problem_in_quiz_breaks_the_whole_module(tmp_path: Path) -> None:
    library = load(build_tree(tmp_path, quiz=QUIZ.replace("{#roas-kopi}", "")))
    assert MODULE_ID in library.broken_module_ids
    assert MODULE_ID not in library.modules
    assert library.courses["kursus-contoh"].module_ids == ()


def test_problem_in_assignment_breaks_the_whole_module(tmp_path: Path) -> None:
    library = load(build_tree(tmp_path, assignment=ASSIGNMENT.replace("berkas,", "foto,")))
    assert MODULE_ID in library.broken_module_ids


def test_problems_are_sorted_by_path_and_line(tmp_path: Path) -> None:
    quiz = QUIZ.replace("{#roas-kopi}", "").replace("{#cahaya-terbaik}", "")
    problems = load(build_tree(tmp_path, quiz=quiz)).problems
    assert list(problems) == sorted(problems)
    assert len(problems) >= 2
