"""Project-wide request and response guards (issue 11).

- `RejectNulBytesMiddleware`: a NUL byte in a query string parameter (name or value) answers 400 with a French
  message, before any view passes it to PostgreSQL (which refuses NUL in text and raised a 500).
- `NoStoreForSignedInMiddleware`: every response to a signed-in user (HTML, fragments, PDF, CSV, XLSX, JSON,
  redirects) may carry personal data, so none is kept by the browser or a proxy: `Cache-Control: no-store`.
  Static files never reach it (WhiteNoise answers them first) and stay cacheable.
"""

from django.shortcuts import render
from django.utils.cache import add_never_cache_headers


class RejectNulBytesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any("\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()):
            return render(request, "coordination/bad_request.html", status=400)
        return self.get_response(request)


class NoStoreForSignedInMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)  # no-cache, no-store, must-revalidate, private, max-age=0
        return response
