"""Hostile input on every URL, as every role: never a server error.

The URLs come from the resolver and the parameters from every FilterSet and admin list
filter, so pages added later are fuzzed without editing this file.
"""

import datetime
import logging

import django_filters
import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter
from django.urls.exceptions import NoReverseMatch

from agreements import services
from units.models import User

HOSTILE = [
    "0",
    "-1",
    "99999999999999999999999",
    "0-0",
    "99999-2030",
    "99999",
    "a" * 2000,
    "a " * 1000,
    "x\x00y",
    "\x01\x08\x1b[31m\x7f",
    "' OR 1=1 -- {{ request }}{% debug %}%s%n<script>alert(1)</script>",
]
# Parameters every list, search and admin page may read besides its filters.
COMMON_PARAMS = ["q", "term", "page", "p", "o", "year", "province", "sort", "next", "all"]
# Path parameters: a hostile value for each text converter, a huge number for ints.
HOSTILE_PATH_TEXT = ["46\x00", "a" * 2000, "%s{{x}}"]
HOSTILE_PATH_INT = "99999999999999999999999"
# Searches alone: long, many-worded, with NUL.
SEARCHES = ["a" * 2000, "a " * 1000, "x\x00y"]
ROLES = ["anonymous", "staff", "official", "outsider", "national_official", "superuser"]


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def known_params() -> list[str]:
    names = set(COMMON_PARAMS)
    for filterset in _subclasses(django_filters.FilterSet):
        for name, filter_ in filterset.base_filters.items():
            names.add(getattr(filter_, "param_name", None) or name)
    for model_admin in admin.site._registry.values():
        for entry in model_admin.list_filter:
            if isinstance(entry, str):
                names.add(f"{entry}__exact")
            elif hasattr(entry, "parameter_name"):
                names.add(entry.parameter_name)
    return sorted(names)


def url_patterns(patterns=None, namespace=None):
    """(name, pattern) of every named URL, namespaces included."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace) if part) or None
            yield from url_patterns(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield name, pattern


def sample_kwargs(name: str, pattern: URLPattern, objects: dict) -> tuple[dict | list, list]:
    """The pattern's parameters filled with real objects, and hostile variants of them."""
    converters = getattr(pattern.pattern, "converters", {})
    regex = pattern.pattern.regex
    if not converters and regex.groupindex:
        return {key: objects["app_label"] for key in regex.groupindex}, []
    if not converters and regex.groups:
        return [str(objects["agreement"])] * regex.groups, []
    kind = next((k for k in ("review", "attachment", "organization") if k in name), "agreement")
    real = {}
    for key, converter in converters.items():
        if key == "fmt":
            real[key] = "xlsx"
        elif key == "kind":
            real[key] = "agreements"
        elif key in ("year", "code"):
            real[key] = objects[key]
        else:
            real[key] = objects[kind] if isinstance(converter, IntConverter) else "1"
    hostile = []
    for key, converter in converters.items():
        if isinstance(converter, IntConverter):
            hostile.append({**real, key: HOSTILE_PATH_INT})
        else:
            hostile += [{**real, key: value} for value in HOSTILE_PATH_TEXT]
    return real, hostile


def _reverse(name: str, filling: dict | list) -> str | None:
    try:
        if isinstance(filling, list):
            return reverse(name, args=filling)
        return reverse(name, kwargs=filling)
    except NoReverseMatch:
        return None  # a hostile value the converter itself refuses


def concrete_urls(objects: dict) -> tuple[list[str], list[str]]:
    """Every named URL filled with real objects; and with hostile path values."""
    real_urls, hostile_urls = set(), set()
    for name, pattern in url_patterns():
        real, hostile = sample_kwargs(name, pattern, objects)
        real_urls.add(_reverse(name, real))
        hostile_urls.update(_reverse(name, filling) for filling in hostile)
    return sorted(real_urls - {None}), sorted(hostile_urls - {None})


@pytest.fixture
def hostile_world(world, review):
    superuser = User.objects.create_superuser("quantri", password="x")
    attachment = services.attachment_add(
        user=world.staff,
        agreement=world.agreement,
        uploaded_file=SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"),
        description="",
    )
    users = {
        "staff": world.staff,
        "official": world.official,
        "outsider": world.outsider,
        "national_official": world.national_official,
        "superuser": superuser,
    }
    objects = {
        "agreement": world.agreement.pk,
        "review": review.pk,
        "attachment": attachment.pk,
        "organization": world.hue_command.pk,
        "year": min(2025, datetime.date.today().year),
        "code": world.hue.code,
        "app_label": "agreements",
    }
    return users, objects


def fuzz(client: Client, urls: list[str], hostile_urls: list[str], params: list[str]) -> list:
    """Every known parameter at once with each hostile value; then the search alone (an
    invalid filter must not hide a failing search), then the hostile paths."""
    requests = [(url, dict.fromkeys(params, value)) for url in urls for value in HOSTILE]
    requests += [(url, {"q": value, "term": value}) for url in urls for value in SEARCHES]
    requests += [(url, {}) for url in hostile_urls]
    failures = []
    for url, query in requests:
        response = client.get(url, query)
        if response.status_code >= 500:
            error = response.exc_info[1] if response.exc_info else ""
            value = next(iter(query.values()), "")[:30]
            failures.append(f"{response.status_code} {url[:60]!r} {value!r}: {error!r}"[:300])
    return failures


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_no_input_makes_any_page_fail_for_any_role(hostile_world, role, caplog):
    caplog.set_level(logging.CRITICAL, logger="django.request")
    users, objects = hostile_world
    client = Client(raise_request_exception=False)
    if role != "anonymous":
        client.force_login(users[role])
    urls, hostile_urls = concrete_urls(objects)
    admin_prefix = reverse("admin:index")
    if role == "superuser":
        # Parameters matter on the admin's lists, exports and autocomplete; its pages of
        # one object ignore them and cost a form each, so only their paths are fuzzed.
        urls = [url for url in urls if not (url.startswith(admin_prefix) and "/1/" in url)]
    else:
        # Admin pages answer others with a redirect to the admin login.
        urls = [url for url in urls if not url.startswith(admin_prefix)]
        hostile_urls = [url for url in hostile_urls if not url.startswith(admin_prefix)]

    failures = fuzz(client, urls, hostile_urls, known_params())

    assert not failures, "\n".join(failures)


def test_the_fuzzed_urls_cover_the_lists_exports_autocomplete_and_reports():
    objects = {
        "agreement": 1,
        "review": 1,
        "attachment": 1,
        "organization": 1,
        "year": 2025,
        "code": "46",
        "app_label": "agreements",
    }
    urls, hostile_urls = concrete_urls(objects)
    for expected in (
        "/agreements/",
        "/agreements/export.xlsx",
        "/autocomplete/organizations/",
        "/reports/annual/2025/",
        "/reports/reviews/1/",
        "/admin/agreements/agreement/",
        "/admin/autocomplete/",
    ):
        assert expected in urls
    assert any(url.startswith("/agreements/export.") for url in hostile_urls)
    params = known_params()
    assert {"q", "period", "party", "signed_year", "review_missing", "province"} <= set(params)
