"""Time the Universe of Connections analysis and diagram on a 300-person, 1,500-relationship universe.

Run: ``python benchmarks/network.py`` (prints seconds per run, the median, and whether it is under 2 s).
The universe is generated with a fixed seed (:func:`sectorkit.universe.random_universe`).
Timed work: build the graph, reach and summary, gaps, brokers (betweenness), single points of
failure, system spread, champion candidates, the table in words, the diagram and its PNG.
"""

from __future__ import annotations

import argparse
import io
import statistics
import time

import matplotlib

matplotlib.use("Agg")

from sectorkit import universe as nw  # noqa: E402
from sectorkit.views import universe as nwv  # noqa: E402

BUDGET_S = 2.0


def run_once(universe: nw.Universe, png_path: str | None = None) -> float:
    start = time.perf_counter()
    G = nw.build_graph(universe)
    reached = nw.reach(G)
    nw.reach_summary(G, reached)
    nw.gaps(G, reached)
    nw.brokers(G, top=10)
    nw.single_points_of_failure(G, reached)
    nw.system_spread(G)
    nw.champion_candidates(G)
    nwv.connections_table_html(G, reached)
    fig = nwv.draw_universe(G, reached=reached, title="Generated universe (benchmark)")
    nwv.diagram_alt_text(G, reached)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, bbox_inches="tight")
    if png_path:
        with open(png_path, "wb") as fh:
            fh.write(buf.getvalue())
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=300)
    parser.add_argument("--relationships", type=int, default=1500)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--png", default=None, help="also write the diagram to this PNG file")
    args = parser.parse_args()
    universe = nw.random_universe(args.people, args.relationships, seed=42)
    print(f"universe: {len(universe.people)} people, {len(universe.relationships)} relationships, "
          f"{len(universe.organizations)} organizations")
    run_once(universe)  # warm-up: imports, font cache
    times = [run_once(universe, args.png if i == 0 else None) for i in range(args.runs)]
    median = statistics.median(times)
    print("runs (s):", ", ".join(f"{t:.3f}" for t in times))
    print(f"median: {median:.3f} s; budget {BUDGET_S:.1f} s: {'UNDER' if median < BUDGET_S else 'OVER'}")
    return 0 if median < BUDGET_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
