import time

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.auth import logout
from django.core.exceptions import (
    FieldError,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
    ValidationError,
)
from django.http import HttpResponseBadRequest, HttpResponseNotFound, QueryDict
from django.middleware.locale import LocaleMiddleware
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from config.security import SESSION_SEEN, SESSION_STARTED, client, security_log
from units.text import (
    SEARCH_MAX_LENGTH,
    SEARCH_MAX_WORDS,
    cap_search,
    has_control_characters,
    strip_controls,
    strip_controls_keep_lines,
)

# The search parameters of the app's lists and autocomplete and of the admin ("q"; "term"
# for the admin's autocomplete): capped here so every search, present or future, is.
SEARCH_PARAMS = ("q", "term")


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Vietnamese unless the user picked another language with the switch.

    Officials' browsers are often set to English; the browser's Accept-Language must
    not turn the application English behind their back, so only the language cookie
    set by the switch counts.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class SecurityHeadersMiddleware:
    """Permissions-Policy on every response; no caching of anything a user is logged in for.

    Pages, exports, attachments and PDFs of a logged-in user hold data of their scope;
    `private, no-store` keeps them out of shared proxies and the browser's disk cache.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response


class CleanInputMiddleware:
    """Control characters out of every URL parameter and form field, in one place.

    A NUL byte makes PostgreSQL refuse the query (a 500), and no field of this
    application has a use for control characters; tab, line feed and carriage return
    stay in form fields, where multi-line text needs them. A path holding one answers
    404, as no URL of the application contains them.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if has_control_characters(request.path_info):
            security_log.info("refused a path with control characters from %s", client(request))
            return HttpResponseNotFound()
        request.GET = _cleaned(request.GET, strip_controls)
        if any(_too_long(v) for name in SEARCH_PARAMS for v in request.GET.getlist(name)):
            request.GET = request.GET.copy()
            for name in SEARCH_PARAMS:
                request.GET.setlist(name, [cap_search(v) for v in request.GET.getlist(name)])
            request.GET._mutable = False
        if request.method == "POST" and not _is_oversized(request):
            request.POST = _cleaned(request.POST, strip_controls_keep_lines)
        return self.get_response(request)


def _too_long(search: str) -> bool:
    return len(search) > SEARCH_MAX_LENGTH or len(search.split()) > SEARCH_MAX_WORDS


def _is_oversized(request) -> bool:
    """Leave a body Django will refuse to read to Django (it answers 400 itself)."""
    try:
        request.POST  # noqa: B018 - parses the body once; Django caches it
    except (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent):
        return True
    return False


def _cleaned(query: QueryDict, strip) -> QueryDict:
    if not any(
        has_control_characters(key) or any(has_control_characters(v) for v in values)
        for key, values in query.lists()
    ):
        return query
    cleaned = QueryDict(mutable=True, encoding=query.encoding)
    for key, values in query.lists():
        cleaned.setlist(strip(key), [strip(v) for v in values])
    cleaned._mutable = False
    return cleaned


class SessionLifetimeMiddleware:
    """Ends a session idle for SESSION_IDLE_SECONDS or older than SESSION_COOKIE_AGE.

    Django's own expiry cannot do both: a cookie age refreshed on every request is an
    idle timeout without a limit, a fixed one a limit without idle timeout. The times
    are kept in the session; the last-seen time is rewritten at most once a minute so
    browsing does not write the session table on every request.
    """

    STARTED = SESSION_STARTED
    SEEN = SESSION_SEEN
    WRITE_EVERY = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            started = request.session.setdefault(self.STARTED, now)
            seen = request.session.get(self.SEEN, now)
            if (
                now - seen > settings.SESSION_IDLE_SECONDS
                or now - started > settings.SESSION_COOKIE_AGE
            ):
                logout(request)
                messages.info(
                    request, _("Phiên làm việc đã hết hạn; hãy đăng nhập lại để tiếp tục.")
                )
            elif now - seen >= self.WRITE_EVERY or self.SEEN not in request.session:
                request.session[self.SEEN] = now
        return self.get_response(request)


class AdminBadParameterMiddleware:
    """A 400, not a 500, when a URL parameter the admin passes on unchecked is malformed.

    Django admin (and django-import-export's export page) hand list-filter and
    prefill parameters straight to querysets and form initial values: `?province=abc`
    or `?year__exact=1e9999` raises deep inside. Only admin GET requests are answered
    this way; the application's own pages validate their parameters in their forms.
    """

    ERRORS = (ValueError, OverflowError, IncorrectLookupParameters, FieldError, ValidationError)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if request.method != "GET" or not isinstance(exception, self.ERRORS):
            return None
        if not request.path_info.startswith(reverse("admin:index")):
            return None
        security_log.warning(
            "refused admin parameters %r from %s: %r", request.GET, client(request), exception
        )
        return HttpResponseBadRequest(_("Tham số trên địa chỉ trang không hợp lệ."))
