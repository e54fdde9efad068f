"""Entry forms. They clean user input into the services' inputs; the services decide."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from agreements.models import (
    Agreement,
    AgreementParty,
    FocusArea,
    Indicator,
    LegalDocument,
    Review,
)
from agreements.services import REVIEW_EDITABLE_FIELDS, TERM_YEARS, AgreementInput, PartyInput
from units.forms import DateInput, ModelForm, OrganizationAutocomplete
from units.models import AdministrativeUnit, Organization
from units.scoping import provinces_of, scope_of


def apply_service_errors(
    error: ValidationError,
    form: forms.Form,
    extra: dict | None = None,
    aliases: dict | None = None,
):
    """Show a service's ValidationError beside the fields it names.

    `extra` maps error keys that belong to something other than `form` (the parties
    formset) to a list the template shows there; `aliases` maps a service's key to
    the form field that holds it (the service's "file" is the create form's "scan").
    Anything else is a form-wide error.
    """
    extra = extra if extra is not None else {}
    aliases = aliases or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for key, errors in error.message_dict.items():
        key = aliases.get(key, key)
        if key in form.fields:
            form.add_error(key, errors)
        elif key in extra:
            extra[key].extend(errors)
        else:
            form.add_error(None, errors)


class AgreementsAutocomplete(forms.SelectMultiple):
    """Several agreements, each chosen in its own autocomplete box.

    One <select> per chosen agreement and a few empty ones, all with the field's
    name; static/js/combobox.js enhances each like the party boxes. Only the chosen
    agreements are rendered, never the whole (scoped) list.
    """

    blank_boxes = 2
    box_label = _("Văn bản được thay thế")

    def __init__(self, attrs=None):
        attrs = {
            "data-autocomplete": reverse_lazy("agreements:autocomplete"),
            "data-empty-text": _("Không tìm thấy văn bản nào."),
            "data-count-text": _("{count} văn bản tìm thấy."),
            "data-placeholder": _("Gõ số, ký hiệu hoặc tên văn bản…"),
            **(attrs or {}),
        }
        super().__init__(attrs)

    def value_from_datadict(self, data, files, name):
        return [v for v in super().value_from_datadict(data, files, name) if v not in ("", None)]

    def render(self, name, value, attrs=None, renderer=None):
        chosen = [str(v) for v in (value or []) if str(v).isdigit()]
        queryset = getattr(self.choices, "queryset", None)
        found = (
            {str(a.pk): str(a) for a in queryset.filter(pk__in=chosen)}
            if chosen and queryset is not None
            else {}
        )
        attrs = self.build_attrs(self.attrs, attrs)
        base_id = attrs.pop("id", f"id_{name}")
        boxes = []
        for index, key in enumerate([*[k for k in chosen if k in found], *[""] * self.blank_boxes]):
            box_id = base_id if index == 0 else f"{base_id}_{index}"
            box = forms.Select(
                attrs={**attrs, "id": box_id},
                choices=[("", "—"), *([(key, found[key])] if key else [])],
            )
            # The field's label names the first box; each further box gets its own.
            label = (
                format_html(
                    '<label class="sr-only" for="{}">{} ({})</label>',
                    box_id,
                    self.box_label,
                    index + 1,
                )
                if index
                else ""
            )
            boxes.append(
                format_html(
                    '<div class="autocomplete-box">{}{}</div>', label, box.render(name, key)
                )
            )
        return format_html('<div class="autocomplete-many">{}</div>', mark_safe("".join(boxes)))


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
    period_start_year = forms.IntegerField(
        label=_("Giai đoạn từ năm"),
        required=False,
        min_value=TERM_YEARS[0],
        max_value=TERM_YEARS[1],
        help_text=_(
            "Giai đoạn văn bản được ký cho, ví dụ 2025–2030; có thể khác thời hạn hiệu lực."
        ),
    )
    period_end_year = forms.IntegerField(
        label=_("Giai đoạn đến năm"),
        required=False,
        min_value=TERM_YEARS[0],
        max_value=TERM_YEARS[1],
    )
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
    supersedes = forms.ModelMultipleChoiceField(
        label=_("Thay thế các văn bản"),
        queryset=Agreement.objects.none(),
        required=False,
        widget=AgreementsAutocomplete,
        help_text=_(
            "Các văn bản mà văn bản này thay thế; văn bản đang hiệu lực sẽ chuyển sang "
            "được thay thế khi văn bản này có hiệu lực."
        ),
    )
    summary = forms.CharField(
        label=_("Tóm tắt"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = provinces_of(user)
        self.fields["supersedes"].queryset = (
            Agreement.objects.restrict(user)
            .exclude(status=Agreement.Status.DRAFT)
            .order_by("-valid_from", "-id")
        )
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
            period_start_year=data["period_start_year"],
            period_end_year=data["period_end_year"],
            summary=data["summary"],
            province=data["province"],
            focus_areas=list(data["focus_areas"]),
            legal_bases=list(data["legal_bases"]),
            parties=parties,
            supersedes=list(data["supersedes"]),
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
            "period_start_year": agreement.period_start_year,
            "period_end_year": agreement.period_end_year,
            "supersedes": [a.pk for a in agreement.supersedes.all()],
            "province": agreement.province_id,
            "focus_areas": [a.pk for a in agreement.focus_areas.all()],
            "legal_bases": [d.pk for d in agreement.legal_bases.all()],
            "summary": agreement.summary,
        }


class VersionedForm(forms.Form):
    """The version the record had when the form was opened, sent back with the edit.

    The services refuse an edit whose version is not the stored one; a POST without
    it (an old page, a hand-made request) is refused here, before any service runs.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    version_required = True

    def clean(self):
        cleaned = super().clean()
        # Also when the value was unreadable: the hidden field shows no error of its own.
        if self.version_required and cleaned.get("version") is None:
            raise ValidationError(
                _(
                    "Biểu mẫu thiếu phiên bản của bản ghi nên không thể lưu. Hãy tải lại "
                    "trang sửa rồi nhập lại thay đổi của bạn."
                ),
                code="version_missing",
            )
        return cleaned


class EditAgreementForm(VersionedForm, AgreementForm):
    @staticmethod
    def initial_from(agreement: Agreement) -> dict:
        return {**AgreementForm.initial_from(agreement), "version": agreement.version}


class NewAgreementForm(AgreementForm):
    draft = forms.BooleanField(
        label=_("Lưu dưới dạng dự thảo (chưa ký)"),
        required=False,
        help_text=_("Bỏ chọn nếu văn bản đã được ký và đang có hiệu lực."),
    )
    scan = forms.FileField(
        label=_("Bản ký (PDF, JPEG, PNG)"),
        required=False,
        help_text=_("Không bắt buộc; có thể tải lên sau ở trang chi tiết."),
    )
    scan_description = forms.CharField(label=_("Mô tả tệp"), max_length=300, required=False)


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


class ConfirmForm(forms.Form):
    """A final action asks for nothing but the user's confirmation."""


class TerminationUndoForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do hủy việc chấm dứt"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Được ghi vào lịch sử của văn bản."),
    )


INDICATOR_PREFIX = "ind_"
FOCUS_PREFIX = "fa_"


class ReviewForm(VersionedForm, ModelForm):
    """The review's own fields plus one field per indicator and per focus area.

    The indicator and focus-area fields are built from the catalogue, so a new
    indicator in admin appears in the grid without a code change.
    """

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
        # Only an edit has a version to check; a new review has none yet.
        self.version_required = self.instance.pk is not None
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
