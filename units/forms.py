from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _


class OrganizationAutocomplete(forms.Select):
    """A select that renders only its chosen organization, for a choice among thousands.

    static/js/combobox.js turns it into an ARIA combobox that asks
    /autocomplete/organizations/ as the user types; without JavaScript the page
    still shows (and resubmits) the current choice.
    """

    def __init__(self, attrs=None):
        attrs = {
            "data-autocomplete": reverse_lazy("units:organization_autocomplete"),
            "data-empty-text": _("Không tìm thấy tổ chức nào."),
            # Read aloud when results arrive; {count} is filled in by the script.
            "data-count-text": _("{count} tổ chức tìm thấy."),
            "data-placeholder": _("Gõ tên tổ chức…"),
            **(attrs or {}),
        }
        super().__init__(attrs)

    def optgroups(self, name, value, attrs=None):
        chosen = [str(v) for v in value if v not in (None, "")]
        queryset = getattr(self.choices, "queryset", None)
        options = [self.create_option(name, "", "—", not chosen, 0)]
        if chosen and queryset is not None:
            for index, organization in enumerate(
                queryset.filter(pk__in=[v for v in chosen if v.isdigit()]), start=1
            ):
                options.append(
                    self.create_option(name, str(organization.pk), str(organization), True, index)
                )
        return [(None, options, 0)]


class UnitAutocomplete(OrganizationAutocomplete):
    """The same combobox over administrative units (official code and name)."""

    def __init__(self, attrs=None):
        super().__init__(
            {
                "data-autocomplete": reverse_lazy("units:unit_autocomplete"),
                "data-empty-text": _("Không tìm thấy đơn vị hành chính nào."),
                "data-count-text": _("{count} đơn vị tìm thấy."),
                "data-placeholder": _("Gõ tên hoặc mã xã, tỉnh…"),
                **(attrs or {}),
            }
        )


class MultiAutocomplete(forms.SelectMultiple):
    """A multi-select that renders only its chosen rows; static/js/multicombobox.js adds
    a search box that asks the autocomplete URL and shows each choice as a removable
    item. Never a plain list of thousands of options."""

    url = reverse_lazy("units:organization_autocomplete")
    kind = ""
    empty_text = _("Không tìm thấy tổ chức nào.")
    placeholder = _("Gõ tên tổ chức để thêm…")

    def __init__(self, attrs=None):
        super().__init__(
            {
                "data-autocomplete-multi": self.url,
                "data-kind": self.kind,
                "data-empty-text": self.empty_text,
                "data-placeholder": self.placeholder,
                "data-remove-text": _("Bỏ"),
                **(attrs or {}),
            }
        )

    def optgroups(self, name, value, attrs=None):
        chosen = [str(v) for v in value if str(v).isdigit()]
        queryset = getattr(self.choices, "queryset", None)
        options = []
        if chosen and queryset is not None:
            for index, row in enumerate(queryset.filter(pk__in=chosen).order_by("name")):
                options.append(self.create_option(name, str(row.pk), str(row), True, index))
        return [(None, options, 0)]


class UnitMultiAutocomplete(MultiAutocomplete):
    url = reverse_lazy("units:unit_autocomplete")
    kind = "communes"
    empty_text = _("Không tìm thấy xã, phường nào.")
    placeholder = _("Gõ tên xã, phường để thêm…")
