"""Reading the quiz form: answers keyed by the snapshot's question and choice ids.

The quiz page is one form whose questions depend on the attempt's snapshot, so it
is read here by hand rather than declared as a WTForms class. Each question sends
``shown=<question id>`` (so an empty set of ticks still counts as an answer) and
its answer as ``q-<question id>``. CSRF is checked by Flask-WTF for every POST.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from wtforms import IntegerField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from lms.content.schema import Question, Quiz
from lms.forms import BaseForm

ANSWER_PREFIX = "q-"
MAX_TEXT_ANSWER = 300  # longer than any real isian or number answer
# At most this many extra attempts per grant; a mentor who needs more grants again (each is audited).
MAX_EXTRA_ATTEMPTS = 5


@dataclass
class PostedAnswers:
    """What one POST of the quiz form carries, or why it is refused."""

    answers: dict[str, object] = field(default_factory=dict)  # only the questions this post names
    seq: int | None = None
    error: str | None = None

    @property
    def is_empty(self) -> bool:
        return not self.answers


def read_posted_answers(quiz: Quiz, form: MultiDict) -> PostedAnswers:
    """Validate a posted quiz form against the attempt's snapshot; refuse tampering as a whole."""
    posted = PostedAnswers(seq=read_seq(form.get("seq")))
    question_ids = set(form.getlist("shown"))
    question_ids |= {key[len(ANSWER_PREFIX):] for key in form if key.startswith(ANSWER_PREFIX)}
    for question_id in sorted(question_ids):
        question = quiz.question(question_id)
        if question is None:
            posted.error = _("Soal \"%(id)s\" tidak ada di kuis ini. Muat ulang halaman kuis.", id=question_id[:80])
            return posted
        answer, error = read_answer(question, form.getlist(ANSWER_PREFIX + question_id))
        if error:
            posted.error = error
            return posted
        posted.answers[question_id] = answer
    return posted


def read_seq(value: str | None) -> int | None:
    """Read the autosave sequence number; None when missing or not a small positive integer."""
    if value is None or not value.isdigit() or len(value) > 12:
        return None
    return int(value)


def read_answer(question: Question, values: list[str]) -> tuple[object, str | None]:
    """Turn the posted values of one question into its stored answer, or say what is wrong."""
    if question.kind in ("numeric", "text"):
        if len(values) > 1:
            return None, _("Soal \"%(id)s\" hanya menerima satu jawaban.", id=question.id)
        text = values[0].strip() if values else ""
        if len(text) > MAX_TEXT_ANSWER:
            return None, _("Jawaban terlalu panjang (paling banyak %(max)s karakter).", max=MAX_TEXT_ANSWER)
        return text, None
    known = {choice.id for choice in question.choices}
    unknown = [value for value in values if value not in known]
    if unknown:
        return None, _("Pilihan \"%(choice)s\" bukan pilihan soal \"%(id)s\". Muat ulang halaman kuis.",
                       choice=unknown[0][:20], id=question.id)
    if question.kind == "multiple":
        return sorted(set(values)), None
    if len(values) > 1:
        return None, _("Soal \"%(id)s\" hanya boleh dijawab dengan satu pilihan.", id=question.id)
    return (values[0] if values else None), None


class WholeNumberField(IntegerField):
    """An IntegerField whose "not a number" message is ours (WTForms' own is English)."""

    def process_formdata(self, valuelist):
        """Read the typed text as a whole number, or keep it and say it is not one."""
        text = (valuelist or [""])[0].strip()
        self.raw_data = [text]
        if not text:
            self.data = None
            return
        if not text.isascii() or not text.isdigit():
            self.data = None
            raise ValueError(_("Isi angka 1 sampai %(max)s.", max=MAX_EXTRA_ATTEMPTS))
        self.data = int(text)


class GrantAttemptsForm(BaseForm):
    """Staff or a mentor give a participant more attempts at one quiz, saying why."""

    extra = WholeNumberField(_l("Tambah berapa percobaan"), default=1, validators=[
        InputRequired(_l("Isi jumlah percobaan tambahan.")),
        NumberRange(min=1, max=MAX_EXTRA_ATTEMPTS,
                    message=_l("Isi angka 1 sampai %(max)s.", max=MAX_EXTRA_ATTEMPTS)),
    ])
    reason = TextAreaField(_l("Alasan"), validators=[
        DataRequired(_l("Tulis alasannya, misalnya: sinyal putus saat kuis.")),
        Length(min=5, max=500, message=_l("Alasan 5 sampai 500 karakter.")),
    ], filters=[lambda text: text.strip() if isinstance(text, str) else text])
