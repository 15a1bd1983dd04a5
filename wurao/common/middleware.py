from django.conf import settings
from django.http import Http404, QueryDict
from django.utils import translation


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
