"""Certificate PDFs: safe rendering, real QR decoding, codes and the font check."""

import logging
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from lms.certificates import codes, fontcheck, operations, rendering
from lms.certificates.rendering import CERTIFICATES_DIR, FetchLog, SafeUrlFetcher
from tests.conftest import enroll_participant
from tests.test_certificates import complete_course, new_participant, pdf_text

HOSTILE_NAMES = ['<img src="file:///etc/passwd">', '<link href="http://127.0.0.1:9/x">']


@pytest.mark.parametrize("hostile", HOSTILE_NAMES)
def test_hostile_name_is_printed_literally_and_nothing_outside_is_fetched(world, hostile):
    user = new_participant(hostile, business_name=hostile + " usaha", regency_code="1275")
    enrollment = enroll_participant(user, world["cohort"], mentor=world["mentor"])
    complete_course(enrollment)
    log = rendering.get_renderer().fetch_log
    log.clear()
    certificate = operations.issue_certificate(enrollment, "graduation", issued_by=world["staff"])
    text = pdf_text(operations.storage_root() / certificate.pdf_path)
    assert hostile in text
    assert log.refused_count == 0 and not log.refused
    root = CERTIFICATES_DIR.resolve().as_uri() + "/"
    assert log.allowed and all(url.startswith((root, "data:image/png")) for url in log.allowed)


def fetcher(tmp_path=None, data_uris=()):
    return SafeUrlFetcher(CERTIFICATES_DIR, FetchLog(), data_uris=data_uris)


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    "http://127.0.0.1:9/x",
    "https://example.com/logo.png",
    (CERTIFICATES_DIR / ".." / "lms" / "__init__.py").as_uri(),
    CERTIFICATES_DIR.as_uri() + "/../pyproject.toml",
    CERTIFICATES_DIR.as_uri() + "/%2e%2e/pyproject.toml",
    "file://evil.example/" + str(CERTIFICATES_DIR / "logo.svg"),
    CERTIFICATES_DIR.as_uri() + "/fonts",  # a folder, not a file
    "data:text/plain,not-made-by-us",
    "ftp://127.0.0.1/x",
])
def test_fetcher_refuses_and_logs_everything_but_our_files(url):
    guard = fetcher()
    with pytest.raises(ValueError, match="not allowed"):
        guard.fetch(url)
    assert guard.log.refused_count == 1 and list(guard.log.refused) == [url[:300]]
    assert not guard.log.allowed


def test_fetcher_refuses_a_symlink_that_leads_outside(tmp_path):
    root = tmp_path / "certificates"
    root.mkdir()
    (root / "ok.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (root / "escape.svg").symlink_to("/etc/passwd")
    guard = SafeUrlFetcher(root, FetchLog())
    assert guard.fetch((root / "ok.svg").as_uri()).read().startswith(b"<svg")
    with pytest.raises(ValueError):
        guard.fetch((root / "escape.svg").as_uri())
    assert guard.log.refused_count == 1


def test_fetcher_allows_only_the_data_uri_it_was_given():
    made = rendering.qr_data_uri("http://127.0.0.1:5000/verify/X")
    guard = fetcher(data_uris={made})
    assert guard.fetch(made).read().startswith(b"\x89PNG")
    with pytest.raises(ValueError):
        guard.fetch(rendering.qr_data_uri("http://evil.example/"))
    assert guard.log.refused_count == 1


def test_unknown_template_name_is_refused():
    renderer = rendering.get_renderer()
    for name in ("../lms/templates/base", "Kelulusan", "tidak-ada"):
        with pytest.raises((ValueError, FileNotFoundError)):
            renderer.template_path(name)


def test_fonts_are_embedded_and_reused(world):
    complete_course(world["enrollment"])
    certificate = operations.issue_certificate(world["enrollment"], "graduation", issued_by=world["staff"])
    fonts = subprocess.run(["pdffonts", str(operations.storage_root() / certificate.pdf_path)],  # noqa: S603,S607
                           capture_output=True, check=True).stdout.decode()
    assert "Sertifikat-Serif" in fonts
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:])  # every font embedded
    renderer = rendering.get_renderer()
    assert renderer.stylesheets("kelulusan") is renderer.stylesheets("kelulusan")


def test_real_qr_decoder_reads_the_verification_url(app, client, world, tmp_path):
    app.config["PUBLIC_URL"] = "https://ftd.example/"
    complete_course(world["enrollment"])
    certificate = operations.issue_certificate(world["enrollment"], "graduation", issued_by=world["staff"])
    pdf = operations.storage_root() / certificate.pdf_path
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-singlefile", str(pdf), str(tmp_path / "page")],  # noqa: S603,S607
                   check=True)
    decoded = subprocess.run(["zbarimg", "--quiet", "--raw", str(tmp_path / "page.png")],  # noqa: S603,S607
                             capture_output=True, check=True).stdout.decode().strip()
    assert decoded == f"https://ftd.example/verify/{codes.display_code(certificate.code)}"
    page = client.get(urlsplit(decoded).path)
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "Peserta Satu" in body and "asli dan berlaku" in body and certificate.number in body


# --- Codes ------------------------------------------------------------------------------------


def test_codes_have_enough_randomness_and_a_valid_check_character():
    generated = {codes.new_code() for _ in range(2000)}
    assert len(generated) == 2000
    assert codes.RANDOM_LENGTH * 5 >= 60
    for code in list(generated)[:50]:
        assert len(code) == 16 and set(code) <= set(codes.ALPHABET)
        assert codes.parse_code(codes.display_code(code)) == code
        assert not set(code) & set("ILOU")


def test_check_character_catches_every_single_typo():
    code = codes.new_code()
    for position in range(len(code)):
        for replacement in codes.ALPHABET:
            if replacement == code[position]:
                continue
            typo = code[:position] + replacement + code[position + 1:]
            with pytest.raises(codes.MalformedCode) as error:
                codes.parse_code(typo)
            assert error.value.reason == "check"


def test_check_character_catches_most_swapped_neighbours():
    caught = total = 0
    for _ in range(200):
        code = codes.new_code()
        for i in range(len(code) - 1):
            if code[i] == code[i + 1]:
                continue
            total += 1
            swapped = code[:i] + code[i + 1] + code[i] + code[i + 2:]
            try:
                codes.parse_code(swapped)
            except codes.MalformedCode:
                caught += 1
    assert caught / total > 0.9


@pytest.mark.parametrize(("typed", "reason"), [("ABC", "length"), ("K7QM-4XRT-9BZP-WH3*", "characters"),
                                                ("UUUU-UUUU-UUUU-UUUU", "characters")])
def test_malformed_codes_say_why(typed, reason):
    with pytest.raises(codes.MalformedCode) as error:
        codes.parse_code(typed)
    assert error.value.reason == reason


def test_number_format():
    assert codes.format_number(2026, 123) == "FTD-2026-000123"


# --- Font check -----------------------------------------------------------------------------------


def test_font_check_passes_here_and_warns_when_harfbuzz_subset_is_missing(app, monkeypatch, caplog):
    assert fontcheck.warn_if_slow_fonts(app)  # the setup installs libharfbuzz-subset
    monkeypatch.setattr(fontcheck, "harfbuzz_subset_available", lambda: False)
    with caplog.at_level(logging.WARNING):
        assert not fontcheck.warn_if_slow_fonts(app)
    assert "libharfbuzz-subset" in caplog.text and "slower" in caplog.text


def test_font_check_reports_a_missing_library(monkeypatch):
    monkeypatch.setattr(fontcheck, "SUBSET_LIBRARY_NAMES", ("libdoes-not-exist.so.0",))
    fontcheck.harfbuzz_subset_available.cache_clear()
    try:
        assert fontcheck.harfbuzz_subset_available() is False
    finally:
        fontcheck.harfbuzz_subset_available.cache_clear()


def test_shipped_fonts_carry_their_licence():
    fonts = Path(CERTIFICATES_DIR, "fonts")
    assert (fonts / "LICENSE.txt").read_text().count("Bitstream") >= 1
    assert sorted(p.name for p in fonts.glob("*.ttf"))
