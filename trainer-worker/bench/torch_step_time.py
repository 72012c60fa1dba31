#!/usr/bin/python3
"""PyTorch eager reference for the step times of `sharpsweep bench-train` (trainer-worker/README.md).

The same networks as the worker (mlp: 784-256-128-10 ReLU; cnn-small: conv3x3 32 - BN - ReLU - maxpool 2 -
conv3x3 64 - BN - ReLU - maxpool 2 - dense 128 - ReLU - dense 10, convolutions without bias), the same
Fashion-MNIST batches gathered from one tensor per step, torch.optim.SGD (lr 0.05, momentum 0.9,
weight decay 5e-4), and the straightforward SAM and ESAM steps (two passes; perturb and restore by copy
under no_grad; ESAM: per-tensor Bernoulli(β) mask via requires_grad_, a no-grad selection forward and the
γ·b sharpest examples in pass 2). Times rounds of steps per method, interleaved, and prints the median
step time per method and its ratio to SGD as JSON.

    OPENBLAS_CORETYPE=SkylakeX /usr/bin/python3 trainer-worker/bench/torch_step_time.py \
        --model cnn --batch-size 128 --steps 60 --threads 2

Needs Debian's python3-torch (/usr/bin/python3) and the Fashion-MNIST IDX files
(/usr/share/datasets/fashion-mnist, Debian's dataset-fashion-mnist).
"""
import argparse
import gzip
import json
import math
import os
import random
import statistics
import time

import numpy as np
import torch
import torch.nn.functional as F


def read_images(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    n, rows, cols = (int.from_bytes(data[i:i + 4], "big") for i in (4, 8, 12))
    return np.frombuffer(data, dtype=np.uint8, offset=16).reshape(n, 1, rows, cols)


def read_labels(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    return np.frombuffer(data, dtype=np.uint8, offset=8)


def load(data_dir, limit):
    def find(name):
        for candidate in (name, name + ".gz"):
            p = os.path.join(data_dir, candidate)
            if os.path.exists(p):
                return p
        raise SystemExit(f"{name} not found in {data_dir}")
    x = read_images(find("train-images-idx3-ubyte"))[:limit]
    y = read_labels(find("train-labels-idx1-ubyte"))[:limit]
    return torch.from_numpy(x.astype(np.float32) / 255.0), torch.from_numpy(y.astype(np.int64))


def build(model):
    if model == "mlp":
        return torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(784, 256), torch.nn.ReLU(),
                                   torch.nn.Linear(256, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10))
    return torch.nn.Sequential(
        torch.nn.Conv2d(1, 32, 3, padding=1, bias=False), torch.nn.BatchNorm2d(32), torch.nn.ReLU(),
        torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(32, 64, 3, padding=1, bias=False), torch.nn.BatchNorm2d(64), torch.nn.ReLU(),
        torch.nn.MaxPool2d(2), torch.nn.Flatten(),
        torch.nn.Linear(3136, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10))


def bn_modules(model):
    return [m for m in model.modules() if isinstance(m, torch.nn.BatchNorm2d)]


class Method:
    def __init__(self, name, model, rho=0.05, beta=0.6, gamma=0.5):
        self.name, self.model, self.rho, self.beta, self.gamma = name, model, rho, beta, gamma
        self.params = [p for p in model.parameters() if p.requires_grad]
        self.opt = torch.optim.SGD(self.params, lr=0.05, momentum=0.9, weight_decay=5e-4)
        self.bns = bn_modules(model)
        self.t = 0
        self.times = []

    def step(self, x, y):
        getattr(self, self.name)(x, y)
        self.t += 1

    def sgd(self, x, y):
        self.opt.zero_grad()
        F.cross_entropy(self.model(x), y).backward()
        self.opt.step()

    def _freeze_bn(self, freeze):
        # Pass 2 must not move the running statistics (davda54's bypass_bn does the same).
        for m in self.bns:
            if freeze:
                m.backup_momentum = m.momentum
                m.momentum = 0
            else:
                m.momentum = m.backup_momentum

    def sam(self, x, y):
        self.opt.zero_grad()
        F.cross_entropy(self.model(x), y).backward()
        with torch.no_grad():
            norm = torch.norm(torch.stack([p.grad.norm(2) for p in self.params]), 2)
            scale = self.rho / (norm + 1e-12)
            saved = [p.detach().clone() for p in self.params]
            for p in self.params:
                p.add_(p.grad * scale)
        self.opt.zero_grad()
        self._freeze_bn(True)
        F.cross_entropy(self.model(x), y).backward()
        self._freeze_bn(False)
        with torch.no_grad():
            for p, s in zip(self.params, saved):
                p.copy_(s)
        self.opt.step()

    def esam(self, x, y):
        self.opt.zero_grad()
        masked = [self.t > 0 and random.random() > self.beta for _ in self.params]
        if all(masked):
            masked = [False] * len(masked)
        for p, m in zip(self.params, masked):
            p.requires_grad_(not m)
        losses = F.cross_entropy(self.model(x), y, reduction="none")
        losses.mean().backward()
        for p in self.params:
            p.requires_grad_(True)
        with torch.no_grad():
            kept = [p for p, m in zip(self.params, masked) if not m]
            norm = torch.norm(torch.stack([p.grad.norm(2) for p in kept]), 2)
            scale = self.rho / (norm + 1e-12) / self.beta
            saved = [p.detach().clone() for p in kept]
            for p in kept:
                p.add_(p.grad * scale)
            self._freeze_bn(True)
            after = F.cross_entropy(self.model(x), y, reduction="none")
            k = max(1, math.ceil(self.gamma * x.shape[0]))
            rows = torch.topk(after - losses.detach(), k).indices
        self.opt.zero_grad()
        F.cross_entropy(self.model(x[rows]), y[rows]).backward()
        self._freeze_bn(False)
        with torch.no_grad():
            for p, s in zip(kept, saved):
                p.copy_(s)
        self.opt.step()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default="cnn", choices=["mlp", "cnn"])
    ap.add_argument("--batch-size", type=int, default=128)
    ap.add_argument("--steps", type=int, default=60)
    ap.add_argument("--warmup", type=int, default=10)
    ap.add_argument("--round", type=int, default=5)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--methods", default="sgd,sam,esam")
    ap.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    random.seed(1)
    b = args.batch_size
    x_all, y_all = load(args.data, max(b * (args.steps + args.warmup + 1), 2 * b))
    order = torch.randperm(x_all.shape[0])
    batches = x_all.shape[0] // b
    methods = [Method(name, build(args.model)) for name in args.methods.split(",")]
    for m in methods:
        m.model.train()
    total = args.warmup + args.steps
    done = {m.name: 0 for m in methods}
    r = 0
    while any(v < total for v in done.values()):
        for j in range(len(methods)):
            m = methods[(j + r) % len(methods)]
            for _ in range(args.round):
                if done[m.name] >= total:
                    break
                i = done[m.name] % batches
                t0 = time.perf_counter()
                rows = order[i * b:(i + 1) * b]
                m.step(x_all.index_select(0, rows), y_all.index_select(0, rows))
                dt = time.perf_counter() - t0
                if done[m.name] >= args.warmup:
                    m.times.append(dt * 1e3)
                done[m.name] += 1
        r += 1
    sgd = statistics.median(methods[0].times)
    out = {"engine": f"pytorch {torch.__version__} eager", "model": args.model, "batchSize": b,
           "threads": torch.get_num_threads(), "steps": args.steps, "variants": {}}
    for m in methods:
        med = statistics.median(m.times)
        out["variants"][m.name] = {"stepMillisMedian": round(med, 3), "ratioToSgd": round(med / sgd, 3)}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
