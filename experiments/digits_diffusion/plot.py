#!/usr/bin/python3
"""Digits from a diffusion model, each beside its nearest training digit (the memorisation detector).

usage: /usr/bin/python3 experiments/digits_diffusion/plot.py results/digits_diffusion.h5
       /usr/bin/python3 experiments/digits_diffusion/plot.py results/digits_diffusion_conditional.h5

Reads the sampling run (diffusion.sample, score = empirical and learned) and the training run it points to
(`weights`, a diffusion.train results file whose `data` holds the whole training set). Writes <stem>_learned.png
and <stem>_empirical.png (generated digit | nearest training digit, with the distances d1, d2) and
<stem>_distances.png (d1 against the training set's own spacing; d2 against d1), and prints the fraction of
copies: generated digits with d1 < d2 / 3.

A conditional run (diffusion.sample with `condition` swept over the digits; its training run stores
`training_data` and `training_labels`) gives <stem>_classes.png: per digit class, generated digits each beside
its nearest training digit, and the fraction whose nearest training digit carries the asked-for label.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import numpy as np  # noqa: E402
from spindiff_plot import load_run, plt, save  # noqa: E402
from spindiff_results import load  # noqa: E402

COPY_RATIO = 1.0 / 3.0  # a copy: the nearest training digit is three times closer than the second-nearest


def pairwise(a, b):
    d2 = (a * a).sum(1)[:, None] + (b * b).sum(1)[None, :] - 2.0 * a @ b.T
    return np.sqrt(np.maximum(d2, 0.0))


def training_set(run, task):
    weights = str(task.attrs.get("weights", ""))
    candidates = [weights, os.path.join(os.path.dirname(str(run.attrs.get("config_file", ""))), weights),
                  os.path.join(os.path.dirname(os.path.abspath(run.path)), os.path.basename(weights))]
    path = next((c for c in candidates if os.path.isfile(c)), None)
    if path is None:
        raise SystemExit(f"training run {weights!r} not found (run prepare.sh first)")
    train = load(path)
    data = train.tasks[0]["data"]
    if len(data) != int(train.tasks[0].attrs["n_train"]):
        raise SystemExit(f"{path}: data does not hold the whole training set (set n_samples >= n_train)")
    return train, data


def grid(samples, train, title, out, count=40, per_row=8):
    d = pairwise(samples[:count], train)
    order = np.argsort(d, axis=1)
    rows = (count + per_row - 1) // per_row
    fig, axes = plt.subplots(rows, 2 * per_row, figsize=(2 * per_row * 0.8, rows * 1.3))
    for i in range(rows * per_row):
        a_gen, a_near = axes[i // per_row, 2 * (i % per_row)], axes[i // per_row, 2 * (i % per_row) + 1]
        a_gen.axis("off")
        a_near.axis("off")
        if i >= count:
            continue
        j1, j2 = order[i, 0], order[i, 1]
        copy = d[i, j1] < COPY_RATIO * d[i, j2]
        a_gen.imshow(samples[i].reshape(8, 8), cmap="gray_r", vmin=-1, vmax=1)
        a_near.imshow(train[j1].reshape(8, 8), cmap="Blues", vmin=-1.5, vmax=1)
        a_gen.set_title("copy" if copy else "new", fontsize=6, pad=2, color="tab:red" if copy else "k")
        a_near.set_title(f"d1={d[i, j1]:.1f}\nd2={d[i, j2]:.1f}", fontsize=5.5, pad=2)
    fig.suptitle(title, fontsize=8)
    fig.tight_layout(rect=(0, 0, 1, 0.93), h_pad=0.5, w_pad=0.2)
    fig.savefig(out, dpi=110)
    plt.close(fig)
    print(out)


def conditional(run):
    """Per digit class: generated digits beside their nearest training digits; label agreement and copies."""
    task0 = run.tasks[0]
    weights = str(task0.attrs.get("weights", ""))
    candidates = [weights, os.path.join(os.path.dirname(os.path.abspath(run.path)), os.path.basename(weights))]
    path = next((c for c in candidates if os.path.isfile(c)), None)
    if path is None:
        raise SystemExit(f"training run {weights!r} not found (run prepare.sh first)")
    train_task = load(path).tasks[0]
    train, labels = train_task["training_data"], train_task["training_labels"][:, 0]
    tasks = sorted(run.tasks, key=lambda t: int(t.attrs["condition"]))
    per_class = 6
    fig, axes = plt.subplots(len(tasks), 2 * per_class, figsize=(2 * per_class * 0.7, len(tasks) * 0.85))
    for row, task in enumerate(tasks):
        digit = int(task.attrs["condition"])
        samples = task["samples"]
        d = pairwise(samples, train)
        order = np.argsort(d, axis=1)
        agree = (labels[order[:, 0]] == digit).mean()
        copies = (d[np.arange(len(d)), order[:, 0]] < COPY_RATIO * d[np.arange(len(d)), order[:, 1]]).mean()
        print(f"digit {digit}: nearest training digit has the label in {agree:.2f} of {len(samples)}, "
              f"copies {copies:.2f}, median d1 {np.median(d[np.arange(len(d)), order[:, 0]]):.2f}")
        for k in range(per_class):
            a_gen, a_near = axes[row, 2 * k], axes[row, 2 * k + 1]
            a_gen.axis("off")
            a_near.axis("off")
            a_gen.imshow(samples[k].reshape(8, 8), cmap="gray_r", vmin=-1, vmax=1)
            j = order[k, 0]
            a_near.imshow(train[j].reshape(8, 8), cmap="Blues", vmin=-1.5, vmax=1)
            a_near.set_title(f"{labels[j]} d={d[k, j]:.1f}", fontsize=5, pad=1,
                             color="k" if labels[j] == digit else "tab:red")
        axes[row, 0].set_title(f"asked {digit}: label agrees {agree:.0%}", fontsize=5.5, pad=1, loc="left")
    fig.suptitle("one conditional score, guidance w = 1: generated digit | nearest training digit (blue, its label)",
                 fontsize=7)
    fig.tight_layout(rect=(0, 0, 1, 0.96), h_pad=0.3, w_pad=0.1)
    save(fig, run, "classes", dpi=110)


def main():
    run = load_run()
    if any("condition" in t.attrs and str(t.attrs["condition"]) != "" for t in run.tasks):
        conditional(run)
        return
    by_score = {str(t.attrs["score"]): t for t in run.tasks}
    _, train = training_set(run, by_score.get("learned", run.tasks[0]))
    dt = pairwise(train, train)
    np.fill_diagonal(dt, np.inf)
    loo = dt.min(axis=1)
    spacing = np.median(loo)
    fig, ax = plt.subplots(1, 2, figsize=(11, 3.8))
    bins = np.linspace(0, 2.5 * spacing, 50)
    ax[0].hist(loo, bins=bins, histtype="step", color="k", lw=1.5, density=True,
               label=f"training digit to nearest other (median {spacing:.2f})")
    colours = {"learned": "tab:red", "empirical": "tab:blue"}
    names = {"learned": "learned score (MLP)", "empirical": "empirical score (exact for the training set)"}
    for score, task in by_score.items():
        samples = task["samples"]
        d = np.sort(pairwise(samples, train), axis=1)
        copy = d[:, 0] < COPY_RATIO * d[:, 1]
        print(f"{score}: copies {copy.mean():.2f} ({copy.sum()} of {len(copy)}), median d1 {np.median(d[:, 0]):.2f}, "
              f"median d2 {np.median(d[:, 1]):.2f}, training spacing {spacing:.2f}, mmd {task.attrs.get('mmd', '')}")
        if "nearest_training_distances" in task:  # the kind's own detector agrees: same training set
            np.testing.assert_allclose(task["nearest_training_distances"], d[:, :2], rtol=1e-6, atol=1e-6)
        ax[0].hist(np.clip(d[:, 0], 0, bins[-1]), bins=bins, histtype="stepfilled", alpha=0.45, density=True,
                   color=colours.get(score), label=f"{names.get(score, score)}: median {np.median(d[:, 0]):.2f}")
        ax[1].scatter(d[:, 0], d[:, 1], s=6, alpha=0.6, color=colours.get(score), label=names.get(score, score))
        grid(samples, train,
             f"{names.get(score, score)}: generated digit | nearest of {len(train)} training digits (blue); "
             f"copies (red): d1 < d2/3 — {copy.mean():.0%} of {len(copy)}; training digits lie {spacing:.1f} apart",
             run.figure_path(score))
    ax[0].set_xlabel("distance to the nearest training digit")
    ax[0].set_ylabel("density")
    ax[0].legend(fontsize=7)
    ax[0].set_title("memorisation detector")
    top = ax[1].get_xlim()[1]
    ax[1].plot([0, top], [0, top], color="0.5", lw=0.8, ls="--")
    ax[1].plot([0, top / 3], [0, top], color="tab:red", lw=0.8, ls=":", label="d2 = 3 d1 (copy threshold)")
    ax[1].set_xlabel("nearest training distance $d_1$")
    ax[1].set_ylabel("second-nearest $d_2$")
    ax[1].legend(fontsize=7)
    save(fig, run, "distances", dpi=110)


if __name__ == "__main__":
    main()
