"""Pure rules of registration: which cohort's window is open, registration numbers, the fill-time check."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from lms.content.surveyparse import SurveyQuestion

# The version of the consent text shown with the form (templates/registration/consent/<version>.html).
# Changing what the text promises (purpose, retention, who processes) means a new version and template:
# every registration stores the version it agreed to.
CONSENT_VERSION = "2026-12-v1"
CONSENT_TEMPLATE = f"registration/consent/{CONSENT_VERSION}.html"

State = Literal["open", "upcoming", "closed"]

# Referral codes as ReferralCode stores them: upper-case letters, digits and dashes.
_REFERRAL = re.compile(r"[A-Z0-9-]{1,32}")
# Baseline measures the form asks (the rest of the baseline wave stays for the survey page).
FORM_MEASURES = ("omzet", "karyawan", "kanal", "legalitas")
FORM_MINDSET_QUESTIONS = 2


@dataclass(frozen=True)
class Window:
    """A cohort's registration window, as the rules see it."""

    cohort_id: int
    opens_on: date | None
    closes_on: date | None
    start_date: date  # newer cohorts win ties


@dataclass(frozen=True)
class WindowState:
    """What the public pages say: open now (cohort_id takes registrations), next window, or nothing planned."""

    state: State
    cohort_id: int | None = None  # the open cohort, else the one whose window opens next, else the last closed


def registration_state(windows: Iterable[Window], today: date) -> WindowState:
    """Return the registration state on `today` (a WIB date).

    The open cohort is the one whose window contains today (both dates set, inclusive);
    when windows overlap the newest cohort (latest start date, then highest id) wins.
    Otherwise the cohort whose window opens soonest after today is "upcoming"; otherwise
    the cohort whose window closed last is "closed" (no next date known).
    """
    planned = [w for w in windows if w.opens_on is not None and w.closes_on is not None]
    open_now = [w for w in planned if w.opens_on <= today <= w.closes_on]
    if open_now:
        best = max(open_now, key=lambda w: (w.start_date, w.cohort_id))
        return WindowState("open", best.cohort_id)
    upcoming = [w for w in planned if w.opens_on > today]
    if upcoming:
        return WindowState("upcoming", min(upcoming, key=lambda w: (w.opens_on, -w.cohort_id)).cohort_id)
    closed = [w for w in planned if w.closes_on < today]
    if closed:
        return WindowState("closed", max(closed, key=lambda w: (w.closes_on, w.cohort_id)).cohort_id)
    return WindowState("closed", None)


def registration_number(start_year: int, enrollment_id: int) -> str:
    """Return the number a registrant is given, e.g. "FTD27-000123" (unique: it carries the enrollment id)."""
    return f"FTD{start_year % 100:02d}-{enrollment_id:06d}"


def mask_registration_number(number: str | None) -> str:
    """Hide all but the prefix and the last two characters, e.g. "FTD27-••••23"."""
    if not number:
        return "••••"
    prefix, _, rest = number.partition("-")
    if not rest:
        return "••••" + number[-2:]
    return f"{prefix}-{'•' * max(len(rest) - 2, 2)}{rest[-2:]}"


def normalize_referral(text: str | None) -> str:
    """Return a ?ref= code the way ReferralCode stores it, or "" when it cannot be one."""
    code = (text or "").strip().upper()
    return code if _REFERRAL.fullmatch(code) else ""


def filled_too_fast(elapsed_seconds: float, minimum_seconds: float) -> bool:
    """Tell whether a form came back sooner than a person could fill it (clock skew: negative counts as fast)."""
    return elapsed_seconds < minimum_seconds


def form_questions(baseline: Sequence[SurveyQuestion]) -> tuple[SurveyQuestion, ...]:
    """Pick the baseline questions the registration form asks: business figures, then two mindset statements."""
    figures = [q for measure in FORM_MEASURES for q in baseline if q.measure == measure]
    mindset = [q for q in baseline if q.measure == "pola_pikir"][:FORM_MINDSET_QUESTIONS]
    return tuple(figures + mindset)
