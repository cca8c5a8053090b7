"""Locale and timezone selection: Bahasa Indonesia unless the user picked English."""

from flask import current_app, has_request_context, session
from flask.globals import _cv_app
from flask_babel import get_translations


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


def current_translations():
    """Return Flask-Babel's translations for this request, looked up once per locale instead of per string.

    A result page asks for ~170 strings; Flask-Babel resolves its context, domain and locale
    (and formats the locale's name) for each. The object is kept beside Flask-Babel's own
    request state, for the locale object it was made for: `force_locale` and `refresh` put
    another locale object there (or none), so they get their own translations as before.
    """
    app_context = _cv_app.get(None)  # Flask-Babel's own lookup goes through the `g` proxy three times a string
    context = getattr(app_context.g, "_flask_babel", None) if app_context is not None else None
    if context is None:
        return get_translations()
    locale, domain = getattr(context, "babel_locale", None), getattr(context, "babel_domain", None)
    kept = getattr(context, "lms_translations", None)
    if locale is not None and kept is not None and kept[0] is locale and kept[1] is domain:
        return kept[2]
    translations = get_translations()  # resolves (and stores) the locale when it was not yet
    context.lms_translations = (getattr(context, "babel_locale", None), getattr(context, "babel_domain", None),
                                translations)
    return translations


def install_template_gettext(app) -> None:
    """Give Jinja the same gettext callables as Flask-Babel's, through current_translations()."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: current_translations().ugettext(s),
        ngettext=lambda s, p, n: current_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: current_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: current_translations().unpgettext(c, s, p, n),
    )
