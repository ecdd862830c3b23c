"""Time the outreach map's analysis and drawing for 200 programs and 2,000 contacts.

Run: ``python benchmarks/outreach.py`` (prints the analysis and drawing seconds of each run, the
medians, and whether analysis + drawing is under the 1 s budget). The map is generated with a fixed
seed: 200 programs, 600 businesses (400 of them in a generated Universe of Connections, a tenth of
the typed ones spelled a second way), 2,000 contacts with random frequencies.
Timed: analysis = build the map from rows and records, then burden, crowded, unreached, overlaps
and the heat matrix (:func:`sectorkit.views.outreach.analysis`); drawing = the whole HTML panel
(summary, heat map PNG, alt text, tables).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

import matplotlib

matplotlib.use("Agg")

from sectorkit.partnership import outreach as O  # noqa: E402
from sectorkit.views import outreach as V  # noqa: E402

BUDGET_S = 1.0
FREQUENCIES = [*O.PER_YEAR, None]


def generate(programs: int = 200, contacts: int = 2000, businesses: int = 600, seed: int = 7):
    """``(program rows by id, contact rows, Universe organizations)`` of a made-up region."""
    rng = random.Random(seed)
    progs = {f"p{i}": {"name": f"Program {i:03d}", "kind": rng.choice(list(O.KINDS))} for i in range(programs)}
    orgs = {f"b{i}": {"name": f"Business {i:03d}", "kind": "business", "sector": "manufacturing"}
            for i in range(businesses * 2 // 3)}
    rows = []
    for _ in range(contacts):
        # a fifth of the contacts go to 20 businesses (the crowded ones), the rest anywhere
        b = rng.randrange(20) if rng.random() < 0.2 else rng.randrange(businesses)
        row = {"program": f"p{rng.randrange(programs)}", "frequency": rng.choice(FREQUENCIES), "why": "Hiring"}
        if f"b{b}" in orgs:
            row["business"] = f"b{b}"
        else:
            row["business-name"] = f"Business {b:03d}" + (" Inc." if rng.random() < 0.1 else "")
        rows.append(row)
    return progs, rows, orgs


def run_once(progs, rows, orgs) -> tuple[float, float]:
    start = time.perf_counter()
    m = O.build_map(progs, rows, orgs, sector="manufacturing")
    a = V.analysis(m)
    analysed = time.perf_counter()
    V.outreach_html(a)
    return analysed - start, time.perf_counter() - analysed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    progs, rows, orgs = generate()
    m = O.build_map(progs, rows, orgs, sector="manufacturing")
    print(f"{len(m.programs)} programs, {len(m.contacts)} contacts, {len(O.burden(m))} businesses, "
          f"{len(O.overlaps(m))} overlapping pairs, {len(m.spellings)} likely duplicate spellings")
    run_once(progs, rows, orgs)  # warm-up: imports, fonts
    analysis, drawing = [], []
    for n in range(args.runs):
        a, d = run_once(progs, rows, orgs)
        analysis.append(a)
        drawing.append(d)
        print(f"run {n + 1}: analysis {a:.3f} s, drawing {d:.3f} s, total {a + d:.3f} s")
    total = statistics.median(a + d for a, d in zip(analysis, drawing))
    print(f"median: analysis {statistics.median(analysis):.3f} s, drawing {statistics.median(drawing):.3f} s, "
          f"total {total:.3f} s ({'within' if total <= BUDGET_S else 'OVER'} the {BUDGET_S:.0f} s budget)")


if __name__ == "__main__":
    main()
