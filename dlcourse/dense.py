"""Deep fully connected networks, one layer at a time (Course 1, weeks 3 and 4).

Layout: examples are columns. Layer l has W{l}: (n[l], n[l-1]) and
b{l}: (n[l], 1); parameters and gradients are dicts keyed "W1", "b1", "dW1" ...
"""

def update_parameters(parameters, grads, learning_rate):
    """One step of gradient descent on every layer: W = W - alpha dW, b = b - alpha db.

    parameters: {"W1": (n[1], n[0]), "b1": (n[1], 1), ..., "WL", "bL"}
    grads: {"dW1": ..., "db1": ..., ...} with the same shapes
    learning_rate: alpha
    Returns a new dict of updated parameters (the input is left unchanged).
    """
    ### BEGIN SOLUTION
    L = len(parameters) // 2
    updated = {}
    for l in range(1, L + 1):
        updated[f"W{l}"] = parameters[f"W{l}"] - learning_rate * grads[f"dW{l}"]
        updated[f"b{l}"] = parameters[f"b{l}"] - learning_rate * grads[f"db{l}"]
    ### END SOLUTION
    return updated
