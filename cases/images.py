"""Photos of people and logos of organisations: checking an upload, cleaning it, resizing it.

People in these photos may be at risk. A phone photo carries where and when it
was taken and which camera took it (EXIF, GPS, XMP, ICC and comments), so
nothing of an upload is kept but its pixels: the file is checked by its
content, decoded with limits, turned the right way up, and encoded again from
the pixels alone, at most KEPT_SIDE pixels long. The sizes the public pages
need are made from that clean image once, at upload, and stored next to it.
Near the limits (40 million pixels, 16 million for WebP) this costs a worker
a few seconds and 250 MB at most, not ten seconds and half a GB: see
docs/benchmarks.md.

Pillow is used directly rather than through a thumbnail library: there are
four fixed sizes, and doing it here keeps full control over what is written
(no metadata is ever copied) and one moving part fewer.
"""

import io
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageCms, ImageOps

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
# Pillow decodes a WebP whole, through three copies of its pixels (some 15
# bytes a pixel: 600 MB at 40 million), where a JPEG is decoded at a fraction
# of its size; so WebP has a lower limit (docs/benchmarks.md).
MAX_PIXELS_BY_FORMAT = {"WEBP": 16_000_000}
# The long side of the image kept of an upload, in pixels: the public pages
# show only the renditions below (600 pixels high at most), so the rest of a
# 40-million-pixel photo would cost memory, time and storage for nothing.
KEPT_SIDE = 2400
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
ACCEPTED_MEDIA_TYPES = "image/jpeg,image/png,image/webp"


@dataclass(frozen=True)
class Rendition:
    """One size the pages need: the Picture field that holds it and the box it fits in."""

    field: str
    box: tuple[int, int]


# The public pages show portraits 4:5; an image is fitted into the box whole
# (never cropped, never enlarged). The 2x sizes are for high-density screens.
RENDITIONS = (
    Rendition("thumbnail", (80, 100)),
    Rendition("thumbnail_2x", (160, 200)),
    Rendition("large", (240, 300)),
    Rendition("large_2x", (480, 600)),
)


class CleanImage(ContentFile):
    """Image bytes encoded here from pixels alone, with their size in pixels."""

    def __init__(self, content: bytes, name: str, width: int, height: int):
        super().__init__(content, name=name)
        self.width = width
        self.height = height


class CleanPicture(CleanImage):
    """A checked and cleaned upload, with every rendition of it (by field name)."""

    def __init__(self, content, name, width, height, renditions: dict[str, CleanImage]):
        super().__init__(content, name, width, height)
        self.renditions = renditions


def clean_upload(upload) -> CleanPicture:
    """Check UPLOAD and return it re-encoded without metadata, with its renditions.

    Raises ValidationError, with a message an editor can act on, for anything
    that is not a JPEG, PNG or WebP image within the limits.
    """
    check_upload(upload)
    upload.seek(0)
    try:
        with Image.open(upload, formats=ACCEPTED_FORMATS) as image:
            clean = _pixels_only(_decoded_small(image))
    except Exception as exc:  # Pillow raises many kinds of error on damaged files.
        raise ValidationError(
            _("The image could not be read: it may be damaged or incomplete."),
            code="unreadable",
        ) from exc
    if max(clean.size) > KEPT_SIDE:
        kept = fit(clean.size, (KEPT_SIDE, KEPT_SIDE))
        clean = clean.resize(kept, Image.Resampling.LANCZOS, reducing_gap=3.0)
    main = _encode(clean, quality=90)
    renditions = {}
    source = clean
    # Largest first, each made from the one before: the same sharpness at a
    # fraction of the cost of resizing the kept image four times.
    for rendition in sorted(RENDITIONS, key=lambda r: r.box, reverse=True):
        source = source.resize(
            fit(clean.size, rendition.box), Image.Resampling.LANCZOS, reducing_gap=3.0
        )
        renditions[rendition.field] = _encode(source, quality=82)
    return CleanPicture(main.read(), main.name, main.width, main.height, renditions)


def check_upload(upload) -> None:
    """Refuse what is too big, not an accepted image, or damaged, before decoding any pixels."""
    size = upload.size
    if size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("This file is %(size)s; a picture may be at most %(limit)s."),
            code="too_large",
            params={"size": filesizeformat(size), "limit": filesizeformat(MAX_UPLOAD_BYTES)},
        )
    too_many_pixels = _(
        "This image is larger than %(limit)s million pixels. Make it smaller and upload it again."
    )
    limit = {"limit": MAX_PIXELS // 1_000_000}
    upload.seek(0)
    try:
        # Opening reads only the header; Pillow itself refuses a decompression
        # bomb here (far more pixels than its own limit) without decoding it.
        with Image.open(upload, formats=ACCEPTED_FORMATS) as image:
            width, height = image.size
            most = MAX_PIXELS_BY_FORMAT.get(image.format, MAX_PIXELS)
            if width * height > most:
                limit = {"limit": most // 1_000_000}
                raise ValidationError(too_many_pixels, code="too_many_pixels", params=limit)
            image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(too_many_pixels, code="too_many_pixels", params=limit) from exc
    except ValidationError:
        raise
    except Image.UnidentifiedImageError as exc:
        raise ValidationError(
            _("This file is not a JPEG, PNG or WebP image, whatever its name says."),
            code="not_an_image",
        ) from exc
    except Exception as exc:
        raise ValidationError(
            _("The image could not be read: it may be damaged or incomplete."),
            code="unreadable",
        ) from exc


def _decoded_small(image: Image.Image) -> Image.Image:
    """IMAGE's pixels, decoded no larger than needed for KEPT_SIDE.

    A JPEG is decoded at 1/2, 1/4 or 1/8 of its size straight from its DCT
    coefficients (draft), which costs that much less time and memory; other
    formats are decoded whole, then reduced by a whole factor (a box filter,
    fast). Either is then resized to KEPT_SIDE, so that every later step
    (turning, colour conversion, encoding, the renditions) works on a few
    million pixels rather than forty.
    """
    if image.format == "JPEG":
        image.draft(image.mode, (KEPT_SIDE, KEPT_SIDE))
    image.load()
    if max(image.size) <= KEPT_SIDE or image.mode not in ("L", "LA", "RGB", "RGBA"):
        return image  # small already, or in a mode resized after its conversion
    small = image
    factor = max(image.size) // KEPT_SIDE
    if factor >= 2:
        small = small.reduce(factor)
    kept = fit(small.size, (KEPT_SIDE, KEPT_SIDE))
    small = small.resize(kept, Image.Resampling.LANCZOS)
    small.info = image.info  # its EXIF orientation and colour profile, still to be applied
    return small


def fit(size: tuple[int, int], box: tuple[int, int]) -> tuple[int, int]:
    """SIZE scaled down (never up) to fit in BOX, keeping its proportions."""
    width, height = size
    scale = min(box[0] / width, box[1] / height, 1)
    return max(1, round(width * scale)), max(1, round(height * scale))


def _pixels_only(image: Image.Image) -> Image.Image:
    """IMAGE turned the right way up, in sRGB, as a new image that carries no metadata."""
    upright = ImageOps.exif_transpose(image)
    has_alpha = upright.mode in ("RGBA", "LA", "PA", "RGBa", "La") or (
        upright.mode == "P" and "transparency" in upright.info
    )
    mode = "RGBA" if has_alpha else ("L" if upright.mode in ("1", "L") else "RGB")
    icc_profile = upright.info.get("icc_profile")
    if icc_profile and upright.mode in ("RGB", "RGBA", "CMYK"):
        # Colours are brought into sRGB before the profile is dropped, so that
        # a wide-gamut phone photo does not look washed out without it.
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
            srgb = ImageCms.createProfile("sRGB")
            upright = ImageCms.profileToProfile(upright, source, srgb, outputMode=mode)
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            pass  # An unusable profile: keep the pixels as they are.
    clean = upright.convert(mode) if upright.mode != mode else upright.copy()
    clean.info = {}
    return clean


def _encode(image: Image.Image, *, quality: int) -> CleanImage:
    """IMAGE as a JPEG (or a PNG when it has transparency), with nothing but pixels in it."""
    image.info = {}
    buffer = io.BytesIO()
    if image.mode == "RGBA":
        image.save(buffer, "PNG", optimize=False, icc_profile=None)
        extension = "png"
    else:
        image.save(buffer, "JPEG", quality=quality, optimize=True, progressive=True)
        extension = "jpg"
    return CleanImage(buffer.getvalue(), f"picture.{extension}", *image.size)


class PictureUploadField(forms.FileField):
    """The upload field of a picture: checks the file and hands on a clean copy of it.

    The checks run in the form, so an editor sees what is wrong with a file
    next to it; nothing that fails them reaches storage or the database.
    """

    def to_python(self, data):
        upload = super().to_python(data)
        if upload is None:
            return None
        return clean_upload(upload)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.FileInput) and "accept" not in widget.attrs:
            attrs.setdefault("accept", ACCEPTED_MEDIA_TYPES)
        return attrs
