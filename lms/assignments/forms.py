"""The submission form and the rubric review form."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import MultipleFileField
from wtforms import HiddenField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from lms.assignments import rules
from lms.assignments.operations import SubmissionInput
from lms.choices import select_choices
from lms.forms import BaseForm
from lms.resumable import operations as resumable
from lms.resumable.rules import UploadRefused

TOKEN_PATTERN = r"^[A-Za-z0-9_\-]{16,64}$"  # noqa: S105 - a format, not a secret
FILE_ACCEPT = "image/jpeg,image/png,image/webp,application/pdf,.jpg,.jpeg,.png,.webp,.pdf"
DECISION_CHOICES = (
    (rules.ACCEPTED, _l("Diterima")),
    (rules.NEEDS_REVISION, _l("Perlu revisi")),
)


def stream_size(stream) -> int:
    """Return the size of an uploaded file's stream (spooled to disk by Werkzeug) and rewind it."""
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    return size


def _file_id(value) -> int:
    """Read a file id from a checkbox; anything else becomes 0, which no file has."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def new_client_token() -> str:
    """Return a random token that makes one form send save at most one version."""
    return secrets.token_urlsafe(24)


class SubmissionForm(BaseForm):
    client_token = HiddenField(validators=[
        InputRequired(_l("Formulir kedaluwarsa. Muat ulang halaman lalu kirim lagi.")),
        Regexp(TOKEN_PATTERN, message=_l("Formulir kedaluwarsa. Muat ulang halaman lalu kirim lagi.")),
    ])
    link_url = StringField(_l("Tautan"), validators=[Optional(), Length(max=rules.MAX_LINK_LENGTH)])
    text = TextAreaField(
        _l("Teks"),
        validators=[Length(max=rules.MAX_TEXT_LENGTH, message=_l("Teks terlalu panjang (maksimal 20.000 karakter)."))],
    )
    files = MultipleFileField(_l("Berkas (foto JPEG/PNG/WebP atau PDF)"), render_kw={"accept": FILE_ACCEPT})
    # Names of complete chunked uploads of files queued on the phone (static/upload-queue.js, lms/resumable).
    upload_ids = HiddenField()
    keep_files = SelectMultipleField(
        _l("Pertahankan berkas dari versi sebelumnya"), coerce=_file_id, validate_choice=False,
        widget=ListWidget(prefix_label=False), option_widget=CheckboxInput(), render_kw={"class": "checks"},
    )

    def __init__(self, accepts: frozenset[str], *args, keepable=(), user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.accepts, self.user = accepts, user
        self._resumed: list | None = None
        self._resumed_error: str | None = None
        # Only the kinds the assignment asks for are shown and read.
        for kind, name in (("link", "link_url"), ("text", "text"), ("file", "files"), ("file", "upload_ids")):
            if kind not in accepts:
                delattr(self, name)
        if "file" in accepts and keepable:
            self.keep_files.choices = [(f.id, f.display_name) for f in keepable]
        else:
            delattr(self, "keep_files")
        if not self.client_token.data:
            self.client_token.data = new_client_token()

    @property
    def chosen_files(self) -> list:
        """Return the files actually picked (browsers send an empty part when none is)."""
        if "files" not in self:
            return []
        return [f for f in (self.files.data or []) if f and getattr(f, "filename", "")] + self.resumed_files()

    def resumed_files(self) -> list:
        """Return the complete chunked uploads this form names, opened (a refusal is kept for validate_files)."""
        names = (self.upload_ids.data or "").split() if "upload_ids" in self else []
        if self._resumed is None:
            self._resumed = []
            if names and self.user is not None:
                try:
                    if len(names) > rules.MAX_FILES:
                        raise UploadRefused(_("Paling banyak %(count)s berkas per kiriman.", count=rules.MAX_FILES))
                    self._resumed = resumable.completed_files(self.user, self.client_token.data or "", names)
                except UploadRefused as error:
                    self._resumed_error = str(error)
        return self._resumed

    def submission_input(self) -> SubmissionInput:
        """Return what the participant sent, for operations.submit_work."""
        return SubmissionInput(
            client_token=self.client_token.data,
            link_url=self.link_url.data if "link_url" in self else None,
            text=(self.text.data or "").strip() if "text" in self else None,
            files=self.chosen_files,
            kept_file_ids=self.kept_file_ids(),
        )

    def kept_file_ids(self) -> list[int]:
        """Return the ids of the earlier files the participant ticked to keep."""
        if "keep_files" not in self:
            return []
        return sorted(set(self.keep_files.data or []))

    def validate_keep_files(self, field) -> None:
        """Keep only files offered on this page (a forged id is refused, not ignored)."""
        offered = {value for value, _label in field.choices}
        if any(file_id not in offered for file_id in self.kept_file_ids()):
            raise ValidationError(_l("Berkas yang ingin dipertahankan tidak ditemukan. Muat ulang halaman lalu "
                                     "coba lagi."))

    def validate_link_url(self, field) -> None:
        """Accept only http(s) links, and keep the normal form."""
        if field.data and field.data.strip():
            try:
                field.data = rules.normalize_link(field.data)
            except rules.LinkError as error:
                raise ValidationError(str(error)) from error

    def validate_files(self, _field) -> None:
        """Refuse more files than one version may hold, and any file over the size limit."""
        self.resumed_files()
        if self._resumed_error:
            raise ValidationError(self._resumed_error)
        if len(self.chosen_files) + len(self.kept_file_ids()) > rules.MAX_FILES:
            raise ValidationError(_l("Paling banyak %(count)s berkas per kiriman.", count=rules.MAX_FILES))
        limit_mb = current_app.config["MAX_UPLOAD_MB"]
        too_big = [f for f in self.chosen_files if stream_size(f.stream) > limit_mb * 1024 * 1024]
        if too_big:
            # gettext, not lazy_gettext: a lazy string is Markup to Jinja, and file names are typed by users.
            raise ValidationError(_(
                "Berkas %(names)s terlalu besar. Batasnya %(mb)s MB per berkas. Perkecil fotonya "
                "(lihat petunjuk di bawah), lalu pilih berkasnya lagi. Teks dan tautan Anda tetap tersimpan di "
                "formulir ini.", names=", ".join(f"\"{f.filename}\"" for f in too_big), mb=limit_mb))

    def validate(self, extra_validators=None) -> bool:
        """Check the fields, then refuse an empty submission with a message on the first field."""
        if not super().validate(extra_validators):
            return False
        link = (self.link_url.data or "").strip() if "link_url" in self else ""
        text = (self.text.data or "").strip() if "text" in self else ""
        if not (link or text or self.chosen_files or self.kept_file_ids()):
            first = next(iter(f for f in self if f.name in ("link_url", "text", "files")))
            first.errors = [*first.errors, _l("Kiriman masih kosong. Isi minimal satu: tautan, teks atau berkas.")]
            return False
        return True


class WithdrawForm(BaseForm):
    """Only the CSRF token: taking back a waiting version."""


class ReviewForm(BaseForm):
    """The rubric form; one radio group per criterion is added by review_form_for."""

    # Choices are checked by our own rules, so the messages are ours (and in Indonesian).
    decision = RadioField(
        _l("Keputusan"), choices=select_choices(DECISION_CHOICES), validate_choice=False,
        validators=[InputRequired(_l("Pilih keputusan: diterima atau perlu revisi."))],
    )
    feedback = TextAreaField(_l("Masukan untuk peserta"), validators=[Length(max=5000)])

    criterion_ids: tuple[str, ...] = ()
    snapshot: Mapping = {}  # replaced per form class by review_form_for

    def validate_decision(self, field) -> None:
        """Accept only the two decisions."""
        if not rules.is_valid_decision(field.data):
            raise ValidationError(_l("Pilih keputusan: diterima atau perlu revisi."))

    def validate_feedback(self, field) -> None:
        """Ask for feedback with a revision request: the participant must know what to fix."""
        if self.decision.data == rules.NEEDS_REVISION and not (field.data or "").strip():
            raise ValidationError(_l("Tulis apa yang perlu diperbaiki peserta."))

    def validate(self, extra_validators=None) -> bool:
        """Check the fields, then that every criterion got one of its own level points."""
        valid = super().validate(extra_validators)
        try:
            rules.grade_rubric(self.snapshot, self.scores())
        except rules.RubricError as error:
            for criterion_id in error.missing:
                field = self[f"score-{criterion_id}"]
                if not field.errors:
                    field.errors = [_l("Pilih nilai untuk kriteria ini.")]
            return False
        return valid

    def criterion_fields(self):
        """Yield the radio group of each criterion, in rubric order."""
        for criterion_id in self.criterion_ids:
            yield self[f"score-{criterion_id}"]

    def scores(self) -> dict[str, str]:
        """Return criterion id → the points chosen."""
        return {cid: self[f"score-{cid}"].data for cid in self.criterion_ids}


class CorrectionForm(ReviewForm):
    """The rubric form again, with the reason for correcting the review in force."""

    reason = TextAreaField(_l("Alasan koreksi"), validators=[
        InputRequired(_l("Tulis alasan koreksi.")),
        Length(max=rules.MAX_REASON_LENGTH, message=_l("Alasan terlalu panjang (maksimal 1.000 karakter).")),
    ])

    def validate_reason(self, field) -> None:
        """Refuse a reason of only spaces."""
        if not (field.data or "").strip():
            raise ValidationError(_l("Tulis alasan koreksi."))

    def prefill_from(self, review) -> None:
        """Start from the scores and feedback of the review being corrected."""
        for criterion_id in self.criterion_ids:
            if criterion_id in review.scores:
                self[f"score-{criterion_id}"].data = str(review.scores[criterion_id])
        self.feedback.data = review.feedback


def review_form_for(snapshot: Mapping, base: type[ReviewForm] = ReviewForm, **kwargs) -> ReviewForm:
    """Build the review (or correction) form for a submission's own rubric snapshot (not the current content)."""

    class SnapshotReviewForm(base):
        pass

    ids = []
    for criterion in snapshot.get("criteria", []):
        choices = [
            (str(level["points"]), _("%(points)s poin – %(text)s", points=level["points"], text=level["description"]))
            for level in criterion["levels"]
        ]
        setattr(SnapshotReviewForm, f"score-{criterion['id']}", RadioField(
            criterion["title"], choices=select_choices(choices), validate_choice=False,
            validators=[InputRequired(_l("Pilih nilai untuk kriteria ini."))],
        ))
        ids.append(criterion["id"])
    SnapshotReviewForm.criterion_ids = tuple(ids)
    SnapshotReviewForm.snapshot = snapshot
    return SnapshotReviewForm(**kwargs)


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes (a multiple select is hard to use on a phone)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


SPLIT_MODES = (
    ("keep", _l("Hanya peserta yang belum punya mentor (alokasi yang ada tetap)")),
    ("all", _l("Bagi ulang semua peserta")),
)


class HandAllocationForm(BaseForm):
    mentor_id = SelectField(_l("Alokasikan peserta yang dicentang ke mentor"), coerce=int,
                            validators=[InputRequired(_l("Pilih mentor."))])


class SplitForm(BaseForm):
    """The automatic split's options; sent by GET for the preview, by POST to apply."""

    mentor_ids = MultiCheckboxField(_l("Mentor yang ikut dibagi"), coerce=int, render_kw={"class": "checks"},
                                    validators=[InputRequired(_l("Pilih minimal satu mentor."))])
    mode = RadioField(_l("Peserta yang dibagi"), choices=select_choices(SPLIT_MODES), default="keep",
                      render_kw={"class": "checks"},
                      validators=[InputRequired(_l("Pilih peserta yang dibagi."))])
