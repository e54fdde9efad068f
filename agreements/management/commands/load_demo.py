from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from agreements.demo import DemoLoader
from agreements.models import Agreement, Review
from documents.demo import load_issued_documents
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
        issued = load_issued_documents(admin=User.objects.get(username="admin"))
        self.stdout.write(f"issued documents: {issued} new")
        self.stdout.write(
            f"organizations: {Organization.objects.count()}, agreements: "
            f"{Agreement.objects.count()}, reviews: {Review.objects.count()}, "
            f"users: {User.objects.count()}; password of demo accounts: DEMO_PASSWORD"
        )
