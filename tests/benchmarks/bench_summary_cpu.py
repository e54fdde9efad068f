"""The annual summaries' gathering and templating against their bare render, in CPU time.

Run with the test environment, on bench_reports' database (built on first use):

    python -m tests.benchmarks.bench_summary_cpu

CPU time (time.process_time) rather than the wall clock, so other processes on a busy
machine do not count: SQLite and WeasyPrint both run inside this process. Gathering
and templating must add at most 15% to the bare WeasyPrint render of the same HTML.
"""

import gc
import os
import statistics
import sys
import time

# bench_reports sets Django up on its database, so what it imports is used from it.
from tests.benchmarks.bench_reports import (
    ANNUAL_TEMPLATE,
    LIMIT,
    YEAR,
    AdministrativeUnit,
    Count,
    prepare,
    renderer,
    selectors,
)


def cpu(function):
    gc.collect()
    started = time.process_time()
    result = function()
    return time.process_time() - started, result


def measure(label: str, province, repeat: int) -> bool:
    def gather_and_template():
        data = selectors.annual_summary_data(province, YEAR)
        return data, renderer.render_html(ANNUAL_TEMPLATE, data)

    _, (data, html) = cpu(gather_and_template)
    renderer.html_to_pdf(html, data.head.profile)
    profile = data.head.profile
    gathered, bare = [], []
    for _ in range(repeat):
        elapsed, (_data, html) = cpu(gather_and_template)
        gathered.append(elapsed)
        bare.append(cpu(lambda html=html: renderer.html_to_pdf(html, profile))[0])
    gather_time, bare_time = statistics.median(gathered), statistics.median(bare)
    overhead = gather_time / bare_time
    verdict = "PASS" if 1 + overhead <= LIMIT else "FAIL"
    print(
        f"{label:<28} data+template {gather_time * 1000:6.1f} ms CPU "
        f"(min {min(gathered) * 1000:.1f}) | bare {bare_time * 1000:6.1f} ms CPU | "
        f"+{overhead:.1%} {verdict} (limit +{LIMIT - 1:.0%})"
    )
    return 1 + overhead <= LIMIT


def main() -> int:
    prepare()
    repeat = int(os.environ.get("BENCH_REPEAT", "7"))
    print(f"medians of {repeat} runs; load average {os.getloadavg()[0]:.2f}")
    results = [measure("national summary", None, repeat)]
    if os.environ.get("BENCH_PROVINCE"):
        busiest = (
            AdministrativeUnit.objects.provinces()
            .annotate(n=Count("agreements"))
            .order_by("-n", "code")
            .first()
        )
        results.append(measure(f"province summary ({busiest.code})", busiest, 1))
    print(f"load average at the end {os.getloadavg()[0]:.2f}")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
