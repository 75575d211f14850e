# kiln_llama_torch.py: a llama-architecture transformer in PyTorch (RMSNorm,
# RoPE on adjacent feature pairs as GGUF's llama uses it, grouped-query
# attention, SwiGLU, tied embeddings), shared by scripts/train-default-model
# (which trains kiln's default model with it) and the test that checks the
# compiled model's logits against it. Also loads those weights back from the
# GGUF file.
import math
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class Config:
    def __init__(self, vocab=1024, dim=192, layers=4, heads=6, kv_heads=2,
                 ffn=512, ctx=256, eps=1e-5, rope_base=10000.0):
        self.vocab, self.dim, self.layers, self.heads = vocab, dim, layers, heads
        self.kv_heads, self.ffn, self.ctx, self.eps = kv_heads, ffn, ctx, eps
        self.rope_base = rope_base
        self.head_dim = dim // heads


def rope(x, positions, base):
    # x: [B, S, H, D]; rotates pairs (2i, 2i+1) by pos * base^(-2i/D).
    d = x.shape[-1]
    freqs = base ** (-torch.arange(0, d, 2, dtype=torch.float32) / d)
    angles = positions[:, None].float() * freqs[None, :]          # [S, D/2]
    cos, sin = torch.cos(angles)[None, :, None, :], torch.sin(angles)[None, :, None, :]
    x0, x1 = x[..., 0::2], x[..., 1::2]
    out = torch.stack([x0 * cos - x1 * sin, x0 * sin + x1 * cos], dim=-1)
    return out.flatten(-2)


class RMSNorm(nn.Module):
    def __init__(self, dim, eps):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim))
        self.eps = eps

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


class Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c = c
        self.attn_norm = RMSNorm(c.dim, c.eps)
        self.wq = nn.Linear(c.dim, c.heads * c.head_dim, bias=False)
        self.wk = nn.Linear(c.dim, c.kv_heads * c.head_dim, bias=False)
        self.wv = nn.Linear(c.dim, c.kv_heads * c.head_dim, bias=False)
        self.wo = nn.Linear(c.heads * c.head_dim, c.dim, bias=False)
        self.ffn_norm = RMSNorm(c.dim, c.eps)
        self.gate = nn.Linear(c.dim, c.ffn, bias=False)
        self.up = nn.Linear(c.dim, c.ffn, bias=False)
        self.down = nn.Linear(c.ffn, c.dim, bias=False)

    def forward(self, x, positions):
        c = self.c
        B, S, _ = x.shape
        h = self.attn_norm(x)
        q = rope(self.wq(h).view(B, S, c.heads, c.head_dim), positions, c.rope_base)
        k = rope(self.wk(h).view(B, S, c.kv_heads, c.head_dim), positions, c.rope_base)
        v = self.wv(h).view(B, S, c.kv_heads, c.head_dim)
        rep = c.heads // c.kv_heads
        k = k.repeat_interleave(rep, dim=2)
        v = v.repeat_interleave(rep, dim=2)
        q, k, v = (t.transpose(1, 2) for t in (q, k, v))
        mask = torch.full((S, S), float("-inf")).triu(1)
        att = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(c.head_dim) + mask, dim=-1)
        o = (att @ v).transpose(1, 2).reshape(B, S, -1)
        x = x + self.wo(o)
        h = self.ffn_norm(x)
        return x + self.down(F.silu(self.gate(h)) * self.up(h))


class Llama(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c = c
        self.embed = nn.Embedding(c.vocab, c.dim)
        nn.init.normal_(self.embed.weight, std=0.02)  # also the output layer
        self.blocks = nn.ModuleList(Block(c) for _ in range(c.layers))
        self.norm = RMSNorm(c.dim, c.eps)

    def forward(self, tokens):
        positions = torch.arange(tokens.shape[1])
        x = self.embed(tokens)
        for block in self.blocks:
            x = block(x, positions)
        return self.norm(x) @ self.embed.weight.T  # tied output


def gguf_module():
    llama_dir = os.environ.get("KILN_LLAMA_DIR", os.path.expanduser("~/.cache/kiln/llama"))
    sys.path.insert(0, os.path.join(llama_dir, "src", "gguf-py"))
    import gguf
    return gguf


def tensor_names(c):
    names = {"embed.weight": "token_embd.weight", "norm.weight": "output_norm.weight"}
    for i in range(c.layers):
        p = "blk.%d." % i
        for mine, theirs in [("attn_norm.weight", "attn_norm.weight"), ("wq.weight", "attn_q.weight"),
                             ("wk.weight", "attn_k.weight"), ("wv.weight", "attn_v.weight"),
                             ("wo.weight", "attn_output.weight"), ("ffn_norm.weight", "ffn_norm.weight"),
                             ("gate.weight", "ffn_gate.weight"), ("up.weight", "ffn_up.weight"),
                             ("down.weight", "ffn_down.weight")]:
            names["blocks.%d.%s" % (i, mine)] = p + theirs
    return names


def load_gguf(path):
    """The model stored in a GGUF written by train-default-model."""
    gguf = gguf_module()
    r = gguf.GGUFReader(path)
    f = {k: v for k, v in r.fields.items()}

    def value(key):
        field = f[key]
        return field.parts[field.data[0]][0]
    c = Config(vocab=len(f["tokenizer.ggml.tokens"].data), dim=int(value("llama.embedding_length")),
               layers=int(value("llama.block_count")), heads=int(value("llama.attention.head_count")),
               kv_heads=int(value("llama.attention.head_count_kv")),
               ffn=int(value("llama.feed_forward_length")), ctx=int(value("llama.context_length")),
               eps=float(value("llama.attention.layer_norm_rms_epsilon")),
               rope_base=float(value("llama.rope.freq_base")))
    model = Llama(c)
    tensors = {t.name: t for t in r.tensors}
    state = {}
    for mine, theirs in tensor_names(c).items():
        t = tensors[theirs]
        data = gguf.quants.dequantize(t.data, t.tensor_type)
        state[mine] = torch.from_numpy(np.array(data, dtype=np.float32).reshape(
            [int(s) for s in reversed(t.shape)]))
    model.load_state_dict(state)
    return model
