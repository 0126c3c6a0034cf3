"""The box's JSON API as a browser calls it: HTTPS to its self-signed certificate, with
the session cookie kept between calls, and the session's CSRF token (from the sign-in
answer) sent on every call after it. Shared by the integration and image tests."""
import http.cookiejar
import json
import ssl
import urllib.error
import urllib.request


class Browser:
    def __init__(self, base, timeout=30):
        self.base = base
        self.timeout = timeout  # seconds per request unless a call says otherwise
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE  # the box's certificate is self-signed
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPSHandler(context=context),
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.csrf_token = None

    def call(self, method, path, body=None, timeout=None):
        """(status, parsed JSON body) of one request; an error status is returned too."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        if self.csrf_token:
            request.add_header("X-CSRF-Token", self.csrf_token)
        try:
            with self.opener.open(request, timeout=timeout or self.timeout) as response:
                answer = json.loads(response.read() or b"null")
                if isinstance(answer, dict) and "csrf_token" in answer:
                    self.csrf_token = answer["csrf_token"]
                return response.status, answer
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")
