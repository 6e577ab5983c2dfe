"""Project-wide request and response guards (issue 11).

- `RejectNulBytesMiddleware`: a NUL byte in a query string parameter (name or value) answers 400 with a French
  message, before any view passes it to PostgreSQL (which refuses NUL in text and raised a 500).
"""

from django.shortcuts import render


class RejectNulBytesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any("\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()):
            return render(request, "coordination/bad_request.html", status=400)
        return self.get_response(request)
