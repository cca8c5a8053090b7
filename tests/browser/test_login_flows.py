"""Logging in as a participant, a mentor and staff in a real browser."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, log_out_and_wait, open_header_menu

pytestmark = pytest.mark.browser


def test_participant_logs_in_and_sees_home(page):
    log_in(page, "0812 0000 0001")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rosmawati Nasution")
    expect(page.get_by_text("FTD Demo")).to_be_visible()
    expect(page.get_by_text("Rina Siregar")).to_be_visible()


def test_wrong_password_shows_message_and_keeps_phone(page):
    log_in(page, "081200000002", "salah-sandi")
    expect(page.get_by_text("Nomor HP/email atau kata sandi salah.")).to_be_visible()
    expect(page.get_by_label("Nomor HP atau email")).to_have_value("081200000002")


def test_staff_logs_in_sees_cohorts_and_creates_an_account(page):
    log_in(page, "+62 811 0000 0001")
    expect(page.get_by_role("heading", name="Kohort")).to_be_visible()
    expect(page.get_by_role("cell", name="FTD Demo")).to_be_visible()
    page.get_by_role("link", name="Buat akun").first.click()
    page.get_by_label("Nama lengkap").fill("Bu Tiurma")
    page.get_by_label("Nomor HP").fill("0813 9000 1111")
    page.get_by_label("Kohort (untuk peserta)").select_option(label="FTD Demo")
    page.get_by_role("button", name="Buat akun").click()
    code = page.get_by_test_id("activation-code").inner_text()
    whatsapp = page.get_by_role("link", name="Kirim lewat WhatsApp").get_attribute("href")
    assert whatsapp.startswith("https://wa.me/6281390001111?text=")
    # The new participant activates the account with the code and lands on their home page.
    log_out_and_wait(page)
    page.goto(f"/aktivasi?kode={code}")
    page.get_by_label("Nomor HP").fill("0813 9000 1111")
    page.get_by_label("Kata sandi baru", exact=True).fill("tiurma-123")
    page.get_by_label("Ulangi kata sandi baru").fill("tiurma-123")
    page.get_by_role("button", name="Aktifkan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bu Tiurma")


def test_mentor_sees_only_their_participants(page):
    log_in(page, "081100000011")
    expect(page.get_by_role("link", name="Rosmawati Nasution")).to_be_visible()
    expect(page.get_by_role("link", name="Hotman Sinaga")).to_have_count(0)


def test_language_switch_to_english_and_back(page):
    page.goto("/masuk")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("button", name="Bahasa Indonesia").click()
    expect(page.locator("html")).to_have_attribute("lang", "id")


def test_participant_updates_business_profile(page):
    log_in(page, "081200000018")
    page.get_by_role("link", name="Profil usaha", exact=True).click()
    page.get_by_label("Instagram").fill("instagram.com/tanpa-skema")
    page.get_by_role("button", name="Simpan profil").click()
    expect(page.get_by_text("Tautan harus diawali http:// atau https://.")).to_be_visible()
    page.get_by_label("Instagram").fill("https://instagram.com/kue.bolu.intan")
    page.get_by_label("Kabupaten/kota").select_option(label="Kabupaten Langkat")
    page.get_by_role("button", name="Simpan profil").click()
    expect(page.get_by_text("Profil usaha tersimpan.")).to_be_visible()
    expect(page.get_by_label("Instagram")).to_have_value("https://instagram.com/kue.bolu.intan")


def test_password_change_logs_out_the_other_device(browser, live_server, page):
    log_in(page, "081200000017")
    other_device = browser.new_context(base_url=live_server["url"])
    other_page = other_device.new_page()
    log_in(other_page, "081200000017")
    open_header_menu(page)
    page.get_by_role("link", name="Kata sandi").click()
    page.get_by_label("Kata sandi sekarang").fill("demo12345")
    page.get_by_label("Kata sandi baru", exact=True).fill("sandi-baru-17")
    page.get_by_label("Ulangi kata sandi baru").fill("sandi-baru-17")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("Kata sandi sudah diganti.")).to_be_visible()
    other_page.goto("/akun/profil")
    expect(other_page.get_by_role("heading", name="Masuk")).to_be_visible()
    other_device.close()
