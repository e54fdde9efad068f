from django.utils.functional import SimpleLazyObject

from deadlines.selectors import unread_notices


def notices(request):
    """The header's count of unread notices, counted only when a page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notice_count": SimpleLazyObject(lambda: unread_notices(user).count())}
