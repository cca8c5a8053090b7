"""The staff header on a 360 px phone: two rows, every link one disclosure away, by keyboard too, axe clean."""

import os
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, phone_context, scrolls_sideways, serious_axe_violations
from tests.browser.test_phone_pages import small_tap_targets

pytestmark = pytest.mark.browser
STAFF_PHONE = "081100000001"
SCREENSHOTS = os.environ.get("LMS_SCREENSHOT_DIR")
IN_THE_BAR = ("Kohort", "Kelola kohort", "Pengguna")
# A link with a waiting count is named "Lupa sandi 2 menunggu": the names are matched from the start.
IN_THE_MENU = ("Konten", "Log audit", "Penilaian", "Alokasi mentor", "Sertifikat", "Notifikasi", "Lupa sandi",
               "Hapus data", "Kata sandi")
MENU_BUTTONS = ("Keluar", "English")
# A row is one 44 px tap target; the bar adds its padding (.6rem twice) and the row gap (.25rem).
TWO_ROWS_PX = 2 * 44 + 2 * 9.6 + 4


def header_rows(page) -> tuple[float, int]:
    """Return the header's height and how many distinct rows its visible items sit on."""
    return page.evaluate(
        """() => {
            const header = document.querySelector("header.top");
            const bar = header.querySelectorAll("nav > a, nav > form, nav summary");
            const items = [header.querySelector(".brand"), ...bar]
                .filter(el => el.getClientRects().length)
                .map(el => el.getBoundingClientRect())
                .sort((a, b) => a.top - b.top);
            let rows = 0, bottom = -Infinity;
            for (const box of items) {
                if (box.top + box.height / 2 > bottom) { rows += 1; bottom = box.bottom; }
                else { bottom = Math.max(bottom, box.bottom); }
            }
            return [header.getBoundingClientRect().height, rows];
        }"""
    )


def starts(name: str) -> re.Pattern:
    return re.compile(rf"^{re.escape(name)}(\s|$)")


def shoot(page, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"))



def open_menu_by_keyboard(page, header, *, first_link: str) -> None:
    """Keyboard, no JavaScript needed: Tab reaches the Menu summary, Enter opens it, Tab lands on its first link."""
    page.keyboard.press("Tab")  # the skip link
    summary = header.locator("details.nav-menu > summary")
    for _ in range(10):
        page.keyboard.press("Tab")
        if summary.evaluate("el => el === document.activeElement"):
            break
    assert summary.evaluate("el => el === document.activeElement"), "Tab never reaches the Menu"
    page.keyboard.press("Enter")
    expect(header.locator("details.nav-menu")).to_have_attribute("open", "")
    page.keyboard.press("Tab")
    expect(header.get_by_role("link", name=first_link, exact=True)).to_be_focused()

def test_the_staff_header_is_two_rows_on_a_phone_and_the_menu_holds_every_other_link(browser, live_server):
    context = phone_context(browser, live_server)
    page = context.new_page()
    log_in(page, STAFF_PHONE)
    page.goto("/staf/pengguna")
    header = page.locator("header.top")
    height, rows = header_rows(page)
    shoot(page, "staff-header-closed")
    assert rows <= 2, f"the header's items sit on {rows} rows"
    assert height <= TWO_ROWS_PX, f"the header is {height} px tall"
    assert not scrolls_sideways(page)
    for name in IN_THE_BAR:
        expect(header.get_by_role("link", name=name, exact=True)).to_be_visible()
    for name in IN_THE_MENU:
        expect(header.get_by_role("link", name=starts(name))).to_be_hidden()
    assert serious_axe_violations(page) == []

    open_menu_by_keyboard(page, header, first_link="Konten")
    shoot(page, "staff-header-open")
    for name in IN_THE_MENU:
        expect(header.get_by_role("link", name=starts(name))).to_be_visible()
    for name in MENU_BUTTONS:
        expect(header.get_by_role("button", name=name, exact=True)).to_be_visible()
    assert small_tap_targets(page) == []
    assert serious_axe_violations(page) == []
    # Opened, the menu lies over the page: the bar itself keeps its two rows.
    assert header_rows(page)[0] == height

    header.get_by_role("link", name="Log audit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log audit")
    context.close()


PARTICIPANT_BAR = ("Beranda", "Profil usaha")
PARTICIPANT_MENU = ("Jadwal", "Notifikasi", "Data saya", "Kata sandi")


def test_the_participant_header_is_two_rows_on_a_phone_and_the_menu_holds_every_other_link(browser, live_server):
    context = phone_context(browser, live_server)
    page = context.new_page()
    log_in(page, "081200000006")
    page.goto("/belajar/ftd-umkm/orientasi")  # the module page: the participant's most read page
    header = page.locator("header.top")
    height, rows = header_rows(page)
    shoot(page, "participant-header-closed")
    assert rows <= 2, f"the header's items sit on {rows} rows"
    assert height <= TWO_ROWS_PX, f"the header is {height} px tall"
    assert not scrolls_sideways(page)
    for name in PARTICIPANT_BAR:
        expect(header.get_by_role("link", name=name, exact=True)).to_be_visible()
    for name in PARTICIPANT_MENU:
        expect(header.get_by_role("link", name=starts(name))).to_be_hidden()
    assert serious_axe_violations(page) == []

    open_menu_by_keyboard(page, header, first_link="Jadwal")
    shoot(page, "participant-header-open")
    for name in PARTICIPANT_MENU:
        expect(header.get_by_role("link", name=starts(name))).to_be_visible()
    for name in MENU_BUTTONS:
        expect(header.get_by_role("button", name=name, exact=True)).to_be_visible()
    assert small_tap_targets(page) == []
    assert serious_axe_violations(page) == []
    assert not scrolls_sideways(page)
    assert header_rows(page)[0] == height
    header.get_by_role("link", name="Data saya").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Data saya")
    context.close()


def test_mentors_keep_their_plain_header(page):
    log_in(page, "081100000011")
    expect(page.locator("header details.nav-menu")).to_have_count(0)
    expect(page.get_by_role("link", name="Peserta saya", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Keluar")).to_be_visible()
