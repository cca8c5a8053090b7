"""The knowledge pre-test and post-test: pages, exactly-once results, the certificate gate, and the report."""

import io
import json
import re
import subprocess  # noqa: S404

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from lms.certificates import eligibility
from lms.certificates import operations as certificate_operations
from lms.extensions import db
from lms.knowledge import operations, queries
from lms.knowledge.forms import field_name
from lms.models import AuditEvent, KnowledgeTestResult, ModuleRead, Role
from tests.conftest import enroll_participant, login, make_user
from tests.test_certificates import BEFORE_GRADUATION, complete_course


def course_tests():
    return queries.course_tests("ftd-umkm")


def right_choice(question) -> str:
    return next(iter(question.correct_choice_ids))


def wrong_choice(question) -> str:
    return next(c.id for c in question.choices if not c.correct)


def answers_with(right_share: float) -> dict[str, dict[str, str]]:
    """Answers for every item: the first `right_share` of each module's items right, the rest wrong."""
    answers = {}
    for test in course_tests():
        cut = round(len(test.questions) * right_share)
        answers[test.module_id] = {q.id: right_choice(q) if i < cut else wrong_choice(q)
                                   for i, q in enumerate(test.questions)}
    return answers


def form_of(answers: dict[str, dict[str, str]]) -> dict[str, str]:
    return {field_name(module_id, qid): choice for module_id, given in answers.items() for qid, choice in given.items()}


def result_count(user, phase=None) -> int:
    statement = select(func.count()).select_from(KnowledgeTestResult).where(KnowledgeTestResult.user_id == user.id)
    if phase:
        statement = statement.where(KnowledgeTestResult.phase == phase)
    return db.session.scalar(statement)


def test_a_participant_takes_the_pre_test_once_and_sees_the_score(client, world):
    login(client, world["participant"])
    home = client.get("/").get_data(as_text=True)
    assert "Tes awal pengetahuan" in home and "/tes-pengetahuan/awal" in home
    page = client.get("/tes-pengetahuan/awal").get_data(as_text=True)
    assert page.count('type="radio"') == sum(len(q.choices) for t in course_tests() for q in t.questions)
    assert "Modul 1 · Orientasi" in page and "Kirim tes awal" in page
    form = form_of(answers_with(2 / 3))
    response = client.post("/tes-pengetahuan/awal", data=form)
    assert response.status_code == 302 and response.headers["Location"].endswith("/tes-pengetahuan")
    overview = client.get("/tes-pengetahuan").get_data(as_text=True)
    assert "Nilai Anda 66,7 dari 100." in overview and "sudah dikerjakan" in overview
    result = db.session.scalar(select(KnowledgeTestResult))
    assert result.phase == "pre" and result.scores["orientasi"] == {"version": result.scores["orientasi"]["version"],
                                                                    "points": 2, "items": 3}
    # A double submit (or a retry after a lost reply) changes nothing and says the first counts.
    again = client.post("/tes-pengetahuan/awal", data=form_of(answers_with(1)), follow_redirects=True)
    assert "jawaban pertama yang dihitung" in again.get_data(as_text=True)
    assert result_count(world["participant"]) == 1
    assert db.session.scalar(select(func.count()).where(AuditEvent.action == "knowledge.test_submitted")) == 1
    assert "/tes-pengetahuan/awal" not in client.get("/").get_data(as_text=True)


def test_unanswered_items_keep_what_was_chosen_and_save_nothing(client, world):
    login(client, world["participant"])
    answers = answers_with(1)
    first = course_tests()[0]
    skipped = first.questions[1]
    del answers[first.module_id][skipped.id]
    form = form_of(answers)
    form[field_name("orientasi", first.questions[0].id)] = "zz"  # not a choice of that item: unanswered too
    response = client.post("/tes-pengetahuan/awal", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Masih ada 2 soal yang belum dijawab" in page
    assert page.count("Pilih satu jawaban.") == 2
    kept = field_name(course_tests()[1].module_id, course_tests()[1].questions[0].id)
    assert re.search(rf'name="{re.escape(kept)}" value="{right_choice(course_tests()[1].questions[0])}" checked', page)
    assert result_count(world["participant"]) == 0


def test_the_pre_test_closes_when_learning_starts_and_the_post_test_opens_after_the_last_module(client, world):
    participant = world["participant"]
    db.session.add(ModuleRead(user_id=participant.id, module_id="orientasi", module_version="v"))
    db.session.commit()
    login(client, participant)
    assert client.get("/tes-pengetahuan/awal").status_code == 302
    refused = client.post("/tes-pengetahuan/awal", data=form_of(answers_with(1)), follow_redirects=True)
    assert "sedang tidak dibuka" in refused.get_data(as_text=True) and result_count(participant) == 0
    overview = client.get("/tes-pengetahuan").get_data(as_text=True)
    assert "sudah ditutup" in overview and "dibuka setelah semua modul" in overview
    assert client.get("/tes-pengetahuan/akhir").status_code == 302
    read_everything_but = [m for m in queries.course_module_ids("ftd-umkm") if m != "orientasi"]
    for module_id in read_everything_but:
        db.session.add(ModuleRead(user_id=participant.id, module_id=module_id, module_version="v"))
    db.session.commit()
    assert "Tes akhir pengetahuan" in client.get("/belajar/ftd-umkm").get_data(as_text=True)
    assert client.get("/tes-pengetahuan/akhir").status_code == 200
    assert client.post("/tes-pengetahuan/akhir", data=form_of(answers_with(1))).status_code == 302
    assert result_count(participant, "post") == 1 and result_count(participant, "pre") == 0


def test_submit_is_exactly_once_even_when_called_twice(world):
    cohort, participant = world["cohort"], world["participant"]
    first = operations.submit_test(participant, cohort, "pre", course_tests(), answers_with(0))
    second = operations.submit_test(participant, cohort, "pre", course_tests(), answers_with(1))
    assert first.created and not second.created and second.result.id == first.result.id
    assert second.result.scores["orientasi"]["points"] == 0
    assert result_count(participant) == 1
    with pytest.raises(ValueError, match="unknown phase"):
        operations.submit_test(participant, cohort, "mid", course_tests(), {})


def test_a_lost_race_on_the_unique_key_returns_the_winners_row(world, monkeypatch):
    """Two submits that both saw no row: the loser's INSERT fails on the key and it gets the winner's result."""
    cohort, participant = world["cohort"], world["participant"]
    winner = operations.submit_test(participant, cohort, "post", course_tests(), answers_with(1)).result
    calls = []

    def not_yet_seen(user_id, cohort_id, phase):
        calls.append(phase)
        return None if len(calls) == 1 else db.session.get(KnowledgeTestResult, winner.id)

    monkeypatch.setattr(operations, "_result_of", not_yet_seen)
    outcome = operations.submit_test(participant, cohort, "post", course_tests(), answers_with(0))
    assert not outcome.created and outcome.result.id == winner.id and len(calls) == 2
    assert result_count(participant, "post") == 1


def test_participant_pages_never_show_the_answer_key(client, world):
    login(client, world["participant"])
    bodies = [client.get(path).get_data(as_text=True) for path in ("/", "/tes-pengetahuan", "/tes-pengetahuan/awal")]
    client.post("/tes-pengetahuan/awal", data=form_of(answers_with(0.5)))
    bodies += [client.get("/tes-pengetahuan").get_data(as_text=True)]
    for body in bodies:
        lowered = body.lower()
        assert "correct" not in lowered and "jawaban benar" not in lowered
        for test in course_tests():
            for question in test.questions:
                assert question.explanation_html not in body
                plain = re.sub(r"<[^>]+>", "", question.explanation_html).strip()
                assert plain[:60] not in body


def test_the_cohort_can_hold_the_certificate_until_the_post_test(client, world, monkeypatch):
    monkeypatch.setattr(certificate_operations, "today_wib", lambda: BEFORE_GRADUATION)
    enrollment, cohort = world["enrollment"], world["cohort"]
    complete_course(enrollment)
    assert eligibility.enrollment_eligibility(enrollment)[0].eligible  # off by default
    certificate = certificate_operations.issue_certificate(enrollment, "graduation", issued_by=world["staff"])
    cohort.posttest_required = True
    db.session.commit()
    verdict, missing = eligibility.enrollment_eligibility(enrollment)
    assert not verdict.eligible and any("Tes akhir pengetahuan belum dikerjakan" in line for line in missing)
    row = next(r for r in eligibility.cohort_overview(cohort).rows if r.enrollment.id == enrollment.id)
    assert not row.eligible
    login(client, world["participant"])
    waits = client.get(f"/sertifikat/{certificate.id}/unduh")
    assert waits.status_code == 302 and waits.headers["Location"].endswith("/tes-pengetahuan")
    assert "Kohort Anda mewajibkan tes akhir" in client.get("/tes-pengetahuan").get_data(as_text=True)
    assert client.post("/tes-pengetahuan/akhir", data=form_of(answers_with(1))).status_code == 302
    assert eligibility.enrollment_eligibility(enrollment)[0].eligible
    response = client.get(f"/sertifikat/{certificate.id}/unduh")
    assert response.status_code == 200
    response.close()


def test_staff_switch_the_gate_on_the_cohort_form(client, world):
    login(client, world["staff"])
    cohort = world["cohort"]
    page = client.get(f"/staf/kohort/{cohort.id}/ubah").get_data(as_text=True)
    assert 'name="posttest_required"' in page
    data = {"name": cohort.name, "slug": cohort.slug, "course_id": cohort.course_id,
            "start_date": cohort.start_date.isoformat(), "bootcamp_date": cohort.bootcamp_date.isoformat(),
            "graduation_date": cohort.graduation_date.isoformat(), "posttest_required": "y"}
    assert client.post(f"/staf/kohort/{cohort.id}/ubah", data=data).status_code == 302
    db.session.refresh(cohort)
    assert cohort.posttest_required and not cohort.endline_required


def build_results(world):
    """Participant: pre 1/3 right per module, post 3/3. Other: pre 2/3, post 2/3. A third takes the pre only;
    a withdrawn fourth takes both and is not counted."""
    cohort = world["cohort"]
    operations.submit_test(world["participant"], cohort, "pre", course_tests(), answers_with(1 / 3))
    operations.submit_test(world["participant"], cohort, "post", course_tests(), answers_with(1))
    operations.submit_test(world["other_participant"], cohort, "pre", course_tests(), answers_with(2 / 3))
    operations.submit_test(world["other_participant"], cohort, "post", course_tests(), answers_with(2 / 3))
    third = make_user(name="Peserta Tiga")
    enroll_participant(third, cohort)
    operations.submit_test(third, cohort, "pre", course_tests(), answers_with(0))
    gone = make_user(name="Peserta Mundur")
    enroll_participant(gone, cohort, status="withdrawn")
    operations.submit_test(gone, cohort, "pre", course_tests(), answers_with(0))
    operations.submit_test(gone, cohort, "post", course_tests(), answers_with(0))
    return cohort


def test_report_means_per_module_and_overall_over_paired_participants(world):
    gain = queries.report_section(build_results(world))
    assert (gain["respondents_pre"], gain["respondents_post"], gain["n"]) == (3, 2, 2)
    assert (gain["pre_mean"], gain["post_mean"], gain["gain_mean"]) == (50.0, 83.3, 33.3)
    first = gain["modules"][0]
    assert (first["module"], first["title"], first["n"], first["pre_mean"], first["post_mean"]) == \
        ("orientasi", "Orientasi", 2, 50.0, 83.3)
    assert [row["module"] for row in gain["modules"]] == queries.course_module_ids("ftd-umkm")


def test_report_page_pdf_xlsx_and_json_show_the_same_figures(app, client, runner, world):
    cohort = build_results(world)
    login(client, world["staff"])
    page = client.get(f"/staf/kohort/{cohort.id}/dampak").get_data(as_text=True)
    assert "Tes pengetahuan: nilai awal dan akhir" in page
    assert "Tes awal: 3 peserta · tes akhir: 2 peserta · keduanya: 2 peserta" in page
    assert re.search(r"Semua modul</th><td>50</td><td>83,3</td><td>33,3</td><td>2</td>", page)
    workbook = load_workbook(io.BytesIO(client.get(f"/staf/kohort/{cohort.id}/dampak.xlsx").data))
    sheet = workbook["Tes pengetahuan"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Modul", "Rata-rata tes awal", "Rata-rata tes akhir", "Kenaikan (poin)", "n")
    assert rows[1] == ("Orientasi", 50, 83.3, 33.3, 2) and ("Semua modul", 50, 83.3, 33.3, 2) in rows
    assert workbook.sheetnames[-1] == "Catatan metode"
    pdf = client.get(f"/staf/kohort/{cohort.id}/dampak.pdf").data
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True,  # noqa: S603,S607
                          check=True).stdout.decode()
    assert "Tes pengetahuan: nilai awal dan akhir" in text and re.search(r"Semua modul\s+50\s+83,3\s+33,3\s+2", text)
    result = runner.invoke(args=["lms", "impact", "report", "--cohort", cohort.slug, "--json"])
    figures = json.loads(result.output)["knowledge_gain"]
    assert (figures["pre_mean"], figures["post_mean"], figures["n"], figures["respondents_pre"]) == (50.0, 83.3, 2, 3)
    assert figures["modules"][0]["module"] == "orientasi" and figures["modules"][0]["post_mean"] == 83.3
    plain = runner.invoke(args=["lms", "impact", "report", "--cohort", cohort.slug]).output
    assert "knowledge_gain: pre 50.0 -> post 83.3 (n=2)" in plain


def test_report_without_results_says_nobody_is_paired(client, world):
    login(client, make_user(Role.STAFF))
    page = client.get(f"/staf/kohort/{world['cohort'].id}/dampak").get_data(as_text=True)
    assert "keduanya: 0 peserta" in page and "Semua modul</th><td>–</td>" in page


def test_demo_has_paired_results(app):
    from lms import seed

    cohort = seed.seed_demo()
    gain = queries.report_section(cohort)
    assert gain["n"] == 10 and gain["respondents_pre"] == 12 and gain["post_mean"] > gain["pre_mean"]
    seed.seed_demo()  # idempotent
    assert db.session.scalar(select(func.count()).select_from(KnowledgeTestResult)) == 22


def test_the_person_sees_their_tests_in_their_data_and_erasure_deletes_them(client, world):
    from lms.privacy.operations import erase_person
    from lms.privacy.queries import person_data

    participant = world["participant"]
    operations.submit_test(participant, world["cohort"], "pre", course_tests(), answers_with(1))
    data = person_data(participant)
    assert data["knowledge_tests"][0]["phase"] == "pre" and data["knowledge_tests"][0]["scores"]["orientasi"]
    login(client, participant)
    assert "Tes pengetahuan" in client.get("/data-saya").get_data(as_text=True)
    erase_person(participant, erased_by=world["staff"], reason="Permintaan peserta")
    assert result_count(participant) == 0
