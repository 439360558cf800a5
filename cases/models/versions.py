from django.db import connection, models
from django.db.models import F
from django.utils.translation import gettext_lazy as _


class PublicDataVersion(models.Model):
    """A number raised by every edit that may change what the public sees.

    What is cached of the public data (the case list's facet counts, see
    cases.facets) is kept under this number, so that it is computed afresh
    after an edit. It lives in the database, not in the cache: raised in the
    edit's own transaction, it changes when the edit is committed, for every
    process and every app server at once, whatever cache each one uses.
    """

    number = models.PositiveBigIntegerField(_("number"), default=0)

    class Meta:
        verbose_name = _("version of the public data")
        verbose_name_plural = _("versions of the public data")

    def __str__(self):
        return str(self.number)

    @classmethod
    def current(cls) -> int:
        # Read on every public request: plain SQL, without building a queryset.
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT number FROM {cls._meta.db_table} WHERE id = 1")  # noqa: S608
            row = cursor.fetchone()
        return row[0] if row else 0

    @classmethod
    def bump(cls) -> None:
        """Raise the number (the row is created by migration 0010)."""
        if not cls.objects.filter(pk=1).update(number=F("number") + 1):
            cls.objects.get_or_create(pk=1, defaults={"number": 1})
