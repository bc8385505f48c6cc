"""``python -m grader.bench conv``: the course's fast convolution against PyTorch's.

For a few layer shapes it times one forward and one backward pass of
``dlcourse.conv.conv_forward_fast`` / ``conv_backward_fast`` (float64, NumPy's
BLAS on every core) and of ``torch.nn.functional.conv2d`` with autograd on the
same shapes, in float64 and float32 with 2 torch threads. Each time is the best
of a few repeats. The rate counts the three products of a layer, forward, dW
and dA_prev, 2 m n_H n_W f^2 n_C_prev n_C operations each, and is compared with
the rate of a square float64 matrix product measured in the same run (the
machine's GEMM peak as NumPy reaches it). The last column times the layer's
three products alone, on ready-made operands of the layer's shapes (columns
(M, K), W (K, n_C), dZ (M, n_C), M = m n_H n_W, K = f^2 n_C_prev): the share of
the peak that BLAS itself reaches on such thin matrices, which no im2col
layer can exceed.

Goals (issue 13): forward+backward within 2x PyTorch float64 and at least 50% of
the GEMM peak on the larger shapes. Times are never asserted in a test: a busy
machine slows both sides.
"""

import time

import numpy as np

# (label, m, n_H_prev, n_W_prev, n_C_prev, f, n_C, stride, pad)
SHAPES = (
    ("m=64 32x32x16 -> 32, 3x3 pad 1", 64, 32, 32, 16, 3, 32, 1, 1),
    ("m=64 64x64x3 -> 16, 5x5 stride 2", 64, 64, 64, 3, 5, 16, 2, 0),
    ("m=64 16x16x32 -> 64, 3x3 pad 1", 64, 16, 16, 32, 3, 64, 1, 1),
)
LARGER = SHAPES[0][0], SHAPES[2][0]  # where the goals apply: K = f^2 n_C_prev >= 144
RATIO_GOAL, PEAK_GOAL = 2.0, 0.5


def best_seconds(action, repeats):
    """The shortest of `repeats` timed calls of action(), after one untimed warm-up call
    (first-call allocations and thread pools are not the computation)."""
    action()
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - start)
    return best


def _course(A_prev, W, b, hparameters, dZ):
    from dlcourse.conv import conv_backward_fast, conv_forward_fast

    def step():
        _, cache = conv_forward_fast(A_prev, W, b, hparameters)
        conv_backward_fast(dZ, cache)
    return step


def _torch(A_prev, W, b, hparameters, dZ, dtype):
    import torch
    import torch.nn.functional as F

    A_t = torch.tensor(A_prev.transpose(0, 3, 1, 2), dtype=dtype, requires_grad=True)
    W_t = torch.tensor(W.transpose(3, 2, 0, 1), dtype=dtype, requires_grad=True)
    b_t = torch.tensor(b.ravel(), dtype=dtype, requires_grad=True)
    dZ_t = torch.tensor(dZ.transpose(0, 3, 1, 2), dtype=dtype)

    def step():
        Z = F.conv2d(A_t, W_t, b_t, stride=hparameters["stride"], padding=hparameters["pad"])
        Z.backward(dZ_t)
        A_t.grad = W_t.grad = b_t.grad = None
    return step


def _products(M, K, n_C, rng):
    """The three matrix products of an im2col layer, alone: forward, dW and dcolumns."""
    columns, W_flat = rng.standard_normal((M, K)), rng.standard_normal((K, n_C))
    dZ_rows = rng.standard_normal((M, n_C))

    def step():
        columns @ W_flat
        columns.T @ dZ_rows
        dZ_rows @ W_flat.T
    return step


def conv(gemm_gflops, repeats=5) -> int:
    """The table; gemm_gflops() measures the GEMM peak (grader.bench passes its own)."""
    import torch

    from dlcourse.conv import conv_output_size

    torch.set_num_threads(2)
    peak = gemm_gflops()
    print(f"float64 GEMM (1024 x 1024) on this machine: {peak:.1f} GFLOP/s; torch threads: "
          f"{torch.get_num_threads()}; best of {repeats}")
    print(f"{'layer':34} {'course f64':>11} {'torch f64':>10} {'torch f32':>10} "
          f"{'ratio f64':>9} {'GFLOP/s':>8} {'of peak':>7} {'products alone':>14}")
    missed = []
    rng = np.random.default_rng(0)
    for label, m, n_H_prev, n_W_prev, n_C_prev, f, n_C, stride, pad in SHAPES:
        n_H = conv_output_size(n_H_prev, f, pad, stride)
        n_W = conv_output_size(n_W_prev, f, pad, stride)
        A_prev = rng.standard_normal((m, n_H_prev, n_W_prev, n_C_prev))
        W = rng.standard_normal((f, f, n_C_prev, n_C))
        b = rng.standard_normal((1, 1, 1, n_C))
        dZ = rng.standard_normal((m, n_H, n_W, n_C))
        hparameters = {"stride": stride, "pad": pad}
        course = best_seconds(_course(A_prev, W, b, hparameters, dZ), repeats)
        torch64 = best_seconds(_torch(A_prev, W, b, hparameters, dZ, torch.float64), repeats)
        torch32 = best_seconds(_torch(A_prev, W, b, hparameters, dZ, torch.float32), repeats)
        products = best_seconds(_products(m * n_H * n_W, f * f * n_C_prev, n_C, rng), repeats)
        operations = 3 * 2 * m * n_H * n_W * f * f * n_C_prev * n_C
        rate, products_rate = operations / course / 1e9, operations / products / 1e9
        ratio = course / torch64
        if label in LARGER and (ratio > RATIO_GOAL or rate / peak < PEAK_GOAL):
            bound = (f" (the products alone reach {products_rate / peak:.0%})"
                     if products_rate / peak < PEAK_GOAL else "")
            missed.append(label + bound)
        print(f"{label:34} {course * 1e3:8.1f} ms {torch64 * 1e3:7.1f} ms {torch32 * 1e3:7.1f} ms "
              f"{ratio:8.2f}x {rate:8.1f} {rate / peak:6.0%} {products_rate / peak:13.0%}",
              flush=True)
    print(f"float64 GEMM after the run: {gemm_gflops():.1f} GFLOP/s")
    print(f"goals on the larger shapes (within {RATIO_GOAL:g}x torch float64, at least "
          f"{PEAK_GOAL:.0%} of GEMM peak): "
          f"{'met' if not missed else 'missed for ' + '; '.join(missed)}")
    return 1 if missed else 0
