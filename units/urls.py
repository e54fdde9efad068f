from django.urls import path

from units import views

app_name = "units"
urlpatterns = [
    path(
        "autocomplete/organizations/",
        views.organization_autocomplete,
        name="organization_autocomplete",
    ),
    path("autocomplete/units/", views.unit_autocomplete, name="unit_autocomplete"),
    path("units/border/", views.border_mark, name="border_mark"),
]
