import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from deadlines.services import digest_send_daily, notices_create_daily


class Command(BaseCommand):
    help = "Create today's notices and e-mail the daily digest (run once a day)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="the day to run for, YYYY-MM-DD (default: today)")
        parser.add_argument("--no-email", action="store_true", help="create notices only")

    def handle(self, *args, date=None, no_email=False, **options):
        try:
            on = datetime.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError:
            raise CommandError(f"Not a date (YYYY-MM-DD): {date}") from None
        created = notices_create_daily(on=on)
        self.stdout.write(f"{created} notices created for {on:%Y-%m-%d}.")
        if not no_email:
            sent = digest_send_daily(on=on)
            self.stdout.write(f"{sent} digest e-mails sent.")
