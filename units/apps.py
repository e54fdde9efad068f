from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    name = "units"
    verbose_name = _("Đơn vị, tổ chức")

    def ready(self):
        # The security log's receivers (failed logins, lockouts) connect on import.
        import config.security  # noqa: F401
