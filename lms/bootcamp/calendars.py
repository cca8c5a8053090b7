"""A cohort's sessions as iCalendar events (the writing itself is in lms.bootcamp.ics)."""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _

from lms.bootcamp import ics
from lms.models import BootcampSession, Cohort, utcnow


def session_event(session: BootcampSession) -> ics.Event:
    """Turn a session into an event; the UID stays the same across moves, SEQUENCE grows."""
    host = request.host.split(":")[0] or "lms"
    place = session.online_url if session.is_online else ", ".join(
        part for part in (session.venue_name, session.venue_address) if part)
    details = [_("Narasumber: %(speaker)s", speaker=session.speaker) if session.speaker else "",
               session.change_notice, session.map_url]
    return ics.Event(
        uid=f"sesi-{session.id}@{host}", sequence=session.sequence, starts_at=session.starts_at,
        ends_at=session.ends_at, summary=session.title, location=place,
        description="\n".join(d for d in details if d), url=session.online_url or session.map_url,
        cancelled=session.cancelled_at is not None, stamp=session.updated_at)


def cohort_calendar(cohort: Cohort, sessions: list[BootcampSession]) -> str:
    """Return the calendar text of some of a cohort's sessions."""
    return ics.calendar(cohort.name, [session_event(s) for s in sessions], utcnow())
