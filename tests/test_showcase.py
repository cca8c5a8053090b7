"""The graduate showcase: opt-in listings, safe links, moderation, and the public pages."""

import io

import pytest
from PIL import Image
from sqlalchemy import select

from lms.certificates import codes
from lms.extensions import db
from lms.models import AuditEvent, Certificate, ShowcaseListing, TopAward
from lms.showcase.rules import BadLink, clean_link, is_public, top_mark
from tests.conftest import login

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def graduate(world):
    cohort = world["cohort"]
    db.session.add(Certificate(enrollment_id=world["enrollment"].id, kind="graduation", number="FTD-2026-000077",
                               code=codes.new_code(), name="Peserta Satu", course_title="FTD",
                               cohort_name=cohort.name, graduation_date=cohort.graduation_date))
    db.session.commit()
    return world["participant"]


def listing_form(**overrides) -> dict:
    data = {"consent": "y", "business_name": "Bika Ambon Satu", "description": "Bika ambon pandan.",
            "sector": "kuliner", "regency_code": "1275", "whatsapp": "0812-3456-7890",
            "link_shopee": "shopee.co.id/bikasatu", "link_homepage": "https://bikasatu.my.id"}
    data.update(overrides)
    return data


def photo_with_gps() -> io.BytesIO:
    image = Image.new("RGB", (1200, 900), (200, 120, 40))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (3.0, 35.0, 0.0), 3: "E", 4: (98.0, 40.0, 0.0)}  # GPS IFD: Medan
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    out.seek(0)
    return out


@pytest.mark.parametrize(("text", "expected"), [
    ("https://shopee.co.id/toko", "https://shopee.co.id/toko"),
    ("shopee.co.id/toko", "https://shopee.co.id/toko"),
    ("http://contoh.my.id", "http://contoh.my.id"),
    ("", ""),
])
def test_clean_link_keeps_web_links(text, expected):
    assert clean_link(text) == expected


@pytest.mark.parametrize("text", [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox", "https://user:pass@bank.example.com", "ftp://files.example.com", "https://localhost",
    "https://a b.com", "https://" + "a" * 300 + ".com", "javascript://%0Aalert(1)",
])
def test_clean_link_refuses_what_could_run_or_mislead(text):
    with pytest.raises(BadLink):
        clean_link(text)


def test_public_only_with_consent_not_withdrawn_not_hidden_and_graduated():
    from datetime import datetime

    now = datetime(2026, 12, 1)
    assert is_public(now, None, None, True)
    assert not is_public(None, None, None, True)
    assert not is_public(now, now, None, True)
    assert not is_public(now, None, now, True)
    assert not is_public(now, None, None, False)
    assert top_mark([2024, 2026]) == 2026 and top_mark([]) is None


def test_graduate_opts_in_with_a_photo_and_appears_then_withdraws_and_disappears(app, client, world, graduate):
    login(client, graduate)
    response = client.post("/alumni/saya", data={**listing_form(), "photo": (photo_with_gps(), "IMG_0001.jpg")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    listing = db.session.scalar(select(ShowcaseListing))
    assert listing.links == {"shopee": "https://shopee.co.id/bikasatu", "homepage": "https://bikasatu.my.id"}
    assert listing.whatsapp == "+6281234567890" and listing.photo_thumbnail
    client.post("/keluar")
    page = client.get(f"/alumni/{listing.id}").get_data(as_text=True)
    assert 'rel="nofollow ugc noopener"' in page and 'property="og:title" content="Bika Ambon Satu"' in page
    assert "https://wa.me/6281234567890" in page
    photo = client.get(f"/alumni/{listing.id}/foto")
    data = photo.data
    photo.close()  # a file response holds its file open until closed
    assert photo.status_code == 200 and photo.mimetype == "image/jpeg"
    stored = Image.open(io.BytesIO(data))
    assert 0x8825 not in stored.getexif() and max(stored.size) <= 480  # no GPS; the small copy
    assert "Bika Ambon Satu" in client.get("/alumni").get_data(as_text=True)
    assert f"/alumni/{listing.id}</loc>" in client.get("/sitemap.xml").get_data(as_text=True)
    login(client, graduate)
    assert client.post("/alumni/saya/tarik").status_code == 302
    client.post("/keluar")
    assert client.get(f"/alumni/{listing.id}").status_code == 404
    gone = client.get(f"/alumni/{listing.id}/foto")
    gone.close()
    assert gone.status_code == 404
    assert "Bika Ambon Satu" not in client.get("/alumni").get_data(as_text=True)
    assert f"/alumni/{listing.id}<" not in client.get("/sitemap.xml").get_data(as_text=True)
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"showcase.save", "showcase.withdraw"} <= actions


def test_nothing_is_public_without_consent(client, graduate):
    login(client, graduate)
    response = client.post("/alumni/saya", data=listing_form(consent=""))
    assert response.status_code == 400 and "Centang persetujuan" in response.get_data(as_text=True)
    assert db.session.scalar(select(ShowcaseListing.id)) is None
    assert 'value="Bika Ambon Satu"' in response.get_data(as_text=True)  # what was typed is kept


def test_bad_links_and_document_uploads_get_indonesian_messages_and_change_nothing(client, graduate):
    login(client, graduate)
    bad = client.post("/alumni/saya", data=listing_form(link_shopee="javascript:alert(1)"))
    assert bad.status_code == 400 and "diawali https://" in bad.get_data(as_text=True)
    pdf = client.post("/alumni/saya", data={**listing_form(), "photo": (io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "x.pdf")},
                      content_type="multipart/form-data")
    assert pdf.status_code == 400
    assert db.session.scalar(select(ShowcaseListing.id)) is None


def test_only_graduates_can_list(client, world):
    login(client, world["participant"])
    response = client.get("/alumni/saya")
    assert response.status_code == 403 and "setelah Anda lulus" in response.get_data(as_text=True)


def test_hostile_text_stays_inert_on_every_page(client, world, graduate):
    login(client, graduate)
    assert client.post("/alumni/saya", data=listing_form(business_name=HOSTILE, description=HOSTILE)).status_code == 302
    listing = db.session.scalar(select(ShowcaseListing))
    for url in ("/alumni", f"/alumni/{listing.id}", "/alumni/saya", "/sitemap.xml"):
        page = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in page and "<img src=x" not in page, url
    client.post("/keluar")
    login(client, world["staff"])
    page = client.get("/staf/alumni").get_data(as_text=True)
    assert "<script>alert" not in page


def test_staff_hide_with_reason_feature_and_top_mark(client, world, graduate):
    login(client, graduate)
    client.post("/alumni/saya", data=listing_form())
    listing = db.session.scalar(select(ShowcaseListing))
    client.post("/keluar")
    db.session.add(TopAward(cohort_id=world["cohort"].id, enrollment_id=world["enrollment"].id))
    db.session.commit()
    year = world["cohort"].graduation_date.year
    assert f"Peserta Terbaik FTD {year}" in client.get("/alumni").get_data(as_text=True)
    login(client, world["staff"])
    refused = client.post(f"/staf/alumni/{listing.id}/sembunyikan", data={"reason": ""})
    assert refused.status_code == 400 and "Tuliskan alasannya" in refused.get_data(as_text=True)
    hidden = client.post(f"/staf/alumni/{listing.id}/sembunyikan", data={"reason": "Foto bukan produk"})
    assert hidden.status_code == 302
    assert client.get(f"/alumni/{listing.id}").status_code == 404
    client.post(f"/staf/alumni/{listing.id}/tampilkan")
    client.post(f"/staf/alumni/{listing.id}/unggulan")
    db.session.refresh(listing)
    assert listing.hidden_at is None and listing.featured is True
    assert "Unggulan kampanye" in client.get("/alumni").get_data(as_text=True)


def test_browse_filters_by_regency_sector_and_search(client, world, graduate):
    login(client, graduate)
    client.post("/alumni/saya", data=listing_form())
    client.post("/keluar")
    assert "Bika Ambon Satu" in client.get("/alumni?kabupaten=1275&bidang=kuliner&q=bika").get_data(as_text=True)
    assert "Bika Ambon Satu" not in client.get("/alumni?kabupaten=1278").get_data(as_text=True)
    assert "Bika Ambon Satu" not in client.get("/alumni?bidang=jasa").get_data(as_text=True)
    assert "Bika Ambon Satu" not in client.get("/alumni?q=ulos").get_data(as_text=True)
    assert client.get("/alumni?kabupaten=9999&hal=-3&q=%25").status_code == 200  # nonsense is ignored


def test_listing_page_is_light(client, world, graduate):
    import gzip

    login(client, graduate)
    client.post("/alumni/saya", data=listing_form())
    listing = db.session.scalar(select(ShowcaseListing))
    client.post("/keluar")
    for url in ("/alumni", f"/alumni/{listing.id}"):
        assert len(gzip.compress(client.get(url).data)) <= 14 * 1024
