"""Root pytest configuration: old import-path shims are not collected for doctests
(each is the same module object as its new home, whose doctests already run)."""

collect_ignore = [
    f"lib/sectorkit/{name}.py"
    for name in (
        "errors", "paths", "workspace", "qcew", "screen", "ui", "charts", "forms",
        "lmi_review", "pages", "voila", "network", "report",
    )
]
