# Reference values for the Evaluation target: ROC/PR curves, ROC-AUC, average precision, F1 and
# confusion matrices, percentiles, GPD maximum-likelihood fits and the POT threshold.
# numpy 2.4.6, scipy 1.17.1, scikit-learn 1.9.1; seeds fixed below. Output: Tests/EvaluationTests/Fixtures/evaluation.json
import json, pathlib
import numpy as np
import scipy, sklearn
from scipy import stats, optimize
from sklearn import metrics

out = {"versions": {"numpy": np.__version__, "scipy": scipy.__version__, "sklearn": sklearn.__version__}}
rng = np.random.default_rng(20261125)

def classification_case(name, n, positive_fraction, rounding=None):
    labels = rng.random(n) < positive_fraction
    scores = rng.normal(size=n) + 1.0 * labels
    if rounding is not None:
        scores = np.round(scores, rounding)
    fpr, tpr, thr = metrics.roc_curve(labels, scores)
    fpr_all, tpr_all, thr_all = metrics.roc_curve(labels, scores, drop_intermediate=False)
    prec, rec, pthr = metrics.precision_recall_curve(labels, scores)
    assert np.isinf(thr[0]) and np.isinf(thr_all[0])
    taus = [float(np.percentile(scores, p)) for p in (10, 50, 80)] + [float(scores[3])]
    at = []
    for tau in taus:
        pred = scores > tau
        tn, fp, fn, tp = metrics.confusion_matrix(labels, pred, labels=[False, True]).ravel()
        at.append({"tau": tau, "tp": int(tp), "fp": int(fp), "tn": int(tn), "fn": int(fn),
                   "precision": metrics.precision_score(labels, pred, zero_division=0.0),
                   "recall": metrics.recall_score(labels, pred, zero_division=0.0),
                   "f1": metrics.f1_score(labels, pred, zero_division=0.0),
                   "accuracy": metrics.accuracy_score(labels, pred),
                   "specificity": tn / (tn + fp)})
    # F1-maximising threshold by brute force over the distinct scores, decision score > tau,
    # ties to the largest tau.
    distinct = np.unique(scores)[::-1]
    f1s = [metrics.f1_score(labels, scores > t, zero_division=0.0) for t in distinct]
    best_f1 = int(np.argmax(f1s))
    j = tpr - fpr
    best_j = int(np.argmax(j))
    return {"name": name, "scores": scores.tolist(), "labels": labels.tolist(),
            "roc_fpr": fpr.tolist(), "roc_tpr": tpr.tolist(), "roc_thresholds_after_inf": thr[1:].tolist(),
            "roc_all_fpr": fpr_all.tolist(), "roc_all_tpr": tpr_all.tolist(),
            "roc_auc": metrics.roc_auc_score(labels, scores),
            "pr_precision": prec.tolist(), "pr_recall": rec.tolist(), "pr_thresholds": pthr.tolist(),
            "average_precision": metrics.average_precision_score(labels, scores),
            "at_thresholds": at,
            "f1_best_tau": float(distinct[best_f1]), "f1_best": float(f1s[best_f1]),
            "youden_sklearn_threshold": float(thr[best_j]), "youden_j": float(j[best_j])}

out["classification"] = [
    classification_case("balanced-continuous", 200, 0.5),
    classification_case("rare-positives-continuous", 150, 0.1),
    classification_case("ties-one-decimal", 300, 0.3, rounding=1),
    classification_case("heavy-ties-integers", 60, 0.8, rounding=0),
]

perc_values = rng.gamma(2.0, 1.5, size=101)
perc_small = np.array([3.0, 1.0, 2.0, 2.0, 10.0])
ps = [0, 5, 37.5, 50, 90, 95, 98, 99, 100]
out["percentiles"] = [
    {"values": v.tolist(), "p": ps, "expected": [float(np.percentile(v, p)) for p in ps]}
    for v in (perc_values, perc_small, rng.normal(size=1000))
]

def negative_log_likelihood(params, x):
    c, scale = params
    if scale <= 0:
        return np.inf
    v = -stats.genpareto.logpdf(x, c, 0, scale).sum()
    return v if np.isfinite(v) else np.inf

def gpd_case(name, x):
    c, loc, scale = stats.genpareto.fit(x, floc=0)
    tight = optimize.minimize(negative_log_likelihood, [c, scale], args=(x,), method="Nelder-Mead",
                              options={"xatol": 1e-13, "fatol": 1e-13, "maxiter": 20000, "maxfev": 40000})
    return {"name": name, "excesses": x.tolist(),
            "scipy_shape": float(c), "scipy_scale": float(scale),
            "scipy_log_likelihood": float(stats.genpareto.logpdf(x, c, 0, scale).sum()),
            "tight_shape": float(tight.x[0]), "tight_scale": float(tight.x[1]),
            "tight_log_likelihood": float(-tight.fun)}

out["gpd"] = [
    gpd_case("heavy-tail", stats.genpareto.rvs(0.2, scale=1.5, size=200, random_state=1)),
    gpd_case("bounded-tail", stats.genpareto.rvs(-0.15, scale=0.7, size=300, random_state=2)),
    gpd_case("exponential-like", stats.genpareto.rvs(0.0, scale=2.0, size=150, random_state=3)),
    gpd_case("few-excesses", stats.genpareto.rvs(0.3, scale=0.05, size=15, random_state=4)),
]

def pot_case(name, scores, level=0.98, q=1e-3):
    u = float(np.percentile(scores, level * 100))
    excesses = scores[scores > u] - u
    case = gpd_case(name, excesses)
    n, nt = len(scores), len(excesses)
    def tau(gamma, sigma):
        r = q * n / nt
        return u + sigma / gamma * (r ** (-gamma) - 1) if gamma != 0 else u - sigma * np.log(r)
    return {"name": name, "scores": scores.tolist(), "initial_quantile": level, "risk": q, "u": u,
            "excess_count": nt, "gpd": case,
            "tau_scipy": float(tau(case["scipy_shape"], case["scipy_scale"])),
            "tau_tight": float(tau(case["tight_shape"], case["tight_scale"]))}

out["pot"] = [
    pot_case("gamma-scores", rng.gamma(3.0, 0.02, size=4000)),
    pot_case("lognormal-scores", rng.lognormal(-3.0, 0.5, size=3000), level=0.95, q=1e-4),
]

path = pathlib.Path(__file__).resolve().parents[2] / "Tests/EvaluationTests/Fixtures/evaluation.json"
path.write_text(json.dumps(out, allow_nan=False))
print("wrote", path, path.stat().st_size, "bytes")
for g in out["gpd"] + [p["gpd"] for p in out["pot"]]:
    print(g["name"], g["scipy_shape"], g["tight_shape"], g["scipy_scale"], g["tight_scale"], g["scipy_log_likelihood"], g["tight_log_likelihood"])
