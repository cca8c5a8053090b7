"""Outreach (issue #14 §3): the cartogram and colour scale, the figures, targets, referral codes, the export."""

import io
import itertools
import random
from datetime import date, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import event, func, select

from lms.extensions import db
from lms.models import AuditEvent, Enrollment, ReferralCode, RegencyTarget, Role, SurveyResponse, utcnow
from lms.outreach import cartogram, charts, rules
from lms.outreach.demo import add_registrants
from lms.regions import REGENCIES, REGENCY_BY_CODE
from tests.conftest import enroll_participant, login, make_cohort, make_user

_phones = itertools.count(1)  # this file's own numbers: conftest's counter is a second copy here

# --- pure parts -----------------------------------------------------------------------------


def test_the_cartogram_places_every_regency_exactly_once():
    assert sorted(cartogram.GRID) == sorted(REGENCY_BY_CODE)
    assert len(set(cartogram.GRID.values())) == len(REGENCIES) == 33
    assert set(cartogram.SHORT_NAMES) == set(REGENCY_BY_CODE)
    corners = list(cartogram.layout().values())
    for index, (x, y) in enumerate(corners):  # no two tiles overlap
        for other_x, other_y in corners[index + 1:]:
            assert abs(x - other_x) >= cartogram.TILE or abs(y - other_y) >= cartogram.TILE


def test_the_cartogram_keeps_rough_geography():
    col = {code: position[0] for code, position in cartogram.GRID.items()}
    row = {code: position[1] for code, position in cartogram.GRID.items()}
    nias = ("1201", "1214", "1224", "1225", "1278")
    assert max(col[c] for c in nias) < min(col[c] for c in cartogram.GRID if c not in nias)  # Nias is west
    assert row["1275"] == 0 and row["1202"] == max(row.values())  # Medan north, Mandailing Natal south
    assert col["1207"] > col["1204"]  # Labuhanbatu east of Tapanuli Tengah


@pytest.mark.parametrize(("count", "target", "band"), [
    (5, None, "none"), (5, 0, "none"), (0, 40, "0"), (9, 40, "0"), (10, 40, "25"), (20, 40, "50"),
    (39, 40, "75"), (40, 40, "100"), (400, 40, "100"),
])
def test_the_colour_scale_steps_by_share_of_target(count, target, band):
    assert cartogram.band_for(count, target).key == band


def luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_the_colour_scale_darkens_steadily_and_its_text_stays_readable():
    steps = [luminance(band.fill) for band in cartogram.BANDS[1:]]
    assert steps == sorted(steps, reverse=True)  # one hue, light to dark: readable without colour vision
    for band in cartogram.BANDS:
        light, dark = sorted((luminance(band.fill), luminance(band.text)), reverse=True)
        assert (light + 0.05) / (dark + 0.05) >= 4.5, band.key


def test_the_cartogram_svg_has_a_titled_tile_with_its_count_for_every_regency():
    tiles = [cartogram.Tile(r.code, r.label, 7 if r.code == "1275" else 0, 10 if r.code == "1275" else None)
             for r in REGENCIES]
    svg = str(cartogram.cartogram_svg(tiles, title="Peta <x>", tile_title="{name}: {count} / {target} ({percent})"))
    assert svg.count('<g class="tile"') == 33 and svg.count("<title>") == 34
    assert "<title>Kota Medan: 7 / 10 (70%)</title>" in svg
    assert "Peta &lt;x&gt;" in svg and "style=" not in svg
    assert f"url(#{cartogram.HATCH_ID})" in svg  # regencies without a target are hatched


def test_referral_codes_are_normalized_validated_and_suggested_without_clashes():
    assert rules.normalize_code("  dinas nias_1 ") == "DINAS-NIAS-1"
    assert rules.is_valid_code("DINAS-NIAS") and rules.is_valid_code("ABC")
    for bad in ("AB", "-ABC", "ABC-", "A--B", "DINAS/NIAS", "<SCRIPT>", "X" * 33):
        assert not rules.is_valid_code(rules.normalize_code(bad)), bad
    assert rules.suggest_code("Dinas", "Nias Selatan", set()) == "NIAS-SELATAN"
    assert rules.suggest_code("Dinas", "Nias", {"NIAS", "NIAS-2"}) == "NIAS-3"
    assert rules.suggest_code("Pameran UMKM Sibolga!", None, set()) == "PAMERAN-UMKM-SIBOLGA"
    assert rules.is_valid_code(rules.suggest_code("Ö", None, set()))


def test_the_day_series_fills_empty_days_and_the_chart_marks_the_closing_day():
    counts = {date(2026, 10, 1): 2, date(2026, 10, 4): 9}
    series = charts.day_series(counts, date(2026, 9, 30), date(2026, 10, 4))
    assert [n for _day, n in series] == [0, 2, 0, 0, 9]
    svg = str(charts.daily_svg(series, title="Per hari", closes_on=date(2026, 10, 4), close_label="Tutup",
                               bar_title="{day}: {count}"))
    assert svg.count("<rect") == 5 and "<title>04-10-2026: 9</title>" in svg and "Tutup" in svg
    assert charts.day_series({}, None, None) == []


# --- pages ------------------------------------------------------------------------------------


def registrant(cohort, regency, *, name=None, heard_from="", referral="", at=None, business="Usaha"):
    user = make_user(name=name, phone=f"0816{next(_phones):08d}", password=None, regency_code=regency,
                     business_name=business)
    enrollment = enroll_participant(user, cohort, status="registered")
    enrollment.heard_from, enrollment.referral_code, enrollment.registered_via = heard_from, referral, "form"
    if at is not None:
        enrollment.created_at = at
    db.session.commit()
    return user, enrollment


def page_of(client, world):
    login(client, world["staff"])
    response = client.get(f"/staf/kohort/{world['cohort'].id}/jangkauan")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_each_registration_counts_once_for_its_regency_on_map_and_table(client, world):
    cohort = world["cohort"]
    for _ in range(3):
        registrant(cohort, "1201")
    registrant(cohort, "1204")
    db.session.add(RegencyTarget(cohort_id=cohort.id, regency_code="1201", target=6))
    db.session.commit()
    html = page_of(client, world)
    assert "<title>Kabupaten Nias: 3 pendaftar, target 6 (50%)</title>" in html
    assert "<title>Kabupaten Tapanuli Tengah: 1 pendaftar, target – (–)</title>" in html
    assert '<tr data-regency="1201"><td class="stack-title">Kabupaten Nias</td>' in html
    assert '<td class="num">6 (50%)</td>' in html  # the table carries the map's figures
    assert html.count('<g class="tile"') == 33 and html.count('<tr data-regency="') == 33
    assert "6 pendaftar di kohort ini" in html  # the world's two active participants count too
    assert "style=" not in html.split("<main", 1)[1]


def test_registrations_per_day_use_the_wib_date_and_sources_and_codes_are_counted(client, world):
    cohort = world["cohort"]
    cohort.registration_opens_on, cohort.registration_closes_on = date(2026, 10, 1), date(2026, 10, 5)
    registrant(cohort, "1275", heard_from="instagram", referral="DINAS-NIAS", at=datetime(2026, 10, 1, 18, 0))
    registrant(cohort, "1275", heard_from="instagram", at=datetime(2026, 10, 1, 16, 0))
    registrant(cohort, "1275", heard_from="teman", referral="DINAS-NIAS", at=datetime(2026, 10, 5, 3, 0))
    db.session.add(ReferralCode(cohort_id=cohort.id, code="DINAS-NIAS", label="Dinas Koperasi Kab. Nias",
                                regency_code="1201"))
    db.session.commit()
    from lms.outreach import queries

    days = queries.by_day(cohort.id)
    assert days[date(2026, 10, 1)] == 1 and days[date(2026, 10, 2)] == 1 and days[date(2026, 10, 5)] == 1
    assert queries.by_source(cohort.id)["instagram"] == 2
    html = page_of(client, world)
    assert "<title>05-10-2026: 1 pendaftar</title>" in html and "<title>03-10-2026: 0 pendaftar</title>" in html
    assert "2 pendaftar lewat kode ini." in html
    assert 'value="http://127.0.0.1:5000/daftar?ref=DINAS-NIAS"' in html
    assert "https://wa.me/?text=" in html and "daftar%3Fref%3DDINAS-NIAS" in html


def test_the_page_reads_a_fixed_number_of_queries_whatever_the_size(client, world):
    cohort = world["cohort"]
    login(client, world["staff"])
    url = f"/staf/kohort/{cohort.id}/jangkauan"

    def statements():
        seen = []

        def before(_conn, _cursor, statement, *_args):
            seen.append(statement)

        event.listen(db.engine, "before_cursor_execute", before)
        try:
            assert client.get(url).status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", before)
        return seen

    add_registrants(cohort, 5, rng=random.Random(1), phone_prefix="+6281398")  # noqa: S311 - test data
    db.session.add(ReferralCode(cohort_id=cohort.id, code="A-1", label="A", regency_code="1201"))
    db.session.commit()
    statements()  # the first page of a session also loads what later pages find cached
    small = statements()
    add_registrants(cohort, 120, rng=random.Random(2), phone_prefix="+6281397")  # noqa: S311 - test data
    db.session.add(ReferralCode(cohort_id=cohort.id, code="B-2", label="B", regency_code="1202"))
    db.session.commit()
    statements()
    large = statements()
    assert len(large) == len(small), [s for s in large if s not in small]


def test_staff_set_targets_and_a_bad_one_changes_nothing(client, world):
    cohort = world["cohort"]
    login(client, world["staff"])
    url = f"/staf/kohort/{cohort.id}/jangkauan/target"
    response = client.post(url, data={"target_1201": "40", "target_1275": "300", "target_1204": ""})
    assert response.status_code == 302
    assert dict(db.session.execute(select(RegencyTarget.regency_code, RegencyTarget.target)).all()) == {
        "1201": 40, "1275": 300}
    event_row = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "outreach.targets_set"))
    assert event_row.after == {"targets": {"1201": 40, "1275": 300}}
    response = client.post(url, data={"target_1201": "-5", "target_1275": "12"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Isi angka 0 sampai 100000." in html
    assert 'value="-5"' in html  # what was typed stays
    assert db.session.scalar(select(RegencyTarget.target).where(RegencyTarget.regency_code == "1275")) == 300
    client.post(url, data={"target_1201": "0", "target_1275": "300"})
    assert db.session.scalar(select(func.count(RegencyTarget.id))) == 1


def test_staff_create_referral_codes_typed_or_made_and_a_clash_is_refused(client, world):
    cohort = world["cohort"]
    login(client, world["staff"])
    url = f"/staf/kohort/{cohort.id}/jangkauan/rujukan"
    assert client.post(url, data={"label": "Dinas Koperasi Kab. Nias", "regency_code": "1201"}).status_code == 302
    assert client.post(url, data={"label": "Pameran", "regency_code": "", "code": " pameran 2026 "}).status_code == 302
    assert sorted(db.session.scalars(select(ReferralCode.code))) == ["NIAS", "PAMERAN-2026"]
    response = client.post(url, data={"label": "Lagi", "regency_code": "1201", "code": "nias"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Kode NIAS sudah dipakai di kohort ini." in html
    assert 'value="Lagi"' in html
    for data, message in (({"label": "", "code": "OK-1"}, "Nama kantor atau acara wajib diisi."),
                          ({"label": "X", "code": "<b>"}, "Kode hanya huruf"),
                          ({"label": "X", "regency_code": "9999"}, "Kabupaten/kota tidak dikenal.")):
        response = client.post(url, data=data)
        assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(ReferralCode.id))) == 2
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.action == "outreach.referral_created")) == 2


def test_a_referral_code_of_another_cohort_does_not_clash(client, world):
    other = make_cohort("ftd-lain")
    db.session.add(ReferralCode(cohort_id=other.id, code="NIAS", label="x"))
    db.session.commit()
    login(client, world["staff"])
    client.post(f"/staf/kohort/{world['cohort'].id}/jangkauan/rujukan", data={"label": "D", "regency_code": "1201"})
    assert db.session.scalar(select(ReferralCode.code).where(ReferralCode.cohort_id == world["cohort"].id)) == "NIAS"


def test_the_export_has_baseline_answers_and_hostile_text_stays_inert(client, world):
    cohort = world["cohort"]
    user, _enrollment = registrant(cohort, "1224", name="=HYPERLINK(\"http://x\",\"klik\")",
                                   business="<script>alert(1)</script>", heard_from="dinas")
    db.session.add(SurveyResponse(user_id=user.id, cohort_id=cohort.id, wave="baseline", version_no=1,
                                  status="submitted", survey_id="dampak-umkm", survey_version=1,
                                  answers={"omzet": 2500000, "karyawan": 2, "kanal": ["whatsapp", "shopee"],
                                           "legalitas": ["nib"]}, submitted_at=utcnow()))
    db.session.commit()
    html = page_of(client, world)
    assert "<script>alert(1)</script>" not in html
    response = client.get(f"/staf/kohort/{cohort.id}/jangkauan/pendaftar.xlsx")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert len(rows) == 1 + 3  # the world's two participants and the registrant
    row = next(r for r in rows[1:] if r[header.index("Kabupaten/kota")] == "Kabupaten Nias Utara")
    assert row[header.index("Nama")] == "'=HYPERLINK(\"http://x\",\"klik\")"
    assert all(cell.data_type != "f" for line in sheet.iter_rows() for cell in line)
    omzet = next(i for i, title in enumerate(header) if title.startswith("Berapa omzet"))
    assert row[omzet] == 2500000
    channels = next(i for i, title in enumerate(header) if title.startswith("Di mana saja"))
    assert row[channels] == "WhatsApp atau WhatsApp Business, Shopee"
    assert row[header.index("Tahu dari")] == "Dinas Koperasi kabupaten/kota"
    access = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "access.export"))
    assert access.after == {"dataset": "registrants", "format": "xlsx"}


def test_the_page_of_an_unknown_cohort_is_404_and_the_cohort_nav_links_it(client, world):
    login(client, world["staff"])
    assert client.get("/staf/kohort/9999/jangkauan").status_code == 404
    assert client.post("/staf/kohort/9999/jangkauan/target", data={}).status_code == 404
    dashboard = client.get(f"/staf/kohort/{world['cohort'].id}").get_data(as_text=True)
    assert f'href="/staf/kohort/{world["cohort"].id}/jangkauan"' in dashboard


def test_the_demo_seed_gives_the_map_something_to_show(app):
    from lms import seed

    make_user(Role.STAFF, phone="081100000001")
    cohort = make_cohort("ftd-demo")
    from lms.outreach import demo, queries

    demo.seed_demo(cohort)
    demo.seed_demo(cohort)  # idempotent
    counts = queries.by_regency(cohort.id)
    assert sum(counts.values()) == demo.DEMO_REGISTRANTS
    assert counts["1275"] > counts.get("1201", 0) and counts["1212"] > counts.get("1214", 0)
    assert db.session.scalar(select(func.count(ReferralCode.id))) == len(demo.REFERRALS)
    assert seed.DEMO_COHORT_SLUG == "ftd-demo"
    assert db.session.scalar(select(func.count(Enrollment.id))) == demo.DEMO_REGISTRANTS
