"""Dissolving an organization from its page: a confirmation that shows the agreements in
force with it and offers to end them with "partner dissolved". Here rather than in
units, because it ends agreements."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements import services
from agreements.models import Agreement
from registry.forms import VersionField, add_service_errors
from units.forms import DateField, MultiAutocomplete
from units.models import Organization
from units.scoping import get_scoped_or_404, restrict


class DissolveForm(forms.Form):
    dissolved_on = DateField(label=gettext_lazy("Ngày giải thể"))
    successors = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Tổ chức kế thừa"),
        queryset=Organization.objects.none(),
        required=False,
        widget=MultiAutocomplete,
        help_text=gettext_lazy("Một hoặc nhiều tổ chức nhận lại nhiệm vụ."),
    )
    terminate_agreements = forms.BooleanField(
        label=gettext_lazy(
            "Chấm dứt các văn bản đang hiệu lực với lý do “đơn vị ký kết giải thể, sáp nhập”"
        ),
        required=False,
        initial=True,
    )
    version = VersionField()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["successors"].queryset = restrict(Organization.objects.all(), user)


@login_required
def organization_dissolve(request, pk):
    organization = get_scoped_or_404(Organization, request.user, "change", pk=pk)
    in_force = list(
        restrict(Agreement.objects.all(), request.user)
        .filter(status=Agreement.Status.IN_FORCE, parties__organization=organization)
        .distinct()
        .order_by("-valid_from")
    )
    data = request.POST if request.method == "POST" else None
    form = DissolveForm(data, user=request.user, initial={"version": organization.version})
    if data is not None and form.is_valid():
        try:
            terminated = services.organization_dissolve(
                organization=organization,
                user=request.user,
                on=form.cleaned_data["dissolved_on"],
                successors=list(form.cleaned_data["successors"]),
                terminate_agreements=form.cleaned_data["terminate_agreements"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(
                request,
                _("Đã ghi nhận giải thể; chấm dứt %(n)d văn bản đang hiệu lực.")
                % {"n": len(terminated)},
            )
            return redirect("registry:organizations_detail", pk)
    context = {
        "object": organization,
        "form": form,
        "in_force": in_force,
        "cancel_url": reverse("registry:organizations_detail", args=[pk]),
    }
    return render(request, "agreements/organization_dissolve.html", context)
