"""The knowledge pre-test in a real browser at 360 px: taken without JavaScript, then seen by staff."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE_VIEWPORT, log_in, phone_context, scrolls_sideways, serious_axe_violations
from tests.browser.test_phone_pages import small_tap_targets

pytestmark = pytest.mark.browser

PARTICIPANT = "081200000016"  # Hendra Purba: has not started learning in the demo, so the pre-test is open


def page_problems(page) -> list[str]:
    found = serious_axe_violations(page)
    if scrolls_sideways(page):
        found.append("scrolls sideways at 360 px")
    return found + [f"tap target under 44 px: {name}" for name in small_tap_targets(page)]


def test_the_pre_test_page_passes_axe_at_360px(browser, live_server):
    context = phone_context(browser, live_server)
    page = context.new_page()
    try:
        log_in(page, PARTICIPANT)
        assert page.goto("/tes-pengetahuan/awal").status == 200
        expect(page.get_by_role("heading", name="Tes awal pengetahuan", level=1)).to_be_visible()
        problems = page_problems(page)
    finally:
        context.close()
    assert not problems, problems


def test_a_participant_takes_the_pre_test_without_javascript_and_staff_see_it(browser, live_server):
    context = browser.new_context(viewport=PHONE_VIEWPORT, base_url=live_server["url"], locale="id-ID",
                                  java_script_enabled=False)
    page = context.new_page()
    try:
        log_in(page, PARTICIPANT)
        page.get_by_role("link", name="Kerjakan tes awal").click()
        items = page.locator("fieldset.question")
        count = items.count()
        assert count == 27
        for index in range(count - 1):  # the last item is left empty first
            items.nth(index).locator("input[type=radio]").first.check()
        page.get_by_role("button", name="Kirim tes awal").click()
        expect(page.get_by_text("Masih ada 1 soal yang belum dijawab")).to_be_visible()
        expect(items.nth(0).locator("input[type=radio]").first).to_be_checked()  # what was chosen is kept
        expect(items.nth(count - 1).get_by_text("Pilih satu jawaban.")).to_be_visible()
        items.nth(count - 1).locator("input[type=radio]").first.check()
        page.get_by_role("button", name="Kirim tes awal").click()
        expect(page.get_by_text("Terima kasih, tes Anda sudah terkirim.")).to_be_visible()
        expect(page.get_by_role("heading", name="Nilai Anda (0–100)")).to_be_visible()
        assert not scrolls_sideways(page)
        page.goto("/tes-pengetahuan/awal")  # the form again: it is taken, so the overview answers
        expect(page.get_by_role("heading", name="Tes pengetahuan", level=1)).to_be_visible()
    finally:
        context.close()

    context = phone_context(browser, live_server)
    page = context.new_page()
    try:
        log_in(page, "081100000001")
        page.goto("/staf/kohort/1/dampak")
        expect(page.get_by_role("heading", name="Tes pengetahuan: nilai awal dan akhir")).to_be_visible()
        expect(page.get_by_text("Tes awal: 13 peserta · tes akhir: 10 peserta · keduanya: 10 peserta")).to_be_visible()
        expect(page.get_by_role("region", name="Tes pengetahuan per modul")).to_be_visible()
        problems = page_problems(page)
    finally:
        context.close()
    assert not problems, problems
