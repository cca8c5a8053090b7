"""Queue tasks of the impact area: remind participants of the survey waves that are open and unanswered."""

from flask_babel import lazy_gettext as _l
from huey import crontab

from lms.impact import reminders
from lms.impact.queries import wib_today
from lms.models import utcnow
from lms.queue import periodic_task


# 01:00 UTC is 08:00 WIB: the notice and the WhatsApp list are ready when staff start the day.
@periodic_task("impact.survey_reminders", crontab(hour="1", minute="0"),
               label=_l("Mengingatkan peserta yang belum mengisi survei yang sedang dibuka"),
               when="daily 01:00 UTC (08:00 WIB)")
def send_survey_reminders() -> str:
    """Remind, once per wave, every participant whose survey wave is open and not answered."""
    return f"{reminders.send_reminders(wib_today(utcnow()))} reminder(s)"
