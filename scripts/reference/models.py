"""Reference outputs, losses and parameter gradients of the three ecgs models (PyTorch).

Writes Tests/ModelsTests/Fixtures/<model>/: every state_dict tensor (<key>.npy), the input
x.npy, the reparameterisation noise eps.npy, the outputs, the loss terms, and the gradient of
the total loss with respect to every parameter (<key>.grad.npy), plus manifest.json.

The models are written here from the architecture in shared/spec/models.md (tiny sizes so
the fixtures stay small); module names follow the reference state_dict keys. They run in
eval mode (no input noise, no dropout) with the reparameterisation noise given explicitly,
so the Swift models can reproduce them exactly.

Also writes ma-vae/ (the reference code's MA-VAE, both reparameterisation noises given) and
param_counts.json (sum(p.numel()) of every model at the reference and small presets).

With --check-export (used by the Swift interoperability test) it instead loads a state_dict written
by ecgs into the module here with load_state_dict(strict=True), runs it in eval mode and saves the
outputs: models.py --check-export WEIGHTS.pth KIND ENC1,ENC2,DEC1,DEC2,LATENT INPUT.npy EPS.npy OUT_DIR

Versions: torch 2.15.0 (CPU, float32, 1 thread), numpy 2.4.6. Seed 1234.
Run: python3 scripts/reference/models.py
"""
import json
import os
import sys

import numpy as np
import torch
import torch.nn as nn

torch.set_num_threads(1)
ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "ModelsTests", "Fixtures")


class CAE(nn.Module):
    def __init__(self, leads=12):
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Conv1d(leads, 32, 7, stride=2, padding=3), nn.ReLU(),
            nn.Conv1d(32, 64, 5, stride=2, padding=2), nn.ReLU(),
            nn.Conv1d(64, 128, 3, stride=2, padding=1), nn.ReLU())
        self.decoder = nn.Sequential(
            nn.ConvTranspose1d(128, 64, 3, stride=2, padding=1, output_padding=1), nn.ReLU(),
            nn.ConvTranspose1d(64, 32, 5, stride=2, padding=2, output_padding=1), nn.ReLU(),
            nn.ConvTranspose1d(32, leads, 7, stride=2, padding=3, output_padding=1))

    def forward(self, x):
        return self.decoder(self.encoder(x))[:, :, : x.shape[2]]


def mlp(n_in, n_hidden, n_out):
    return nn.Sequential(nn.Linear(n_in, n_hidden), nn.PReLU(), nn.Dropout(0.1), nn.Linear(n_hidden, n_out))


class VAE(nn.Module):
    """VAE-BiLSTM, and VAE-BiLSTM-MHA when attention=True."""

    def __init__(self, leads, enc, dec, latent, attention):
        super().__init__()
        self.latent, self.attention = latent, attention
        self.enc_lstm1 = nn.LSTM(leads, enc[0], batch_first=True, bidirectional=True)
        self.enc_lstm2 = nn.LSTM(2 * enc[0], enc[1], batch_first=True, bidirectional=True)
        self.to_stats = mlp(2 * enc[1], enc[1], 2 * latent)
        if attention:
            self.qk_proj = nn.Linear(leads, latent)
            self.ma = nn.MultiheadAttention(latent, 8, batch_first=True)
            self.lead_embed = nn.Linear(1, latent)
            self.lead_attn = nn.MultiheadAttention(latent, 4, batch_first=True)
        self.dec_lstm1 = nn.LSTM(latent, dec[0], batch_first=True, bidirectional=True)
        self.dec_lstm2 = nn.LSTM(2 * dec[0], dec[1], batch_first=True, bidirectional=True)
        self.to_recon = mlp(2 * dec[1], dec[1], 2 * leads)

    def forward(self, x, eps):
        h, _ = self.enc_lstm1(x)
        h, _ = self.enc_lstm2(h)
        mu, logvar = self.to_stats(h).chunk(2, dim=-1)
        z = mu + eps * torch.exp(0.5 * logvar)
        out = {"mu": mu, "logvar": logvar}
        if self.attention:
            b, t, l = x.shape
            e = self.lead_embed(x.reshape(b * t, l, 1))
            lead_out, lead_w = self.lead_attn(e, e, e, need_weights=True)
            out["lead_weights"] = lead_w.mean(dim=1).view(b, t, l)
            z = z + lead_out.mean(dim=1).view(b, t, self.latent)
            qk = self.qk_proj(x)
            z, attn = self.ma(qk, qk, z, need_weights=True)
            out["attention"] = attn
        d, _ = self.dec_lstm1(z)
        d, _ = self.dec_lstm2(d)
        out["x_mean"], out["x_logvar"] = self.to_recon(d).chunk(2, dim=-1)
        return out


class MAVAEEncoder(nn.Module):
    def __init__(self, leads, enc, latent):
        super().__init__()
        self.lstm1 = nn.LSTM(leads, enc[0], batch_first=True, bidirectional=True)
        self.lstm2 = nn.LSTM(2 * enc[0], enc[1], batch_first=True, bidirectional=True)
        self.linear_mean = nn.Linear(2 * enc[1], latent)
        self.linear_logvar = nn.Linear(2 * enc[1], latent)


class MAVAEAttention(nn.Module):
    def __init__(self, leads, latent, heads=8):
        super().__init__()
        self.to_q = nn.Linear(leads, latent)
        self.attn = nn.MultiheadAttention(latent, heads, batch_first=True)


class MAVAEDecoder(nn.Module):
    def __init__(self, leads, dec, latent):
        super().__init__()
        self.lstm1 = nn.LSTM(latent, dec[0], batch_first=True, bidirectional=True)
        self.lstm2 = nn.LSTM(2 * dec[0], dec[1], batch_first=True, bidirectional=True)
        self.linear_mean = nn.Linear(2 * dec[1], leads)
        self.linear_logvar = nn.Linear(2 * dec[1], leads)


class MAVAE(nn.Module):
    """The reference code's VAE_BILSTM_MHA (src/models/vae_bilstm_mha.py) with explicit noises and sizes."""

    def __init__(self, leads, enc, dec, latent):
        super().__init__()
        self.encoder = MAVAEEncoder(leads, enc, latent)
        self.mha = MAVAEAttention(leads, latent)
        self.decoder = MAVAEDecoder(leads, dec, latent)

    def forward(self, x, eps_z, eps_x):
        h, _ = self.encoder.lstm1(x)
        h, _ = self.encoder.lstm2(h)
        mu, logvar = self.encoder.linear_mean(h), self.encoder.linear_logvar(h)
        z = mu + torch.exp(0.5 * logvar) * eps_z
        q = self.mha.to_q(x)
        a, attn = self.mha.attn(q, q, z, need_weights=True)
        d, _ = self.decoder.lstm1(a)
        d, _ = self.decoder.lstm2(d)
        x_mean, x_logvar = self.decoder.linear_mean(d), self.decoder.linear_logvar(d)
        x_recon = x_mean + torch.exp(0.5 * x_logvar) * eps_x
        focus = torch.mean(torch.abs(x_recon - x), dim=[1, 2])
        return {"x_mean": x_mean, "x_logvar": x_logvar, "x_recon": x_recon, "mu": mu, "logvar": logvar,
                "attention": attn, "focus": focus}


def mavae_loss(x, out, beta):
    nll = -torch.distributions.Normal(out["x_mean"], torch.exp(0.5 * out["x_logvar"])).log_prob(x)
    nll = nll.sum(dim=[1, 2]).mean()
    kl = (0.5 * (out["logvar"].exp() + out["mu"] ** 2 - 1 - out["logvar"])).sum(dim=[1, 2]).mean()
    return nll + beta * kl, nll, kl


def build(kind, enc, dec, latent):
    if kind == "cae":
        return CAE()
    if kind == "ma-vae":
        return MAVAE(12, enc, dec, latent)
    return VAE(12, enc, dec, latent, kind == "vae-mha")


def vae_loss(x, out, beta):
    x_logvar = torch.clamp(out["x_logvar"], -10.0, 10.0)
    nll = -torch.distributions.Normal(out["x_mean"], torch.exp(0.5 * x_logvar)).log_prob(x)
    nll = nll.sum(dim=[1, 2]).mean()
    kl = (-0.5 * (1 + out["logvar"] - out["mu"] ** 2 - out["logvar"].exp())).mean()
    return nll + beta * kl, nll, kl


def window_scores(x, out, alpha=0.4, beta=0.6):
    """models.md evaluation score per window (raw x_logvar, KL summed over T and d)."""
    err = ((x - out["x_mean"]) ** 2 / (torch.exp(out["x_logvar"]) + 1e-6)).sum(dim=[1, 2])
    kl = (-0.5 * (1 + out["logvar"] - out["mu"] ** 2 - out["logvar"].exp())).sum(dim=[1, 2])
    return alpha * err + (1 - alpha) * out["x_logvar"].sum(dim=[1, 2]) + beta * kl


def save(folder, name, tensor, manifest):
    array = tensor.detach().cpu().numpy().astype(np.float32)
    np.save(os.path.join(folder, name + ".npy"), array)
    manifest["arrays"][name] = list(array.shape)


def dump(model_name, model, x, extra):
    folder = os.path.join(ROOT, model_name)
    os.makedirs(folder, exist_ok=True)
    manifest = {"torch": torch.__version__, "seed": 1234, "arrays": {}, "scalars": {},
                "parameters": list(model.state_dict().keys())}
    for key, value in model.state_dict().items():
        save(folder, key, value, manifest)
    save(folder, "x", x, manifest)
    outputs, scalars = extra()
    for key, value in outputs.items():
        save(folder, key, value, manifest)
    for key, value in model.named_parameters():
        save(folder, key + ".grad", value.grad, manifest)
    manifest["scalars"] = {k: float(torch.as_tensor(v).detach()) for k, v in scalars.items()}
    with open(os.path.join(folder, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)


def main():
    torch.manual_seed(1234)
    cae = CAE().eval()
    x = torch.randn(2, 12, 40)

    def cae_run():
        recon = cae(x)
        loss = ((recon - x) ** 2).mean()
        loss.backward()
        return {"recon": recon}, {"loss": loss}

    dump("cae", cae, x, cae_run)

    for name, attention in [("vae", False), ("vae-mha", True)]:
        torch.manual_seed(1234)
        model = VAE(12, (6, 5), (5, 6), 8, attention).eval()
        x = torch.randn(2, 16, 12)
        eps = torch.randn(2, 16, 8)

        def vae_run():
            out = model(x, eps)
            total, nll, kl = vae_loss(x, out, beta=0.3)
            total.backward()
            result = dict(out)
            result["eps"] = eps
            result["window_scores"] = window_scores(x, out)
            return result, {"loss": total, "nll": nll, "kl": kl, "beta": 0.3}

        dump(name, model, x, vae_run)

    torch.manual_seed(1234)
    mavae = MAVAE(12, (6, 5), (5, 6), 8).eval()
    x = torch.randn(2, 16, 12)
    eps_z = torch.randn(2, 16, 8)
    eps_x = torch.randn(2, 16, 12)

    def mavae_run():
        out = mavae(x, eps_z, eps_x)
        total, nll, kl = mavae_loss(x, out, beta=0.3)
        total.backward()
        result = dict(out)
        result["eps_z"], result["eps_x"] = eps_z, eps_x
        return result, {"loss": total, "nll": nll, "kl": kl, "beta": 0.3}

    dump("ma-vae", mavae, x, mavae_run)

    sizes = {"reference": ((512, 256), (256, 512), 64), "small": ((64, 32), (32, 64), 16)}
    counts = {}
    for preset, (enc, dec, latent) in sizes.items():
        for kind in ["cae", "vae", "vae-mha", "ma-vae"]:
            counts[f"{kind}/{preset}"] = sum(p.numel() for p in build(kind, enc, dec, latent).parameters())
    with open(os.path.join(ROOT, "param_counts.json"), "w") as f:
        json.dump(counts, f, indent=1)


def check_export(weights, kind, sizes, input_path, eps_path, out_dir):
    """Loads an ecgs-written state_dict strictly and saves the eval-mode forward outputs."""
    e1, e2, d1, d2, latent = (int(v) for v in sizes.split(","))
    model = build(kind, (e1, e2), (d1, d2), latent).eval()
    model.load_state_dict(torch.load(weights, weights_only=True), strict=True)
    x = torch.from_numpy(np.load(input_path))
    with torch.no_grad():
        if kind == "cae":
            outputs = {"recon": model(x)}
        elif kind == "ma-vae":
            eps_z = torch.from_numpy(np.load(eps_path))
            outputs = model(x, eps_z, torch.zeros_like(x))
        else:
            outputs = model(x, torch.from_numpy(np.load(eps_path)))
    for key, value in outputs.items():
        np.save(os.path.join(out_dir, key + ".npy"), value.numpy().astype(np.float32))


if __name__ == "__main__":
    if len(sys.argv) == 8 and sys.argv[1] == "--check-export":
        check_export(*sys.argv[2:])
    else:
        main()
