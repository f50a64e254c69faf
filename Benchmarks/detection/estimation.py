"""Estimation benchmark: how often the realised accuracy of a window falls within its estimate's band.

For each real data set with a binary outcome (statsmodels' `fair` affairs survey, scikit-learn's breast cancer
and its synthetic-free `adult`-like census columns are not shipped, so: `fair` and breast cancer), a model is
trained on one part (scikit-learn's logistic regression and histogram gradient boosting), its scores on a
second part with their real labels become the reference (`driftwatch reference build --label`), and windows of
a third part go through `driftwatch replay` with their labels: rows drawn with replacement (null windows) and
rows drawn with weights rising with one feature (covariate shift; the labels stay the rows' own, so the relation
between inputs and outcome holds). Each performance report carries the window's estimate (CBPE) beside the
realised accuracy; a window counts when the realised accuracy lies within the estimate ± 3 sampling errors.

  Benchmarks/detection/run --estimation        (builds driftwatch in release mode, then runs this)
"""
import argparse
import json
import os
import subprocess
import tempfile

import numpy as np
import pandas as pd


def datasets():
    import statsmodels.api as sm
    from sklearn import datasets as sk

    fair = sm.datasets.fair.load_pandas().data
    fair["y"] = (fair.pop("affairs") > 0).astype(int)
    cancer = sk.load_breast_cancer(as_frame=True).frame.iloc[:, list(range(10)) + [30]]
    cancer = cancer.rename(columns={"target": "y"})
    cancer.columns = [c.replace(" ", "_") for c in cancer.columns]
    # (name, frame, feature whose high values are over-sampled in shifted windows)
    return [("fair", fair, "age"), ("breast_cancer", cancer, "mean_radius")]


def models():
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return [("logistic", lambda: make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))),
            ("gradient_boosting", lambda: HistGradientBoostingClassifier(max_iter=100, random_state=0))]


def run_case(binary, work, name, frame, shift_column, model_name, make_model, windows, size, rng):
    features = [c for c in frame.columns if c != "y"]
    frame = frame.iloc[rng.permutation(len(frame))].reset_index(drop=True)
    third = len(frame) // 3
    train, reference, pool = frame.iloc[:third], frame.iloc[third:2 * third], frame.iloc[2 * third:]
    model = make_model().fit(train[features], train["y"])
    ref = reference[features].copy()
    ref["prediction"] = model.predict_proba(reference[features])[:, 1]
    ref["outcome"] = reference["y"].to_numpy()
    case = os.path.join(work, f"{name}-{model_name}")
    os.makedirs(case, exist_ok=True)
    ref.to_csv(os.path.join(case, "reference.csv"), index=False)
    config = os.path.join(case, "config.yaml")
    with open(config, "w") as out:
        out.write("window: {kind: tumbling, size: 10s, allowed_lateness: 0s, idle_timeout: 0s}\n"
                  "labels: {ttl: 1s, min_labels: 30}\n"
                  f"store: {{path: {os.path.join(case, 'state.sqlite')}}}\n")
    subprocess.run([binary, "reference", "build", "--config", config, "--model", "m", "--model-version", "1",
                    "--from", os.path.join(case, "reference.csv"), "--label", "outcome"],
                   check=True, capture_output=True)
    # Windows: 10 s of event time each, `size` events 10 s / size apart; labels 1 ms after their predictions.
    weights = pool[shift_column].rank().to_numpy() ** 2
    weights = weights / weights.sum()
    kinds = []
    lines = []
    start = 1_800_000_000_000
    for index in range(2 * windows):
        shifted = index >= windows
        rows = pool.iloc[rng.choice(len(pool), size=size, replace=True, p=weights if shifted else None)]
        scores = model.predict_proba(rows[features])[:, 1]
        kinds.append("shifted" if shifted else "null")
        for j, ((_, row), score) in enumerate(zip(rows.iterrows(), scores)):
            time = start + index * 10_000 + j * (10_000 // size)
            stamp = pd.Timestamp(time, unit="ms", tz="UTC").strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
            request = f"w{index}-{j}"
            lines.append(json.dumps({"model": "m", "model_version": "1", "request_id": request, "timestamp": stamp,
                                     "features": {f: float(row[f]) for f in features}, "prediction": float(score)}))
            label_stamp = pd.Timestamp(time + 1, unit="ms", tz="UTC").strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
            lines.append(json.dumps({"model": "m", "request_id": request, "timestamp": label_stamp,
                                     "label": int(row["y"])}))
    events = os.path.join(case, "events.jsonl")
    with open(events, "w") as out:
        out.write("\n".join(lines) + "\n")
    outputs = os.path.join(case, "outputs.jsonl")
    subprocess.run([binary, "replay", "--config", config, "--from-file", events, "--output", outputs],
                   check=True, capture_output=True)
    results = {"null": [0, 0], "shifted": [0, 0]}
    errors = {"null": [], "shifted": []}
    for line in open(outputs):
        report = json.loads(line)
        if report.get("type") != "performance" or "estimated" not in report or report["status"] != "ok":
            continue
        if report["estimated"]["accuracy"].get("lower") is None:
            continue  # no band: the reference gave no sampling error
        window = (pd.Timestamp(report["window"]["start"]).value // 1_000_000 - start) // 10_000
        kind = kinds[int(window)]
        estimate = report["estimated"]["accuracy"]
        realised = report["metrics"]["accuracy"]
        results[kind][1] += 1
        results[kind][0] += estimate["lower"] <= realised <= estimate["upper"]
        errors[kind].append(realised - estimate["value"])
    return {kind: {"within": within, "windows": total, "mean_error": float(np.mean(errors[kind])),
                   "mean_abs_error": float(np.mean(np.abs(errors[kind])))}
            for kind, (within, total) in results.items()}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--driftwatch", required=True)
    parser.add_argument("--windows", type=int, default=40, help="null windows, and as many shifted, per case")
    parser.add_argument("--sizes", default="200,1000", help="events per window")
    args = parser.parse_args()
    rng = np.random.default_rng(2026)
    work = tempfile.mkdtemp(prefix="driftwatch-estimation-")
    print(f"{'data set':15} {'model':18} {'window':>7} {'null: within band':>20} {'shifted: within band':>22}"
          f" {'mean realised − estimate (null/shifted)':>40}")
    totals = [0, 0]
    for name, frame, shift in datasets():
        for model_name, make_model in models():
            for size in [int(s) for s in args.sizes.split(",")]:
                result = run_case(args.driftwatch, work, name, frame, shift, model_name, make_model, args.windows,
                                  size, rng)
                null, shifted = result["null"], result["shifted"]
                for part in (null, shifted):
                    totals[0] += part["within"]
                    totals[1] += part["windows"]
                print(f"{name:15} {model_name:18} {size:7d} {null['within']:>11d} of {null['windows']:<5d}"
                      f" {shifted['within']:>13d} of {shifted['windows']:<5d}"
                      f" {null['mean_error']:>+19.4f} / {shifted['mean_error']:+.4f}")
    print(f"all windows: realised accuracy within the estimate's band in {totals[0]} of {totals[1]}"
          f" ({100 * totals[0] / max(totals[1], 1):.1f} %)")


if __name__ == "__main__":
    main()
