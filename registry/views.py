"""One list, detail, edit, delete, history and export view for every registered type.

Each view fetches through `units.scoping` (out of scope: 404; in scope without the
right: 403), hands input to the type's form, whose save calls the type's service, and
redirects; or queries and renders an explicit context.
"""

import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django_tables2 import RequestConfig

from jobs.services import job_submit
from registry import history
from registry.base import REGISTRY, ObjectType, get_type
from registry.exports import EXPORT_FORMATS, export_content, scope_params
from registry.forms import add_service_errors
from registry.selectors import filtered
from units.scoping import get_scoped_or_404, has_model_permission, permits, restrict, scope_of

PAGE_SIZES = (25, 50, 100)


class LenientPaginator(Paginator):
    """A page number past the end or not a number shows the last or first page."""

    def validate_number(self, number):
        try:
            return super().validate_number(number)
        except PageNotAnInteger:
            return 1
        except EmptyPage:
            return max(self.num_pages, 1)


def _per_page(request) -> int:
    try:
        size = int(request.GET.get("per_page", PAGE_SIZES[0]))
    except (TypeError, ValueError):
        return PAGE_SIZES[0]
    return size if size in PAGE_SIZES else PAGE_SIZES[0]


def _object(request, object_type: ObjectType, value, action: str = "view"):
    queryset = object_type.get_detail_queryset()
    if object_type.lookup != "pk":
        # A code may have been used by an abolished unit too: the queryset's order
        # says which one the address means (the current one first).
        first = restrict(queryset, request.user).filter(**{object_type.lookup: value}).first()
        if first is None:
            raise Http404
        value, queryset = first.pk, queryset.filter(pk=first.pk)
    return get_scoped_or_404(queryset, request.user, action, pk=value)


def _url(object_type: ObjectType, page: str, obj=None, args=None) -> str | None:
    if args is None:
        args = [getattr(obj, object_type.lookup)] if obj is not None else []
    try:
        return reverse(object_type.url_name(page), args=args)
    except NoReverseMatch:
        return None


def object_urls(object_type: ObjectType, obj, user) -> dict:
    """The links a detail page or a row offers this user: only what they may do."""
    urls = {
        "detail": _url(object_type, "detail", obj),
        "history": _url(object_type, "history", obj),
    }
    if object_type.edit_url_name and permits(user, "change", obj):
        urls["edit"] = reverse(object_type.edit_url_name, args=[obj.pk])
    elif object_type.form is not None and permits(user, "change", obj):
        urls["edit"] = _url(object_type, "edit", obj)
    if object_type.delete is not None and permits(user, "delete", obj):
        urls["delete"] = _url(object_type, "delete", obj)
    return urls


def _create_url(object_type: ObjectType, user) -> str | None:
    if not has_model_permission(user, object_type.model, "add"):
        return None
    if object_type.create_url_name:
        return reverse(object_type.create_url_name)
    return _url(object_type, "create") if object_type.form is not None else None


LIST_CACHE_SECONDS = 600


def _list_cache_key(request, object_type: ObjectType) -> str | None:
    """What the list's cached part depends on: the data, what the user may see (rows
    and choices follow the scope alone), the language, the day ("in force today") and
    the query string."""
    if object_type.list_stamp is None:
        return None
    parts = (
        object_type.key,
        object_type.list_stamp(),
        scope_of(request.user),
        get_language(),
        timezone.localdate().isoformat(),
        sorted(request.GET.lists()),
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()


class _Listing:
    """The filter and the paginated table, built on first use: a list served from the
    cache uses neither and runs none of their queries."""

    def __init__(self, request, object_type: ObjectType):
        self.request, self.object_type = request, object_type

    @cached_property
    def filterset(self):
        return filtered(self.request, self.object_type)[0]

    @cached_property
    def table(self):
        request = self.request
        filterset = self.filterset
        queryset = filterset.qs if filterset.is_bound else filterset.queryset
        table = self.object_type.table(queryset, request=request)
        # Sorting from the request; the page size only from the allowed ones, never any
        # number a URL asks for (django-tables2 would take `per_page` as it stands).
        RequestConfig(request, paginate=False).configure(table)
        table.paginate(
            paginator_class=LenientPaginator,
            page=request.GET.get("page") or 1,
            per_page=_per_page(request),
        )
        return table


@login_required
@require_GET
def object_list(request, type_key: str):
    object_type = get_type(type_key)
    listing = _Listing(request, object_type)
    table = SimpleLazyObject(lambda: listing.table)
    filterset = SimpleLazyObject(lambda: listing.filterset)
    cache_key = _list_cache_key(request, object_type)
    context = {
        "type": object_type,
        "filter": filterset,
        "table": table,
        "page_sizes": PAGE_SIZES,
        "per_page": _per_page(request),
        "list_url": _url(object_type, "list"),
        "export_urls": {fmt: _url(object_type, "export", args=[fmt]) for fmt in EXPORT_FORMATS},
        "create_url": _create_url(object_type, request.user),
        "list_cache_key": cache_key,
        # A timeout of 0 caches nothing: types without a stamp render every time.
        "list_cache_seconds": LIST_CACHE_SECONDS if cache_key else 0,
    }
    if object_type.list_context is not None:
        context.update(object_type.list_context(request, table, filterset))
    return render(request, object_type.list_template, context)


@login_required
@require_GET
def object_export(request, type_key: str, fmt: str):
    """The filtered list, every page, in the order shown; a long one as a background job."""
    if fmt not in EXPORT_FORMATS:
        raise Http404
    object_type = get_type(type_key)
    _filterset, rows = filtered(request, object_type)
    total = rows.count()
    if total > settings.EXPORT_INLINE_MAX_ROWS:
        job = job_submit(
            once=True,
            user=request.user,
            kind="list_export",
            title=_("Xuất danh sách %(list)s (%(format)s, %(rows)s dòng)")
            % {
                "list": object_type.label_plural,
                "format": fmt.upper(),
                "rows": number_format(total, force_grouping=True),
            },
            params={
                "type": type_key,
                "fmt": fmt,
                # Filters and sort order; the rows' scope is the job's user's, at run time.
                "query": request.GET.urlencode(),
                "language": get_language(),
                "scope": scope_params(scope_of(request.user)),
            },
        )
        return redirect("jobs:detail", job.pk)
    content, content_type, filename = export_content(request, object_type, fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@login_required
@require_GET
def object_detail(request, type_key: str, value=None, pk=None):
    object_type = get_type(type_key)
    obj = _object(request, object_type, pk if value is None else value)
    context = {
        "type": object_type,
        "object": obj,
        "urls": object_urls(object_type, obj, request.user),
        "tab": "detail",
        "fields": history.field_rows(obj, object_type.detail_fields),
        "panels": [
            {"template": panel.template, **panel.context(request, obj)}
            for panel in object_type.panels
        ],
        "extra_actions": object_type.extra_actions(request, obj)
        if object_type.extra_actions
        else [],
    }
    if object_type.detail_context is not None:
        context.update(object_type.detail_context(request, obj))
    return render(request, object_type.detail_template, context)


@login_required
def object_edit(request, type_key: str, value=None, pk=None):
    """Create (no value) or change one object through its type's form and service."""
    object_type = get_type(type_key)
    if object_type.form is None:
        raise Http404
    obj = None
    value = pk if value is None else value
    if value is not None:
        obj = _object(request, object_type, value, "change")
    elif not has_model_permission(request.user, object_type.model, "add"):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    form = object_type.form(data, files, user=request.user, instance=obj)
    if data is not None and form.is_valid():
        try:
            saved = form.save(user=request.user)
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(request, _("Đã lưu."))
            return redirect(_url(object_type, "detail", saved))
    context = {
        "type": object_type,
        "object": obj,
        "form": form,
        "cancel_url": _url(object_type, "detail", obj) if obj else _url(object_type, "list"),
    }
    return render(request, "registry/form.html", context)


@login_required
def object_delete(request, type_key: str, value=None, pk=None):
    """Deleting asks first and shows what will go; only drafts may be deleted."""
    object_type = get_type(type_key)
    if object_type.delete is None:
        raise Http404
    obj = _object(request, object_type, pk if value is None else value, "delete")
    if request.method == "POST":
        try:
            object_type.delete(user=request.user, obj=obj)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(_url(object_type, "detail", obj))
        messages.success(request, _("Đã xóa."))
        return redirect(_url(object_type, "list"))
    context = {
        "type": object_type,
        "object": obj,
        "fields": history.field_rows(obj, object_type.detail_fields),
        "cancel_url": _url(object_type, "detail", obj),
    }
    return render(request, "registry/confirm_delete.html", context)


@login_required
@require_GET
def object_history(request, type_key: str, value=None, pk=None):
    """Every change of every field: who, when, old → new."""
    object_type = get_type(type_key)
    obj = _object(request, object_type, pk if value is None else value)
    page = history.changes_page(obj, request.GET.get("page"))
    context = {
        "type": object_type,
        "object": obj,
        "urls": object_urls(object_type, obj, request.user),
        "tab": "history",
        "page": page,
        "changes": page.object_list,
    }
    return render(request, "registry/history.html", context)


@login_required
@require_GET
def catalogue_index(request):
    """The catalogues every page draws on: focus areas, legal documents, indicators."""
    catalogues = [
        {"label": t.label_plural, "url": _url(t, "list")}
        for t in REGISTRY.values()
        if t.prefix.startswith("catalogue/")
    ]
    return render(request, "registry/catalogue.html", {"catalogues": catalogues})
