"""Which login and activation failures count against which limits.

Only failures count, so a classroom on one connection logging in correctly is never
refused. A failed login counts three times (settings in lms/config.py):

* per account and address (`LOGIN_RATE_LIMIT`): someone guessing one account from one
  place is slowed at once, while the owner on another connection can still log in;
* per account from everywhere (`LOGIN_RATE_LIMIT_PER_ACCOUNT`), slower, against a
  botnet guessing one account;
* per address, once per distinct account (`LOGIN_FAILED_ACCOUNTS_PER_IP`), against
  password spraying; the moment an address reaches it, staff see an audit event.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, request
from flask_limiter.util import get_remote_address

from lms import audit, phone, throttle
from lms.extensions import db


def account_key(identifier: str) -> str:
    """Return the account a typed identifier names: a normalised phone or a lower-case email."""
    identifier = identifier.strip().lower()
    if "@" not in identifier:
        try:
            identifier = phone.normalize_phone(identifier)
        except phone.InvalidPhone:
            pass
    return identifier[:100]


@dataclass(frozen=True)
class LoginAttempt:
    account: str
    address: str

    @classmethod
    def from_request(cls) -> LoginAttempt:
        """Read the account and the client address from the login POST."""
        return cls(account_key(request.form.get("identifier", "")), get_remote_address() or "")

    def wait_seconds(self) -> int:
        """Return how long this account from this address must wait (0 = may try now)."""
        return max(
            throttle.wait_seconds("LOGIN_RATE_LIMIT", "login", self.account, self.address),
            throttle.wait_seconds("LOGIN_RATE_LIMIT_PER_ACCOUNT", "login-account", self.account),
            throttle.wait_seconds("LOGIN_FAILED_ACCOUNTS_PER_IP", "login-spray", self.address),
        )

    def record_failure(self) -> None:
        """Count a wrong password (or unknown account) against every login limit."""
        throttle.count("LOGIN_RATE_LIMIT", "login", self.account, self.address)
        throttle.count("LOGIN_RATE_LIMIT_PER_ACCOUNT", "login-account", self.account)
        if throttle.first_time("LOGIN_FAILED_ACCOUNTS_PER_IP", "login-spray", self.address, self.account):
            if throttle.count("LOGIN_FAILED_ACCOUNTS_PER_IP", "login-spray", self.address):
                record_spraying(self.address)


def record_spraying(address: str) -> None:
    """Leave an audit event for staff: one address failed on many different accounts."""
    audit.record("login.spraying_blocked", throttle.ClientAddress(address), actor=None,
                 after={"address": address, "limit": current_app.config["LOGIN_FAILED_ACCOUNTS_PER_IP"]})
    db.session.commit()


def activation_wait_seconds() -> int:
    """Return how long this address must wait before trying activation codes again."""
    return throttle.wait_seconds("ACTIVATION_FAILURES_PER_IP", "activation", get_remote_address() or "")


def record_activation_failure() -> None:
    """Count a wrong phone/code pair from this address."""
    throttle.count("ACTIVATION_FAILURES_PER_IP", "activation", get_remote_address() or "")
