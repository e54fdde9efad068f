"""The base of every list's FilterSet: no parameter value reaches the database unchecked.

django-filter already refuses what its form fields cannot parse; what it lets through
are numbers no column holds (an OverflowError on SQLite) and years outside what Python
dates hold (a ValueError building the year's bounds). Bounds are set here once, so a
FilterSet added later is covered without thinking about it; a value out of bounds is a
form error shown beside the filter, and the filter is left out.
"""

import django_filters
from django import forms
from django_filters.fields import ModelChoiceField

# What a 64-bit integer column holds (SQLite and PostgreSQL bigint alike).
INTEGER_BOUNDS = (-(2**63), 2**63 - 1)
# Years a person may mean in this application's records.
YEAR_BOUNDS = (1900, 2100)
_YEAR_LOOKUPS = {"year", "year__exact", "year__gte", "year__gt", "year__lte", "year__lt"}


class BoundedModelChoiceField(ModelChoiceField):
    """A choice by id that refuses ids no column holds before asking the database."""

    def to_python(self, value):
        if value not in self.empty_values and not self.to_field_name:
            try:
                number = int(str(value))
            except ValueError:
                number = None
            if number is not None and not INTEGER_BOUNDS[0] <= number <= INTEGER_BOUNDS[1]:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice"
                )
        return super().to_python(value)


class FilterSet(django_filters.FilterSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for filter_ in self.filters.values():
            if filter_.field_class is ModelChoiceField:
                filter_.field_class = BoundedModelChoiceField
            # A filter with a field class of its own (a year field) knows its bounds.
            if type(filter_).field_class is not django_filters.NumberFilter.field_class:
                continue
            low, high = YEAR_BOUNDS if filter_.lookup_expr in _YEAR_LOOKUPS else INTEGER_BOUNDS
            filter_.extra.setdefault("min_value", low)
            filter_.extra.setdefault("max_value", high)
