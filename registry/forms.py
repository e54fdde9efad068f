"""Form pieces every registered type's form shares."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def add_service_errors(error: ValidationError, form: forms.Form) -> None:
    """Show a service's ValidationError beside the fields it names, or above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for key, errors in error.message_dict.items():
        form.add_error(key if key in form.fields else None, errors)


class VersionField(forms.IntegerField):
    """The version the user's copy was made from; a save without it is refused, since it
    could overwrite a newer change unseen (units.versioning.bump_version)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "error_messages",
            {
                "required": _(
                    "Biểu mẫu thiếu phiên bản của bản ghi. Hãy tải lại trang rồi sửa lại."
                ),
                "invalid": _("Phiên bản của bản ghi không hợp lệ. Hãy tải lại trang."),
            },
        )
        super().__init__(min_value=1, **kwargs)


class ServiceForm(forms.Form):
    """A form whose `save(user=...)` calls the type's service.

    Edits carry the record's version; the generic edit view passes `instance`.
    """

    def __init__(self, data=None, files=None, *, user, instance=None, **kwargs):
        self.user = user
        self.instance = instance
        if instance is not None and data is None:
            kwargs.setdefault("initial", {}).update(self.initial_from(instance))
        super().__init__(data, files, **kwargs)
        if instance is not None and hasattr(instance, "version"):
            self.fields["version"] = VersionField()
            if data is None:
                self.initial["version"] = instance.version

    def initial_from(self, instance) -> dict:
        return {}

    def save(self, *, user):
        raise NotImplementedError
