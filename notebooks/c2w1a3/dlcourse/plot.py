# Generated from dlcourse/plot.py by `python -m grader build`; do not edit.
# Student copy for c2w1a3: functions of this and later assignments are yours to write.
"""Plots shared by the notebooks: cost curves, decision boundaries, image grids.

Also the bookkeeping of training loops that feeds the cost curves: a progress bar and
CostLog, which records (and prints) the cost every so many iterations.
"""

import matplotlib.pyplot as plt
import numpy as np


def cost_curve(costs, every=1, title="Cost during training", ax=None, label=None,
               unit="iteration"):
    """Plot recorded costs against the iteration (or epoch) at which each was taken.

    costs: sequence of floats, one per ``every`` iterations; unit: the x-axis label
    """
    ax = ax or plt.subplots(figsize=(6, 3.5))[1]
    ax.plot(np.arange(len(costs)) * every, costs, label=label)
    ax.set_xlabel(unit)
    ax.set_ylabel("cost")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    if label:
        ax.legend()
    return ax


def decision_boundary(predict, X, Y, title="", ax=None, resolution=300, axis=1):
    """Shade the region each class is predicted in and scatter the data on top.

    predict: function mapping k points to k labels in {0, 1}, laid out like X: (2, k) to
    (1, k) for the default axis=1, (k, 2) to (k, 1) (or (k,)) for axis=0
    X: (2, m) points; Y: (1, m) labels (examples as columns); with axis=0, X (m, 2) and
    Y (m, 1) or (m,) (examples as rows)
    """
    if axis == 0:
        def predict_columns(points, rows=predict):  # (2, k) -> (1, k)
            return np.reshape(rows(points.T), (1, -1))
        return decision_boundary(predict_columns, X.T, np.reshape(Y, (1, -1)), title, ax,
                                 resolution)
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

    images: (k, n_H, n_W, 3) uint8 or floats in [0, 1], examples first as in the data
    files and the CNNs of Course 4 (a dense net's column X[:, i] must be reshaped back)
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


class CostLog:
    """The costs of a training run, recorded every ``every`` iterations (or epochs).

    The bookkeeping that every training loop repeats, in one place:

        log = CostLog(every=100, print_cost=print_cost)
        for i in progress_bar(range(num_iterations), show=progress):
            ...  # one step, which computes cost
            log.record(i, cost)
        return parameters, log.costs

    record keeps the cost only when i is a multiple of ``every``; where the cost is
    computed for the record alone, compute it under ``if log.due(i):``.
    every: record every so many iterations; print_cost: print each recorded cost
    (print_every: only every so many iterations, a multiple of every; default every)
    unit: "iteration" or "epoch", for the printed lines and for plot
    """

    def __init__(self, every=100, print_cost=False, print_every=None, unit="iteration"):
        self.every, self.print_cost, self.unit = every, print_cost, unit
        self.print_every = print_every or every
        self.costs = []

    def due(self, i):
        """Whether the cost of iteration i is to be recorded."""
        return i % self.every == 0

    def record(self, i, cost):
        """Append cost (a float) to costs if iteration i is due, and print it if asked."""
        if not self.due(i):
            return
        self.costs.append(float(cost))
        if self.print_cost and i % self.print_every == 0:
            print(f"cost after {self.unit} {i}: {float(cost):.6f}")

    def plot(self, **kwargs):
        """cost_curve of the recorded costs against the iteration of each."""
        return cost_curve(self.costs, every=self.every, unit=self.unit, **kwargs)
