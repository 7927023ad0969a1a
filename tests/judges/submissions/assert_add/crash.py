def add(a, b):
    raise ValueError("not implemented")
