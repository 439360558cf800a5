"""The admin site, with a second factor at the login.

Installed as Django's default admin site by apps.AdminConfig, so every model
admin of the project and of the installed apps is registered on it.
"""

from functools import update_wrapper

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext as _

from . import two_factor


class EditorsAdminSite(admin.AdminSite):
    def has_permission(self, request):
        """Staff, and logged in with a second factor if the account must
        use one. A session that is not (one from before the account could
        publish, or from before this rule) is sent to the login again."""
        if not super().has_permission(request):
            return False
        user = request.user
        return user.is_verified() or not two_factor.is_required_for(user)

    def login(self, request, extra_context=None):
        """Django's AdminSite.login, with the password as the first step of
        two (views.PasswordStepLoginView)."""
        if request.method == "GET" and self.has_permission(request):
            return HttpResponseRedirect(reverse("admin:index", current_app=self.name))

        from django.contrib.admin.forms import AdminAuthenticationForm

        from .views import PasswordStepLoginView

        context = {
            **self.each_context(request),
            "title": _("Log in"),
            "subtitle": None,
            "app_path": request.get_full_path(),
            "username": request.user.get_username(),
        }
        if REDIRECT_FIELD_NAME not in request.GET and REDIRECT_FIELD_NAME not in request.POST:
            context[REDIRECT_FIELD_NAME] = reverse("admin:index", current_app=self.name)
        context.update(extra_context or {})
        request.current_app = self.name
        return PasswordStepLoginView.as_view(
            extra_context=context,
            authentication_form=self.login_form or AdminAuthenticationForm,
            template_name=self.login_template or "admin/login.html",
            admin_site=self,
        )(request)

    def get_urls(self):
        from . import views

        def with_site(view):
            def wrapper(request):
                request.current_app = self.name
                return view(request, self)

            return update_wrapper(wrapper, view)

        return [
            path("login/code/", with_site(views.verify), name="two_factor_verify"),
            path("login/enrol/", with_site(views.enrol), name="two_factor_enrol"),
            path(
                "login/recovery-codes/",
                with_site(views.recovery_codes),
                name="two_factor_recovery_codes",
            ),
            *super().get_urls(),
        ]
