"""Outreach and data rights in a real browser at phone width, checked with axe-core."""

import os
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, open_header_menu, phone_context, scrolls_sideways, serious_axe_violations
from tests.browser.test_phone_pages import small_tap_targets

pytestmark = pytest.mark.browser
STAFF_PHONE = "081100000001"
PARTICIPANT_PHONE = "081200000005"
SCREENSHOTS = os.environ.get("LMS_SCREENSHOT_DIR")


def shoot(page, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"), full_page=True)


def test_staff_reads_the_outreach_map_on_a_phone(browser, live_server):
    context = phone_context(browser, live_server)
    page = context.new_page()
    log_in(page, STAFF_PHONE)
    page.get_by_role("link", name="Kelola kohort").click()
    page.get_by_role("link", name="FTD Demo").first.click()
    page.get_by_role("link", name="Jangkauan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Jangkauan pendaftaran")
    tiles = page.locator("svg.cartogram g.tile")
    expect(tiles).to_have_count(33)
    medan = page.locator('svg.cartogram g.tile[data-regency="1275"] title')
    expect(medan).to_contain_text("Kota Medan")
    row = page.get_by_test_id("outreach-regency-table").locator('tr[data-regency="1275"]')
    count = row.locator("td").nth(1).inner_text()
    assert int(count.replace(".", "")) > 0
    expect(medan).to_contain_text(f"{count} pendaftar")
    expect(page.get_by_test_id("referral-table")).to_contain_text("DINAS-NIAS")
    assert page.locator("input.copy-field").first.input_value().endswith("/daftar?ref=DINAS-NIAS")
    shoot(page, "outreach")
    assert not scrolls_sideways(page)
    assert small_tap_targets(page) == []
    assert serious_axe_violations(page) == []
    page.get_by_text("Atur target per kabupaten/kota").click()
    page.get_by_label("Kabupaten Nias", exact=True).fill("-3")
    page.get_by_role("button", name="Simpan target").click()
    expect(page.get_by_text("Isi angka 0 sampai 100000.")).to_be_visible()
    page.get_by_label("Kabupaten Nias", exact=True).fill("40")
    page.get_by_role("button", name="Simpan target").click()
    expect(page.get_by_text(re.compile("Target disimpan"))).to_be_visible()
    expect(page.locator('svg.cartogram g.tile[data-regency="1201"] title')).to_contain_text("target 40")
    context.close()


def test_participant_sees_downloads_and_asks_for_deletion(browser, live_server):
    context = phone_context(browser, live_server, accept_downloads=True)
    page = context.new_page()
    log_in(page, PARTICIPANT_PHONE)
    open_header_menu(page)
    page.get_by_role("link", name="Data saya").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Data saya")
    expect(page.locator("#sec-account").locator("..")).to_contain_text("+6281200000005")
    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh (JSON)").click()
    assert download.value.suggested_filename == "data-saya.json"
    shoot(page, "my-data")
    assert not scrolls_sideways(page)
    assert small_tap_targets(page) == []
    assert serious_axe_violations(page) == []
    page.get_by_role("link", name="Minta hapus data").click()
    page.get_by_role("button", name="Kirim permintaan hapus").click()
    expect(page.get_by_text("Centang kotak ini untuk melanjutkan.")).to_be_visible()
    page.get_by_label("Alasan (boleh kosong)").fill("Uji peramban")
    page.get_by_label(re.compile("Saya mengerti")).check()
    page.get_by_role("button", name="Kirim permintaan hapus").click()
    expect(page.get_by_text("Permintaan hapus data terkirim.", exact=False)).to_be_visible()
    assert serious_axe_violations(page) == []
    context.close()
