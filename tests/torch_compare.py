"""What the differential tests against PyTorch share: float64 tensors, and a comparison
that names the quantity, the sizes it was computed for and the shape it should have."""

import numpy as np
import torch


def as_torch(array, grad=False):
    """A float64 tensor copy of ``array`` (any strides), tracking gradients if asked."""
    return torch.tensor(np.ascontiguousarray(array), dtype=torch.float64, requires_grad=grad)


def assert_close(name, got, expected, where="", rtol=1e-10, atol=1e-12):
    """``got`` has ``expected``'s shape and values; failures name ``name`` and ``where``."""
    expected = np.asarray(expected)
    label = f"{name} for {where}" if where else name
    assert np.shape(got) == expected.shape, (
        f"{label}: expected shape {expected.shape}; got {np.shape(got)}")
    np.testing.assert_allclose(got, expected, rtol=rtol, atol=atol, err_msg=label)
