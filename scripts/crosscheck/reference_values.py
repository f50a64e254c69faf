"""Reference values for Driftwatch's statistics cross-check tests.

Prints one JSON document on stdout. Inputs are generated here with a fixed seed, and every expected
value is computed by the reference library itself (scipy, numpy, Evidently, scikit-learn), so the Swift
tests compare against the libraries and not against numbers typed in by hand. Run by the tests with the
project's virtualenv (scripts/setup installs the pinned versions).

  python scripts/crosscheck/reference_values.py ks|drift|metrics|latency|compare REF.csv CUR.csv
  python scripts/crosscheck/reference_values.py evidently-decisions DIRECTORY
"""
import json
import math
import sys
import warnings

import numpy as np
import scipy
import scipy.stats
from scipy import stats


def ks_cases(rng):
    cases = []

    def add(name, a, b):
        a = np.asarray(a, dtype=np.float64)
        b = np.asarray(b, dtype=np.float64)
        result = stats.ks_2samp(a, b, alternative="two-sided", method="auto")
        asymp = stats.ks_2samp(a, b, alternative="two-sided", method="asymp")
        entry = {
            "name": name,
            "a": a.tolist(),
            "b": b.tolist(),
            "statistic": float(result.statistic),
            "pvalue": float(result.pvalue),
            "asymp_statistic": float(asymp.statistic),
            "asymp_pvalue": finite_or_none(asymp.pvalue),  # NaN where round(n1·n2/(n1+n2)) is 0
        }
        if max(len(a), len(b)) > 10000 and len(a) * len(b) <= 10**9:
            # method='exact' beyond auto's limit (the lattice walk stays affordable below 10⁹ cells).
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                exact = stats.ks_2samp(a, b, alternative="two-sided", method="exact")
            entry.update(exact_statistic=float(exact.statistic), exact_pvalue=float(exact.pvalue))
        cases.append(entry)

    # Tiny samples: every size pair from 1 to 5, same and shifted distributions.
    for n1 in range(1, 6):
        for n2 in range(1, 6):
            add(f"tiny {n1}x{n2}", rng.normal(size=n1), rng.normal(0.8, 1, size=n2))
    # Exact regime, equal and unequal sizes, several shapes.
    sizes = [(7, 13), (20, 20), (50, 80), (100, 100), (250, 1000), (999, 1000), (3000, 2000),
             (5000, 10000), (10000, 9999), (10000, 10000)]
    for n1, n2 in sizes:
        add(f"normal same {n1}x{n2}", rng.normal(size=n1), rng.normal(size=n2))
        add(f"normal shifted {n1}x{n2}", rng.normal(size=n1), rng.normal(0.15, 1, size=n2))
    for n1, n2 in [(30, 40), (400, 300), (2000, 2000)]:
        add(f"heavy tails {n1}x{n2}", rng.standard_t(2, size=n1), rng.standard_cauchy(size=n2))
        add(f"ties {n1}x{n2}", rng.integers(0, 5, size=n1), rng.integers(0, 6, size=n2))
        add(f"discrete {n1}x{n2}", rng.poisson(3, size=n1), rng.poisson(3.4, size=n2))
        add(f"rounded {n1}x{n2}", np.round(rng.normal(size=n1), 1), np.round(rng.normal(0.1, 1, size=n2), 1))
    add("constant both", np.full(50, 2.5), np.full(70, 2.5))
    add("constant vs normal", np.full(60, 0.0), rng.normal(size=90))
    add("disjoint", rng.uniform(0, 1, size=40), rng.uniform(2, 3, size=55))
    add("far apart 10000", rng.normal(size=10000), rng.normal(5, 1, size=10000))
    # Asymptotic regime (max size > 10 000); the effective n = round(n1*n2/(n1+n2)) picks kstwo's method.
    add("asymptotic same 12000x15000", rng.normal(size=12000), rng.normal(size=15000))
    add("asymptotic shifted 20000x20000", rng.normal(size=20000), rng.normal(0.03, 1, size=20000))
    add("asymptotic far 20000x20000", rng.normal(size=20000), rng.normal(0.5, 1, size=20000))
    for shift in (0.0, 0.3, 0.6, 1.5):  # effective n = 50: Durbin, Pomeranz, Smirnov, Smirnov
        add(f"asymptotic small n shift {shift}", rng.normal(size=10001), rng.normal(shift, 1, size=50))
    add("asymptotic ties 15000x11000", rng.integers(0, 20, size=15000), rng.integers(0, 20, size=11000))
    add("asymptotic n>100000", rng.normal(size=210000), rng.normal(0.004, 1, size=210000))
    return cases


def kstwo_grid():
    """kstwo.sf over (n, x) pairs that reach each of scipy's methods, including the edges."""
    grid = []
    ns = [1, 2, 3, 5, 10, 50, 100, 140, 141, 500, 1000, 5000, 33333, 100000, 100001, 150000, 1000000]
    for n in ns:
        xs = set()
        for t in (0.3, 0.5, 0.51, 0.75, 1.0, 1.5, 2.0, 3.7):  # t = n·x
            xs.add(t / n)
        for nx2 in (0.1, 0.5, 0.754, 0.76, 1.4, 2.19, 2.21, 3.9, 4.1, 10, 17.9, 18.1, 100, 369, 371):  # n·x²
            xs.add(math.sqrt(nx2 / n))
        for x in (1e-4, 1e-3, 0.01, 0.05, 0.1, 0.2, 0.3, 0.45, 0.5, 0.55, 0.7, 0.9, 0.99, 1 - 1 / n, 1 - 0.5 / n):
            xs.add(x)
        for x in sorted(xs):
            if 0 < x < 1:
                grid.append({"n": n, "x": x, "sf": float(stats.kstwo.sf(x, n))})
    return grid


def numeric_samples(rng):
    """(name, reference, current) pairs: the shapes drift tests meet in production."""
    pairs = []
    for n1, n2 in [(1, 1), (2, 3), (3, 5), (5, 4), (30, 40), (500, 700), (2000, 1500)]:
        pairs.append((f"normal {n1}x{n2}", rng.normal(size=n1), rng.normal(0.2, 1.1, size=n2)))
    pairs.append(("shifted 1000x1000", rng.normal(size=1000), rng.normal(1.0, 1, size=1000)))
    pairs.append(("heavy tails 800x900", rng.standard_t(2, size=800), rng.standard_cauchy(size=900)))
    pairs.append(("lognormal 3000x2500", rng.lognormal(3, 1, size=3000), rng.lognormal(3.3, 0.9, size=2500)))
    pairs.append(("ties 600x500", rng.integers(0, 8, size=600), rng.integers(0, 10, size=500)))
    pairs.append(("discrete 1200x1000", rng.poisson(4, size=1200), rng.poisson(4.5, size=1000)))
    pairs.append(("21 values 400x400", rng.integers(0, 21, size=400), rng.integers(0, 21, size=400)))
    pairs.append(("rounded 5000x5000", np.round(rng.normal(size=5000), 2), np.round(rng.normal(0.1, 1, size=5000), 2)))
    pairs.append(("constant both", np.full(100, 3.0), np.full(80, 3.0)))
    pairs.append(("constant reference", np.full(100, 3.0), rng.normal(3, 1, size=120)))
    pairs.append(("large 20000x30000", rng.normal(size=20000), rng.normal(0.05, 1, size=30000)))
    pairs.append(("power of two 512x512", rng.uniform(0, 1, size=512), rng.uniform(0.1, 1.1, size=512)))
    return pairs


def reference_quantiles_psi(ref, cur, bins=10):
    """Driftwatch's `reference-quantiles` convention written with numpy: decile edges of the reference,
    right-closed bins with open ends (searchsorted left), empty bins at a share of 0.0001."""
    edges = np.quantile(ref, np.arange(1, bins) / bins)
    r = np.bincount(np.searchsorted(edges, ref, side="left"), minlength=bins) / len(ref)
    c = np.bincount(np.searchsorted(edges, cur, side="left"), minlength=bins) / len(cur)
    r = np.where(r == 0, 0.0001, r)
    c = np.where(c == 0, 0.0001, c)
    return float(np.sum((r - c) * np.log(r / c)))


def drift_cases(rng):
    import pandas as pd
    from evidently.legacy.calculations.stattests.chisquare_stattest import _chi_stat_test
    from evidently.legacy.calculations.stattests.jensenshannon import _jensenshannon
    from evidently.legacy.calculations.stattests.psi import _psi
    from evidently.legacy.calculations.stattests.wasserstein_distance_norm import _wasserstein_distance_norm
    from evidently.legacy.core import ColumnType

    numeric = []
    for name, ref, cur in numeric_samples(rng):
        ref = np.asarray(ref, dtype=np.float64)
        cur = np.asarray(cur, dtype=np.float64)
        r, c = pd.Series(ref), pd.Series(cur)
        numeric.append({
            "name": name, "reference": ref.tolist(), "current": cur.tolist(),
            "psi_evidently": float(_psi(r, c, ColumnType.Numerical, 0.1)[0]),
            "psi_reference_quantiles": reference_quantiles_psi(ref, cur),
            "jensenshannon_evidently": float(_jensenshannon(r, c, ColumnType.Numerical, 0.1)[0]),
            "wasserstein": float(stats.wasserstein_distance(ref, cur)),
            "wasserstein_normed_evidently": float(_wasserstein_distance_norm(r, c, ColumnType.Numerical, 0.1)[0]),
            "mean": float(np.mean(ref)), "std": float(np.std(ref)), "min": float(np.min(ref)),
            "max": float(np.max(ref)), "quartiles": [float(q) for q in np.quantile(ref, [0.25, 0.5, 0.75])],
        })

    categorical = []
    palettes = [["DE", "FR", "US", "GB"], ["a", "b", "c", "d", "e", "f", "g"], ["yes", "no"]]
    specs = [
        ("same mix", 0, [0.4, 0.3, 0.2, 0.1], [0.4, 0.3, 0.2, 0.1], 1000, 1200),
        ("shifted mix", 0, [0.4, 0.3, 0.2, 0.1], [0.1, 0.2, 0.3, 0.4], 1000, 800),
        ("rare category", 1, [0.3, 0.3, 0.2, 0.1, 0.05, 0.049, 0.001], [0.25, 0.25, 0.2, 0.15, 0.1, 0.04, 0.01], 5000, 5000),
        ("tiny", 2, [0.5, 0.5], [0.7, 0.3], 3, 4),
        ("binary large", 2, [0.9, 0.1], [0.88, 0.12], 50000, 40000),
    ]
    for name, palette, p_ref, p_cur, n_ref, n_cur in specs:
        values = palettes[palette]
        ref = list(rng.choice(values, size=n_ref, p=p_ref))
        cur = list(rng.choice(values, size=n_cur, p=p_cur))
        categorical.append(categorical_case(name, ref, cur, pd, _chi_stat_test, _psi, _jensenshannon, ColumnType))
    # Categories only one side has: unseen in the reference (χ² is infinite, p = 0) and vanished from current.
    ref = list(rng.choice(["a", "b", "c"], size=300))
    cur = list(rng.choice(["a", "b"], size=250)) + ["z"] * 7
    categorical.append(categorical_case("unseen and vanished", ref, cur, pd, _chi_stat_test, _psi, _jensenshannon, ColumnType))
    return {"numeric": numeric, "categorical": categorical, "homogeneity": homogeneity_cases(rng)}


def pooled(first, second):
    """Cochran's rule as Driftwatch's calibrated mode applies it before the test: columns with an expected
    count below 5 in either row are pooled, and while the pool's own expected count is below 5 the smallest
    remaining column (by total, then position) joins it."""
    first, second = np.asarray(first, float), np.asarray(second, float)
    n1, n2 = first.sum(), second.sum()
    totals = first + second
    sparse = lambda total: min(n1, n2) * total / (n1 + n2) < 5
    kept = [i for i in range(len(first)) if totals[i] > 0 and not sparse(totals[i])]
    pool = [i for i in range(len(first)) if totals[i] > 0 and sparse(totals[i])]
    while pool and sparse(totals[pool].sum()) and kept:
        smallest = min(range(len(kept)), key=lambda k: (totals[kept[k]], k))
        pool.append(kept.pop(smallest))
    columns = [(first[i], second[i]) for i in kept] + ([(first[pool].sum(), second[pool].sum())] if pool else [])
    return np.array(columns).T


def homogeneity_cases(rng):
    """χ² of homogeneity, scipy.stats.chi2_contingency(correction=False), on the pooled 2 × k table."""
    cases = []
    specs = [
        ("even", [0.25] * 4, [0.25] * 4, 1000, 800),
        ("shifted", [0.4, 0.3, 0.2, 0.1], [0.3, 0.3, 0.2, 0.2], 5000, 300),
        ("rare categories", [0.5, 0.3, 0.15, 0.03, 0.015, 0.005], [0.45, 0.35, 0.15, 0.03, 0.015, 0.005], 3000, 60),
        ("tiny window", [0.6, 0.3, 0.1], [0.6, 0.3, 0.1], 2000, 12),
        ("binary", [0.9, 0.1], [0.85, 0.15], 10000, 500),
    ]
    for name, p_ref, p_cur, n_ref, n_cur in specs:
        first = rng.multinomial(n_ref, p_ref).tolist()
        second = rng.multinomial(n_cur, p_cur).tolist()
        table = pooled(first, second)
        entry = {"name": name, "reference": first, "current": second, "columns": int(table.shape[1])}
        if table.shape[1] >= 2:
            result = stats.chi2_contingency(table, correction=False)
            entry.update(statistic=float(result.statistic), p_value=float(result.pvalue), dof=int(result.dof))
        cases.append(entry)
    return cases


def categorical_case(name, ref, cur, pd, chi, psi, js, ColumnType):
    r, c = pd.Series(ref, dtype=object), pd.Series(cur, dtype=object)
    seen = set(ref)
    keys = sorted(seen | set(cur))
    f_obs = [cur.count(k) for k in keys]
    f_exp = [ref.count(k) * (len(cur) / len(ref)) for k in keys]
    with np.errstate(divide="ignore", invalid="ignore"):
        statistic = float(stats.chisquare(f_obs, f_exp)[0])
        p_value = float(chi(r, c, ColumnType.Categorical, 0.05)[0])
    return {
        "name": name, "reference": [str(v) for v in ref], "current": [str(v) for v in cur],
        "chi2_statistic": statistic if math.isfinite(statistic) else None,
        "chi2_p_value": p_value,
        "psi_evidently": float(psi(r, c, ColumnType.Categorical, 0.1)[0]),
        "jensenshannon_evidently": float(js(r, c, ColumnType.Categorical, 0.1)[0]),
        "unseen_rate": float(sum(1 for v in cur if v not in seen) / len(cur)),
    }


def metrics_cases(rng):
    import sklearn
    from sklearn import metrics

    classification = []
    for name, n, skill in [("small", 12, 1.0), ("balanced", 2000, 1.5), ("imbalanced", 5000, 2.5), ("useless", 800, 0.0)]:
        truth = rng.random(n) < (0.5 if name != "imbalanced" else 0.05)
        logits = rng.normal(size=n) + skill * (truth * 2 - 1)
        scores = 1 / (1 + np.exp(-logits))
        if name == "small":
            scores = np.round(scores, 1)  # ties in the scores
            scores[0], scores[1] = 0.0, 1.0  # probabilities at the clip limits
        predicted = scores >= 0.5
        classification.append({
            "name": name, "truth": truth.tolist(), "predicted": predicted.tolist(), "scores": scores.tolist(),
            "accuracy": float(metrics.accuracy_score(truth, predicted)),
            "precision": float(metrics.precision_score(truth, predicted, zero_division=0)),
            "recall": float(metrics.recall_score(truth, predicted, zero_division=0)),
            "f1": float(metrics.f1_score(truth, predicted, zero_division=0)),
            "roc_auc": float(metrics.roc_auc_score(truth, scores)),
            "log_loss": float(metrics.log_loss(truth, scores)),
        })
    regression = []
    for name, n in [("small", 5), ("medium", 3000)]:
        truth = rng.normal(50, 20, size=n)
        truth[0] = 0.0  # MAPE divides by max(|y|, eps)
        predicted = truth + rng.normal(0, 5, size=n)
        regression.append({
            "name": name, "truth": truth.tolist(), "predicted": predicted.tolist(),
            "mae": float(metrics.mean_absolute_error(truth, predicted)),
            "rmse": float(metrics.root_mean_squared_error(truth, predicted)),
            "mape": float(metrics.mean_absolute_percentage_error(truth, predicted)),
        })
    return {"sklearn": sklearn.__version__, "classification": classification, "regression": regression}


def multiple_testing_cases(rng):
    cases = []
    for name, ps in [
        ("uniform 20", rng.random(20)),
        ("mostly small 50", np.concatenate([rng.random(10) * 1e-4, rng.random(40)])),
        ("ties", np.array([0.01, 0.01, 0.02, 0.02, 0.5, 0.5, 1.0])),
        ("single", np.array([0.003])),
        ("tiny", np.array([1e-300, 1e-12, 0.049, 0.051])),
    ]:
        cases.append({
            "name": name, "p_values": ps.tolist(),
            "benjamini_hochberg": scipy.stats.false_discovery_control(ps, method="bh").tolist(),
            "bonferroni": np.minimum(ps * len(ps), 1.0).tolist(),
        })
    return cases


def latency_cases(rng):
    cases = []
    for name, values in [
        ("lognormal 10000", rng.lognormal(2.5, 0.6, size=10000)),
        ("bimodal 50000", np.concatenate([rng.normal(8, 1, size=40000).clip(0.01), rng.normal(250, 30, size=10000)])),
        ("sub-millisecond 5000", rng.uniform(0.001, 0.9, size=5000)),
    ]:
        values = np.round(values, 3)  # whole microseconds, as the histogram records them
        cases.append({
            "name": name, "values": values.tolist(),
            "p50": float(np.percentile(values, 50, method="inverted_cdf")),
            "p95": float(np.percentile(values, 95, method="inverted_cdf")),
            "p99": float(np.percentile(values, 99, method="inverted_cdf")),
            "max": float(np.max(values)),
        })
    return cases


def finite_or_none(value):
    """JSON has no NaN: an undefined statistic (scipy's NaN) travels as null."""
    value = float(value)
    return None if math.isnan(value) else value


def compare_files(reference_path, current_path):
    """What `driftwatch compare --psi-convention evidently` must report, computed with pandas + scipy + Evidently."""
    import pandas as pd
    from evidently.legacy.calculations.stattests.chisquare_stattest import _chi_stat_test
    from evidently.legacy.calculations.stattests.jensenshannon import _jensenshannon
    from evidently.legacy.calculations.stattests.psi import _psi
    from evidently.legacy.calculations.stattests.wasserstein_distance_norm import _wasserstein_distance_norm
    from evidently.legacy.core import ColumnType

    ref = pd.read_csv(reference_path)
    cur = pd.read_csv(current_path)
    columns = []
    for name in ref.columns:
        r, c = ref[name].dropna(), cur[name].dropna()
        numeric = pd.api.types.is_numeric_dtype(ref[name]) and pd.api.types.is_numeric_dtype(cur[name])
        entry = {"column": name, "type": "numeric" if numeric else "categorical",
                 "missing_rate": float(cur[name].isna().mean())}
        if numeric:
            ks = stats.ks_2samp(r, c)
            entry.update(
                ks_statistic=float(ks.statistic), ks_p_value=float(ks.pvalue),
                psi=float(_psi(r, c, ColumnType.Numerical, 0.1)[0]),
                wasserstein=float(stats.wasserstein_distance(r, c)),
                wasserstein_normed=float(_wasserstein_distance_norm(r, c, ColumnType.Numerical, 0.1)[0]),
                jensen_shannon=float(_jensenshannon(r, c, ColumnType.Numerical, 0.1)[0]))
        else:
            r, c = r.astype(str), c.astype(str)
            entry.update(
                psi=float(_psi(r, c, ColumnType.Categorical, 0.1)[0]),
                jensen_shannon=float(_jensenshannon(r, c, ColumnType.Categorical, 0.1)[0]),
                chi2_p_value=finite_or_none(_chi_stat_test(r, c, ColumnType.Categorical, 0.05)[0]))
        columns.append(entry)
    return columns


def csv_read(spec_path):
    """How pandas.read_csv reads each file of a spec (path, sep, encoding, decimal, na_values: the dialect a user
    would tell it): per column its kind, non-missing count and, for numbers, sum/min/max, else category counts.
    Driftwatch's named difference is applied: ±inf are missing."""
    import pandas as pd

    results = []
    for entry in json.load(open(spec_path)):
        options = {"sep": entry.get("sep", ","), "encoding": entry.get("encoding", "utf-8")}
        if entry.get("decimal"):
            options["decimal"] = entry["decimal"]
        if entry.get("na_values"):
            options["na_values"] = entry["na_values"]
        if entry.get("float_precision") and not entry.get("engine"):
            options["float_precision"] = entry["float_precision"]
        if entry.get("engine"):
            options["engine"] = entry["engine"]
        frame = pd.read_csv(entry["path"], **options)
        columns = []
        for name in frame.columns:
            series = frame[name]
            if pd.api.types.is_bool_dtype(series) or (
                    series.dtype == object and series.dropna().map(type).eq(bool).all() and series.notna().any()):
                kind = "categorical"
                values = series.dropna().map(lambda v: "True" if v else "False")
            elif pd.api.types.is_numeric_dtype(series):
                kind = "numeric"
                values = series.replace([np.inf, -np.inf], np.nan).dropna().astype(float)
            else:
                kind = "categorical"
                values = series.dropna().astype(str)
            column = {"name": str(name), "kind": kind, "count": int(values.size)}
            if kind == "numeric":
                column.update(sum=float(values.sum()) if values.size else 0.0,
                              min=float(values.min()) if values.size else None,
                              max=float(values.max()) if values.size else None)
            else:
                column["categories"] = {str(k): int(v) for k, v in values.value_counts().items()}
            columns.append(column)
        results.append({"path": entry["path"], "rows": int(len(frame)), "columns": columns})
    return results


# Evidently 0.7's method names (ValueDrift's `method`) -> its stattest names, and whether the score is a p-value.
EVIDENTLY_METHODS = {
    "K-S p_value": ("ks", True), "chi-square p_value": ("chisquare", True), "Z-test p_value": ("z", True),
    "Wasserstein distance (normed)": ("wasserstein", False), "Jensen-Shannon distance": ("jensenshannon", False),
}


def evidently_decisions(directory):
    """Pairs of CSV files made from data sets that ship inside scikit-learn (random halves, bootstrap resamples
    above Evidently's 1 000-row switch, and shifted copies), and Evidently 0.7's own DataDriftPreset verdicts on
    each: per column the test, its score and whether it drifted, and the dataset's drift."""
    import os
    import pandas as pd
    from evidently import Report
    from evidently.presets import DataDriftPreset
    from sklearn import datasets

    rng = np.random.default_rng(20261203)
    frames = {
        "wine": datasets.load_wine(as_frame=True).frame,
        "breast_cancer": datasets.load_breast_cancer(as_frame=True).frame.iloc[:, list(range(8)) + [30]],
        "diabetes": datasets.load_diabetes(as_frame=True, scaled=False).frame,
        "digits": datasets.load_digits(as_frame=True).frame.iloc[:, [2, 3, 10, 20, 30, 36, 43, 60, 64]],
        "iris": datasets.load_iris(as_frame=True).frame,
    }
    pairs = []
    for name, frame in frames.items():
        order = rng.permutation(len(frame))
        half = len(frame) // 2
        ref, cur = frame.iloc[order[:half]], frame.iloc[order[half:]]
        pairs.append((f"{name} halves", ref, cur))
        shifted = cur.copy()
        numeric = [c for c in frame.columns if frame[c].dtype.kind == "f"]
        for column in numeric[: max(1, len(numeric) // 2)]:
            shifted[column] = shifted[column] + 0.5 * frame[column].std()
        pairs.append((f"{name} halves, half the float columns shifted 0.5 sd", ref, shifted))
        big_ref = frame.iloc[rng.integers(0, len(frame), size=3000)]
        big_cur = frame.iloc[rng.integers(0, len(frame), size=2000)].copy()
        pairs.append((f"{name} resampled 3000x2000", big_ref, big_cur.copy()))
        for column in numeric[:2]:
            big_cur[column] = big_cur[column] * 1.3
        pairs.append((f"{name} resampled 3000x2000, two columns scaled 1.3", big_ref, big_cur))
    cases = []
    for index, (name, ref, cur) in enumerate(pairs):
        ref = ref.reset_index(drop=True)
        cur = cur.reset_index(drop=True)
        paths = [os.path.join(directory, f"case{index}-{side}.csv") for side in ("reference", "current")]
        ref.to_csv(paths[0], index=False)
        cur.to_csv(paths[1], index=False)
        # Evidently reads the frames as pandas reads the files.
        ref, cur = pd.read_csv(paths[0]), pd.read_csv(paths[1])
        metrics = Report([DataDriftPreset()]).run(current_data=cur, reference_data=ref).dict()["metrics"]
        columns = []
        count = None
        for metric in metrics:
            config = metric["config"]
            if config["type"].endswith("DriftedColumnsCount"):
                count = metric["value"]
                continue
            test, is_p = EVIDENTLY_METHODS[config["method"]]
            score, threshold = float(metric["value"]), float(config["threshold"])
            drifted = (score <= threshold if test == "ks" else score < threshold) if is_p else score >= threshold
            columns.append({"column": config["column"], "test": test, "score": score, "drifted": drifted})
        drifted = sum(c["drifted"] for c in columns)
        # The per-column rule above must reproduce Evidently's own count of drifted columns.
        assert drifted == round(count["count"]), (name, drifted, count)
        cases.append({"name": name, "reference": paths[0], "current": paths[1], "columns": columns,
                      "share": count["share"], "dataset_drift": bool(count["share"] >= 0.5)})
    return cases


def change_detector_cases(rng):
    """Sequences fed to River 0.26's ADWIN and PageHinkley (defaults), with the indices where each detects a
    change: real series from statsmodels and scikit-learn, joined at change points, and generated streams."""
    import random

    import river
    import statsmodels.api as sm
    from river import drift
    from sklearn import datasets

    sequences = []
    macro = sm.datasets.macrodata.load_pandas().data
    sequences.append(("macrodata infl", macro["infl"].to_numpy()))
    sequences.append(("macrodata unemp, tbilrate", np.concatenate([macro["unemp"], macro["tbilrate"]])))
    wine = datasets.load_wine(as_frame=True).frame
    sequences.append(("wine alcohol by cultivar", wine.sort_values("target")["alcohol"].to_numpy()))
    cancer = datasets.load_breast_cancer(as_frame=True).frame
    resampled = cancer["mean radius"].to_numpy()[rng.integers(0, len(cancer), size=3000)]
    sequences.append(("breast cancer radius resampled, +1 sd after 2000",
                      np.concatenate([resampled[:2000], resampled[2000:] + cancer["mean radius"].std()])))
    r = random.Random(12345)  # River's own docstring example
    sequences.append(("River's example", np.array(r.choices([0, 1], k=1000) + r.choices(range(4, 8), k=1000), dtype=float)))
    sequences.append(("errors 0/1, rate 0.1 then 0.3",
                      (rng.random(6000) < np.r_[np.full(3000, 0.1), np.full(3000, 0.3)]).astype(float)))
    sequences.append(("normal, variance doubles", np.r_[rng.normal(0, 1, 4000), rng.normal(0, 2, 4000)]))
    sequences.append(("normal, slow drift", rng.normal(0, 1, 8000) + np.linspace(0, 3, 8000)))
    sequences.append(("constant", np.full(500, 2.5)))
    cases = []
    for name, values in sequences:
        adwin, hinkley = drift.ADWIN(), drift.PageHinkley()
        adwin_at, hinkley_at = [], []
        for index, value in enumerate(values.tolist()):
            adwin.update(value)
            hinkley.update(value)
            if adwin.drift_detected:
                adwin_at.append(index)
            if hinkley.drift_detected:
                hinkley_at.append(index)
        cases.append({"name": name, "values": values.tolist(), "adwin": adwin_at, "page_hinkley": hinkley_at})
    return {"river": river.__version__, "cases": cases}


def main():
    what = sys.argv[1] if len(sys.argv) > 1 else "ks"
    if what == "compare":
        json.dump({"columns": compare_files(sys.argv[2], sys.argv[3])}, sys.stdout)
        return
    if what == "json-schema":
        # Validates JSON documents (files) against a JSON Schema with the jsonschema package.
        import jsonschema
        schema = json.load(open(sys.argv[2]))
        validator = jsonschema.Draft202012Validator(schema)
        errors = [f"{path}: {error.message} at {list(error.absolute_path)}"
                  for path in sys.argv[3:] for error in validator.iter_errors(json.load(open(path)))]
        json.dump({"jsonschema": jsonschema.__version__, "documents": len(sys.argv) - 3, "errors": errors}, sys.stdout)
        return
    if what == "csv-read":
        json.dump({"pandas": __import__("pandas").__version__, "files": csv_read(sys.argv[2])}, sys.stdout)
        return
    if what == "evidently-decisions":
        import evidently
        json.dump({"evidently": evidently.__version__, "cases": evidently_decisions(sys.argv[2])}, sys.stdout)
        return
    rng = np.random.default_rng(20261122)
    document = {"scipy": scipy.__version__, "numpy": np.__version__}
    if what == "ks":
        document.update(ks_2samp=ks_cases(rng), kstwo=kstwo_grid())
    elif what == "drift":
        import evidently
        document.update(evidently=evidently.__version__, **drift_cases(rng))
    elif what == "metrics":
        document.update(metrics_cases(rng))
    elif what == "latency":
        document.update(latency=latency_cases(rng))
    elif what == "change-detectors":
        document.update(change_detector_cases(rng))
    elif what == "multiple-testing":
        document.update(cases=multiple_testing_cases(rng))
    else:
        raise SystemExit(f"unknown case set {what!r}; known: ks, drift, metrics, latency, multiple-testing, change-detectors, compare, csv-read, json-schema, evidently-decisions")
    json.dump(document, sys.stdout)


if __name__ == "__main__":
    main()
