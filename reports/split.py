"""A long appendix laid out in two processes at once, the halves merged into one PDF.

WeasyPrint lays a document out in one thread, about 5 ms per appendix row: a province
summary of 800 agreements took 5 s, nearly all of it the appendix. Its rows are
independent, so an appendix of REPORT_SPLIT_MIN_ROWS rows or more is printed as two
tables, the second starting on a new page; the second is rendered as a document of its
own in a worker process while this process renders the rest, and the two PDFs are then
merged with pikepdf (qpdf), structure trees included, so the result stays one tagged
PDF (PDF/UA).

Only the page numbers depend on the first part: the second part is laid out without
them, and once the first part's page count is known, a sheet of page numbers (a tiny
document on the same pages, numbered from there on) is laid over its pages, marked as a
pagination artifact.

Where the cut falls is a property of the document, not of the host: rendered in one
process (REPORT_RENDER_PROCESSES=1, or after any failure here) the document has the same
two tables on the same pages (renderer.Parts.whole), so every path gives the same pages.
"""

import hashlib
import io
import logging
import multiprocessing
import os
import re
import threading
import time
from concurrent.futures import BrokenExecutor, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

import pikepdf
from django.conf import settings

logger = logging.getLogger(__name__)

# reports.renderer imports this module, and the functions here call the renderer: they
# import it when they run. In the worker that also keeps unpickling this module's
# functions free of Django's app loading, which the worker's initializer does first.

# Laying out the document's body costs about as much as this many appendix rows: the
# cut gives both processes the same work.
BODY_ROWS = 160

_executor: ProcessPoolExecutor | None = None
_executor_lock = threading.Lock()
# After the worker stopped, failed to start or ran out of time, long documents are
# rendered in one process for a while instead of paying for a new worker each time.
BACKOFF_SECONDS = 600
_resting_until = 0.0

SUBSET_TAG = re.compile(r"^/([A-Z]{6})\+(.+)$")


def split_point(rows: int) -> int | None:
    """Where an appendix of `rows` rows is cut in two tables, or None: 0 < cut < rows."""
    if rows < max(4, settings.REPORT_SPLIT_MIN_ROWS):
        return None
    return min(max((rows - BODY_ROWS) // 2, rows // 4), rows - rows // 4)


def in_two_processes() -> bool:
    return settings.REPORT_RENDER_PROCESSES >= 2 and time.monotonic() >= _resting_until


def _start_worker(settings_module: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module)
    import django

    django.setup()
    from reports import renderer

    renderer.warm_up()


def _render(html: str, profile_key: str) -> bytes:
    from reports import renderer

    return renderer.html_to_pdf(html, profile_key)


def _pool() -> ProcessPoolExecutor:
    """The worker, started on first use and kept for the life of this process.

    forkserver, not fork: a web or job process has threads (one of them may hold the
    renderer's lock), and a child forked from it could inherit a held lock.
    """
    global _executor
    with _executor_lock:
        if _executor is None:
            _executor = ProcessPoolExecutor(
                max_workers=1,
                mp_context=multiprocessing.get_context("forkserver"),
                initializer=_start_worker,
                initargs=(os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings"),),
            )
        return _executor


def _discard_pool(pool: ProcessPoolExecutor) -> None:
    """Stops `pool`'s worker, even in the middle of a render, if it is still the current
    pool: another thread may already have replaced it with a healthy one."""
    global _executor, _resting_until
    with _executor_lock:
        if _executor is not pool:
            return
        _executor = None
        _resting_until = time.monotonic() + BACKOFF_SECONDS
    logger.warning("Long reports are rendered in one process for %d s", BACKOFF_SECONDS)
    # The executor cannot stop a task that has started; its process can be stopped.
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.terminate()
    pool.shutdown(wait=False, cancel_futures=True)


def start() -> None:
    """Starts the worker now, so the first long document does not wait for it."""
    if in_two_processes():
        _pool().submit(os.getpid).result(timeout=settings.REPORT_SPLIT_TIMEOUT)


def render_split(main: str, rest: str, profile_key: str) -> bytes | None:
    """The merged PDF of `main` and `rest` rendered at once, or None if that failed."""
    from reports import renderer

    deadline = time.monotonic() + settings.REPORT_SPLIT_TIMEOUT
    pool = _pool()
    try:
        future = pool.submit(_render, rest, profile_key)
    except Exception:
        logger.exception("Could not hand a report's appendix to the render worker")
        _discard_pool(pool)
        return None
    try:
        main_pdf = renderer.html_to_pdf(main, profile_key)
    except Exception:
        future.cancel()
        raise
    try:
        rest_pdf = future.result(timeout=max(0, deadline - time.monotonic()))
    except (FutureTimeout, BrokenExecutor):
        logger.exception("The render worker stopped or took too long on a report's appendix")
        _discard_pool(pool)
        return None
    except Exception:
        # The render itself failed there; the worker is fine for the next document.
        logger.exception("The render worker failed on a report's appendix")
        return None
    try:
        return merge(main_pdf, rest_pdf, profile_key)
    except Exception:
        logger.exception("Could not merge the two parts of a report")
        return None


def merge(main_pdf: bytes, rest_pdf: bytes, profile_key: str) -> bytes:
    """`rest_pdf`'s pages after `main_pdf`'s, numbered on, in one structure tree."""
    from reports import renderer

    with pikepdf.open(io.BytesIO(main_pdf)) as out, pikepdf.open(io.BytesIO(rest_pdf)) as rest:
        first, count = len(out.pages) + 1, len(rest.pages)
        numbers_pdf = renderer.page_numbers_pdf(first, count, profile_key)
        with pikepdf.open(io.BytesIO(numbers_pdf)) as numbers:
            if len(numbers.pages) != count:
                raise ValueError(f"{len(numbers.pages)} sheets of page numbers for {count} pages")
            taken = _subset_tags(out)
            _retag_subsets(rest, taken, "rest")
            _retag_subsets(numbers, taken, "numbers")
            _retag_headers(rest)
            _append_tagged(out, rest)
            _number(out, out.pages[first - 1 :], numbers)
        parents = [int(page.obj.StructParents) for page in out.pages]
        if len(out.pages) != first - 1 + count or len(set(parents)) != len(parents):
            raise ValueError("The merged document lost pages or shares structure keys")
        buffer = io.BytesIO()
        out.save(buffer, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return buffer.getvalue()


def _fonts(pdf: pikepdf.Pdf):
    """Every font the pages use, each once: a font with its descendants and descriptors."""
    seen = set()
    for page in pdf.pages:
        for font in page.obj.get("/Resources", {}).get("/Font", {}).values():
            if font.objgen in seen and font.objgen != (0, 0):
                continue
            seen.add(font.objgen)
            yield font


def _named(font) -> list:
    """The dictionaries of `font` that carry its subset's name (ISO 32000-1, 9.6.4)."""
    named = [(font, "/BaseFont")]
    for descendant in font.get("/DescendantFonts", []):
        named.append((descendant, "/BaseFont"))
        if "/FontDescriptor" in descendant:
            named.append((descendant.FontDescriptor, "/FontName"))
    if "/FontDescriptor" in font:
        named.append((font.FontDescriptor, "/FontName"))
    return named


def _subset_tags(pdf: pikepdf.Pdf) -> set[str]:
    tags = set()
    for font in _fonts(pdf):
        for dictionary, key in _named(font):
            match = SUBSET_TAG.match(str(dictionary.get(key, "")))
            if match:
                tags.add(match.group(1))
    return tags


def _retag_subsets(pdf: pikepdf.Pdf, taken: set[str], salt: str) -> None:
    """New six-letter tags for `pdf`'s font subsets, none of them in `taken`.

    WeasyPrint names a subset after the font, not after its glyphs, so each part embeds
    a different subset of the same font under the same name; one file must not hold two
    subsets of one name (ISO 32000-1, 9.6.4)."""
    for font in _fonts(pdf):
        renamed = {}
        for dictionary, key in _named(font):
            match = SUBSET_TAG.match(str(dictionary.get(key, "")))
            if not match:
                continue
            tag = renamed.get(match.group(1))
            if tag is None:
                tag, attempt = match.group(1), 0
                while tag in taken:
                    digest = hashlib.sha256(f"{salt}{attempt}{match.group(0)}".encode()).digest()
                    tag = "".join(chr(65 + byte % 26) for byte in digest[:6])
                    attempt += 1
                taken.add(tag)
                renamed[match.group(1)] = tag
            dictionary[key] = pikepdf.Name(f"/{tag}+{match.group(2)}")


def _elements(element):
    yield element
    kids = element.get("/K")
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem":
            yield from _elements(kid)


def _retag_headers(pdf: pikepdf.Pdf) -> None:
    """Table header IDs of the second part, made distinct from the first part's.

    WeasyPrint names a header cell after its table's object number, which the two
    files may share; the cells that refer to it (/A /Headers) are renamed alike."""
    for element in _elements(pdf.Root.StructTreeRoot.K[0]):
        if "/ID" in element:
            element.ID = pikepdf.String("rest-" + str(element.ID))
        attributes = element.get("/A")
        for attribute in attributes if isinstance(attributes, pikepdf.Array) else [attributes]:
            if isinstance(attribute, pikepdf.Dictionary) and "/Headers" in attribute:
                attribute.Headers = pikepdf.Array(
                    [pikepdf.String("rest-" + str(header)) for header in attribute.Headers]
                )


def _pairs(nums: pikepdf.Array):
    return [(int(nums[i]), nums[i + 1]) for i in range(0, len(nums), 2)]


def _append_tagged(out: pikepdf.Pdf, rest: pikepdf.Pdf) -> None:
    """Appends `rest`'s pages, and its structure tree as a Part of `out`'s Document.

    WeasyPrint writes one Document element under the root and a flat parent tree
    (page i has StructParents i, link annotations follow): the keys of `rest` move past
    `out`'s, and its Document becomes a Part whose parent is `out`'s Document.
    """
    root, rest_root = out.Root.StructTreeRoot, rest.Root.StructTreeRoot
    nums, rest_nums = root.ParentTree.Nums, rest_root.ParentTree.Nums
    document, rest_document = root.K[0], rest_root.K[0]
    offset = max((key for key, _ in _pairs(nums)), default=-1) + 1
    start = len(out.pages)
    # One copier per foreign file: the pages copied here are the ones the structure
    # elements copied below point to (their /Pg).
    out.pages.extend(rest.pages)
    for page in out.pages[start:]:
        if "/StructParents" in page.obj:
            page.obj.StructParents = int(page.obj.StructParents) + offset
        for annotation in page.obj.get("/Annots", []):
            if "/StructParent" in annotation:
                annotation.StructParent = int(annotation.StructParent) + offset
    part = out.copy_foreign(rest_document)
    part.S = pikepdf.Name.Part
    part.P = document
    document.K.append(part)
    for key, value in _pairs(rest_nums):
        nums.append(key + offset)
        nums.append(_copied(out, value))
    root.ParentTreeNextKey = max(key for key, _ in _pairs(nums)) + 1


def _copied(out: pikepdf.Pdf, value):
    """`value` of the other file in `out`: qpdf copies only indirect objects, so a direct
    array (a page's list of structure elements) is rebuilt around its copied items."""
    if isinstance(value, pikepdf.Array) and not value.is_indirect:
        return pikepdf.Array([_copied(out, item) for item in value])
    if isinstance(value, pikepdf.Object) and value.is_indirect:
        return out.copy_foreign(value)
    return value


def _number(out: pikepdf.Pdf, pages, numbers: pikepdf.Pdf) -> None:
    """Lays each sheet of page numbers over its page, as a pagination artifact
    (ISO 32000-1, 14.8.2.2; PDF/UA-1, 7.1).

    WeasyPrint shares one resource dictionary between pages and leaves its
    transformation (y flipped) in force at the end of a page's content: each page gets
    its own resources, and its own content is wrapped in q … Q first."""
    for page, sheet in zip(pages, numbers.pages, strict=True):
        if [float(v) for v in page.mediabox] != [float(v) for v in sheet.mediabox]:
            raise ValueError("A sheet of page numbers is not the size of its page")
        resources = page.obj.get("/Resources", pikepdf.Dictionary())
        page.obj.Resources = pikepdf.Dictionary(dict(resources.items()))
        page.obj.Resources.XObject = pikepdf.Dictionary(
            dict(resources.get("/XObject", pikepdf.Dictionary()).items())
        )
        form = out.copy_foreign(sheet.as_form_xobject())
        name = page.add_resource(form, pikepdf.Name.XObject, prefix="PageNumber")
        page.contents_add(out.make_stream(b"q\n"), prepend=True)
        stream = (
            b"\nQ\n/Artifact <</Type /Pagination /Subtype /Header>> BDC q "
            + name.unparse()
            + b" Do Q EMC\n"
        )
        page.contents_add(out.make_stream(stream), prepend=False)
