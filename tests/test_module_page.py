"""The module page's per-viewer state (one query) and its rendered-page cache."""

import re
import uuid

import pytest
from sqlalchemy import event, select

from lms.extensions import db
from lms.learn.page_cache import LruCache
from lms.learn.page_state import module_page_state
from lms.models import ModuleRead, Notification, QuizAttempt, QuizVersion, Role, Submission, utcnow
from tests.conftest import TEST_PASSWORD, enroll_participant, login, make_cohort, make_user

COURSE, MODULE = "ftd-umkm", "penganggaran-iklan"
URL = f"/belajar/{COURSE}/{MODULE}"


def add_attempt(user, module_id: str, number: int, score: float | None, submitted: bool = True) -> None:
    version = db.session.scalar(select(QuizVersion).where(QuizVersion.module_id == module_id))
    if version is None:
        version = QuizVersion(module_id=module_id, version="v1", snapshot={})
        db.session.add(version)
        db.session.flush()
    db.session.add(QuizAttempt(
        user_id=user.id, course_id=COURSE, module_id=module_id, quiz_version_id=version.id, number=number,
        choice_order={}, submitted_at=utcnow() if submitted else None, score=score,
    ))
    db.session.commit()


def add_submission(user, enrollment, version_no: int, status: str, module_id: str = MODULE) -> None:
    db.session.add(Submission(
        user_id=user.id, enrollment_id=enrollment.id, module_id=module_id, assignment_version="v1",
        assignment_snapshot={}, version_no=version_no, client_token=uuid.uuid4().hex, status=status,
    ))
    db.session.commit()


def add_notice(user, read: bool = False) -> None:
    db.session.add(Notification(user_id=user.id, kind="review.accepted", message="Tugas diterima", link="/",
                                read_at=utcnow() if read else None))
    db.session.commit()


def csrf_of(page: str) -> set[str]:
    return set(re.findall(r'name="csrf_token" value="([^"]+)"', page))


# --- the state query -------------------------------------------------------------

def test_state_of_a_new_participant(world):
    state = module_page_state(world["participant"], COURSE, MODULE)
    assert state.may_read and not state.is_read
    assert (state.unread_notices, state.quiz_attempts, state.quiz_open) == (0, 0, False)
    assert state.quiz_best_score is None and state.assignment_status is None


def test_state_reads_mark_notices_quiz_and_newest_assignment_version(world):
    participant = world["participant"]
    db.session.add(ModuleRead(user_id=participant.id, module_id=MODULE, module_version="v1"))
    add_notice(participant)
    add_notice(participant)
    add_notice(participant, read=True)
    add_attempt(participant, MODULE, 1, 55.0)
    add_attempt(participant, MODULE, 2, 80.5)
    add_attempt(participant, MODULE, 3, None, submitted=False)
    add_attempt(participant, "orientasi", 1, 100.0)  # another module's quiz does not count
    add_submission(participant, world["enrollment"], 1, "submitted")
    add_submission(participant, world["enrollment"], 2, "needs_revision")

    state = module_page_state(participant, COURSE, MODULE)

    assert state.is_read
    assert state.unread_notices == 2
    assert (state.quiz_attempts, state.quiz_open, state.quiz_best_score) == (3, True, 80.5)
    assert state.quiz_passed(70) and not state.quiz_passed(81)
    assert state.assignment_status == "needs_revision"
    assert module_page_state(world["other_participant"], COURSE, MODULE).quiz_attempts == 0


def test_only_own_cohort_course_or_staff_and_mentors_may_read(app, world):
    outsider = make_user(name="Peserta Lain")
    enroll_participant(outsider, make_cohort("kohort-lain", course_id="kursus-lain"))
    withdrawn = make_user(name="Peserta Mundur")
    enroll_participant(withdrawn, world["cohort"], status="withdrawn")

    assert not module_page_state(outsider, COURSE, MODULE).may_read
    assert not module_page_state(withdrawn, COURSE, MODULE).may_read
    assert module_page_state(world["staff"], COURSE, MODULE).may_read
    assert module_page_state(world["mentor"], COURSE, MODULE).may_read


def test_module_page_costs_one_query_beyond_the_session_check(app, client, world):
    login(client, world["participant"])
    client.get(URL)
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        assert client.get(URL).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    # the user behind the session, then the page's state
    assert len(statements) == 2, statements


# --- the rendered-page cache -----------------------------------------------------

def test_viewers_in_the_same_state_share_a_page_but_not_their_details(app, world):
    first, second = app.test_client(), app.test_client()
    login(first, world["participant"])
    login(second, world["other_participant"])

    first_page = first.get(URL).get_data(as_text=True)
    second_page = second.get(URL).get_data(as_text=True)

    assert len(app.extensions["lms_module_pages"]) == 1
    first_tokens, second_tokens = csrf_of(first_page), csrf_of(second_page)
    assert len(first_tokens) == len(second_tokens) == 1 and first_tokens != second_tokens
    assert first_page.replace(first_tokens.pop(), "T") == second_page.replace(second_tokens.pop(), "T")
    for detail in (world["participant"].name, world["participant"].phone, "Bika Ambon Satu"):
        assert detail not in second_page


def test_each_viewer_gets_a_csrf_token_that_works(make_app, app, world):
    checked = make_app(WTF_CSRF_ENABLED=True)
    for participant in (world["participant"], world["other_participant"]):
        client = checked.test_client()
        login_page = client.get("/masuk").get_data(as_text=True)
        client.post("/masuk", data={"csrf_token": csrf_of(login_page).pop(), "identifier": participant.phone,
                                    "password": TEST_PASSWORD})
        first_view = client.get(URL).get_data(as_text=True)
        page = client.get(URL).get_data(as_text=True)  # from the page cache, token reused for the session
        assert csrf_of(page) == csrf_of(first_view)
        assert client.post(f"{URL}/selesai", data={"csrf_token": "tampered"}).status_code == 400
        response = client.post(f"{URL}/selesai", data={"csrf_token": csrf_of(page).pop()})
        assert response.status_code == 302
    db.session.rollback()  # end the test's read snapshot; the other app wrote through its own engine
    assert db.session.scalar(select(db.func.count()).select_from(ModuleRead)) == 2


def test_page_follows_the_viewers_state(client, world):
    participant = world["participant"]
    login(client, participant)
    page = client.get(URL).get_data(as_text=True)
    assert "Saya sudah membaca" in page and "Kerjakan kuis" in page and 'class="badge count"' not in page

    client.post(f"{URL}/selesai")
    add_notice(participant)
    add_attempt(participant, MODULE, 1, 90.0)
    add_submission(participant, world["enrollment"], 1, "accepted")
    page = client.get(URL).get_data(as_text=True)

    assert "Saya sudah membaca" not in page and "Sudah dibaca" in page
    assert 'class="badge count" aria-label="1 belum dibaca">1<' in page
    assert "Nilai terbaik: 90" in page and "Kuis lulus" in page and "Lihat kuis" in page
    assert "Tugas diterima" in page


def test_flash_messages_show_once_and_are_not_cached(client, world):
    login(client, world["participant"])
    response = client.post(f"{URL}/selesai", follow_redirects=True)
    assert "ditandai sudah dibaca" in response.get_data(as_text=True)
    again = client.get(response.request.path).get_data(as_text=True)
    assert "ditandai sudah dibaca" not in again


def test_language_is_part_of_the_page(client, world):
    login(client, world["participant"])
    assert "Saya sudah membaca" in client.get(URL).get_data(as_text=True)
    with client.session_transaction() as session:
        session["lang"] = "en"
    page = client.get(URL).get_data(as_text=True)
    assert "Saya sudah membaca" not in page and 'lang="en"' in page


@pytest.mark.parametrize("role", [Role.STAFF, Role.MENTOR])
def test_staff_and_mentors_get_their_own_navigation(client, world, role):
    login(client, world["participant"])
    client.get(URL)
    reader = world["staff"] if role == Role.STAFF else world["mentor"]
    other = client.application.test_client()
    login(other, reader)
    page = other.get(URL).get_data(as_text=True)
    assert "Saya sudah membaca" not in page
    assert ("Kelola kohort" in page) == (role == Role.STAFF)
    assert ("Antrean penilaian" in page) == (role == Role.MENTOR)


def test_pages_render_the_same_with_the_cache_off(make_app, app, world):
    uncached = make_app(MODULE_PAGE_CACHE_SIZE=0, WTF_CSRF_ENABLED=False).test_client()
    login(uncached, world["participant"])
    cached = app.test_client()
    login(cached, world["participant"])
    first, second = uncached.get(URL).get_data(as_text=True), cached.get(URL).get_data(as_text=True)
    assert first.replace(csrf_of(first).pop(), "T") == second.replace(csrf_of(second).pop(), "T")
    assert "lms_module_pages" not in uncached.application.extensions or \
        not len(uncached.application.extensions["lms_module_pages"])


def test_the_cache_keeps_the_most_recently_used_pages():
    pages = LruCache(2)
    pages.put(("a",), ["A"])
    pages.put(("b",), ["B"])
    pages.get(("a",))
    pages.put(("c",), ["C"])
    assert pages.get(("b",)) is None
    assert pages.get(("a",)) == ["A"] and pages.get(("c",)) == ["C"]
