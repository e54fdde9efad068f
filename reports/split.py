"""A long appendix laid out in two processes at once, the halves merged into one PDF.

WeasyPrint lays a document out in one thread, about 5 ms per appendix row: a province
summary of 800 agreements took 5 s, nearly all of it the appendix. Its rows are
independent, so the end of the appendix is rendered as a document of its own in a
worker process while this process renders the rest; the two PDFs are then merged with
pikepdf (qpdf), structure trees included, so the result stays one tagged PDF (PDF/UA).

Only the page numbers depend on the first part: the second part is laid out without
them, and once the first part's page count is known, a sheet of page numbers (a tiny
document on the same pages, numbered from there on) is laid over its pages, marked as
an artifact as WeasyPrint marks its own page numbers.

Anything going wrong in the worker or the merge falls back to one process: the caller
renders the whole document as one HTML, which gives the same pages.
"""

import io
import logging
import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor

import pikepdf
from django.conf import settings

logger = logging.getLogger(__name__)

# Laying out the document's body costs about as much as this many appendix rows: the
# split point gives both processes the same work.
BODY_ROWS = 160

_executor: ProcessPoolExecutor | None = None
_executor_lock = threading.Lock()


def split_point(rows: int) -> int | None:
    """Where the appendix of `rows` rows is cut, or None to render in one process."""
    if settings.REPORT_RENDER_PROCESSES < 2 or rows < settings.REPORT_SPLIT_MIN_ROWS:
        return None
    return min(max((rows - BODY_ROWS) // 2, rows // 4), rows - rows // 4)


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


def _discard_pool() -> None:
    global _executor
    with _executor_lock:
        if _executor is not None:
            _executor.shutdown(wait=False, cancel_futures=True)
            _executor = None


def start() -> None:
    """Starts the worker now, so the first long document does not wait for it."""
    if settings.REPORT_RENDER_PROCESSES >= 2:
        _pool().submit(os.getpid).result(timeout=settings.REPORT_SPLIT_TIMEOUT)


def render_split(main: str, rest: str, profile_key: str) -> bytes | None:
    """The merged PDF of `main` and `rest` rendered at once, or None if that failed."""
    from reports import renderer

    try:
        future = _pool().submit(_render, rest, profile_key)
    except Exception:
        logger.exception("Could not hand a report's appendix to the render worker")
        _discard_pool()
        return None
    main_pdf = renderer.html_to_pdf(main, profile_key)
    try:
        rest_pdf = future.result(timeout=settings.REPORT_SPLIT_TIMEOUT)
    except Exception:
        logger.exception("The render worker failed on a report's appendix")
        _discard_pool()
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
        first = len(out.pages) + 1
        numbers_pdf = renderer.page_numbers_pdf(first, len(rest.pages), profile_key)
        with pikepdf.open(io.BytesIO(numbers_pdf)) as numbers:
            if len(numbers.pages) != len(rest.pages):
                raise ValueError(
                    f"{len(numbers.pages)} sheets of page numbers for {len(rest.pages)} pages"
                )
            _append_tagged(out, rest)
            _number(out, out.pages[first - 1 :], numbers)
        buffer = io.BytesIO()
        out.save(buffer, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return buffer.getvalue()


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
    """Lays each sheet of page numbers over its page, as an artifact (PDF/UA 7.1).

    WeasyPrint leaves its transformation (y flipped) in force at the end of a page's
    content, so the page's own content is wrapped in q … Q first."""
    for page, sheet in zip(pages, numbers.pages, strict=True):
        form = out.copy_foreign(sheet.as_form_xobject())
        name = page.add_resource(form, pikepdf.Name.XObject, prefix="PageNumber")
        page.contents_add(out.make_stream(b"q\n"), prepend=True)
        stream = b"\nQ\n/Artifact BMC q " + name.unparse() + b" Do Q EMC\n"
        page.contents_add(out.make_stream(stream), prepend=False)
