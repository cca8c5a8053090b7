"""Reading a module on a 360 px phone, with and without JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE_VIEWPORT, log_in

pytestmark = pytest.mark.browser


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_participant_reads_a_module_and_marks_it_read(page):
    log_in(page, "081200000020")
    page.get_by_role("link", name="Lanjut belajar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fast Track Digitalisasi UMKM")
    assert fits_the_screen(page)
    page.get_by_role("link", name="Penganggaran Iklan").click()
    expect(page.get_by_role("heading", name="Daftar isi")).to_be_visible()
    expect(page.get_by_text("Perkiraan waktu baca")).to_be_visible()
    image = page.locator(".prose img").first
    assert image.get_attribute("width") and image.get_attribute("height")
    image.scroll_into_view_if_needed()  # images load lazily
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    assert fits_the_screen(page)
    first_section = page.locator(".toc a").first
    anchor = first_section.get_attribute("href")
    first_section.click()
    expect(page).to_have_url(f"{page.url.split('#')[0]}{anchor}")
    page.get_by_role("button", name="Saya sudah membaca").click()
    expect(page).to_have_url(re.compile(r"/belajar/ftd-umkm/penganggaran-iklan/kuis$"))  # the module's quiz next
    page.goto("/belajar/ftd-umkm")
    module_card = page.locator(".modules li", has_text="Penganggaran Iklan")
    expect(module_card.get_by_text("Sudah dibaca")).to_be_visible()


def test_module_pages_work_without_javascript(browser, live_server):
    context = browser.new_context(viewport=PHONE_VIEWPORT, base_url=live_server["url"], java_script_enabled=False)
    page = context.new_page()
    log_in(page, "081200000019")
    page.goto("/belajar/ftd-umkm/landing-page")
    page.get_by_role("button", name="Saya sudah membaca").click()
    expect(page).to_have_url(re.compile(r"/belajar/ftd-umkm/landing-page/kuis$"))
    expect(page.get_by_text("ditandai sudah dibaca")).to_be_visible()
    context.close()
