"""The trainer's transformer written again in plain PyTorch (eager), for two uses:

- tests/trainer/reference.py checks the C++ model's logits, loss and gradients against it;
- bench/trainer/train_bench.py measures the same model's speed in Python for comparison.

It mirrors trainer/src/model.cpp: parameter names and shapes are the same, so weights move
between the two through the tensor bundle format (trainer/include/codejudge/trainer/tensor_io.h).
Shapes: B batch, T tokens, H heads, D width, Dh = D / H, F MLP width, V vocabulary.
"""

import json
import math
import struct

import torch
import torch.nn.functional as F

MAGIC = b"CJTENS01"
PAD, BOS, EOS, FENCE = 256, 257, 258, 262


def read_bundle(path):
    """Returns (meta, {name: tensor}) from a tensor bundle file."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != MAGIC:
        raise ValueError(f"{path}: not a tensor bundle")
    (length,) = struct.unpack("<Q", data[8:16])
    header = json.loads(data[16:16 + length])
    base = 16 + length
    tensors = {}
    for entry in header["tensors"]:
        dtype = torch.int64 if entry["dtype"] == "i64" else torch.float32
        count = math.prod(entry["shape"]) if entry["shape"] else 1
        size = count * (8 if dtype == torch.int64 else 4)
        start = base + entry["offset"]
        raw = bytearray(data[start:start + size])
        t = torch.frombuffer(raw, dtype=dtype) if count else torch.empty(0, dtype=dtype)
        tensors[entry["name"]] = t.reshape(entry["shape"]).clone()
    return header.get("meta", {}), tensors


def write_bundle(path, meta, tensors):
    header = {"meta": meta, "tensors": []}
    blobs = []
    offset = 0
    for name in sorted(tensors):
        t = tensors[name].detach().cpu().contiguous()
        integer = not t.is_floating_point()
        t = t.to(torch.int64 if integer else torch.float32)
        blob = t.numpy().tobytes() if t.numel() else b""
        header["tensors"].append({"name": name, "dtype": "i64" if integer else "f32",
                                  "shape": list(t.shape), "offset": offset})
        offset += len(blob)
        blobs.append(blob)
    text = json.dumps(header).encode()
    with open(path, "wb") as f:
        f.write(MAGIC)
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


class Config:
    def __init__(self, vocab_size=264, n_layer=4, n_head=4, d_model=256, d_ff=0, context=512,
                 rope_theta=10000.0, norm_eps=1e-5, init_std=0.02):
        self.vocab_size = vocab_size
        self.n_layer = n_layer
        self.n_head = n_head
        self.d_model = d_model
        self.d_ff = d_ff if d_ff > 0 else 4 * d_model
        self.context = context
        self.rope_theta = rope_theta
        self.norm_eps = norm_eps
        self.init_std = init_std

    @staticmethod
    def from_json(j):
        return Config(**{k: j[k] for k in ("vocab_size", "n_layer", "n_head", "d_model", "d_ff",
                                           "context", "rope_theta", "norm_eps", "init_std")
                         if k in j})


def rms_norm(x, weight, eps):
    xf = x.float()
    return (xf * torch.rsqrt(xf.pow(2).mean(-1, keepdim=True) + eps) * weight).to(x.dtype)


def rope(x, cos, sin):
    # x [B, H, T, Dh]; cos/sin [.., T, Dh/2]: rotate the pairs (x[i], x[i + Dh/2]).
    half = x.shape[-1] // 2
    x1, x2 = x[..., :half], x[..., half:]
    cos, sin = cos.to(x.dtype), sin.to(x.dtype)
    return torch.cat([x1 * cos - x2 * sin, x2 * cos + x1 * sin], dim=-1)


class Model(torch.nn.Module):
    def __init__(self, config):
        super().__init__()
        c = config
        self.config = c
        self.tok_emb = torch.nn.Embedding(c.vocab_size, c.d_model)
        self.blocks = torch.nn.ModuleList()
        for _ in range(c.n_layer):
            block = torch.nn.Module()
            block.attn_norm = torch.nn.Module()
            block.attn_norm.weight = torch.nn.Parameter(torch.ones(c.d_model))
            block.qkv = torch.nn.Linear(c.d_model, 3 * c.d_model, bias=False)
            block.proj = torch.nn.Linear(c.d_model, c.d_model, bias=False)
            block.mlp_norm = torch.nn.Module()
            block.mlp_norm.weight = torch.nn.Parameter(torch.ones(c.d_model))
            block.fc1 = torch.nn.Linear(c.d_model, c.d_ff, bias=False)
            block.fc2 = torch.nn.Linear(c.d_ff, c.d_model, bias=False)
            self.blocks.append(block)
        self.norm = torch.nn.Module()
        self.norm.weight = torch.nn.Parameter(torch.ones(c.d_model))
        half = c.d_model // c.n_head // 2
        inv_freq = c.rope_theta ** (-torch.arange(0, half, dtype=torch.float64) * 2.0
                                    / (c.d_model // c.n_head))
        angles = torch.outer(torch.arange(0, c.context, dtype=torch.float64), inv_freq)
        self.register_buffer("rope_cos", angles.cos().float())
        self.register_buffer("rope_sin", angles.sin().float())
        self.reset_weights()

    def reset_weights(self):
        out_std = self.config.init_std / math.sqrt(2 * self.config.n_layer)
        with torch.no_grad():
            for name, p in self.named_parameters():
                if p.dim() == 1:
                    p.fill_(1.0)
                elif ".proj." in name or ".fc2." in name:
                    p.normal_(0.0, out_std)
                else:
                    p.normal_(0.0, self.config.init_std)

    def block_forward(self, block, x, cos, sin, mask, cache, layer):
        b, t, d = x.shape
        h = self.config.n_head
        eps = self.config.norm_eps
        qkv = block.qkv(rms_norm(x, block.attn_norm.weight, eps))
        qkv = qkv.view(b, t, 3, h, d // h).permute(2, 0, 3, 1, 4)  # [3, B, H, T, Dh]
        q, k, v = rope(qkv[0], cos, sin), rope(qkv[1], cos, sin), qkv[2]
        if cache is not None:
            start = cache["length"]
            if cache["keys"][layer] is None:
                shape = (b, h, cache["capacity"], d // h)
                cache["keys"][layer] = torch.zeros(shape, dtype=k.dtype, device=k.device)
                cache["values"][layer] = torch.zeros(shape, dtype=v.dtype, device=v.device)
            cache["keys"][layer][:, :, start:start + t] = k
            cache["values"][layer][:, :, start:start + t] = v
            k = cache["keys"][layer][:, :, :start + t]
            v = cache["values"][layer][:, :, :start + t]
        if hasattr(F, "scaled_dot_product_attention"):
            if mask is None:
                y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
            else:
                y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        else:
            scores = q @ k.transpose(-2, -1) / math.sqrt(d // h)
            if mask is None:
                mask = torch.ones(t, t, dtype=torch.bool, device=x.device).tril()
            scores = scores.masked_fill(~mask, float("-inf"))
            y = torch.softmax(scores.float(), dim=-1).to(v.dtype) @ v
        y = y.transpose(1, 2).reshape(b, t, d)
        x = x + block.proj(y)
        return x + block.fc2(F.gelu(block.fc1(rms_norm(x, block.mlp_norm.weight, eps))))

    def head(self, x):
        # fp32 even under autocast, as in the C++ model: log-probabilities need exact logits.
        h = rms_norm(x, self.norm.weight, self.config.norm_eps).float()
        if h.is_cuda:
            with torch.autocast("cuda", enabled=False):
                return h @ self.tok_emb.weight.float().t()
        return h @ self.tok_emb.weight.t()

    def forward(self, tokens):
        """tokens [B, T] -> logits [B, T, V], causal, positions 0..T-1."""
        t = tokens.shape[1]
        x = self.tok_emb(tokens)
        cos = self.rope_cos[:t].view(1, 1, t, -1)
        sin = self.rope_sin[:t].view(1, 1, t, -1)
        for i, block in enumerate(self.blocks):
            x = self.block_forward(block, x, cos, sin, None, None, i)
        return self.head(x)

    def forward_cached(self, tokens, positions, valid, cache):
        b, t = tokens.shape
        start = cache["length"]
        cache["key_valid"][:, start:start + t] = valid
        k_len = start + t
        q_index = torch.arange(start, k_len, device=tokens.device).view(t, 1)
        k_index = torch.arange(0, k_len, device=tokens.device).view(1, k_len)
        causal = k_index <= q_index
        same = k_index == q_index
        key_ok = cache["key_valid"][:, :k_len].view(b, 1, 1, k_len)
        mask = causal.view(1, 1, t, k_len) & (key_ok | same)
        flat = positions.reshape(-1)
        cos = self.rope_cos.index_select(0, flat).view(b, 1, t, -1)
        sin = self.rope_sin.index_select(0, flat).view(b, 1, t, -1)
        x = self.tok_emb(tokens)
        for i, block in enumerate(self.blocks):
            x = self.block_forward(block, x, cos, sin, mask, cache, i)
        cache["length"] = k_len
        return self.head(x)

    def make_cache(self, batch, capacity, device):
        n = self.config.n_layer
        return {"capacity": capacity, "length": 0, "keys": [None] * n, "values": [None] * n,
                "key_valid": torch.zeros(batch, capacity, dtype=torch.bool, device=device)}


@torch.no_grad()
def generate(model, prompts, group_size, max_new_tokens, temperature=1.0, stop_at_eos=True):
    """The C++ sampler's algorithm: left-padded prefill of the distinct prompts, cache repeated
    per group, then one token at a time. Returns (tokens [N, steps], steps taken)."""
    device = model.rope_cos.device
    p = len(prompts)
    n = p * group_size
    length = max(len(x) for x in prompts)
    tokens = torch.full((p, length), PAD, dtype=torch.long)
    valid = torch.zeros(p, length, dtype=torch.bool)
    positions = torch.zeros(p, length, dtype=torch.long)
    for i, prompt in enumerate(prompts):
        pad = length - len(prompt)
        tokens[i, pad:] = torch.tensor(prompt)
        valid[i, pad:] = True
        positions[i, pad:] = torch.arange(len(prompt))
    cache = model.make_cache(p, length + max_new_tokens, device)
    last = model.forward_cached(tokens.to(device), positions.to(device), valid.to(device),
                                cache)[:, -1]
    for key in ("keys", "values"):
        cache[key] = [t.repeat_interleave(group_size, 0) for t in cache[key]]
    cache["key_valid"] = cache["key_valid"].repeat_interleave(group_size, 0)
    last = last.repeat_interleave(group_size, 0)
    next_pos = torch.tensor([len(x) for x in prompts]).repeat_interleave(group_size).to(device)
    banned = torch.tensor([PAD, BOS] + list(range(FENCE + 1, model.config.vocab_size)),
                          device=device)
    done = torch.zeros(n, dtype=torch.bool, device=device)
    ones = torch.ones(n, 1, dtype=torch.bool, device=device)
    steps = []
    for step in range(max_new_tokens):
        logits = last.float().index_fill(1, banned, float("-inf"))
        if temperature <= 0:
            token = logits.argmax(-1)
        else:
            # The exponential race, as the C++ sampler: no host sync, unlike multinomial.
            probs = torch.softmax(logits / temperature, -1)
            race = torch.empty_like(probs).exponential_(1.0).clamp_min_(1e-30)
            token = (probs / race).argmax(-1)
        token = token.masked_fill(done, PAD)
        steps.append(token)
        done = done | (token == EOS)
        if step + 1 == max_new_tokens:
            break
        if stop_at_eos and step % 16 == 15 and bool(done.all()):
            break
        last = model.forward_cached(token.view(n, 1), next_pos.view(n, 1), ones, cache)[:, 0]
        next_pos = next_pos + 1
    return torch.stack(steps, 1).cpu(), len(steps)
