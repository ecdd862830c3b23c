"""Time a journey map's analysis and drawing for 200 programs and 2,000 steps.

Run: ``python benchmarks/journeys.py`` (prints the analysis and drawing seconds of each run, the
medians, and whether analysis + drawing is under the 1 s budget; ``--png FILE`` also saves the
diagram). The map is generated with a fixed seed: 200 programs, 2,000 steps spread over the five
stages of the employer journey, "what happens" drawn from a small list so that repeats are common,
a few order numbers duplicated and a few steps naming a deleted program.
Timed: analysis = build the journey from rows, by stage, shared stages, repeats, no follow-through;
drawing = the whole HTML panel (diagram PNG with alt text, findings, tables), as the page shows it.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

import matplotlib

matplotlib.use("Agg")

from sectorkit.partnership import journeys as J  # noqa: E402
from sectorkit.specs import load_spec  # noqa: E402
from sectorkit.views import journeys as V  # noqa: E402

BUDGET_S = 1.0
WHAT = ["Fills in a hiring needs form", "Company visit", "Job fair invitation", "Screened candidates sent",
        "Check-in call after 90 days", "Training for the company's staff", "Referred to the college",
        "Newsletter", "Wage subsidy agreement", "Follow-up survey"]


def generate(programs: int = 200, steps: int = 2000, seed: int = 7):
    """``(program rows by id, step rows [(id, cells)], stages)`` of a made-up region."""
    rng = random.Random(seed)
    _, _, stages = J.journey_tables(load_spec("employer-journey"))
    progs = {f"p{i}": {"name": f"Program {i:03d} of the region's partners"} for i in range(programs)}
    rows = []
    for n in range(steps):
        program = f"p{rng.randrange(programs)}" if rng.random() > 0.005 else "deleted"
        rows.append((f"s{n}", {"program": program, "stage": rng.choice(stages)[0],
                               "what": f"{rng.choice(WHAT)} {rng.randrange(40)}", "order": rng.randrange(1, 15)}))
    return progs, rows, stages


def run_once(progs, rows, stages) -> tuple[float, float, str]:
    start = time.perf_counter()
    j = J.build_journey(progs, rows, stages)
    J.stage_programs(j)
    J.shared_stages(j)
    J.repeats(j)
    J.no_follow_through(j)
    analysed = time.perf_counter()
    page = V.journey_html(j, "Employer journeys (benchmark)")
    return analysed - start, time.perf_counter() - analysed, page


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--png", help="also save the diagram to this file")
    args = parser.parse_args()
    data = generate()
    run_once(*data)  # warm up: matplotlib's fonts and imports
    times = []
    for i in range(args.runs):
        analysis, drawing, _ = run_once(*data)
        times.append((analysis, drawing))
        print(f"run {i + 1}: analysis {analysis:.3f} s, drawing {drawing:.3f} s, total {analysis + drawing:.3f} s")
    a, d = statistics.median(t[0] for t in times), statistics.median(t[1] for t in times)
    verdict = "within" if a + d <= BUDGET_S else "OVER"
    print(f"median: analysis {a:.3f} s + drawing {d:.3f} s = {a + d:.3f} s, {verdict} the {BUDGET_S:.0f} s budget "
          f"(200 programs, 2,000 steps)")
    if args.png:
        j = J.build_journey(*data)
        V.journey_figure(j, "Employer journeys (benchmark)").savefig(args.png, dpi=100, bbox_inches="tight")


if __name__ == "__main__":
    main()
