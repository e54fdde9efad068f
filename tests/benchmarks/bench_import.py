"""Import benchmark (not a test): 10,000 agreement rows from one XLSX file.

Run with the TEST_ENV variables of the Makefile:

    python -m tests.benchmarks.bench_import

(BENCH_IMPORT_ROWS=1000 for a quicker run.)
It builds its own SQLite database under var/, loads the real administrative units,
creates 100 border posts and 100 commune party committees of Huế (10,000 distinct
pairs, so no two rows clash), writes the file, then times the preview (a dry run that
checks every row as the import does but writes none) and the real import, printing rows
per second. Every row is checked by agreements.services' rules and recorded with
history, as the staff page does (new agreements written together by AgreementBatch).
Each step also prints its CPU time: on the shared machine the wall clock mostly
measures the other processes, and rows per CPU second is what a quiet server would see.
"""

import os
import time
from pathlib import Path

ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "10000"))
BASE_DIR = Path(__file__).resolve().parents[2]
DATABASE = BASE_DIR / "var" / "bench-import.sqlite3"


def setup_django() -> None:
    DATABASE.parent.mkdir(parents=True, exist_ok=True)
    DATABASE.unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{DATABASE}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from units.services import admin_units_load

    admin_units_load()


def build_file() -> tuple[bytes, object]:
    import tablib

    from agreements.resources import AgreementResource
    from units.models import AdministrativeUnit, Level, Organization, User
    from units.resources import write_table

    hue = AdministrativeUnit.objects.current().get(code="46")
    user = User.objects.create_superuser("bench", password="bench-only")
    posts, committees = [], []
    for i in range(100):
        posts.append(
            Organization(
                code=f"DBP-{i:03d}",
                name=f"Đồn Biên phòng số {i}",
                kind=Organization.Kind.BORDER_POST,
                level=Level.COMMUNE,
                province=hue,
            )
        )
        committees.append(
            Organization(
                code=f"DUX-{i:03d}",
                name=f"Đảng ủy xã số {i}",
                kind=Organization.Kind.LOCAL_PARTY_COMMITTEE,
                level=Level.COMMUNE,
                province=hue,
            )
        )
    for organization in posts + committees:
        organization.refresh_search_text()
    Organization.objects.bulk_create(posts + committees)

    resource = AgreementResource()
    resource.party_slots = 2
    columns = [c.key for c in resource.columns()]
    dataset = tablib.Dataset(headers=[str(c.header) for c in resource.columns()])
    for n in range(ROWS):
        values = {
            "number": f"{n + 1}/QC-ĐU",
            "title": f"Quy chế phối hợp số {n + 1} giữa đồn biên phòng và đảng ủy xã",
            "kind": "Quy chế phối hợp",
            "signed_on": "28/12/2020",
            "valid_from": "01/01/2021",
            "valid_until": "31/12/2030",
            "focus_areas": "information_exchange; sovereignty_security; party_building",
            "legal_bases": "66/2020/QH14; 33-NQ/TW",
            "summary": "Phối hợp trao đổi thông tin, tuần tra, xây dựng cơ sở.",
            "party_1": f"DBP-{n // 100:03d}",
            "party_1_role": "Chủ trì",
            "party_1_signatory": "Nguyễn Văn A",
            "party_1_title": "Bí thư Đảng ủy",
            "party_2": f"DUX-{n % 100:03d}",
            "party_2_signatory": "Trần Văn B",
            "party_2_title": "Bí thư Đảng ủy",
        }
        dataset.append([values.get(key, "") for key in columns])
    return write_table(dataset, "xlsx"), user


def main() -> None:
    setup_django()
    from agreements.models import Agreement
    from agreements.resources import AgreementResource
    from units.resources import run_import

    content, user = build_file()
    print(f"file: {ROWS} agreement rows, {len(content) / 1024:.0f} KiB XLSX")
    rates = {}
    for label, dry_run in (("preview (dry run)", True), ("import", False)):
        started, cpu_started = time.perf_counter(), time.process_time()
        outcome = run_import(AgreementResource(), content, user=user, dry_run=dry_run)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        if not outcome.ok:
            raise SystemExit(f"import failed: {outcome.file_error or outcome.problems[:3]}")
        rates[label] = ROWS / elapsed
        print(
            f"{label}: {elapsed:.1f} s, {rates[label]:.0f} rows/s; "
            f"CPU {cpu:.1f} s, {ROWS / cpu:.0f} rows per CPU second"
        )
    history = Agreement.history.filter(history_user=user).count()
    print(f"agreements: {Agreement.objects.count()}, history rows by the importer: {history}")
    # The last line, for scripts that compare runs: the confirm step's rate.
    print(f"import rows/s: {rates['import']:.0f}")


if __name__ == "__main__":
    main()
