# Generated from dlcourse/plot.py by `python -m grader build`; do not edit.
# Student copy for c1w2a2: functions of this and later assignments are yours to write.
"""Plots shared by the notebooks: cost curves, decision boundaries, image grids."""

import matplotlib.pyplot as plt
import numpy as np


def cost_curve(costs, every=1, title="Cost during training", ax=None, label=None):
    """Plot recorded costs against the iteration at which each was taken.

    costs: sequence of floats, one per ``every`` iterations
    """
    ax = ax or plt.subplots(figsize=(6, 3.5))[1]
    ax.plot(np.arange(len(costs)) * every, costs, label=label)
    ax.set_xlabel("iteration")
    ax.set_ylabel("cost")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    if label:
        ax.legend()
    return ax


def decision_boundary(predict, X, Y, title="", ax=None, resolution=300):
    """Shade the region each class is predicted in and scatter the data on top.

    predict: function mapping (2, k) points to (1, k) labels in {0, 1}
    X: (2, m) points; Y: (1, m) labels
    """
    ax = ax or plt.subplots(figsize=(5, 4))[1]
    pad = 0.5
    x_min, x_max = X[0].min() - pad, X[0].max() + pad
    y_min, y_max = X[1].min() - pad, X[1].max() + pad
    xx, yy = np.meshgrid(np.linspace(x_min, x_max, resolution),
                         np.linspace(y_min, y_max, resolution))
    grid = np.stack([xx.ravel(), yy.ravel()])  # (2, resolution ** 2)
    labels = np.asarray(predict(grid)).reshape(xx.shape)  # (resolution, resolution)
    ax.contourf(xx, yy, labels, levels=[-0.5, 0.5, 1.5], colors=["#f4b6b6", "#b6c8f4"],
                alpha=0.8)
    ax.scatter(X[0], X[1], c=np.ravel(Y), cmap=plt.cm.coolwarm_r, s=12, edgecolors="k",
               linewidths=0.3)
    ax.set_title(title)
    ax.set_xlim(x_min, x_max)
    ax.set_ylim(y_min, y_max)
    return ax


def image_grid(images, titles=None, columns=8, size=1.6, title_colors=None):
    """Show images in a grid with a title under each.

    images: (k, n_H, n_W, 3) uint8 or floats in [0, 1]
    titles: k strings; title_colors: k matplotlib colours (e.g. red for mistakes)
    """
    k = len(images)
    rows = int(np.ceil(k / columns))
    fig, axes = plt.subplots(rows, columns, figsize=(columns * size, rows * (size + 0.3)),
                             squeeze=False)
    for i, ax in enumerate(axes.ravel()):
        ax.axis("off")
        if i < k:
            ax.imshow(images[i])
            if titles is not None:
                color = title_colors[i] if title_colors is not None else "black"
                ax.set_title(titles[i], fontsize=8, color=color)
    fig.tight_layout()
    return fig


def progress_bar(iterable, show=True, desc="training"):
    """Wrap a training loop in a tqdm progress bar (a no-op when ``show`` is False)."""
    from tqdm import tqdm

    return tqdm(iterable, desc=desc, disable=not show, ncols=80, mininterval=0.5)
