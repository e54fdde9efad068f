"""Render the annual summary of every scope (or the named ones) into a folder."""

import shutil
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports import renderer, selectors, views
from units.models import AdministrativeUnit

BAR_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Renders the annual summary PDFs for a year: national and every province with "
        "agreements, or the scopes named by --scope (a province code, or 'national')."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument(
            "--scope",
            action="append",
            nargs="+",
            default=[],
            metavar="CODE",
            help="Province code, or 'national'. Repeatable.",
        )
        parser.add_argument("--out", required=True, help="Folder for the PDFs.")

    def handle(self, *args, year: int, scope: list[list[str]], out: str, **options):
        directory = Path(out)
        directory.mkdir(parents=True, exist_ok=True)
        codes = [code for group in scope for code in group]
        scopes = self._scopes(codes)
        failures: list[tuple[str, str]] = []
        written = 0
        for index, (code, province) in enumerate(scopes, start=1):
            self._progress(index - 1, len(scopes), code)
            # One scope's failure must not stop the batch: it is listed at the end.
            try:
                if province is False:
                    raise CommandError(f"unknown province code {code}")
                code_of_scope, scope_name = selectors.scope_label(province)
                cached = renderer.cached_pdf_stamped(
                    views.ANNUAL_TEMPLATE,
                    stamp=selectors.annual_summary_stamp(province, year),
                    name=f"annual-{year}-{code_of_scope}",
                    gather=lambda province=province: selectors.annual_summary_data(province, year),
                )
                _, ascii_name = views.file_names("Báo cáo tổng hợp", str(year), scope_name)
                with cached.file, open(directory / ascii_name, "wb") as out:
                    shutil.copyfileobj(cached.file, out)
                written += 1
            except Exception as error:
                failures.append((code, f"{type(error).__name__}: {error}"))
        self._progress(len(scopes), len(scopes), "")
        sys.stderr.write("\n")
        self.stdout.write(f"{written}/{len(scopes)} reports written to {directory}")
        if failures:
            for code, message in failures:
                self.stderr.write(f"FAILED {code}: {message}")
            raise CommandError(f"{len(failures)} of {len(scopes)} reports failed")

    def _scopes(self, codes: list[str]) -> list[tuple[str, AdministrativeUnit | None | bool]]:
        """(code, province) pairs; None is national, False an unknown code."""
        # Current provinces only, as the web page serves: an abolished one's agreements
        # belong to its successor.
        if not codes:
            return [(p.code if p else views.NATIONAL, p) for p in selectors.annual_scopes()]
        provinces = AdministrativeUnit.objects.provinces().current()
        known = {p.code: p for p in provinces.filter(code__in=codes)}
        return [
            (code, None if code == views.NATIONAL else known.get(code, False)) for code in codes
        ]

    def _progress(self, done: int, total: int, label: str) -> None:
        filled = BAR_WIDTH * done // max(total, 1)
        bar = "#" * filled + "." * (BAR_WIDTH - filled)
        sys.stderr.write(f"\r[{bar}] {done}/{total} {label:<12}")
        sys.stderr.flush()
