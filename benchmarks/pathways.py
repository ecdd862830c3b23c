"""Benchmark: the career pathway map's analysis and drawing for 200 programs and 2,000 links (budget 1 s).

Run: ``.venv/bin/python benchmarks/pathways.py``. A made-up map (fixed seed): 200 programs at 25
institutions over the five credential levels, 2,000 random links (cycles included), every measure of
:func:`sectorkit.partnership.pathways.analyse`, then the diagram drawn and encoded as a PNG
``<img>`` with its text alternative and the programs table (:func:`sectorkit.views.pathways.pathways_html`).
Prints the time of each part, the best of three runs, and whether it is within the budget.
"""

from __future__ import annotations

import random
import sys
import time

from sectorkit.partnership.pathways import LINK_KINDS, analyse, build_map
from sectorkit.views.pathways import pathways_html

BUDGET = 1.0


def made_up(programs: int = 200, links: int = 2000, seed: int = 13):
    """Rows of a made-up map: ``programs`` programs, ``links`` links between random pairs."""
    rnd = random.Random(seed)
    rows = {f"p{i}": {"name": f"Program {i} in precision manufacturing", "institution": f"Institution {i % 25}",
                      "institution-type": "college", "level": str(1 + i % 5),
                      "occupations": "Machinist" if i % 3 else "", "work-based": i % 2 == 0, "entry": i % 7 == 0}
            for i in range(programs)}
    ids = list(rows)
    kinds = list(LINK_KINDS)
    link_rows = [{"from": rnd.choice(ids), "to": rnd.choice(ids), "kind": rnd.choice(kinds),
                  "written": rnd.random() < .5} for _ in range(links)]
    return rows, link_rows


def run() -> tuple[float, float]:
    rows, link_rows = made_up()
    t0 = time.perf_counter()
    m = build_map(rows, link_rows)
    analyse(m)
    t1 = time.perf_counter()
    html = pathways_html(m)  # analyses again, draws, encodes the PNG, writes the table
    t2 = time.perf_counter()
    assert "<img" in html
    return t1 - t0, t2 - t1


def main() -> int:
    run()  # warm-up: imports matplotlib and its fonts
    best = min((run() for _ in range(3)), key=sum)
    total = sum(best)
    print(f"pathway map, 200 programs / 2,000 links: analysis {best[0]:.3f} s, drawing and HTML {best[1]:.3f} s, "
          f"total {total:.3f} s (budget {BUDGET:.1f} s): {'OK' if total <= BUDGET else 'OVER BUDGET'}")
    return 0 if total <= BUDGET else 1


if __name__ == "__main__":
    sys.exit(main())
