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
Each worker lays a batch of certificates of one template out as ONE document (so
per-document work, font subsetting above all, is paid once a batch) and pikepdf
splits it into one single-page PDF per certificate; a single certificate is its
own one-sheet document.

This module knows nothing about Flask or the database: the worker processes
import it alone.
"""

from __future__ import annotations

import hashlib
import io
import logging
import mimetypes
import os
import re
import resource
import tempfile
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pikepdf
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
TEMPORARY_PREFIX = ".tmp-"  # a PDF being written; renamed to its real name once whole
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
        return self.render_sheets_html([(printed, qr_data_uri)])

    def render_sheets_html(self, sheets: Sequence[tuple[PrintedCertificate, str]]) -> str:
        """Fill one template with several certificates, one sheet (page) each (every value escaped)."""
        templates = {printed.template for printed, _qr in sheets}
        if len(templates) != 1:
            raise ValueError(f"one document needs one certificate template, not {sorted(templates)}")
        template = templates.pop()
        self.template_path(template)
        return self.jinja.get_template(f"{template}.html").render(sheets=list(sheets))

    def render_pdf(self, printed: PrintedCertificate) -> bytes:
        """Return the PDF of one certificate (one document, as for a single issue or reissue)."""
        return self.render_sheets_pdf([printed])

    def render_sheets_pdf(self, batch: Sequence[PrintedCertificate]) -> bytes:
        """Return one PDF holding a sheet for each certificate of a batch (same template), in order."""
        qrs = [qr_data_uri(printed.verify_url) for printed in batch]
        html = self.render_sheets_html(list(zip(batch, qrs, strict=True)))
        stored = {s.image for printed in batch for s in printed.signatories if s.is_stored}
        with self._lock:
            document = HTML(string=html, base_url=self.base_url,
                            url_fetcher=SafeUrlFetcher(self.root, self.fetch_log, data_uris=qrs, files=stored))
            return document.write_pdf(stylesheets=self.stylesheets(batch[0].template),
                                      font_config=self.font_config, cache=self._image_cache)

    def render_batch(self, batch: Sequence[PrintedCertificate]) -> list[bytes]:
        """Return one single-page PDF per certificate, laid out as one document and split with pikepdf.

        Falls back to one document per certificate when the batch does not come out
        as exactly one page per certificate (a name that overflows its sheet).
        """
        if len(batch) == 1:
            return [self.render_pdf(batch[0])]
        pages = split_pages(self.render_sheets_pdf(batch), [printed.number for printed in batch])
        if pages is None:
            logger.warning("certificate batch of %d did not lay out one page each; rendering them one by one",
                           len(batch))
            return [self.render_pdf(printed) for printed in batch]
        return pages

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


def split_pages(data: bytes, numbers: Sequence[str]) -> list[bytes] | None:
    """Split a batch PDF into one single-page PDF per certificate number; None unless one page each.

    WeasyPrint gives every page of a document one shared resource dictionary, so a
    page copied alone would carry every other certificate's QR code along.
    `remove_unreferenced_resources` first gives each page only what it draws; the
    fonts (subset once for the whole batch) are shared and copied into each file.
    """
    with pikepdf.open(io.BytesIO(data)) as source:
        if len(source.pages) != len(numbers):
            return None
        source.remove_unreferenced_resources()
        info = {key: value for key, value in source.docinfo.items() if key != "/Title"}
        title = str(source.docinfo.get("/Title", "")).removesuffix(numbers[0]).strip()
        files = []
        for page, number in zip(source.pages, numbers, strict=True):
            with pikepdf.new() as single:
                single.pages.append(page)
                for key, value in info.items():
                    single.docinfo[key] = value
                single.docinfo["/Title"] = f"{title} {number}".strip()
                out = io.BytesIO()
                single.save(out, deterministic_id=True)  # the same certificate gives the same bytes
                files.append(out.getvalue())
        return files


def qr_data_uri(url: str) -> str:
    """Return a QR code for a URL as a data: URI: a PNG of one pixel per module, printed sharp.

    The certificate stylesheet draws it with `image-rendering: pixelated` (no smoothing,
    so each module prints as a crisp square at any resolution). Measured against the
    SVG paths segno also makes: see docs/benchmarks.md "Certificates".
    """
    return segno.make(url, error="m", micro=False).png_data_uri(scale=1, border=2, dark="#111827")


def qr_svg_data_uri(url: str) -> str:
    """Return the same QR code drawn as SVG paths (the earlier form, kept for the benchmark's comparison)."""
    return segno.make(url, error="m", micro=False).svg_data_uri(scale=4, border=2, dark="#111827")


def write_atomically(target: Path, data: bytes) -> str:
    """Write a file via a temporary name and rename, so readers never see half a PDF; return its SHA-256."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=TEMPORARY_PREFIX, suffix=".pdf")
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
    """Render one certificate as its own document and store its PDF."""
    started = time.process_time()
    pdf = get_renderer(root).render_pdf(task.printed)
    digest = write_atomically(Path(task.target), pdf)
    return RenderResult(task.certificate_id, task.target, digest, time.process_time() - started,
                        pid=os.getpid(), peak_rss_mb=peak_rss_mb())


def render_batch_tasks(tasks: Sequence[RenderTask], root: Path = CERTIFICATES_DIR) -> list[RenderResult]:
    """Render a batch of certificates of one template as one document, split it, store one PDF each.

    Each file is written to a temporary name and renamed, so a process that dies
    mid-batch leaves whole PDFs or none at each name; none is recorded until the
    caller stores the results, so a rerun renders again exactly the unrecorded ones.
    """
    started = time.process_time()
    pdfs = get_renderer(root).render_batch([task.printed for task in tasks])
    digests = [write_atomically(Path(task.target), pdf) for task, pdf in zip(tasks, pdfs, strict=True)]
    cpu, rss = (time.process_time() - started) / len(tasks), peak_rss_mb()
    return [RenderResult(task.certificate_id, task.target, digest, cpu, pid=os.getpid(), peak_rss_mb=rss)
            for task, digest in zip(tasks, digests, strict=True)]


def peak_rss_mb() -> float:
    """Return this process's peak resident memory in MB (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def batches(tasks: Sequence[RenderTask], size: int, processes: int = 1) -> list[list[RenderTask]]:
    """Cut tasks into batches of one template, at most `size` each, small enough to keep every process busy."""
    by_template: dict[str, list[RenderTask]] = {}
    for task in tasks:
        by_template.setdefault(task.printed.template, []).append(task)
    cut = []
    for group in by_template.values():
        per_process = -(-len(group) // max(1, processes))  # ceiling
        step = max(1, min(size, per_process))
        cut.extend(group[start:start + step] for start in range(0, len(group), step))
    return cut


def render_many(tasks: list[RenderTask], *, processes: int, root: Path = CERTIFICATES_DIR,
                recycle_every: int | None = None, batch_size: int = 1) -> Iterator[list[RenderResult]]:
    """Render many certificates in batches, yielding each batch's stored results as it completes.

    With `batch_size` > 1 each batch is one multi-page document split per certificate;
    1 renders one document per certificate. Enough work goes to worker processes
    (replaced after about `recycle_every` certificates). A worker that dies raises
    BrokenProcessPool here: what was yielded before stays valid, the rest is rerendered
    by the next run.
    """
    work = batches(tasks, batch_size, processes if len(tasks) >= POOL_THRESHOLD else 1)
    if processes <= 1 or len(tasks) < POOL_THRESHOLD:
        for batch in work:
            yield _render_batch(batch, root)
        return
    yield from _render_in_pools(work, processes, str(root), recycle_every)


def _render_in_pools(work: list[list[RenderTask]], processes: int, root: str,
                     recycle_every: int | None) -> Iterator[list[RenderResult]]:
    """Render batches in worker processes, a fresh pool (fresh workers) for each `recycle_every` certificates each.

    Not `max_tasks_per_child`: on Python 3.11 an executor using it stops replacing
    workers and hangs once they have all retired. Each round's pool starts as the one
    before it runs out of queued batches, so no core waits for a round's last batch.
    """
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    context = multiprocessing.get_context("forkserver")
    # The fork server imports WeasyPrint once; each worker forks from it already warm.
    context.set_forkserver_preload([__name__])
    per_batch = max(len(batch) for batch in work)
    per_round = processes * max(1, recycle_every // per_batch) if recycle_every else len(work)
    rounds = [work[start:start + per_round] for start in range(0, len(work), per_round)]
    pools: list[tuple[ProcessPoolExecutor, set]] = []
    pending: set = set()

    def start_round(batches_of_round: list[list[RenderTask]]) -> None:
        pool = ProcessPoolExecutor(processes, mp_context=context, initializer=_warm_up_worker, initargs=(root,))
        futures = {pool.submit(_render_batch, batch, root) for batch in batches_of_round}
        pools.append((pool, futures))
        pending.update(futures)

    try:
        start_round(rounds.pop(0))
        while pending:
            done, _running = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                pending.discard(future)
                yield future.result()
            if rounds and len(pools[-1][1] & pending) < processes:
                start_round(rounds.pop(0))
            for pool, futures in [entry for entry in pools if not entry[1] & pending]:
                pool.shutdown(wait=True)
                pools.remove((pool, futures))
    finally:
        for pool, _futures in pools:
            pool.shutdown(wait=True, cancel_futures=True)


def _warm_up_worker(root: str) -> None:
    get_renderer(Path(root))


def _render_batch(batch: list[RenderTask], root: str | Path) -> list[RenderResult]:
    if len(batch) == 1:
        return [render_task(batch[0], Path(root))]
    return render_batch_tasks(batch, Path(root))
