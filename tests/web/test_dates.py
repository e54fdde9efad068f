"""Dates are typed and shown dd/mm/yyyy, whatever the browser's or the page's language."""

import datetime

import pytest
from django import forms
from django.utils import translation

from agreements.forms import ReviewForm, TerminateForm
from units.forms import DateField, DateInput


class Form(forms.Form):
    on = DateField()


def test_the_widget_is_a_text_box_with_the_day_first_hint():
    html = DateInput().render("on", datetime.date(2026, 1, 12))
    assert 'type="text"' in html
    assert 'value="12/01/2026"' in html
    assert 'placeholder="dd/mm/yyyy"' in html


def test_english_pages_show_the_day_first_too():
    with translation.override("en"):
        assert 'value="12/01/2026"' in DateInput().render("on", datetime.date(2026, 1, 12))


@pytest.mark.parametrize("typed", ["12/01/2026", "12/1/2026", "12-01-2026", "12.01.2026"])
def test_it_reads_the_day_first(typed):
    form = Form({"on": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["on"] == datetime.date(2026, 1, 12)


def test_a_month_first_date_is_refused_with_a_vietnamese_message():
    form = Form({"on": "01/13/2026"})
    assert not form.is_valid()
    assert form.errors["on"] == ["Nhập một ngày hợp lệ."]


def test_the_project_forms_use_it_for_every_date():
    assert isinstance(TerminateForm().fields["on"].widget, DateInput)
    review_dates = ["period_start", "period_end", "held_on", "report_date"]
    assert all(isinstance(ReviewForm.base_fields[name].widget, DateInput) for name in review_dates)


@pytest.mark.django_db
def test_no_page_asks_the_browser_for_its_own_date_box(staff_client):
    html = staff_client.get("/agreements/new/").content.decode()
    assert 'type="date"' not in html
    assert html.count('placeholder="dd/mm/yyyy"') == 3
