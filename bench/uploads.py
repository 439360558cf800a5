"""What checking and cleaning one photo near the upload limits costs a worker.

    SECRET_KEY=x .venv/bin/python bench/uploads.py

Makes a JPEG (with EXIF orientation and an ICC profile, as a phone writes it),
a PNG and a WebP of just under the pixel limit of their format
(cases.images.MAX_PIXELS, MAX_PIXELS_BY_FORMAT) and
the size limit, then runs the real cases.images.clean_upload() on each in a
fresh interpreter, and prints the seconds it took and the process's peak
memory (VmHWM, the resident high-water mark: Pillow's pixels are allocated
in C, which tracemalloc does not see) above what the interpreter had before.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORMATS = ("JPEG", "PNG", "WEBP")


def setup():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "repression.settings")
    import django

    django.setup()


def make(image_format: str, path: Path) -> None:
    """An image of just under its format's pixel limit, 3:2, under the size limit: a photo
    for JPEG (gradients and noise), a flat graphic for the lossless formats
    (a photo of 40 million pixels would not fit in 10 MB as a PNG)."""
    from PIL import Image, ImageCms

    from cases import images

    most = images.MAX_PIXELS_BY_FORMAT.get(image_format, images.MAX_PIXELS)
    height = int((most / 1.5) ** 0.5) - 2
    width = int(height * 1.5)
    gradient = Image.linear_gradient("L").resize((width, height))
    if image_format == "JPEG":
        noise = Image.effect_noise((width // 8, height // 8), 40).resize((width, height))
    else:
        noise = Image.new("L", (width, height), 128)
    image = Image.merge("RGB", (gradient, noise, gradient.transpose(Image.Transpose.ROTATE_180)))
    options = {}
    if image_format == "JPEG":
        exif = Image.Exif()
        exif[0x0112] = 6  # Orientation: rotated, as a phone held upright writes it
        exif[0x010F] = "Camera maker"
        profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
        options = {"quality": 90, "exif": exif.tobytes(), "icc_profile": profile}
    elif image_format == "WEBP":
        options = {"quality": 80, "method": 0}
    image.save(path, image_format, **options)


def measure(path: Path) -> dict:
    """Run in a fresh interpreter: clean_upload() of PATH, timed, with the peak memory."""
    setup()
    from django.core.files import File

    from cases import images

    before = _memory_kb("VmRSS")
    with path.open("rb") as handle:
        upload = File(handle, name=path.name)
        start = time.perf_counter()
        picture = images.clean_upload(upload)
        seconds = time.perf_counter() - start
    return {
        "seconds": round(seconds, 2),
        "peak_mb": round((_memory_kb("VmHWM") - before) / 1024),
        "kept": f"{picture.width}x{picture.height}",
    }


def _memory_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"{field} not in /proc/self/status")


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--measure":
        print(json.dumps(measure(Path(sys.argv[2]))))
        return
    setup()
    from PIL import Image

    from cases import images

    print(
        f"Limits: {images.MAX_UPLOAD_BYTES // 2**20} MB, {images.MAX_PIXELS:,} pixels, "
        f"by format {images.MAX_PIXELS_BY_FORMAT}"
    )
    print(f"{'format':6} {'pixels':>12} {'file':>8} {'seconds':>8} {'peak MB':>8}  kept")
    with tempfile.TemporaryDirectory() as folder:
        for image_format in FORMATS:
            path = Path(folder) / f"upload.{image_format.lower()}"
            make(image_format, path)
            with Image.open(path) as image:
                pixels = image.width * image.height
            size = path.stat().st_size
            result = subprocess.run(  # noqa: S603 (this script, our own arguments)
                [sys.executable, __file__, "--measure", str(path)],
                capture_output=True,
                text=True,
                check=True,
            )
            figures = json.loads(result.stdout.strip().splitlines()[-1])
            print(
                f"{image_format:6} {pixels:>12,} {size / 2**20:>6.1f}MB "
                f"{figures['seconds']:>8} {figures['peak_mb']:>8}  {figures['kept']}"
            )
            if size > images.MAX_UPLOAD_BYTES:
                print(f"  (over the size limit: {image_format} is refused before decoding)")


if __name__ == "__main__":
    main()
