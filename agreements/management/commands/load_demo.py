from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from agreements.demo import DemoLoader
from agreements.models import Agreement, Review
from units.models import Organization, User


class Command(BaseCommand):
    help = "Load the demo provinces, organizations, agreements, reviews and accounts (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Load even with DEBUG off (never in production)."
        )

    def handle(self, *args, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "Demo data is for development: DEBUG is off. Use --force if you really mean it."
            )
        DemoLoader(stdout=self.stdout).run()
        self.stdout.write(
            f"organizations: {Organization.objects.count()}, agreements: "
            f"{Agreement.objects.count()}, reviews: {Review.objects.count()}, "
            f"users: {User.objects.count()}; password of demo accounts: DEMO_PASSWORD"
        )
