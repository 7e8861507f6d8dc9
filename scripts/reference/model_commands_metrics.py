"""Expected values of the threshold/evaluate/metrics golden scripts (Tests/ScriptTests/Scripts/
threshold.ecgs, evaluate.ecgs, metrics.ecgs) on their 8-score fixture.

Versions: numpy 2.4.6, scikit-learn 1.9.1. No randomness.
Run: python3 scripts/reference/model_commands_metrics.py
"""
import numpy as np
from sklearn.metrics import average_precision_score, f1_score, precision_score, recall_score, roc_auc_score, roc_curve

scores = np.array([0.1, 0.4, 0.35, 0.8, 0.7, 0.2, 0.55, 0.3])
labels = np.array([0, 0, 1, 1, 1, 0, 0, 1])

print("p95", np.percentile(scores, 95), "p50", np.percentile(scores, 50))
print("roc_auc", roc_auc_score(labels, scores), "average_precision", average_precision_score(labels, scores))
for tau in (0.38, 0.55):
    predicted = (scores > tau).astype(int)
    print(f"at {tau}: precision", precision_score(labels, predicted), "recall", recall_score(labels, predicted),
          "f1", f1_score(labels, predicted))
# Youden: scikit-learn's threshold t means score >= t; on these scores that is score > the next lower
# distinct score, the tau ecgs reports (0.55 for t = 0.7).
fpr, tpr, thresholds = roc_curve(labels, scores)
print("youden: sklearn threshold", thresholds[np.argmax(tpr - fpr)], "J", (tpr - fpr).max())
best = max(((f1_score(labels, (scores > tau).astype(int)), tau) for tau in sorted(set(scores), reverse=True)),
           key=lambda pair: pair[0])
print("f1-maximising tau", best[1], "F1", best[0])
