"""The renderer reads static files from disk and nothing else."""

import pytest

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
