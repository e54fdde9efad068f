import datetime

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deadlines.models import NoticePreference


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("Năm"), min_value=1990, max_value=2100, required=False)

    def year_or(self, default: int) -> int:
        if self.is_valid() and self.cleaned_data["year"]:
            return self.cleaned_data["year"]
        return default


class DirectiveReportForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Tổ chức báo cáo"), queryset=None)
    year = forms.IntegerField(label=_("Năm báo cáo"), min_value=1990, max_value=2100)
    received_on = forms.DateField(label=_("Ngày nhận"))
    review = forms.ModelChoiceField(label=_("Hội nghị sơ kết"), queryset=None, required=False)
    file = forms.FileField(label=_("Tệp báo cáo"), required=False)
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)

    def __init__(self, *args, organizations, reviews, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["review"].queryset = reviews.select_related("agreement")
        self.fields["review"].label_from_instance = lambda r: f"{r.year} – {r.agreement}"

    def clean_received_on(self) -> datetime.date:
        received_on = self.cleaned_data["received_on"]
        if received_on > timezone.localdate():
            raise forms.ValidationError(_("Ngày nhận không thể ở tương lai."))
        return received_on

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("review") and not cleaned.get("file"):
            raise forms.ValidationError(_("Chọn một hội nghị sơ kết hoặc tải lên tệp báo cáo."))
        return cleaned


class NoticePreferenceForm(forms.ModelForm):
    language = forms.ChoiceField(label=_("Ngôn ngữ thư"), choices=settings.LANGUAGES)

    class Meta:
        model = NoticePreference
        fields = ["email_digest", "language"]
