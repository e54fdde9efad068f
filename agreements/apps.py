from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles(sender, **kwargs):
    from units.roles import roles_sync

    roles_sync()


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = _("Quy chế phối hợp, kết nghĩa")

    def ready(self):
        # The roles' groups exist on every database `migrate` has run on, not only where
        # the demo was loaded. After this app's permissions: auth's handler, connected
        # first, creates them for the same sender.
        post_migrate.connect(_sync_roles, sender=self, dispatch_uid="agreements.sync_roles")
