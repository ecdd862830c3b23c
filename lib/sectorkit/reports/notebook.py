"""The report notebook: injecting its parameters safely, and turning the executed notebook into a page.

:func:`_parameterize` injects ``region``, ``home``, ``start_year`` and
``end_year`` with papermill and then checks that the injected cell holds
nothing but those plain values (a region or folder name can never become
code). :func:`notebook_to_html` keeps only the code cells' outputs and wraps
them in a small standalone page styled by :data:`REPORT_CSS`.

>>> "<style>" in REPORT_CSS and "@media print" in REPORT_CSS
True
"""

from __future__ import annotations

import ast
import copy

from sectorkit.reports.common import TEMPLATE, ReportError, esc

REPORT_CSS = """
<style>
  body { max-width: 60rem; margin: 0 auto; padding: 1rem 1.5rem; font-family: system-ui, sans-serif; color: #1b1b1b;
         line-height: 1.45; }
  h1 { font-size: 1.7em; margin: 0.2em 0 0.4em; }
  h2 { font-size: 1.3em; border-bottom: 2px solid #1f6f8b; padding-bottom: 0.15em; margin-top: 1.4em; }
  h3 { font-size: 1.05em; margin: 1em 0 0.3em; }
  .sk-section table, .sk-header table { border-collapse: collapse; margin: 0.4em 0; font-size: 0.92em; }
  .sk-section th, .sk-section td { border-bottom: 1px solid #ccc; padding: 0.25em 0.5em; text-align: left;
                                   vertical-align: top; }
  .sk-section caption { text-align: left; font-weight: 600; padding: 0.3em 0; }
  .sk-not-done { background: #fff4ce; border-left: 4px solid #8a6d00; padding: 0.35em 0.8em; }
  .sk-illustrative { background: #eef5f8; border-left: 4px solid #1f6f8b; padding: 0.35em 0.8em; }
  .sk-list li { margin-bottom: 0.35em; }
  figure img { max-width: 100%; height: auto; }
  code { background: #f2f2f2; padding: 0 0.2em; }
  .jp-OutputArea-output { overflow-x: auto; }
  .sk-table td { white-space: pre-line; }
  #reviews tbody th, #reviews tbody td:not(:last-child) { white-space: nowrap; }
  @page { size: letter; margin: 14mm 12mm; }
  @media print {
    body { max-width: none; padding: 0; font-size: 10pt; }
    figure, tr, li, .sk-not-done, .sk-illustrative { break-inside: avoid; }
    h2, h3, caption, thead, p:has(+ ul), p:has(+ table) { break-after: avoid; }
    thead { display: table-header-group; }
    tbody > tr:first-child { break-before: avoid; }
    figure img { max-height: 140mm; width: auto; }
    /* a short table stays on one page; a long one breaks between rows, its header repeated */
    .sk-section table:not(:has(tbody > tr:nth-child(12))) { break-inside: avoid; }
    .jp-OutputArea-output, .sk-section div { overflow: visible !important; max-width: 100% !important; }
    .sk-section table, .sk-header table { font-size: 8.5pt !important; max-width: 100%; }
    .sk-section th, .sk-section td { padding: 0.2em 0.35em !important; overflow-wrap: break-word; }
    /* wide tables (6 columns or more) take the page's width, in smaller type */
    .sk-section table:has(tr > :nth-child(6)) { width: 100%; font-size: 7.5pt !important; }
  }
</style>
"""

_EXPORTER = None


def _exporter():
    """One HTML exporter per process (building it loads the templates)."""
    global _EXPORTER
    if _EXPORTER is None:
        from nbconvert import HTMLExporter

        _EXPORTER = HTMLExporter(template_name="basic", exclude_input=True, exclude_input_prompt=True,
                                 exclude_output_prompt=True, exclude_markdown=True, exclude_raw=True)
    return _EXPORTER


def _parameterize(region: str, home: str, start_year: int, end_year: int):
    """The template with its parameters injected, checked to be plain data (never code)."""
    params = {"region": region, "home": home, "start_year": int(start_year), "end_year": int(end_year)}
    return parameterize_template(TEMPLATE, params)


def parameterize_template(template, params: dict):
    """``template`` (a notebook path) with ``params`` injected by papermill, checked to be plain data.

    Raises :class:`ReportError` unless the injected cell is only ``name = <constant>`` lines equal to
    ``params`` (so a value can never become code).
    """
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    nb = load_notebook_node(str(template))
    nb = parameterize_notebook(nb, params)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    if len(injected) != 1:
        raise ReportError("The report template has no cell tagged 'parameters'.")
    tree = ast.parse(injected[0].source)
    got = {}
    for node in tree.body:
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
                and isinstance(node.value, ast.Constant)):
            raise ReportError("The injected parameters are not plain values; refusing to run.")
        got[node.targets[0].id] = node.value.value
    if got != params:
        raise ReportError("The injected parameters do not match the values given; refusing to run.")
    return nb


def notebook_to_html(nb, region: str, title: str | None = None) -> str:
    """The executed report as a standalone HTML page: the outputs only, no code, no prompts.

    The cells are exported with nbconvert's ``basic`` template (outputs without
    JupyterLab's stylesheet or scripts) and wrapped in a small page of our own:
    ``lang``, a title, print styles and a ``main`` landmark; no CDN scripts.
    """
    nb = copy.deepcopy(nb)
    # only the code cells' outputs: the parameters and the template's own narrative stay out
    nb.cells = [c for c in nb.cells if c.cell_type == "code"
                and not ({"parameters", "injected-parameters"} & set(c.metadata.get("tags", [])))]
    for c in nb.cells:
        c.source = ""  # nothing of the code reaches the page, even if inputs were ever shown
    body, _ = _exporter().from_notebook_node(nb)
    title = title or f"Sector partnership report: {region}"
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{esc(title)}</title>{REPORT_CSS}</head>\n<body><main>{body}</main></body></html>\n")
