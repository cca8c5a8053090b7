"""The report's outputs: SVG charts on the page, the PDF, the XLSX, several cohorts side by side."""

import io
import subprocess  # noqa: S404

from openpyxl import load_workbook

from lms.certificates.rendering import get_renderer
from lms.extensions import db
from lms.impact.indicators import Answer, Person, revenue_distribution, wave_summary
from lms.impact.operations import save_answers
from lms.models import AuditEvent, Role
from tests.conftest import login, make_user
from tests.test_impact import answers, build_cohort_with_comparison, survey

HOSTILE = '=HYPERLINK("http://evil.example/x") <img src="http://evil.example/p.png"> <b>x</b>'


def test_wave_summary_counts_each_wave_on_its_own_respondents():
    people = [Person("a", Answer(revenue=1, channels=frozenset(), legality=frozenset()),
                     Answer(revenue=3, channels=frozenset({"shopee"}), legality=frozenset({"nib"})),
                     followups={"followup-3": Answer(revenue=5)}),
              Person("b", Answer(revenue=3, employees=2), None)]
    summary = wave_summary(people)
    assert summary["baseline"]["n"] == 2 and summary["baseline"]["revenue_median"] == 2
    assert summary["baseline"]["employees_n"] == 1 and summary["baseline"]["employees_mean"] == 2
    assert summary["endline"]["online_market_share"] == 100 and summary["endline"]["legality_share"]["nib"] == 100
    assert summary["baseline"]["online_market_share"] == 0
    assert summary["followup-3"]["revenue_median"] == 5 and summary["followup-6"]["n"] == 0
    assert summary["followup-6"]["revenue_median"] is None
    assert revenue_distribution(people, "baseline") == [0, 2, 0, 0, 0, 0]
    assert revenue_distribution([Person("c", Answer(revenue=0), None)], "baseline")[0] == 1


def staff_client(app, client, _world=None):
    """Log a new staff member in (the same factory as the cohort's people, so phones never collide)."""
    login(client, make_user(Role.STAFF))
    return client


def test_report_page_draws_charts_and_links_its_files(app, client):
    cohort, people = build_cohort_with_comparison()
    save_answers(people[0], cohort, "followup-3", survey(), answers(2_500_000), submit=True)
    page = staff_client(app, client).get(f"/staf/kohort/{cohort.id}/dampak").get_data(as_text=True)
    assert page.count("<svg") == 5 and "Survei lanjutan 3 bulan" in page
    assert f"/staf/kohort/{cohort.id}/dampak.pdf" in page and f"/staf/kohort/{cohort.id}/dampak.xlsx" in page
    assert 'aria-current="page">Dampak' in page  # the cohort navigation knows the page
    nav = client.get(f"/staf/kohort/{cohort.id}/ekspor").get_data(as_text=True)
    assert f'href="/staf/kohort/{cohort.id}/dampak"' in nav


def test_pdf_has_the_figures_and_hostile_text_stays_text(app, client):
    cohort, _people = build_cohort_with_comparison()
    cohort.name = HOSTILE
    db.session.commit()
    refused_before = get_renderer().fetch_log.refused_count
    response = staff_client(app, client).get(f"/staf/kohort/{cohort.id}/dampak.pdf")
    assert response.status_code == 200 and response.content_type == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    text = subprocess.run(["pdftotext", "-", "-"], input=response.data, capture_output=True,  # noqa: S603,S607
                          check=True).stdout.decode()
    assert "DINAS KOPERASI DAN UKM" in text and "Catatan metode" in text
    assert '<img src="http://evil.example/p.png">' in text.replace("\n", " ")  # printed, not fetched
    assert get_renderer().fetch_log.refused_count == refused_before  # nothing outside certificates/ was tried
    assert db.session.query(AuditEvent).filter_by(action="access.impact_report").count() == 1


def test_xlsx_has_every_figure_anonymised_pairs_and_no_formulas(app, client):
    cohort, people = build_cohort_with_comparison()
    cohort.name = HOSTILE
    db.session.commit()
    response = staff_client(app, client).get(f"/staf/kohort/{cohort.id}/dampak.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    figures = list(book["Indikator"].iter_rows(values_only=True))
    assert figures[1][:2] == ("Kohort", HOSTILE)
    assert book["Indikator"]["B2"].data_type == "s"  # text, never a formula
    assert ("Perubahan omzet per bulan: median (%)", 100, 3) in figures
    paired = list(book["Data berpasangan"].iter_rows(values_only=True))
    assert len(paired) == 1 + 4  # header + the four participants with both waves (not the comparison group)
    flat = " ".join(str(cell) for row in paired for cell in row)
    assert all(person.phone not in flat and person.name not in flat for person in people)
    assert "Per gelombang" in book.sheetnames and "Catatan metode" in book.sheetnames
    for sheet in book.worksheets:  # every sheet: frozen header and widths fitted to the longest text
        assert sheet.freeze_panes == "A2"
        assert sheet.column_dimensions["A"].width >= len(str(sheet["A1"].value)) + 2
    assert book["Indikator"].column_dimensions["A"].width >= 40  # the long indicator names


def test_cohorts_side_by_side(app, client):
    first, _people = build_cohort_with_comparison("ftd-2023")
    second, _people = build_cohort_with_comparison("fty-2025")
    page = staff_client(app, client).get(f"/staf/dampak?kohort={first.id}&kohort={second.id}&kohort=x")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert html.count(f"/staf/kohort/{first.id}/dampak\"") == 1 and f"/staf/kohort/{second.id}/dampak\"" in html
    assert "<svg" in html and "(n=3)" in html
    empty = client.get("/staf/dampak").get_data(as_text=True)
    assert "<svg" not in empty and "Kohort ftd-2023" in empty
