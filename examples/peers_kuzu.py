"""The Kùzu side of examples/peers.rs: `python peers_kuzu.py SPEC.json`.

SPEC (written by peers.rs) names the CSV directory, the database directory, the schema
and COPY statements and the queries with their parameter sets. This driver loads the CSVs
into a fresh Kùzu database (COPY FROM), times the load, runs every query for the given
rounds (each run over every parameter set, stopping once a query's time budget is spent;
each run capped by Kùzu's query timeout), and prints ONE JSON object on stdout:

    {"version": "...", "threads": N, "load_ms": F, "peak_rss_kb": N,
     "queries": {"id": {"times_ms": [F, ...], "capped": bool,
                        "answers": [[row, ...] or null per parameter set],
                        "errors": ["...", ...]}}}

Progress goes to stderr. Kùzu is measured here only; steward never depends on it.
"""

import json
import os
import resource
import shutil
import sys
import time
import warnings

import kuzu

# Each query is prepared once, outside the timed runs (Kùzu's best case; steward likewise
# caches a statement's plan by its text). Kùzu 0.11 calls separate prepare deprecated.
warnings.filterwarnings("ignore", category=DeprecationWarning)


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        spec = json.load(f)
    db_dir = spec["db_dir"]
    shutil.rmtree(db_dir, ignore_errors=True)
    os.makedirs(db_dir)
    db = kuzu.Database(os.path.join(db_dir, "graph.kz"))
    conn = kuzu.Connection(db)
    conn.set_query_timeout(int(spec["run_timeout_s"] * 1000))

    started = time.perf_counter()
    for statement in spec["schema"]:
        conn.execute(statement)
    for statement in spec["copy"]:
        conn.execute(statement)
    load_ms = (time.perf_counter() - started) * 1000.0
    log(f"kuzu {kuzu.__version__}: loaded in {load_ms / 1000:.1f} s")

    out = {
        "version": kuzu.__version__,
        "threads": os.cpu_count(),
        "load_ms": load_ms,
        "queries": {},
    }
    for q in spec["queries"]:
        out["queries"][q["id"]] = run_query(conn, q, spec)
    out["peak_rss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    conn.close()
    db.close()
    print(json.dumps(out))


def run_query(conn, q, spec):
    """Runs query `q` round by round over its parameter sets, within the time budget."""
    prepared = conn.prepare(q["text"])
    params = q["params"]
    answers = [None] * len(params)
    times, errors = [], []
    spent = 0.0
    capped = False
    for _ in range(spec["rounds"]):
        for i, p in enumerate(params):
            if spent > spec["budget_s"]:
                capped = True
                break
            t = time.perf_counter()
            try:
                rows = conn.execute(prepared, p).get_all()
            except Exception as e:  # noqa: BLE001 (a timeout or a query error)
                spent += time.perf_counter() - t
                errors.append(f"parameter set {i}: {e}")
                continue
            elapsed = time.perf_counter() - t
            spent += elapsed
            times.append(elapsed * 1000.0)
            if answers[i] is None:
                answers[i] = rows
        if capped:
            break
    log(f"kuzu {q['id']}: {len(times)} runs, {spent:.1f} s")
    return {"times_ms": times, "capped": capped, "answers": answers, "errors": errors}


if __name__ == "__main__":
    main()
