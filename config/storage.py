"""Where the application keeps files: settings.STORAGES for the local disk or a bucket.

Two storages hold files: "default" (uploads, issued documents and their signed copies,
job inputs and results) and "reports" (rendered PDFs, a cache). Every read and write goes
through Django's storage API, never a local path, so either may live in an S3-compatible
bucket (AWS S3, MinIO, Ceph...) that several servers share, through django-storages.
"""

from django.core.exceptions import ImproperlyConfigured

S3_BACKEND = "storages.backends.s3.S3Storage"
# Folders of the bucket, one per storage: the report cache deletes stale files of its
# own folder, and must never see the uploads.
S3_LOCATIONS = {"default": "media", "reports": "report-cache"}


def file_storages(backend: str, *, s3: dict | None = None) -> dict:
    """The "default" and "reports" entries of STORAGES.

    `backend` is "filesystem" (MEDIA_ROOT and REPORT_CACHE_DIR) or "s3", with `s3` the
    options of django-storages' S3Storage (bucket_name, endpoint_url, region_name...).
    The keys come from the environment as boto3 reads them (AWS_S3_ACCESS_KEY_ID or
    AWS_ACCESS_KEY_ID, and the secret), or from the machine's role.
    """
    if backend == "filesystem":
        return {
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "reports": {"BACKEND": "reports.storage.ReportCacheStorage"},
        }
    if backend == "s3":
        if not (s3 or {}).get("bucket_name"):
            raise ImproperlyConfigured(
                "STORAGE_BACKEND=s3 needs AWS_STORAGE_BUCKET_NAME; see README (Production)."
            )
        options = {
            **s3,
            # Two records may store files of the same name (two provinces' signed copy
            # no. 01): a second file gets a name of its own instead of replacing the first.
            "file_overwrite": False,
            # Private objects, served only by the application's scoped download views.
            "default_acl": None,
            "querystring_auth": True,
        }
        return {
            alias: {"BACKEND": S3_BACKEND, "OPTIONS": {**options, "location": location}}
            for alias, location in S3_LOCATIONS.items()
        }
    raise ImproperlyConfigured(
        f"STORAGE_BACKEND must be 'filesystem' or 's3', not {backend!r}; see README (Production)."
    )
