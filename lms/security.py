"""Server-side sessions, security headers and role checks."""

import base64
import hashlib
import re
import secrets
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from flask import Flask, abort, current_app, redirect, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select, update
from werkzeug.middleware.proxy_fix import ProxyFix

from lms.database import queued_write_transaction
from lms.extensions import db, login_manager
from lms.models import User, UserSession, token_digest, utcnow

SESSION_TOKEN_KEY = "sid"  # noqa: S105 - a session key name, not a secret
# Recording every request's time would make each page view a database write.
LAST_SEEN_GRANULARITY = timedelta(minutes=10)

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "style-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# offline: the stylesheet is put inline in every page (one round trip on a cold load); the policy
# allows exactly that text by its hash, never 'unsafe-inline'. The service worker and the
# manifest come from this site only.
STYLESHEET = Path(__file__).resolve().parent / "static" / "style.css"


# A comment in the stylesheet, and the line break after it: the "why" notes are for developers, and every
# page carries the inline text (the module page's 14 KB budget). No rule holds "/*" inside a string.
CSS_COMMENT = re.compile(r"/\*.*?\*/\n?", re.S)


def inline_stylesheet() -> tuple[str, str]:
    """Return style.css's text without its comments and its CSP source expression ('sha256-…'), read once per app."""
    state = current_app.extensions.setdefault("lms_inline_css", {})
    if "css" not in state:
        text = CSS_COMMENT.sub("", STYLESHEET.read_text(encoding="utf-8"))
        digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()
        state["css"] = (text, f"'sha256-{digest}'")
    return state["css"]


def content_security_policy() -> str:
    """Return the policy: CONTENT_SECURITY_POLICY plus the inline stylesheet's hash and the worker rules."""
    policy = CONTENT_SECURITY_POLICY.replace("style-src 'self'", f"style-src 'self' {inline_stylesheet()[1]}")
    return f"{policy}; worker-src 'self'; manifest-src 'self'"


class HttpsAwareSessionInterface(SecureCookieSessionInterface):
    """Mark the session cookie Secure whenever the request came over HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"] or request.is_secure)


def init_app(app: Flask) -> None:
    """Install the session interface, the user loader and the response headers."""
    if app.config["PROXY_HOPS"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["PROXY_HOPS"], x_proto=app.config["PROXY_HOPS"])
    app.session_interface = HttpsAwareSessionInterface()
    login_manager.login_view = "auth.login"
    login_manager.login_message = None  # the login page explains itself
    login_manager.session_protection = None  # our server-side sessions do this job
    login_manager.user_loader(load_user_for_session)
    app.after_request(add_security_headers)


def load_user_for_session(user_id: str) -> User | None:
    """Return the user only while the session's server-side row is live."""
    token = session.get(SESSION_TOKEN_KEY)
    if not token or not user_id.isdigit():
        return None
    row = db.session.execute(
        select(User, UserSession)
        .join(UserSession, UserSession.user_id == User.id)
        .where(
            User.id == int(user_id),
            UserSession.token_hash == token_digest(token),
            UserSession.revoked_at.is_(None),
        )
    ).first()
    if row is None or not row.User.active:
        return None
    if utcnow() - row.UserSession.last_seen_at > LAST_SEEN_GRANULARITY or row.User.last_seen_at is None:
        # A deferred SQLite transaction that has already read cannot safely start writing
        # under concurrency ("database is locked" at once); take the write lock first, in the
        # writers' queue (every participant's first page after a pause writes here). Two UPDATEs
        # by id: setting the attributes of the objects, which the queue's first commit expires,
        # would load both rows again first.
        user_id, session_id, now = row.User.id, row.UserSession.id, utcnow()
        with queued_write_transaction():
            db.session.execute(update(UserSession).where(UserSession.id == session_id).values(last_seen_at=now),
                               execution_options={"synchronize_session": False})
            db.session.execute(update(User).where(User.id == user_id).values(last_seen_at=now),
                               execution_options={"synchronize_session": False})
    return row.User


def start_session(user: User) -> None:
    """Log the user in with a fresh server-side session (a new cookie, against fixation)."""
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language
    token = secrets.token_urlsafe(32)
    # Read before the queue's first commit expires the user; the login is also the session's first
    # sighting, so the first page after it need not write last_seen_at (load_user_for_session).
    user_id, now = user.id, utcnow()
    with queued_write_transaction():
        db.session.add(
            UserSession(user_id=user_id, token_hash=token_digest(token), user_agent=request.user_agent.string[:200],
                        last_seen_at=now)
        )
        db.session.execute(update(User).where(User.id == user_id).values(last_login_at=now, last_seen_at=now),
                           execution_options={"synchronize_session": False})
    session[SESSION_TOKEN_KEY] = token
    session.permanent = True
    login_user(user)


def end_session() -> None:
    """Revoke the current server-side session and clear the cookie."""
    token = session.get(SESSION_TOKEN_KEY)
    if token:
        db.session.execute(
            update(UserSession)
            .where(UserSession.token_hash == token_digest(token), UserSession.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )
        db.session.commit()
    logout_user()
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language


def revoke_all_sessions(user: User) -> None:
    """Revoke every live session of a user, in the caller's transaction."""
    db.session.execute(
        update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def add_security_headers(response):
    """Send the headers every response needs."""
    response.headers.setdefault("Content-Security-Policy", content_security_policy())
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


def require_roles(*roles: str) -> Callable[[], object]:
    """Build a before_request hook that lets only the given roles through.

    Anonymous visitors are sent to the login page; signed-in users of another
    role get 403.
    """

    def check_role():
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        if current_user.role not in roles:
            abort(403)
        return None

    return check_role


def is_safe_next(target: str | None) -> bool:
    """Tell whether a `next` value is a local path, never another host."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return False
    return not any(ord(ch) < 32 for ch in target)

