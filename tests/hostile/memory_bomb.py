# expect: MLE
# attack: grows a list of filled 1 MiB strings forever
# limits: memory-mb=64
chunks = []
while True:
    chunks.append(b"x" * (1 << 20))
