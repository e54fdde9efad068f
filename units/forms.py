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
                # A bound value is whatever was typed into the URL: only ids a column holds.
                queryset.filter(pk__in=[v for v in chosen if v.isdigit() and len(v) < 19]),
                start=1,
            ):
                options.append(
                    self.create_option(name, str(organization.pk), str(organization), True, index)
                )
        return [(None, options, 0)]
