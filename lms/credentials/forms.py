"""Forms of the credentials area."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import TextAreaField
from wtforms.validators import Length, Optional

from lms.credentials.issuing import MAX_CREDENTIAL_BYTES
from lms.forms import BaseForm


class CredentialCheckForm(BaseForm):
    """Paste a credential or upload its file; a POST, so a large text never sits in a URL or a log."""

    pasted = TextAreaField(_l("Tempel kredensial"), validators=[
        Optional(), Length(max=MAX_CREDENTIAL_BYTES, message=_l("Teks terlalu panjang untuk sebuah kredensial."))])
    upload = FileField(_l("atau pilih berkas kredensial (.jwt atau .json)"))
