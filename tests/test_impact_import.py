"""`lms survey import`: a messy file with known correct figures, imported twice, then reported."""

import json

from sqlalchemy import func, select

from lms.extensions import db
from lms.models import SurveyResponse
from tests.conftest import enroll_participant, make_cohort, make_user

HEADER = "No HP;Gelombang;Omzet per bulan;Jumlah karyawan;Kanal penjualan;Legalitas"


def build(tmp_path):
    cohort = make_cohort("ftd-impor")
    people = {}
    for key, status in [("p1", "active"), ("p2", "active"), ("p3", "active"), ("p4", "graduated"),
                        ("p5", "active"), ("p6", "active"), ("r1", "registered"), ("r2", "registered")]:
        people[key] = make_user(name=key.upper())
        enroll_participant(people[key], cohort, status=status)

    def hp(key):
        return "0" + people[key].phone[3:]  # as people write it: 0857…

    rows = [
        f"{hp('p1')};awal;Rp 1.000.000;1;WA;",
        f"{hp('p1')};Akhir;2 juta;2;WA, Shopee;NIB",
        f"{hp('p2')};baseline;0;1;;",                     # zero baseline
        f"{hp('p2')};endline;1,5 jt;1;;",
        f"{hp('p3')};awal;500 rb;1;;",                    # no endline
        f"{hp('p4')};awal;100rb;1;;",
        f"{hp('p4')};akhir;5.000.000;1;;",
        f"{hp('p4')};akhir;4.000.000;1;;",                 # a correction later in the file: it counts
        f"{hp('p5')};awal;sejuta;1;;",                     # unreadable: reported, not imported
        f"{hp('p5')};akhir;1.000.000;1;;",
        f"{hp('p6')};awal;2.000.000;1;;",
        f"{hp('p6')};akhir;Rp 1.000.000,-;1;;",
        f"{hp('r1')};awal;1.000.000;1;;",
        f"{hp('r1')};akhir;1,1 juta;1;;",
        f"{hp('r2')};awal;1.000.000;1;;",
        f"{hp('r2')};akhir;1.000.000;1;;",
        "0899 1234 5678;awal;1.000.000;1;;",              # not in the cohort
        f"{hp('p3')};akhir;-500000;1;;",                   # negative: reported, not imported
        f"{hp('p3')};sesudah;1.000.000;1;;",               # unknown wave
    ]
    path = tmp_path / "survei.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="cp1252")
    return cohort, people, path


def test_import_reports_bad_rows_and_is_idempotent(app, runner, tmp_path):
    cohort, _people, path = build(tmp_path)
    dry = runner.invoke(args=["lms", "survey", "import", "--cohort", cohort.slug, str(path), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "rows=19 save=15 unchanged=0 errors=4 duplicates=1" in dry.output
    assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == 0
    assert "survei.csv:10: omzet: 'sejuta' tidak bisa dibaca sebagai angka" in dry.output
    assert "tidak terdaftar di kohort ini" in dry.output and "negatif" in dry.output
    assert "Gelombang tidak dikenal: 'sesudah'" in dry.output
    first = runner.invoke(args=["lms", "survey", "import", "--cohort", cohort.slug, str(path)])
    assert "saved=15" in first.output
    again = runner.invoke(args=["lms", "survey", "import", "--cohort", cohort.slug, str(path)])
    assert "save=0 unchanged=15" in again.output and "saved=0" in again.output
    assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == 15
    sources = set(db.session.scalars(select(SurveyResponse.source)))
    assert sources == {"import"}


def test_imported_figures_match_the_hand_computed_ones_key_by_key(app, runner, tmp_path):
    cohort, people, path = build(tmp_path)
    runner.invoke(args=["lms", "survey", "import", "--cohort", cohort.slug, str(path)])
    result = runner.invoke(args=["lms", "impact", "report", "--cohort", cohort.slug, "--json"])
    figures = json.loads(result.output)
    expected = {
        "respondents_baseline": 5, "respondents_endline": 5, "enrolled": 6, "response_rate": 83.3,
        "revenue_paired": 4, "revenue_n": 3, "excluded_zero_baseline": 1,
        "revenue_mean_pct_change": 1316.7,       # (+100 + 3900 − 50) ÷ 3
        "revenue_median_pct_change": 100.0,
        "revenue_pct_change_of_totals": 125.8,   # (7,0 M − 3,1 M) ÷ 3,1 M
        "share_revenue_up": 66.7,
        "jobs_created": 1, "jobs_n": 4,
        "marketplace_onboarded": 1, "channels_n": 4,
        "comparison_respondents": 2, "did_revenue_median_pct_change": 95.0,
    }
    assert {key: figures[key] for key in expected} == expected
    assert figures["legality_gained"] == {"nib": 1, "pirt": 0, "halal": 0, "bpom": 0, "merek": 0}
    assert [(item["phone"], item["pct_change"]) for item in figures["extreme_changes"]] == [
        (people["p4"].phone, 3900.0)]


def test_a_file_without_phone_or_wave_columns_is_refused(app, runner, tmp_path):
    cohort = make_cohort("ftd-impor")
    path = tmp_path / "x.csv"
    path.write_text("Nama;Omzet\nA;1000\n")
    result = runner.invoke(args=["lms", "survey", "import", "--cohort", cohort.slug, str(path)])
    assert result.exit_code == 2 and "phone column" in result.output
    empty = tmp_path / "kosong.csv"
    empty.write_bytes(b"")
    assert runner.invoke(args=["lms", "survey", "import", "--cohort", cohort.slug, str(empty)]).exit_code == 2


def staff_login(client):
    from lms.models import Role
    from tests.conftest import login

    login(client, make_user(Role.STAFF))


def test_staff_page_uploads_shows_the_dry_run_then_imports_once(app, client, tmp_path):
    import io
    import re

    from lms.models import AuditEvent

    cohort, people, path = build(tmp_path)
    staff_login(client)
    response = client.post(f"/staf/kohort/{cohort.id}/dampak/impor",
                           data={"file": (io.BytesIO(path.read_bytes()), "survei.csv"), "wave": ""},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    preview_url = response.headers["Location"]
    page = client.get(preview_url).get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == 0  # a dry run writes nothing
    assert "Bermasalah, tidak diimpor: 4" in page and "tidak bisa dibaca sebagai angka" in page
    assert "Angka tidak boleh negatif" in page and "tidak terdaftar di kohort ini" in page
    assert "Gelombang tidak dikenal" in page
    stored = re.search(r"/impor/([0-9a-f]{32}\.csv)", preview_url).group(1)
    form = dict(re.findall(r'name="(kolom-[\w-]+)" value="(\d+)"', page))
    other = make_cohort("lain")
    assert client.get(f"/staf/kohort/{other.id}/dampak/impor/{stored}").status_code == 404  # another cohort's file
    assert client.get(f"/staf/kohort/{cohort.id}/dampak/impor/..%2Fx.csv").status_code == 404
    done = client.post(f"/staf/kohort/{cohort.id}/dampak/impor/{stored}", data={**form, "gelombang": ""})
    assert done.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == 15
    assert db.session.scalar(select(func.count()).where(AuditEvent.action == "survey.imported")) == 1

    assert client.post(f"/staf/kohort/{cohort.id}/dampak/impor/{stored}", data=form).status_code == 404  # kept no more
    again = client.post(f"/staf/kohort/{cohort.id}/dampak/impor",
                        data={"file": (io.BytesIO(path.read_bytes()), "survei.csv")},
                        content_type="multipart/form-data")
    page = client.get(again.headers["Location"]).get_data(as_text=True)
    assert "Akan disimpan: 0" in page and "Sudah ada, dilewati: 15" in page


def test_staff_page_refuses_a_bad_file_and_can_set_the_columns(app, client, tmp_path):
    import io

    cohort, people, _path = build(tmp_path)
    staff_login(client)
    bad = client.post(f"/staf/kohort/{cohort.id}/dampak/impor", data={"file": (io.BytesIO(b""), "x.csv")},
                      content_type="multipart/form-data")
    assert bad.status_code == 400 and "Berkas kosong" in bad.get_data(as_text=True)
    odd = f"Telp WA;Uang;Orang\n0{people['p1'].phone[3:]};1.000.000;2\n".encode()
    location = client.post(f"/staf/kohort/{cohort.id}/dampak/impor", data={"file": (io.BytesIO(odd), "odd.csv"),
                                                                         "wave": "baseline"},
                           content_type="multipart/form-data").headers["Location"]
    assert "Pilih kolom nomor HP" in client.get(location).get_data(as_text=True)
    page = client.get(location + "&kolom-phone=0&kolom-omzet=1&kolom-karyawan=2").get_data(as_text=True)
    assert "Akan disimpan: 1" in page


def test_the_dry_run_shows_the_row_errors_in_english_on_an_english_page(app, client, tmp_path):
    import io

    cohort, _people, path = build(tmp_path)
    staff_login(client)
    with client.session_transaction() as session:
        session["lang"] = "en"
    response = client.post(f"/staf/kohort/{cohort.id}/dampak/impor",
                           data={"file": (io.BytesIO(path.read_bytes()), "survei.csv"), "wave": ""},
                           content_type="multipart/form-data")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "omzet: &#39;sejuta&#39; cannot be read as a number" in page
    assert "The number cannot be negative." in page and "is not registered in this cohort" in page
    assert "Unknown wave" in page
    assert "tidak bisa dibaca" not in page and "tidak terdaftar" not in page and "Gelombang tidak dikenal" not in page
