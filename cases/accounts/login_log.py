"""The log of logins in the admin (django-axes' models), for reading only.

django-axes registers its own admin pages; publishers may view them
(migration 0018), superusers may also delete entries (which unlocks an
account at once). Nobody edits a log, and its clean-up action is the
superusers' alone, as a deletion is.
"""

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog


class ReadOnly:
    def has_change_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.is_superuser:
            actions.pop("cleanup_expired_attempts", None)
        return actions


def register(site):
    for model, model_admin in [
        (AccessAttempt, AccessAttemptAdmin),
        (AccessLog, AccessLogAdmin),
        (AccessFailureLog, AccessFailureLogAdmin),
    ]:
        if site.is_registered(model):
            site.unregister(model)
        site.register(model, type(f"ReadOnly{model_admin.__name__}", (ReadOnly, model_admin), {}))
