"""The admin login's second step, enrolment and the recovery codes page.

The password alone never logs in an account that must use a second factor:
the first step only notes in the session who typed the right password (for
PENDING_SECONDS); the user is logged in when the second step accepts a code.
Until then the session is anonymous, so no page of the site, admin or not,
treats it as anyone's.
"""

import time

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import LoginView
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from . import two_factor

PENDING = "two_factor_pending"
PENDING_SECONDS = 10 * 60
RECOVERY_CODES = "two_factor_recovery_codes"


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )


class PasswordStepLoginView(LoginView):
    """Django's login view, whose right password leads to the second step
    for a user who must use one or has enrolled."""

    admin_site = None

    def form_valid(self, form):
        user = form.get_user()
        if not two_factor.asks_for_a_code(user):
            return super().form_valid(form)
        self.request.session[PENDING] = {
            "user": user.pk,
            "backend": user.backend,
            "hash": user.get_session_auth_hash(),
            "since": time.time(),
            "next": self.get_success_url(),
        }
        step = "two_factor_verify" if two_factor.has_enrolled(user) else "two_factor_enrol"
        return redirect(reverse(f"admin:{step}", current_app=self.admin_site.name))


def _pending_user(request):
    """The user who typed the right password in this session, if it was
    recently and the password has not changed since."""
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending["since"] > PENDING_SECONDS:
        return None
    user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    if user is None or not constant_time_compare(user.get_session_auth_hash(), pending["hash"]):
        return None
    return user


def _log_in(request, user, device):
    """Log USER in, verified by DEVICE; returns where the login was going."""
    pending = request.session.pop(PENDING)
    auth_login(request, user, backend=pending["backend"])
    otp_login(request, device)
    return pending["next"]


def _render(request, site, template, title, context):
    return TemplateResponse(
        request,
        template,
        {**site.each_context(request), "title": title, "subtitle": None, **context},
    )


def _back_to_login(request, site):
    messages.info(request, _("Please log in again."))
    return redirect(reverse("admin:login", current_app=site.name))


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def verify(request, site):
    """Second step of the login: a code from the authenticator app, or a
    recovery code.

    Template: admin/two_factor/verify.html. Context: form, username.
    A wrong code counts as a failed login for django-axes, so that guessing
    codes locks the account as guessing passwords does (429)."""
    user = _pending_user(request)
    if user is None:
        return _back_to_login(request, site)
    if not two_factor.has_enrolled(user):
        return redirect(reverse("admin:two_factor_enrol", current_app=site.name))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        credentials = {"username": user.get_username()}
        if AxesProxyHandler.is_locked(request, credentials):
            return get_lockout_response(request, None, credentials)
        # django-otp refuses to check any code for a few seconds after a
        # wrong one: say so, rather than call a right code wrong.
        waiting = two_factor.must_wait(user)
        device = None if waiting else two_factor.verify(user, form.cleaned_data["code"])
        if device is not None:
            next_url = _log_in(request, user, device)
            if isinstance(device, StaticDevice):
                left = two_factor.recovery_codes_left(user)
                messages.warning(
                    request,
                    ngettext(
                        "You used a recovery code: %(count)d is left.",
                        "You used a recovery code: %(count)d are left.",
                        left,
                    )
                    % {"count": left},
                )
            return redirect(next_url)
        if waiting:
            form.add_error(
                "code", _("Too many wrong codes in a row: wait a few seconds, then try again.")
            )
        else:
            form.add_error("code", _("This code is not right. Try the newest code in your app."))
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    return _render(
        request,
        site,
        "admin/two_factor/verify.html",
        _("Two-factor authentication"),
        {"form": form, "username": user.get_username()},
    )


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def enrol(request, site):
    """Set up an authenticator app: at the first login of an account that
    must use one (after its password), or, for any logged-in editor, from the
    link in the admin's header.

    Template: admin/two_factor/enrol.html. Context: form, username, secret
    (base32, in groups of four, to type), qr_code (an SVG data: URI)."""
    logged_in = request.user.is_authenticated and request.user.is_staff
    user = request.user if logged_in else _pending_user(request)
    if user is None:
        return _back_to_login(request, site)
    if two_factor.has_enrolled(user):
        if logged_in:
            messages.info(request, _("Two-factor authentication is already set up."))
            return redirect(reverse("admin:index", current_app=site.name))
        return redirect(reverse("admin:two_factor_verify", current_app=site.name))
    device = two_factor.authenticator_to_confirm(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = two_factor.confirm_authenticator(device, form.cleaned_data["code"])
        if codes is not None:
            device.refresh_from_db()
            if logged_in:
                otp_login(request, device)
                next_url = reverse("admin:index", current_app=site.name)
            else:
                next_url = _log_in(request, user, device)
            request.session[RECOVERY_CODES] = {"codes": codes, "next": next_url}
            return redirect(reverse("admin:two_factor_recovery_codes", current_app=site.name))
        form.add_error(
            "code", _("This code is not right. Check the secret, then type the newest code.")
        )
    return _render(
        request,
        site,
        "admin/two_factor/enrol.html",
        _("Set up two-factor authentication"),
        {
            "form": form,
            "username": user.get_username(),
            "secret": two_factor.secret_for_typing(device),
            "qr_code": two_factor.qr_code_data_uri(device),
        },
    )


@never_cache
def recovery_codes(request, site):
    """The recovery codes just made, shown once: they pass through the
    session to this page, which removes them from it.

    Template: admin/two_factor/recovery_codes.html. Context: codes, next_url."""
    if not request.user.is_authenticated:
        return _back_to_login(request, site)
    shown = request.session.pop(RECOVERY_CODES, None)
    if shown is None:
        return redirect(reverse("admin:index", current_app=site.name))
    return _render(
        request,
        site,
        "admin/two_factor/recovery_codes.html",
        _("Your recovery codes"),
        {"codes": shown["codes"], "next_url": shown["next"]},
    )
