"""A team saving into one region at once: 20 processes × 200 saves, on SQLite and on PostgreSQL.

Run: ``python benchmarks/team_load.py`` (about a minute on 2 cores). For each backend, 20 worker
processes (each a teammate with its own name and workspace object) wait for one start signal, then
each makes 200 saves into the same region, alternating an answer (``save_answer``) and a table row
(``save_row``), and times every save. Meanwhile one more process commits 50 saves and is killed
with SIGKILL inside its 51st (after that save's first row is written, before its commit).

Then the region is read back from a new connection and checked: **0 lost** — every answer and
row saved is there with its value and its author, the counts are exact (answers, rows, history
lines, change-feed lines), the killed process's 50 committed saves are there and nothing of its
unfinished one. Prints p50/p95/max save latency per backend and exits 1 if anything was lost.

SQLite: a temporary ``SECTORKIT_HOME``. PostgreSQL: ``SECTORKIT_DATABASE_URL`` if set (a region of
a random name, dropped afterwards), else a private throwaway cluster with PostgreSQL's durable
defaults (``fsync`` on; ``tests.support.postgres``). ``--backend sqlite|postgresql`` runs one.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import secrets
import signal
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))  # tests.support is not installed

from sectorkit.store.backends import URL_VARIABLE  # noqa: E402
from sectorkit.store.workspace import Workspace  # noqa: E402
from tests.support.postgres import fresh_database, private_cluster  # noqa: E402

WORKERS = 20
SAVES = 200
KILLED_COMMITS = 50
SHEET, TABLE = "team-load", "invitees"


def worker(n: int, root: str, region: str, start: mp.Event, out: mp.Queue) -> None:
    """Teammate ``n``: 200 saves (answers and rows alternating); puts ``(n, latencies, {row id: i})``."""
    ws = Workspace.open(region, root, create=False)
    ws.author = f"worker-{n:02d}"
    start.wait()
    latencies, rows = [], {}
    try:
        for i in range(SAVES):
            began = time.perf_counter()
            if i % 2 == 0:
                ws.save_answer(SHEET, f"w{n:02d}-q{i:03d}", {"worker": n, "i": i, "text": f"answer {i} – ü"})
            else:
                rows[ws.save_row(SHEET, TABLE, None, {"worker": n, "i": i})] = i
            latencies.append(time.perf_counter() - began)
        out.put((n, latencies, rows, None))
    except Exception as exc:  # noqa: BLE001 - reported by the parent as a failed worker
        out.put((n, latencies, rows, f"{type(exc).__name__}: {exc}"))
    finally:
        ws.close()


def doomed(root: str, region: str, start: mp.Event) -> None:
    """Commit 50 saves, then SIGKILL itself inside the 51st save's transaction (its first row written)."""
    ws = Workspace.open(region, root, create=False)
    ws.author = "doomed"
    start.wait()
    for i in range(KILLED_COMMITS):
        ws.save_answer(SHEET, f"doomed-q{i:03d}", i)
    real = ws._conn

    class Dying:
        def __getattr__(self, name):
            return getattr(real, name)

        def execute(self, sql, *args):
            out = real.execute(sql, *args)
            if sql.startswith("INSERT INTO answer "):
                os.kill(os.getpid(), signal.SIGKILL)
            return out

    ws._conn = Dying()
    ws.save_answers(SHEET, {"doomed-unfinished-1": 1, "doomed-unfinished-2": 2})


def check(root: str, region: str, results: list) -> list[str]:
    """Every problem found reading the region back (an empty list: nothing lost)."""
    problems = []
    with Workspace.open(region, root, create=False) as ws:
        answers = ws.answers(SHEET)
        rows = {r.row_id: r.value for r in ws.rows(SHEET, TABLE)}
        authors = {q: ws.answer_by(SHEET, q)[1] for q in answers if q.startswith("w")}
        feed = ws.changes_since(0)
        log_lines = ws._conn.execute("SELECT count(*) FROM answer_log").fetchone()[0]
    for n, _lat, saved_rows, error in results:
        if error:
            problems.append(f"worker {n} failed: {error}")
        for i in range(0, SAVES, 2):
            q = f"w{n:02d}-q{i:03d}"
            if answers.get(q) != {"worker": n, "i": i, "text": f"answer {i} – ü"}:
                problems.append(f"answer {q} lost or wrong: {answers.get(q)!r}")
            elif authors.get(q) != f"worker-{n:02d}":
                problems.append(f"answer {q} has author {authors.get(q)!r}")
        for row_id, i in saved_rows.items():
            if rows.get(row_id) != {"worker": n, "i": i}:
                problems.append(f"row {row_id} of worker {n} lost or wrong: {rows.get(row_id)!r}")
    doomed_saved = sorted(q for q in answers if q.startswith("doomed-q"))
    if doomed_saved != [f"doomed-q{i:03d}" for i in range(KILLED_COMMITS)]:
        problems.append(f"the killed process's committed saves: {len(doomed_saved)} of {KILLED_COMMITS} found")
    if any(q.startswith("doomed-unfinished") for q in answers):
        problems.append("part of the killed process's unfinished save was committed")
    expected_answers = WORKERS * SAVES // 2 + KILLED_COMMITS
    expected_rows = WORKERS * SAVES // 2
    counts = {"answers": (len(answers), expected_answers), "rows": (len(rows), expected_rows),
              "history lines": (log_lines, expected_answers),
              "change-feed lines": (len(feed), expected_answers + expected_rows)}
    problems += [f"{what}: {got}, expected {want}" for what, (got, want) in counts.items() if got != want]
    return problems


def run(backend: str, root: str, region: str) -> bool:
    Workspace.open(region, root, name="Team load").close()  # made before the team arrives
    ctx = mp.get_context("fork")  # no connection is open in the parent when it forks
    start, out = ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=worker, args=(n, root, region, start, out)) for n in range(WORKERS)]
    killed = ctx.Process(target=doomed, args=(root, region, start))
    for p in (*procs, killed):
        p.start()
    time.sleep(2.0)  # every process has opened the workspace
    began = time.perf_counter()
    start.set()
    results = [out.get(timeout=600) for _ in procs]
    wall = time.perf_counter() - began
    for p in procs:
        p.join(timeout=60)
    killed.join(timeout=60)
    problems = check(root, region, results)
    if killed.exitcode != -signal.SIGKILL:
        problems.append(f"the doomed process ended with {killed.exitcode}, not SIGKILL")
    latencies = sorted(x for _n, lat, _r, _e in results for x in lat)
    q = statistics.quantiles(latencies, n=100)
    lost = "0 lost" if not problems else f"{len(problems)} PROBLEMS"
    print(f"{backend:<10} {len(latencies)} saves by {WORKERS} processes in {wall:5.1f} s  "
          f"p50 {q[49] * 1000:6.1f} ms  p95 {q[94] * 1000:6.1f} ms  max {latencies[-1] * 1000:6.0f} ms  "
          f"killed mid-save: lost only its unfinished save: {'yes' if not problems else 'see below'}  {lost}")
    for line in problems[:20]:
        print("   ", line)
    return not problems


def main() -> int:
    global WORKERS, SAVES
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--workers", type=int, default=WORKERS, help="processes (default 20)")
    parser.add_argument("--saves", type=int, default=SAVES, help="saves per process, an even number (default 200)")
    args = parser.parse_args()
    WORKERS, SAVES = args.workers, args.saves - args.saves % 2
    ok = True
    print(f"{WORKERS} processes x {SAVES} saves (answers and rows alternating) into one region, plus one process "
          f"killed mid-save; machine: {os.cpu_count()} cores (shared: numbers are under whatever else runs)")
    with tempfile.TemporaryDirectory(prefix="sk-load-") as home:
        if args.backend in ("sqlite", "both"):
            os.environ.pop(URL_VARIABLE, None)
            ok &= run("sqlite", os.path.join(home, "sqlite"), "team-load")
        if args.backend in ("postgresql", "both"):
            with ExitStack() as stack:
                given = os.environ.get(URL_VARIABLE)
                url = given or stack.enter_context(fresh_database(stack.enter_context(private_cluster(durable=True))))
                os.environ[URL_VARIABLE] = url
                region = f"team-load-{secrets.token_hex(4)}" if given else "team-load"
                try:
                    ok &= run("postgresql", os.path.join(home, "postgresql"), region)
                finally:
                    if given:
                        import psycopg

                        with psycopg.connect(url, autocommit=True) as conn:
                            conn.execute(f'DROP SCHEMA IF EXISTS "ws_{region}" CASCADE')
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
