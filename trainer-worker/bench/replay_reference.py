#!/usr/bin/python3
"""Independent PyTorch reference for `sharpsweep replay` (docs/sam-variants.md; trainer-worker/README.md).

Every variant of the worker is re-implemented here in plain PyTorch eager mode (float64 by default) from
the update rules of docs/sam-variants.md, including ESAM's seeded weight mask and RST's seeded decisions
(the SplitMix64 streams of io.sharpsweep.worker.sam.policy.SeededStream), and compared with the weights
`sharpsweep replay` writes.

    # inputs: init.npz (fc1.weight … fc3.bias, PyTorch layout) and batches.npz (x [K,B,784], y [K,B])
    /usr/bin/python3 trainer-worker/bench/replay_reference.py make --dir /tmp/replay --steps 6 --batch 32
    # one variant, against a final.npz written by sharpsweep replay with the same knobs
    /usr/bin/python3 trainer-worker/bench/replay_reference.py check --dir /tmp/replay --variant sam \
        --final /tmp/replay/final.npz --rho 0.05
    # every variant: runs ./sharpsweep replay for each and prints the largest weight difference
    /usr/bin/python3 trainer-worker/bench/replay_reference.py all --dir /tmp/replay --sharpsweep ./sharpsweep

Needs Debian's python3-torch (run with /usr/bin/python3; set OPENBLAS_CORETYPE=SkylakeX on CPUs
Debian's OpenBLAS does not recognise).
"""
import argparse
import math
import os
import subprocess
import sys

import numpy as np
import torch
import torch.nn.functional as F

NAMES = ["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias", "fc3.weight", "fc3.bias"]
SHAPES = [(256, 784), (256,), (128, 256), (128,), (10, 128), (10,)]
MASK64 = (1 << 64) - 1
GOLDEN = 0x9E3779B97F4A7C15
RST_STREAM = 0x52575354
SWP_STREAM = 0x4553414D
DEFAULTS = dict(lr=0.05, momentum=0.9, weight_decay=5e-4, nesterov=False, rho=0.05, beta=0.6, gamma=0.5,
                delta=0.9, lambda1=-1.0, lambda2=1.0, k=5, alpha=0.7, monge_alpha=1.0, eta=0.01, p=0.5)


def mix(z):
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
    return z ^ (z >> 31)


class SeededStream:
    """SplitMix64 with the worker's seeding: state = mix(seed + GOLDEN·(stream + 1))."""

    def __init__(self, seed, stream):
        self.state = mix((seed + GOLDEN * (stream + 1)) & MASK64)

    def next_double(self):
        self.state = (self.state + GOLDEN) & MASK64
        return (mix(self.state) >> 11) * 2.0 ** -53


def mlp(dtype):
    return torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 128),
                               torch.nn.ReLU(), torch.nn.Linear(128, 10)).to(dtype)


def params_of(model):
    return [p for _, p in model.named_parameters()]


def grads(model):
    return [p.grad.detach().clone() if p.grad is not None else torch.zeros_like(p) for p in params_of(model)]


def sq_norm(ts):
    return sum(float((t * t).sum()) for t in ts)


def forward_backward(model, x, y, masked=None):
    params = params_of(model)
    for p in params:
        p.grad = None if masked is not None else p.grad
        if p.grad is not None:
            p.grad.zero_()
    if masked is not None:
        for p, m in zip(params, masked):
            p.requires_grad_(not m)
    losses = F.cross_entropy(model(x), y, reduction="none")
    loss = losses.mean()
    loss.backward()
    if masked is not None:
        for p in params:
            p.requires_grad_(True)
    return float(loss), losses.detach()


def replay(variant, knobs, init, xs, ys, steps, dtype, seed):
    model = mlp(dtype)
    with torch.no_grad():
        for name, p in model.named_parameters():
            key = name.replace("0.", "fc1.").replace("2.", "fc2.").replace("4.", "fc3.")
            p.copy_(torch.from_numpy(init[key]).to(dtype))
    params = params_of(model)
    opt = torch.optim.SGD(params, lr=knobs["lr"], momentum=knobs["momentum"],
                          weight_decay=knobs["weight_decay"], nesterov=knobs["nesterov"])
    rho = knobs["rho"] if not (variant == "asam" and "rho_set" not in knobs) else 0.5
    rst = SeededStream(seed, RST_STREAM)
    swp = SeededStream(seed, SWP_STREAM)
    mu = var = None
    gv = None
    gv_norm = 0.0
    sam_steps = 0
    for t in range(steps):
        x = torch.from_numpy(xs[t]).to(dtype)
        y = torch.from_numpy(ys[t]).long()
        masked = None
        if variant == "esam" and t > 0 and knobs["beta"] < 1:
            masked = [not (swp.next_double() <= knobs["beta"]) for _ in params]
            if all(masked):
                masked = None
        for p in params:
            p.grad = None
        _, losses_before = forward_backward(model, x, y, masked)
        g = grads(model)
        gsq = sq_norm([gi for gi, m in zip(g, masked or [False] * len(g)) if not m])
        if variant == "sgd":
            sam = False
        elif variant in ("sam", "asam", "msam", "esam"):
            sam = True
        elif variant in ("looksam", "sam-k"):
            sam = t % knobs["k"] == 0
        elif variant == "rst":
            sam = rst.next_double() < knobs["p"]
        elif variant in ("ae-sam", "ae-looksam"):
            x_t = gsq
            if mu is None:
                mu, var = x_t, 0.0
            d = knobs["delta"]
            mu = d * mu + (1 - d) * x_t
            var = d * var + (1 - d) * (x_t - mu) ** 2
            s = min(1.0, t / steps)
            c = s * knobs["lambda1"] + (1 - s) * knobs["lambda2"]
            sigma = math.sqrt(var)
            sam = x_t >= mu if sigma == 0 else x_t >= mu + c * sigma
        else:
            raise SystemExit("unknown variant " + variant)
        if sam and gsq < 1e-60:
            sam = False
        if not sam:
            if variant in ("looksam", "ae-looksam") and gv is not None and gv_norm > 0:
                coef = knobs["alpha"] * math.sqrt(gsq) / gv_norm
                for p, gi, vi in zip(params, g, gv):
                    p.grad = gi + coef * vi
            opt.step()
            continue
        sam_steps += 1
        with torch.no_grad():
            if variant == "asam":
                ts = [(p.abs() + knobs["eta"]) if "weight" in n else None for n, p in model.named_parameters()]
                tg = [gi * ti if ti is not None else gi for gi, ti in zip(g, ts)]
                scale = rho / (math.sqrt(sq_norm(tg)) + 1e-12)
                e = [(ti * tgi if ti is not None else tgi) * scale for ti, tgi in zip(ts, tg)]
            elif variant == "msam":
                a = knobs["monge_alpha"]
                scale = rho / (math.sqrt(gsq) * math.sqrt(1 + a * a * gsq) + 1e-12)
                e = [gi * scale for gi in g]
            elif variant == "esam":
                scale = rho / (math.sqrt(gsq) + 1e-12) / knobs["beta"]
                e = [torch.zeros_like(gi) if (masked and masked[i]) else gi * scale for i, gi in enumerate(g)]
            else:
                scale = rho / (math.sqrt(gsq) + 1e-12)
                e = [gi * scale for gi in g]
            saved = [p.detach().clone() for p in params]
            for p, ei in zip(params, e):
                p.add_(ei)
        xb, yb = x, y
        if variant == "esam":
            b = x.shape[0]
            k = max(1, min(b, math.ceil(knobs["gamma"] * b - 1e-9)))
            if k < b:
                with torch.no_grad():
                    after = F.cross_entropy(model(x), y, reduction="none")
                s = (after - losses_before).double().numpy()
                order = sorted(range(b), key=lambda i: (-s[i], i))
                rows = torch.tensor(sorted(order[:k]))
                xb, yb = x[rows], y[rows]
        for p in params:
            p.grad = None
        forward_backward(model, xb, yb)
        gs = grads(model)
        with torch.no_grad():
            for p, w in zip(params, saved):
                p.copy_(w)
        if variant in ("looksam", "ae-looksam"):
            coef = sum(float((a * b_).sum()) for a, b_ in zip(g, gs)) / gsq
            gv = [b_ - coef * a for a, b_ in zip(g, gs)]
            gv_norm = math.sqrt(sq_norm(gv))
        for p, gi in zip(params, gs):
            p.grad = gi
        opt.step()
    return {n: p.detach().numpy() for n, p in zip(NAMES, params)}, sam_steps


def load(path):
    with np.load(path) as z:
        return {k: z[k] for k in z.files}


def make(args):
    os.makedirs(args.dir, exist_ok=True)
    rng = np.random.default_rng(args.seed)
    init = {}
    for name, shape in zip(NAMES, SHAPES):
        fan_in = 784 if name.startswith("fc1") else 256 if name.startswith("fc2") else 128
        bound = 1 / math.sqrt(fan_in)
        init[name] = rng.uniform(-bound, bound, size=shape).astype(np.float64)
    np.savez(os.path.join(args.dir, "init.npz"), **init)
    x = rng.uniform(0, 1, size=(args.steps, args.batch, 784))
    y = rng.integers(0, 10, size=(args.steps, args.batch)).astype(np.int64)
    np.savez(os.path.join(args.dir, "batches.npz"), x=x, y=y)
    print("wrote", os.path.join(args.dir, "init.npz"), "and batches.npz:", args.steps, "batches of", args.batch)


def knobs_of(args):
    k = dict(DEFAULTS)
    for name in DEFAULTS:
        v = getattr(args, name, None)
        if v is not None:
            k[name] = v
            if name == "rho":
                k["rho_set"] = True
    return k


def compare(args, variant, knobs, final_path):
    init = load(os.path.join(args.dir, "init.npz"))
    b = load(os.path.join(args.dir, "batches.npz"))
    dtype = torch.float64 if args.dtype == "float64" else torch.float32
    steps = args.steps or b["x"].shape[0]
    ref, sam_steps = replay(variant, knobs, init, b["x"], b["y"], steps, dtype, args.replay_seed)
    final = load(final_path)
    diff = max(float(np.abs(final[n].astype(np.float64) - ref[n].astype(np.float64)).max()) for n in NAMES)
    moved = max(float(np.abs(ref[n] - init[n]).max()) for n in NAMES)
    return diff, moved, sam_steps


def check(args):
    diff, moved, sam_steps = compare(args, args.variant, knobs_of(args), args.final)
    print(f"{args.variant}: max |sharpsweep − reference| = {diff:.3e} (weights moved up to {moved:.3e}; {sam_steps} SAM steps)")
    return 0 if diff < (1e-9 if args.dtype == "float64" else 1e-4) else 1


def run_all(args):
    b = load(os.path.join(args.dir, "batches.npz"))
    steps = args.steps or b["x"].shape[0]
    variants = ["sgd", "sam", "asam", "esam", "ae-sam", "looksam", "ae-looksam", "msam", "rst", "sam-k"]
    extra = {"looksam": ["--k", "3"], "sam-k": ["--k", "3"], "esam": ["--beta", "0.6", "--gamma", "0.5"],
             "ae-sam": ["--lambda1", "-0.5", "--lambda2", "0.5"], "ae-looksam": ["--lambda1", "-0.5", "--lambda2", "0.5"]}
    worst = 0.0
    print(f"{'variant':<11} {'SAM steps':>9} {'max |Δw|':>11} {'max |w−w0|':>11}")
    for v in variants:
        final = os.path.join(args.dir, f"final-{v}.npz")
        cmd = [args.sharpsweep, "replay", "--variant", v, "--lr", "0.05", "--momentum", "0.9", "--weight-decay", "5e-4",
               "--params", os.path.join(args.dir, "init.npz"), "--batches", os.path.join(args.dir, "batches.npz"),
               "--steps", str(steps), "--dtype", args.dtype, "--seed", str(args.replay_seed), "--out", final] + extra.get(v, [])
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        parser = build_parser()
        ns = parser.parse_args(["check", "--dir", args.dir, "--variant", v, "--final", final, "--dtype", args.dtype,
                                "--steps", str(steps), "--replay-seed", str(args.replay_seed)] + extra.get(v, []))
        diff, moved, sam_steps = compare(ns, v, knobs_of(ns), final)
        worst = max(worst, diff)
        print(f"{v:<11} {sam_steps:>9} {diff:>11.3e} {moved:>11.3e}")
    print(f"worst difference {worst:.3e} ({args.dtype})")
    return 0 if worst < (1e-9 if args.dtype == "float64" else 1e-4) else 1


def build_parser():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("make")
    m.add_argument("--dir", required=True)
    m.add_argument("--steps", type=int, default=6)
    m.add_argument("--batch", type=int, default=32)
    m.add_argument("--seed", type=int, default=0)
    for name in ("check", "all"):
        c = sub.add_parser(name)
        c.add_argument("--dir", required=True)
        c.add_argument("--dtype", default="float64", choices=["float32", "float64"])
        c.add_argument("--steps", type=int)
        c.add_argument("--replay-seed", type=int, default=0)
        if name == "check":
            c.add_argument("--variant", required=True)
            c.add_argument("--final", required=True)
        else:
            c.add_argument("--sharpsweep", default="./sharpsweep")
        for knob in DEFAULTS:
            flag = "--" + knob.replace("_", "-")
            if knob == "nesterov":
                c.add_argument(flag, action="store_true", default=None)
            else:
                c.add_argument(flag, type=int if knob == "k" else float)
    return p


def main():
    torch.set_num_threads(2)
    args = build_parser().parse_args()
    if args.cmd == "make":
        make(args)
        return 0
    return check(args) if args.cmd == "check" else run_all(args)


if __name__ == "__main__":
    sys.exit(main())
