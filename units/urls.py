from django.urls import path

from units import views

app_name = "units"
urlpatterns = [
    path(
        "autocomplete/organizations/",
        views.organization_autocomplete,
        name="organization_autocomplete",
    ),
]
