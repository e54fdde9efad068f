"""Numbers and dates written the Vietnamese way: 56.558 people, 3,5 km, 05/01/2026."""

import datetime
from decimal import Decimal

from django import template

from reports.profiles import NO_DATA

register = template.Library()


@register.filter
def vn_number(value) -> str:
    """Thousands with ".", decimals with ","; trailing zeros dropped; "–" for no data.

    A real zero prints "0": "no figure reported" and "reported zero" differ.
    """
    if value is None or value == "":
        return NO_DATA
    # A float goes through its shortest repr: Decimal(80.3) is 80.2999999999999971578...
    number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    sign = "-" if number < 0 else ""
    number = abs(number)
    whole, _, fraction = f"{number.normalize():f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return f"{sign}{grouped},{fraction}" if fraction else f"{sign}{grouped}"


@register.filter
def vn_change(value) -> str:
    """A change against the previous year, signed: "+12", "-3", "0"."""
    if value is None:
        return NO_DATA
    text = vn_number(value)
    return f"+{text}" if Decimal(value) > 0 else text


@register.filter
def vn_date(value: datetime.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""
