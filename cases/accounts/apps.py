from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django.contrib.auth.signals import user_logged_in


class AdminConfig(DjangoAdminConfig):
    """Django's admin, on the site class that asks for a second factor.

    Every `@admin.register` and `admin.site` in the project and in the
    installed apps (django-axes, django-otp) then uses that site."""

    default_site = "cases.accounts.admin_site.EditorsAdminSite"

    def ready(self):
        super().ready()
        from django.contrib import admin

        from . import login_log
        from .sessions import record_login

        login_log.register(admin.site)

        # Django's one hook that every login passes, the admin's and the
        # test client's force_login alike.
        user_logged_in.connect(record_login, dispatch_uid="cases.accounts.record_login")
