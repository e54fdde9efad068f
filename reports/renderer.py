"""The one renderer: a report's data → HTML → PDF, and the disk cache of the PDFs.

WeasyPrint spends much of a small document's time loading fonts and parsing
stylesheets, so the FontConfiguration and the stylesheets are built once per process
and reused. Every file a document refers to (the stylesheet, the bundled fonts) is read
from static/ on disk; any other URL is refused, so a render never goes over the network.
"""

import contextlib
import dataclasses
import datetime
import gc
import hashlib
import io
import json
import mimetypes
import re
import threading
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit
from urllib.request import url2pathname

import pikepdf
import pydyf
import weasyprint
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.template.loader import render_to_string
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from reports import profiles, split
from reports.templatetags import report_tags

STATIC_DIR = (Path(settings.BASE_DIR) / "static").resolve()
STYLESHEET = STATIC_DIR / "reports" / "report.css"
FONT_DIR = STATIC_DIR / "fonts"
TEMPLATE_DIR = Path(settings.BASE_DIR) / "templates" / "reports"
APPENDIX_REST_TEMPLATE = "reports/annual_appendix_rest.html"
FONT_FAMILY = "Report Serif"
# A tagged PDF (PDF/UA) reads aloud in screen readers and keeps the same layout.
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_tags": True}


class StaticFileFetcher(URLFetcher):
    """Reads file: URLs inside static/ from disk and refuses everything else."""

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme == "data":
            return super().fetch(url, headers)
        if parts.scheme != "file":
            raise ValueError(f"Reports only read static files, not {url}")
        path = Path(url2pathname(parts.path)).resolve()
        if not path.is_relative_to(STATIC_DIR) or not path.is_file():
            raise ValueError(f"Not a static file: {url}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            path.as_uri(), path.read_bytes(), headers={"Content-Type": content_type}
        )


def profile_css(profile: profiles.DocumentProfile) -> str:
    """The numbers of a profile as CSS, for the PDF and for the HTML preview alike."""
    m = profile.margins
    underline = "underline" if profile.recipients_heading_underlined else "none"
    return f"""
@page {{ size: A4; margin: {m.top}mm {m.right}mm {m.bottom}mm {m.left}mm; }}
.document {{ font-size: {profile.body_size}pt; }}
.document .doc-header .left {{ width: {profile.header_left_width}%; }}
.document .doc-header .right {{ width: {100 - profile.header_left_width}%; }}
.document .national {{ font-size: {profile.national_size}pt; }}
.document .motto {{ font-size: {profile.motto_size}pt; }}
.document .parent-body {{ font-size: {profile.parent_size}pt; }}
.document .issuer {{ font-size: {profile.issuer_size}pt; }}
.document .number, .document .place-date {{ font-size: {profile.date_size}pt; }}
.document .doc-type {{ font-size: {profile.type_size}pt; }}
.document .doc-summary {{ font-size: {profile.summary_size}pt; }}
.document .recipients-heading {{
  font-size: {profile.recipients_heading_size}pt; text-decoration: {underline};
}}
.document .recipients li {{ font-size: {profile.recipients_size}pt; }}
.document .signature {{ font-size: {profile.signature_size}pt; }}
@media screen {{
  .document {{ padding: {m.top}mm {m.right}mm {m.bottom}mm {m.left}mm; }}
}}
"""


@dataclass
class _Engine:
    font_config: FontConfiguration
    fetcher: StaticFileFetcher
    stylesheets: dict[str, list[weasyprint.CSS]]


_engine: _Engine | None = None
_engine_lock = threading.Lock()
# Pango and the shared FontConfiguration are not safe to use from two threads at once.
_render_lock = threading.Lock()


def _get_engine() -> _Engine:
    global _engine
    with _engine_lock:
        if _engine is None:
            font_config = FontConfiguration()
            fetcher = StaticFileFetcher()
            base = weasyprint.CSS(
                filename=str(STYLESHEET), url_fetcher=fetcher, font_config=font_config
            )
            _engine = _Engine(
                font_config=font_config,
                fetcher=fetcher,
                stylesheets={
                    key: [
                        base,
                        weasyprint.CSS(
                            string=profile_css(profile),
                            base_url=STYLESHEET.as_uri(),
                            url_fetcher=fetcher,
                            font_config=font_config,
                        ),
                    ]
                    for key, profile in profiles.PROFILES.items()
                },
            )
        return _engine


def _cached_page_references(pdf):
    """pydyf.PDF.page_references, built once per page count instead of on every call.

    pydyf builds the tuple of all pages' references each time it is read, and
    WeasyPrint reads it once for every tagged element (pdf/tags.py): a 60-page
    appendix of 800 rows read it 17,000 times, about 0.4 s of the render. The pages
    are all added before the tags are built, so the tuple is built once; a page added
    later (a different count) builds it again.
    """
    count = len(pdf.pages["Kids"])
    cached = pdf.__dict__.get("_page_references")
    if cached is None or cached[0] != count:
        cached = (count, _pydyf_page_references(pdf))
        pdf.__dict__["_page_references"] = cached
    return cached[1]


# Only over the property this was written for: a pydyf that changes it keeps its own.
_pydyf_page_references = getattr(vars(pydyf.PDF).get("page_references"), "fget", None)
if _pydyf_page_references is not None:
    pydyf.PDF.page_references = property(_cached_page_references)


@contextlib.contextmanager
def _cyclic_gc_paused():
    """No cyclic garbage collection while WeasyPrint lays a document out, one after.

    A long document allocates millions of objects (boxes, styles, PDF objects), and
    Python's collector, triggered every few hundred allocations, walks the growing
    heap again and again: about a fifth of a long render. Paused, the render's cyclic
    garbage (about 500,000 objects for 800 appendix rows) is collected once at the end,
    which the render's time includes. Everything the render allocated is still in the
    youngest generation, so collecting that one finds it without walking the rest of
    the process's heap (a full collection would add 70 ms to a one-page review).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
            gc.collect(0)


def html_to_pdf(html: str, profile_key: str, *, css: str = "", tagged: bool = True) -> bytes:
    """The bare WeasyPrint step, with the shared fonts and stylesheets (and `css` after
    them); `tagged=False` leaves out the structure tree, for sheets laid over pages."""
    engine = _get_engine()
    with _render_lock, _cyclic_gc_paused():
        stylesheets = engine.stylesheets[profile_key]
        if css:
            # Inside the lock: a stylesheet is parsed with the shared FontConfiguration.
            stylesheets = [
                *stylesheets,
                weasyprint.CSS(
                    string=css,
                    base_url=STYLESHEET.as_uri(),
                    url_fetcher=engine.fetcher,
                    font_config=engine.font_config,
                ),
            ]
        document = weasyprint.HTML(
            string=html, base_url=STYLESHEET.as_uri(), url_fetcher=engine.fetcher
        )
        pdf = document.write_pdf(
            stylesheets=stylesheets,
            font_config=engine.font_config,
            **(PDF_OPTIONS if tagged else {}),
        )
        del document
        return pdf


def warm_up() -> None:
    """Loads the fonts and stylesheets and renders once, so the next render is warm."""
    html_to_pdf(_sheets_html(1), "state")


def _sheets_html(count: int) -> str:
    sheets = '<section class="appendix-section wide page-sheet"></section>' * count
    return (
        '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>-</title></head>'
        f'<body><main class="document">{sheets}</main></body></html>'
    )


def page_numbers_pdf(first: int, count: int, profile_key: str) -> bytes:
    """`count` blank appendix pages numbered from `first`, nothing else on them: laid
    over the pages of an appendix rendered on its own (reports.split)."""
    css = (
        f"@page :first {{ counter-reset: page {first}; @top-center {{ content: counter(page); }} }}"
    )
    return html_to_pdf(_sheets_html(count), profile_key, css=css, tagged=False)


def render_html(template_name: str, data, *, preview: bool = False, extra=None) -> str:
    """The document's HTML, NFC-normalised so no letter arrives decomposed."""
    profile = profiles.PROFILES[data.head.profile]
    context = {
        "data": data,
        "profile": profile,
        "preview": preview,
        "profile_css": profile_css(profile) if preview else "",
        "font_family": FONT_FAMILY,
        "draft_mark": profiles.DRAFT_MARK,
        "recipients_heading": profiles.RECIPIENTS_HEADING,
        "sections": profiles.ANNUAL_SECTIONS,
        "review_columns": profiles.ANNUAL_REVIEW_COLUMNS,
        "total_row": profiles.TOTAL_ROW,
        **(extra or {}),
    }
    return unicodedata.normalize("NFC", render_to_string(template_name, context))


@dataclass(frozen=True)
class Parts:
    """A document's final HTML: whole in `main`; or, for a long appendix printed as two
    tables (reports.split), `main` up to the end of the first table and `rest` holding
    the second as a document of its own, `whole` giving both tables in one document, on
    the same pages, for a render in one process."""

    main: str
    rest: str | None = None
    whole: Callable[[], str] | None = None


def render_parts(template_name: str, data) -> Parts:
    """The HTML to render, cut where reports.split says a long appendix is cut."""
    rows = getattr(data, "appendix", None)
    cut = split.split_point(len(rows)) if rows else None
    if cut is None:
        return Parts(render_html(template_name, data))
    main = render_html(template_name, data, extra={"appendix_rows": rows[:cut]})
    profile = profiles.PROFILES[data.head.profile]
    rest = render_to_string(
        APPENDIX_REST_TEMPLATE,
        {"data": data, "profile": profile, "rows": rows[cut:], "skip": cut},
    )
    extra = {"appendix_rows": rows[:cut], "appendix_rest": rows[cut:]}
    return Parts(
        main,
        unicodedata.normalize("NFC", rest),
        whole=lambda: render_html(template_name, data, extra=extra),
    )


def parts_to_pdf(parts: Parts, profile_key: str) -> bytes:
    """The PDF of `parts`: the two tables of a long appendix at once where there is a
    second process, else (or should that fail) the whole document in this one."""
    if parts.rest is None:
        return html_to_pdf(parts.main, profile_key)
    if split.in_two_processes():
        pdf = split.render_split(parts.main, parts.rest, profile_key)
        if pdf is not None:
            return pdf
    return html_to_pdf(parts.whole(), profile_key)


def render_pdf(template_name: str, data) -> bytes:
    """A report's PDF from its gathered data, without the cache: a plain function that
    background jobs and the issuing service call alike."""
    return parts_to_pdf(render_parts(template_name, data), data.head.profile)


# Cache ------------------------------------------------------------------------------------

_version: str | None = None


def _renderer_version() -> str:
    """Changes whenever what turns data into a PDF changes: templates, CSS, profiles,
    this module, the template filters and the fonts."""
    global _version
    if _version is None:
        digest = hashlib.sha256(weasyprint.__version__.encode())
        # pikepdf and its qpdf write the merged PDF of a long appendix (reports.split).
        digest.update(f"{pikepdf.__version__} {pikepdf.__libqpdf_version__}".encode())
        files = [
            *sorted(TEMPLATE_DIR.glob("*.html")),
            STYLESHEET,
            Path(profiles.__file__),
            Path(__file__),  # profile_css
            Path(split.__file__),  # how a long appendix's two parts are joined
            Path(report_tags.__file__),  # number and date formats
            *sorted(FONT_DIR.glob("*.ttf")),
        ]
        for path in files:
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
        digest.update(json.dumps(PDF_OPTIONS, sort_keys=True).encode())
        _version = digest.hexdigest()
    return _version


def _plain(value):
    if dataclasses.is_dataclass(value):
        return value.__dict__
    if isinstance(value, Decimal | datetime.date):
        return str(value)
    raise TypeError(f"Cannot fingerprint {type(value).__name__}")


def fingerprint(template_name: str, data) -> str:
    """A hash of everything the document shows: any edit to its data gives a new one."""
    payload = json.dumps(
        [_renderer_version(), template_name, data],
        default=_plain,
        sort_keys=True,
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


@dataclass
class CachedPdf:
    name: str  # in the report cache's storage
    hit: bool
    # Opened at once: a render of newer data may delete the file the next moment, and
    # an open file outlives its deletion.
    file: BinaryIO


def report_storage():
    """The "reports" storage of settings.STORAGES (REPORT_CACHE_DIR by default)."""
    return storages["reports"]


def cached_pdf(template_name: str, data, *, name: str) -> CachedPdf:
    """The PDF of `data`, from the cache when this exact content was rendered before.

    `name` identifies the report (e.g. "review-12"); one file per report is kept, so
    an edit replaces the stale PDF instead of piling files up.
    """
    file_name = _cache_name(name, fingerprint(template_name, data))
    return _hit(file_name) or _render_to(file_name, name, template_name, data)


def cached_pdf_stamped(template_name: str, *, stamp: str, name: str, gather) -> CachedPdf:
    """Like `cached_pdf`, keyed by a cheap stamp of the data's state instead of the data.

    For reports whose gathering is itself costly: `gather()` runs only on a miss.
    """
    file_name = _stamped_name(template_name, stamp, name)
    return _hit(file_name) or _render_to(file_name, name, template_name, gather())


def cached_pdf_stamped_hit(template_name: str, *, stamp: str, name: str) -> CachedPdf | None:
    """The cached PDF `cached_pdf_stamped` would serve, or None: it never renders."""
    return _hit(_stamped_name(template_name, stamp, name))


def _stamped_name(template_name: str, stamp: str, name: str) -> str:
    key = hashlib.sha256(f"{_renderer_version()}|{template_name}|{stamp}".encode()).hexdigest()
    return _cache_name(name, key)


def _cache_name(name: str, key: str) -> str:
    return f"{name}-{key[:32]}.pdf"


def _hit(file_name: str) -> CachedPdf | None:
    try:
        return CachedPdf(name=file_name, hit=True, file=report_storage().open(file_name, "rb"))
    except FileNotFoundError:
        return None


def _render_to(file_name: str, name: str, template_name: str, data) -> CachedPdf:
    pdf = render_pdf(template_name, data)
    storage = report_storage()
    saved = storage.save(file_name, ContentFile(pdf))
    if saved != file_name:
        # Another worker rendered the same content meanwhile; its file stands.
        storage.delete(saved)
    stale = re.compile(re.escape(name) + r"-[0-9a-f]{32}\.pdf")
    for other in storage.listdir("")[1]:
        if other != file_name and stale.fullmatch(other):
            storage.delete(other)
    return CachedPdf(name=file_name, hit=False, file=io.BytesIO(pdf))
