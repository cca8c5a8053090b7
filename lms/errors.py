"""Friendly error pages in the user's language."""

from flask import Flask, current_app, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

ERROR_TEXTS = {
    400: (_l("Permintaan tidak valid"), _l("Formulir mungkin sudah kedaluwarsa. Muat ulang halaman lalu coba lagi.")),
    403: (_l("Akses ditolak"), _l("Anda tidak punya izin untuk membuka halaman ini.")),
    404: (_l("Halaman tidak ditemukan"), _l("Alamat ini tidak ada, atau bukan milik akun Anda.")),
    405: (_l("Metode tidak diizinkan"), _l("Halaman ini tidak bisa dibuka dengan cara itu.")),
    413: (_l("Berkas terlalu besar"), _l("Ukuran kiriman melebihi batas. Perkecil berkas lalu coba lagi.")),
    429: (_l("Terlalu banyak percobaan"), _l("Tunggu sebentar, lalu coba lagi.")),
    500: (_l("Terjadi kesalahan"), _l("Maaf, ada masalah di server. Tim kami sudah dicatat; coba lagi nanti.")),
}


def init_app(app: Flask) -> None:
    """Register one handler for every HTTP error and for CSRF failures."""
    app.register_error_handler(HTTPException, render_http_error)
    app.register_error_handler(CSRFError, render_csrf_error)
    app.register_error_handler(500, render_server_error)


def render_page(code: int, detail: str | None = None, back_url: str | None = None):
    """Render the error page for a status code."""
    title, message = ERROR_TEXTS.get(code, ERROR_TEXTS[500] if code >= 500 else ERROR_TEXTS[400])
    return render_template("errors/error.html", code=code, title=title, message=detail or message,
                           back_url=back_url), code


def render_http_error(error: HTTPException):
    """Show an HTTP error; redirects and other non-errors pass through."""
    if error.code is None or error.code < 400:
        return error
    if error.code == 413:
        return render_too_large()
    return render_page(error.code)


def render_too_large():
    """Explain the size limit and link back to the form that was sent (its own URL, as a GET)."""
    detail = _("Kiriman ini jauh melebihi batas %(mb)s MB per berkas, jadi tidak bisa dibaca. Kembali ke "
               "formulir, perkecil foto (misalnya kirim dulu lewat WhatsApp ke diri sendiri, lalu simpan), "
               "lalu kirim lagi.", mb=current_app.config.get("MAX_UPLOAD_MB", 10))
    back = request.path if request.method == "POST" else None
    return render_page(413, detail, back_url=back)


def render_csrf_error(_error: CSRFError):
    """Explain a missing or stale CSRF token."""
    return render_page(400)


def render_server_error(_error):
    """Show the 500 page for unexpected exceptions."""
    return render_page(500)
