"""The object-type registry: what the generic list, detail, edit, delete and history
views need to know about a type, so that a new type costs a few lines (NetBox's model).

An app describes its types in its `objects` module with `register(ObjectType(...))`;
the views and URL patterns in this app serve every registered type alike, and the
permission tests loop over the registry.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model, QuerySet


@dataclass
class Panel:
    """A block on a type's detail page, possibly contributed by another app (the
    agreements of an organization come from the agreements app, which may depend on
    units; units may not depend on it)."""

    template: str
    context: Callable[[Any, Model], dict]
    order: int = 100


@dataclass
class ObjectType:
    key: str
    model: type[Model]
    table: type
    filterset: type
    # The rows of a list or detail page, with what their columns read joined in.
    queryset: Callable[[], QuerySet]
    # The URL prefix, such as "catalogue/focus-areas/"; the key followed by "/" if unset.
    path: str | None = None
    detail_queryset: Callable[[], QuerySet] | None = None
    # Form class taking (data, user=, instance=); its `save(user=...)` calls the service.
    form: type | None = None
    # Service deleting one row (the domain allows deleting drafts only).
    delete: Callable[..., Any] | None = None
    # How a row is found in its URL: "pk", or a field such as "code".
    lookup: str = "pk"
    detail_template: str = "registry/detail_fields.html"
    detail_fields: tuple[str, ...] = ()
    detail_context: Callable[[Any, Model], dict] | None = None
    panels: list[Panel] = field(default_factory=list)
    # (queryset in the order shown, fmt, progress=) -> (bytes, content type, file name);
    # None: the table's columns. `progress(done)` hears each row written, if not None.
    export: Callable[..., tuple[bytes, str, str]] | None = None
    # Links to the type's own pages (hand-written views such as terminate), if any.
    extra_actions: Callable[[Any, Model], list[dict]] | None = None
    # Pages an app serves at names of its own (the agreements app keeps "agreements:list"
    # for the generic list it mounts): page -> URL name.
    url_names: dict[str, str] = field(default_factory=dict)
    list_template: str = "registry/list.html"
    # Extra context for the list page: (request, table, filterset) -> dict.
    list_context: Callable[[Any, Any, Any], dict] | None = None
    # A cheap stamp of the data the list shows, () -> str. With one, the list's filter
    # form, count and rows are cached under it, the user's scope, the language, the day
    # and the query string (registry/list.html), and built only when not cached.
    list_stamp: Callable[[], str] | None = None
    # Where the "new" button leads instead of the generic create page, if anywhere.
    create_url_name: str | None = None
    edit_url_name: str | None = None
    icon_label: str = ""

    @property
    def prefix(self) -> str:
        return self.path if self.path is not None else f"{self.key}/"

    @property
    def label(self):
        return self.model._meta.verbose_name

    @property
    def label_plural(self):
        return self.model._meta.verbose_name_plural

    def url_name(self, page: str) -> str:
        return self.url_names.get(page, f"registry:{self.key}_{page}")

    def get_detail_queryset(self) -> QuerySet:
        return (self.detail_queryset or self.queryset)()

    def add_panel(self, panel: Panel) -> None:
        self.panels.append(panel)
        self.panels.sort(key=lambda p: p.order)


REGISTRY: dict[str, ObjectType] = {}


def register(object_type: ObjectType) -> ObjectType:
    if object_type.key in REGISTRY:
        raise ValueError(f"object type {object_type.key!r} registered twice")
    REGISTRY[object_type.key] = object_type
    return object_type


def get_type(key: str) -> ObjectType:
    return REGISTRY[key]


def type_for_model(model: type[Model]) -> ObjectType | None:
    for object_type in REGISTRY.values():
        if object_type.model is model:
            return object_type
    return None
