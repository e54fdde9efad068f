"""Refusal benchmark (not a test): how fast, and in how much memory, a maximal bad file is refused.

Run with the TEST_ENV variables of the Makefile:

    python -m tests.benchmarks.bench_refusal

It writes an XLSX file just under IMPORT_MAX_BYTES holding as many rows as fit (over a
million, far above IMPORT_MAX_ROWS) with a correct agreement header, then runs the
upload's own check (units.resources.check_file) on it, printing the time and the
process's peak resident memory. The file is built from raw XML parts, as openpyxl would take
minutes to write it.
"""

import io
import os
import resource
import time
import zipfile


def maximal_file(limit: int, headers: list[str]) -> tuple[bytes, int]:
    """An XLSX package of one sheet, rows added until the compressed size nears `limit`."""
    buffer = io.BytesIO()
    rows = 0
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        from tests.agreements import xlsx_files

        package.writestr("[Content_Types].xml", xlsx_files.CONTENT_TYPES)
        package.writestr("_rels/.rels", xlsx_files.ROOT_RELS)
        package.writestr("xl/workbook.xml", xlsx_files.WORKBOOK)
        package.writestr("xl/_rels/workbook.xml.rels", xlsx_files.WORKBOOK_RELS)
        with package.open("xl/worksheets/sheet1.xml", "w") as sheet:
            head = xlsx_files.sheet_xml([headers]).split("</sheetData>")[0]
            sheet.write(head.encode())
            while buffer.tell() < limit * 0.9:
                block = "".join(
                    f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>{n}/QC</t></is></c>'
                    f'<c r="B{n}"><v>{n % 97}</v></c></row>'
                    for n in range(rows + 2, rows + 2 + 10_000)
                )
                sheet.write(block.encode())
                rows += 10_000
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue(), rows


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings

    from agreements.resources import AgreementResource
    from tests.agreements.test_import_agreements import HEADERS
    from units.resources import check_file

    data, rows = maximal_file(settings.IMPORT_MAX_BYTES, HEADERS)
    print(f"file: {len(data) / 1e6:.1f} MB, {rows:,} data rows")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    message = check_file(AgreementResource(), data)
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"message: {message}")
    print(f"refused in {elapsed:.2f} s; process peak memory {peak:.0f} MB ({before:.0f} MB before)")


if __name__ == "__main__":
    main()
