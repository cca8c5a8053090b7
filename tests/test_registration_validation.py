"""The /daftar POST's plain check (forms.check_registration) says what RegistrationForm.validate() says.

The closing rush checks each POST without building the WTForms form; the form still renders
it. These tests hold the two together: for every kind of bad input, in both languages, the
same fields get the same messages in the same order, and a good entry means the same phone
and regency.
"""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from lms.registration import forms
from tests.test_registration import filled, form_page, open_cohort

VALID = {
    "phone": "0812 3456 7890", "name": "Rina Sitompul", "business_name": "Kopi Sidikalang Rina",
    "sector": "kuliner", "regency": "Kabupaten Dairi", "district": "Sidikalang", "heard_from": "dinas",
    "consent": "y", "ref": "", "started": "", "website": "",
}

BAD_INPUTS = {
    "phone invalid": {"phone": "0812-ABC"},
    "phone not Indonesian": {"phone": "+1 415 555 0100"},
    "phone blank": {"phone": ""},
    "phone spaces": {"phone": "   "},
    "phone missing": {"phone": None},
    "phone too long": {"phone": "0812" + "3" * 27},
    "phone valid but too long as typed": {"phone": "  0812 3456 7890" + " " * 20},
    "name blank": {"name": ""},
    "name spaces": {"name": "   "},
    "name missing": {"name": None},
    "name too long": {"name": "x" * 121},
    "business name too long": {"business_name": "y" * 161},
    "business name blank": {"business_name": ""},
    "sector blank": {"sector": ""},
    "sector space": {"sector": " "},
    "sector missing": {"sector": None},
    "sector forged": {"sector": "senjata"},
    "regency unknown": {"regency": "Atlantis"},
    "regency near miss": {"regency": "Kabupaten Dairy"},
    "regency ambiguous word": {"regency": "Tapanuli"},
    "regency too long": {"regency": "k" * 81},
    "regency blank": {"regency": ""},
    "regency missing": {"regency": None},
    "district too long": {"district": "d" * 81},
    "heard from forged": {"heard_from": "radio-gelap"},
    "heard from blank": {"heard_from": ""},
    "consent missing": {"consent": None},
    "consent blank": {"consent": ""},
    "consent false": {"consent": "false"},
    "several at once": {"phone": "12", "name": "", "regency": "Medan Kota Baru", "consent": None},
    "everything missing": dict.fromkeys(VALID),
}

GOOD_INPUTS = {
    "as typed": {},
    "district blank": {"district": ""},
    "district spaces": {"district": "   "},
    "district missing": {"district": None},
    "district at the limit": {"district": "d" * 80},
    "name at the limit": {"name": "x" * 120},
    "phone +62": {"phone": "+62 812-3456-7890"},
    "regency by code": {"regency": "1211"},
    "regency lower case": {"regency": "kota medan"},
    "consent on": {"consent": "on"},
    "honeypot filled (refused elsewhere)": {"website": "http://spam.example"},
}


def posted(overrides: dict) -> MultiDict:
    data = {**VALID, **overrides}
    return MultiDict([(key, value) for key, value in data.items() if value is not None])


def both_checks(app, data: MultiDict, locale: str):
    """Return (WTForms' messages, the plain check's messages, the form, the entry) for one POST body."""
    with app.test_request_context("/daftar", method="POST", data=data):
        from flask import session
        from flask_babel import refresh

        session["lang"] = locale
        refresh()  # the app context may have cached another request's language
        form = forms.RegistrationForm()
        form.validate()
        expected = {name: [str(message) for message in messages] for name, messages in form.errors.items()}
        entry = forms.check_registration(data)
        got = {name: [str(message) for message in messages] for name, messages in entry.errors.items()}
        return expected, got, form, entry


@pytest.mark.parametrize("locale", ["id", "en"])
@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_gets_the_messages_wtforms_gave(app, case, locale):
    expected, got, _form, entry = both_checks(app, posted(BAD_INPUTS[case]), locale)
    assert expected, "the case must be refused by the form too"
    assert got == expected
    assert not entry.valid


def test_the_messages_are_translated(app):
    id_messages = both_checks(app, posted({"phone": "0812-ABC", "consent": None}), "id")[1]
    en_messages = both_checks(app, posted({"phone": "0812-ABC", "consent": None}), "en")[1]
    assert id_messages["phone"] == ["Nomor HP tidak valid. Tulis nomor HP Indonesia, contoh: 0812 3456 7890."]
    assert en_messages["phone"] != id_messages["phone"] and en_messages["consent"] != id_messages["consent"]
    assert en_messages["phone"] == ["Invalid mobile number. Write an Indonesian mobile number, e.g. 0812 3456 7890."]


@pytest.mark.parametrize("case", list(GOOD_INPUTS))
def test_good_input_means_the_same_phone_and_regency(app, case):
    expected, got, form, entry = both_checks(app, posted(GOOD_INPUTS[case]), "id")
    assert expected == got == {}
    assert entry.valid
    assert entry.phone == form.phone.normalized == "+6281234567890"
    assert entry.regency_code == form.regency_code and entry.regency_code is not None


def test_a_refused_post_renders_what_was_typed_with_the_messages_in_english(client, app):
    app.config["REGISTRATION_MIN_FILL_SECONDS"] = 0
    open_cohort()
    with client.session_transaction() as session:
        session["lang"] = "en"
    html = form_page(client)
    response = client.post("/daftar", data=filled(html, phone="0812-ABC", name="Rina <b>Sitompul</b>",
                                                  regency="Atlantis", consent=None))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    with app.test_request_context():
        from flask import session
        from flask_babel import refresh

        session["lang"] = "en"
        refresh()
        entry = forms.check_registration(posted({"phone": "0812-ABC", "regency": "Atlantis", "consent": None}))
        messages = [str(message) for name in ("phone", "regency", "consent") for message in entry.errors[name]]
    for message in messages:
        assert message.replace('"', "&#34;") in page or message in page
    assert 'value="0812-ABC"' in page and "Rina &lt;b&gt;Sitompul&lt;/b&gt;" in page
    assert 'value="Atlantis"' in page
