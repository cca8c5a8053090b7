"""Pure rules of bootcamp attendance: check-in tokens, the check-in window, lateness, the attendance rate.

Nothing here touches Flask or the database; times are naive UTC datetimes.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

STEP_SECONDS = 30  # the QR code on the check-in screen changes this often
TOKEN_PURPOSE = b"bootcamp-checkin:"


def time_step(epoch_seconds: float, step_seconds: int = STEP_SECONDS) -> int:
    """Return the number of the 30-second step a moment falls in."""
    return int(epoch_seconds // step_seconds)


def _signature(secret: str, session_id: int, step: int) -> str:
    message = TOKEN_PURPOSE + f"{session_id}.{step}".encode()
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()[:16]
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def sign_checkin(secret: str, session_id: int, step: int) -> str:
    """Return the check-in token for a session and time step: "<session>.<step>.<signature>"."""
    return f"{session_id}.{step}.{_signature(secret, session_id, step)}"


def feed_signature(secret: str, cohort_id: int) -> str:
    """Return the signature in a cohort's calendar-feed URL (phone calendars subscribe without logging in)."""
    digest = hmac.new(secret.encode(), f"bootcamp-feed:{cohort_id}".encode(), hashlib.sha256).digest()[:12]
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


# Token checks, in the order the messages are chosen.
TOKEN_OK = "ok"  # noqa: S105 - outcomes of a check, not secrets
TOKEN_FORGED = "forged"  # noqa: S105
TOKEN_OTHER_SESSION = "other_session"  # noqa: S105
TOKEN_EXPIRED = "expired"  # noqa: S105


def check_token(secret: str, token: str, session_id: int, current_step: int) -> str:
    """Tell whether a token is genuine, for this session, and from the current or the previous step."""
    parts = token.split(".")
    if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit():
        return TOKEN_FORGED
    token_session, step = int(parts[0]), int(parts[1])
    if not hmac.compare_digest(_signature(secret, token_session, step), parts[2]):
        return TOKEN_FORGED
    if token_session != session_id:
        return TOKEN_OTHER_SESSION
    if step not in (current_step, current_step - 1):
        return TOKEN_EXPIRED
    return TOKEN_OK


WINDOW_EARLY = "early"
WINDOW_OPEN = "open"
WINDOW_CLOSED = "closed"


def window_state(now: datetime, starts_at: datetime, ends_at: datetime, opens_minutes: int,
                 *, always_open: bool = False) -> str:
    """Say whether participants may check themselves in now: from `opens_minutes` before the start to the end."""
    if always_open:
        return WINDOW_OPEN
    if now < starts_at - timedelta(minutes=opens_minutes):
        return WINDOW_EARLY
    if now > ends_at:
        return WINDOW_CLOSED
    return WINDOW_OPEN


def is_late(checked_in_at: datetime, starts_at: datetime, late_after_minutes: int) -> bool:
    """Tell whether a check-in came after the session's late threshold."""
    return checked_in_at > starts_at + timedelta(minutes=late_after_minutes)


def has_room(capacity: int | None, present: int) -> bool:
    """Tell whether one more person fits: no capacity means no limit."""
    return capacity is None or present < capacity


# A regency is flagged on the staff dashboard below the course's attendance minimum, or this when it sets none.
LOW_ATTENDANCE_PERCENT = 75


def regency_attendance_is_low(attended: int, possible: int, threshold: int) -> bool:
    """Tell whether a regency's attendance rate (check-ins over possible check-ins) is below the threshold."""
    return possible > 0 and attended * 100 < threshold * possible


def mask_phone(local: str) -> str:
    """Hide the middle of a phone number for printed lists: 0812****7890."""
    digits = "".join(ch for ch in local if ch.isdigit() or ch == "+")
    if len(digits) <= 6:
        return "*" * len(digits)
    return digits[:4] + "*" * (len(digits) - 8 if len(digits) > 8 else 2) + digits[-4:]


@dataclass(frozen=True)
class AttendanceStanding:
    """A participant's attendance against the course's minimum (percent), over the sessions held so far."""

    attended: int
    held: int
    minimum: int | None  # None: the course asks for no minimum

    @property
    def applies(self) -> bool:
        """The rule counts only when the course sets a minimum and the cohort has held sessions."""
        return self.minimum is not None and self.held > 0

    @property
    def rate(self) -> float | None:
        return 100.0 * self.attended / self.held if self.held else None

    @property
    def ok(self) -> bool:
        return not self.applies or (self.rate or 0) + 1e-9 >= self.minimum

    def sessions_needed(self) -> int:
        """Return how many more of the held sessions would have had to be attended to meet the minimum."""
        if self.ok:
            return 0
        required = -(-self.minimum * self.held // 100)  # ceiling
        return max(0, required - self.attended)


def attendance_standing(attended: int, held: int, minimum: int | None) -> AttendanceStanding:
    """Build the standing from counts (attended is capped at held)."""
    return AttendanceStanding(min(attended, held), held, minimum)
