"""Locale and timezone selection: Bahasa Indonesia unless the user picked English."""

from flask import current_app, has_request_context, session


def select_locale() -> str:
    """Return the user's chosen language, or Indonesian."""
    # CLI commands and background jobs have no session: they speak the default.
    chosen = session.get("lang") if has_request_context() else None
    if chosen in current_app.config["LANGUAGES"]:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    """Show every time in WIB: the whole province is in Asia/Jakarta."""
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]
