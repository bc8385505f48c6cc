"""A small, safe encoding of test inputs and outputs as JSON.

Values cross the sandbox boundary in both directions; pickle would let a
submission run code in the grader when its output is read back. This codec
knows only None, bool, int, float, str, lists, tuples, dicts with string keys
and NumPy arrays (numeric or bool dtypes). Anything else becomes a
description string, which then simply fails the comparison.
"""

import base64
import json

import numpy as np

_ARRAY, _TUPLE, _FLOAT = "__array__", "__tuple__", "__float__"


def encode(value):
    """A JSON-compatible form of ``value``."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, np.integer)) and not isinstance(value, np.bool_):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return {_FLOAT: repr(float(value))}  # keeps nan, inf and every digit
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.ndarray) and value.dtype.kind in "biuf":
        data = np.ascontiguousarray(value)
        return {_ARRAY: [data.dtype.str, list(data.shape),
                         base64.b64encode(data.tobytes()).decode("ascii")]}
    if isinstance(value, tuple):
        return {_TUPLE: [encode(v) for v in value]}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return {"__dict__": {k: encode(v) for k, v in value.items()}}
    return f"<unsupported value of type {type(value).__name__}>"


def decode(data):
    """The value that :func:`encode` turned into ``data``."""
    if isinstance(data, list):
        return [decode(v) for v in data]
    if not isinstance(data, dict):
        return data
    if _FLOAT in data:
        return float(data[_FLOAT])
    if _ARRAY in data:
        dtype, shape, payload = data[_ARRAY]
        dtype = np.dtype(dtype)
        if dtype.kind not in "biuf":
            raise ValueError(f"refusing array of dtype {dtype}")
        return np.frombuffer(base64.b64decode(payload), dtype=dtype).reshape(shape).copy()
    if _TUPLE in data:
        return tuple(decode(v) for v in data[_TUPLE])
    if "__dict__" in data:
        return {k: decode(v) for k, v in data["__dict__"].items()}
    raise ValueError(f"unknown encoded value with keys {sorted(data)}")


def dumps(value) -> str:
    return json.dumps(encode(value))


def loads(text: str):
    return decode(json.loads(text))
