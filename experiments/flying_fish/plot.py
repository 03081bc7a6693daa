#!/usr/bin/python3
"""The flying fish: figures of the guidance and composition runs with exact scores, and of the letters half
(diffusion.attributes runs: the letter x style grid with the held-out cell framed, and joint accuracy against
training steps).

usage: /usr/bin/python3 experiments/flying_fish/plot.py results/flying_fish.h5           (diffusion.guidance)
       /usr/bin/python3 experiments/flying_fish/plot.py results/flying_fish_compose.h5   (diffusion.compose)
       /usr/bin/python3 experiments/flying_fish/plot.py results/flying_fish_letters.h5   (diffusion.attributes)
       /usr/bin/python3 experiments/flying_fish/plot.py results/flying_fish_steps.h5     (weights_step swept)
       /usr/bin/python3 experiments/flying_fish/plot.py results/flying_fish_steps_wide.h5
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import numpy as np  # noqa: E402
from spindiff_plot import load_run, plt, save  # noqa: E402


def guidance(run):
    """Samples against the tilted law per guidance weight (one row per sampler), and accuracy against w."""
    samplers = sorted({t.attrs["sampler"] for t in run.tasks})
    weights = sorted({float(t.attrs["guidance"]) for t in run.tasks})
    fig, axes = plt.subplots(len(samplers), len(weights), figsize=(3.2 * len(weights), 3.0 * len(samplers)),
                             squeeze=False, sharex=True)
    for task in run.tasks:
        row, col = samplers.index(task.attrs["sampler"]), weights.index(float(task.attrs["guidance"]))
        ax = axes[row][col]
        x = task["samples"]
        ax.hist(x, bins=80, range=(-3, 7), density=True, color="tab:red", alpha=0.5, label="guided samples")
        ax.plot(task["tilted_grid"], task["tilted_density"], "k", lw=1.2, label="tilted law")
        ax.axvline(np.mean(task["sample_mean"]), color="tab:red", lw=0.8)
        ax.axvline(task.attrs["tilted_mean"], color="k", lw=0.8, ls="--")
        ax.set_xlim(-3, 7)
        ax.set_title(f"{task.attrs['sampler']}, w = {task.attrs['guidance']:g}", fontsize=9)
        if row == 0 and col == 0:
            ax.legend(fontsize=7)
    save(fig, run, "samples")

    fig, ax = plt.subplots(1, 2, figsize=(10, 4))
    for sampler in samplers:
        idx = [i for i, t in enumerate(run.tasks) if t.attrs["sampler"] == sampler]
        w = np.array([float(run.tasks[i].attrs["guidance"]) for i in idx])
        for a, name in ((ax[0], "class_accuracy"), (ax[1], "tilted_tv")):
            a.errorbar(w, run.column(name)[idx], run.column(name + "_err")[idx], marker="o", capsize=3, label=sampler)
        ax[1].errorbar(w, run.column("tilted_tv_null")[idx], run.column("tilted_tv_null_err")[idx], color="0.5",
                       ls=":", marker=".", label="null (exact draws)" if sampler == samplers[0] else None)
    ax[0].set_ylabel("class accuracy (Bayes classifier)")
    ax[1].set_ylabel("TV distance to the tilted law")
    for a in ax:
        a.set_xlabel("guidance weight w")
        a.legend(fontsize=8)
    save(fig, run, "accuracy")


def compose(run):
    """Samples of the summed scores with each corrector, beside exact samples of the product."""
    fig, axes = plt.subplots(1, len(run.tasks) + 1, figsize=(3.6 * (len(run.tasks) + 1), 3.8))
    exact = run.tasks[0]["product_samples"]
    panels = [(exact, "exact product p_A p_B", "k")]
    for task in run.tasks:
        panels.append((task["samples"], f"summed scores, corrector = {task.attrs['corrector']}", "tab:red"))
    mmd, err = run.column("product_mmd"), run.column("product_mmd_err")
    null, null_err = run.column("product_mmd_null"), run.column("product_mmd_null_err")
    for k, (ax, (pts, title, colour)) in enumerate(zip(axes, panels)):
        ax.scatter(pts[:, 0], pts[:, 1], s=1.5, alpha=0.4, color=colour)
        if k > 0:
            title += f"\nMMD² = {mmd[k - 1]:.1e} ± {err[k - 1]:.0e} (null {null[k - 1]:.0e})"
        ax.set_title(title, fontsize=8)
        ax.set_xlim(-3.5, 3.5)
        ax.set_ylim(-3.5, 3.5)
        ax.set_aspect("equal")
    save(fig, run, "samples")


def montage(images, columns):
    """Square images (rows of R*R pixels in [-1, 1]) tiled `columns` wide, ink dark."""
    r = int(round(np.sqrt(images.shape[1])))
    rows = int(np.ceil(len(images) / columns))
    canvas = np.ones((rows * (r + 1), columns * (r + 1)))
    for k, img in enumerate(images):
        i, j = divmod(k, columns)
        canvas[i * (r + 1):i * (r + 1) + r, j * (r + 1):j * (r + 1) + r] = (1 - np.clip(img.reshape(r, r), -1, 1)) / 2
    return canvas


def split(condition):
    letter, style = condition.split(":")
    return letter, style


def letters_grid(run):
    """Letter x style grid of joint-conditioned samples (no corrector), the held-out cell framed; then the held-out
    cell by every mode and corrector, each beside its nearest training images."""
    cells = [t for t in run.tasks if t.attrs["mode"] == "joint" and t.attrs["corrector"] == "none"]
    letters = sorted({split(t.attrs["condition"])[0] for t in cells})
    styles = ["upright", "italic"]
    holdout = cells[0].attrs.get("holdout", "")
    joint, joint_err = run.column("joint_accuracy"), run.column("joint_accuracy_err")
    index = {t.name: i for i, t in enumerate(run.tasks)}
    fig, axes = plt.subplots(len(letters), 2, figsize=(6.4, 3.0 * len(letters)), squeeze=False)
    for t in cells:
        letter, style = split(t.attrs["condition"])
        ax = axes[letters.index(letter)][styles.index(style)]
        ax.imshow(montage(t["samples"][:16], 4), cmap="gray", vmin=0, vmax=1)
        k = index[t.name]
        held = t.attrs["condition"] == holdout
        ax.set_title(f"{letter}, {style}{' (held out)' if held else ''}\njoint accuracy "
                     f"{joint[k]:.2f} ± {joint_err[k]:.2f}", fontsize=9, color="tab:red" if held else "k")
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_visible(held)
            spine.set_color("tab:red")
            spine.set_linewidth(3)
    fig.suptitle("one conditional score, joint conditioning s(x | letter, style)", fontsize=10)
    save(fig, run, "grid")

    held = [t for t in run.tasks if t.attrs["condition"] == holdout]
    fig, axes = plt.subplots(2, len(held), figsize=(3.2 * len(held), 6.4), squeeze=False)
    for j, t in enumerate(held):
        k = index[t.name]
        axes[0][j].imshow(montage(t["samples"][:16], 4), cmap="gray", vmin=0, vmax=1)
        axes[0][j].set_title(f"{t.attrs['mode']}, corrector {t.attrs['corrector']}\nletter "
                             f"{run.column('letter_accuracy')[k]:.2f}, style {run.column('style_accuracy')[k]:.2f}, "
                             f"joint {joint[k]:.2f}", fontsize=8)
        if "nearest_training" in t:
            axes[1][j].imshow(montage(t["nearest_training"][:16], 4), cmap="Blues_r", vmin=0, vmax=1)
            axes[1][j].set_title("nearest training images", fontsize=8)
        for a in axes[:, j]:
            a.set_xticks([])
            a.set_yticks([])
    fig.suptitle(f"the held-out {holdout}: joint conditioning and composition", fontsize=10)
    save(fig, run, "heldout")


def emergence(run):
    """Joint accuracy against training steps per condition, one panel per mode (joint conditioning, composition);
    for the held-out cell also letter x style accuracy."""
    steps = np.array([float(t.attrs["weights_step"]) for t in run.tasks])
    conditions = sorted({t.attrs["condition"] for t in run.tasks})
    modes = [m for m in ("joint", "compose") if any(t.attrs["mode"] == m for t in run.tasks)]
    holdout = run.tasks[0].attrs.get("holdout", "")
    joint, joint_err = run.column("joint_accuracy"), run.column("joint_accuracy_err")
    letter, style = run.column("letter_accuracy"), run.column("style_accuracy")
    title = {"joint": "joint conditioning s(x | letter, style)",
             "compose": "composition s(x | letter) + s(x | style) − s(x)"}
    fig, axes = plt.subplots(1, len(modes), figsize=(6.5 * len(modes), 4.2), squeeze=False)
    for ax, mode in zip(axes[0], modes):
        for c in conditions:
            idx = [i for i, t in enumerate(run.tasks) if t.attrs["condition"] == c and t.attrs["mode"] == mode]
            idx.sort(key=lambda i: steps[i])
            held = c == holdout
            ax.errorbar(steps[idx], joint[idx], joint_err[idx], marker="o", capsize=3, lw=2 if held else 1,
                        color="tab:red" if held else None, label=f"{c}{' (held out)' if held else ''}")
            if held:
                ax.plot(steps[idx], letter[idx] * style[idx], "--", color="tab:red", lw=1,
                        label="held out: letter acc. × style acc.")
        ax.set_xscale("log")
        ax.set_xlabel("training steps")
        ax.set_ylabel("joint accuracy (both attributes right)")
        ax.set_ylim(-0.02, 1.02)
        ax.set_title(title[mode], fontsize=10)
        ax.legend(fontsize=8)
    save(fig, run, "emergence")


def main():
    run = load_run()
    kind = run.attrs.get("kind")
    if kind == "diffusion.guidance":
        guidance(run)
    elif kind == "diffusion.compose":
        compose(run)
    elif kind == "diffusion.attributes":
        if len({t.attrs["weights_step"] for t in run.tasks}) > 1:
            emergence(run)
        else:
            letters_grid(run)
    else:
        sys.exit(f"{run.path}: expected a diffusion.guidance, diffusion.compose or diffusion.attributes run, not {kind}")


if __name__ == "__main__":
    main()
