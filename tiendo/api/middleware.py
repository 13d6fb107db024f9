from django.utils import translation


def api_language(get_response):
    """The API answers in the language the client asks for (Accept-Language), Vietnamese by
    default; the pages take theirs from the URL prefix instead."""

    def middleware(request):
        if request.path_info.startswith("/api/"):
            language = translation.get_language_from_request(request, check_path=False)
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return get_response(request)

    return middleware
