"""Turn staff-written Markdown into safe HTML.

Pipeline: Python-Markdown (tables, toc, admonition, sane_lists) → our tree
fixes (heading levels, image attributes) → raw HTML dropped → nh3 allowlist.
The sanitizer is the real security boundary; dropping raw HTML first only
makes sure ``<div>``-style markup does not leak text into the page.

Headings: the page title is already the ``<h1>``, so a ``#`` heading in the
body is demoted to ``<h2>`` (and then appears in the TOC); ``#####`` and
``######`` become ``<h4>``. Only ``<h2>`` and ``<h3>`` get anchors.
"""

import html as html_lib
import re
import xml.etree.ElementTree as ET  # noqa: S405 - builds trees, never parses input
from collections.abc import Mapping
from dataclasses import dataclass

import markdown
import nh3
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from .schema import TocEntry

IMAGE_PREFIX = "images/"
ADMONITION_KINDS = ("tip", "note", "warning")
# Shown when staff write "!!! tip" without a title (the default would be English).
_ADMONITION_TITLES = {"tip": "Tips", "note": "Catatan", "warning": "Perhatian"}
_UNTITLED_ADMONITION = re.compile(r"^(?P<indent>(?: {4})*)!!!\s*(?P<kind>[\w-]+)\s*$")

_HASHTAG = re.compile(r"^#(?=[^#\s])")
_ALLOWED_TAGS = set(
    "p h2 h3 h4 ul ol li strong em a img table thead tbody tr th td blockquote code pre div hr br".split()
)
# Tags whose text is junk on a page (scripts, styles, embedded documents).
_DROPPED_WITH_CONTENT = set("script style iframe object embed noscript template textarea select svg math title".split())
_CLEANER = nh3.Cleaner(
    tags=_ALLOWED_TAGS,
    clean_content_tags=_DROPPED_WITH_CONTENT,
    attributes={
        "a": {"href", "title"},
        "img": {"src", "alt", "width", "height"},
        "h2": {"id"},
        "h3": {"id"},
        "div": {"aria-label"},
    },
    tag_attribute_values={
        "img": {"loading": {"lazy"}, "decoding": {"async"}},
        "th": {"align": {"left", "center", "right"}},
        "td": {"align": {"left", "center", "right"}},
        "div": {"tabindex": {"0"}, "role": {"region"}},
    },
    allowed_classes={
        "div": {"admonition", *ADMONITION_KINDS, "table-wrap"},
        "p": {"admonition-title", "scroll-hint"},
    },
    url_schemes={"http", "https", "mailto"},
    link_rel="noopener noreferrer",
    strip_comments=True,
)

# Module text is written in Indonesian, so the table hint is too (the UI's hint is in _table.html).
TABLE_SCROLL_HINT = "Geser tabel ke samping untuk melihat semua kolom."
_SCROLL_HINT_P = re.compile(r'<p class="scroll-hint">[^<]*</p>')
_EMPTY_PARAGRAPH = re.compile(r"<p>\s*</p>\n?")
_TAG = re.compile(r"<[^>]*>")
_WORD = re.compile(r"\w+(?:[-'’]\w+)*")


@dataclass(frozen=True)
class ImageRef:
    """An image used in Markdown, as Python-Markdown understood it."""

    src: str
    alt: str


def render_markdown(
    text: str,
    *,
    image_sizes: Mapping[str, tuple[int, int]],
    image_url_prefix: str,
) -> tuple[str, tuple[TocEntry, ...]]:
    """Render a module body to sanitized HTML plus its table of contents."""
    md = _new_markdown(image_sizes=image_sizes, image_url_prefix=image_url_prefix)
    body = md.convert(text)
    toc = tuple(_flatten_toc(md.toc_tokens))  # type: ignore[attr-defined]
    return sanitize(body), toc


def image_refs(text: str) -> tuple[ImageRef, ...]:
    """List the images a Markdown text uses (code blocks and raw HTML excluded)."""
    found: list[ImageRef] = []
    md = _new_markdown(image_sizes={}, image_url_prefix="", collect_into=found)
    md.convert(text)
    return tuple(found)


def render_block(text: str) -> str:
    """Render Markdown blocks (quiz scenarios, explanations) without anchors."""
    md = _new_markdown(image_sizes={}, image_url_prefix="", with_toc=False)
    return sanitize(md.convert(text))


def render_inline(text: str) -> str:
    """Render short Markdown (a prompt or choice) without a wrapping ``<p>``."""
    rendered = render_block(text).strip()
    inner = rendered.removeprefix("<p>").removesuffix("</p>")
    # Unwrap only a single paragraph; anything richer keeps its blocks.
    if rendered.startswith("<p>") and "<p>" not in inner and "</p>" not in inner:
        return inner
    return rendered


def sanitize(html: str) -> str:
    """Clean HTML with the content allowlist."""
    # Dropped raw HTML leaves empty paragraphs behind; they only add spacing.
    return _EMPTY_PARAGRAPH.sub("", _CLEANER.clean(html))


def count_words(html: str) -> int:
    """Count the words a reader sees in sanitized ``html``."""
    # The table hint is page furniture, not reading.
    text = html_lib.unescape(_TAG.sub(" ", _SCROLL_HINT_P.sub(" ", html)))
    return len(_WORD.findall(text))


def _new_markdown(
    *,
    image_sizes: Mapping[str, tuple[int, int]],
    image_url_prefix: str,
    with_toc: bool = True,
    collect_into: list[ImageRef] | None = None,
) -> markdown.Markdown:
    """Build a fresh Markdown converter (instances keep per-document state)."""
    extensions: list[str | Extension] = ["tables", "admonition", "sane_lists"]
    if with_toc:
        extensions.append("toc")
    extensions.append(_LmsExtension(image_sizes, image_url_prefix, collect_into))
    return markdown.Markdown(
        extensions=extensions,
        extension_configs={
            "toc": {"toc_depth": "2-3"},
            "tables": {"use_align_attribute": True},
        },
        output_format="html",
    )


def _flatten_toc(tokens: list[dict]) -> list[TocEntry]:
    """Flatten Python-Markdown's nested toc tokens in document order."""
    entries: list[TocEntry] = []
    for token in tokens:
        title = html_lib.unescape(token["name"])
        entries.append(TocEntry(level=token["level"], anchor=token["id"], title=title))
        entries.extend(_flatten_toc(token["children"]))
    return entries


class _LmsExtension(Extension):
    """Register the LMS-specific processors on a Markdown instance."""

    def __init__(
        self,
        image_sizes: Mapping[str, tuple[int, int]],
        image_url_prefix: str,
        collect_into: list[ImageRef] | None,
    ) -> None:
        super().__init__()
        self.image_sizes = image_sizes
        self.image_url_prefix = image_url_prefix
        self.collect_into = collect_into

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - API name
        """Add our processors with priorities relative to the built-in ones."""
        md.preprocessors.register(_LinePreprocessor(md), "lms_lines", 40)
        # Headings must be fixed before toc (priority 5) assigns anchors.
        md.treeprocessors.register(
            _FixTree(md, self.image_sizes, self.image_url_prefix, self.collect_into),
            "lms_fix_tree",
            10,
        )
        # Last treeprocessor: raw HTML has all been stashed by now.
        md.treeprocessors.register(_DropRawHtml(md), "lms_drop_raw_html", 0)


class _LinePreprocessor(Preprocessor):
    """Fix two surprises for staff before Markdown parses the lines.

    Python-Markdown turns "#UMKMNaikKelas" at the start of a line into a
    heading (CommonMark needs a space), and titles an untitled "!!! tip" box
    in English.
    """

    def run(self, lines: list[str]) -> list[str]:
        """Escape hashtags and add Indonesian box titles."""
        return [self._titled(_HASHTAG.sub(r"\\\g<0>", line)) for line in lines]

    @staticmethod
    def _titled(line: str) -> str:
        """Return ``line`` with a default title if it is an untitled box."""
        match = _UNTITLED_ADMONITION.match(line)
        if not match or match["kind"] not in _ADMONITION_TITLES:
            return line
        return f'{line.rstrip()} "{_ADMONITION_TITLES[match["kind"]]}"'


class _FixTree(Treeprocessor):
    """Demote headings and point images at the app's image URLs."""

    def __init__(
        self,
        md: markdown.Markdown,
        image_sizes: Mapping[str, tuple[int, int]],
        image_url_prefix: str,
        collect_into: list[ImageRef] | None,
    ) -> None:
        super().__init__(md)
        self.image_sizes = image_sizes
        self.image_url_prefix = image_url_prefix
        self.collect_into = collect_into

    def run(self, root: ET.Element) -> None:
        """Rewrite headings and images in place; wrap tables so they scroll on a phone."""
        _wrap_tables(root)
        for element in root.iter():
            if element.tag == "h1":
                element.tag = "h2"
            elif element.tag in ("h5", "h6"):
                element.tag = "h4"
            elif element.tag == "img":
                self._fix_image(element)

    def _fix_image(self, img: ET.Element) -> None:
        """Point ``images/NAME`` at the app URL and add size and lazy loading."""
        src = img.get("src", "")
        if self.collect_into is not None:
            self.collect_into.append(ImageRef(src=src, alt=img.get("alt", "")))
        name = image_name(src)
        if name is not None and name in self.image_sizes:
            width, height = self.image_sizes[name]
            img.set("src", f"{self.image_url_prefix}{name}")
            img.set("width", str(width))
            img.set("height", str(height))
        img.set("loading", "lazy")
        img.set("decoding", "async")
        img.attrib.pop("title", None)


def _wrap_tables(root: ET.Element) -> None:
    """Put each table in a focusable, named region that scrolls sideways, with a visible hint before it."""
    for parent in list(root.iter()):
        for index, child in reversed(list(enumerate(parent))):
            if child.tag != "table":
                continue
            headers = [" ".join("".join(cell.itertext()).split()) for cell in child.iter("th")]
            label = "Tabel: " + ", ".join(header for header in headers if header) if any(headers) else "Tabel"
            region = ET.Element("div", {"class": "table-wrap", "tabindex": "0", "role": "region",
                                        "aria-label": label[:120]})
            hint = ET.Element("p", {"class": "scroll-hint"})
            hint.text = TABLE_SCROLL_HINT
            region.tail, child.tail = child.tail, None
            parent.remove(child)
            region.append(child)
            parent.insert(index, region)
            parent.insert(index, hint)


class _DropRawHtml(Treeprocessor):
    """Empty the raw-HTML stash so tags written in Markdown never reach output."""

    def run(self, root: ET.Element) -> None:
        """Blank stashed tags but keep entities such as ``&nbsp;``."""
        stash = self.md.htmlStash.rawHtmlBlocks
        for index, block in enumerate(stash):
            if isinstance(block, str) and not block.lstrip().startswith("&"):
                stash[index] = ""


def image_name(src: str) -> str | None:
    """Return NAME for a ``images/NAME`` (or ``./images/NAME``) source, else None."""
    path = src.strip().removeprefix("./")
    if not path.startswith(IMAGE_PREFIX):
        return None
    name = path[len(IMAGE_PREFIX) :]
    if not name or "/" in name or "\\" in name or name.startswith("."):
        return None
    return name
