from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements.forms import DateInput
from documents import signatures
from documents.models import IssuedDocument, OrganizationHeader, TrustRoot
from documents.services import IssueInput
from reports import profiles
from units.models import Organization
from units.scoping import restrict


def issuers_for(user):
    """Who a user may issue for: officials their own organization; admins any in scope."""
    if user.is_superuser:
        return restrict(Organization.objects.active(), user).order_by("name")
    return Organization.objects.filter(pk=user.organization_id)


class IssueForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Cơ quan ban hành"), queryset=Organization.objects.none()
    )
    issued_on = forms.DateField(label=_("Ngày ban hành"), widget=DateInput)
    signing_capacity = forms.ChoiceField(label=_("Thẩm quyền ký"), required=False)
    signer_title = forms.ChoiceField(label=_("Chức vụ người ký"))
    signer_name = forms.CharField(label=_("Họ tên người ký"), max_length=200)
    recipients = forms.CharField(
        label=_("Nơi nhận"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Mỗi nơi nhận một dòng; dòng “Lưu” được thêm theo thể thức."),
    )
    drafting_unit = forms.CharField(
        label=_("Đơn vị soạn thảo (dòng Lưu: VT, ...)"), max_length=40, required=False
    )
    replaces = forms.ModelChoiceField(
        label=_("Thay thế văn bản đã ban hành"),
        queryset=IssuedDocument.objects.none(),
        required=False,
        help_text=_("Chỉ chọn khi ban hành văn bản đính chính, thay thế."),
    )

    def __init__(self, *args, user, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        issuers = issuers_for(user)
        self.fields["organization"].queryset = issuers
        self.fields["issued_on"].initial = timezone.localdate()
        own = user.organization
        if own is not None:
            self.fields["organization"].initial = own.pk
        profile = profiles.profile_for(own.kind if own else None)
        kinds = {profiles.profile_for(o.kind) for o in issuers} if user.is_superuser else {profile}
        capacities = [c for p in profiles.PROFILES.values() if p in kinds for c in p.capacities]
        titles = [t for p in profiles.PROFILES.values() if p in kinds for t in p.titles]
        self.fields["signing_capacity"].choices = [("", _("(người đứng đầu ký)"))] + [
            (c, c) for c in dict.fromkeys(capacities)
        ]
        self.fields["signer_title"].choices = [(t, t) for t in dict.fromkeys(titles)]
        self.fields["replaces"].queryset = IssuedDocument.objects.restrict(user).filter(
            organization__in=issuers, kind=kind
        )

    def to_input(self) -> IssueInput:
        data = self.cleaned_data
        return IssueInput(
            organization=data["organization"],
            issued_on=data["issued_on"],
            signer_name=data["signer_name"],
            signing_capacity=data["signing_capacity"],
            signer_title=data["signer_title"],
            recipients=data["recipients"],
            drafting_unit=data["drafting_unit"],
            replaces=data["replaces"],
        )


class HeaderForm(forms.ModelForm):
    class Meta:
        model = OrganizationHeader
        fields = ["superior_lines", "own_lines", "abbreviation", "valid_from", "valid_until"]
        widgets = {
            "superior_lines": forms.Textarea(attrs={"rows": 2}),
            "own_lines": forms.Textarea(attrs={"rows": 3}),
            "valid_from": DateInput,
            "valid_until": DateInput,
        }


class SignedCopyForm(forms.Form):
    file = forms.FileField(label=_("Tệp PDF đã ký số"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.ATTACHMENT_MAX_BYTES:
            raise forms.ValidationError(_("Tệp quá lớn."))
        head = upload.read(5)
        upload.seek(0)
        if head != b"%PDF-":
            raise forms.ValidationError(_("Tệp không phải PDF."))
        return upload


class TrustRootForm(forms.ModelForm):
    """The admin's form: a certificate file, stored as DER by the service."""

    file = forms.FileField(label=_("Tệp chứng thư số (PEM hoặc DER)"))

    class Meta:
        model = TrustRoot
        fields = ["name"]

    def clean_file(self):
        data = self.cleaned_data["file"].read()
        try:
            signatures.load_certificate(data)
        except signatures.CertificateError as error:
            raise forms.ValidationError(
                _("Tệp không phải chứng thư số X.509 (PEM hoặc DER).")
            ) from error
        return data
