import sys

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import OperationalError, connection
from django.http import Http404, HttpResponse, JsonResponse, QueryDict
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class ChineseFirstLocaleMiddleware:
    """Chinese unless the user chose another language (the language cookie).

    Django's LocaleMiddleware follows the browser's Accept-Language, which would
    show English to every officer whose browser happens to be set up in English;
    the platform is Chinese first, and English is a choice made on the page.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.available = dict(settings.LANGUAGES)

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        response.headers.setdefault("Vary", "Cookie")
        return response


class NulMiddleware:
    """A NUL (%00) means nothing in a wurao address, and PostgreSQL refuses one in any query
    (a 500). A path holding one names no page: a 404. A query value holding one is read
    without it, so every view, filter, search and admin list receives clean text (forms
    refuse a NUL typed into a posted field themselves)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info:
            raise Http404
        if "%00" in request.META.get("QUERY_STRING", ""):
            clean = QueryDict(mutable=True)
            for key, values in request.GET.lists():
                clean.setlist(key.replace("\x00", ""), [v.replace("\x00", "") for v in values])
            request.META["QUERY_STRING"] = clean.urlencode()
            clean._mutable = False
            request.GET = clean
        return self.get_response(request)


BUSY_RETRY_AFTER = 5  # seconds: a long import's write usually ends within a few of these
BUSY_MESSAGE = _("系统正忙（另一项任务正在写入），请稍后重试")
_BUSY = "wurao.database_busy"


def database_busy(exc: BaseException | None) -> bool:
    """SQLite answering that another connection holds the write lock past the timeout
    (settings: DATABASES OPTIONS timeout), e.g. while a large import commits. Nothing was
    written by the refused request; trying again shortly succeeds."""
    return (
        isinstance(exc, OperationalError)
        and connection.vendor == "sqlite"
        and "locked" in str(exc).lower()
    )


def busy_response(request) -> HttpResponse:
    """503 with Retry-After, in the reader's language; JSON for the API."""
    message = str(BUSY_MESSAGE)
    if request.path_info.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=503)
    else:
        response = HttpResponse(
            render_to_string("503.html", {"message": message}, request=request), status=503
        )
    response["Retry-After"] = str(BUSY_RETRY_AFTER)
    return response


def _mark_busy(sender, request=None, **kwargs) -> None:
    # Sent while the exception is being handled: it is sys.exc_info()'s.
    if request is not None and database_busy(sys.exc_info()[1]):
        request.META[_BUSY] = True


class DatabaseBusyMiddleware:
    """A request that finds the SQLite database locked by a long write (a large import)
    answers 503 "系统正忙，请稍后重试" with Retry-After, instead of a server error that
    suggests something is broken. Views' exceptions are answered here directly; one raised
    by an inner middleware (a session saved at the end of a request) has already become a
    500 by the time it arrives, and is recognised by the mark got_request_exception left."""

    def __init__(self, get_response):
        self.get_response = get_response
        got_request_exception.connect(_mark_busy, dispatch_uid=_BUSY)

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 500 and request.META.get(_BUSY):
            return busy_response(request)
        return response

    def process_exception(self, request, exception):
        if database_busy(exception):
            return busy_response(request)
        return None
