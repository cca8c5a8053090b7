"""Rendered module pages, kept per process and keyed by everything they show.

A module page is the same for every viewer whose ModulePageState is equal, so it is
rendered once per (content version, language, path, state) and then served from a
small LRU. Two things keep one viewer's page from reaching another:

* the render sees only the key: `current_user` is replaced by a role-only viewer and
  the unread count comes from the state, so nothing else about the user can be baked in;
* the CSRF token, the one per-session value, is rendered as a placeholder and put in
  on every response.

Pages with flash messages or a query string are rendered but not kept.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass

from flask import current_app, render_template, request, session
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from lms.i18n import select_locale
from lms.learn.page_state import ModulePageState
from lms.models import RoleFlags

# Random per process, so no content can contain it by accident or on purpose.
CSRF_PLACEHOLDER = f"csrf-placeholder-{secrets.token_hex(16)}"
CSRF_TOKENS_KEPT = 4096  # signed tokens of recent sessions, about 100 bytes each


@dataclass(frozen=True)
class RoleOnlyViewer(RoleFlags):
    """What a cached page may know about its viewer: signed in, and which role."""

    role: str
    is_authenticated: bool = True


class LruCache:
    """A bounded least-recently-used map (thread-safe for the dev server)."""

    def __init__(self, size: int):
        self.size = size
        self.entries: OrderedDict[tuple, object] = OrderedDict()
        self.lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, key: tuple):
        with self.lock:
            value = self.entries.get(key)
            if value is not None:
                self.entries.move_to_end(key)
            return value

    def put(self, key: tuple, value) -> None:
        with self.lock:
            self.entries[key] = value
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)


def app_cache(name: str, size: int) -> LruCache:
    """Return the current app's LRU of this name, made on first use (each app, and so each test, has its own)."""
    cache = current_app.extensions.get(name)
    if cache is None:
        cache = current_app.extensions[name] = LruCache(size)
    return cache


def rendered_pages() -> LruCache:
    """Return this app's page cache of MODULE_PAGE_CACHE_SIZE entries."""
    return app_cache("lms_module_pages", current_app.config["MODULE_PAGE_CACHE_SIZE"])


def viewer_csrf_token() -> str:
    """Return the session's CSRF token, signed once per session and process instead of per request.

    Flask-WTF signs the session's secret afresh on every request (an HMAC and a
    timestamp). With WTF_CSRF_TIME_LIMIT = None the timestamp is never checked, so
    the token signed the first time stays valid for the session, and reusing it
    saves a few percent of the busiest page. With a time limit, sign every time.
    """
    if current_app.config.get("WTF_CSRF_TIME_LIMIT") is not None:
        return generate_csrf()
    tokens = app_cache("lms_csrf_tokens", CSRF_TOKENS_KEPT)
    secret = session.get("csrf_token")
    token = tokens.get((secret,)) if secret is not None else None
    if token is None:
        token = generate_csrf()  # makes the session's secret when it has none yet
        tokens.put((session["csrf_token"],), token)
    return token


def module_page(course, module, previous, following, state: ModulePageState) -> str:
    """Return the module page's HTML for this viewer, from the cache when it may be."""
    # The selector itself, not get_locale(): same answer without parsing a babel Locale.
    locale = select_locale()
    cacheable = (current_app.config["MODULE_PAGE_CACHE_SIZE"] > 0 and not request.query_string
                 and not session.get("_flashes"))
    key = (course.id, course.version, module.id, module.version, locale, request.script_root, request.path, state)
    # Kept split at the token's places, so each response is one join rather than a search.
    parts = rendered_pages().get(key) if cacheable else None
    if parts is None:
        parts = render_template(
            "learn/module.html", course=course, module=module, is_read=state.is_read, page_state=state,
            article=article_html(course, module, previous, following, locale),
            current_user=RoleOnlyViewer(state.role), unread_notices=state.unread_notices,
            csrf_token=lambda: CSRF_PLACEHOLDER,
        ).split(CSRF_PLACEHOLDER)
        if cacheable:
            rendered_pages().put(key, parts)
    return viewer_csrf_token().join(parts)


def article_html(course, module, previous, following, locale: str) -> Markup:
    """Render the part of a module page that is the same for everyone, once per version and language."""
    key = (course.id, course.version, module.id, module.version, locale)
    cache = current_app.extensions.setdefault("lms_article_cache", {})
    if key not in cache:
        html = render_template(
            "learn/_article.html", course=course, module=module, previous=previous, next=following
        )
        cache[key] = Markup(html)  # noqa: S704 - autoescaped template output, not user text
    return cache[key]
