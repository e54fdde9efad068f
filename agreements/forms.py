"""Entry forms. They clean user input into the services' inputs; the services decide."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements.models import (
    Agreement,
    AgreementParty,
    FocusArea,
    Indicator,
    LegalDocument,
    Review,
)
from agreements.services import REVIEW_EDITABLE_FIELDS, AgreementInput, PartyInput
from units.forms import DateInput, ModelForm, OrganizationAutocomplete
from units.models import AdministrativeUnit, Organization
from units.scoping import scope_of


def apply_service_errors(error: ValidationError, form: forms.Form, extra: dict | None = None):
    """Show a service's ValidationError beside the fields it names.

    `extra` maps error keys that belong to something other than `form` (the parties
    formset) to a list the template shows there. Anything else is a form-wide error.
    """
    extra = extra if extra is not None else {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for key, errors in error.message_dict.items():
        if key in form.fields:
            form.add_error(key, errors)
        elif key in extra:
            extra[key].extend(errors)
        else:
            form.add_error(None, errors)


def province_queryset(user):
    provinces = AdministrativeUnit.objects.current().provinces().order_by("name")
    scope = scope_of(user)
    if scope.everything:
        return provinces
    return provinces.filter(pk=scope.province_id)


class AgreementForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại văn bản"), choices=Agreement.Kind.choices)
    number = forms.CharField(label=_("Số, ký hiệu"), max_length=60, required=False)
    title = forms.CharField(
        label=_("Tên văn bản"), max_length=500, widget=forms.TextInput(attrs={"size": 80})
    )
    signed_on = forms.DateField(label=_("Ngày ký"), required=False, widget=DateInput)
    signed_at = forms.CharField(label=_("Nơi ký"), max_length=200, required=False)
    valid_from = forms.DateField(label=_("Hiệu lực từ ngày"), widget=DateInput)
    valid_until = forms.DateField(label=_("Hiệu lực đến ngày"), required=False, widget=DateInput)
    province = forms.ModelChoiceField(
        label=_("Tỉnh, thành phố"),
        queryset=AdministrativeUnit.objects.none(),
        required=False,
        empty_label=_("Toàn quốc / theo các bên ký kết"),
    )
    focus_areas = forms.ModelMultipleChoiceField(
        label=_("Nội dung trọng tâm"),
        queryset=FocusArea.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    legal_bases = forms.ModelMultipleChoiceField(
        label=_("Căn cứ"),
        queryset=LegalDocument.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    summary = forms.CharField(
        label=_("Tóm tắt"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = province_queryset(user)
        if not scope_of(user).everything:
            # A provincial user records their province's agreements only.
            self.fields["province"].required = True
            self.fields["province"].empty_label = None

    def agreement_input(self, parties: list[PartyInput]) -> AgreementInput:
        data = self.cleaned_data
        return AgreementInput(
            kind=data["kind"],
            number=data["number"],
            title=data["title"],
            signed_on=data["signed_on"],
            signed_at=data["signed_at"],
            valid_from=data["valid_from"],
            valid_until=data["valid_until"],
            summary=data["summary"],
            province=data["province"],
            focus_areas=list(data["focus_areas"]),
            legal_bases=list(data["legal_bases"]),
            parties=parties,
        )

    @staticmethod
    def initial_from(agreement: Agreement) -> dict:
        return {
            "kind": agreement.kind,
            "number": agreement.number,
            "title": agreement.title,
            "signed_on": agreement.signed_on,
            "signed_at": agreement.signed_at,
            "valid_from": agreement.valid_from,
            "valid_until": agreement.valid_until,
            "province": agreement.province_id,
            "focus_areas": [a.pk for a in agreement.focus_areas.all()],
            "legal_bases": [d.pk for d in agreement.legal_bases.all()],
            "summary": agreement.summary,
            "version": agreement.version,
        }


class NewAgreementForm(AgreementForm):
    draft = forms.BooleanField(
        label=_("Lưu dưới dạng dự thảo (chưa ký)"),
        required=False,
        help_text=_("Bỏ chọn nếu văn bản đã được ký và đang có hiệu lực."),
    )


class PartyForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Tổ chức"), queryset=Organization.objects.none(), widget=OrganizationAutocomplete
    )
    role = forms.ChoiceField(
        label=_("Vai trò"), choices=AgreementParty.Role.choices, initial=AgreementParty.Role.PARTY
    )
    signatory_name = forms.CharField(label=_("Người ký"), max_length=200, required=False)
    signatory_title = forms.CharField(label=_("Chức vụ người ký"), max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.restrict(user)

    def party_input(self, order: int) -> PartyInput:
        data = self.cleaned_data
        return PartyInput(
            organization=data["organization"],
            role=data["role"],
            signatory_name=data["signatory_name"],
            signatory_title=data["signatory_title"],
            order=order,
        )


class BasePartyFormSet(forms.BaseFormSet):
    def party_inputs(self) -> list[PartyInput]:
        """The rows with an organization, in order; blank extra rows and removed rows drop out."""
        kept = [
            f
            for f in self.forms
            if f.cleaned_data.get("organization") and not self._should_delete_form(f)
        ]
        return [f.party_input(order) for order, f in enumerate(kept, start=1)]


def party_formset(*, user, data=None, initial=None, extra=1):
    formset_class = forms.formset_factory(
        PartyForm, formset=BasePartyFormSet, extra=extra, can_delete=True
    )
    return formset_class(data, initial=initial, prefix="parties", form_kwargs={"user": user})


def party_initial(agreement: Agreement) -> list[dict]:
    return [
        {
            "organization": p.organization_id,
            "role": p.role,
            "signatory_name": p.signatory_name,
            "signatory_title": p.signatory_title,
        }
        for p in agreement.parties.all()
    ]


class TerminateForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Lý do chấm dứt"), choices=Agreement.TerminationReason.choices
    )
    on = forms.DateField(label=_("Ngày chấm dứt"), widget=DateInput)
    note = forms.CharField(
        label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Tệp (PDF, JPEG, PNG)"))
    description = forms.CharField(label=_("Mô tả"), max_length=300, required=False)


INDICATOR_PREFIX = "ind_"
FOCUS_PREFIX = "fa_"


class ReviewForm(ModelForm):
    """The review's own fields plus one field per indicator and per focus area.

    The indicator and focus-area fields are built from the catalogue, so a new
    indicator in admin appears in the grid without a code change.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta(ModelForm.Meta):
        model = Review
        fields = list(REVIEW_EDITABLE_FIELDS)
        widgets = {
            "attendees": forms.Textarea(attrs={"rows": 3}),
            "situation": forms.Textarea(attrs={"rows": 4}),
            "results_leadership": forms.Textarea(attrs={"rows": 4}),
            "shortcomings": forms.Textarea(attrs={"rows": 3}),
            "causes": forms.Textarea(attrs={"rows": 3}),
            "lessons": forms.Textarea(attrs={"rows": 3}),
            "directions": forms.Textarea(attrs={"rows": 3}),
            "proposals": forms.Textarea(attrs={"rows": 3}),
            "recipients": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(
        self,
        *args,
        agreement: Agreement,
        indicators: list[Indicator],
        focus_areas: list[FocusArea],
        user,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.agreement = agreement
        self.indicators = indicators
        self.focus_areas = focus_areas
        self.fields["issuing_organization"].queryset = (
            Organization.objects.restrict(user)
            .filter(agreement_parties__agreement=agreement)
            .order_by("agreement_parties__order")
        )
        for indicator in indicators:
            self.fields[INDICATOR_PREFIX + indicator.code] = forms.DecimalField(
                label=indicator.name,
                required=False,
                min_value=0,
                max_digits=14,
                decimal_places=2,
                widget=forms.NumberInput(attrs={"step": "any", "class": "num"}),
            )
        for area in focus_areas:
            self.fields[FOCUS_PREFIX + area.code] = forms.CharField(
                label=area.name, required=False, widget=forms.Textarea(attrs={"rows": 3})
            )

    def _post_clean(self):
        # Model validation (one annual review a year ...) belongs to the service,
        # which answers with the clearer message; the form only cleans input.
        pass

    def review_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in REVIEW_EDITABLE_FIELDS}

    def indicator_values(self) -> dict:
        return {i.code: self.cleaned_data.get(INDICATOR_PREFIX + i.code) for i in self.indicators}

    def focus_results(self) -> dict:
        return {a.code: self.cleaned_data.get(FOCUS_PREFIX + a.code) for a in self.focus_areas}

    def indicator_rows(self):
        """(group, [(indicator, bound field)]) for the grid template."""
        groups: dict[str, list] = {}
        for indicator in self.indicators:
            groups.setdefault(indicator.group, []).append(
                (indicator, self[INDICATOR_PREFIX + indicator.code])
            )
        return list(groups.items())

    def focus_fields(self):
        return [self[FOCUS_PREFIX + a.code] for a in self.focus_areas]

    @staticmethod
    def initial_for(agreement: Agreement, today: datetime.date | None = None) -> dict:
        today = today or timezone.localdate()
        year = today.year
        return {
            "kind": Review.Kind.ANNUAL,
            "year": year,
            "period_start": max(datetime.date(year, 1, 1), agreement.valid_from),
            "period_end": datetime.date(year, 12, 31),
        }

    @staticmethod
    def initial_from(review: Review) -> dict:
        initial = {"version": review.version}
        for value in review.indicator_values.all():
            number = value.value
            initial[INDICATOR_PREFIX + value.indicator.code] = (
                int(number) if number == number.to_integral_value() else number
            )
        for result in review.focus_results.all():
            initial[FOCUS_PREFIX + result.focus_area.code] = result.text
        return initial
