import logging
import secrets
from functools import partial
from pathlib import PurePath

from django.db import models, transaction
from django.db.models import Q
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from .. import images
from .organisations import Organisation
from .people import Person

logger = logging.getLogger(__name__)


def picture_file_name(instance, filename: str) -> str:
    """A random name in storage, so that neither the name of the uploaded file
    (which may say who or where) nor the name of one size leads to another."""
    return f"pictures/{secrets.token_hex(16)}{PurePath(filename).suffix.lower()}"


class PictureImageField(models.ImageField):
    """An image field whose form checks the upload and cleans it of metadata."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": images.PictureUploadField, **kwargs})


class Picture(models.Model):
    """A person's photo or an organisation's logo, stored without any metadata.

    Only the re-encoded image and its renditions are stored, never the
    uploaded file. Public pages show the renditions, never the full size.
    """

    person = models.OneToOneField(
        Person,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="photo",
        verbose_name=_("person"),
    )
    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="logo",
        verbose_name=_("organisation"),
    )
    image = PictureImageField(
        _("image"),
        upload_to=picture_file_name,
        help_text=_(
            "A JPEG, PNG or WebP file of at most 10 MB and 40 million pixels "
            "(16 million for WebP). "
            "Its hidden data (where and when it was taken, the camera) is removed "
            "on upload; the file itself is not kept."
        ),
    )
    alt_text = models.CharField(
        _("alt text"),
        max_length=300,
        help_text=_(
            "What the picture shows, for people who cannot see it, "
            "e.g. “Ainur Kurmanov speaking at a rally”."
        ),
    )
    credit = models.CharField(
        _("credit"),
        max_length=300,
        help_text=_("Who took the picture, or where it was published."),
    )
    width = models.PositiveIntegerField(_("width"), editable=False, default=0)
    height = models.PositiveIntegerField(_("height"), editable=False, default=0)
    thumbnail = models.ImageField(
        _("thumbnail"), upload_to=picture_file_name, blank=True, editable=False
    )
    thumbnail_2x = models.ImageField(
        _("thumbnail for high-density screens"),
        upload_to=picture_file_name,
        blank=True,
        editable=False,
    )
    large = models.ImageField(_("large"), upload_to=picture_file_name, blank=True, editable=False)
    large_2x = models.ImageField(
        _("large for high-density screens"), upload_to=picture_file_name, blank=True, editable=False
    )
    thumbnail_width = models.PositiveIntegerField(editable=False, default=0)
    thumbnail_height = models.PositiveIntegerField(editable=False, default=0)
    large_width = models.PositiveIntegerField(editable=False, default=0)
    large_height = models.PositiveIntegerField(editable=False, default=0)

    FILE_FIELDS = ("image", *(rendition.field for rendition in images.RENDITIONS))

    class Meta:
        verbose_name = _("picture")
        verbose_name_plural = _("pictures")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(person__isnull=False, organisation__isnull=True)
                    | Q(person__isnull=True, organisation__isnull=False)
                ),
                name="picture_of_one_person_or_one_organisation",
                violation_error_message=_(
                    "A picture belongs to one person or to one organisation."
                ),
            ),
        ]

    def __str__(self):
        if self.person_id:
            return str(_("Photo of %(name)s") % {"name": self.person})
        return str(_("Logo of %(name)s") % {"name": self.organisation})

    def save(self, *args, **kwargs):
        """Store a newly assigned image cleaned, with its renditions; drop the files it replaces.

        A new image is one assigned to `image` and not yet in storage: an
        upload from the admin's form (already checked and cleaned there), or
        any file assigned in code (checked and cleaned here).
        """
        if not self.image or self.image._committed:
            return super().save(*args, **kwargs)
        replaced = self._stored_names()
        written = self._store(self.image.file)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], *self._image_fields()}
        try:
            super().save(*args, **kwargs)
        except BaseException:
            _delete_files(self.image.storage, written)
            raise
        delete_after_commit(self.image.storage, set(replaced) - set(written))

    @property
    def thumbnail_srcset(self) -> str:
        return f"{self.thumbnail.url} 1x, {self.thumbnail_2x.url} 2x"

    @property
    def large_srcset(self) -> str:
        return f"{self.large.url} 1x, {self.large_2x.url} 2x"

    def _stored_names(self) -> list[str]:
        """The names in storage of this picture's files, as the database has them now."""
        if self.pk is None:
            return []
        row = type(self).objects.filter(pk=self.pk).values(*self.FILE_FIELDS).first()
        return [name for name in (row or {}).values() if name]

    def _store(self, upload) -> list[str]:
        # An upload from the form was checked and cleaned there already.
        is_clean = isinstance(upload, images.CleanPicture)
        clean = upload if is_clean else images.clean_upload(upload)
        written = []
        try:
            for field, content in [("image", clean), *clean.renditions.items()]:
                getattr(self, field).save(content.name, content, save=False)
                written.append(getattr(self, field).name)
        except BaseException:
            _delete_files(self.image.storage, written)
            raise
        self.width, self.height = clean.width, clean.height
        thumbnail, large = clean.renditions["thumbnail"], clean.renditions["large"]
        self.thumbnail_width, self.thumbnail_height = thumbnail.width, thumbnail.height
        self.large_width, self.large_height = large.width, large.height
        return written

    @classmethod
    def _image_fields(cls) -> list[str]:
        return [
            *cls.FILE_FIELDS,
            "width",
            "height",
            "thumbnail_width",
            "thumbnail_height",
            "large_width",
            "large_height",
        ]


def delete_after_commit(storage, names) -> None:
    """Delete NAMES from STORAGE once the transaction commits (not at all if it rolls back)."""
    names = sorted(name for name in names if name)
    if names:
        transaction.on_commit(partial(_delete_files, storage, names), robust=True)


def _delete_files(storage, names) -> None:
    for name in names:
        try:
            storage.delete(name)
        except Exception:
            logger.exception("Could not delete the picture file %s from storage", name)


@receiver(post_delete, sender=Picture, dispatch_uid="delete_files_of_deleted_picture")
def _delete_files_of_deleted_picture(sender, instance, **kwargs):
    # A signal rather than Picture.delete(): a picture is most often deleted
    # with its person or organisation, by a cascade that never calls delete().
    delete_after_commit(
        instance.image.storage, [getattr(instance, f).name for f in sender.FILE_FIELDS]
    )
