"""The yardstick of `make bench`: the cheapest page this project can serve.

/benchmark/minimal/ answers a few bytes through the whole middleware stack,
with no template and no query. Its throughput is the ceiling of any page's:
the benchmark reports each page's throughput as a share of it, measured in
the same run on the same server. It is a 404 unless BENCHMARK_VIEWS is on.
"""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_safe


@require_safe
def minimal(request):
    if not settings.BENCHMARK_VIEWS:
        raise Http404
    return HttpResponse(b"ok\n", content_type="text/plain")
