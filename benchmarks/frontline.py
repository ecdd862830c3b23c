"""Time the frontline map's analysis and drawing on 200 roles, 2,000 links and 2,000 demand paths.

Run: ``python benchmarks/frontline.py`` (prints the seconds of each part per run, the median total,
and whether it is under the 1 s budget). The map is generated with a fixed seed: 200 roles in 25
organizations, each naming one to three groups; 2,000 links between roles (overlap, referral,
shared clients) and 2,000 demand paths (about one in twenty from the partnership, the rest passed
on between roles), so some roles are reached in several steps and some not at all.
Timed work: reading the rows into a map (with the problem checks), the analysis (reach,
unserved groups, overlaps), the whole HTML panel: diagram as a PNG, text alternative and tables.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time

import matplotlib

matplotlib.use("Agg")

from sectorkit.partnership.frontline import LINK_KINDS, analyse, frontline_from_rows, population_labels  # noqa: E402
from sectorkit.views.frontline import frontline_html  # noqa: E402

BUDGET_S = 1.0


def generated_rows(n_roles: int = 200, n_links: int = 2000, n_paths: int = 2000, seed: int = 7):
    """(roles, links, paths, targets) as ``(row id, value)`` pairs, reproducible for a seed."""
    rng = random.Random(seed)
    labels = list(population_labels().values())
    roles = [(f"r{i}", {"role": f"Frontline role {i:03d}", "organization-name": f"Organization {i % 25:02d}",
                        "populations": ", ".join(rng.sample(labels, rng.randint(1, 3))),
                        "what": "Advises jobseekers and students"}) for i in range(n_roles)]
    reachable = [f"r{i}" for i in range(int(n_roles * 0.9))]  # the last tenth only pass information on
    links = [(f"l{k}", {"from-role": f"r{rng.randrange(n_roles)}", "to-role": f"r{rng.randrange(n_roles)}",
                        "kind": rng.choice(LINK_KINDS)}) for k in range(n_links)]
    paths = []
    for k in range(n_paths):
        to = rng.choice(reachable)
        if rng.random() < 0.05:
            paths.append((f"p{k}", {"source": "partnership", "to-role": to, "how-often": "monthly"}))
        else:
            paths.append((f"p{k}", {"source": "role", "from-role": f"r{rng.randrange(n_roles)}", "to-role": to,
                                    "how-often": "quarterly"}))
    return roles, links, paths, ["youth", "veterans", "reentry"]


def run_once(rows) -> dict[str, float]:
    roles, links, paths, targets = rows
    t0 = time.perf_counter()
    fm = frontline_from_rows(roles, links, paths, targets)
    analysis = analyse(fm)
    t1 = time.perf_counter()
    html = frontline_html(fm, analysis)
    t2 = time.perf_counter()
    assert "<img" in html and len(fm.roles) == len(roles)
    return {"analysis": t1 - t0, "drawing": t2 - t1, "total": t2 - t0}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    rows = generated_rows()
    run_once(rows)  # warm up: imports, fonts
    totals = []
    for n in range(1, args.runs + 1):
        t = run_once(rows)
        totals.append(t["total"])
        print(f"run {n}: analysis {t['analysis']:.3f} s, drawing and tables {t['drawing']:.3f} s, "
              f"total {t['total']:.3f} s")
    median = statistics.median(totals)
    ok = median <= BUDGET_S
    print(f"median total {median:.3f} s for 200 roles, 2,000 links, 2,000 demand paths: "
          f"{'within' if ok else 'OVER'} the {BUDGET_S:.0f} s budget")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
