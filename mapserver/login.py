"""The login page and its protection: a rate limit per address, django-axes' brute-force lockout, the admin lock.

Axes counts failed logins in its own tables (one row per username, address and user agent); its handler here
applies two limits: AXES_FAILURE_LIMIT (MAPSERVER_LOGIN_FAILURE_LIMIT) failures of one username from one address,
and MAPSERVER_LOGIN_CLIENT_FAILURE_LIMIT from one address over all usernames (password spraying). A lockout, or
going over the `login` rate limit, answers 429 with Retry-After: the login page, or {"code", "description"} to a
client that prefers JSON. Account.locked (the administrators' lock, mapserver.accounts.set_locked) is separate:
such an account cannot log in at all.
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from django import forms
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from mapserver import audit
from mapserver.error_responses import error_response
from mapserver.errors import TooManyRequests
from mapserver.principal import Principal
from mapserver.ratelimit import check_rate


class LoginFailureHandler(AxesDatabaseHandler):
    """Axes' database handler with a limit per (username, address) and a higher one per address."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        """The failure count axes compares with AXES_FAILURE_LIMIT (AXES_LOCKOUT_PARAMETERS: pair, then address)."""
        pair, address = (
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        # Axes has one limit: the address count is scaled so it reaches it exactly at the address limit.
        limit = get_failure_limit(request, credentials)
        return max(pair, address * limit // max(limit, settings.MAPSERVER_LOGIN_CLIENT_FAILURE_LIMIT))


def _wants_json(request: HttpRequest) -> bool:
    return request.get_preferred_type(["text/html", "application/json"]) == "application/json"


def refusal(request: HttpRequest, error: TooManyRequests, message_vi: str) -> HttpResponse:
    """A 429 with Retry-After: the JSON error body, or the login page with the message."""
    if _wants_json(request):
        return error_response(error)
    context = {"form": LoginForm(request), "refusal": message_vi, "next": request.POST.get("next", "")}
    response = render(request, "login.html", context, status=error.status)
    response["Retry-After"] = str(error.retry_after)
    return response


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict | None = None
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: a login refused after too many failures (each failure restarts the cool-off)."""
    minutes = int(get_cool_off(request).total_seconds() // 60)
    attempted = str(get_client_username(request, credentials) or "")[:150]
    audit.record(Principal(), "login_lockout", request=request, attempted_username=attempted)
    error = TooManyRequests(
        f"too many failed logins: logging in from this address is refused for {minutes} minutes",
        code="LoginLockedOut",
        retry_after=minutes * 60,
    )
    return refusal(
        request,
        error,
        f"Đăng nhập bị tạm khoá vì nhập sai mật khẩu quá nhiều lần. Vui lòng thử lại sau {minutes} phút.",
    )


class LoginForm(AuthenticationForm):
    """Django's login form, which also refuses accounts an administrator has locked."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": "Tài khoản này đã bị khoá. Vui lòng liên hệ quản trị viên.",
    }

    def confirm_login_allowed(self, user) -> None:
        super().confirm_login_allowed(user)
        account = getattr(user, "account", None)
        if account is not None and account.locked:
            raise forms.ValidationError(self.error_messages["locked"], code="locked")


class LoginView(auth_views.LoginView):
    """/accounts/login/: the form, rate-limited per address (bucket `login`) before any password is checked."""

    template_name = "login.html"
    authentication_form = LoginForm

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            check_rate(request, "login")
        except TooManyRequests as error:
            message = f"Quá nhiều lần đăng nhập. Vui lòng thử lại sau {error.retry_after} giây."
            return refusal(request, error, message)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: LoginForm) -> HttpResponse:
        locked = form.has_error(forms.forms.NON_FIELD_ERRORS, "locked")
        return self.render_to_response(self.get_context_data(form=form, locked=locked))
