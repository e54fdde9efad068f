"""URL patterns for every registered type: /<prefix>/, new/, <id>/, <id>/edit/,
<id>/delete/, <id>/history/, export.<xlsx|csv> — the same pattern for every type."""

from django.urls import path

from registry import views
from registry.base import REGISTRY

app_name = "registry"


def _patterns():
    patterns = []
    for key, object_type in REGISTRY.items():
        prefix = object_type.prefix
        value = "<str:value>" if object_type.lookup != "pk" else "<int:value>"
        kw = {"type_key": key}
        candidates = [
            ("list", path(f"{prefix}", views.object_list, kw, name=f"{key}_list")),
            (
                "export",
                path(f"{prefix}export.<str:fmt>", views.object_export, kw, name=f"{key}_export"),
            ),
            ("detail", path(f"{prefix}{value}/", views.object_detail, kw, name=f"{key}_detail")),
            (
                "history",
                path(f"{prefix}{value}/history/", views.object_history, kw, name=f"{key}_history"),
            ),
        ]
        # A page the type's own app mounts under its own name is not mounted twice.
        patterns += [p for page, p in candidates if page not in object_type.url_names]
        if object_type.form is not None:
            patterns += [
                path(f"{prefix}new/", views.object_edit, kw, name=f"{key}_create"),
                path(f"{prefix}{value}/edit/", views.object_edit, kw, name=f"{key}_edit"),
            ]
        if object_type.delete is not None:
            patterns.append(
                path(f"{prefix}{value}/delete/", views.object_delete, kw, name=f"{key}_delete")
            )
    # A fixed path beats a pattern: "new/" must not be read as an object's code.
    patterns.sort(key=lambda p: str(p.pattern).startswith("<") or "/<" in str(p.pattern))
    return patterns


urlpatterns = [
    path("catalogue/", views.catalogue_index, name="catalogue"),
    *_patterns(),
]
