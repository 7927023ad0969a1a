"""Reference values for tests/trainer/model_reference_test.cpp.

usage: python3 reference.py IN.bin OUT.bin

IN holds the C++ model's config (meta), its parameters and a batch (tokens [B, T], targets
[B, T], mask [B, T]). This script loads the same weights into the PyTorch model of
trainer/python/reference_model.py and writes logits, the masked mean cross-entropy, and the
gradient of every parameter ("grad.<name>") to OUT.
"""

import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                "trainer", "python"))
import reference_model as rm  # noqa: E402


def main():
    torch.set_num_threads(1)
    meta, tensors = rm.read_bundle(sys.argv[1])
    model = rm.Model(rm.Config.from_json(meta["model"]))
    params = dict(model.named_parameters())
    with torch.no_grad():
        for name, p in params.items():
            p.copy_(tensors["param." + name])
    tokens, targets, mask = tensors["tokens"], tensors["targets"], tensors["mask"]
    logits = model(tokens)
    logp = torch.log_softmax(logits.float(), -1).gather(-1, targets.unsqueeze(-1)).squeeze(-1)
    loss = -(logp * mask).sum() / mask.sum()
    loss.backward()
    out = {"logits": logits.detach(), "loss": loss.detach().reshape(1)}
    for name, p in params.items():
        out["grad." + name] = p.grad
    rm.write_bundle(sys.argv[2], {"torch": torch.__version__}, out)


if __name__ == "__main__":
    main()
