"""The agreements list's filters: one FilterSet behind the page, its links and its exports.

Every choice offered (provinces, parties) comes from the user's scope, and the
queryset the FilterSet receives is already restricted by `units.scoping.restrict`.
"""

import django_filters
from django import forms
from django.utils.html import format_html_join
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from agreements import selectors
from agreements.models import Agreement, FocusArea
from deadlines import selectors as deadlines_selectors
from units.filters import YEAR_BOUNDS, FilterSet
from units.forms import OrganizationAutocomplete
from units.models import Organization
from units.objects import current_provinces
from units.text import search


def party_choices(request):
    if request is None:
        return Organization.objects.none()
    return Organization.objects.restrict(request.user)


class OptionListSelect(forms.Select):
    """A select whose options are written in one pass, not one sub-template each.

    The list's filter form offers a hundred-odd options on every page view; rendered
    through Django's per-option templates they cost as much as the table's rows.
    """

    template_name = "includes/select.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["options"] = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option["value"], " selected" if option["selected"] else "", option["label"])
                for _group, options, _index in context["widget"]["optgroups"]
                for option in options
            ),
        )
        return context


class YearField(forms.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1945)
        kwargs.setdefault("max_value", 2100)
        super().__init__(**kwargs)


class YearFilter(django_filters.NumberFilter):
    field_class = YearField


class PeriodField(forms.CharField):
    """ "2025-2030" (or "2025–2030", or just "2025") as (first year, last year or None)."""

    default_error_messages = {
        "invalid": _("Hãy ghi thời hạn dạng 2025-2030 hoặc 2025, năm từ %(low)s đến %(high)s.")
        % {"low": YEAR_BOUNDS[0], "high": YEAR_BOUNDS[1]},
    }

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return None
        start, _sep, end = text.replace("–", "-").partition("-")
        try:
            years = (int(start.strip()), int(end.strip()) if end.strip() else None)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if any(year is not None and not YEAR_BOUNDS[0] <= year <= YEAR_BOUNDS[1] for year in years):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return years


class PeriodFilter(django_filters.CharFilter):
    field_class = PeriodField


class SortFilter(django_filters.OrderingFilter):
    """Sort choices in the page's language, descending ones included.

    django-filter has no Vietnamese catalogue, and it formats "%s (descending)" once,
    at import, in whatever language is active then: here both stay lazy.
    """

    def __init__(self, *, fields, field_labels, **kwargs):
        labels = dict(field_labels)
        for field, param in fields:
            labels[f"-{param}"] = format_lazy(_("{} (giảm dần)"), field_labels[field])
        super().__init__(fields=fields, field_labels=labels, **kwargs)


class AgreementFilter(FilterSet):
    q = django_filters.CharFilter(label=_("Tìm kiếm"), method="filter_q")
    province = django_filters.ModelChoiceFilter(
        label=_("Tỉnh, thành phố"),
        queryset=current_provinces,
        empty_label=_("Tất cả"),
        widget=OptionListSelect,
    )
    kind = django_filters.ChoiceFilter(
        label=_("Loại văn bản"),
        choices=Agreement.Kind.choices,
        empty_label=_("Tất cả"),
        widget=OptionListSelect,
    )
    status = django_filters.ChoiceFilter(
        label=_("Trạng thái"),
        choices=Agreement.Status.choices,
        empty_label=_("Tất cả"),
        widget=OptionListSelect,
    )
    party = django_filters.ModelChoiceFilter(
        label=_("Bên ký kết"),
        queryset=party_choices,
        method="filter_party",
        widget=OrganizationAutocomplete,
    )
    party_kind = django_filters.ChoiceFilter(
        label=_("Loại bên ký kết"),
        choices=Organization.Kind.choices,
        empty_label=_("Tất cả"),
        method="filter_party_kind",
        widget=OptionListSelect,
    )
    period = PeriodFilter(label=_("Thời hạn (ví dụ 2025-2030)"), method="filter_period")
    signed_year = YearFilter(label=_("Năm ký"), field_name="signed_on", lookup_expr="year")
    focus_area = django_filters.ModelChoiceFilter(
        label=_("Nội dung trọng tâm"),
        queryset=FocusArea.objects.all(),
        field_name="focus_areas",
        empty_label=_("Tất cả"),
        widget=OptionListSelect,
    )
    in_force = django_filters.BooleanFilter(
        label=_("Đang có hiệu lực hôm nay"),
        method="filter_in_force",
        widget=forms.CheckboxInput,
    )
    review_missing = YearFilter(label=_("Chưa sơ kết năm"), method="filter_review_missing")
    review_due = YearFilter(label=_("Phải sơ kết năm"), method="filter_review_due")
    expiring = django_filters.NumberFilter(
        label=_("Hết hiệu lực trong (tháng)"),
        method="filter_expiring",
        min_value=1,
        max_value=120,
    )
    sort = SortFilter(
        label=_("Sắp xếp"),
        widget=OptionListSelect,
        field_labels={
            "number": _("Số, ký hiệu"),
            "title": _("Tên văn bản"),
            "kind": _("Loại"),
            "status": _("Trạng thái"),
            "province__name": _("Tỉnh, thành phố"),
            "signed_on": _("Ngày ký"),
            "valid_from": _("Ngày có hiệu lực"),
            "valid_until": _("Ngày hết hiệu lực"),
        },
        fields=(
            ("number", "number"),
            ("title", "title"),
            ("kind", "kind"),
            ("status", "status"),
            ("province__name", "province"),
            ("signed_on", "signed_on"),
            ("valid_from", "valid_from"),
            ("valid_until", "valid_until"),
        ),
    )

    class Meta:
        model = Agreement
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        return search(queryset, value)

    def filter_party(self, queryset, name, value):
        return queryset.filter(parties__organization=value).distinct()

    def filter_party_kind(self, queryset, name, value):
        return queryset.filter(parties__organization__kind=value).distinct()

    def filter_period(self, queryset, name, value):
        start_year, end_year = value
        queryset = queryset.filter(valid_from__year=start_year)
        if end_year is None:
            return queryset
        return queryset.filter(valid_until__year=end_year)

    def filter_in_force(self, queryset, name, value):
        return queryset.in_force() if value else queryset

    def filter_review_missing(self, queryset, name, value):
        return deadlines_selectors.reviews_missing(queryset, year=int(value))

    def filter_review_due(self, queryset, name, value):
        return deadlines_selectors.reviews_owed(queryset, year=int(value))

    def filter_expiring(self, queryset, name, value):
        return selectors.agreements_expiring(queryset, months=int(value))
