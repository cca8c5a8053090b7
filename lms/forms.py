"""The base forms every form in lms/ derives from: WTForms' built-in messages in the request's language.

WTForms ships no Indonesian catalog, so a `Length(max=120)` without a message, an IntegerField given "abc"
or a SelectField given a forged value shows English ("Field cannot be longer than 120 characters.") on an
Indonesian page. Our catalog's rule is "Indonesian text as msgid", so WTForms' English strings cannot be
msgids. Instead `Meta.get_translations` hands WTForms a small translations object that maps each of its
English messages to an Indonesian msgid in our Flask-Babel catalog, translated when the message is made,
in the request's locale (English on an English page). Strings it does not know (the default labels WTForms
derives from field names) pass through unchanged.

A validator's own `message=` still wins: WTForms only asks for its default when none was given.

Flask-WTF's `FileSize` builds its default message with an f-string *before* asking for the translation
("File must be between 0 and 10485760 bytes."), so no fixed msgid can match it: `CatalogTranslations`
recognises its shape and answers with our own message, the sizes written in KB/MB.
"""

from __future__ import annotations

import re

from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Form as PlainForm

# WTForms 3.x and Flask-WTF 1.x default messages → Indonesian msgids. The placeholders are WTForms' own:
# it formats the translated text with them (`% dict(min=..., max=..., length=...)`), so they must stay.
WTFORMS_MESSAGES = {
    # Length (singular and plural share one message: Indonesian has no plural form)
    "Field must be at least %(min)d character long.": _l("Paling sedikit %(min)d karakter."),
    "Field must be at least %(min)d characters long.": _l("Paling sedikit %(min)d karakter."),
    "Field cannot be longer than %(max)d character.": _l("Paling banyak %(max)d karakter."),
    "Field cannot be longer than %(max)d characters.": _l("Paling banyak %(max)d karakter."),
    "Field must be exactly %(max)d character long.": _l("Harus tepat %(max)d karakter."),
    "Field must be exactly %(max)d characters long.": _l("Harus tepat %(max)d karakter."),
    "Field must be between %(min)d and %(max)d characters long.": _l("Harus %(min)d sampai %(max)d karakter."),
    # NumberRange, DateRange
    "Number must be at least %(min)s.": _l("Angka paling kecil %(min)s."),
    "Number must be at most %(max)s.": _l("Angka paling besar %(max)s."),
    "Number must be between %(min)s and %(max)s.": _l("Angka harus antara %(min)s dan %(max)s."),
    "Date must be at least %(min)s.": _l("Tanggal paling awal %(min)s."),
    "Date must be at most %(max)s.": _l("Tanggal paling akhir %(max)s."),
    "Date must be between %(min)s and %(max)s.": _l("Tanggal harus antara %(min)s dan %(max)s."),
    # Required, formats
    "This field is required.": _l("Kolom ini wajib diisi."),
    "Invalid input.": _l("Isian tidak valid."),
    "Invalid email address.": _l("Alamat email tidak valid."),
    "Invalid URL.": _l("Alamat tautan (URL) tidak valid."),
    "Invalid UUID.": _l("UUID tidak valid."),
    "Invalid IP address.": _l("Alamat IP tidak valid."),
    "Invalid Mac address.": _l("Alamat MAC tidak valid."),
    "Field must be equal to %(other_name)s.": _l("Isian harus sama dengan %(other_name)s."),
    "Invalid value, must be one of: %(values)s.": _l("Nilai tidak valid, harus salah satu dari: %(values)s."),
    "Invalid value, can't be any of: %(values)s.": _l("Nilai tidak valid, tidak boleh: %(values)s."),
    "This field cannot be edited.": _l("Kolom ini tidak bisa diubah."),
    "This field is disabled and cannot have a value.": _l("Kolom ini nonaktif dan tidak boleh diisi."),
    # Fields that parse their input
    "Not a valid integer value.": _l("Isi dengan bilangan bulat."),
    "Not a valid decimal value.": _l("Isi dengan angka."),
    "Not a valid float value.": _l("Isi dengan angka."),
    "Not a valid datetime value.": _l("Tanggal dan jam tidak valid."),
    "Not a valid date value.": _l("Tanggal tidak valid."),
    "Not a valid time value.": _l("Jam tidak valid."),
    "Not a valid week value.": _l("Minggu tidak valid."),
    "Not a valid choice.": _l("Pilihan tidak tersedia."),
    "Invalid Choice: could not coerce.": _l("Pilihan tidak tersedia."),
    "Invalid choice(s): one or more data inputs could not be coerced.": _l("Ada pilihan yang tidak tersedia."),
    "'%(value)s' is not a valid choice for this field.": _l("Pilihan tidak tersedia: '%(value)s'."),
    "'%(value)s' are not valid choices for this field.": _l("Pilihan tidak tersedia: '%(value)s'."),
    # Flask-WTF file validators
    "File does not have an approved extension: {extensions}": _l("Jenis berkas tidak diterima. Yang diterima: "
                                                                  "{extensions}"),
    "File does not have an approved extension.": _l("Jenis berkas tidak diterima."),
}


# Flask-WTF's FileSize message, already formatted with the sizes in bytes.
FILE_SIZE_MESSAGE = re.compile(r"File must be between (\d+) and (\d+) bytes\.")


def readable_size(size: int) -> str:
    """Write a size in bytes as the reader would say it (e.g. "10 MB", "512 KB"), in the current locale."""
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= factor:
            return f"{format_decimal(round(size / factor, 1))} {unit}"
    return _("%(count)s byte", count=size)


def file_size_message(min_size: int, max_size: int) -> str:
    """Return FileSize's message in the current locale: the limit in KB or MB, not in bytes."""
    if min_size == 0:
        return _("Berkas terlalu besar. Paling besar %(max)s.", max=readable_size(max_size))
    return _("Ukuran berkas harus antara %(min)s dan %(max)s.", min=readable_size(min_size),
             max=readable_size(max_size))


class CatalogTranslations:
    """WTForms' translations interface (gettext, ngettext) answered from our catalog, in the request's locale."""

    def gettext(self, string: str) -> str:
        """Return WTForms' message in the current locale, or the string itself when it is not one of them."""
        message = WTFORMS_MESSAGES.get(string)
        if message is not None:
            return str(message)
        sizes = FILE_SIZE_MESSAGE.fullmatch(string)  # FileSize raises the text as it is: no %-formatting after
        return file_size_message(int(sizes[1]), int(sizes[2])) if sizes else string

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """Return the plural-aware message; the Indonesian msgid is the same for both forms."""
        return self.gettext(singular if n == 1 else plural)


TRANSLATIONS = CatalogTranslations()


class BaseForm(FlaskForm):
    """A Flask-WTF form (CSRF included) whose built-in messages follow the request's language."""

    class Meta:
        def get_translations(self, form):
            return TRANSLATIONS


class BaseGetForm(PlainForm):
    """A plain WTForms form for GET query strings (no CSRF), with the same translated messages."""

    class Meta:
        def get_translations(self, form):
            return TRANSLATIONS
