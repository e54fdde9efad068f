from django.urls import path

from agreements import import_views

urlpatterns = [
    path("", import_views.import_start, name="import_start"),
    path("confirm/", import_views.import_confirm, name="import_confirm"),
    path("template/<str:kind>.<str:fmt>", import_views.import_template, name="import_template"),
]
