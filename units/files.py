"""Stored files read back for a download, wherever the storage keeps them.

A file can go missing behind the database's back: deleted from the disk or the bucket by
hand, lost in a restore, or never copied to the volume another server mounts. Its row
still links to it, so a download must not fail with a 500: `open_stored` turns the
storage's FileNotFoundError into `StoredFileMissing`, a 404 whose page says what
happened (units.views.page_not_found), and logs a warning for the administrator.
"""

import logging

from django.core.files import File
from django.db.models.fields.files import FieldFile
from django.http import Http404

logger = logging.getLogger(__name__)


class StoredFileMissing(Http404):
    """A record points to a file its storage no longer holds."""


def open_stored(stored: FieldFile) -> File:
    """`stored` opened for reading; StoredFileMissing if the storage has lost it."""
    if not stored:
        raise Http404
    try:
        return stored.open("rb")
    except FileNotFoundError:
        logger.warning(
            "stored file missing: %s (%s.%s #%s)",
            stored.name,
            stored.instance._meta.label,
            stored.field.name,
            stored.instance.pk,
        )
        raise StoredFileMissing(stored.name) from None
