"""Work that must not hold up a visitor's request, done in a thread of the
process once at a time: the whole download's file (cases.export_files) and
the counts of the lists after an edit (cases.facets).

Once at a time in this process (a registry of the threads under way, which
tests join) and across the processes that share the cache (a lock taken with
cache.add, which expires if its thread dies). The thread closes its own
database connections when it ends; what it raises is logged, never lost in
the thread.
"""

import logging
import os
import threading
from collections.abc import Callable, Hashable

from django.core.cache import cache
from django.db import connections

logger = logging.getLogger(__name__)
_registries_lock = threading.Lock()


def run_once(
    running: dict,
    key: Hashable,
    lock: str,
    lock_seconds: int,
    work: Callable[[], object],
    *,
    name: str,
) -> threading.Thread | None:
    """Run WORK in a thread, kept in RUNNING under KEY while it runs, unless
    it runs already: in this process (its thread is returned) or in another
    one that holds LOCK (None)."""
    with _registries_lock:
        thread = running.get(key)
        if thread is not None and thread.is_alive():
            return thread
        if not cache.add(lock, os.getpid(), lock_seconds):
            return None

        def run():
            try:
                work()
            except Exception:
                logger.exception("could not finish %s (%s)", name, key)
            finally:
                cache.delete(lock)
                connections.close_all()  # this thread's own connections
                with _registries_lock:
                    if running.get(key) is threading.current_thread():
                        del running[key]

        thread = threading.Thread(target=run, daemon=True, name=name)
        running[key] = thread
        thread.start()
        return thread
