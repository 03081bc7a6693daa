#!/usr/bin/python3
"""Letters from a diffusion model, each beside its nearest training image (the memorisation detector).

usage: /usr/bin/python3 experiments/letters_diffusion/plot.py results/letters_diffusion.h5

Reads the sampling run (diffusion.sample, score = empirical and learned) and the training run it points to
(`weights`, a diffusion.train results file whose `data` holds the whole training set). Writes
<stem>_learned.png and <stem>_empirical.png (grids: generated | nearest training image | distances) and
<stem>_distances.png (nearest-training-image distances against the training set's own spacing), and prints the
fraction of clean letters (criterion at LetterQuality) for the training images and each score, and the fraction
of copies (generated images that, rounded to +-1, are training images).
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import numpy as np  # noqa: E402
from spindiff_plot import load_run, plt, save  # noqa: E402
from spindiff_results import load  # noqa: E402


def pairwise(a, b):
    d2 = (a * a).sum(1)[:, None] + (b * b).sum(1)[None, :] - 2.0 * a @ b.T
    return np.sqrt(np.maximum(d2, 0.0))


# A generated image counts as a clean letter when it is nearly saturated (at least 90 % of its pixels have
# |x| >= 0.5: no grey blend, little pixel noise) and it is recognisably one letter: its correlation with the best
# clean glyph and its margin over the second-best glyph both reach the 5th percentile of the training images'.
SATURATION_PIXEL, SATURATION_FRACTION, TRAINING_QUANTILE = 0.5, 0.9, 0.05


def correlation(x, templates):
    """Pearson correlation of every image (row of x) with every clean glyph (row of templates)."""
    xc = x - x.mean(1, keepdims=True)
    tc = templates - templates.mean(1, keepdims=True)
    return (xc @ tc.T) / np.outer(np.linalg.norm(xc, axis=1), np.linalg.norm(tc, axis=1))


class LetterQuality:
    """The clean-letter criterion above, its thresholds calibrated on the training images."""

    def __init__(self, templates, train):
        self.templates = templates
        _, best, margin, _ = self.features(train)
        self.best_min = np.quantile(best, TRAINING_QUANTILE)
        self.margin_min = np.quantile(margin, TRAINING_QUANTILE)

    def features(self, x):
        c = correlation(x, self.templates)
        order = np.sort(c, axis=1)
        saturation = (np.abs(x) >= SATURATION_PIXEL).mean(axis=1)
        return saturation, order[:, -1], order[:, -1] - order[:, -2], np.argmax(c, axis=1)

    def clean(self, x):
        saturation, best, margin, letter = self.features(x)
        ok = (saturation >= SATURATION_FRACTION) & (best >= self.best_min) & (margin >= self.margin_min)
        return ok, saturation, letter


def letter_templates(train_task, train):
    """The undistorted glyphs stored by diffusion.train; for older files the sign of each letter's mean image."""
    if "letter_templates" in train_task:
        return np.asarray(train_task["letter_templates"], dtype=float)
    k = len(str(train_task.attrs["letters.alphabet"]))
    labels = np.arange(len(train)) % k
    return np.array([np.sign(train[labels == c].mean(axis=0)) for c in range(k)])


def training_set(run, task):
    """The training images: `data` of the diffusion.train file named by the `weights` parameter."""
    weights = str(task.attrs.get("weights", ""))
    # Relative to the config file (as the runner resolved it), else beside this results file.
    candidates = [weights, os.path.join(os.path.dirname(str(run.attrs.get("config_file", ""))), weights),
                  os.path.join(os.path.dirname(os.path.abspath(run.path)), os.path.basename(weights))]
    path = next((c for c in candidates if os.path.isfile(c)), None)
    if path is None:
        raise SystemExit(f"training run {weights!r} not found (run prepare.sh first)")
    train = load(path)
    data = train.tasks[0]["data"]
    n_train = int(train.tasks[0].attrs["n_train"])
    if len(data) != n_train:
        raise SystemExit(f"{path}: data holds {len(data)} of {n_train} training images (set n_samples >= n_train)")
    return train, data


def grid(samples, train, quality, alphabet, title, out, count=40, per_row=5):
    d = pairwise(samples[:count], train)
    clean, _, letter = quality.clean(samples[:count])
    order = np.argsort(d, axis=1)
    rows = (count + per_row - 1) // per_row
    R = int(round(np.sqrt(train.shape[1])))
    fig, axes = plt.subplots(rows, 2 * per_row, figsize=(2 * per_row * 1.05, rows * 1.25))
    for i in range(rows * per_row):
        a_gen, a_near = axes[i // per_row, 2 * (i % per_row)], axes[i // per_row, 2 * (i % per_row) + 1]
        a_gen.axis("off")
        a_near.axis("off")
        if i >= count:
            continue
        j1, j2 = order[i, 0], order[i, 1]
        a_gen.imshow(samples[i].reshape(R, R), cmap="gray_r", vmin=-1, vmax=1)
        a_near.imshow(train[j1].reshape(R, R), cmap="Blues", vmin=-1.5, vmax=1)
        a_gen.set_title(f"{alphabet[letter[i]]}: clean" if clean[i] else "not clean", fontsize=6, pad=2,
                        color="k" if clean[i] else "tab:red")
        a_near.set_title(f"nearest: d={d[i, j1]:.1f}\n2nd: {d[i, j2]:.1f}", fontsize=6, pad=2)
    fig.suptitle(title, fontsize=9)
    fig.tight_layout(rect=(0, 0, 1, 0.95), h_pad=0.6, w_pad=0.2)
    fig.savefig(out, dpi=110)
    plt.close(fig)
    print(out)


def main():
    run = load_run()
    by_score = {str(t.attrs["score"]): t for t in run.tasks}
    train_run, train = training_set(run, by_score.get("learned", run.tasks[0]))
    alphabet = str(train_run.tasks[0].attrs["letters.alphabet"])
    quality = LetterQuality(letter_templates(train_run.tasks[0], train), train)
    train_clean, _, _ = quality.clean(train)
    print(f"clean letters: training images {train_clean.mean():.2f} (thresholds: saturation >= "
          f"{SATURATION_FRACTION}, best glyph correlation >= {quality.best_min:.3f}, margin >= "
          f"{quality.margin_min:.3f})")
    # The training set's own spacing: each image's distance to its nearest other training image.
    dt = pairwise(train, train)
    np.fill_diagonal(dt, np.inf)
    loo = dt.min(axis=1)
    spacing = np.median(loo)

    fig, ax = plt.subplots(1, 2, figsize=(11, 3.8))
    bins = np.linspace(0, max(2.0 * spacing, 1.0) * 1.5, 50)
    ax[0].hist(loo, bins=bins, histtype="step", color="k", lw=1.5, density=True,
               label=f"training image to nearest other (median {spacing:.1f})")
    colours = {"learned": "tab:red", "empirical": "tab:blue"}
    for score, task in by_score.items():
        samples = task["samples"]
        d = np.sort(pairwise(samples, train), axis=1)
        clean, saturation, _ = quality.clean(samples)
        # A copy: rounded to +-1 pixels, the image is one of the training images.
        copy = pairwise(np.sign(samples), train).min(axis=1) < 0.5
        print(f"{score}: clean letters {clean.mean():.2f} ({clean.sum()} of {len(clean)}), median saturation "
              f"{np.median(saturation):.2f}, median d1 {np.median(d[:, 0]):.2f}, median d2 {np.median(d[:, 1]):.2f}, "
              f"training spacing {spacing:.2f}, copies {copy.mean():.2f}, clean and new {(clean & ~copy).mean():.2f}")
        if "nearest_training_distances" in task:  # the kind's own detector agrees: same training set
            np.testing.assert_allclose(task["nearest_training_distances"], d[:, :2], rtol=1e-6, atol=1e-6)
        names = {"learned": "learned score (MLP)", "empirical": "empirical score (exact for the training set)"}
        ax[0].hist(np.clip(d[:, 0], 0, bins[-1]), bins=bins, histtype="stepfilled", alpha=0.45, density=True,
                   color=colours.get(score), label=f"{names.get(score, score)}: median {np.median(d[:, 0]):.1f}")
        ax[1].scatter(d[:, 0], d[:, 1], s=6, alpha=0.6, color=colours.get(score), label=names.get(score, score))
        grid(samples, train, quality, alphabet,
             f"{names.get(score, score)}, sampler {task.attrs['sampler']}: generated letter | nearest of "
             f"{len(train)} training images (blue)\nd = Euclidean distance in [-1, 1]^{train.shape[1]}; "
             f"training images lie {spacing:.1f} apart (median); clean letters: {clean.sum()} of {len(clean)} "
             f"({train_clean.mean():.0%} of training images)",
             run.figure_path(score))
    ax[0].set_xlabel("distance to the nearest training image")
    ax[0].set_ylabel("density")
    ax[0].legend(fontsize=7)
    ax[0].set_title("memorisation detector")
    top = ax[1].get_xlim()[1]
    ax[1].plot([0, top], [0, top], color="0.5", lw=0.8, ls="--")
    ax[1].set_xlabel("nearest training distance $d_1$")
    ax[1].set_ylabel("second-nearest $d_2$")
    ax[1].set_title("copies: $d_1 \\ll d_2$; new images: $d_1 \\approx d_2$")
    ax[1].legend(fontsize=7)
    save(fig, run, "distances", dpi=110)

    # The training run's loss curve, for completeness.
    loss = np.atleast_2d(train_run.tasks[0]["loss"])[0]
    w = max(1, len(loss) // 100)
    fig, axl = plt.subplots(figsize=(5, 3.2))
    axl.plot(np.arange(w, len(loss) + 1), np.convolve(loss, np.ones(w) / w, mode="valid"), color="k")
    axl.set_xscale("log")
    axl.set_xlabel("Adam step")
    axl.set_ylabel(f"DSM loss (mean of {w} steps)")
    save(fig, run, "loss", dpi=110)


if __name__ == "__main__":
    main()
