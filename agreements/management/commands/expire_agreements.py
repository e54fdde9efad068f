from django.core.management.base import BaseCommand

from agreements.services import agreements_expire_due


class Command(BaseCommand):
    help = "Mark in-force agreements whose period has ended as expired (run daily from cron)."

    def handle(self, *args, **options):
        count = agreements_expire_due()
        self.stdout.write(f"expired {count} agreement(s)")
