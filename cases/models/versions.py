import secrets

from django.db import connection, models
from django.db.models import F
from django.utils.translation import gettext_lazy as _


def new_token() -> str:
    return secrets.token_hex(16)


class PublicDataVersion(models.Model):
    """A number raised by every edit that may change what the public sees,
    with a random token drawn afresh each time.

    What is cached of the public data (the case list's facet counts, see
    cases.facets; whole pages, see cases.page_cache) is kept under this
    version, so that it is computed afresh after an edit. It lives in the
    database, not in the cache: raised in the edit's own transaction, it
    changes when the edit is committed, for every process and every app
    server at once, whatever cache each one uses.

    The number alone would come round again: a restored backup (or a replica
    promoted after losing its last transactions) brings back an older number,
    and the next edits raise it through numbers under which pages were cached
    before, showing withdrawn cases again. The token is never drawn twice, so
    a version is never reused; the restore and the loaddata commands draw a
    new one as soon as they are done.
    """

    number = models.PositiveBigIntegerField(_("number"), default=0)
    token = models.CharField(_("token"), max_length=32, default=new_token)

    class Meta:
        verbose_name = _("version of the public data")
        verbose_name_plural = _("versions of the public data")

    def __str__(self):
        return f"{self.number}.{self.token}"

    @classmethod
    def current(cls) -> str:
        """The key of what is cached of the public data now."""
        # Read on every public request: plain SQL, without building a queryset.
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT number, token FROM {cls._meta.db_table} WHERE id = 1")  # noqa: S608
            row = cursor.fetchone()
        # Without the row (a flushed database) nothing cached may be trusted.
        return f"{row[0]}.{row[1]}" if row else new_token()

    @classmethod
    def bump(cls, *, using: str = "default") -> None:
        """Raise the number and draw a new token (the row is created by migration 0010)."""
        token = new_token()
        rows = cls.objects.using(using)
        if not rows.filter(pk=1).update(number=F("number") + 1, token=token):
            rows.get_or_create(pk=1, defaults={"number": 1, "token": token})
