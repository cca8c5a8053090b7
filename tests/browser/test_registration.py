"""Self-registration in a real browser on a 360 px phone, with and without JavaScript, then staff find the person."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from lms.models import Cohort
from lms.seed import DEMO_COHORT_SLUG
from tests.browser.conftest import log_in, phone_context, scrolls_sideways, serious_axe_violations
from tests.browser.test_phone_pages import small_tap_targets

pytestmark = pytest.mark.browser
STAFF_PHONE = "081100000001"


@pytest.fixture
def no_fill_wait(live_server):
    """The live server's minimum fill time off for these tests (people take longer than a test)."""
    config = live_server["app"].config
    before = config["REGISTRATION_MIN_FILL_SECONDS"]
    config["REGISTRATION_MIN_FILL_SECONDS"] = 0
    yield
    config["REGISTRATION_MIN_FILL_SECONDS"] = before


def demo_cohort_id(live_server) -> int:
    from lms.extensions import db

    with live_server["app"].app_context():
        return db.session.scalar(select(Cohort.id).where(Cohort.slug == DEMO_COHORT_SLUG))


def fill_registration(page, *, phone: str, name: str, business: str, regency: str) -> None:
    """Fill the form the way a person does: labels, a typed regency, ticks and radios."""
    page.get_by_label("Nomor HP (WhatsApp)").fill(phone)
    page.get_by_label("Nama lengkap").fill(name)
    page.get_by_label("Nama usaha").fill(business)
    page.get_by_label("Bidang usaha").select_option("kuliner")
    page.get_by_label("Kabupaten/kota tempat usaha").fill(regency)
    page.get_by_label("Kecamatan (boleh kosong)").fill("Lahomi")
    page.get_by_label("Dari mana Anda tahu program ini?").select_option("dinas")
    page.locator("#q-omzet").fill("2,5 juta")
    page.locator("#q-karyawan").fill("1")
    page.get_by_label("WhatsApp atau WhatsApp Business").check()
    page.get_by_label("NIB (Nomor Induk Berusaha) dari OSS").check()
    page.locator('input[name="pola-konten"][value="3"]').check()
    page.locator('input[name="pola-pelanggan"][value="4"]').check()
    page.get_by_label("Saya sudah membaca pemberitahuan").check()


def find_in_curation(browser, live_server, name: str) -> None:
    staff = phone_context(browser, live_server)
    page = staff.new_page()
    log_in(page, STAFF_PHONE)
    page.goto(f"/staf/kohort/{demo_cohort_id(live_server)}/peserta")
    page.get_by_label("Nama, usaha atau nomor HP").fill(name)
    page.get_by_role("button", name="Saring").click()
    row = page.get_by_test_id("curation-table").locator("tr", has_text=name)
    expect(row).to_contain_text("Kabupaten Nias Barat")
    expect(row).to_contain_text("Terdaftar")
    staff.close()


NIAS_BARAT = "1225"


def registrants_on_the_map(browser, live_server, code: str) -> int:
    """Staff open the cohort's outreach map; return the regency's count in the table, checked against its tile."""
    staff = phone_context(browser, live_server)
    page = staff.new_page()
    log_in(page, STAFF_PHONE)
    page.goto(f"/staf/kohort/{demo_cohort_id(live_server)}/jangkauan")
    cell = page.get_by_test_id("outreach-regency-table").locator(f'tr[data-regency="{code}"] td').nth(1)
    count = int(cell.inner_text().replace(".", ""))
    if count:
        expect(page.locator(f'svg.cartogram g.tile[data-regency="{code}"] title')).to_contain_text(f"{count} pendaftar")
    staff.close()
    return count


def test_register_on_a_phone_with_javascript_then_staff_find_the_registrant(browser, live_server, no_fill_wait):
    on_the_map_before = registrants_on_the_map(browser, live_server, NIAS_BARAT)
    context = phone_context(browser, live_server)
    page = context.new_page()
    page.goto("/")
    expect(page.get_by_test_id("registration-state")).to_contain_text("Pendaftaran dibuka")
    assert serious_axe_violations(page) == []
    assert not scrolls_sideways(page)
    assert small_tap_targets(page) == []
    page.get_by_role("link", name="Daftar sekarang").click()
    assert serious_axe_violations(page) == []
    assert not scrolls_sideways(page)
    assert small_tap_targets(page) == []
    fill_registration(page, phone="0813 7777 0001", name="Sokhi Zebua", business="Kopi Nias Sokhi",
                      regency="Kabupaten Nias Barat")
    page.get_by_role("button", name="Kirim pendaftaran").click()
    expect(page.get_by_test_id("registration-number")).to_have_text(re.compile(r"^FTD\d\d-\d{6}$"))
    assert page.get_by_test_id("share-link").get_attribute("href").startswith("https://wa.me/?text=")
    assert serious_axe_violations(page) == []
    assert not scrolls_sideways(page)
    context.close()
    find_in_curation(browser, live_server, "Sokhi Zebua")
    assert registrants_on_the_map(browser, live_server, NIAS_BARAT) == on_the_map_before + 1


def test_register_on_a_phone_without_javascript_fixing_a_mistake(browser, live_server, no_fill_wait):
    context = phone_context(browser, live_server, java_script_enabled=False)
    page = context.new_page()
    page.goto("/daftar")
    fill_registration(page, phone="0813-77", name="Ina Gea", business="Anyaman Ina", regency="Kabupaten Nias Barat")
    page.get_by_role("button", name="Kirim pendaftaran").click()
    expect(page.locator("#phone-error")).to_contain_text("Nomor HP tidak valid")
    expect(page.get_by_label("Nama usaha")).to_have_value("Anyaman Ina")
    expect(page.locator("#q-omzet")).to_have_value("2,5 juta")
    expect(page.get_by_label("WhatsApp atau WhatsApp Business")).to_be_checked()
    page.get_by_label("Nomor HP (WhatsApp)").fill("0813 7777 0002")
    page.get_by_label("Saya sudah membaca pemberitahuan").check()
    page.get_by_role("button", name="Kirim pendaftaran").click()
    expect(page.get_by_test_id("registration-confirmation")).to_contain_text("Nomor pendaftaran Anda")
    page.goto("/daftar")
    fill_registration(page, phone="081377770002", name="Ina Gea", business="Anyaman Ina",
                      regency="Kabupaten Nias Barat")
    page.get_by_role("button", name="Kirim pendaftaran").click()
    expect(page.get_by_test_id("registration-duplicate")).to_contain_text("sudah terdaftar")
    context.close()
    find_in_curation(browser, live_server, "Ina Gea")
