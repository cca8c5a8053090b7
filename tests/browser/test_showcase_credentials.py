"""A visitor browses the alumni showcase on a phone; a graduate lists, withdraws, and proves a certificate."""

import pytest

from tests.browser.conftest import log_in, phone_context, scrolls_sideways, serious_axe_violations

pytestmark = pytest.mark.browser
ALUMNUS_LISTED = "081300000101"  # demo: Dodol Sidimpuan Tiurma, best 100 of 2025
ALUMNUS_UNLISTED = "081300000103"  # demo: Jeruk Karo Marihot, graduated, no listing yet


def test_visitor_browses_filters_and_opens_a_listing_at_360px(browser, live_server):
    context = phone_context(browser, live_server)
    page = context.new_page()
    page.goto("/alumni")
    assert not serious_axe_violations(page) and not scrolls_sideways(page)
    page.get_by_label("Kabupaten/kota").select_option(label="Kota Padangsidimpuan")
    page.get_by_role("button", name="Tampilkan").click()
    assert "kabupaten=1277" in page.url
    page.get_by_role("link", name="Dodol Sidimpuan Tiurma").click()
    assert page.get_by_text("Peserta Terbaik FTD 2025").is_visible()
    assert page.locator('meta[property="og:title"]').get_attribute("content") == "Dodol Sidimpuan Tiurma"
    assert page.locator("a[href^='https://shopee.co.id']").get_attribute("rel") == "nofollow ugc noopener"
    assert not serious_axe_violations(page) and not scrolls_sideways(page)
    context.close()


def test_graduate_lists_then_withdraws_and_the_listing_disappears(browser, live_server):
    context = phone_context(browser, live_server)
    page = context.new_page()
    log_in(page, ALUMNUS_UNLISTED)
    page.get_by_role("link", name="Tampilkan usaha Anda di etalase alumni").click()
    assert not serious_axe_violations(page) and not scrolls_sideways(page)
    page.get_by_label("Deskripsi singkat").fill("Jeruk manis dari Berastagi, petik pagi.")
    page.get_by_label("Toko Shopee").fill("javascript:alert(1)")
    page.get_by_role("button", name="Simpan dan tampilkan").click()
    assert page.get_by_text("diawali https://").first.is_visible()  # refused, and what was typed is kept
    assert page.get_by_label("Deskripsi singkat").input_value() == "Jeruk manis dari Berastagi, petik pagi."
    page.get_by_label("Toko Shopee").fill("shopee.co.id/jerukmarihot")
    page.get_by_label("Saya setuju").check()
    page.get_by_role("button", name="Simpan dan tampilkan").click()
    assert page.get_by_text("Usaha Anda tampil untuk umum.").is_visible()
    visitor = browser.new_context(base_url=live_server["url"]).new_page()
    visitor.goto("/alumni?q=jeruk")
    assert visitor.get_by_role("link", name="Jeruk Karo Marihot").is_visible()
    page.get_by_role("button", name="Tarik persetujuan dan hapus dari etalase").click()
    visitor.goto("/alumni?q=jeruk")
    assert visitor.get_by_role("link", name="Jeruk Karo Marihot").count() == 0
    visitor.context.close()
    context.close()


def test_graduate_downloads_a_credential_and_a_verifier_checks_it(browser, live_server, tmp_path):
    context = phone_context(browser, live_server, accept_downloads=True)
    page = context.new_page()
    log_in(page, ALUMNUS_LISTED)
    linkedin = page.get_by_role("link", name="Tambahkan ke profil LinkedIn")
    assert linkedin.get_attribute("href").startswith("https://www.linkedin.com/profile/add?")
    with page.expect_download() as info:
        page.get_by_role("link", name="Unduh kredensial digital (Open Badges)").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    token = path.read_text()
    verifier = browser.new_context(viewport={"width": 360, "height": 740}, base_url=live_server["url"],
                                   bypass_csp=True).new_page()
    verifier.goto("/verify/kredensial")
    verifier.get_by_label("atau pilih berkas kredensial").set_input_files(str(path))
    verifier.get_by_role("button", name="Periksa").click()
    assert verifier.get_by_text("Kredensial ini asli, utuh, dan berlaku.").is_visible()
    assert not serious_axe_violations(verifier) and not scrolls_sideways(verifier)
    head, body, signature = token.split(".")
    verifier.goto("/verify/kredensial")
    verifier.get_by_label("Tempel kredensial").fill(".".join([head, body[:-4] + "AAAA", signature]))
    verifier.get_by_role("button", name="Periksa").click()
    assert verifier.get_by_text("telah DIUBAH").is_visible() or verifier.get_by_text("bukan kredensial").is_visible()
    verifier.context.close()
    context.close()
