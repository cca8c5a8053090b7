"""Taking a quiz over HTTP: attempts, autosave, exactly-once submit, results, tampering."""

import re
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from lms.completion import facts_for_users
from lms.config import Defaults
from lms.extensions import db
from lms.models import AuditEvent, QuizAnswer, QuizAttempt, QuizVersion, utcnow
from lms.quiz.demo import right_answer, wrong_answer
from lms.quiz.versions import quiz_for_version
from tests.conftest import login

# offline: answers from a phone still count this long after a time limit, so "overdue" means past it.
OFFLINE_GRACE = timedelta(minutes=Defaults.OFFLINE_QUIZ_GRACE_MINUTES)

COURSE = "ftd-umkm"
MODULE = "penganggaran-iklan"  # every question kind, 25 minutes, 3 attempts


def start(client, module=MODULE) -> QuizAttempt:
    """Start (or reopen) an attempt through the form and return it."""
    response = client.post(f"/belajar/{COURSE}/{module}/kuis/mulai")
    assert response.status_code == 302, response.get_data(as_text=True)
    attempt_id = int(response.headers["Location"].rsplit("/", 1)[1])
    return db.session.get(QuizAttempt, attempt_id)


def form_for(quiz, answers: dict, seq: int) -> dict:
    """Build the quiz form as the page posts it."""
    data = {"seq": str(seq), "shown": [q.id for q in quiz.questions if q.id in answers]}
    for question_id, answer in answers.items():
        data[f"q-{question_id}"] = answer if answer is not None else []
    return data


def all_right(quiz) -> dict:
    return {q.id: right_answer(q) for q in quiz.questions}


def refreshed(attempt: QuizAttempt) -> QuizAttempt:
    db.session.expire_all()
    return db.session.get(QuizAttempt, attempt.id)


@pytest.fixture
def participant_client(client, world):
    login(client, world["participant"])
    return client


def test_full_flow_saves_restores_and_grades(participant_client, world):
    client = participant_client
    attempt = start(client)
    quiz = quiz_for_version(attempt.quiz_version_id)
    page = client.get(f"/kuis/percobaan/{attempt.id}").get_data(as_text=True)
    assert all(f'name="shown" value="{q.id}"' in page for q in quiz.questions)
    answers = all_right(quiz)
    response = client.post(f"/kuis/percobaan/{attempt.id}/simpan", data=form_for(quiz, answers, 1))
    assert response.status_code == 302
    # A reload restores the draft: the isian answer is back in its field.
    page = client.get(f"/kuis/percobaan/{attempt.id}").get_data(as_text=True)
    assert 'value="CPM"' in page and "Jawaban tersimpan." in page
    response = client.post(f"/kuis/percobaan/{attempt.id}/kirim", data={"seq": "2"})
    assert response.status_code == 302
    attempt = refreshed(attempt)
    assert attempt.submitted_at is not None and attempt.score == 100 and attempt.passed
    assert not attempt.auto_submitted
    assert db.session.scalar(select(func.count()).select_from(QuizAnswer)) == len(quiz.questions)
    result = client.get(f"/kuis/percobaan/{attempt.id}").get_data(as_text=True)
    assert "Nilai: 100" in result and "Lulus" in result and "Penjelasan:" in result
    facts = facts_for_users([world["participant"].id], [MODULE])[world["participant"].id]
    assert facts.best_quiz_score[MODULE] == 100.0
    course_page = client.get(f"/belajar/{COURSE}").get_data(as_text=True)
    assert "Kuis lulus (100)" in course_page


def test_failing_score_uses_manifest_pass_mark_and_best_score_counts(participant_client, world):
    client = participant_client
    attempt = start(client)
    quiz = quiz_for_version(attempt.quiz_version_id)
    answers = {q.id: (right_answer(q) if i < 12 else wrong_answer(q)) for i, q in enumerate(quiz.questions)}
    client.post(f"/kuis/percobaan/{attempt.id}/kirim", data={**form_for(quiz, answers, 1), "confirm": "1"})
    first = refreshed(attempt)
    assert first.score == round(100 * 12 / len(quiz.questions), 2) and first.score < 70 and not first.passed
    second = start(client)
    assert second.number == 2
    client.post(f"/kuis/percobaan/{second.id}/kirim", data=form_for(quiz, all_right(quiz), 1))
    third = start(client)
    client.post(f"/kuis/percobaan/{third.id}/kirim", data={**form_for(quiz, {}, 1), "confirm": "1"})
    facts = facts_for_users([world["participant"].id], [MODULE])[world["participant"].id]
    assert facts.best_quiz_score[MODULE] == 100.0


def test_choice_order_is_shuffled_stored_and_kept_on_reload(participant_client):
    client = participant_client
    attempt = start(client)
    quiz = quiz_for_version(attempt.quiz_version_id)
    pages = [client.get(f"/kuis/percobaan/{attempt.id}").get_data(as_text=True) for _ in range(2)]
    for question in quiz.questions:
        if question.kind not in ("single", "multiple"):
            continue
        shown = [re.findall(rf'name="q-{question.id}" value="([a-z]+)"', page) for page in pages]
        assert shown[0] == shown[1] == attempt.choice_order[question.id]
        assert sorted(shown[0]) == [c.id for c in question.choices]


def test_double_start_gives_one_attempt(participant_client):
    first = start(participant_client)
    second = start(participant_client)
    assert first.id == second.id
    assert db.session.scalar(select(func.count()).select_from(QuizAttempt)) == 1


def test_stale_autosave_is_ignored(participant_client):
    client = participant_client
    attempt = start(client)
    quiz = quiz_for_version(attempt.quiz_version_id)
    headers = {"Accept": "application/json"}
    newer = client.post(f"/kuis/percobaan/{attempt.id}/simpan", headers=headers,
                        data=form_for(quiz, {"istilah-cpm": "CPM"}, 5))
    assert newer.get_json()["status"] == "saved"
    older = client.post(f"/kuis/percobaan/{attempt.id}/simpan", headers=headers,
                        data=form_for(quiz, {"istilah-cpm": "CPC"}, 4))
    assert older.status_code == 200 and older.get_json() == {
        "status": "stale", "seq": 5, "message": older.get_json()["message"], "problems": {}}
    attempt = refreshed(attempt)
    assert attempt.draft_answers == {"istilah-cpm": "CPM"} and attempt.draft_seq == 5


def test_stale_form_save_comes_back_filled_in(participant_client):
    client = participant_client
    attempt = start(client)
    quiz = quiz_for_version(attempt.quiz_version_id)
    client.post(f"/kuis/percobaan/{attempt.id}/simpan", data=form_for(quiz, {"istilah-cpm": "CPM"}, 3))
    response = client.post(f"/kuis/percobaan/{attempt.id}/simpan", data=form_for(quiz, {"istilah-cpm": "CPX"}, 2))
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert 'value="CPX"' in page and 'name="seq" value="4"' in page
    assert refreshed(attempt).draft_answers == {"istilah-cpm": "CPM"}


def test_autosave_merges_questions_and_keeps_unreadable_numbers(participant_client):
    client = participant_client
    attempt = start(client)
    quiz = quiz_for_version(attempt.quiz_version_id)
    headers = {"Accept": "application/json"}
    client.post(f"/kuis/percobaan/{attempt.id}/simpan", headers=headers,
                data=form_for(quiz, {"hitung-cpc": "Rp 750"}, 1))
    reply = client.post(f"/kuis/percobaan/{attempt.id}/simpan", headers=headers,
                        data=form_for(quiz, {"hitung-cpa": "lima belas ribu"}, 2)).get_json()
    assert reply["status"] == "saved" and "bukan angka" in reply["problems"]["hitung-cpa"]
    assert refreshed(attempt).draft_answers == {"hitung-cpc": "Rp 750", "hitung-cpa": "lima belas ribu"}
    page = client.get(f"/kuis/percobaan/{attempt.id}").get_data(as_text=True)
    assert "ada huruf" in page  # the problem is shown next to the field, the text is kept
    client.post(f"/kuis/percobaan/{attempt.id}/kirim", data={"seq": "3", "shown": [], "confirm": "1"})
    credits = dict(db.session.execute(select(QuizAnswer.question_id, QuizAnswer.credit)).all())
    assert credits["hitung-cpc"] == 1.0 and credits["hitung-cpa"] == 0.0
    result = client.get(f"/kuis/percobaan/{attempt.id}").get_data(as_text=True)
    assert "tidak bisa dibaca sebagai angka" in result and "lima belas ribu" in result


@pytest.mark.parametrize("mutation", ["unknown_question", "foreign_choice", "two_single_choices", "bad_truefalse"])
def test_tampered_saves_are_refused_and_change_nothing(participant_client, mutation):
    client = participant_client
    attempt = start(client)
    quiz = quiz_for_version(attempt.quiz_version_id)
    client.post(f"/kuis/percobaan/{attempt.id}/simpan", data=form_for(quiz, {"istilah-cpm": "CPM"}, 1))
    data = {
        "unknown_question": {"seq": "2", "shown": ["soal-palsu"], "q-soal-palsu": "a"},
        "foreign_choice": {"seq": "2", "shown": ["roas-di-atas-satu"], "q-roas-di-atas-satu": "a"},
        "two_single_choices": {"seq": "2", "shown": ["radius-bengkel"], "q-radius-bengkel": ["a", "b"]},
        "bad_truefalse": {"seq": "2", "q-total-anggaran-harian": "mungkin"},
    }[mutation]
    for path in ("simpan", "kirim"):
        response = client.post(f"/kuis/percobaan/{attempt.id}/{path}", data=data)
        assert response.status_code == 400
        assert "Muat ulang halaman kuis" in response.get_data(as_text=True) or "satu pilihan" in response.get_data(
            as_text=True)
    json_reply = client.post(f"/kuis/percobaan/{attempt.id}/simpan", data=data, headers={"Accept": "application/json"})
    assert json_reply.status_code == 400 and json_reply.get_json()["status"] == "refused"
    attempt = refreshed(attempt)
    assert attempt.draft_answers == {"istilah-cpm": "CPM"} and attempt.draft_seq == 1 and attempt.submitted_at is None


def test_another_users_attempt_is_404(client, world):
    login(client, world["other_participant"])
    other = start(client)
    client.post("/keluar")
    login(client, world["participant"])
    quiz = quiz_for_version(other.quiz_version_id)
    assert client.get(f"/kuis/percobaan/{other.id}").status_code == 404
    data = form_for(quiz, all_right(quiz), 9)
    for path in ("simpan", "kirim"):
        assert client.post(f"/kuis/percobaan/{other.id}/{path}", data=data).status_code == 404
    other = refreshed(other)
    assert other.draft_answers == {} and other.submitted_at is None


def test_submit_after_deadline_grades_the_draft_and_refuses_new_answers(participant_client):
    client = participant_client
    attempt = start(client)
    quiz = quiz_for_version(attempt.quiz_version_id)
    client.post(f"/kuis/percobaan/{attempt.id}/simpan", data=form_for(quiz, {"istilah-cpm": "CPM"}, 1))
    attempt.deadline_at = utcnow() - timedelta(seconds=1) - OFFLINE_GRACE
    db.session.commit()
    response = client.post(f"/kuis/percobaan/{attempt.id}/kirim", data=form_for(quiz, all_right(quiz), 2),
                           follow_redirects=True)
    assert "Waktu sudah habis" in response.get_data(as_text=True)
    attempt = refreshed(attempt)
    assert attempt.auto_submitted and attempt.submitted_at == attempt.deadline_at
    assert attempt.points == 1.0 and attempt.draft_answers == {"istilah-cpm": "CPM"}


def test_autosave_after_deadline_is_refused_and_the_draft_graded(participant_client):
    client = participant_client
    attempt = start(client)
    quiz = quiz_for_version(attempt.quiz_version_id)
    client.post(f"/kuis/percobaan/{attempt.id}/simpan", data=form_for(quiz, {"istilah-cpm": "CPM"}, 1))
    attempt.deadline_at = utcnow() - timedelta(minutes=1) - OFFLINE_GRACE
    db.session.commit()
    reply = client.post(f"/kuis/percobaan/{attempt.id}/simpan", headers={"Accept": "application/json"},
                        data=form_for(quiz, all_right(quiz), 2)).get_json()
    assert reply["status"] == "expired"
    attempt = refreshed(attempt)
    assert attempt.submitted_at is not None and attempt.points == 1.0


def test_expired_attempt_is_graded_when_next_seen(participant_client):
    client = participant_client
    attempt = start(client)
    quiz = quiz_for_version(attempt.quiz_version_id)
    client.post(f"/kuis/percobaan/{attempt.id}/simpan", data=form_for(quiz, all_right(quiz), 1))
    attempt.deadline_at = utcnow() - timedelta(minutes=5) - OFFLINE_GRACE
    db.session.commit()
    page = client.get(f"/kuis/percobaan/{attempt.id}").get_data(as_text=True)
    assert "otomatis, karena waktu habis" in page and "Nilai: 100" in page
    assert refreshed(attempt).auto_submitted


def test_attempts_beyond_the_limit_are_refused(participant_client):
    client = participant_client
    for _ in range(3):
        attempt = start(client)
        client.post(f"/kuis/percobaan/{attempt.id}/kirim", data={"confirm": "1"})
    response = client.post(f"/belajar/{COURSE}/{MODULE}/kuis/mulai", follow_redirects=True)
    assert "sudah memakai semua 3 percobaan" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(QuizAttempt)) == 3


def test_double_submit_grades_once_and_shows_the_same_result(participant_client):
    client = participant_client
    attempt = start(client)
    quiz = quiz_for_version(attempt.quiz_version_id)
    data = form_for(quiz, all_right(quiz), 1)
    first = client.post(f"/kuis/percobaan/{attempt.id}/kirim", data=data)
    second = client.post(f"/kuis/percobaan/{attempt.id}/kirim", data=form_for(quiz, {}, 2))
    assert first.headers["Location"] == second.headers["Location"]
    assert refreshed(attempt).score == 100
    assert db.session.scalar(select(func.count()).select_from(QuizAnswer)) == len(quiz.questions)
    assert db.session.scalar(select(func.count()).where(AuditEvent.action == "quiz.graded")) == 1
    late_save = client.post(f"/kuis/percobaan/{attempt.id}/simpan", headers={"Accept": "application/json"},
                            data=form_for(quiz, {}, 3))
    assert late_save.get_json()["status"] == "submitted"


def test_concurrent_submits_grade_exactly_once(app, world):
    clients = [app.test_client() for _ in range(4)]
    for client in clients:
        login(client, world["participant"])
        client.get("/")  # records "last seen" now, so the racing requests below only race on the quiz
    attempt = start(clients[0])
    quiz = quiz_for_version(attempt.quiz_version_id)
    data = form_for(quiz, all_right(quiz), 1)
    barrier = threading.Barrier(len(clients))
    statuses = []

    def submit(client):
        with app.app_context():
            barrier.wait()
            response = client.post(f"/kuis/percobaan/{attempt.id}/kirim", data=data)
            statuses.append((response.status_code, response.headers.get("Location")))
            db.session.remove()

    threads = [threading.Thread(target=submit, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [(302, f"/kuis/percobaan/{attempt.id}")] * len(clients)
    db.session.rollback()  # end this thread's read snapshot to see the other threads' writes
    assert db.session.scalar(select(func.count()).select_from(QuizAnswer)) == len(quiz.questions)
    assert db.session.scalar(select(func.count()).where(AuditEvent.action == "quiz.graded")) == 1
    assert refreshed(attempt).score == 100


def test_result_page_renders_from_the_snapshot_not_current_content(participant_client):
    client = participant_client
    attempt = start(client)
    version = db.session.get(QuizVersion, attempt.quiz_version_id)
    snapshot = dict(version.snapshot)
    questions = [dict(q) for q in snapshot["questions"]]
    questions[0]["prompt_html"] = "<p>Soal versi lama yang sudah diubah</p>"
    snapshot["questions"], snapshot["version"] = questions, "lama0001"
    old = QuizVersion(module_id=MODULE, version="lama0001", snapshot=snapshot)
    db.session.add(old)
    db.session.flush()
    attempt.quiz_version_id = old.id
    db.session.commit()
    assert "Soal versi lama" in client.get(f"/kuis/percobaan/{attempt.id}").get_data(as_text=True)
    client.post(f"/kuis/percobaan/{attempt.id}/kirim", data={"confirm": "1"})
    assert "Soal versi lama" in client.get(f"/kuis/percobaan/{attempt.id}").get_data(as_text=True)
    # A new attempt is taken against the current content's version.
    new = start(client)
    assert new.quiz_version_id != old.id
    assert "Soal versi lama" not in client.get(f"/kuis/percobaan/{new.id}").get_data(as_text=True)


def test_only_participants_start_quizzes(client, world):
    login(client, world["mentor"])
    assert client.post(f"/belajar/{COURSE}/{MODULE}/kuis/mulai").status_code == 403
    page = client.get(f"/belajar/{COURSE}/{MODULE}/kuis").get_data(as_text=True)
    assert "Hanya peserta yang mengerjakan kuis" in page


def test_module_without_quiz_or_unknown_module_is_404(participant_client):
    assert participant_client.get(f"/belajar/{COURSE}/tidak-ada/kuis").status_code == 404
    assert participant_client.get("/belajar/kursus-lain/orientasi/kuis").status_code == 404


def test_module_page_shows_quiz_status(participant_client):
    client = participant_client
    page = client.get(f"/belajar/{COURSE}/{MODULE}").get_data(as_text=True)
    assert "Kuis Penganggaran Iklan" in page and "Kerjakan kuis" in page
    start(client)
    page = client.get(f"/belajar/{COURSE}/{MODULE}").get_data(as_text=True)
    assert "Lanjutkan kuis" in page
    assert "Kuis yang belum dikirim" in client.get("/").get_data(as_text=True)


def test_mentor_and_staff_see_attempts_other_mentor_does_not(app, world):
    client = app.test_client()
    login(client, world["participant"])
    attempt = start(client)
    quiz = quiz_for_version(attempt.quiz_version_id)
    client.post(f"/kuis/percobaan/{attempt.id}/kirim", data=form_for(quiz, all_right(quiz), 1))
    enrollment_id = world["enrollment"].id
    for role, listing, result in (("mentor", 200, 200), ("staff", 200, 200), ("other_mentor", 404, 404),
                                  ("other_participant", 403, 404)):
        viewer = app.test_client()
        login(viewer, world[role])
        page = viewer.get(f"/kuis/peserta/{enrollment_id}")
        assert page.status_code == listing, role
        if listing == 200:
            assert "Nilai terbaik: 100" in page.get_data(as_text=True)
        assert viewer.get(f"/kuis/percobaan/{attempt.id}").status_code == result, role


def test_concurrent_starts_open_one_attempt(app, world):
    clients = [app.test_client() for _ in range(4)]
    for client in clients:
        login(client, world["participant"])
        client.get("/")  # records "last seen" now, so the racing requests below only race on the quiz
    barrier = threading.Barrier(len(clients))
    locations = []

    def begin(client):
        with app.app_context():
            barrier.wait()
            locations.append(client.post(f"/belajar/{COURSE}/{MODULE}/kuis/mulai").headers.get("Location"))
            db.session.remove()

    threads = [threading.Thread(target=begin, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    db.session.rollback()
    assert len(set(locations)) == 1 and locations[0].startswith("/kuis/percobaan/")
    assert db.session.scalar(select(func.count()).select_from(QuizAttempt)) == 1


def graded_events(attempt) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "quiz.graded", AuditEvent.object_id == str(attempt.id)))


def test_submit_with_unanswered_questions_asks_first_then_grades_once(participant_client):
    client = participant_client
    attempt = start(client)
    quiz = quiz_for_version(attempt.quiz_version_id)
    first = quiz.questions[0]
    response = client.post(f"/kuis/percobaan/{attempt.id}/kirim",
                           data=form_for(quiz, {first.id: right_answer(first)}, 1))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Masih ada soal yang belum dijawab" in page
    assert f"{len(quiz.questions) - 1} dari {len(quiz.questions)} soal belum dijawab" in page
    # Every empty question is listed by number with a short text and a link back to it; the answered one is not.
    for number, question in enumerate(quiz.questions[1:], start=2):
        assert f'#soal-{question.id}"><strong>Soal {number}</strong>' in page
    assert f"#soal-{first.id}\"" not in page and "<strong>Soal 1</strong>" not in page
    assert "Kembali ke kuis" in page and "Kirim sekarang" in page and 'name="confirm" value="1"' in page
    # Nothing is graded yet, but the posted answer is kept as the draft.
    attempt = refreshed(attempt)
    assert attempt.submitted_at is None and attempt.draft_seq == 1
    assert attempt.draft_answers[first.id] == right_answer(first)
    assert graded_events(attempt) == 0 and db.session.scalar(select(func.count()).select_from(QuizAnswer)) == 0
    # "Kirim sekarang", tapped twice: graded exactly once, from the draft.
    for _ in range(2):
        response = client.post(f"/kuis/percobaan/{attempt.id}/kirim", data={"seq": "2", "confirm": "1"})
        assert response.status_code == 302
    attempt = refreshed(attempt)
    assert attempt.submitted_at is not None and 0 < attempt.score < 10
    assert graded_events(attempt) == 1
    assert db.session.scalar(select(func.count()).select_from(QuizAnswer)) == len(quiz.questions)


def test_going_back_from_the_confirm_step_keeps_the_answers_and_uses_no_attempt(participant_client):
    client = participant_client
    attempt = start(client)
    quiz = quiz_for_version(attempt.quiz_version_id)
    text = next(q for q in quiz.questions if q.kind == "text")
    client.post(f"/kuis/percobaan/{attempt.id}/kirim", data=form_for(quiz, {text.id: "CPM"}, 1))
    page = client.get(f"/kuis/percobaan/{attempt.id}").get_data(as_text=True)
    assert 'value="CPM"' in page and 'name="seq" value="2"' in page and "Kirim dan nilai" in page
    # Answering the rest and sending again needs no confirmation.
    response = client.post(f"/kuis/percobaan/{attempt.id}/kirim", data=form_for(quiz, all_right(quiz), 2))
    assert response.status_code == 302
    attempt = refreshed(attempt)
    assert attempt.number == 1 and attempt.score == 100


def test_confirm_step_refuses_stale_answers_and_skips_an_overdue_attempt(participant_client):
    client = participant_client
    attempt = start(client)
    quiz = quiz_for_version(attempt.quiz_version_id)
    first = quiz.questions[0]
    client.post(f"/kuis/percobaan/{attempt.id}/simpan", data=form_for(quiz, {first.id: right_answer(first)}, 5))
    response = client.post(f"/kuis/percobaan/{attempt.id}/kirim",
                           data=form_for(quiz, {first.id: wrong_answer(first)}, 3))
    assert response.status_code == 409 and refreshed(attempt).submitted_at is None
    assert refreshed(attempt).draft_answers[first.id] == right_answer(first)
    # Once the time is up there is nothing left to decide: the saved draft is graded at once.
    attempt = refreshed(attempt)
    attempt.deadline_at = utcnow() - timedelta(seconds=1) - OFFLINE_GRACE
    db.session.commit()
    response = client.post(f"/kuis/percobaan/{attempt.id}/kirim", data={"seq": "6"})
    assert response.status_code == 302 and refreshed(attempt).submitted_at is not None


def test_english_result_says_correct_and_wrong_not_true_and_false(participant_client):
    client = participant_client
    attempt = start(client)
    quiz = quiz_for_version(attempt.quiz_version_id)
    truefalse = next(q for q in quiz.questions if q.kind == "truefalse")
    answers = all_right(quiz)
    wrong = next(q for q in quiz.questions if q.kind == "single")
    answers[wrong.id] = wrong_answer(wrong)
    client.post(f"/kuis/percobaan/{attempt.id}/kirim", data=form_for(quiz, answers, 1))
    with client.session_transaction() as session:
        session["lang"] = "en"
    page = client.get(f"/kuis/percobaan/{attempt.id}").get_data(as_text=True)
    headings = re.findall(r"<h3>(.*?)</h3>", page, flags=re.S)
    badges = [re.sub(r"<[^>]+>|\s+", " ", heading).split("·")[1].strip() for heading in headings]
    assert set(badges) == {"Correct", "Wrong"} and badges.count("Wrong") == 1
    # A true-false question's choices are still True and False.
    section = page.split(f'id="soal-{truefalse.id}"')[1].split("</section>")[0]
    assert "True" in section and "False" in section
    assert "Attempt</dt>" in page
