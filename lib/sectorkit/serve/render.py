"""A page render's fixed costs in the server, paid once: Jinja templates compiled once, no debug records.

Measured with py-spy on ``sectorkit serve`` while 30 pages opened at once
(``benchmarks/voila_load.py --clients headless``), the server's own thread spent about a third
of its time loading and compiling Voila's Jinja templates: Voila makes a new exporter, and so a
new Jinja environment, for every page, and a new environment compiles every template again.
Another ~5 % went to building log records for debug messages that no handler writes: traitlets
sets an application's logger to DEBUG and filters in its handlers.

- :class:`MemoryBytecodeCache` keeps each compiled template (Jinja's own bytecode cache
  protocol, checked against the template's source, so an edited template is compiled again) in
  memory; :func:`cache_templates` gives it to every Voila exporter's environment.
- :func:`quiet_debug` sets a logger's level to its handlers' lowest, so a debug call that no
  handler would write costs a level check.

>>> import logging
>>> log = logging.getLogger("sectorkit.doctest.render")
>>> log.setLevel(logging.DEBUG)
>>> handler = logging.StreamHandler()
>>> handler.setLevel(logging.INFO)
>>> log.addHandler(handler)
>>> quiet_debug(log), log.isEnabledFor(logging.DEBUG)
(20, False)
"""

from __future__ import annotations

import logging
from typing import Any

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket

__all__ = ["BYTECODE", "MemoryBytecodeCache", "cache_templates", "quiet_debug"]


class MemoryBytecodeCache(BytecodeCache):
    """Compiled Jinja templates in memory, shared by every environment of one process.

    The key is the template's name and file plus the environment's settings that change the
    compiled code (async rendering, extensions); Jinja checks each entry against the template's
    source checksum and compiles again when the source changed.

    >>> from jinja2 import DictLoader, Environment
    >>> cache = MemoryBytecodeCache()
    >>> env = Environment(loader=DictLoader({"t": "Hello {{ name }}"}), bytecode_cache=cache)
    >>> env.get_template("t").render(name="Ana"), len(cache)
    ('Hello Ana', 1)
    >>> edited = Environment(loader=DictLoader({"t": "Bye {{ name }}"}), bytecode_cache=cache)
    >>> edited.get_template("t").render(name="Ben")  # another source: compiled again, never the old code
    'Bye Ben'
    """

    def __init__(self) -> None:
        self._store: dict[str, bytes] = {}

    def __len__(self) -> int:
        return len(self._store)

    def get_bucket(self, environment: Any, name: str, filename: str | None, source: str) -> Bucket:
        settings = f"{name}|async={environment.is_async}|{','.join(sorted(environment.extensions))}"
        bucket = Bucket(environment, self.get_cache_key(settings, filename), self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        data = self._store.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._store[bucket.key] = bucket.bytecode_to_string()

    def clear(self) -> None:
        self._store.clear()


#: the server's one cache (see :func:`cache_templates`)
BYTECODE = MemoryBytecodeCache()


def cache_templates() -> bool:
    """Give every Voila exporter's Jinja environment :data:`BYTECODE`; True when done (or done already).

    Wraps ``VoilaExporter._create_environment`` (nbconvert's ``TemplateExporter`` hook). False,
    and nothing changed, when the installed Voila no longer has that hook: pages then render as
    before, compiling their templates each time.
    """
    from voila.exporter import VoilaExporter

    original = getattr(VoilaExporter, "_create_environment", None)
    if original is None:
        return False
    if getattr(original, "_sectorkit_cached", False):
        return True

    def _create_environment(self):
        environment = original(self)
        environment.bytecode_cache = BYTECODE
        return environment

    _create_environment._sectorkit_cached = True  # type: ignore[attr-defined]
    VoilaExporter._create_environment = _create_environment
    return True


def quiet_debug(log: logging.Logger) -> int:
    """Set ``log``'s level to the lowest of its handlers' levels (a handler at DEBUG keeps it); return it."""
    levels = [h.level for h in log.handlers if h.level > logging.NOTSET]
    if levels and len(levels) == len(log.handlers):
        log.setLevel(max(log.level, min(levels)))
    return log.level
