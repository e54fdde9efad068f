import secrets

from django.core.management.base import BaseCommand, CommandError
from huey.exceptions import HueyException

from jobs.tasks import echo


class Command(BaseCommand):
    help = "Queue a trivial task and wait for a consumer to answer it (is a consumer running?)."

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=30)

    def handle(self, *args, timeout, **options):
        token = secrets.token_hex(8)
        try:
            answer = echo(token).get(blocking=True, timeout=timeout)
        except HueyException:
            raise CommandError(f"no consumer answered within {timeout:g} s") from None
        if answer != token:
            raise CommandError("the consumer answered with something else")
        self.stdout.write("queue ok: a consumer answered")
