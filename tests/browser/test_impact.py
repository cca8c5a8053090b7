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
    expect(page.get_by_text("bukan diundi").first).to_be_visible()
    expect(page.get_by_role("heading", name="Periksa sebelum diterbitkan: perubahan ekstrem")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_report_charts_compare_import_links_and_reminders_pass_axe_at_360px(browser, live_server):
    from tests.browser.conftest import phone_context, scrolls_sideways, serious_axe_violations
    from tests.browser.test_phone_pages import small_tap_targets

    context = phone_context(browser, live_server)
    page = context.new_page()
    try:
        log_in(page, "081100000001")
        page.goto("/staf/kohort/1/dampak")
        expect(page.get_by_role("img", name="Median omzet per bulan per gelombang survei")).to_be_visible()
        expect(page.get_by_role("link", name="Unduh PDF")).to_be_visible()
        problems = {}
        for path in ("/staf/kohort/1/dampak", "/staf/dampak?kohort=1", "/staf/kohort/1/dampak/impor",
                     "/staf/kohort/1/dampak/tautan", "/staf/kohort/1/dampak/pengingat"):
            assert page.goto(path).status == 200, path
            found = serious_axe_violations(page)
            if scrolls_sideways(page):
                found.append("scrolls sideways at 360 px")
            found += [f"tap target under 44 px: {name}" for name in small_tap_targets(page)]
            problems[path] = found
        with page.expect_download() as download:
            page.goto("/staf/kohort/1/dampak")
            page.get_by_role("link", name="Unduh PDF").click()
        assert download.value.suggested_filename.endswith(".pdf")
    finally:
        context.close()
    assert not {path: found for path, found in problems.items() if found}, problems
