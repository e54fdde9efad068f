from django.urls import include, path

app_name = "agreements"
urlpatterns = [
    path("import/", include("agreements.import_urls")),
]
