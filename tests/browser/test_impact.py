"""Impact surveys in a real browser at phone width: a mentor enters answers by phone, staff read the report."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


def test_mentor_enters_a_baseline_by_phone_and_bad_numbers_keep_the_form(page):
    log_in(page, "081100000011")
    page.get_by_role("link", name="Peserta saya").click()
    page.get_by_role("link", name="Rosmawati Nasution").click()
    page.get_by_role("link", name="Survei lanjutan 3 bulan").click()
    expect(page.get_by_text("Anda mengisi atas nama Rosmawati Nasution")).to_be_visible()
    revenue = page.get_by_label("Berapa omzet (total penjualan)")
    revenue.fill("sejuta")
    page.get_by_label("Berapa orang yang bekerja").fill("2")
    page.get_by_role("button", name="Kirim jawaban").click()
    expect(page.get_by_text("tidak bisa dibaca sebagai angka")).to_be_visible()
    expect(revenue).to_have_value("sejuta")
    expect(page.get_by_label("Berapa orang yang bekerja")).to_have_value("2")
    revenue.fill("1,5 juta")
    page.get_by_label("Shopee", exact=True).check()
    page.get_by_role("button", name="Kirim jawaban").click()
    expect(page.get_by_text("Terima kasih, jawaban Anda sudah terkirim.")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_staff_reads_the_demo_impact_report_on_a_phone(page):
    log_in(page, "081100000001")
    page.goto("/staf/kohort/1/dampak")
    expect(page.get_by_role("heading", name="Laporan dampak: FTD Demo")).to_be_visible()
    expect(page.get_by_text("Perubahan omzet per bulan: median")).to_be_visible()
    expect(page.get_by_text("bukan diundi")).to_be_visible()
    expect(page.get_by_role("heading", name="Periksa sebelum diterbitkan: perubahan ekstrem")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
