// `help model`, `help score`, `help threshold`, `help metrics`: the value types of the model workflow.
import Script

/// `help model`.
let modelTopic = HelpTopic(name: "model", summary: "An anomaly-detection network with its training and threshold.", text: """
    model: a CAE, VAE-BiLSTM, VAE-BiLSTM-MHA or MA-VAE with its weights, training state and
    threshold (model, import_torch; fit trains it in place). It prints as
    'model vae-mha small  176,138 parameters  trained 5 epochs  threshold p95 = 0.812'.
    Fields: m.kind, m.size ("small", "reference", "custom"), m.parameters, m.config (text),
    m.leads, m.hidden, m.latent, m.heads ([temporal, lead]), m.threshold (none until set),
    m.score_method (the window-score formula score(m, x) uses; set by threshold(m, data, score=)),
    m.history (tensor [epochs, 5]: epoch, loss, val loss, beta, lr), m.loss and m.val_loss
    (tensors [epochs]), m.epochs, m.best_epoch, m.best_val, m.lr (the next learning rate),
    m.trained_on, m.origin.
    info m (or show m) prints the layers with their parameter counts and the training summary.
    Models are shared, not copied: after m2 = m, fit(m2, d) trains m too.
    """)

/// `help score`.
let scoreTopic = HelpTopic(name: "score", summary: "Anomaly scores of a record (with traces) or of a dataset.", text: """
    score: what score(m, record) or score(m, dataset) returns.
    A record's result: s.score (the record score), s.windows (tensor [W] of window scores),
    s.window_starts, s.recon, s.error (squared error), s.trace (anomaly trace), s.sigma (VAEs),
    s.input (all tensors [L, T]), s.attention (tensor [W, Tw, Tw], attention models),
    s.lead_weights ([W, Tw, L], vae-mha), s.strips ([L, T], with strips=true), s.saliency
    ([L, T], CAE with saliency=true), s.heart_rate (BPM, none when unmeasurable), s.method,
    s.model, s.source ("record" or "windows"), s.windowed (mean window score), s.name,
    s.label, s.threshold (the model's when scored) and s.verdict ("anomalous"/"normal").
    A dataset's result: s.scores (tensor [N]), s.names, s.labels, s.windows ([N, W]),
    s.heart_rates ([N]), s.method, s.model, s.threshold, s.verdicts, s.size, and with
    details=true s.details and s[i] / s["A0001"] (one record's full result). len(s) is N;
    mean(s) averages the scores. Fields that do not apply are none.
    """)

/// `help threshold`.
let thresholdTopic = HelpTopic(name: "threshold", summary: "A decision threshold and how it was set.", text: """
    threshold: what threshold(...) returns, printed as
    'threshold p95 = 0.0123 (from 120 scores)'. It acts as its number in arithmetic and
    comparisons (s.score > tau, tau * 1.5, s.scores > tau). Fields: t.value, t.method, t.n,
    and the method's parameters (t.p; t.f1; t.j; t.u, t.gamma, t.sigma, t.q for pot).
    """)

/// `help metrics`.
let metricsTopic = HelpTopic(name: "metrics", summary: "A table of evaluations: P, R, F1, ROC-AUC, PR-AUC per row.", text: """
    metrics: what evaluate(...) and metrics(e1, e2, ...) return; show e prints the table
    (threshold, n, precision, recall, F1, ROC-AUC, PR-AUC, TP FP TN FN per row). Fields: e.names,
    e.precision, e.recall, e.f1, e.roc_auc, e.pr_auc, e.accuracy, e.specificity, e.tp, e.fp,
    e.tn, e.fn, e.threshold (numbers for one row, lists for several), e.size. e[0] or
    e["cae"] is a table of one row; len(e) counts the rows.
    """)
