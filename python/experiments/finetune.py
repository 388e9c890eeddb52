#!/usr/bin/python3
"""Does a fractional spectral power help finetuning?  A CPU-sized rerun.

Pretrains a small byte-level transformer on English text (Debian package
`fortunes`), then finetunes it on German text (`fortunes-de`) with AdamW,
Muon (p = 0), Muon^p (p = 1/2, p = 1/4), the DynMuon schedule evaluated with
spow's certified tables, and the same schedule with the released DynMuon
transform (released_dynmuon.py).  Every optimizer gets the same learning-rate
grid size, the same steps and the same seeds; the summary reports the
best-learning-rate final validation loss (mean, sample standard deviation and
range over seeds) and the optimizer's time per step relative to AdamW's.

    PYTHONPATH=python /usr/bin/python3 python/experiments/finetune.py --out results/finetune

writes runs.jsonl (one line per finetuning run, appended as runs finish, so
an interrupted sweep resumes), pretrained.pt, summary.json, table.md,
curves.dat and the plot.  --quick is a tiny configuration for trying the
script (about a minute); its numbers mean nothing.
"""

import argparse
import hashlib
import json
import math
import multiprocessing as mp
import os
import shutil
import statistics
import subprocess
import sys
import time

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import fortunes_data  # noqa: E402
from released_dynmuon import ReleasedDynMuon  # noqa: E402
from tiny_gpt import TinyGPT  # noqa: E402

FULL = dict(d=128, layers=2, heads=4, context=64,
            pre_steps=400, pre_batch=32, pre_lr=3e-3,
            steps=120, batch=16, eval_every=20, eval_batches=4, eval_batch=64,
            lrs=[1e-3, 3e-3, 1e-2, 3e-2], seeds=[1, 2, 3],
            warmup=0.05, weight_decay=0.0,
            dyn_p_max=0.5, dyn_p_min=-0.25, dyn_tau_ratio=0.5, dyn_width_ratio=0.1)
QUICK = dict(FULL, d=32, layers=1, heads=2, context=32, pre_steps=30,
             pre_batch=8, steps=20, batch=8, eval_every=10, eval_batches=2,
             eval_batch=16, lrs=[3e-3, 1e-2], seeds=[1, 2])
# learning rates: one grid for every optimizer.  MuonP's "rms_norm" rule
# gives Muon's update AdamW's RMS, so the same values suit both; Muon^p's
# normalized update U (S/||M||_F)^p V^T is smaller than the polar factor for
# p > 0, which the grid's upper end (30x the lower) leaves room for.

METHODS = ["adamw", "muon", "muon_p_1_2", "muon_p_1_4",
           "dynmuon_spow", "dynmuon_released"]
LABEL = {"adamw": "AdamW", "muon": "Muon (p = 0)",
         "muon_p_1_2": "Muon^p, p = 1/2", "muon_p_1_4": "Muon^p, p = 1/4",
         "dynmuon_spow": "DynMuon schedule, spow tables",
         "dynmuon_released": "DynMuon schedule, released transform"}


# ---------------------------------------------------------------- schedules

def lr_factor(step, total, warmup):
    """Linear warm-up over warmup*total steps, then cosine decay to 10%."""
    w = max(1, int(warmup * total))
    if step < w:
        return (step + 1) / w
    t = (step - w) / max(1, total - w)
    return 0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * t))


def dynmuon_schedule(cfg):
    """spow's DynMuon schedule over the finetuning steps (logistic from
    p_max down to p_min; MuonP applies the nearest shipped p)."""
    import spow
    return spow.DynMuon(total_steps=cfg["steps"], p_max=cfg["dyn_p_max"],
                        p_min=cfg["dyn_p_min"], tau_ratio=cfg["dyn_tau_ratio"],
                        width_ratio=cfg["dyn_width_ratio"])


def rms_norm_factor(rows, cols):
    """MuonP's adjust_lr="rms_norm" factor, 0.2 sqrt(max(rows, cols)), for
    the optimizer spow does not provide (the released transform)."""
    return 0.2 * math.sqrt(max(rows, cols))


# ---------------------------------------------------------------- optimizers

class Stepper:
    """One or more torch optimizers stepped together; `set_lr_factor` scales
    every group's learning rate from the value it had at construction."""

    def __init__(self, *opts):
        self.opts = opts
        self.base = [[g["lr"] for g in o.param_groups] for o in opts]

    def set_lr_factor(self, f):
        for o, base in zip(self.opts, self.base):
            for g, lr in zip(o.param_groups, base):
                g["lr"] = lr * f

    def zero_grad(self):
        for o in self.opts:
            o.zero_grad(set_to_none=True)

    def step(self):
        for o in self.opts:
            o.step()


def make_optimizer(method, model, lr, cfg):
    hidden, other = model.param_groups()
    wd = cfg["weight_decay"]
    if method == "adamw":
        return Stepper(torch.optim.AdamW(model.parameters(), lr=lr,
                                         betas=(0.9, 0.95), weight_decay=wd))
    import spow
    if method == "dynmuon_released":
        # the released code is handed the logistic p itself, not a grid value
        sched = dynmuon_schedule(cfg).continuous
        return Stepper(
            ReleasedDynMuon(hidden, lr=lr, schedule=sched, scale=rms_norm_factor,
                            weight_decay=wd),
            torch.optim.AdamW(other, lr=lr, betas=(0.9, 0.95), weight_decay=wd))
    p = {"muon": 0, "muon_p_1_2": 0.5, "muon_p_1_4": 0.25}.get(method)
    if method == "dynmuon_spow":
        p = dynmuon_schedule(cfg)
    if p is None:
        raise ValueError(f"unknown method {method!r}")
    groups = [dict(params=hidden, algorithm="muon_p"),
              dict(params=other, algorithm="adamw", betas=(0.9, 0.95))]
    return Stepper(spow.MuonP(groups, lr=lr, p=p, weight_decay=wd,
                              adjust_lr="rms_norm"))


# ---------------------------------------------------------------- training

@torch.no_grad()
def evaluate(model, corpus, cfg):
    model.eval()
    losses = [model.loss(x, y).item() for x, y in corpus.val_batches(
        cfg["eval_batch"], cfg["context"], cfg["eval_batches"])]
    model.train()
    return sum(losses) / len(losses)


def new_model(cfg):
    return TinyGPT(vocab=fortunes_data.VOCAB, d=cfg["d"], layers=cfg["layers"],
                   heads=cfg["heads"], context=cfg["context"])


def train_step(model, opt, corpus, gen, step, total, batch, cfg):
    """One optimizer step on a batch of `corpus`: (loss, seconds in opt.step)."""
    opt.set_lr_factor(lr_factor(step, total, cfg["warmup"]))
    x, y = corpus.batch(gen, batch, cfg["context"])
    loss = model.loss(x, y)
    opt.zero_grad()
    loss.backward()
    t0 = time.perf_counter()
    opt.step()
    return loss.item(), time.perf_counter() - t0


def pretrain(cfg, english, german, path, log):
    """AdamW on the English text from seed 0; saves the weights to path."""
    torch.manual_seed(0)
    gen = torch.Generator().manual_seed(0)
    model = new_model(cfg)
    opt = Stepper(torch.optim.AdamW(model.parameters(), lr=cfg["pre_lr"],
                                    betas=(0.9, 0.95)))
    t0 = time.perf_counter()
    for step in range(cfg["pre_steps"]):
        loss, _ = train_step(model, opt, english, gen, step, cfg["pre_steps"],
                             cfg["pre_batch"], cfg)
        if step % 100 == 0:
            log(f"pretrain step {step}: train loss {loss:.3f}")
    info = dict(seconds=time.perf_counter() - t0,
                english_val=evaluate(model, english, cfg),
                german_val=evaluate(model, german, cfg))
    torch.save(dict(state=model.state_dict(), info=info), path)
    return info


_W = {}  # per-worker state: corpora and the pretrained weights


def blas_threads(n):
    """Threads for the child processes started after this call.  torch's
    GEMMs run in OpenBLAS here, which starts its own threads (one per core)
    regardless of torch.set_num_threads and reads the count only when it is
    loaded: with two workers that oversubscribes the cores, and under load a
    128 x 128 batched product measured 10x slower (8.8 ms against 0.8 ms)."""
    os.environ["OPENBLAS_NUM_THREADS"] = str(n)
    os.environ["OMP_NUM_THREADS"] = str(n)


def _pretrain_job(cfg, threads, english_dir, german_dir, path):
    torch.set_num_threads(threads)
    english = fortunes_data.ByteCorpus(english_dir)
    german = fortunes_data.ByteCorpus(german_dir)
    return pretrain(cfg, english, german, path,
                    lambda m: print(f"[{time.strftime('%H:%M:%S')}] {m}", flush=True))


def _worker_init(threads, state_path, english_dir, german_dir):
    torch.set_num_threads(threads)
    _W["english"] = fortunes_data.ByteCorpus(english_dir)
    _W["german"] = fortunes_data.ByteCorpus(german_dir)
    _W["state"] = torch.load(state_path)["state"]


def finetune(task):
    """One finetuning run: (method, lr, seed) on the German text."""
    cfg, method, lr, seed = task["cfg"], task["method"], task["lr"], task["seed"]
    german = _W["german"]
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    model = new_model(cfg)
    model.load_state_dict(_W["state"])
    opt = make_optimizer(method, model, lr, cfg)
    curve = [(0, evaluate(model, german, cfg))]
    opt_times = []
    diverged = False
    for step in range(cfg["steps"]):
        loss, seconds = train_step(model, opt, german, gen, step, cfg["steps"],
                                   cfg["batch"], cfg)
        opt_times.append(seconds)
        if not math.isfinite(loss):
            diverged = True
            break
        if (step + 1) % cfg["eval_every"] == 0 or step + 1 == cfg["steps"]:
            curve.append((step + 1, evaluate(model, german, cfg)))
    final = curve[-1][1] if not diverged else float("nan")
    return dict(key=task["key"], method=method, lr=lr, seed=seed,
                final_val=final, curve=curve, diverged=diverged,
                english_val=evaluate(model, _W["english"], cfg),
                opt_ms_median=1e3 * statistics.median(opt_times[5:] or opt_times))


def time_optimizers(cfg, methods, threads, state_path, german_dir):
    """Optimizer time per step, side by side in one process: every method
    steps through the whole schedule (DynMuon's tables change cost with p),
    the methods interleaved step by step so that they share the machine's
    load, on one fixed gradient of the German text.  Returns
    {method: mean ms per optimizer step}."""
    torch.set_num_threads(threads)
    german = fortunes_data.ByteCorpus(german_dir)
    state = torch.load(state_path)["state"]
    x, y = german.batch(torch.Generator().manual_seed(0), cfg["batch"], cfg["context"])
    runs = {}
    for m in methods:
        model = new_model(cfg)
        model.load_state_dict(state)
        model.loss(x, y).backward()
        grads = [w.grad.clone() for w in model.parameters()]
        runs[m] = (model, make_optimizer(m, model, 1e-3, cfg), grads, [])
    for _ in range(cfg["steps"]):
        for m, (model, opt, grads, times) in runs.items():
            for w, g in zip(model.parameters(), grads):
                w.grad = g.clone()
            t0 = time.perf_counter()
            opt.step()
            times.append(time.perf_counter() - t0)
    return {m: 1e3 * statistics.mean(r[3]) for m, r in runs.items()}


# ---------------------------------------------------------------- summary

def summarize(cfg, runs, pre_info, side_by_side_ms):
    by = {}
    for r in runs:
        by.setdefault(r["method"], {}).setdefault(r["lr"], []).append(r)
    summary = {"pretrain": pre_info, "methods": {}}
    for m in METHODS:
        if m not in by:
            continue
        per_lr = {}
        for lr, rs in sorted(by[m].items()):
            vals = [r["final_val"] for r in rs]
            ok = all(math.isfinite(v) for v in vals)
            per_lr[lr] = dict(mean=statistics.mean(vals) if ok else float("nan"),
                              n=len(vals), vals=vals)
        finite = [lr for lr in per_lr if math.isfinite(per_lr[lr]["mean"])]
        best = min(finite, key=lambda lr: per_lr[lr]["mean"]) if finite else None
        rs = by[m][best] if best is not None else []
        vals = [r["final_val"] for r in rs]
        summary["methods"][m] = dict(
            best_lr=best, per_lr=per_lr,
            edge=best in (min(cfg["lrs"]), max(cfg["lrs"])),
            mean=statistics.mean(vals) if vals else float("nan"),
            std=statistics.stdev(vals) if len(vals) > 1 else float("nan"),
            min=min(vals, default=float("nan")), max=max(vals, default=float("nan")),
            english_val=statistics.mean(r["english_val"] for r in rs) if rs else float("nan"),
            opt_ms_in_runs=statistics.mean(
                r["opt_ms_median"] for ms in by[m].values() for r in ms),
            opt_ms=side_by_side_ms[m],
            curve=[(s, statistics.mean(r["curve"][i][1] for r in rs))
                   for i, (s, _) in enumerate(rs[0]["curve"])] if rs else [])
    ref = summary["methods"].get("adamw", {}).get("opt_ms")
    for s in summary["methods"].values():
        s["opt_ratio"] = s["opt_ms"] / ref if ref else float("nan")
    return summary


def table_md(cfg, summary):
    n = len(cfg["seeds"])
    lines = [
        f"| optimizer | best lr | German val loss, mean ± std ({n} seeds) | range "
        f"| English val loss after | optimizer ms/step (side by side) | vs AdamW |",
        "|---|---|---|---|---|---|---|"]
    for m, s in summary["methods"].items():
        edge = " (grid edge)" if s["edge"] else ""
        lines.append(
            f"| {LABEL[m]} | {s['best_lr']:g}{edge} | {s['mean']:.4f} ± {s['std']:.4f} "
            f"| {s['min']:.4f}–{s['max']:.4f} | {s['english_val']:.4f} "
            f"| {s['opt_ms']:.2f} | {s['opt_ratio']:.2f}× |")
    lines += ["", "Mean final German validation loss at every learning rate "
              "(nan: a seed diverged):", "",
              "| optimizer | " + " | ".join(f"lr {lr:g}" for lr in cfg["lrs"]) + " |",
              "|---|" + "---|" * len(cfg["lrs"])]
    for m, s in summary["methods"].items():
        cells = [f"{s['per_lr'][lr]['mean']:.4f}" if lr in s["per_lr"] else "–"
                 for lr in cfg["lrs"]]
        lines.append(f"| {LABEL[m]} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def plot(summary, out_dir, png):
    """Mean validation-loss curves at each optimizer's best lr (gnuplot)."""
    dat = os.path.join(out_dir, "curves.dat")
    methods = list(summary["methods"])
    with open(dat, "w") as f:
        for m in methods:
            f.write(f"# {m}\n")
            for s, v in summary["methods"][m]["curve"]:
                f.write(f"{s} {v:.6f}\n")
            f.write("\n\n")
    if shutil.which("gnuplot") is None:
        print("gnuplot not found (apt-get install gnuplot-nox): no plot")
        return
    pre = summary["pretrain"]
    plots = ", ".join(
        f"'{dat}' index {i} with linespoints lw 2 pt {i + 4} "
        f"title '{LABEL[m]} (lr {summary['methods'][m]['best_lr']:g})'"
        for i, m in enumerate(methods))
    script = "\n".join([
        "set terminal pngcairo size 1000,650 enhanced font 'DejaVu Sans,11'",
        f"set output '{png}'",
        "set grid; set key top right",
        "set xlabel 'finetuning step'",
        "set ylabel 'German validation loss (nats/byte), mean over seeds'",
        "set title 'Finetuning English→German (fortunes → fortunes-de), "
        "best lr per optimizer, CPU' noenhanced",
        f"set yrange [:{pre['german_val'] + 0.05:.3f}]",
        f"plot {plots}", ""])
    subprocess.run(["gnuplot"], input=script, text=True, check=True)
    # a zoom on the second half, where the optimizers separate
    last = [v for m in methods for s, v in summary["methods"][m]["curve"][len(summary["methods"][m]["curve"]) // 2:]]
    zoom = png.replace(".png", "-zoom.png")
    steps = max(s for m in methods for s, _ in summary["methods"][m]["curve"])
    script = script.replace(f"set output '{png}'", f"set output '{zoom}'").replace(
        f"set yrange [:{pre['german_val'] + 0.05:.3f}]",
        f"set xrange [{steps // 2}:{steps}]; set yrange [{min(last) - 0.01:.3f}:{max(last) + 0.01:.3f}]")
    subprocess.run(["gnuplot"], input=script, text=True, check=True)


# ---------------------------------------------------------------- main

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True, help="output directory")
    ap.add_argument("--png", help="plot file (default OUT/finetuning-val-loss.png)")
    ap.add_argument("--workers", type=int, default=2,
                    help="finetuning runs in parallel (default 2, one per core)")
    ap.add_argument("--threads", type=int, default=1,
                    help="torch threads per worker (default 1)")
    ap.add_argument("--quick", action="store_true",
                    help="tiny settings to try the script; numbers mean nothing")
    ap.add_argument("--methods", default=",".join(METHODS),
                    help="comma-separated subset of " + ",".join(METHODS))
    ap.add_argument("--pretrain-dir", default=fortunes_data.ENGLISH_DIR,
                    help="fortune files to pretrain on (default: package fortunes)")
    ap.add_argument("--finetune-dir", default=fortunes_data.GERMAN_DIR,
                    help="fortune files to finetune on (default: package fortunes-de)")
    args = ap.parse_args(argv)
    if args.workers < 1 or args.threads < 1:
        ap.error("--workers and --threads must be at least 1")
    methods = [m for m in args.methods.split(",") if m]
    bad = [m for m in methods if m not in METHODS]
    if bad:
        ap.error(f"unknown method(s) {bad}; choose from {METHODS}")
    cfg = QUICK if args.quick else FULL
    os.makedirs(args.out, exist_ok=True)
    png = args.png or os.path.join(args.out, "finetuning-val-loss.png")
    tag = hashlib.sha1(json.dumps([cfg, os.path.abspath(args.pretrain_dir),
                                   os.path.abspath(args.finetune_dir)],
                                  sort_keys=True).encode()).hexdigest()[:12]

    def log(msg):
        print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)

    t_start = time.perf_counter()
    load_start = os.getloadavg()
    english = fortunes_data.ByteCorpus(args.pretrain_dir)
    german = fortunes_data.ByteCorpus(args.finetune_dir)
    log(f"data: English {len(english.train)}+{len(english.val)} bytes "
        f"(train+val), German {len(german.train)}+{len(german.val)}")
    state_path = os.path.join(args.out, f"pretrained-{tag}.pt")
    ctx = mp.get_context("spawn")
    if os.path.exists(state_path):
        pre_info = torch.load(state_path)["info"]
        log(f"pretrained weights reused from {state_path}")
    else:
        # one process using every core the workers will use
        n = args.workers * args.threads
        blas_threads(n)
        with ctx.Pool(1) as pool:
            pre_info = pool.apply(_pretrain_job, (cfg, n, args.pretrain_dir,
                                                  args.finetune_dir, state_path))
    log(f"pretrained: English val {pre_info['english_val']:.4f}, "
        f"German val {pre_info['german_val']:.4f} ({pre_info['seconds']:.0f} s)")

    runs_path = os.path.join(args.out, "runs.jsonl")
    done = {}
    if os.path.exists(runs_path):
        with open(runs_path) as f:
            for line in f:
                r = json.loads(line)
                done[r["key"]] = r
    # interleave methods so that each sees the same machine load
    tasks = [dict(cfg=cfg, method=m, lr=lr, seed=s, key=f"{tag}/{m}/{lr:g}/{s}")
             for s in cfg["seeds"] for lr in cfg["lrs"] for m in methods]
    todo = [t for t in tasks if t["key"] not in done]
    log(f"{len(tasks)} finetuning runs, {len(todo)} to do, "
        f"{args.workers} worker(s) x {args.threads} thread(s)")
    blas_threads(args.threads)
    with ctx.Pool(args.workers, _worker_init,
                      (args.threads, state_path, args.pretrain_dir, args.finetune_dir)) as pool, \
            open(runs_path, "a") as f:
        for i, r in enumerate(pool.imap_unordered(finetune, todo), 1):
            f.write(json.dumps(r) + "\n")
            f.flush()
            done[r["key"]] = r
            log(f"[{i}/{len(todo)}] {r['method']} lr {r['lr']:g} seed {r['seed']}: "
                f"final {r['final_val']:.4f}, opt {r['opt_ms_median']:.2f} ms/step")
    runs = [done[t["key"]] for t in tasks]
    log(f"timing the optimizers side by side ({cfg['steps']} steps each, 1 process)")
    blas_threads(args.threads)
    with ctx.Pool(1) as pool:
        side_ms = pool.apply(time_optimizers, (cfg, methods, args.threads, state_path,
                                              args.finetune_dir))
    summary = summarize(cfg, runs, pre_info, side_ms)
    summary["config"] = cfg
    summary["machine"] = dict(
        torch=torch.__version__, cpus=os.cpu_count(), workers=args.workers,
        threads_per_worker=args.threads, loadavg_at_start=load_start,
        loadavg_at_end=os.getloadavg())
    summary["seconds_total_this_invocation"] = time.perf_counter() - t_start
    with open(os.path.join(args.out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=1)
    table = table_md(cfg, summary)
    with open(os.path.join(args.out, "table.md"), "w") as f:
        f.write(table)
    plot(summary, args.out, png)
    print(table)
    log(f"done in {summary['seconds_total_this_invocation']:.0f} s; plot {png}")
    return summary


if __name__ == "__main__":
    main()
