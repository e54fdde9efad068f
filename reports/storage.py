"""Where rendered PDFs are cached: a Django storage, so several servers can share it."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class ReportCacheStorage(FileSystemStorage):
    """REPORT_CACHE_DIR on the local disk (or a volume several servers mount).

    The folder is read from the settings on every use, not fixed at start-up, so a
    test's own folder takes effect.
    """

    @property
    def base_location(self):
        return self._value_or_setting(self._location, settings.REPORT_CACHE_DIR)

    @property
    def location(self):
        return os.path.abspath(self.base_location)
