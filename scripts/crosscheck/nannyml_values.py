"""NannyML 0.13's numbers for Driftwatch's performance-estimation and multivariate-drift tests.

Prints one JSON document on stdout: the inputs (a real data set, statsmodels' `fair` affairs survey, 6366
rows) and what NannyML computed on them, so the Swift tests recompute from the same inputs and compare.
Run by the tests with NannyML's own virtualenv (.deps/nannyml, installed by scripts/setup: NannyML needs
pandas >= 3, Evidently < 3, so they cannot share one).

  .deps/nannyml/bin/python scripts/crosscheck/nannyml_values.py
"""
import json
import os
import sys
import warnings

import numpy as np
import pandas as pd
import statsmodels.api as sm
os.environ.setdefault("NML_DISABLE_USAGE_LOGGING", "1")  # no analytics calls home
import nannyml as nml  # noqa: E402
from sklearn.linear_model import LogisticRegression

CHUNK = 500
FEATURES = ["rate_marriage", "age", "yrs_married", "children", "religious", "educ", "occupation",
            "occupation_husb"]
METRICS = ["accuracy", "precision", "recall", "f1", "roc_auc"]


def load():
    data = sm.datasets.fair.load_pandas().data
    # The file is ordered by outcome; a fixed permutation makes reference and analysis alike.
    data = data.iloc[np.random.default_rng(29).permutation(len(data))].reset_index(drop=True)
    data["y_true"] = (data["affairs"] > 0).astype(int)
    train, rest = data.iloc[:2000], data.iloc[2000:].reset_index(drop=True)
    model = LogisticRegression(max_iter=2000).fit(train[FEATURES], train["y_true"])
    rest["y_pred_proba"] = model.predict_proba(rest[FEATURES])[:, 1]
    rest["y_pred"] = (rest["y_pred_proba"] >= 0.5).astype(int)
    reference = rest.iloc[:2000].reset_index(drop=True)
    analysis = rest.iloc[2000:].reset_index(drop=True)
    # A shifted analysis: the same rows, oldest respondents first (a covariate shift by chunk).
    shifted = analysis.sort_values("age", kind="stable", ascending=False).reset_index(drop=True)
    return reference, analysis, shifted


def cbpe(reference, analysis):
    estimator = nml.CBPE(problem_type="classification_binary", y_pred_proba="y_pred_proba", y_pred="y_pred",
                         y_true="y_true", metrics=METRICS, chunk_size=CHUNK)
    estimator.fit(reference.copy())
    decided = bool(estimator.needs_calibration)
    # Driftwatch always calibrates: so does this comparison.
    estimator.needs_calibration = True
    estimator.calibrator.fit(reference["y_pred_proba"], reference["y_true"])
    result = estimator.estimate(analysis.copy()).filter(period="analysis").to_df()
    chunks = []
    for _, row in result.iterrows():
        entry = {"start": int(row[("chunk", "start_index")]), "end": int(row[("chunk", "end_index")]) + 1}
        for metric in METRICS:
            entry[metric] = {
                "value": float(row[(metric, "value")]),
                "sampling_error": float(row[(metric, "sampling_error")]),
                "lower": float(row[(metric, "lower_confidence_boundary")]),
                "upper": float(row[(metric, "upper_confidence_boundary")]),
                "realized": float(row[(metric, "realized")]),
            }
        chunks.append(entry)
    calibrated = estimator.calibrator.calibrate(analysis["y_pred_proba"].to_numpy())
    return {"nannyml_needs_calibration": decided, "chunks": chunks, "calibrated": calibrated.tolist()}


def with_types(frame):
    """`occupation` as a category (a string), and some values missing, so imputation and encoding count."""
    frame = frame[FEATURES].copy()
    frame["occupation"] = frame["occupation"].map(lambda value: f"occ{int(value)}").astype(object)
    rng = np.random.default_rng(3)
    frame.loc[rng.random(len(frame)) < 0.02, "age"] = np.nan
    frame.loc[rng.random(len(frame)) < 0.02, "occupation"] = np.nan
    return frame


def reconstruction(reference, analysis):
    calculator = nml.DataReconstructionDriftCalculator(column_names=FEATURES, chunk_size=CHUNK)
    calculator.fit(reference)
    reference_result = calculator.result.filter(period="reference").to_df()
    result = calculator.calculate(analysis).filter(period="analysis").to_df()

    def rows(frame):
        return [{"start": int(r[("chunk", "start_index")]), "end": int(r[("chunk", "end_index")]) + 1,
                 "value": float(r[("reconstruction_error", "value")]),
                 "sampling_error": float(r[("reconstruction_error", "sampling_error")]),
                 "alert": bool(r[("reconstruction_error", "alert")])} for _, r in frame.iterrows()]

    lower = calculator.lower_threshold_value
    return {"components": int(calculator._pca.n_components_),
            "lower": None if lower is None else float(lower), "upper": float(calculator.upper_threshold_value),
            "reference_chunks": rows(reference_result), "chunks": rows(result)}


def domain_classifier(reference, analysis):
    calculator = nml.DomainClassifierCalculator(feature_column_names=FEATURES, chunk_size=CHUNK)
    calculator.fit(reference)
    result = calculator.calculate(analysis).filter(period="analysis").to_df()
    return [{"start": int(r[("chunk", "start_index")]), "end": int(r[("chunk", "end_index")]) + 1,
             "auc": float(r[("domain_classifier_auroc", "value")]),
             "alert": bool(r[("domain_classifier_auroc", "alert")])} for _, r in result.iterrows()]


def records(frame):
    return [[None if (isinstance(v, float) and np.isnan(v)) else v for v in row]
            for row in frame.astype(object).itertuples(index=False)]


def main():
    warnings.simplefilter("ignore")
    # LightGBM writes its progress to file descriptor 1: discard it, keep stdout for the document.
    stdout = os.dup(1)
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    reference, analysis, shifted = load()
    typed_reference, typed_analysis = with_types(reference), with_types(analysis)
    # The relation between age and years married broken in one chunk: yrs_married shuffled within its rows, so
    # every column keeps its values (and its distribution) and only how they pair changes.
    broken = typed_analysis.copy()
    rng = np.random.default_rng(11)
    rows = slice(CHUNK, 2 * CHUNK)
    broken.loc[CHUNK:2 * CHUNK - 1, "yrs_married"] = rng.permutation(broken["yrs_married"].to_numpy()[rows])
    document = {
        "nannyml": nml.__version__,
        "chunk_size": CHUNK,
        "features": FEATURES,
        "categorical": ["occupation"],
        "cbpe": {
            "reference": {"scores": reference["y_pred_proba"].tolist(), "labels": reference["y_true"].tolist()},
            "cases": {name: {"scores": frame["y_pred_proba"].tolist(), "labels": frame["y_true"].tolist(),
                             **cbpe(reference, frame)} for name, frame in [("analysis", analysis), ("shifted", shifted)]},
        },
        "multivariate": {
            "reference": records(typed_reference),
            "cases": {name: {"rows": records(frame), "reconstruction": reconstruction(typed_reference, frame),
                             "domain_classifier": domain_classifier(typed_reference, frame)}
                      for name, frame in [("analysis", typed_analysis), ("broken", broken)]},
        },
    }
    sys.stdout.flush()
    os.dup2(stdout, 1)
    json.dump(document, sys.stdout)


if __name__ == "__main__":
    main()
