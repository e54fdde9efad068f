from django import forms
from django.db import models
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _


class DateInput(forms.DateInput):
    """The project's date widget: typed and shown as dd/mm/yyyy in every browser.

    A native <input type=date> follows the browser's locale, so an English Chromium
    shows mm/dd/yyyy; a text box does not. The server parses what is typed with
    DATE_INPUT_FORMATS (config/formats), and static/js/dateinput.js only adds the
    slashes while typing.
    """

    def __init__(self, attrs=None):
        attrs = {
            "placeholder": _("dd/mm/yyyy"),
            "inputmode": "numeric",
            "autocomplete": "off",
            "size": 10,
            "maxlength": 10,
            "data-date-input": "",
            **(attrs or {}),
        }
        super().__init__(attrs, format="%d/%m/%Y")


class DateField(forms.DateField):
    widget = DateInput


def formfield(db_field: models.Field, **kwargs) -> forms.Field | None:
    """A model form's field for `db_field`, with the project's date widget for dates."""
    if type(db_field) is models.DateField:
        kwargs.setdefault("widget", DateInput)
    return db_field.formfield(**kwargs)


class ModelForm(forms.ModelForm):
    """Base of the project's model forms: dates get DateInput without listing them.

    A subclass's Meta inherits from ModelForm.Meta to keep it.
    """

    class Meta:
        formfield_callback = formfield


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
                # A bound value is whatever was typed into the URL: only ids a column holds.
                queryset.filter(pk__in=[v for v in chosen if v.isdigit() and len(v) < 19]),
                start=1,
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
    """A multi-select that renders only its chosen rows; static/js/combobox.js adds
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
