import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _load_settings(code="import django; django.setup()", **overrides):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG"}}
    env.update(overrides)
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_it_refuses_to_start_without_secret_key_when_debug_is_off():
    result = _load_settings(DEBUG="0", ALLOWED_HOSTS="example.vn")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_it_refuses_to_start_without_allowed_hosts_when_debug_is_off():
    result = _load_settings(DEBUG="0", SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS is not set" in result.stderr


def test_debug_defaults_to_off():
    result = _load_settings()
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_it_starts_with_both_set():
    result = _load_settings(DEBUG="0", SECRET_KEY="x" * 50, ALLOWED_HOSTS="example.vn")
    assert result.returncode == 0, result.stderr


def test_locale_and_time_zone(settings):
    assert settings.LANGUAGE_CODE == "vi"
    assert [code for code, _ in settings.LANGUAGES] == ["vi", "en"]
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    assert settings.USE_TZ is True


def _storages(**overrides):
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.STORAGES))"
    )
    result = _load_settings(code, DEBUG="1", **overrides)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_files_stay_on_the_local_disk_by_default():
    storages = _storages()
    assert storages["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert storages["reports"]["BACKEND"] == "reports.storage.ReportCacheStorage"


def test_storage_backend_s3_puts_every_file_in_the_bucket():
    storages = _storages(
        STORAGE_BACKEND="s3",
        AWS_STORAGE_BUCKET_NAME="phoihop-files",
        AWS_S3_ENDPOINT_URL="https://s3.example.vn",
        AWS_S3_REGION_NAME="hn-1",
    )
    for alias, location in (("default", "media"), ("reports", "report-cache")):
        assert storages[alias]["BACKEND"] == "storages.backends.s3.S3Storage"
        options = storages[alias]["OPTIONS"]
        assert options["bucket_name"] == "phoihop-files"
        assert options["endpoint_url"] == "https://s3.example.vn"
        assert options["region_name"] == "hn-1"
        assert options["location"] == location
        assert options["file_overwrite"] is False


def test_storage_backend_s3_without_a_bucket_refuses_to_start():
    result = _load_settings(DEBUG="1", STORAGE_BACKEND="s3")
    assert result.returncode != 0
    assert "AWS_STORAGE_BUCKET_NAME" in result.stderr


def test_an_unknown_storage_backend_refuses_to_start():
    result = _load_settings(DEBUG="1", STORAGE_BACKEND="ftp")
    assert result.returncode != 0
    assert "STORAGE_BACKEND must be" in result.stderr
