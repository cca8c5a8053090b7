"""Follow-up waves configured per cohort (cohort.followup_months), and the demo's comparison across cohorts and years.

A cohort with follow-ups at +2 and +12 months gets exactly those waves on the participant's
pages, the proxy entry, the comparison links, the reminders, the report (page, XLSX, JSON) and
the import; a cohort left alone keeps 3 and 6 (tests/test_impact_pinned.py pins its figures).
"""

import io
import json
from datetime import date

from openpyxl import load_workbook
from sqlalchemy import func, select

from lms.extensions import db
from lms.impact import links, reminders, rules
from lms.impact.operations import save_answers
from lms.models import Cohort, SurveyLink, SurveyReminder, SurveyResponse
from tests.conftest import enroll_participant, login, make_cohort, make_user
from tests.test_impact import answers, survey

CUSTOM = ["followup-2", "followup-12"]
# The test cohort graduates on 14 Dec 2026: +2 months (60 days) opens on 12 Feb 2027, +12 on 9 Dec 2027.
FOLLOWUP_2_OPEN, FOLLOWUP_3_DAY, FOLLOWUP_12_OPEN = date(2027, 2, 13), date(2027, 3, 15), date(2027, 12, 10)


def custom_world(world) -> dict:
    world["cohort"].followup_months = [2, 12]
    db.session.commit()
    return world


def test_the_waves_and_windows_follow_the_cohort_months():
    windows = rules.wave_windows(date(2026, 11, 2), date(2026, 11, 16), date(2026, 12, 14), (2, 12))
    assert [w.wave for w in windows] == ["baseline", "endline", *CUSTOM]
    assert (windows[2].opens, windows[3].opens) == (date(2027, 2, 12), date(2027, 12, 9))
    assert [w.wave for w in rules.wave_windows(date(2026, 11, 2), date(2026, 11, 16), date(2026, 12, 14))] == [
        "baseline", "endline", "followup-3", "followup-6"]
    assert rules.followup_months_of("followup-12") == 12 and rules.followup_months_of("endline") is None
    assert rules.followup_months_of("followup-x") is None
    assert rules.months_problem([2, 12]) is None and rules.months_problem([]) is None
    assert rules.months_problem([0, 3]) == "range" and rules.months_problem([25]) == "range"
    assert rules.months_problem([6, 3]) == "order" and rules.months_problem([3, 3]) == "order"
    assert rules.months_problem([1, 2, 3, 4, 5]) == "count" and rules.months_problem([1, 2, 3, 24]) is None


def test_a_new_cohort_keeps_three_and_six_months(app):
    cohort = make_cohort()
    assert cohort.followup_months == [3, 6]
    assert rules.cohort_waves(cohort) == ("baseline", "endline", "followup-3", "followup-6")
    assert rules.cohort_waves(Cohort()) == rules.cohort_waves(cohort)  # not saved yet: the default too


def test_participant_and_proxy_pages_offer_the_cohort_waves(client, world):
    world = custom_world(world)
    login(client, world["participant"])
    page = client.get("/survei").get_data(as_text=True)
    assert "Survei lanjutan 2 bulan" in page and "Survei lanjutan 12 bulan" in page
    assert "Survei lanjutan 3 bulan" not in page and "Survei lanjutan 6 bulan" not in page
    assert client.get("/survei/followup-3").status_code == 404
    assert client.get("/survei/followup-12").status_code == 200  # not open yet: the "closed" page
    client.post("/keluar")
    login(client, world["mentor"])
    enrollment_id = world["enrollment"].id
    assert client.get(f"/survei/followup-3/pendaftaran/{enrollment_id}").status_code == 404
    assert client.get(f"/survei/followup-12/pendaftaran/{enrollment_id}").status_code == 200
    assert "Survei lanjutan 12 bulan" in client.get(f"/mentor/peserta/{enrollment_id}").get_data(as_text=True)


def test_answers_to_a_wave_the_cohort_lacks_are_refused(world):
    world = custom_world(world)
    try:
        save_answers(world["participant"], world["cohort"], "followup-3", survey(), answers(1), submit=True)
    except ValueError:
        pass
    else:
        raise AssertionError("followup-3 is not a wave of this cohort")
    save_answers(world["participant"], world["cohort"], "followup-12", survey(), answers(1), submit=True)
    assert db.session.scalar(select(SurveyResponse.wave)) == "followup-12"


def test_reminders_follow_the_cohort_months(client, world):
    world = custom_world(world)
    assert reminders.send_reminders(FOLLOWUP_2_OPEN) == 2
    assert reminders.send_reminders(FOLLOWUP_3_DAY) == 0  # the default +3 months is not this cohort's wave
    assert reminders.send_reminders(FOLLOWUP_12_OPEN) == 2
    waves = db.session.scalars(select(SurveyReminder.wave).distinct().order_by(SurveyReminder.wave)).all()
    assert sorted(waves) == sorted(CUSTOM)
    login(client, world["staff"])
    page = client.get(f"/staf/kohort/{world['cohort'].id}/dampak/pengingat").get_data(as_text=True)
    assert "Survei lanjutan 2 bulan" in page and "Survei lanjutan 12 bulan" in page


def test_comparison_links_follow_the_cohort_months(client, world):
    world = custom_world(world)
    cohort = world["cohort"]
    enroll_participant(make_user(name="Rudi Pembanding"), cohort, status="registered")
    assert links.link_waves(cohort) == ("endline", *CUSTOM)
    login(client, world["staff"])
    page = client.get(f"/staf/kohort/{cohort.id}/dampak/tautan?gelombang=followup-12")
    assert page.status_code == 200 and "Survei lanjutan 2 bulan" in page.get_data(as_text=True)
    assert client.get(f"/staf/kohort/{cohort.id}/dampak/tautan?gelombang=followup-3").status_code == 404
    assert client.post(f"/staf/kohort/{cohort.id}/dampak/tautan", data={"gelombang": "followup-6"}).status_code == 404
    client.post(f"/staf/kohort/{cohort.id}/dampak/tautan", data={"gelombang": "followup-2"})
    assert db.session.scalars(select(SurveyLink.wave)).all() == ["followup-2"]


def test_the_report_page_xlsx_and_json_show_the_cohort_waves(client, runner, world):
    world = custom_world(world)
    cohort = world["cohort"]
    for person, revenue in ((world["participant"], 1_000_000), (world["other_participant"], 2_000_000)):
        for step, wave in enumerate(rules.cohort_waves(cohort)):
            save_answers(person, cohort, wave, survey(), answers(revenue + step * 100_000), submit=True)
    login(client, world["staff"])
    page = client.get(f"/staf/kohort/{cohort.id}/dampak").get_data(as_text=True)
    assert "Survei lanjutan 2 bulan" in page and "Survei lanjutan 12 bulan" in page
    assert "Survei lanjutan 3 bulan" not in page
    book = load_workbook(io.BytesIO(client.get(f"/staf/kohort/{cohort.id}/dampak.xlsx").data))
    rows = list(book["Per gelombang"].iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == ["Survei awal", "Survei akhir", "Survei lanjutan 2 bulan",
                                            "Survei lanjutan 12 bulan"]
    assert rows[4][1:3] == (2, 1_800_000)  # the 12-month wave: two respondents, median of 1.3 and 2.3 million
    result = runner.invoke(args=["lms", "impact", "report", "--cohort", cohort.slug, "--json"])
    assert result.exit_code == 0, result.output
    waves = json.loads(result.output)["waves"]
    assert set(waves) == {"baseline", "endline", *CUSTOM}  # printed with sorted keys
    assert waves["followup-2"]["n"] == 2 and waves["followup-12"]["revenue_median"] == 1_800_000
    text = runner.invoke(args=["lms", "impact", "report", "--cohort", cohort.slug]).output
    assert "respondents_by_wave: baseline=2, endline=2, followup-2=2, followup-12=2" in text


def test_the_import_reads_the_cohort_follow_ups(client, runner, world, tmp_path):
    world = custom_world(world)
    cohort = world["cohort"]
    one, two = ("0" + world[key].phone[3:] for key in ("participant", "other_participant"))
    path = tmp_path / "lanjutan.csv"
    path.write_text("\n".join([
        "No HP;Gelombang;Omzet per bulan;Jumlah karyawan;Kanal penjualan;Legalitas",
        f"{one};lanjutan;1 juta;1;WA;",             # a bare "lanjutan": the cohort's first follow-up
        f"{one};Lanjutan 12 bulan;2 juta;1;WA;",
        f"{two};followup-12;3 juta;1;WA;",
        f"{two};lanjutan 3;3 juta;1;WA;",            # not a wave of this cohort
    ]) + "\n", encoding="utf-8")
    result = runner.invoke(args=["lms", "survey", "import", "--cohort", cohort.slug, str(path)])
    assert result.exit_code == 0, result.output
    assert "lanjutan.csv:5: Gelombang tidak dikenal: 'lanjutan 3' (pakai awal, akhir, lanjutan 2 atau lanjutan 12)" \
        in result.output
    saved = db.session.execute(select(SurveyResponse.user_id, SurveyResponse.wave)
                               .order_by(SurveyResponse.id)).all()
    assert [wave for _user, wave in saved] == ["followup-2", "followup-12", "followup-12"]
    bad = runner.invoke(args=["lms", "survey", "import", "--cohort", cohort.slug, "--wave", "followup-6", str(path)])
    assert bad.exit_code == 2
    login(client, world["staff"])
    upload = client.get(f"/staf/kohort/{cohort.id}/dampak/impor").get_data(as_text=True)
    assert 'value="followup-12"' in upload and 'value="followup-3"' not in upload


def cohort_form(cohort, months: str) -> dict:
    return {"name": cohort.name, "slug": cohort.slug, "course_id": cohort.course_id,
            "start_date": cohort.start_date.isoformat(), "bootcamp_date": cohort.bootcamp_date.isoformat(),
            "graduation_date": cohort.graduation_date.isoformat(), "followup_months": months}


def test_staff_set_the_months_on_the_cohort_form_with_checks(client, world):
    cohort = world["cohort"]
    login(client, world["staff"])
    page = client.get(f"/staf/kohort/{cohort.id}/ubah").get_data(as_text=True)
    assert 'name="followup_months"' in page and 'value="3, 6"' in page
    for typed, message in (("12, 2", "Urutkan bulan dari yang terkecil"), ("0, 6", "antara 1 dan 24"),
                           ("3, 25", "antara 1 dan 24"), ("1, 2, 3, 4, 5", "Paling banyak 4"),
                           ("tiga, enam", "Tulis bulan sebagai angka")):
        response = client.post(f"/staf/kohort/{cohort.id}/ubah", data=cohort_form(cohort, typed))
        html = response.get_data(as_text=True)
        assert response.status_code == 200 and message in html and f'value="{typed}"' in html, typed
        db.session.refresh(cohort)
        assert cohort.followup_months == [3, 6]
    assert client.post(f"/staf/kohort/{cohort.id}/ubah", data=cohort_form(cohort, "2; 12")).status_code == 302
    db.session.refresh(cohort)
    assert cohort.followup_months == [2, 12]
    assert client.post(f"/staf/kohort/{cohort.id}/ubah", data=cohort_form(cohort, "")).status_code == 302
    db.session.refresh(cohort)
    assert cohort.followup_months == [] and rules.cohort_waves(cohort) == ("baseline", "endline")


def test_a_month_whose_wave_has_answers_cannot_be_removed(client, world):
    cohort = world["cohort"]
    save_answers(world["participant"], cohort, "followup-6", survey(), {"omzet": 5}, submit=False)  # a draft counts
    login(client, world["staff"])
    refused = client.post(f"/staf/kohort/{cohort.id}/ubah", data=cohort_form(cohort, "3, 12"))
    assert refused.status_code == 200
    assert "Survei lanjutan 6 bulan sudah punya jawaban" in refused.get_data(as_text=True)
    db.session.refresh(cohort)
    assert cohort.followup_months == [3, 6]
    # Months without answers may change, and new ones may be added around the answered one.
    assert client.post(f"/staf/kohort/{cohort.id}/ubah", data=cohort_form(cohort, "1, 6, 9, 12")).status_code == 302
    db.session.refresh(cohort)
    assert cohort.followup_months == [1, 6, 9, 12]


def test_the_demo_compares_two_cohorts_of_two_years_and_is_safe_to_repeat(app, client):
    from lms import seed
    from lms.impact import queries
    from lms.showcase.demo import ALUMNI_COHORT_SLUG

    demo = seed.seed_demo()
    alumni = db.session.scalar(select(Cohort).where(Cohort.slug == ALUMNI_COHORT_SLUG))
    counted = db.session.scalar(select(func.count()).select_from(SurveyResponse))
    seed.seed_demo()
    assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == counted
    assert alumni.followup_months == [6, 12]
    figures = {cohort.slug: queries.cohort_figures(cohort, survey()) for cohort in (demo, alumni)}
    for slug, f in figures.items():
        assert f["respondents_endline"] > 10 and f["revenue_median_pct_change"] > 0, slug
        assert f["comparison_respondents"] >= 4 and f["did_revenue_median_pct_change"] is not None, slug
    assert figures[ALUMNI_COHORT_SLUG]["respondents_endline"] == 12
    assert figures[ALUMNI_COHORT_SLUG]["excluded_zero_baseline"] == 1
    assert figures[demo.slug]["revenue_median_pct_change"] != figures[ALUMNI_COHORT_SLUG]["revenue_median_pct_change"]
    staff = seed.STAFF[0][0]
    client.post("/masuk", data={"identifier": staff, "password": seed.DEMO_PASSWORD})
    page = client.get(f"/staf/dampak?kohort={demo.id}&kohort={alumni.id}").get_data(as_text=True)
    assert "FTD Demo (2026)" in page and "FTD 2025 (alumni contoh) (2025)" in page
    assert "<svg" in page and "(n=12)" in page
    report = client.get(f"/staf/kohort/{alumni.id}/dampak").get_data(as_text=True)
    assert "Survei lanjutan 12 bulan" in report and "Survei lanjutan 3 bulan" not in report
