"""Key pages of every role at 360 px: axe-core finds nothing serious, nothing scrolls sideways, taps are 44 px."""

import re

import pytest

from tests.browser.conftest import log_in, phone_context, scrolls_sideways, serious_axe_violations

pytestmark = pytest.mark.browser

COURSE = "/belajar/ftd-umkm"
MODULES = ["orientasi", "pembuatan-konten", "homepage-web-usaha", "manajemen-media-sosial", "landing-page",
           "penganggaran-iklan", "marketplace-legalitas", "transaksi-dan-pajak",
           "endorsement-kolaborasi"]

# Fixed pages of each role, then links found on them (first two per pattern) for pages whose ids the seed decides.
ROLE_PAGES = {
    # A participant with reviews, a revision request, notifications and a graded quiz.
    "081200000009": (
        ["/", "/akun/profil", "/notifikasi", "/akun/kata-sandi", COURSE,
         *(f"{COURSE}/{module}" for module in MODULES),  # every module; six have tables
         f"{COURSE}/orientasi/tugas", f"{COURSE}/orientasi/kuis", f"{COURSE}/penganggaran-iklan/tugas"],
        [r"^/kiriman/\d+$", r"^/kuis/percobaan/\d+$"],
    ),
    "081100000011": (  # mentor
        ["/", "/mentor/", "/mentor/antrean", "/mentor/antrean?status=all", "/notifikasi", "/akun/kata-sandi",
         f"{COURSE}/penganggaran-iklan"],
        [r"^/mentor/kiriman/\d+$", r"^/mentor/peserta/\d+$", r"^/kuis/peserta/\d+$", r"^/kuis/percobaan/\d+$",
         r"^/berkas/\d+/lihat$"],
    ),
    "081100000001": (  # staff
        ["/", "/staf/pengguna", "/staf/konten", "/staf/kohort", "/staf/audit", "/penilaian", "/staf/alokasi-mentor",
         "/staf/sertifikat", "/notifikasi", "/staf/pengguna/baru", "/akun/kata-sandi"],
        [r"^/staf/kohort/\d+$", r"^/staf/kohort/\d+/peserta$", r"^/staf/kohort/\d+/peringkat$",
         r"^/staf/kohort/\d+/ekspor$", r"^/staf/kohort/\d+/mentor$", r"^/staf/kohort/\d+/impor$",
         r"^/staf/kohort/\d+/sertifikat$", r"^/staf/pengguna/\d+$"],
    ),
}


def small_tap_targets(page) -> list[str]:
    """Name the visible header links, buttons and form fields less than 44 px tall."""
    return page.evaluate(
        """() => [...document.querySelectorAll(
                ".top nav a, .top nav button, main button, main .button, main input, main select, main textarea")]
            .filter(el => el.type !== "hidden" && el.type !== "checkbox" && el.type !== "radio")
            .filter(el => el.getClientRects().length && el.getBoundingClientRect().height < 44)
            .map(el => `${el.tagName.toLowerCase()} "${(el.textContent || el.name || "").trim().slice(0, 30)}"`)"""
    )


def visit_key_pages(page, fixed: list[str], patterns: list[str]) -> dict[str, list[str]]:
    """Visit the fixed pages and the pages they link to; return each page's problems."""
    found = {pattern: [] for pattern in patterns}
    problems: dict[str, list[str]] = {}
    queue = list(fixed)
    while queue:
        path = queue.pop(0)
        if path in problems:
            continue
        response = page.goto(path)
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        assert response.status == 200, f"{path} answered {response.status}"
        problems[path] = serious_axe_violations(page)
        if scrolls_sideways(page):
            problems[path].append("scrolls sideways at 360 px")
        problems[path] += [f"tap target under 44 px: {name}" for name in small_tap_targets(page)]
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))"):
            for pattern in patterns:
                if re.search(pattern, href) and href not in found[pattern] and len(found[pattern]) < 2:
                    found[pattern].append(href)
                    queue.append(href)
    return problems


@pytest.mark.parametrize("phone", list(ROLE_PAGES), ids=["participant", "mentor", "staff"])
def test_key_pages_pass_axe_and_fit_360px(browser, live_server, phone):
    context = phone_context(browser, live_server)
    page = context.new_page()
    try:
        log_in(page, phone)
        problems = visit_key_pages(page, *ROLE_PAGES[phone])
    finally:
        context.close()
    assert len(problems) >= 15, sorted(problems)
    failing = {path: found for path, found in problems.items() if found}
    assert not failing, failing
