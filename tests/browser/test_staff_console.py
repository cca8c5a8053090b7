"""The staff console in a real browser at phone width: cohort, import, curation, dashboard, ranking, audit.

Works in its own new cohort so the demo cohorts other tests rely on stay as seeded.
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, open_header_menu

pytestmark = pytest.mark.browser
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
STAFF_PHONE = "081100000001"


def test_staff_runs_a_cohort_from_import_to_awards(page):
    log_in(page, STAFF_PHONE)
    page.get_by_role("link", name="Kelola kohort").click()
    page.get_by_role("link", name="Buat kohort").click()
    page.get_by_label("Nama kohort").fill("Uji Browser 2027")
    page.get_by_label("Slug (untuk alamat dan nama berkas)").fill("uji-browser-2027")
    page.get_by_label("Kursus").select_option("ftd-umkm")
    page.get_by_label("Tanggal mulai").fill("2027-02-01")
    page.get_by_label("Tanggal bootcamp").fill("2027-02-15")
    page.get_by_label("Tanggal kelulusan").fill("2027-01-15")  # before the bootcamp: refused
    page.get_by_role("button", name="Simpan kohort").click()
    expect(page.get_by_text("Tanggal kelulusan tidak boleh sebelum tanggal bootcamp.")).to_be_visible()
    expect(page.get_by_label("Nama kohort")).to_have_value("Uji Browser 2027")
    page.get_by_label("Tanggal kelulusan").fill("2027-03-15")
    page.get_by_role("button", name="Simpan kohort").click()
    expect(page.get_by_text("Kohort Uji Browser 2027 dibuat.")).to_be_visible()

    # Import: upload, map (guessed), dry run, import with progress.
    page.get_by_role("link", name="Impor", exact=True).click()
    page.get_by_label("Berkas pendaftar").set_input_files(str(FIXTURES / "pendaftar_cp1252.csv"))
    page.get_by_role("button", name="Unggah dan cocokkan kolom").click()
    expect(page.get_by_text("Windows-1252")).to_be_visible()
    expect(page.get_by_label("Nomor HP/WA")).to_have_value("2")
    page.get_by_role("button", name="Jalankan uji coba (dry run)").click()
    counts = page.get_by_test_id("import-counts")
    expect(counts).to_contain_text("Akun baru")
    # Two rows share a phone: they wait until staff choose the winner, side by side; then 16 go in.
    expect(counts.locator("dd").nth(1)).to_have_text("15")
    expect(page.get_by_test_id("import-issues")).to_contain_text("ambigu: Tapanuli")
    duplicates = page.get_by_test_id("duplicates")
    duplicates.get_by_role("button", name="Pakai baris ini").last.click()
    expect(page.get_by_test_id("duplicates").get_by_text("Dipakai", exact=True)).to_be_visible()
    expect(page.get_by_test_id("import-counts").locator("dd").nth(1)).to_have_text("16")
    page.get_by_role("button", name="Impor 16 baris yang valid").click()
    expect(page.get_by_test_id("import-done")).to_contain_text("16 akun baru", timeout=15_000)

    # Curation: select the Medan registrants with a reason, then activate them.
    page.get_by_role("link", name="Lihat peserta").click()
    page.get_by_label("Kabupaten/kota").select_option(label="Kota Medan")
    page.get_by_role("button", name="Saring").click()
    expect(page.get_by_text("2 peserta cocok.")).to_be_visible()
    page.get_by_label("Terapkan ke").select_option("filtered")
    page.get_by_label("Ubah status menjadi").select_option("selected")
    page.get_by_label("Alasan (wajib, tercatat di riwayat)").fill("Lolos wawancara")
    page.get_by_role("button", name="Ubah status").click()
    expect(page.get_by_text("2 peserta diubah")).to_be_visible()
    page.get_by_label("Budi Siregar").check()
    page.get_by_label("Ubah status menjadi").select_option("active")
    page.get_by_label("Alasan (wajib, tercatat di riwayat)").fill("Hadir di bootcamp")
    page.get_by_role("button", name="Ubah status").click()
    expect(page.get_by_test_id("curation-table")).to_contain_text("Aktif")

    # Activation codes for accepted participants, as WhatsApp links (fresh codes, stated on the page).
    page.get_by_label("Saya mengerti").check()
    page.get_by_role("button", name="Buat kode baru dan tampilkan tautan WhatsApp").click()
    link = page.get_by_role("link", name="Kirim lewat WhatsApp").first
    expect(link).to_have_attribute("href", re.compile(r"^https://wa\.me/6281234567002\?text="))

    # Dashboard: 33 regencies plus the unknown row, and a chart.
    page.go_back()
    page.get_by_role("link", name="Dasbor").click()
    expect(page.get_by_test_id("regency-table").locator("tbody tr")).to_have_count(34)
    expect(page.locator("svg.chart").first).to_be_visible()

    # Ranking: mark the one active participant as a top awardee.
    page.get_by_role("link", name="Peringkat").click()
    page.get_by_label("Budi Siregar").check()
    page.get_by_role("button", name="Tandai yang dicentang sebagai Peserta Terbaik").click()
    # Budi has not finished the course: the console warns and asks why before marking him.
    expect(page.get_by_role("heading", name="Konfirmasi Peserta Terbaik")).to_be_visible()
    page.get_by_label("Alasan tetap memilih mereka (tercatat di log audit)").fill("Usaha paling berkembang")
    page.get_by_role("button", name="Tetap tandai").click()
    expect(page.get_by_test_id("ranking-table")).to_contain_text("Terpilih (peringkat 1)")

    # Audit log: the import and the status changes are there.
    open_header_menu(page)
    page.get_by_role("link", name="Log audit").click()
    page.get_by_label("Tindakan").select_option("import.run")
    page.get_by_role("button", name="Saring").click()
    expect(page.get_by_test_id("audit-table")).to_contain_text("Impor dijalankan")  # the action's Indonesian label
    expect(page.get_by_test_id("audit-table")).to_contain_text("Staf PLUT Demo")


def test_exports_download_as_files(page):
    log_in(page, STAFF_PHONE)
    page.get_by_role("link", name="Kelola kohort").click()
    page.get_by_role("link", name="Gelombang 2 (contoh kurasi)").click()
    page.get_by_role("link", name="Ekspor").click()
    with page.expect_download() as download:
        participants_row = page.get_by_role("row").filter(has=page.get_by_role("cell", name="Peserta", exact=True))
        participants_row.get_by_role("link", name="XLSX").click()
    assert download.value.suggested_filename == "kurasi-demo-peserta.xlsx"
