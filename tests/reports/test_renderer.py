"""The renderer reads static files from disk and nothing else, and what it changes in
the process (the garbage collector, pydyf's page references) it changes safely."""

import gc

import pydyf
import pytest

from reports import renderer
from reports.renderer import STATIC_DIR, STYLESHEET, StaticFileFetcher


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/static/reports/report.css",
        "https://example.org/font.ttf",
        "ftp://example.org/x.css",
        "file:///etc/passwd",
        (STATIC_DIR / ".." / "manage.py").as_uri(),
        (STATIC_DIR / "reports" / "missing.css").as_uri(),
    ],
)
def test_it_refuses_anything_but_a_static_file(url):
    with pytest.raises(ValueError):
        StaticFileFetcher().fetch(url)


def test_it_reads_a_static_file_from_disk():
    response = StaticFileFetcher().fetch(STYLESHEET.as_uri())
    assert response.read() == STYLESHEET.read_bytes()


def test_a_render_leaves_the_garbage_collector_as_it_found_it():
    assert gc.isenabled()
    renderer.html_to_pdf("<p>Một trang.</p>", "state")
    assert gc.isenabled()
    gc.disable()
    try:
        renderer.html_to_pdf("<p>Một trang.</p>", "state")
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_failed_render_turns_the_garbage_collector_back_on(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("layout failed")

    monkeypatch.setattr(renderer.weasyprint.HTML, "write_pdf", broken)
    with pytest.raises(RuntimeError):
        renderer.html_to_pdf("<p>Một trang.</p>", "state")
    assert gc.isenabled()


def test_the_page_references_are_pydyfs_and_follow_added_pages():
    pdf = pydyf.PDF()
    for _ in range(3):
        pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
    first = pdf.page_references
    assert first == renderer._pydyf_page_references(pdf)
    assert len(first) == 3
    assert pdf.page_references is first  # built once for these pages
    pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
    assert pdf.page_references == renderer._pydyf_page_references(pdf)
    assert len(pdf.page_references) == 4
