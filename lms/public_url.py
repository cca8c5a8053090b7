"""Absolute links to this site, all built from one setting: LMS_PUBLIC_URL.

QR codes on certificates, activation links in WhatsApp messages and links in
notifications leave the server and are opened later on someone's phone, so they
must carry the address people reach the site at, never the address a request
happened to arrive on (a proxy's, or 127.0.0.1 on the server).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, current_app

DEVELOPMENT_URL = "http://127.0.0.1:5000"


def public_url(endpoint: str, **values) -> str:
    """Return the absolute public URL of an endpoint; works in a request, a job or a CLI command."""
    base = urlsplit(current_app.config["PUBLIC_URL"])
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path.rstrip("/") or "/",
                                       url_scheme=base.scheme)
    return adapter.build(endpoint, values, force_external=True)


def public_link(path: str) -> str:
    """Return an absolute public URL for a site-local path such as "/tugas/3"."""
    return current_app.config["PUBLIC_URL"].rstrip("/") + path


def check_public_url(app: Flask) -> None:
    """Refuse to start outside debug and tests without a real public URL, and refuse a malformed one."""
    url = app.config.get("PUBLIC_URL")
    if not url:
        if not (app.debug or app.testing):
            raise RuntimeError(
                "LMS_PUBLIC_URL is not set. Certificate QR codes and WhatsApp activation links carry this "
                "address, so set it to where people reach the site, e.g. LMS_PUBLIC_URL=https://lms.example.go.id "
                "(or PUBLIC_URL in instance/config.py)."
            )
        app.config["PUBLIC_URL"] = url = DEVELOPMENT_URL
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise RuntimeError(f"LMS_PUBLIC_URL must look like https://lms.example.go.id, not {url!r}.")
