"""The server's per-page fixed costs paid once (``sectorkit.serve.render``): templates compiled once, quiet debug."""

from __future__ import annotations

import logging

import jinja2
from voila.exporter import VoilaExporter
from voila.paths import collect_template_paths

from sectorkit.serve.render import BYTECODE, cache_templates, quiet_debug


def _exporter() -> VoilaExporter:
    """What Voila makes for every page it renders (voila.notebook_renderer), with sectorkit's template."""
    paths = collect_template_paths(["voila", "nbconvert"], "sectorkit", prune=True)
    return VoilaExporter(template_paths=paths, template_name="sectorkit", base_url="/")


def test_a_second_page_compiles_no_template(monkeypatch):
    assert cache_templates() and cache_templates()  # idempotent
    BYTECODE.clear()
    compiled: list[str] = []
    real = jinja2.Environment.compile

    def counting(self, source, name=None, filename=None, raw=False, defer_init=False):
        compiled.append(name)
        return real(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    names = ("index.html.j2", "lab/index.html.j2")  # sectorkit's template and the one it extends
    first = _exporter().environment
    for name in names:
        first.get_template(name)
    assert compiled == list(names)
    assert first.bytecode_cache is BYTECODE and len(BYTECODE) == len(compiled)
    before = len(compiled)
    second = _exporter().environment
    assert second is not first
    assert [second.get_template(name).name for name in names] == list(names)
    assert len(compiled) == before  # every template came from the cache


def test_an_edited_template_is_compiled_again():
    cache_templates()
    BYTECODE.clear()
    old = jinja2.Environment(loader=jinja2.DictLoader({"p.j2": "old {{ x }}"}), bytecode_cache=BYTECODE)
    assert old.get_template("p.j2").render(x=1) == "old 1"
    new = jinja2.Environment(loader=jinja2.DictLoader({"p.j2": "new {{ x }}"}), bytecode_cache=BYTECODE)
    assert new.get_template("p.j2").render(x=1) == "new 1"
    # an async environment never gets a sync environment's code for the same template
    async_env = jinja2.Environment(loader=jinja2.DictLoader({"p.j2": "new {{ x }}"}), bytecode_cache=BYTECODE,
                                   enable_async=True)
    assert async_env.get_template("p.j2").render(x=2) == "new 2"


def test_debug_records_are_not_built_for_handlers_that_drop_them():
    log = logging.getLogger("sectorkit.test.render")
    log.setLevel(logging.DEBUG)
    info, debug = logging.StreamHandler(), logging.StreamHandler()
    info.setLevel(logging.INFO)
    log.addHandler(info)
    try:
        assert quiet_debug(log) == logging.INFO and not log.isEnabledFor(logging.DEBUG)
        debug.setLevel(logging.DEBUG)  # a handler that writes debug (``--debug``) keeps debug records
        log.addHandler(debug)
        log.setLevel(logging.DEBUG)
        assert quiet_debug(log) == logging.DEBUG
    finally:
        log.removeHandler(info)
        log.removeHandler(debug)
