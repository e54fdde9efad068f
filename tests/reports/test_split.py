"""A long appendix laid out in two processes (reports.split): the merged PDF reads as
the document rendered in one process, with its page numbers, its structure tree and
clean pages; anything failing falls back to one process."""

import io
import logging
import os

import pikepdf
import pytest

from reports import profiles, renderer, selectors, split
from tests.reports import layout
from tests.reports import pdf as read
from tests.reports.conftest import long_agreements

ANNUAL = "reports/annual_summary.html"
ROWS = 60
# The symbol of the agreement n (tests.reports.conftest.long_agreements), as it reads.
SYMBOL = "{}-QC/ĐUBĐBP"


@pytest.fixture
def split_settings(settings):
    settings.REPORT_RENDER_PROCESSES = 2
    settings.REPORT_SPLIT_MIN_ROWS = 20
    return settings


@pytest.fixture
def summary_data(world, split_settings):
    long_agreements(world, ROWS)
    return selectors.annual_summary_data(world.hue, 2025)


@pytest.fixture
def split_pdf(summary_data):
    return renderer.render_pdf(ANNUAL, summary_data)


@pytest.fixture
def whole_pdf(summary_data, split_settings):
    split_settings.REPORT_RENDER_PROCESSES = 1
    pdf = renderer.render_pdf(ANNUAL, summary_data)
    split_settings.REPORT_RENDER_PROCESSES = 2
    return pdf


def numbers_in_first_column(html: str) -> list[int]:
    rows = html[html.index('<table class="figures appendix') :].split("<tr><td>")[1:]
    return [int(row.split("</td>", 1)[0]) for row in rows]


def test_only_a_long_appendix_is_cut_and_only_with_a_second_process(settings):
    settings.REPORT_SPLIT_MIN_ROWS = 300
    settings.REPORT_RENDER_PROCESSES = 2
    assert split.split_point(299) is None
    cut = split.split_point(832)
    assert cut is not None and 832 // 4 <= cut <= 832 - 832 // 4
    # The body costs about as much as BODY_ROWS rows: the two parts get equal work.
    assert cut + split.BODY_ROWS == pytest.approx(832 - cut, abs=1)
    settings.REPORT_RENDER_PROCESSES = 1
    assert split.split_point(832) is None


def test_the_parts_hold_every_row_once_in_order(summary_data):
    parts = renderer.render_parts(ANNUAL, summary_data)
    assert parts.rest is not None
    rows = len(summary_data.appendix)
    assert rows > ROWS
    cut = split.split_point(rows)
    first, rest = numbers_in_first_column(parts.main), numbers_in_first_column(parts.rest)
    assert first == list(range(1, cut + 1))
    assert rest == list(range(cut + 1, rows + 1))
    # The body and the signature are in the first part only; the second is the table.
    assert "Nơi nhận" in parts.main and "Nơi nhận" not in parts.rest
    assert 'class="appendix-section wide rest"' in parts.rest
    assert numbers_in_first_column(parts.whole()) == list(range(1, rows + 1))


def test_the_rest_is_laid_out_in_another_process():
    assert split._pool().submit(os.getpid).result(timeout=60) != os.getpid()


def test_the_merged_pdf_reads_as_the_whole_document(split_pdf, whole_pdf, caplog):
    text, whole_text = read.flat(split_pdf), read.flat(whole_pdf)
    appendix = text[text.index("PHỤ LỤC") :]
    symbols = [SYMBOL.format(100 + n) for n in range(ROWS)]
    assert [appendix.count(symbol) for symbol in symbols] == [1] * ROWS
    positions = [appendix.index(symbol) for symbol in symbols]
    assert positions == sorted(positions)
    before_appendix = whole_text[: whole_text.index("PHỤ LỤC")]
    assert text.startswith(before_appendix)
    # The cut leaves the first part's last page partly empty: at most one page more.
    assert (
        len(read.pages(whole_pdf)) <= len(read.pages(split_pdf)) <= len(read.pages(whole_pdf)) + 1
    )
    assert "render worker" not in caplog.text and "merge" not in caplog.text


def test_every_page_but_the_first_is_numbered_in_the_same_place(split_pdf):
    pages = len(read.pages(split_pdf))
    assert read.top_margin_texts(split_pdf) == ["", *(str(n) for n in range(2, pages + 1))]
    first_rest_page = len(pikepdf.open(io.BytesIO(split_pdf)).pages) - rest_pages(split_pdf)
    numbers = {}
    for word in layout.words(split_pdf):
        if word.text == str(word.page) and word.top < 20 * 72 / 25.4:
            numbers[word.page] = (round((word.x0 + word.x1) / 2, 1), round(word.top, 1))
    # Pages of the first part's appendix and of the second part: one position.
    assert numbers[first_rest_page] == numbers[first_rest_page + 1]
    assert numbers[first_rest_page] == numbers[pages]


def rest_pages(pdf: bytes) -> int:
    """Pages whose structure elements sit under the Part that the second process made."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        root = document.Root.StructTreeRoot
        part = root.K[0].K[len(root.K[0].K) - 1]
        return len({int(kid.Pg.objgen[0]) for kid in walk(part) if "/Pg" in kid})


def walk(element):
    yield element
    kids = element.get("/K")
    if kids is None:
        return
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem":
            yield from walk(kid)


def elements(pdf: bytes) -> dict[str, int]:
    with pikepdf.open(io.BytesIO(pdf)) as document:
        counts: dict[str, int] = {}
        for element in walk(document.Root.StructTreeRoot.K[0]):
            counts[str(element.S)] = counts.get(str(element.S), 0) + 1
        return counts


def test_the_merged_pdf_is_one_structure_tree(split_pdf, whole_pdf):
    with pikepdf.open(io.BytesIO(split_pdf)) as document:
        root = document.Root.StructTreeRoot
        nums = root.ParentTree.Nums
        keys = [int(nums[i]) for i in range(0, len(nums), 2)]
        parents = [int(page.obj.StructParents) for page in document.pages]
        # Every page has its own key in the one parent tree, and every element found
        # from it points to a page of this file.
        assert len(set(parents)) == len(parents) and set(parents) <= set(keys)
        assert int(root.ParentTreeNextKey) == max(keys) + 1
        pages = {page.obj.objgen for page in document.pages}
        for i in range(1, len(nums), 2):
            for element in nums[i]:
                assert element.Pg.objgen in pages
                assert element.P.Type == "/StructElem"
        assert len(root.K) == 1 and root.K[0].S == "/Document"
        # Each element's parent is the one that lists it: one tree, not two joined.
        for element in walk(root.K[0]):
            kids = element.get("/K")
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem":
                    assert kid.P.objgen == element.objgen
        assert rest_pages(split_pdf) >= 1
    split_counts, whole_counts = elements(split_pdf), elements(whole_pdf)
    # Every cell of every row is tagged once, as in the document made in one process.
    assert split_counts["/TD"] == whole_counts["/TD"]
    assert split_counts["/Part"] == whole_counts["/Part"] + 1


def test_the_merged_pdf_keeps_clean_pages_and_the_bundled_font(split_pdf):
    assert layout.overlapping(split_pdf) == []
    margins = profiles.STATE.margins
    assert layout.outside(split_pdf, margins.left, margins.right) == []
    assert {font.family for font in read.fonts(split_pdf)} == {"Liberation Serif"}
    sizes = {(round(w), round(h)) for w, h in layout.page_sizes(split_pdf)[-3:]}
    assert sizes == {(842, 595)}


class BrokenPool:
    def submit(self, *args, **kwargs):
        raise RuntimeError("no worker")


def test_without_a_worker_the_document_is_rendered_in_one_process(
    summary_data, whole_pdf, monkeypatch, caplog
):
    monkeypatch.setattr(split, "_pool", lambda: BrokenPool())
    with caplog.at_level(logging.ERROR, logger="reports.split"):
        pdf = renderer.render_pdf(ANNUAL, summary_data)
    assert "Could not hand a report's appendix to the render worker" in caplog.text
    assert read.pages(pdf) == read.pages(whole_pdf)


def test_a_failure_in_the_worker_falls_back_to_one_process(summary_data, whole_pdf, caplog):
    parts = renderer.render_parts(ANNUAL, summary_data)
    with caplog.at_level(logging.ERROR, logger="reports.split"):
        # Nothing to render reaches the worker: its render fails there, not here.
        assert split.render_split(parts.main, None, "state") is None
        assert "The render worker failed on a report's appendix" in caplog.text
    assert read.pages(renderer.parts_to_pdf(parts, "state")) == read.pages(whole_pdf)
    # The worker is started again for the next document.
    assert split._pool().submit(os.getpid).result(timeout=60) != os.getpid()
