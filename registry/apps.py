from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = "Registry"

    def ready(self):
        # Each app registers its object types in its own `objects` module.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("objects")
