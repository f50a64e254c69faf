"""Driftwatch's statistics next to the Python libraries, on the same data, in one run.

Builds the release binaries, writes the data (Benchmarks/scripts/make_data.py), times the kernels in Swift
(stats-timing) and in scipy/numpy/pandas, and the whole `driftwatch compare` of a ROWS x 20 CSV pair
against Evidently's DataDriftPreset (pandas.read_csv + Report.run), then prints a table with the ratios.
Every timing is the best of several runs except the two whole comparisons, which run once each.

  .deps/venv/bin/python Benchmarks/scripts/side_by_side.py [--rows 1000000] [--data DIR]
"""
import argparse
import json
import pathlib
import subprocess
import sys
import time

import numpy as np
import pandas as pd
from scipy import stats

ROOT = pathlib.Path(__file__).resolve().parents[2]


def best(work, runs):
    fastest = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        work()
        fastest = min(fastest, time.perf_counter() - start)
    return fastest


def run(command, **kwargs):
    print("+", " ".join(str(c) for c in command), file=sys.stderr)
    return subprocess.run(command, check=True, **kwargs)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--data", default=str(ROOT / ".build" / "benchmark-data"))
    args = parser.parse_args()
    data = pathlib.Path(args.data)

    run(["swift", "build", "-c", "release", "--product", "driftwatch"], cwd=ROOT)
    run(["swift", "build", "-c", "release", "--product", "stats-timing"], cwd=ROOT / "Benchmarks")
    if not (data / "current.csv").exists() or sum(1 for _ in open(data / "current.csv")) != args.rows + 1:
        run([sys.executable, str(ROOT / "Benchmarks/scripts/make_data.py"), str(data), str(args.rows)])

    swift = json.loads(run([str(ROOT / "Benchmarks/.build/release/stats-timing"), str(data)],
                           capture_output=True, text=True).stdout)
    a = np.fromfile(data / "a.f64")
    b = np.fromfile(data / "b.f64")
    python = {}
    edges = np.quantile(a[:100_000], np.arange(1, 10) / 10)
    python["psi_binning_per_value"] = best(
        lambda: np.bincount(np.searchsorted(edges, b, side="left"), minlength=10), 10) / len(b)
    for size in (10_000, 100_000, 1_000_000):
        x, y = a[:size], b[:size]
        python[f"ks_{size}"] = best(lambda: stats.ks_2samp(x, y), 3 if size == 1_000_000 else 10)
    python["ks_1000_6000"] = best(lambda: stats.ks_2samp(a[:1_000], a[1_000:7_000]), 20)
    python["ks_1000_6000_shifted"] = best(lambda: stats.ks_2samp(a[:1_000], a[1_000:7_000] + 1), 5)
    python["wasserstein_100000"] = best(lambda: stats.wasserstein_distance(a[:100_000], b[:100_000]), 10)
    palette = np.array(["DE", "FR", "US", "GB", "BR", "IT", "ES", "NL"])
    categories = pd.Series(palette[(np.abs(a * 1000)).astype(np.int64) % len(palette)])
    python["category_counts_per_value"] = best(lambda: categories.value_counts(), 10) / len(categories)

    start = time.perf_counter()
    run([str(ROOT / ".build/release/driftwatch"), "compare", "--reference", str(data / "reference.csv"),
         "--current", str(data / "current.csv"), "--format", "json"], stdout=subprocess.DEVNULL)
    swift["compare_csv_pair"] = time.perf_counter() - start
    evidently = json.loads(run([sys.executable, str(ROOT / "Benchmarks/scripts/evidently_compare.py"),
                                str(data / "reference.csv"), str(data / "current.csv")],
                               capture_output=True, text=True).stdout)
    python["compare_csv_pair"] = evidently["total_seconds"]

    rows = [
        ("PSI binning, per value (10 bins)", "psi_binning_per_value", "numpy searchsorted+bincount", 1e9, "ns"),
        ("KS 10^4 vs 10^4 (sort included)", "ks_10000", "scipy ks_2samp", 1e3, "ms"),
        ("KS 10^5 vs 10^5 (sort included)", "ks_100000", "scipy ks_2samp", 1e3, "ms"),
        ("KS 10^6 vs 10^6 (sort included)", "ks_1000000", "scipy ks_2samp", 1e3, "ms"),
        ("KS 10^3 vs 6*10^3, exact p (e2e shape)", "ks_1000_6000", "scipy ks_2samp", 1e3, "ms"),
        ("  the same, the window shifted by 1 sd", "ks_1000_6000_shifted", "scipy ks_2samp", 1e3, "ms"),
        ("Wasserstein 10^5 vs 10^5", "wasserstein_100000", "scipy wasserstein_distance", 1e3, "ms"),
        ("Category counts, per value", "category_counts_per_value", "pandas value_counts", 1e9, "ns"),
        (f"compare {args.rows} rows x 20 columns", "compare_csv_pair", "Evidently DataDriftPreset", 1, "s"),
    ]
    print(f"\n{'benchmark':38} {'Driftwatch':>12} {'Python':>12}  {'ratio':>7}  Python side")
    for label, key, peer, scale, unit in rows:
        ours, theirs = swift[key], python[key]
        print(f"{label:38} {ours * scale:>9.3f} {unit:2} {theirs * scale:>9.3f} {unit:2} {theirs / ours:>7.1f}x  {peer}")
    print(f"\nKS 10^5 breakdown (Driftwatch): both samples sorted together {swift['ks_100000_merged_sort'] * 1e3:.3f} ms, "
          f"p-value {swift['ks_100000_p_value'] * 1e3:.3f} ms")


if __name__ == "__main__":
    main()
