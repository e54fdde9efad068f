"""Field-level change history from django-simple-history, shown as users read it:
who, when, and each field's old → new value in words (names, not ids)."""

import datetime
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db import models
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

HISTORY_PAGE_SIZE = 20
HISTORY_KINDS = {"+": gettext_lazy("Tạo mới"), "~": gettext_lazy("Sửa"), "-": gettext_lazy("Xóa")}
# Bookkeeping columns every record changes; showing them would bury the real changes.
HIDDEN_FIELDS = {"search_text", "updated_at", "updated_by", "version", "parties_key", "id"}


def display_value(model_field, value) -> str:
    """A stored value in words: a choice's label, a date as dd/mm/yyyy, a name for an id."""
    if value is None or value == "":
        return "—"
    if model_field is not None and model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, datetime.datetime):
        return formats.date_format(value, "d/m/Y H:i")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, models.Model):
        return str(value)
    return str(value)


def field_rows(obj, names) -> list[dict]:
    """(label, value) for the detail page's plain fields, in the order the type names."""
    rows = []
    for name in names:
        model_field = obj._meta.get_field(name)
        if model_field.many_to_many:
            value = ", ".join(str(o) for o in getattr(obj, name).all()) or "—"
        else:
            value = display_value(model_field, getattr(obj, name))
        rows.append({"name": name, "label": model_field.verbose_name, "value": value})
    return rows


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class Change:
    record: object
    kind: str
    changes: list[FieldChange] = field(default_factory=list)


def _m2m_ids(model_field, rows) -> list:
    """The target ids of a many-to-many field's rows as django-simple-history diffs them."""
    name = model_field.related_model._meta.model_name
    return [row.get(f"to_{name}", row.get(name)) for row in rows or []]


def _related_names(model, diffs) -> dict:
    """Names of every object the page's changes point to (foreign keys and
    many-to-many alike), one query per related model."""
    wanted: dict = {}
    for delta in diffs:
        for change in delta.changes:
            if change.field in HIDDEN_FIELDS:
                continue
            model_field = model._meta.get_field(change.field)
            if not model_field.is_relation:
                continue
            if model_field.many_to_many:
                values = _m2m_ids(model_field, change.old) + _m2m_ids(model_field, change.new)
            else:
                values = [change.old, change.new]
            wanted.setdefault(model_field.related_model, set()).update(
                v for v in values if v not in (None, "")
            )
    names = {}
    for target, ids in wanted.items():
        for obj in target._default_manager.filter(pk__in=ids):
            names[(target, str(obj.pk))] = str(obj)
    return names


def _m2m_text(model_field, rows, names) -> str:
    target = model_field.related_model
    ids = _m2m_ids(model_field, rows)
    if not ids:
        return "—"
    return ", ".join(sorted(names.get((target, str(pk)), str(pk)) for pk in ids))


def changes_page(obj, page_number):
    """One page of the object's history, newest first, each record against the one before."""
    records = obj.history.select_related("history_user").order_by("-history_date", "-history_id")
    paginator = Paginator(records, HISTORY_PAGE_SIZE)
    page = paginator.get_page(page_number)
    shown = list(page.object_list)
    # The record just before the page's oldest, to tell what the oldest changed.
    older = (
        records.filter(history_date__lte=shown[-1].history_date).exclude(
            history_id__in=[r.history_id for r in shown]
        )[:1]
        if shown
        else []
    )
    chain = shown + list(older)
    model = type(obj)
    deltas = []
    for index, record in enumerate(shown):
        previous = chain[index + 1] if index + 1 < len(chain) else None
        deltas.append((record, record.diff_against(previous) if previous is not None else None))
    names = _related_names(model, [d for _r, d in deltas if d is not None])
    changes = []
    for record, delta in deltas:
        entry = Change(record=record, kind=str(HISTORY_KINDS.get(record.history_type, "")))
        if delta is not None:
            for change in delta.changes:
                if change.field in HIDDEN_FIELDS:
                    continue
                model_field = model._meta.get_field(change.field)
                if model_field.many_to_many:
                    old, new = (
                        _m2m_text(model_field, change.old, names),
                        _m2m_text(model_field, change.new, names),
                    )
                elif model_field.is_relation:
                    target = model_field.related_model
                    old = names.get((target, str(change.old)), display_value(None, change.old))
                    new = names.get((target, str(change.new)), display_value(None, change.new))
                else:
                    old = display_value(model_field, change.old)
                    new = display_value(model_field, change.new)
                entry.changes.append(FieldChange(str(model_field.verbose_name), old, new))
        changes.append(entry)
    page.object_list = changes
    return page
