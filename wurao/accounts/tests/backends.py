from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """axes' backend, except for a sign-in without a request (Django's test client's
    client.login(), a test's own authenticate()): no address to count, so it goes straight to
    the password check, as it would with axes switched off. Every request is checked as in
    production."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)
