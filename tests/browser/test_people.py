"""People in a real browser at phone width: a forgotten password from request to new login, and a staff edit."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, log_out_and_wait, open_header_menu

pytestmark = pytest.mark.browser
FORGETFUL_PHONE = "081200000015"  # Maria Sitorus, followed by Rina Siregar
FORGETFUL_NAME = "Maria Sitorus"
HER_MENTOR_PHONE = "081100000011"
EDITED_NAME = "Siti Aminah"
STAFF_PHONE = "081100000001"


def test_forgotten_password_from_request_to_new_login(browser, live_server, page):
    page.goto("/masuk")
    page.get_by_role("link", name="Lupa kata sandi?").click()
    page.get_by_label("Nomor HP yang terdaftar").fill("0812-0000-0015")
    page.get_by_role("button", name="Minta kode baru").click()
    expect(page.get_by_test_id("reset-sent")).to_contain_text("Bila nomor itu terdaftar")

    mentor = browser.new_context(viewport={"width": 360, "height": 740}, base_url=live_server["url"])
    mentor_page = mentor.new_page()
    log_in(mentor_page, HER_MENTOR_PHONE)
    mentor_page.get_by_role("link", name=re.compile("Lupa sandi")).click()
    queue = mentor_page.get_by_test_id("reset-queue")
    expect(queue).to_contain_text(FORGETFUL_NAME)
    queue.locator("li", has_text=FORGETFUL_NAME).get_by_role("button", name="Buat kode & kirim WhatsApp").click()
    code = mentor_page.get_by_test_id("activation-code").inner_text()
    whatsapp = mentor_page.get_by_test_id("reset-whatsapp").get_attribute("href")
    assert whatsapp.startswith("https://wa.me/6281200000015?text=") and code.replace("-", "") in whatsapp.replace(
        "-", "")
    mentor.close()

    page.goto("/aktivasi")
    page.get_by_label("Nomor HP").fill(FORGETFUL_PHONE)
    page.get_by_label("Kode aktivasi").fill(code)
    page.get_by_label("Kata sandi baru", exact=True).fill("maria-baru-15")
    page.get_by_label("Ulangi kata sandi baru").fill("maria-baru-15")
    page.get_by_role("button", name="Aktifkan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(FORGETFUL_NAME)
    log_out_and_wait(page)
    log_in(page, FORGETFUL_PHONE, password="maria-baru-15")
    expect(page.get_by_role("heading", level=1)).to_contain_text(FORGETFUL_NAME)


def test_staff_corrects_a_participant_and_reads_the_diff(page):
    log_in(page, STAFF_PHONE)
    page.get_by_role("link", name="Pengguna").click()
    page.get_by_label("Cari nama atau nomor HP").fill(EDITED_NAME)  # hundreds of demo registrants: search
    page.get_by_label("Cari nama atau nomor HP").press("Enter")
    page.get_by_role("link", name=EDITED_NAME).click()
    page.get_by_test_id("edit-person").click()
    page.get_by_label("Nama lengkap").fill("")
    page.get_by_label("Kecamatan").fill("Sibolga Kota")
    page.get_by_role("button", name="Simpan perubahan").click()
    expect(page.get_by_text("Nama wajib diisi.")).to_be_visible()
    expect(page.get_by_text("Tulis alasan perubahan.")).to_be_visible()
    expect(page.get_by_label("Kecamatan")).to_have_value("Sibolga Kota")  # what was typed stays
    page.get_by_label("Nama lengkap").fill("Siti Aminah Hutabarat")
    page.get_by_label("Kabupaten/kota").select_option(label="Kabupaten Tapanuli Tengah")
    page.get_by_label("Alasan perubahan").fill("Nama keluarga tertinggal saat impor")
    page.get_by_role("button", name="Simpan perubahan").click()
    expect(page.get_by_text("Data Siti Aminah Hutabarat disimpan.")).to_be_visible()
    open_header_menu(page)
    page.get_by_role("link", name="Log audit").click()
    page.get_by_label("Tindakan").select_option(label="Data orang diubah")
    page.get_by_role("button", name="Saring").click()
    row = page.get_by_test_id("audit-table").locator("tr", has_text="Siti Aminah Hutabarat").first
    expect(row).to_contain_text("Kota Sibolga → Kabupaten Tapanuli Tengah")
    expect(row).to_contain_text("Alasan: Nama keluarga tertinggal saat impor")
    expect(row.get_by_role("link", name="Staf PLUT Demo")).to_be_visible()
