"""Survey answers stored in versions, and the cohort report computed from the newest ones."""

import json

from sqlalchemy import func, select

from lms.extensions import db
from lms.impact.operations import save_answers
from lms.impact.report import impact_report
from lms.learn.store import get_content
from lms.models import AuditEvent, SurveyResponse
from tests.conftest import enroll_participant, make_cohort, make_user


def survey():
    return get_content().library.surveys["dampak-umkm"]


def answers(revenue, employees=1, channels=("whatsapp",), legality=()):
    return {"omzet": revenue, "karyawan": employees, "kanal": list(channels), "legalitas": list(legality),
            "pola-konten": 2, "pola-pelanggan": 3, "pola-data": 2, "pola-online": 3}


def test_a_second_answer_is_a_new_version_and_the_newest_counts(app):
    cohort = make_cohort()
    user = make_user()
    enroll_participant(user, cohort)
    save_answers(user, cohort, "baseline", survey(), answers(1_000_000), submit=True)
    save_answers(user, cohort, "endline", survey(), answers(1_500_000), submit=True)
    save_answers(user, cohort, "endline", survey(), answers(3_000_000), submit=True)  # a correction
    rows = db.session.scalars(select(SurveyResponse).where(SurveyResponse.wave == "endline")
                              .order_by(SurveyResponse.version_no)).all()
    assert [(r.version_no, r.answers["omzet"]) for r in rows] == [(1, 1_500_000), (2, 3_000_000)]
    assert impact_report(cohort, survey())["revenue_mean_pct_change"] == 200
    assert db.session.scalar(select(func.count()).where(AuditEvent.action == "survey.submitted")) == 3


def test_a_draft_is_kept_in_place_until_submitted_and_does_not_count(app):
    cohort = make_cohort()
    user = make_user()
    enroll_participant(user, cohort)
    save_answers(user, cohort, "baseline", survey(), {"omzet": 5}, submit=False)
    draft = save_answers(user, cohort, "baseline", survey(), {"omzet": 7}, submit=False)
    assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == 1
    assert impact_report(cohort, survey())["respondents_baseline"] == 0
    submitted = save_answers(user, cohort, "baseline", survey(), answers(9), submit=True)
    assert submitted.id == draft.id and submitted.status == "submitted"


def test_proxy_entry_records_who_entered_it(app):
    cohort = make_cohort()
    user, mentor = make_user(), make_user("mentor")
    enroll_participant(user, cohort, mentor=mentor)
    response = save_answers(user, cohort, "baseline", survey(), answers(1), submit=True, source="proxy",
                            entered_by=mentor)
    assert (response.source, response.entered_by_id) == ("proxy", mentor.id)


def build_cohort_with_comparison(slug="ftd-dampak"):
    cohort = make_cohort(slug)
    people = []
    for number, (base, end, status) in enumerate([(1_000_000, 2_000_000, "active"), (2_000_000, 3_000_000, "active"),
                                                  (0, 1_000_000, "graduated"), (100_000, 5_000_000, "active"),
                                                  (1_000_000, 1_100_000, "registered"),
                                                  (1_000_000, 1_000_000, "registered")]):
        user = make_user(regency_code="1201" if number % 2 else "1271", sector="kuliner")
        enroll_participant(user, cohort, status=status)
        save_answers(user, cohort, "baseline", survey(), answers(base, channels=()), submit=True)
        save_answers(user, cohort, "endline", survey(), answers(end, employees=2, channels=("shopee",),
                                                                legality=("nib",)), submit=True)
        people.append(user)
    silent = make_user()
    enroll_participant(silent, cohort)  # enrolled, never answered: lowers the response rate
    return cohort, people


def test_the_report_separates_participants_from_the_comparison_group(app):
    cohort, people = build_cohort_with_comparison()
    report = impact_report(cohort, survey())
    assert report["respondents_endline"] == 4 and report["enrolled"] == 5 and report["response_rate"] == 80
    assert report["excluded_zero_baseline"] == 1 and report["revenue_n"] == 3
    assert report["revenue_median_pct_change"] == 100  # +100, +50, +4900
    assert report["jobs_created"] == 4 and report["marketplace_onboarded"] == 4
    assert report["legality_gained"]["nib"] == 4
    assert report["comparison_respondents"] == 2
    assert report["comparison"]["revenue_median_pct_change"] == 5
    assert report["did_revenue_median_pct_change"] == 95
    assert [item["phone"] for item in report["extreme_changes"]] == [people[3].phone]


def test_report_filters_by_regency(app):
    cohort, _people = build_cohort_with_comparison()
    medan = impact_report(cohort, survey(), regency_code="1271")
    assert medan["respondents_endline"] == 2  # participants 0 and 2; 4 is comparison


def test_cli_prints_json_rounded_with_the_extreme_changes(app, runner):
    cohort, people = build_cohort_with_comparison()
    result = runner.invoke(args=["lms", "impact", "report", "--cohort", cohort.slug, "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert figures["revenue_mean_pct_change"] == round((100 + 50 + 4900) / 3, 1)
    assert figures["did_revenue_median_pct_change"] == 95
    assert figures["extreme_changes"][0]["phone"] == people[3].phone
    assert runner.invoke(args=["lms", "impact", "report", "--cohort", "tidak-ada"]).exit_code == 1


def test_report_query_count_does_not_grow_with_size(app):
    from sqlalchemy import event

    cohort, _people = build_cohort_with_comparison()
    get_content()
    statements = []

    def count(*_args):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        impact_report(cohort, survey())
        small = len(statements)
        for _ in range(5):
            user = make_user()
            enroll_participant(user, cohort)
            save_answers(user, cohort, "baseline", survey(), answers(5), submit=True)
        statements.clear()
        impact_report(cohort, survey())
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert len(statements) == small


def open_endline_cohort():
    """A cohort whose endline is open today, whatever today is."""
    from datetime import timedelta

    from lms.impact.queries import wib_today
    from lms.models import utcnow

    today = wib_today(utcnow())
    cohort = make_cohort(slug="ftd-terbuka")
    cohort.start_date, cohort.bootcamp_date = today - timedelta(days=60), today - timedelta(days=20)
    cohort.graduation_date = today + timedelta(days=3)
    db.session.commit()
    return cohort


def test_participant_answers_the_open_wave_and_bad_input_keeps_what_was_typed(app, client):
    from tests.conftest import login

    cohort = open_endline_cohort()
    user = make_user()
    enroll_participant(user, cohort)
    login(client, user)
    assert "Survei akhir" in client.get("/").get_data(as_text=True)  # the home page asks for it
    page = client.get("/survei/endline").get_data(as_text=True)
    assert 'name="omzet"' in page and "Shopee" in page
    bad = client.post("/survei/endline", data={"aksi": "kirim", "omzet": "<b>sejuta</b>", "karyawan": "2"})
    body = bad.get_data(as_text=True)
    assert bad.status_code == 400 and "tidak bisa dibaca sebagai angka" in body
    assert 'value="&lt;b&gt;sejuta&lt;/b&gt;"' in body and "<b>sejuta</b>" not in body
    assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == 0

    draft = client.post("/survei/endline", data={"aksi": "simpan", "omzet": "1,5 juta"})
    assert draft.status_code == 302
    assert 'value="1.500.000"' in client.get("/survei/endline").get_data(as_text=True)
    sent = client.post("/survei/endline", data={"aksi": "kirim", "omzet": "2 jt", "karyawan": "3",
                                                "kanal": ["whatsapp", "shopee"], "kanal--dijawab": "1",
                                                "legalitas--dijawab": "1", "pola-konten": "4",
                                                "pola-pelanggan": "4", "pola-data": "3", "pola-online": "5"})
    assert sent.status_code == 302
    response = db.session.scalar(select(SurveyResponse))
    assert (response.status, response.answers["omzet"], response.answers["legalitas"]) == ("submitted", 2_000_000, [])
    assert "Survei akhir" not in client.get("/").get_data(as_text=True)


def test_a_closed_wave_shows_when_it_opened_and_refuses_answers(app, client):
    from tests.conftest import login

    cohort = open_endline_cohort()
    user = make_user()
    enroll_participant(user, cohort)
    login(client, user)
    assert "sudah ditutup" in client.get("/survei/baseline").get_data(as_text=True)
    assert client.post("/survei/baseline", data={"aksi": "kirim", "omzet": "5"}).status_code == 302
    assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == 0


def test_mentor_enters_answers_by_phone_for_their_participant_only(app, client, world):
    from tests.conftest import login

    login(client, world["mentor"])
    url = f"/survei/baseline/pendaftaran/{world['enrollment'].id}"
    assert "atas nama" in client.get(url).get_data(as_text=True)
    client.post(url, data={"aksi": "simpan", "omzet": "750 rb"})
    response = db.session.scalar(select(SurveyResponse))
    assert (response.source, response.entered_by_id, response.answers) == ("proxy", world["mentor"].id,
                                                                           {"omzet": 750_000})
    other = f"/survei/baseline/pendaftaran/{world['other_enrollment'].id}"
    assert client.get(other).status_code == 404


def test_staff_report_page_shows_mean_median_n_comparison_and_checks(app, client, world):
    from tests.conftest import login

    cohort, people = build_cohort_with_comparison()
    login(client, world["staff"])
    page = client.get(f"/staf/kohort/{cohort.id}/dampak").get_data(as_text=True)
    assert "Perubahan omzet per bulan: median" in page and "1.683,3%" in page  # mean of +100, +50, +4900, one decimal
    assert "bukan diundi" in page and "Catatan metode" in page
    assert "Kota Medan" in page


def test_demo_seed_gives_a_full_report_and_is_safe_to_repeat(app, runner):
    from lms import seed

    cohort = seed.seed_demo()
    first = impact_report(cohort, survey())
    seed.seed_demo()
    assert impact_report(cohort, survey()) == first
    assert first["respondents_baseline"] == 18 and first["respondents_endline"] == 17
    assert first["excluded_zero_baseline"] == 1 and first["comparison_respondents"] == 5
    assert [item["phone"] for item in first["extreme_changes"]] == ["+6281200000015"]
    assert first["revenue_mean_pct_change"] > first["revenue_median_pct_change"]


def test_an_english_participant_gets_the_answer_errors_in_english(app, client):
    from tests.conftest import login

    cohort = open_endline_cohort()
    user = make_user()
    enroll_participant(user, cohort)
    login(client, user)
    with client.session_transaction() as session:
        session["lang"] = "en"
    bad = client.post("/survei/endline", data={"aksi": "kirim", "omzet": "sejuta", "karyawan": "-1"})
    body = bad.get_data(as_text=True)
    assert bad.status_code == 400
    assert "&#39;sejuta&#39; cannot be read as a number. For example: Rp 1.500.000, 1,5 juta or 750 rb." in body
    assert "The number cannot be negative." in body
    assert "tidak bisa dibaca" not in body and "negatif" not in body
    assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == 0
