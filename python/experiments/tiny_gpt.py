"""A small byte-level causal transformer (GPT layout, pre-LayerNorm).

Hidden matrices (attention and MLP weights, 2-D, no biases) are what a
Muon-style optimizer updates; the embeddings, the output head and the
LayerNorm gains go to AdamW, as in Muon's own recipe.  `param_groups`
returns them in that split.  torch 1.13 has no fused attention, so the
attention is written out.
"""

import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.ln1 = nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d, bias=False)
        self.proj = nn.Linear(d, d, bias=False)
        self.ln2 = nn.LayerNorm(d)
        self.fc = nn.Linear(d, 4 * d, bias=False)
        self.out = nn.Linear(4 * d, d, bias=False)

    def forward(self, x, mask):
        b, t, d = x.shape
        h = self.heads
        q, k, v = self.qkv(self.ln1(x)).split(d, dim=-1)
        q, k, v = (z.view(b, t, h, d // h).transpose(1, 2) for z in (q, k, v))
        att = (q @ k.transpose(-1, -2)) / math.sqrt(d // h)
        att = att.masked_fill(mask[:t, :t], float("-inf")).softmax(dim=-1)
        y = (att @ v).transpose(1, 2).reshape(b, t, d)
        x = x + self.proj(y)
        return x + self.out(F.gelu(self.fc(self.ln2(x))))


class TinyGPT(nn.Module):
    def __init__(self, vocab=256, d=128, layers=2, heads=4, context=64):
        super().__init__()
        self.tok = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(context, d)
        self.blocks = nn.ModuleList(Block(d, heads) for _ in range(layers))
        self.ln = nn.LayerNorm(d)
        self.head = nn.Linear(d, vocab, bias=False)
        mask = torch.triu(torch.ones(context, context, dtype=torch.bool), 1)
        self.register_buffer("mask", mask, persistent=False)
        for name, w in self.named_parameters():
            if w.dim() == 2:
                nn.init.normal_(w, std=0.02)
            if name.endswith(("proj.weight", "out.weight")):
                w.data /= math.sqrt(2 * layers)  # residual branches, GPT-2 style

    def forward(self, idx):
        t = idx.shape[1]
        x = self.tok(idx) + self.pos(torch.arange(t, device=idx.device))
        for blk in self.blocks:
            x = blk(x, self.mask)
        return self.head(self.ln(x))

    def loss(self, idx, targets):
        logits = self(idx)
        return F.cross_entropy(logits.reshape(-1, logits.shape[-1]),
                               targets.reshape(-1))

    def param_groups(self):
        """(hidden matrices, everything else): the first for Muon-style
        updates, the second (embeddings, head, LayerNorm gains) for AdamW."""
        hidden, other = [], []
        for name, w in self.named_parameters():
            (hidden if name.startswith("blocks.") and w.dim() == 2
             else other).append(w)
        return hidden, other
