"""Agreements, reviews and the catalogues in the object registry, and the blocks this
app adds to the pages of organizations and units (their agreements): units may not
depend on agreements, so the dependency is composed here."""

import django_filters
import django_tables2 as tables
from django import forms
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements import catalogue_services, selectors, views
from agreements.filters import AgreementFilter
from agreements.models import (
    Agreement,
    FocusArea,
    Indicator,
    LegalDocument,
    Review,
    localized,
)
from registry.base import ObjectType, Panel, get_type, register
from registry.forms import ServiceForm
from units.filters import FilterSet
from units.forms import ModelForm, formfield
from units.objects import SearchFilterSet, SortedTable, current_provinces, link
from units.scoping import permits, restrict

AGREEMENTS_SHOWN = 50


# Agreements -------------------------------------------------------------------------


class AgreementTable(SortedTable):
    number = tables.Column(verbose_name=_("Số, ký hiệu"), attrs={"td": {"class": "nowrap"}})
    title = tables.Column(verbose_name=_("Tên văn bản"), attrs={"td": {"class": "title"}})
    kind = tables.Column(verbose_name=_("Loại"))
    parties = tables.Column(
        verbose_name=_("Các bên ký kết"),
        empty_values=(),
        orderable=False,
        attrs={"td": {"class": "parties"}},
    )
    province = tables.Column(
        verbose_name=_("Tỉnh, thành phố"), order_by="province__name", default=_("Toàn quốc")
    )
    valid_from = tables.Column(verbose_name=_("Thời hạn"), attrs={"td": {"class": "nowrap"}})
    status = tables.Column(verbose_name=_("Trạng thái"))

    class Meta(SortedTable.Meta):
        model = Agreement
        fields = ("number", "title", "kind", "parties", "province", "valid_from", "status")

    def render_title(self, value, record):
        return link(value, record, "agreements:detail")

    def render_parties(self, record):
        return "; ".join(p.organization.name for p in record.parties.all())

    def render_valid_from(self, record):
        return record.period_label

    def render_status(self, record):
        return render_to_string(
            "includes/status.html",
            {"status": record.status, "label": record.get_status_display()},
        )

    def value_status(self, record):
        return record.get_status_display()


def _agreement_export(queryset, fmt, progress=None):
    from agreements.resources import export_agreements

    return export_agreements(queryset, fmt, progress=progress)


AGREEMENTS = register(
    ObjectType(
        key="agreements",
        model=Agreement,
        table=AgreementTable,
        filterset=AgreementFilter,
        queryset=lambda: selectors.agreement_list(Agreement.objects.all()),
        detail_queryset=lambda: selectors.agreement_detail(Agreement.objects),
        detail_template="agreements/agreement_detail.html",
        detail_context=views.detail_context,
        list_template="agreements/agreement_list.html",
        list_context=views.list_context,
        list_stamp=selectors.list_stamp,
        url_names={
            "list": "agreements:list",
            "export": "agreements:export",
            "detail": "agreements:detail",
        },
        create_url_name="agreements:create",
        edit_url_name="agreements:edit",
        export=_agreement_export,
    )
)


# Reviews ----------------------------------------------------------------------------


class ReviewFilter(FilterSet):
    q = django_filters.CharFilter(label=_("Tìm theo văn bản"), method="filter_q")
    year = django_filters.NumberFilter(label=_("Năm"), min_value=1945, max_value=2100)
    kind = django_filters.ChoiceFilter(
        label=_("Loại hội nghị"), choices=Review.Kind.choices, empty_label=_("Tất cả")
    )
    province = django_filters.ModelChoiceFilter(
        label=_("Tỉnh, thành phố"),
        queryset=current_provinces,
        field_name="agreement__province",
        empty_label=_("Tất cả"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Trạng thái"), choices=Review.Status.choices, empty_label=_("Tất cả")
    )
    held = django_filters.ChoiceFilter(
        label=_("Đã tổ chức"),
        choices=[("yes", _("Đã tổ chức")), ("no", _("Chưa tổ chức"))],
        empty_label=_("Tất cả"),
        method="filter_held",
    )
    overdue = django_filters.BooleanFilter(
        label=_("Quá hạn (năm đã qua, chưa tổ chức)"),
        method="filter_overdue",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = Review
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        from units.text import search

        return search(queryset, value, field="agreement__search_text")

    def filter_held(self, queryset, name, value):
        return queryset.filter(held_on__isnull=(value == "no"))

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(held_on__isnull=True, year__lt=timezone.localdate().year)


class ReviewTable(SortedTable):
    agreement = tables.Column(verbose_name=_("Văn bản"), order_by="agreement__title")
    kind = tables.Column(verbose_name=_("Loại hội nghị"))
    year = tables.Column(verbose_name=_("Năm"))
    province = tables.Column(
        verbose_name=_("Tỉnh, thành phố"),
        accessor="agreement__province",
        order_by="agreement__province__name",
    )
    held_on = tables.DateColumn(verbose_name=_("Ngày tổ chức"), format="d/m/Y")
    status = tables.Column(verbose_name=_("Trạng thái"))

    class Meta(SortedTable.Meta):
        model = Review
        fields = ("agreement", "kind", "year", "province", "held_on", "status")

    def render_agreement(self, value, record):
        return link(value.title, record, "agreements:review_detail")

    def value_agreement(self, value):
        return f"{value.number} – {value.title}" if value.number else value.title


REVIEWS = register(
    ObjectType(
        key="reviews",
        model=Review,
        table=ReviewTable,
        filterset=ReviewFilter,
        queryset=lambda: Review.objects.select_related("agreement__province"),
        detail_queryset=views.review_queryset,
        detail_template="agreements/review_detail.html",
        detail_context=views.review_detail_context,
        url_names={"detail": "agreements:review_detail"},
        edit_url_name="agreements:review_edit",
        detail_fields=("agreement", "kind", "year", "held_on", "status"),
    )
)


# Catalogues -------------------------------------------------------------------------


def catalogue_form(model, field_names: tuple[str, ...]):
    """A form over a catalogue's fields whose save calls the catalogue services."""

    model_form = forms.modelform_factory(
        model, form=ModelForm, fields=field_names, formfield_callback=formfield
    )

    class CatalogueForm(ServiceForm):
        def __init__(self, data=None, files=None, *, user, instance=None, **kwargs):
            super().__init__(data, files, user=user, instance=instance, **kwargs)
            for name, form_field in model_form.base_fields.items():
                self.fields[name] = form_field
                if instance is not None and data is None:
                    self.initial[name] = getattr(instance, name)
            if "version" in self.fields:
                self.fields["version"] = self.fields.pop("version")

        def save(self, *, user):
            values = {name: self.cleaned_data[name] for name in field_names}
            if self.instance is None:
                return catalogue_services.catalogue_item_create(
                    model=model, user=user, values=values
                )
            return catalogue_services.catalogue_item_update(
                item=self.instance,
                user=user,
                values=values,
                expected_version=self.cleaned_data["version"],
            )

    return CatalogueForm


def catalogue_table(model, field_names: tuple[str, ...], link_field: str, key: str):
    attrs = {
        name: tables.Column(verbose_name=model._meta.get_field(name).verbose_name)
        for name in field_names
    }

    def render_link(self, value, record):
        english = getattr(record, f"{link_field}_en", "")
        return link(localized(value, english), record, f"registry:{key}_detail")

    attrs[f"render_{link_field}"] = render_link
    attrs["Meta"] = type("Meta", (SortedTable.Meta,), {"model": model, "fields": field_names})
    return type(f"{model.__name__}Table", (SortedTable,), attrs)


def catalogue_filter(model):
    meta = type("Meta", (), {"model": model, "fields": []})
    return type(
        f"{model.__name__}Filter", (SearchFilterSet,), {"Meta": meta, "filter_q": _catalogue_q}
    )


def _catalogue_q(self, queryset, name, value):
    """Every word, folded, somewhere in the row's texts ("chu quyen" finds "Chủ quyền").
    Catalogues are short lists (tens of rows), so they are folded here rather than
    given a search column of their own."""
    from units.text import fold, search_words

    words = search_words(value)
    if not words:
        return queryset
    matching = [
        pk
        for pk, *texts in queryset.values_list("pk", *self.search_fields)
        if all(word in fold(" ".join(str(t) for t in texts if t)) for word in words)
    ]
    return queryset.filter(pk__in=matching)


CATALOGUES = {
    "focus_areas": (FocusArea, ("code", "name", "name_en", "order"), "name", "focus-areas"),
    "legal_documents": (
        LegalDocument,
        ("number", "doc_type", "issuer", "issued_on", "title", "title_en"),
        "number",
        "legal-documents",
    ),
    "indicators": (
        Indicator,
        ("code", "group", "name", "name_en", "unit", "unit_en", "order"),
        "name",
        "indicators",
    ),
}

for _key, (_model, _fields, _link_field, _slug) in CATALOGUES.items():
    _filter = catalogue_filter(_model)
    _filter.search_fields = [f for f in _fields if f not in ("order", "issued_on")]
    register(
        ObjectType(
            key=_key,
            path=f"catalogue/{_slug}/",
            model=_model,
            table=catalogue_table(_model, _fields, _link_field, _key),
            filterset=_filter,
            queryset=_model.objects.all,
            form=catalogue_form(_model, _fields),
            detail_fields=_fields,
        )
    )


# Blocks on the pages of organizations and units ---------------------------------------


def _organization_agreements(request, organization) -> dict:
    agreements = (
        restrict(Agreement.objects.all(), request.user)
        .filter(parties__organization=organization)
        .select_related("province")
        .prefetch_related("parties__organization")
        .distinct()
        .order_by("-valid_from", "-id")[:AGREEMENTS_SHOWN]
    )
    return {"agreements": list(agreements), "heading": _("Văn bản đã ký, trước đây và hiện nay")}


def _unit_agreements(request, unit) -> dict:
    in_unit = Q(parties__organization__area=unit) | Q(parties__organization__covered_communes=unit)
    if unit.is_province:
        in_unit |= Q(province=unit)
    agreements = (
        restrict(Agreement.objects.all(), request.user)
        .filter(in_unit)
        .select_related("province")
        .prefetch_related("parties__organization")
        .distinct()
        .order_by("-valid_from", "-id")[:AGREEMENTS_SHOWN]
    )
    return {
        "agreements": list(agreements),
        "heading": _("Văn bản của các tổ chức trên địa bàn, trước đây và hiện nay"),
    }


def _organization_actions(request, organization) -> list[dict]:
    if organization.dissolved_on is None and permits(request.user, "change", organization):
        url = reverse("agreements:organization_dissolve", args=[organization.pk])
        return [{"url": url, "label": _("Giải thể…")}]
    return []


get_type("organizations").extra_actions = _organization_actions
get_type("organizations").add_panel(
    Panel(template="agreements/_agreements_panel.html", context=_organization_agreements)
)
get_type("units").add_panel(
    Panel(template="agreements/_agreements_panel.html", context=_unit_agreements)
)
