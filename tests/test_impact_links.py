"""Signed single-use survey links: the comparison group answers a wave without an account."""

import re
from datetime import timedelta

from sqlalchemy import func, select

from lms.extensions import db
from lms.impact import links
from lms.impact.operations import save_answers
from lms.impact.report import impact_report
from lms.models import AuditEvent, Role, SurveyLink, SurveyResponse, utcnow
from tests.conftest import enroll_participant, login, make_cohort, make_user
from tests.test_impact import answers, survey

FORM = {"omzet": "1,5 juta", "karyawan": "1", "kanal": ["whatsapp"], "kanal--dijawab": "1",
        "legalitas--dijawab": "1", "aksi": "kirim"}


def comparison_cohort():
    cohort = make_cohort("ftd-banding")
    registrant = make_user(name="Rudi Siregar")
    enroll_participant(registrant, cohort, status="registered")
    save_answers(registrant, cohort, "baseline", survey(), answers(1_000_000), submit=True)
    participant = make_user(name="Peserta Aktif")
    enroll_participant(participant, cohort)
    staff = make_user(Role.STAFF)
    return cohort, registrant, participant, staff


def link_url(client, cohort) -> str:
    page = client.get(f"/staf/kohort/{cohort.id}/dampak/tautan?gelombang=endline").get_data(as_text=True)
    return re.search(r'href="https?://[^/"]+(/survei/tautan/[\w.-]+)"', page).group(1)


def test_staff_make_links_only_for_the_comparison_group_with_whatsapp_text(app, client):
    cohort, registrant, participant, staff = comparison_cohort()
    login(client, staff)
    assert client.post(f"/staf/kohort/{cohort.id}/dampak/tautan", data={"gelombang": "endline"}).status_code == 302
    assert db.session.scalar(select(func.count()).select_from(SurveyLink)) == 1
    page = client.get(f"/staf/kohort/{cohort.id}/dampak/tautan?gelombang=endline").get_data(as_text=True)
    assert "Rudi Siregar" in page and "Peserta Aktif" not in page
    assert "https://wa.me/" in page and "tanpa%20akun" in page
    client.post(f"/staf/kohort/{cohort.id}/dampak/tautan", data={"gelombang": "endline"})
    assert db.session.scalar(select(func.count()).select_from(SurveyLink)) == 1  # a link already sent stays
    assert db.session.scalar(select(func.count()).where(AuditEvent.action == "survey.links_made")) == 2
    assert client.get(f"/staf/kohort/{cohort.id}/dampak/tautan?gelombang=baseline").status_code == 404


def test_a_link_answers_once_without_an_account_and_counts_in_the_comparison(app, client):
    cohort, registrant, _participant, staff = comparison_cohort()
    login(client, staff)
    client.post(f"/staf/kohort/{cohort.id}/dampak/tautan", data={"gelombang": "endline"})
    url = link_url(client, cohort)
    client.post("/keluar")
    anonymous = app.test_client()
    form = anonymous.get(url)
    assert form.status_code == 200 and "Halo, Rudi Siregar" in form.get_data(as_text=True)
    assert "Simpan draf" not in form.get_data(as_text=True)
    bad = anonymous.post(url, data={**FORM, "omzet": "-5"})
    assert bad.status_code == 400 and 'value="-5"' in bad.get_data(as_text=True)
    done = anonymous.post(url, data=FORM)
    assert done.status_code == 200 and "jawaban Anda sudah terkirim" in done.get_data(as_text=True)
    response = db.session.scalar(select(SurveyResponse).where(SurveyResponse.wave == "endline"))
    assert (response.source, response.answers["omzet"], response.user_id) == ("link", 1_500_000, registrant.id)
    again = anonymous.post(url, data=FORM)
    assert again.status_code == 410 and "sudah dipakai" in again.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).where(SurveyResponse.wave == "endline")) == 1
    report = impact_report(cohort, survey())
    assert report["comparison_respondents"] == 1 and report["comparison"]["revenue_median_pct_change"] == 50


def test_forged_renewed_and_expired_links_are_refused(app, client):
    cohort, _registrant, _participant, staff = comparison_cohort()
    login(client, staff)
    client.post(f"/staf/kohort/{cohort.id}/dampak/tautan", data={"gelombang": "endline"})
    url = link_url(client, cohort)
    anonymous = app.test_client()
    assert anonymous.get(url[:-3] + "abc").status_code == 404  # the signature no longer matches
    link = db.session.scalar(select(SurveyLink))
    assert links.link_for_token(links.token_for(link)) == link
    forged = links._serializer().dumps([link.id, "0" * 32])
    assert links.link_for_token(forged) is None  # signed, but not this link's nonce
    link.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    expired = anonymous.post(url, data=FORM)
    assert expired.status_code == 410 and "kedaluwarsa" in expired.get_data(as_text=True)
    client.post(f"/staf/kohort/{cohort.id}/dampak/tautan", data={"gelombang": "endline"})  # renewed: a new nonce
    assert anonymous.get(url).status_code == 404 and anonymous.get(link_url(client, cohort)).status_code == 200
