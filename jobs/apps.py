from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = _("Công việc chạy nền")

    def ready(self):
        # Job runners and periodic tasks live in each app's tasks.py; the web process
        # needs the runners too (immediate mode runs them in-process).
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("tasks")
