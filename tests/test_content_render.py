"""Markdown rendering: structure, images, table of contents and sanitising."""

from html.parser import HTMLParser

import pytest

from lms.content.render import (
    count_words,
    image_refs,
    render_block,
    render_inline,
    render_markdown,
)
from lms.content.schema import TocEntry


def render(text: str, sizes: dict[str, tuple[int, int]] | None = None) -> str:
    """Render with a fixed image prefix and return only the HTML."""
    html, _ = render_markdown(text, image_sizes=sizes or {}, image_url_prefix="/modul/m/gambar/")
    return html


def toc_of(text: str) -> tuple[TocEntry, ...]:
    """Render and return only the table of contents."""
    _, toc = render_markdown(text, image_sizes={}, image_url_prefix="/x/")
    return toc


def test_basic_markdown() -> None:
    html = render(
        "Teks **tebal**, *miring* dan [tautan](https://example.org).\n\n- satu\n- dua\n\n1. pertama\n2. kedua\n"
    )
    assert "<strong>tebal</strong>" in html
    assert "<em>miring</em>" in html
    assert '<a href="https://example.org" rel="noopener noreferrer">tautan</a>' in html
    assert "<ul>\n<li>satu</li>" in html
    assert "<ol>\n<li>pertama</li>" in html


def test_table_with_alignment() -> None:
    html = render("| Kolom | Harga |\n|:------|------:|\n| tabel | 5.000 |\n")
    assert "<table>" in html
    assert "<thead>" in html and "<tbody>" in html
    assert '<th align="left">Kolom</th>' in html
    assert '<td align="right">5.000</td>' in html
    assert "style=" not in html


def test_tables_scroll_in_a_named_focusable_region_with_a_hint() -> None:
    html = render("Sebelum.\n\n| Platform | Biaya *harian* |\n|---|---|\n| FB | 5.000 |\n\n- daftar\n")
    assert ('<p class="scroll-hint">Geser tabel ke samping untuk melihat semua kolom.</p>'
            '<div aria-label="Tabel: Platform, Biaya harian" class="table-wrap" role="region" tabindex="0">'
            '<table>') in html
    assert html.index("Sebelum.") < html.index("scroll-hint") and html.index("</table></div>") < html.index("daftar")
    # The hint is not reading: it does not add to the word count.
    assert count_words(html) == 8  # Sebelum, Platform, Biaya, harian, FB, 5, 000, daftar


def test_staff_markdown_cannot_forge_the_table_region() -> None:
    html = render('<div role="region" tabindex="0" aria-label="x">isi</div>\n\n<p class="scroll-hint">palsu</p>\n')
    assert "role=" not in html and "tabindex" not in html and "scroll-hint" not in html


def test_toc_anchors_are_slugified_and_unique() -> None:
    text = (
        "## Kenapa foto *produk* penting?\n\nisi\n\n### Cahaya & Sudut\n\n"
        "## Ringkasan\n\n## Ringkasan\n\n#### Tidak di TOC\n"
    )
    html, toc = render_markdown(text, image_sizes={}, image_url_prefix="/x/")
    assert toc == (
        TocEntry(2, "kenapa-foto-produk-penting", "Kenapa foto produk penting?"),
        TocEntry(3, "cahaya-sudut", "Cahaya & Sudut"),
        TocEntry(2, "ringkasan", "Ringkasan"),
        TocEntry(2, "ringkasan_1", "Ringkasan"),
    )
    assert '<h2 id="kenapa-foto-produk-penting">' in html
    assert '<h3 id="cahaya-sudut">' in html
    assert '<h2 id="ringkasan_1">' in html
    assert "<h4>Tidak di TOC</h4>" in html


def test_h1_in_body_is_demoted_to_h2() -> None:
    html, toc = render_markdown("# Judul Besar\n\nisi\n", image_sizes={}, image_url_prefix="/x/")
    assert "<h1" not in html
    assert '<h2 id="judul-besar">Judul Besar</h2>' in html
    assert toc == (TocEntry(2, "judul-besar", "Judul Besar"),)


def test_deep_headings_become_h4() -> None:
    html = render("##### Kecil\n\n###### Lebih kecil\n")
    assert "<h5" not in html and "<h6" not in html
    assert html.count("<h4>") == 2


@pytest.mark.parametrize(
    ("kind", "default_title"),
    [("tip", "Tips"), ("note", "Catatan"), ("warning", "Perhatian")],
)
def test_admonitions_keep_their_classes(kind: str, default_title: str) -> None:
    html = render(f'!!! {kind} "Judul Kotak"\n    Isi kotak.\n\n!!! {kind}\n    Lagi.\n')
    assert f'<div class="admonition {kind}">' in html
    assert '<p class="admonition-title">Judul Kotak</p>' in html
    # Without a title the box gets an Indonesian one, not "Tip"/"Note".
    assert f'<p class="admonition-title">{default_title}</p>' in html
    assert "<p>Isi kotak.</p>" in html


def test_unknown_admonition_class_is_stripped() -> None:
    html = render("!!! danger onclick\n    Isi.\n")
    assert 'class="admonition"' in html
    assert "danger" not in html.split(">")[0]
    assert "onclick" not in html


def test_images_get_url_size_and_lazy_loading() -> None:
    html = render("![Foto jendela](images/foto.png)\n", {"foto.png": (640, 480)})
    assert 'src="/modul/m/gambar/foto.png"' in html
    assert 'width="640"' in html and 'height="480"' in html
    assert 'loading="lazy"' in html and 'decoding="async"' in html
    assert 'alt="Foto jendela"' in html


def test_dot_slash_image_path_is_rewritten_too() -> None:
    html = render("![a](./images/foto.png)\n", {"foto.png": (10, 20)})
    assert 'src="/modul/m/gambar/foto.png"' in html


def test_unknown_image_is_not_given_a_size() -> None:
    html = render("![a](images/lain.png)\n", {"foto.png": (10, 20)})
    assert "width=" not in html
    assert "gambar/lain.png" not in html


def test_image_refs_skip_code() -> None:
    refs = image_refs("![a](images/a.png)\n\n    ![kode](images/b.png)\n\n`![x](images/c.png)` dan ![](../d.png)\n")
    assert [(r.src, r.alt) for r in refs] == [("images/a.png", "a"), ("../d.png", "")]


XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "<svg onload=alert(1)></svg>",
    '<iframe src="https://evil.example"></iframe>',
    "[klik](javascript:alert(1))",
    "[klik](JaVaScRiPt:alert(1))",
    "[klik](  javascript:alert(1))",
    "![x](javascript:alert(1))",
    '<a href="javascript:alert(1)">klik</a>',
    '<div onmouseover="alert(1)">x</div>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    "<style>body{display:none}</style>",
    '[klik](http://example.org "judul\\" onmouseover=\\"alert(1)")',
    "[klik](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<object data="x.swf"></object>',
    '<form action="https://evil.example"><input name="a"></form>',
    '<a href="vbscript:msgbox(1)">x</a>',
    "<!-- <script>alert(1)</script> -->",
]


ALLOWED_TAGS = {
    "p",
    "h2",
    "h3",
    "h4",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "a",
    "img",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "blockquote",
    "code",
    "pre",
    "div",
    "hr",
    "br",
}


class _TagCollector(HTMLParser):
    """Collect every start tag with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Remember the tag and its attributes."""
        self.tags.append((tag, attrs))


def parsed_tags(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    """Parse HTML like a browser would and list its tags and attributes."""
    collector = _TagCollector()
    collector.feed(html)
    return collector.tags


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_raw_html_and_dangerous_urls_do_not_survive(payload: str) -> None:
    html = render(f"Awal.\n\n{payload}\n\nAkhir teks {payload} di kalimat.\n")
    for tag, attrs in parsed_tags(html):
        assert tag in ALLOWED_TAGS, html
        for name, value in attrs:
            assert not name.startswith("on"), html
            assert name not in ("style", "action", "formaction"), html
            if name in ("href", "src") and value and ":" in value:
                scheme = value.strip().lower().split(":")[0]
                assert scheme in ("http", "https", "mailto"), html
    assert "<script" not in html.lower()
    assert "<p>Awal.</p>" in html


def test_raw_html_tags_are_removed_not_escaped() -> None:
    html = render("Halo <b>dunia</b> dan <span class='x'>teks</span>.\n\n<div>blok</div>\n")
    assert "&lt;" not in html
    assert "<b>" not in html and "<span" not in html and "<div>" not in html
    assert "Halo dunia dan teks." in html


def test_entities_survive() -> None:
    assert "&amp;" in render("Kopi &amp; teh\n")
    assert "&lt;3" in render("Aku <3 kopi\n")


def test_render_inline_unwraps_single_paragraph() -> None:
    assert render_inline("**Harga** naik") == "<strong>Harga</strong> naik"
    assert render_inline("a <script>alert(1)</script>").count("<") == 0


def test_render_inline_keeps_blocks_when_needed() -> None:
    html = render_inline("Satu\n\nDua")
    assert html == "<p>Satu</p>\n<p>Dua</p>"


def test_render_block_has_no_anchors() -> None:
    assert render_block("## Judul\n\nisi") == "<h2>Judul</h2>\n<p>isi</p>"


def test_links_get_rel_and_relative_urls_survive() -> None:
    html = render("[a](/kursus/x) [b](mailto:a@b.id) [c](https://x.id)\n")
    assert 'href="/kursus/x"' in html
    assert 'href="mailto:a@b.id"' in html
    assert html.count('rel="noopener noreferrer"') == 3


def test_count_words() -> None:
    html = render("## Judul satu\n\nAnak-anak makan <b>nasi</b> & sayur.\n\n- satu\n- dua\n")
    # Judul satu | Anak-anak makan nasi sayur | satu dua; tags and & not counted.
    assert count_words(html) == 8


def test_hashtag_at_line_start_is_not_a_heading() -> None:
    html, toc = render_markdown(
        "#UMKMNaikKelas dipakai di caption.\n\n# Judul\n", image_sizes={}, image_url_prefix="/x/"
    )
    assert "<p>#UMKMNaikKelas dipakai di caption.</p>" in html
    assert [entry.title for entry in toc] == ["Judul"]
