from django.urls import path

from units import views

app_name = "units"
urlpatterns = [
    path("organizations/<int:pk>/", views.organization_detail, name="organization_detail"),
    path("units/<str:code>/", views.unit_detail, name="unit_detail"),
    path(
        "autocomplete/organizations/",
        views.organization_autocomplete,
        name="organization_autocomplete",
    ),
]
