"""A record of each background job: who asked for what, how far it got, what came out."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def _input_path(job, filename: str) -> str:
    # A random name: media is never listed, and a guessed URL must find nothing.
    return f"jobs/input/{secrets.token_urlsafe(24)}"


def _result_path(job, filename: str) -> str:
    return f"jobs/result/{secrets.token_urlsafe(24)}/{filename}"


class Job(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("Đang chờ")
        RUNNING = "running", _("Đang chạy")
        DONE = "done", _("Hoàn thành")
        FAILED = "failed", _("Không thành công")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs"
    )
    kind = models.CharField(_("loại"), max_length=50)
    title = models.CharField(_("công việc"), max_length=300)
    params = models.JSONField(_("tham số"), default=dict, blank=True)
    input_file = models.FileField(_("tệp đầu vào"), upload_to=_input_path, blank=True)
    state = models.CharField(
        _("trạng thái"), max_length=10, choices=State.choices, default=State.QUEUED
    )
    done = models.PositiveIntegerField(_("đã xử lý"), default=0)
    total = models.PositiveIntegerField(_("tổng số"), default=0)
    result = models.JSONField(_("kết quả"), default=dict, blank=True)
    result_file = models.FileField(_("tệp kết quả"), upload_to=_result_path, blank=True)
    result_name = models.CharField(_("tên tệp kết quả"), max_length=200, blank=True)
    message = models.TextField(_("thông báo"), blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    started_at = models.DateTimeField(_("bắt đầu lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("công việc chạy nền")
        verbose_name_plural = _("công việc chạy nền")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at"], name="job_user_recent")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=["queued", "running", "done", "failed"]),
                name="job_state_known",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)
