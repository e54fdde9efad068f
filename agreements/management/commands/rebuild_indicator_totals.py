from django.core.management.base import BaseCommand, CommandError

from agreements.selectors import indicator_totals_drift
from agreements.services import indicator_totals_rebuild


class Command(BaseCommand):
    help = (
        "Recompute the stored yearly indicator totals from the figures, after data was "
        "loaded past the services; with --check, only report totals that differ."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="change nothing; exit non-zero if a stored total differs from the figures",
        )

    def handle(self, *args, check=False, **options):
        if check:
            drift = indicator_totals_drift()
            if drift:
                shown = ", ".join(f"{p or 'national'}/{y}/{i}" for p, y, i in drift[:10])
                raise CommandError(
                    f"{len(drift)} stored total(s) differ from the figures (province/year/"
                    f"indicator ids: {shown}); run rebuild_indicator_totals to recompute them"
                )
            self.stdout.write("stored indicator totals match the figures")
            return
        count = indicator_totals_rebuild()
        self.stdout.write(f"rebuilt {count} stored indicator total(s)")
