from django.urls import path

from agreements import coverage_views

urlpatterns = [
    path("", coverage_views.coverage_page, name="coverage"),
    path("export.csv", coverage_views.coverage_export, name="coverage_export"),
]
