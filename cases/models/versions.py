import secrets
from collections.abc import Iterable

from django.db import connection, models
from django.db.models import F
from django.utils.translation import gettext_lazy as _


def new_token() -> str:
    return secrets.token_hex(16)


class PublicDataVersion(models.Model):
    """A number raised by every edit that may change what the public sees,
    and a random token, the generation, drawn afresh when every cached thing
    must be forgotten.

    An edit raises the number and stamps what it changed (PublicDataStamp) with
    it: what is cached of the public data (the case list's facet counts, see
    cases.facets; whole pages, see cases.page_cache) records the number it was
    computed at and what it shows, and is computed afresh once one of those is
    stamped with a later number. It lives in the database, not in the cache:
    raised in the edit's own transaction, it changes when the edit is
    committed, for every process and every app server at once, whatever cache
    each one uses. Edits are numbered in the order they are committed: each one
    holds this row locked from its raise to its commit.

    The number alone would come round again: a restored backup (or a replica
    promoted after losing its last transactions) brings back an older number,
    and the next edits raise it through numbers under which pages were cached
    before, showing withdrawn cases again. The token is never drawn twice, and
    nothing cached under another token is used: the restore and the loaddata
    commands draw a new one as soon as they are done, as does an edit that
    cannot say what it changed (bump() without topics). A promoted replica
    must be given a new one too (`manage.py shell -c "from cases.models import
    PublicDataVersion; PublicDataVersion.bump()"`).
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
    def bump(
        cls, *, topics: Iterable[str] | None = None, again: bool = False, using: str = "default"
    ) -> None:
        """Raise the number and stamp TOPICS with it; without TOPICS, draw a new
        token, which makes everything cached unreachable (the row is created
        by migration 0010). AGAIN: a later step of the same edit, in the same
        transaction, stamps TOPICS with the number already raised."""
        rows = cls.objects.using(using)
        if not (again and topics):
            changes = {"number": F("number") + 1}
            if topics is None:
                changes["token"] = new_token()
            if not rows.filter(pk=1).update(**changes):
                rows.get_or_create(pk=1, defaults={"number": 1, "token": new_token()})
        if topics:
            number = rows.values_list("number", flat=True).get(pk=1)
            PublicDataStamp.objects.using(using).bulk_create(
                [PublicDataStamp(topic=topic, number=number) for topic in sorted(set(topics))],
                update_conflicts=True,
                unique_fields=["topic"],
                update_fields=["number"],
            )


class PublicDataStamp(models.Model):
    """The number of the last edit (PublicDataVersion) that changed a TOPIC:
    an object with a public page or shown on one ("case:12", "person:3"), or
    "lists", everything the lists, their counts and the home page show.
    cases.page_cache says which edit stamps which topics."""

    topic = models.CharField(_("topic"), max_length=60, primary_key=True)
    number = models.PositiveBigIntegerField(_("number"))

    class Meta:
        verbose_name = _("stamp of the public data")
        verbose_name_plural = _("stamps of the public data")

    def __str__(self):
        return f"{self.topic}@{self.number}"
