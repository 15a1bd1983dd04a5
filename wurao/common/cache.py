"""The cache every worker process on one machine shares when there is no Redis.

Rate limits count requests per client address in the cache, so every worker must see the
same counter and add to it atomically. Django's file-based cache is shared between the
processes of one machine but counts with a read and a write (two workers serving the same
address at once both write n + 1) and, when it holds MAX_ENTRIES files, deletes a random
third of them, live counters included. This one takes an exclusive lock (flock on a file in
the cache folder) around add and incr, writes a count in place of the old file atomically,
and deletes expired files before live ones. Production with more than one machine uses Redis
(CACHE_URL=redis://..., Django's own RedisCache: INCR is atomic), see docs/deploy.md.
"""

import contextlib
import fcntl
import os
import pickle
import tempfile
import time
import zlib
from collections.abc import Iterator

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache


class FileCache(FileBasedCache):
    lock_name = ".lock"

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        self._createdir()
        with open(os.path.join(self._dir, self.lock_name), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        with self._locked():
            return super().add(key, value, timeout, version)

    def incr(self, key, delta=1, version=None):
        fname = self._key_to_file(key, version)
        with self._locked():
            try:
                with open(fname, "rb") as f:
                    expiry = pickle.load(f)
                    if expiry is not None and expiry < time.time():
                        raise ValueError(f"Key '{key}' not found.")
                    value = pickle.loads(zlib.decompress(f.read())) + delta
            except (FileNotFoundError, EOFError):
                raise ValueError(f"Key '{key}' not found.") from None
            # The same expiry, written beside the file and moved over it: a reader never sees
            # half a file, and counting needs no cull.
            fd, tmp_path = tempfile.mkstemp(dir=self._dir)
            try:
                with open(fd, "wb") as f:
                    f.write(pickle.dumps(expiry, self.pickle_protocol))
                    f.write(zlib.compress(pickle.dumps(value, self.pickle_protocol)))
                os.replace(tmp_path, fname)
            except BaseException:
                with contextlib.suppress(FileNotFoundError):
                    os.remove(tmp_path)
                raise
            return value

    def _cull(self) -> None:
        """Expired entries go first; a random cull only when the live ones alone are too many."""
        files = self._list_cache_files()
        if len(files) < self._max_entries:
            return
        now = time.time()
        for fname in files:
            try:
                with open(fname, "rb") as f:
                    expiry = pickle.load(f)
            except (FileNotFoundError, EOFError, pickle.UnpicklingError):
                continue
            if expiry is not None and expiry < now:
                self._delete(fname)
        super()._cull()
