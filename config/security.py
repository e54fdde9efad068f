"""The security log: failed logins, lockouts and refused input, for the administrators.

Everything goes to the "security" logger (the server's log); lockouts and failed
attempts are also kept in the database by django-axes, where admins read and lift them
(Quản trị → Axes).
"""

import logging
import time

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from django.shortcuts import render

security_log = logging.getLogger("security")

# Session keys of config.middleware.SessionLifetimeMiddleware: login time, last request.
SESSION_STARTED = "_started_at"
SESSION_SEEN = "_seen_at"


def client(request) -> str:
    if request is None:
        return "unknown address"
    return request.META.get("REMOTE_ADDR", "unknown address")


@receiver(user_login_failed)
def log_failed_login(sender, credentials, request=None, **kwargs):
    security_log.warning(
        "failed login for username %r from %s", credentials.get("username", ""), client(request)
    )


@receiver(user_locked_out)
def log_lockout(sender, request=None, username=None, ip_address=None, **kwargs):
    security_log.warning("locked out username %r from %s", username, ip_address)


@receiver(user_logged_in)
def log_login(sender, request=None, user=None, **kwargs):
    security_log.info("login of %r from %s", getattr(user, "username", ""), client(request))
    if request is not None and hasattr(request, "session"):
        # The session's clocks start with the login, saved with it.
        now = int(time.time())
        request.session[SESSION_STARTED] = request.session[SESSION_SEEN] = now


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out login, the same whether the username exists."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "registration/locked_out.html",
        {"cooloff_minutes": minutes},
        status=429,
    )
