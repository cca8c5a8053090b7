"""Survey reminders: the scheduler reminds once per open, unanswered wave; staff and mentors send them by WhatsApp."""

from datetime import date

from sqlalchemy import func, select

from lms.extensions import db
from lms.impact import reminders
from lms.impact.operations import save_answers
from lms.models import Notification, OutboxMessage, SurveyReminder
from lms.queue import PERIODIC, load_task_modules
from tests.conftest import login
from tests.test_impact import answers, survey

# The world's cohort (tests/conftest.py make_cohort): start 2 Nov, bootcamp 16 Nov, graduation 14 Dec 2026.
DURING_BASELINE = date(2026, 11, 3)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_reminders_go_once_per_wave_and_skip_who_answered(world):
    save_answers(world["other_participant"], world["cohort"], "baseline", survey(), answers(1), submit=True)
    assert reminders.send_reminders(DURING_BASELINE) == 1  # the participant; the other one answered
    notice = db.session.scalar(select(Notification).where(Notification.kind == "survey.reminder"))
    assert notice.user_id == world["participant"].id and notice.link == "/survei/baseline"
    outbox = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "survey.reminder"))
    assert outbox.whatsapp_url.startswith("https://wa.me/") and outbox.status == "logged"
    assert reminders.send_reminders(DURING_BASELINE) == 0  # exactly once per wave
    assert count(SurveyReminder) == 1 and count(Notification) == 1


def test_no_reminder_when_no_wave_is_open(world):
    between = date(2026, 11, 20)  # the baseline closed at the bootcamp (16 Nov); the endline opens on 30 Nov
    assert reminders.send_reminders(between) == 0
    assert reminders.send_reminders(date(2026, 12, 1)) == 2  # the endline: a new wave, a new reminder each


def test_the_periodic_task_is_registered_and_runs(world, monkeypatch):
    load_task_modules()
    task = PERIODIC["impact.survey_reminders"]
    monkeypatch.setattr("lms.impact.tasks.wib_today", lambda _now: DURING_BASELINE)
    assert task.function() == "2 reminder(s)"


def test_staff_and_mentor_lists_show_the_unanswered_with_whatsapp_links(client, world):
    reminders.send_reminders(DURING_BASELINE)
    login(client, world["mentor"])
    page = client.get("/survei/pengingat").get_data(as_text=True)
    assert world["participant"].name in page and world["other_participant"].name not in page
    assert "https://wa.me/" in page
    client.post("/keluar")
    login(client, world["staff"])
    page = client.get(f"/staf/kohort/{world['cohort'].id}/dampak/pengingat").get_data(as_text=True)
    assert world["participant"].name in page and world["other_participant"].name in page
    save_answers(world["participant"], world["cohort"], "baseline", survey(), answers(1), submit=True)
    page = client.get(f"/staf/kohort/{world['cohort'].id}/dampak/pengingat").get_data(as_text=True)
    assert world["participant"].name not in page  # answered: off the list
