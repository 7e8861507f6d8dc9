"""Reference fixtures for the Optim target (Adam, clip_grad_norm_, ReduceLROnPlateau, beta schedules).

Versions: torch 2.15.0, numpy 2.4.6. Seed: torch.manual_seed(20261130).
- adam_*: two float32 parameters (p0 [3, 4], p1 [5]) and 20 fixed float32 gradients per parameter;
  torch.optim.Adam (CPU, single-tensor path) applied step by step; the parameters after every step
  and the final exp_avg / exp_avg_sq. Variants: default betas with lr 1e-2, and lr 5e-3 with
  betas (0.8, 0.99), eps 1e-6, weight_decay 0.1.
- clip_*: three gradients, clip_grad_norm_(max_norm) for max_norm 1.0 (clips) and 100 (does not);
  the clipped gradients and the returned total norm.
- plateau.json: ReduceLROnPlateau learning rates after each step for given metric sequences.
- train_*: a tiny BiLSTM(3 -> 4) + Linear(8 -> 2) regression trained for 6 steps in float64 from
  float32 initial values: MSE loss, backward, clip_grad_norm_(0.4), Adam(lr 2e-2); the loss and
  total gradient norm of every step and the final parameters (the whole training path at once).
- beta.json: the reference beta schedules evaluated by the reference code's own formulas
  (cyclical_annealing_beta of src/training.py, BetaScheduler of src/models/vae_bilstm_mha.py).
Output: Tests/OptimTests/Fixtures/ (about 40 kB).

Run: python3 scripts/reference/optim.py
"""
import json
import pathlib

import numpy as np
import torch

OUT = pathlib.Path(__file__).resolve().parents[2] / "Tests/OptimTests/Fixtures"


def save(name, array):
    np.save(OUT / f"{name}.npy", np.ascontiguousarray(array))


def adam_case(name, steps, **options):
    torch.manual_seed(20261130)
    p0 = torch.randn(3, 4)
    p1 = torch.randn(5)
    g0 = torch.randn(steps, 3, 4)
    g1 = torch.randn(steps, 5) * 0.1
    save(f"{name}_p0_initial", p0.numpy())
    save(f"{name}_p1_initial", p1.numpy())
    save(f"{name}_g0", g0.numpy())
    save(f"{name}_g1", g1.numpy())
    params = [p0.clone().requires_grad_(True), p1.clone().requires_grad_(True)]
    optimizer = torch.optim.Adam(params, **options)
    trajectory0, trajectory1 = [], []
    for step in range(steps):
        optimizer.zero_grad()
        params[0].grad = g0[step].clone()
        params[1].grad = g1[step].clone()
        optimizer.step()
        trajectory0.append(params[0].detach().clone().numpy())
        trajectory1.append(params[1].detach().clone().numpy())
    save(f"{name}_p0_trajectory", np.stack(trajectory0))
    save(f"{name}_p1_trajectory", np.stack(trajectory1))
    for i, p in enumerate(params):
        state = optimizer.state[p]
        save(f"{name}_p{i}_exp_avg", state["exp_avg"].numpy())
        save(f"{name}_p{i}_exp_avg_sq", state["exp_avg_sq"].numpy())


def clip_case(name, max_norm, scale):
    torch.manual_seed(20261131)
    shapes = [(4, 3), (7,), (2, 2, 2)]
    grads = [torch.randn(*s) * scale for s in shapes]
    params = []
    for i, g in enumerate(grads):
        save(f"{name}_grad{i}", g.numpy())
        p = torch.zeros(*g.shape, requires_grad=True)
        p.grad = g.clone()
        params.append(p)
    total = torch.nn.utils.clip_grad_norm_(params, max_norm=max_norm, norm_type=2)
    for i, p in enumerate(params):
        save(f"{name}_clipped{i}", p.grad.numpy())
    save(f"{name}_total_norm", np.array([total.item()], dtype=np.float64))


def plateau_fixture():
    metrics_a = [1.0, 0.9, 0.8, 0.8, 0.8, 0.79995, 0.8, 0.8, 0.8, 0.81, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7,
                 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.69, 0.69, 0.69, 0.69, 0.69, 0.69, 0.69, 0.69]
    metrics_b = [0.1, 0.2, 0.2, 0.2, 0.2, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.25, 0.3, 0.30001, 0.4, 0.4, 0.4, 0.4]
    cases = [
        ("reference", metrics_a, "min", dict(factor=0.5, patience=5)),
        ("cooldown_abs", metrics_a, "min", dict(factor=0.1, patience=2, cooldown=2, threshold=0.05,
                                                 threshold_mode="abs", min_lr=2e-6)),
        ("max_mode", metrics_b, "max", dict(factor=0.5, patience=1, cooldown=1)),
        ("tiny_lr_eps", metrics_a, "min", dict(factor=0.5, patience=0, eps=1e-3)),
    ]
    result = {}
    for name, metrics, mode, options in cases:
        p = torch.zeros(1, requires_grad=True)
        optimizer = torch.optim.Adam([p], lr=1e-2)
        scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, mode, **options)
        lrs = []
        for m in metrics:
            scheduler.step(m)
            lrs.append(optimizer.param_groups[0]["lr"])
        options = dict(options)
        options["mode"] = mode
        result[name] = {"options": options, "metrics": metrics, "learning_rates": lrs,
                        "best": scheduler.best, "num_bad_epochs": scheduler.num_bad_epochs,
                        "cooldown_counter": scheduler.cooldown_counter}
    with open(OUT / "plateau.json", "w") as f:
        json.dump(result, f, indent=1)


def cyclical_annealing_beta(epoch, cycle_period=10, ramp_ratio=0.5, max_beta=1.0):
    # as src/training.py of the reference code
    cycle_epoch = (epoch - 1) % cycle_period
    ramp_epochs = max(1, int(cycle_period * ramp_ratio))
    if cycle_epoch < ramp_epochs:
        return max_beta * (cycle_epoch + 1) / ramp_epochs
    return max_beta


class BetaScheduler:
    # as src/models/vae_bilstm_mha.py of the reference code
    def __init__(self, total_epochs, grace, start=1e-8, end=1e-2, mode="cyclical"):
        self.total, self.grace, self.start, self.end, self.mode = total_epochs, grace, start, end, mode
        self.betas = np.linspace(start, end, total_epochs)

    def __call__(self, epoch):
        if epoch < self.grace or self.mode == "normal":
            return self.start + (self.end - self.start) * (epoch / self.grace)
        if self.mode == "monotonic":
            return float(self.betas[min(epoch, self.total - 1)])
        return float(self.betas[(epoch - self.grace) % self.total])


def beta_fixture():
    epochs = list(range(1, 101))
    result = {
        "epochs": epochs,
        "cyclical_reference": [cyclical_annealing_beta(e, 10, 0.5, 0.3) for e in epochs],
        "cyclical_7_0.3_1.0": [cyclical_annealing_beta(e, 7, 0.3, 1.0) for e in epochs],
        "vae_bilstm_thesis": [e / 10 if e <= 10 else 1.0 for e in epochs],
    }
    zero_based = list(range(0, 120))
    result["mavae_epochs"] = zero_based
    for mode in ["normal", "monotonic", "cyclical"]:
        scheduler = BetaScheduler(100, 10, mode=mode)
        result[f"mavae_{mode}"] = [scheduler(e) for e in zero_based]
    with open(OUT / "beta.json", "w") as f:
        json.dump(result, f, indent=1)


class TinyRegressor(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = torch.nn.LSTM(3, 4, batch_first=True, bidirectional=True)
        self.head = torch.nn.Linear(8, 2)

    def forward(self, x):
        return self.head(self.lstm(x)[0])


def training_fixture():
    torch.manual_seed(20261132)
    model = TinyRegressor()
    x = torch.randn(2, 5, 3)
    y = torch.randn(2, 5, 2)
    for key, value in model.state_dict().items():
        save(f"train_param_{key}", value.numpy())
    save("train_x", x.numpy())
    save("train_y", y.numpy())
    model = model.double()
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-2)
    losses, norms = [], []
    for _ in range(6):
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x.double()), y.double())
        loss.backward()
        norms.append(torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=0.4).item())
        optimizer.step()
        losses.append(loss.item())
    save("train_losses", np.array(losses))
    save("train_norms", np.array(norms))
    for key, value in model.state_dict().items():
        save(f"train_final_{key}", value.numpy())


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    adam_case("adam_default", 20, lr=1e-2)
    adam_case("adam_decay", 20, lr=5e-3, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1)
    clip_case("clip_active", 1.0, 1.0)
    clip_case("clip_inactive", 100.0, 1.0)
    plateau_fixture()
    beta_fixture()
    training_fixture()


if __name__ == "__main__":
    main()
