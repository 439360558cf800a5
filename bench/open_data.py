"""What the whole download and the sitemaps cost at the benchmark's size.

    python bench/open_data.py

Makes the file of every published case (CSV, then JSON; cases/export_files.py)
into a scratch MEDIA_ROOT, renders the sitemap index and the first page of
each sitemap, then each again (from the cache), in this process; prints
seconds, CPU seconds and the process's peak memory (ru_maxrss) after each.
Run with the project's settings and DATABASE_URL, like manage.py.
"""

import os
import resource
import sys
import tempfile
import time

from pages import setup


def measured(label, function):
    wall, cpu = time.perf_counter(), time.process_time()
    result = function()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{label:<44} {time.perf_counter() - wall:7.2f} s {time.process_time() - cpu:7.2f} s CPU"
        f"   peak {peak:5.0f} MB",
        flush=True,
    )
    return result


def main():
    os.environ["MEDIA_ROOT"] = tempfile.mkdtemp(prefix="bench-exports-")  # a scratch storage
    setup()
    from django.core.files.storage import default_storage
    from django.test import Client

    from cases import export_files, exports
    from cases.models import Case

    print(f"{Case.objects.published().count()} published cases")
    for extension in ("csv", "json"):
        kind = export_files.ExportKind("http://127.0.0.1", "en", "updated", extension)
        made = measured(
            f"whole download ({extension}), made",
            lambda kind=kind: export_files.make(kind, exports._write_whole_list),
        )
        print(f"  {default_storage.size(made.name) / 1e6:.1f} MB")
    client = Client(HTTP_HOST="127.0.0.1")
    paths = ["/sitemap.xml"] + [
        f"/sitemap-{section}.xml" for section in ("cases", "people", "organisations", "charges")
    ]
    for round_ in ("rendered", "from the cache"):
        for path in paths:
            response = measured(f"{path} ({round_})", lambda path=path: client.get(path))
            assert response.status_code == 200, path


if __name__ == "__main__":
    sys.exit(main())
