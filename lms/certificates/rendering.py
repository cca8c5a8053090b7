"""Turn a certificate's printed fields into a PDF with WeasyPrint, safely and fast.

Safety: the Jinja environment escapes every value, and WeasyPrint gets a URL
fetcher that reads only files inside the repository's certificates/ folder
(resolved, so neither `..` nor a symlink leads out) and the QR-code data URI made
for that very certificate. Everything else is refused and logged in a FetchLog
that tests can inspect.

Signature images uploaded by staff live outside certificates/ (under instance/,
with server-made names); a certificate's fetcher may read exactly the stored files
its own signatories name, and nothing else there.

Speed: one renderer per process keeps one FontConfiguration, the parsed
stylesheets (whose @font-face rules load the fonts once) and an image cache, so
each certificate only lays out its own HTML. The image cache keeps files only:
WeasyPrint keys it by URL, and every certificate's QR code is a new data: URI, so
caching those grew each worker by ~0.86 MB per certificate (measured: 69 → 326 MB
after 300). Workers are also recycled every `recycle_every` certificates as a
safety net against any other slow growth. Bulk issue renders in a pool of
worker processes (forkserver: safe next to the web server's threads), each with
its own renderer; the workers write the PDF files themselves and return digests.

This module knows nothing about Flask or the database: the worker processes
import it alone.
"""

from __future__ import annotations

import hashlib
import logging
import mimetypes
import os
import re
import resource
import tempfile
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import segno
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

CERTIFICATES_DIR = Path(__file__).resolve().parents[2] / "certificates"
SHARED_STYLESHEET = "certificate.css"
TEMPLATE_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")
# Below this many certificates, starting worker processes costs more than it saves.
POOL_THRESHOLD = 12
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Signatory:
    name: str
    title: str
    image: str | None = None  # relative to certificates/ (signatures/contoh-1.svg) or an absolute stored file

    @property
    def is_demo(self) -> bool:
        return bool(self.image) and not self.is_stored and Path(self.image).name.startswith("contoh")

    @property
    def is_stored(self) -> bool:
        """Tell whether the image is a stored upload (an absolute path outside certificates/)."""
        return bool(self.image) and Path(self.image).is_absolute()

    @property
    def src(self) -> str | None:
        """Return the image reference the template prints."""
        if not self.image:
            return None
        return Path(self.image).as_uri() if self.is_stored else self.image


@dataclass(frozen=True)
class PrintedCertificate:
    """Everything printed on one certificate, already formatted as text."""

    template: str  # a template name from the course manifest, e.g. kelulusan
    number: str
    code: str  # grouped display form
    name: str
    business_name: str
    regency_label: str
    course_title: str
    cohort_name: str
    graduation_date_text: str
    verify_url: str
    signatories: tuple[Signatory, ...] = ()


@dataclass(frozen=True)
class RenderTask:
    """One PDF to render and store: `target` is the absolute file path to write."""

    certificate_id: int
    printed: PrintedCertificate
    target: str


@dataclass(frozen=True)
class RenderResult:
    certificate_id: int
    target: str
    sha256: str
    cpu_seconds: float = 0.0  # CPU time the rendering process spent on it (for the job result and the benchmark)
    pid: int = 0  # the rendering process
    peak_rss_mb: float = 0.0  # that process's peak resident memory so far


@dataclass
class FetchLog:
    """What the renderer's URL fetchers allowed and refused (newest entries kept)."""

    allowed: deque = field(default_factory=lambda: deque(maxlen=1000))
    refused: deque = field(default_factory=lambda: deque(maxlen=1000))
    refused_count: int = 0

    def clear(self) -> None:
        """Forget everything recorded so far."""
        self.allowed.clear()
        self.refused.clear()
        self.refused_count = 0


class SafeUrlFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that reads only our own files and data URIs."""

    def __init__(self, root: Path, log: FetchLog, data_uris: Iterable[str] = (), files: Iterable[str | Path] = ()):
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
        self.root = root.resolve()
        self.log = log
        self.data_uris = frozenset(data_uris)
        # Exact files allowed outside the root (a certificate's stored signatures), resolved like URLs are.
        self.files = frozenset(Path(f).resolve() for f in files)

    def fetch(self, url, headers=None):
        """Return our own file or data URI; refuse and log anything else."""
        if url.startswith("data:") and url in self.data_uris:
            self.log.allowed.append(url[:60])
            return super().fetch(url, headers)
        path = self.local_path(url)
        if path is None:
            self.refuse(url)
        self.log.allowed.append(url)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})

    def local_path(self, url: str) -> Path | None:
        """Return the file a file: URL names when it lies inside the root, else None."""
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            return None
        try:
            # resolve() follows symlinks and `..`, so the check below sees the real file.
            path = Path(unquote(parts.path)).resolve(strict=True)
        except (OSError, RuntimeError, ValueError):
            return None
        if not (path.is_relative_to(self.root) or path in self.files) or not path.is_file():
            return None
        return path

    def refuse(self, url: str):
        """Record a refused URL and stop WeasyPrint from loading it."""
        self.log.refused.append(url[:300])
        self.log.refused_count += 1
        logger.warning("certificate renderer refused to fetch %r", url[:300])
        raise ValueError("URL not allowed in certificates")


class CertificateRenderer:
    """Render certificates from the templates in one folder, reusing fonts and CSS."""

    def __init__(self, root: Path = CERTIFICATES_DIR):
        self.root = Path(root).resolve()
        self.base_url = self.root.as_uri() + "/"
        self.fetch_log = FetchLog()
        self.font_config = FontConfiguration()
        self.jinja = Environment(loader=FileSystemLoader(self.root), autoescape=True, undefined=StrictUndefined)
        self._stylesheets: dict[str, list[CSS]] = {}
        self._image_cache: dict = FileImageCache()
        # WeasyPrint objects shared between renders are not meant for concurrent threads.
        self._lock = threading.Lock()

    def template_path(self, template: str) -> Path:
        """Return a template's HTML file, refusing names that could point elsewhere."""
        if not TEMPLATE_NAME.match(template):
            raise ValueError(f"bad certificate template name {template!r}")
        path = self.root / f"{template}.html"
        if not path.is_file():
            raise FileNotFoundError(f"certificate template {template!r} not found in {self.root}")
        return path

    def stylesheets(self, template: str) -> list[CSS]:
        """Return the parsed stylesheets of a template, parsing them once."""
        if template not in self._stylesheets:
            names = [SHARED_STYLESHEET] + ([f"{template}.css"] if (self.root / f"{template}.css").is_file() else [])
            self._stylesheets[template] = [
                CSS(string=(self.root / name).read_text(encoding="utf-8"), base_url=self.base_url,
                    url_fetcher=SafeUrlFetcher(self.root, self.fetch_log), font_config=self.font_config)
                for name in names
            ]
        return self._stylesheets[template]

    def render_html(self, printed: PrintedCertificate, qr_data_uri: str) -> str:
        """Fill a certificate template (every value escaped)."""
        self.template_path(printed.template)
        return self.jinja.get_template(f"{printed.template}.html").render(c=printed, qr_data_uri=qr_data_uri)

    def render_pdf(self, printed: PrintedCertificate) -> bytes:
        """Return the PDF of one certificate."""
        qr = qr_data_uri(printed.verify_url)
        html = self.render_html(printed, qr)
        stored = [s.image for s in printed.signatories if s.is_stored]
        with self._lock:
            document = HTML(string=html, base_url=self.base_url,
                            url_fetcher=SafeUrlFetcher(self.root, self.fetch_log, data_uris={qr}, files=stored))
            return document.write_pdf(stylesheets=self.stylesheets(printed.template), font_config=self.font_config,
                                      cache=self._image_cache)

    def render_html_document(self, html: str) -> bytes:
        """Return the PDF of an HTML document already escaped by its caller (e.g. the impact report).

        The same confinement as a certificate: only files inside the templates folder
        (fonts, logo) can be fetched; any other URL is refused and logged.
        """
        with self._lock:
            document = HTML(string=html, base_url=self.base_url, url_fetcher=SafeUrlFetcher(self.root, self.fetch_log))
            return document.write_pdf(font_config=self.font_config, cache=self._image_cache)

    def render_document(self, template: str, stylesheet: str, **context) -> bytes:
        """Return the PDF of another document kept in the same folder (the attendance list), just as confined.

        It has its own stylesheet instead of the certificates' shared one; every value is escaped.
        """
        self.template_path(template)
        html = self.jinja.get_template(f"{template}.html").render(**context)
        key = f"document:{stylesheet}"
        with self._lock:
            if key not in self._stylesheets:
                self._stylesheets[key] = [CSS(string=(self.root / stylesheet).read_text(encoding="utf-8"),
                                              base_url=self.base_url, font_config=self.font_config,
                                              url_fetcher=SafeUrlFetcher(self.root, self.fetch_log))]
            document = HTML(string=html, base_url=self.base_url, url_fetcher=SafeUrlFetcher(self.root, self.fetch_log))
            return document.write_pdf(stylesheets=self._stylesheets[key], font_config=self.font_config,
                                      cache=self._image_cache)


class FileImageCache(dict):
    """WeasyPrint's image cache, keeping only images fetched from files (the same for every certificate).

    A data: URI (each certificate's own QR code) is parsed and dropped after its
    document, so a worker's memory stays flat however many certificates it renders.
    """

    def __setitem__(self, key, value):
        if isinstance(key, str) and key.startswith("data:"):
            return
        super().__setitem__(key, value)


def qr_data_uri(url: str) -> str:
    """Return an SVG QR code for a URL as a data: URI."""
    return segno.make(url, error="m", micro=False).svg_data_uri(scale=4, border=2, dark="#111827")


def write_atomically(target: Path, data: bytes) -> str:
    """Write a file via a temporary name and rename, so readers never see half a PDF; return its SHA-256."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".pdf")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return hashlib.sha256(data).hexdigest()


_renderers: dict[str, CertificateRenderer] = {}
_renderers_lock = threading.Lock()


def get_renderer(root: Path = CERTIFICATES_DIR) -> CertificateRenderer:
    """Return this process's renderer for a templates folder."""
    key = str(Path(root).resolve())
    with _renderers_lock:
        if key not in _renderers:
            _renderers[key] = CertificateRenderer(Path(key))
        return _renderers[key]


def render_task(task: RenderTask, root: Path = CERTIFICATES_DIR) -> RenderResult:
    """Render one certificate and store its PDF."""
    started = time.process_time()
    pdf = get_renderer(root).render_pdf(task.printed)
    digest = write_atomically(Path(task.target), pdf)
    return RenderResult(task.certificate_id, task.target, digest, time.process_time() - started,
                        pid=os.getpid(), peak_rss_mb=peak_rss_mb())


def peak_rss_mb() -> float:
    """Return this process's peak resident memory in MB (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def render_many(tasks: list[RenderTask], *, processes: int, root: Path = CERTIFICATES_DIR,
                recycle_every: int | None = None) -> Iterator[RenderResult]:
    """Render many certificates, in worker processes (replaced every `recycle_every` certificates) when enough."""
    if processes <= 1 or len(tasks) < POOL_THRESHOLD:
        for task in tasks:
            yield render_task(task, root)
        return
    import multiprocessing

    context = multiprocessing.get_context("forkserver")
    # The fork server imports WeasyPrint once; each worker forks from it already warm.
    context.set_forkserver_preload([__name__])
    chunk = 4  # small chunks keep both workers busy to the end and the progress bar moving
    # maxtasksperchild counts chunks, not certificates.
    recycle = max(1, recycle_every // chunk) if recycle_every else None
    with context.Pool(processes, initializer=_warm_up_worker, initargs=(str(root),), maxtasksperchild=recycle) as pool:
        yield from pool.imap_unordered(_render_in_worker, [(task, str(root)) for task in tasks], chunksize=chunk)


def _warm_up_worker(root: str) -> None:
    get_renderer(Path(root))


def _render_in_worker(item: tuple[RenderTask, str]) -> RenderResult:
    task, root = item
    return render_task(task, Path(root))
