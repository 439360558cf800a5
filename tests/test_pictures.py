"""Photos and logos: uploads are checked, stored without metadata, resized once, cleaned up.

Every image here is made by the test itself with Pillow.
"""

import io
import os
import struct
import time
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from PIL import Image, ImageCms, PngImagePlugin

from cases import images
from cases.models import Person, Picture

from .conftest import form_data

pytestmark = pytest.mark.django_db

LATITUDE = (43.0, 20.0, 51.25)  # Zhanaozen, give or take.
SERIAL = "SN-48151623"
SECRETS = [
    b"Exif",
    b"GPS",
    b"PhoneMaker",
    b"Pocket 11",
    SERIAL.encode(),
    b"2011:09:14",
    b"ICC_PROFILE",
    b"iCCP",
    b"http://ns.adobe.com/xap/1.0/",
    b"zhanaozen",
]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def phone_photo(size=(400, 300), orientation=6) -> bytes:
    """A JPEG as a phone writes it: camera, serial, date, GPS position, ICC profile, XMP, comment.

    Orientation 6 means the camera was held upright: turn the pixels 90° to show it.
    """
    image = Image.new("RGB", size, (200, 40, 40))
    image.paste((40, 40, 200), (0, 0, size[0] // 2, size[1]))
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "PhoneMaker"
    exif[0x0110] = "Pocket 11"
    exif[0x0132] = "2011:09:14 10:30:00"
    exif.get_ifd(0x8769)[0xA431] = SERIAL  # BodySerialNumber
    exif.get_ifd(0x8769)[0x9003] = "2011:09:14 10:30:00"  # DateTimeOriginal
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", LATITUDE
    gps[3], gps[4] = "E", (52.0, 48.0, 0.0)
    xmp = (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-'
        b'rdf-syntax-ns#"><rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/" '
        b'xmp:Label="zhanaozen"/></rdf:RDF></x:xmpmeta>'
    )
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, xmp=xmp, icc_profile=icc, comment=b"zhanaozen")
    return buffer.getvalue()


def png(size=(120, 90), mode="RGB", **params) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, "green").save(buffer, "PNG", **params)
    return buffer.getvalue()


def png_header(width: int, height: int) -> bytes:
    """The first bytes of a PNG claiming WIDTH x HEIGHT pixels; cheap to make at any size."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = zlib.compress(b"\0" * 1024)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows)


def upload(content: bytes, name="IMG_20110914_zhanaozen.jpg"):
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


def checked(content: bytes, name="photo.jpg"):
    """What the form field of a picture makes of an upload."""
    return images.PictureUploadField().clean(upload(content, name))


def stored_files(media) -> dict[str, bytes]:
    if not media.exists():
        return {}
    return {
        path.relative_to(media).as_posix(): path.read_bytes()
        for path in media.rglob("*")
        if path.is_file()
    }


def assert_no_metadata(content: bytes):
    for secret in SECRETS:
        assert secret not in content, secret
    with Image.open(io.BytesIO(content)) as image:
        assert not image.getexif()
        assert not {"exif", "icc_profile", "xmp", "XML:com.adobe.xmp", "comment"} & set(image.info)


@pytest.fixture
def ainur(make_person):
    return make_person("Ainur Kurmanov", slug="ainur-kurmanov")


@pytest.fixture
def photo_of(ainur):
    def make(content=None, person=ainur, **fields):
        fields.setdefault("alt_text", "Ainur Kurmanov at a press conference")
        fields.setdefault("credit", "Socialist Movement Kazakhstan")
        return Picture.objects.create(
            person=person, image=upload(content or phone_photo()), **fields
        )

    return make


# Metadata


def test_a_phone_photo_is_stored_without_any_metadata(photo_of, media):
    photo = photo_of(phone_photo())

    files = stored_files(media)
    assert len(files) == 5  # The image and its four sizes; the upload is not kept.
    for name, content in files.items():
        assert "zhanaozen" not in name.lower()
        assert_no_metadata(content)
    for field in Picture.FILE_FIELDS:
        with default_storage.open(getattr(photo, field).name) as stored:
            assert_no_metadata(stored.read())


@pytest.mark.parametrize("kind", ["JPEG", "PNG"])
def test_a_24_megapixel_photo_is_kept_2400_pixels_long_upright_and_without_metadata(
    photo_of, media, kind
):
    """A JPEG is decoded at half its size (draft), a PNG reduced after decoding:
    either way what is kept is no larger than the pages could ever need."""
    content = phone_photo(size=(6000, 4000), orientation=6)
    if kind == "PNG":
        with Image.open(io.BytesIO(content)) as image:
            buffer = io.BytesIO()
            image.save(buffer, "PNG", exif=image.getexif(), icc_profile=image.info["icc_profile"])
            content = buffer.getvalue()

    photo = photo_of(content)

    assert (photo.width, photo.height) == (1600, 2400)  # turned upright: 4000 x 6000
    with default_storage.open(photo.large_2x.name) as stored, Image.open(stored) as image:
        assert image.size == (400, 600)
    assert (photo.thumbnail_width, photo.thumbnail_height) == (67, 100)
    for content in stored_files(media).values():
        assert_no_metadata(content)
    with default_storage.open(photo.image.name) as stored, Image.open(stored) as image:
        top, bottom = image.getpixel((800, 300)), image.getpixel((800, 2100))
    assert top != bottom  # the photo's left and right halves, turned with it


def test_a_phone_photo_is_turned_the_right_way_up(photo_of):
    photo = photo_of(phone_photo(size=(400, 300), orientation=6))

    assert (photo.width, photo.height) == (300, 400)
    with default_storage.open(photo.image.name) as stored, Image.open(stored) as image:
        assert image.size == (300, 400)
        # The camera's left (blue) half is at the top once turned upright.
        red, green, blue = image.convert("RGB").getpixel((150, 20))
        assert blue > red


def test_the_form_hands_on_a_clean_copy_and_never_the_upload():
    clean = checked(phone_photo())

    assert isinstance(clean, images.CleanPicture)
    assert_no_metadata(clean.read())
    for rendition in clean.renditions.values():
        assert_no_metadata(rendition.read())


def test_a_png_is_stored_without_its_text_chunks_profile_or_exif(photo_of, media):
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "zhanaozen")
    info.add_itxt("XML:com.adobe.xmp", "http://ns.adobe.com/xap/1.0/ zhanaozen")
    exif = Image.Exif()
    exif.get_ifd(0x8825)[1] = "N"
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    photo_of(png(pnginfo=info, exif=exif, icc_profile=icc), credit="A logo")

    for content in stored_files(media).values():
        assert_no_metadata(content)
        assert b"tEXt" not in content and b"iTXt" not in content and b"eXIf" not in content


def test_a_logo_with_transparency_keeps_it(make_organisation, media):
    party = make_organisation("Socialist Movement Kazakhstan")
    logo = Picture.objects.create(
        organisation=party,
        image=upload(png(mode="RGBA", size=(300, 100)), "logo.png"),
        alt_text="The movement's logo",
        credit="the movement's website",
    )

    assert logo.image.name.endswith(".png")
    with default_storage.open(logo.thumbnail.name) as stored, Image.open(stored) as image:
        assert image.format == "PNG"
        assert image.mode == "RGBA"
    assert party.logo == logo


# Refusals


@pytest.mark.parametrize("kind", ["JPEG", "PNG", "WEBP"])
def test_jpeg_png_and_webp_are_accepted_whatever_their_names(kind):
    buffer = io.BytesIO()
    Image.new("RGB", (50, 40), "blue").save(buffer, kind)

    clean = checked(buffer.getvalue(), name="photo.gif")

    assert (clean.width, clean.height) == (50, 40)


def test_a_text_file_named_jpg_is_refused():
    with pytest.raises(ValidationError) as refused:
        checked(b"Not a photo at all, only text.\n" * 20, name="photo.jpg")

    assert refused.value.code == "not_an_image"
    assert "not a JPEG, PNG or WebP image" in refused.value.messages[0]


def test_a_gif_is_refused_whatever_its_name():
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, "GIF")

    with pytest.raises(ValidationError) as refused:
        checked(buffer.getvalue(), name="photo.png")

    assert refused.value.code == "not_an_image"


def test_a_20000_by_20000_png_is_refused_in_under_a_second():
    bomb = png_header(20_000, 20_000)

    started = time.monotonic()
    with pytest.raises(ValidationError) as refused:
        checked(bomb, name="bomb.png")

    assert time.monotonic() - started < 1
    assert refused.value.code == "too_many_pixels"
    assert "40 million pixels" in refused.value.messages[0]


def test_an_image_just_over_40_million_pixels_is_refused_from_its_header():
    started = time.monotonic()
    with pytest.raises(ValidationError) as refused:
        checked(png_header(8000, 5001), name="big.png")

    assert time.monotonic() - started < 1
    assert refused.value.code == "too_many_pixels"


def test_a_webp_over_16_million_pixels_is_refused_from_its_header():
    """Pillow decodes a WebP whole, at some 15 bytes a pixel: its limit is lower."""
    buffer = io.BytesIO()
    Image.new("RGB", (4000, 4001), "green").save(buffer, "WEBP", lossless=False, method=0)

    with pytest.raises(ValidationError) as refused:
        checked(buffer.getvalue(), name="big.webp")

    assert refused.value.code == "too_many_pixels"
    assert "16 million pixels" in refused.value.messages[0]


def test_an_11_mb_file_is_refused():
    padded = png() + b"\0" * (11 * 1024 * 1024)

    with pytest.raises(ValidationError) as refused:
        checked(padded, name="large.png")

    assert refused.value.code == "too_large"
    assert "at most 10.0\xa0MB" in refused.value.messages[0]


def test_a_truncated_photo_is_refused_with_a_message():
    with pytest.raises(ValidationError) as refused:
        checked(phone_photo()[:3000])

    assert refused.value.code in {"unreadable", "not_an_image"}


def test_an_unchecked_file_saved_in_code_is_checked_too(ainur, media):
    with pytest.raises(ValidationError):
        Picture.objects.create(
            person=ainur, image=ContentFile(b"text", name="a.jpg"), alt_text="a", credit="b"
        )

    assert not Picture.objects.exists()
    assert stored_files(media) == {}


def test_a_picture_belongs_to_exactly_one_person_or_organisation(ainur, make_organisation):
    party = make_organisation()
    for owners in ({}, {"person": ainur, "organisation": party}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Picture.objects.create(image="pictures/x.jpg", alt_text="a", credit="b", **owners)


# Sizes


def test_thumbnails_exist_are_small_and_fit_their_boxes(photo_of):
    photo = photo_of(phone_photo(size=(4000, 3000)))

    for rendition in images.RENDITIONS:
        name = getattr(photo, rendition.field).name
        assert default_storage.exists(name)
        with default_storage.open(name) as stored, Image.open(stored) as image:
            assert image.width <= rendition.box[0] and image.height <= rendition.box[1]
        assert default_storage.size(name) < 60_000
    assert default_storage.size(photo.thumbnail.name) < 10_000
    assert (photo.thumbnail_width, photo.thumbnail_height) == (75, 100)
    assert (photo.large_width, photo.large_height) == (225, 300)
    assert photo.thumbnail_srcset == f"{photo.thumbnail.url} 1x, {photo.thumbnail_2x.url} 2x"


def test_a_small_image_is_never_enlarged(photo_of):
    photo = photo_of(png(size=(60, 40)))

    assert (photo.large_width, photo.large_height) == (60, 40)


def test_each_file_has_its_own_random_name(photo_of):
    photo = photo_of()

    names = [getattr(photo, field).name for field in Picture.FILE_FIELDS]
    assert len(set(names)) == len(names)
    assert all(name.startswith("pictures/") for name in names)
    assert "IMG" not in "".join(names)


# Replacing and deleting


def test_replacing_a_photo_removes_the_old_files(
    photo_of, media, django_capture_on_commit_callbacks
):
    photo = photo_of()
    old = set(stored_files(media))

    with django_capture_on_commit_callbacks(execute=True):
        photo.image = upload(png(), "new.png")
        photo.save()

    new = set(stored_files(media))
    assert len(new) == 5
    assert not old & new
    assert {getattr(photo, field).name for field in Picture.FILE_FIELDS} == new


def test_changing_only_the_credit_keeps_the_files(
    photo_of, media, django_capture_on_commit_callbacks
):
    photo = photo_of()
    before = stored_files(media)

    with django_capture_on_commit_callbacks(execute=True):
        photo.credit = "Radio Azattyq"
        photo.save()

    assert stored_files(media) == before


def test_old_files_stay_until_the_replacement_is_committed(photo_of, media):
    photo = photo_of()
    old = set(stored_files(media))

    photo.image = upload(png(), "new.png")
    photo.save()  # The test's transaction is never committed.

    assert old <= set(stored_files(media))


def test_deleting_a_person_removes_their_photo_files(
    ainur, photo_of, media, django_capture_on_commit_callbacks
):
    photo_of()

    with django_capture_on_commit_callbacks(execute=True):
        ainur.delete()

    assert stored_files(media) == {}


def test_deleting_the_picture_removes_its_files(
    photo_of, media, django_capture_on_commit_callbacks
):
    photo = photo_of()

    with django_capture_on_commit_callbacks(execute=True):
        photo.delete()

    assert stored_files(media) == {}


# The admin


def post_photo(client, person, image, **fields):
    url = reverse("admin:cases_person_change", args=[person.pk])
    data = form_data(client.get(url))
    fields.setdefault("alt_text", "Ainur Kurmanov speaking at a rally")
    fields.setdefault("credit", "Socialist Movement Kazakhstan")
    data |= {"photo-TOTAL_FORMS": 1, "photo-0-person": person.pk, "photo-0-image": image}
    data |= {f"photo-0-{name}": value for name, value in fields.items()}
    return client.post(url, data)


def test_an_editor_uploads_a_phone_photo_for_ainur_kurmanov(client, editor, media):
    call_command("load_demo", verbosity=0)
    ainur = Person.objects.get(slug="ainur-kurmanov")

    response = post_photo(client, ainur, upload(phone_photo()))

    assert response.status_code == 302, response.context and response.context["errors"]
    photo = Picture.objects.get(person=ainur)
    assert photo.alt_text == "Ainur Kurmanov speaking at a rally"
    assert photo.credit == "Socialist Movement Kazakhstan"
    assert photo.history.count() == 1
    for content in stored_files(media).values():
        assert_no_metadata(content)

    page = client.get(reverse("admin:cases_person_change", args=[ainur.pk]))
    assert photo.thumbnail.url in page.text


def test_a_photo_too_large_to_be_kept_in_memory_is_uploaded_as_well(client, editor, ainur, media):
    # Django writes uploads over 2.5 MB to a temporary file rather than memory.
    noise = Image.frombytes("RGB", (1100, 1100), os.urandom(1100 * 1100 * 3))
    buffer = io.BytesIO()
    noise.save(buffer, "PNG")
    assert buffer.tell() > 2.5 * 1024 * 1024

    response = post_photo(client, ainur, upload(buffer.getvalue(), "scan.png"))

    assert response.status_code == 302
    assert Picture.objects.get(person=ainur).width == 1100


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"Only text.\n" * 100, "not a JPEG, PNG or WebP image"),
        (png_header(20_000, 20_000), "40 million pixels"),
        (png() + b"\0" * (11 * 1024 * 1024), "a picture may be at most 10.0\xa0MB"),
    ],
    ids=["text named .jpg", "decompression bomb", "11 MB"],
)
def test_the_admin_shows_why_an_upload_is_refused(client, editor, ainur, media, content, message):
    response = post_photo(client, ainur, upload(content))

    assert response.status_code == 200
    assert message in response.text
    assert not Picture.objects.exists()
    assert stored_files(media) == {}


def test_the_admin_requires_alt_text_and_credit(client, editor, ainur, media):
    response = post_photo(client, ainur, upload(phone_photo()), alt_text="", credit="")

    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.errors[0]
    assert set(errors) == {"alt_text", "credit"}
    assert not Picture.objects.exists()


def test_an_editor_replaces_a_photo_and_the_old_files_go(
    client, editor, ainur, photo_of, media, django_capture_on_commit_callbacks
):
    photo = photo_of()
    old = set(stored_files(media))
    url = reverse("admin:cases_person_change", args=[ainur.pk])
    data = form_data(client.get(url)) | {"photo-0-image": upload(png(), "new.png")}

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)

    assert response.status_code == 302
    photo.refresh_from_db()
    assert set(stored_files(media)) == {getattr(photo, f).name for f in Picture.FILE_FIELDS}
    assert not old & set(stored_files(media))


def test_an_editor_uploads_an_organisation_logo(client, editor, make_organisation, media):
    party = make_organisation("Socialist Movement Kazakhstan")
    url = reverse("admin:cases_organisation_change", args=[party.pk])
    data = form_data(client.get(url)) | {
        "logo-TOTAL_FORMS": 1,
        "logo-0-organisation": party.pk,
        "logo-0-image": upload(png(mode="RGBA"), "logo.png"),
        "logo-0-alt_text": "The movement's logo",
        "logo-0-credit": "the movement's website",
    }

    response = client.post(url, data)

    assert response.status_code == 302
    assert Picture.objects.get(organisation=party).alt_text == "The movement's logo"


# The public pages


def test_the_demo_data_has_no_pictures():
    call_command("load_demo", verbosity=0)

    assert not Picture.objects.exists()


def test_the_person_and_case_pages_show_the_thumbnail_with_alt_text_and_credit(
    client, ainur, photo_of, make_case
):
    photo = photo_of(alt_text="Ainur Kurmanov at a press conference", credit="Radio Azattyq")
    case = make_case(people=[ainur])

    for url in (ainur.get_absolute_url(), case.get_absolute_url()):
        html = client.get(url).text
        shown = photo.thumbnail if photo.thumbnail.url in html else photo.large
        double = photo.thumbnail_2x if shown == photo.thumbnail else photo.large_2x
        assert f'src="{shown.url}"' in html, url
        assert f"{double.url} 2x" in html, url
        assert 'alt="Ainur Kurmanov at a press conference"' in html, url
        assert "Radio Azattyq" in html, url
        assert photo.image.url not in html, url  # Never the full size.


def test_without_a_photo_the_pages_show_the_placeholder(client, ainur, make_case):
    case = make_case(people=[ainur])

    for url in (ainur.get_absolute_url(), case.get_absolute_url()):
        assert "image not available" in client.get(url).text, url
