"""Benchmark of the reports: render times, the overhead over bare WeasyPrint, cache hits.

Run with the test environment (see the Makefile's `bench` target):

    python -m tests.benchmarks.bench_reports

It uses its own SQLite database, var/bench-reports.sqlite3, built once with the
20,000-agreement data set (BENCH_AGREEMENTS changes the size; delete the file to
rebuild). For each report it prints the full render (gather data, template, PDF),
the bare WeasyPrint render of the same final HTML, and their ratio: gathering and
templating must add at most 15%.
"""

import gc
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATABASE = Path(os.environ.get("BENCH_DATABASE", ROOT / "var" / "bench-reports.sqlite3"))
os.environ["DATABASE_URL"] = f"sqlite:///{DATABASE}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["REPORT_CACHE_DIR"] = tempfile.mkdtemp(prefix="bench-report-cache-")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db.models import Count  # noqa: E402

from agreements.models import Agreement  # noqa: E402
from reports import renderer, selectors, split  # noqa: E402
from tests.benchmarks.dataset import build_agreements  # noqa: E402
from units.models import AdministrativeUnit  # noqa: E402
from units.services import admin_units_load  # noqa: E402

YEAR = 2025
REVIEW_TEMPLATE = "reports/review_summary.html"
ANNUAL_TEMPLATE = "reports/annual_summary.html"
LIMIT = 1.15


def prepare() -> None:
    DATABASE.parent.mkdir(exist_ok=True)
    call_command("migrate", verbosity=0)
    if Agreement.objects.exists():
        return
    count = int(os.environ.get("BENCH_AGREEMENTS", "20000"))
    started = time.perf_counter()
    admin_units_load()
    size = build_agreements(count, year=YEAR)
    print(
        f"built {size.agreements:,} agreements, {size.reviews:,} reviews, "
        f"{size.organizations:,} organizations in {time.perf_counter() - started:.1f} s"
    )


def timed(function):
    gc.collect()
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


def worker_cpu() -> float:
    """CPU seconds used so far by the worker that lays out the end of a long appendix."""
    pid = split._pool().submit(os.getpid).result()
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed_cpu(function):
    """Wall and CPU seconds (this process's and the render worker's): on a shared machine
    only the CPU time compares across runs."""
    gc.collect()
    started, started_cpu, started_worker = time.perf_counter(), time.process_time(), worker_cpu()
    result = function()
    elapsed, cpu = time.perf_counter() - started, time.process_time() - started_cpu
    return elapsed, cpu + worker_cpu() - started_worker, result


def measure(label: str, gather, template: str, name: str, repeat: int, stamp=None) -> bool:
    """Full and bare renders alternate, so drift in the machine affects both alike."""

    gather_times = []

    def full():
        started = time.perf_counter()
        data = gather()
        parts = renderer.render_parts(template, data)
        gather_times.append(time.perf_counter() - started)
        return parts, renderer.parts_to_pdf(parts, data.head.profile)

    profile = gather().head.profile
    full_times, bare_times, bare_cpu_times = [], [], []
    for _ in range(repeat):
        elapsed, (parts, pdf) = timed(full)
        full_times.append(elapsed)
        elapsed, cpu, _ = timed_cpu(lambda parts=parts: renderer.parts_to_pdf(parts, profile))
        bare_times.append(elapsed)
        bare_cpu_times.append(cpu)
    full_time, bare_time = statistics.median(full_times), statistics.median(bare_times)
    bare_cpu = statistics.median(bare_cpu_times)
    gather_time = statistics.median(gather_times)

    def cached():
        if stamp is None:
            result = renderer.cached_pdf(template, gather(), name=name)
        else:
            result = renderer.cached_pdf_stamped(template, stamp=stamp(), name=name, gather=gather)
        result.file.close()
        return result

    cached()
    hits = [timed(cached) for _ in range(5)]
    assert all(cached.hit for _, cached in hits)
    hit_time = statistics.median(elapsed for elapsed, _ in hits)
    ratio = full_time / bare_time
    # The added cost measured directly: full - bare also carries WeasyPrint's own
    # run-to-run noise, which is often larger than gathering a review.
    overhead = 1 + gather_time / bare_time
    verdict = "PASS" if overhead <= LIMIT else "FAIL"
    print(
        f"{label:<28} full {full_time * 1000:6.0f} ms | bare {bare_time * 1000:6.0f} ms "
        f"(CPU, both processes {bare_cpu * 1000:6.0f} ms) | "
        f"ratio full/bare {ratio:.3f} | data+template {gather_time * 1000:5.0f} ms = "
        f"+{overhead - 1:.1%} {verdict} (limit +{LIMIT - 1:.0%}) | "
        f"cache hit {hit_time * 1000:5.1f} ms | {len(pdf) // 1024:,} KiB"
    )
    return overhead <= LIMIT


def main() -> int:
    prepare()
    repeat = int(os.environ.get("BENCH_REPEAT", "3"))
    agreements = Agreement.objects.count()
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"data set: {agreements:,} agreements ({DATABASE.name}); load average {load}")
    print(
        f"medians of {repeat} renders each; a review's cache hit gathers its data, an annual "
        "summary's reads a stamp of the data's state, then the PDF"
    )
    review = (
        selectors.reviews_for_report()
        .filter(year=YEAR)
        .annotate(n=Count("indicator_values"))
        .order_by("-n", "id")
        .first()
    )
    busiest = (
        AdministrativeUnit.objects.provinces()
        .annotate(n=Count("agreements"))
        .order_by("-n", "code")
        .first()
    )
    # Warm up: the first render loads fonts and stylesheets once per process, and the
    # worker that lays out the end of a long appendix starts (reports.split).
    renderer.html_to_pdf(
        renderer.render_html(REVIEW_TEMPLATE, selectors.review_summary_data(review)), "state"
    )
    split.start()

    results = [
        measure(
            "review summary",
            lambda: selectors.review_summary_data(selectors.reviews_for_report().get(pk=review.pk)),
            REVIEW_TEMPLATE,
            f"bench-review-{review.pk}",
            repeat,
        ),
        measure(
            f"province summary ({busiest.code}, {busiest.n:,})",
            lambda: selectors.annual_summary_data(busiest, YEAR),
            ANNUAL_TEMPLATE,
            f"bench-annual-{busiest.code}",
            repeat,
            stamp=lambda: selectors.annual_summary_stamp(busiest, YEAR),
        ),
        measure(
            "national summary",
            lambda: selectors.annual_summary_data(None, YEAR),
            ANNUAL_TEMPLATE,
            "bench-annual-national",
            repeat,
            stamp=lambda: selectors.annual_summary_stamp(None, YEAR),
        ),
    ]
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"load average at the end: {load}")
    if not all(results):
        print(f"FAIL: gathering and templating add more than {LIMIT - 1:.0%} to a render")
        return 1
    print(f"PASS: gathering and templating add at most {LIMIT - 1:.0%} to every render")
    return 0


if __name__ == "__main__":
    sys.exit(main())
