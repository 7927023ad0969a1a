"""Reference values for tests/trainer/model_reference_test.cpp.

usage: python3 reference.py IN.bin OUT.bin

IN holds the C++ model's config (meta), its parameters and a batch (tokens [B, T], targets
[B, T], mask [B, T]). This script loads the same weights into the PyTorch model of
trainer/python/reference_model.py and writes logits and a loss with the gradient of every
parameter ("grad.<name>") to OUT. The loss is the masked mean cross-entropy, or, when meta has
"rl", the GRPO policy loss written the way verl's core_algos and TRL's GRPOTrainer compute it:
log-probabilities of softmax(logits / temperature), log-ratio clamped to [-20, 20], the clipped
pessimistic bound, the dual clip for negative advantages, and the k3 KL clamped to [-10, 10],
summed with the given token weights.
"""

import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                "trainer", "python"))
import reference_model as rm  # noqa: E402


def grpo_loss(logits, t, rl):
    temperature = rl["temperature"]
    logp = torch.log_softmax(logits.float() / temperature, -1)
    logp = logp.gather(-1, t["targets"].unsqueeze(-1)).squeeze(-1)
    adv = t["advantages"].unsqueeze(1)
    log_ratio = torch.clamp(logp - t["old_logp"], min=-20.0, max=20.0)
    ratio = torch.exp(log_ratio)
    loss1 = -adv * ratio
    loss2 = -adv * torch.clamp(ratio, 1 - rl["eps_low"], 1 + rl["eps_high"])
    per_token = torch.maximum(loss1, loss2)
    if rl["clip_c"] > 0:
        loss3 = -adv * rl["clip_c"]
        per_token = torch.where(adv < 0, torch.minimum(loss3, per_token), per_token)
    if rl["beta"] > 0:
        kl = torch.clamp(t["ref_logp"] - logp, min=-20.0, max=20.0)
        k3 = torch.clamp(torch.exp(kl) - kl - 1, min=-10.0, max=10.0)
        per_token = per_token + rl["beta"] * k3
    return (per_token * t["weights"]).sum()


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
    if "rl" in meta:
        loss = grpo_loss(logits, tensors, meta["rl"])
    else:
        logp = torch.log_softmax(logits.float(), -1).gather(-1, targets.unsqueeze(-1)).squeeze(-1)
        loss = -(logp * mask).sum() / mask.sum()
    loss.backward()
    out = {"logits": logits.detach(), "loss": loss.detach().reshape(1)}
    for name, p in params.items():
        out["grad." + name] = p.grad
    rm.write_bundle(sys.argv[2], {"torch": torch.__version__}, out)


if __name__ == "__main__":
    main()
