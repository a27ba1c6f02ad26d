#!/usr/bin/python3
"""Writes a real-size, random-weight GPT-SoVITS v2 bundle in the minimal exporter's layout (see
/work/shared/contracts/gpt-sovits.md §1): ssl.onnx (HuBERT-base size), vq_encoder.onnx, gpt_encoder.onnx
and gpt_step.onnx (t2s: 24 layers x 512, 16 heads, about 77.6 M weights, fixed KV cache of --max-len rows),
sovits.onnx (v2 decoder, about 40 M), config.json (v2 hparams and a 732-entry symbol table), and with
--bert a RoBERTa-large-size bert.onnx (1.2 GB) with a vocab.txt.

It reproduces the exporter's quirks so EdgeVoice keeps handling them:
- sovits takes (pred_semantic, text_seq, refer_spec, speed): the input named `speed` multiplies the prior
  noise (z_p = m_p + randn * exp(logs_p) * speed) and `noise_scale` is pruned (v2 arguments passed by position);
- gpt_encoder has no `phoneme_ids_len` (unused, pruned);
- dims the contract calls fixed carry symbolic names (`batch_size`, `one`); ssl and vq_encoder name their
  input and output time axes alike (`time`) though the lengths differ.

The weights are random: the audio is noise, but every graph costs what a trained one costs, which is
what benchmarks need. Needs Debian's python3-torch (1.13, ONNX opset 17) and python3-onnx; not in CI.

    /usr/bin/python3 scripts/gen-gpt-sovits.py artifacts/gsv-real [--bert] [--max-len 1000] [--fp16]

--fp16 gives every float input and output of ssl, bert, gpt_encoder, gpt_step and sovits the type float16
(vq_encoder stays float), as the exporter's onnx_to_fp16.py does; the weights and the arithmetic inside
stay float, so the bundle runs on ONNX Runtime's CPU provider and costs what the float one costs.
"""
import argparse
import json
import math
import os
import sys

import torch
from torch import nn
import torch.nn.functional as F

OPSET = 17
LAYERS, WIDTH, HEADS, FFN = 24, 512, 16, 2048
PHONES, SEMANTIC = 732, 1025
torch.manual_seed(0)


def sinusoid(positions, width):
    """[n] float positions -> [n, width] sine/cosine table (computed in the graph, as the t2s model does)."""
    div = torch.exp(torch.arange(0, width, 2, dtype=torch.float32) * (-math.log(10000.0) / width))
    angles = positions.unsqueeze(1).float() * div.unsqueeze(0)
    return torch.stack([torch.sin(angles), torch.cos(angles)], dim=2).reshape(-1, width)


class T2sLayer(nn.Module):
    """Post-norm transformer block of the t2s model: fused qkv, 16 heads, FFN 2048."""

    def __init__(self):
        super().__init__()
        self.qkv = nn.Linear(WIDTH, 3 * WIDTH)
        self.out = nn.Linear(WIDTH, WIDTH)
        self.norm1 = nn.LayerNorm(WIDTH)
        self.ff1 = nn.Linear(WIDTH, FFN)
        self.ff2 = nn.Linear(FFN, WIDTH)
        self.norm2 = nn.LayerNorm(WIDTH)

    def attend(self, q, k, v, mask):
        # q [n, W], k/v [m, W], mask [n, m] additive
        n, m = q.shape[0], k.shape[0]
        q = q.reshape(n, HEADS, -1).transpose(0, 1)
        k = k.reshape(m, HEADS, -1).transpose(0, 1)
        v = v.reshape(m, HEADS, -1).transpose(0, 1)
        scores = torch.matmul(q, k.transpose(1, 2)) / math.sqrt(WIDTH // HEADS) + mask
        return torch.matmul(torch.softmax(scores, dim=-1), v).transpose(0, 1).reshape(n, WIDTH)

    def finish(self, x, attended):
        x = self.norm1(x + self.out(attended))
        return self.norm2(x + self.ff2(F.relu(self.ff1(x))))


class T2s(nn.Module):
    def __init__(self):
        super().__init__()
        self.phone_emb = nn.Embedding(PHONES, WIDTH)
        self.bert_proj = nn.Linear(1024, WIDTH)
        self.sem_emb = nn.Embedding(SEMANTIC, WIDTH)
        self.layers = nn.ModuleList(T2sLayer() for _ in range(LAYERS))
        self.head = nn.Linear(WIDTH, SEMANTIC, bias=False)


class GptEncoder(nn.Module):
    def __init__(self, t2s, max_len):
        super().__init__()
        self.t2s, self.max_len = t2s, max_len

    def forward(self, phoneme_ids, phoneme_ids_len, prompts, bert_feature):
        t = self.t2s
        x = t.phone_emb(phoneme_ids[0]) + t.bert_proj(bert_feature[0].transpose(0, 1))
        x = x + sinusoid(torch.arange(x.shape[0]), WIDTH)
        y = t.sem_emb(prompts[0]) + sinusoid(torch.arange(prompts.shape[1]), WIDTH)
        xy = torch.cat([x, y], 0)
        nx, n = x.shape[0], xy.shape[0]
        rows = torch.arange(n).unsqueeze(1)
        cols = torch.arange(n).unsqueeze(0)
        allowed = (cols < nx) | ((rows >= nx) & (cols <= rows))
        mask = torch.where(allowed, torch.zeros(()), torch.full((), -1e4))
        ks, vs = [], []
        pad = self.max_len - n
        for layer in t.layers:
            q, k, v = layer.qkv(xy).chunk(3, dim=-1)
            ks.append(F.pad(k, (0, 0, 0, pad)))
            vs.append(F.pad(v, (0, 0, 0, pad)))
            xy = layer.finish(xy, layer.attend(q, k, v, mask))
        logits = t.head(xy[-1:])
        values, indices = torch.topk(logits, 50, dim=-1)
        x_len = torch.zeros(1, dtype=torch.int64) + phoneme_ids.shape[1]
        y_len = torch.zeros(1, dtype=torch.int64) + prompts.shape[1]
        return values, indices, torch.stack(ks).unsqueeze(1), torch.stack(vs).unsqueeze(1), x_len, y_len


class GptStep(nn.Module):
    def __init__(self, t2s, max_len):
        super().__init__()
        self.t2s, self.max_len = t2s, max_len

    def forward(self, samples, k_cache, v_cache, x_len, y_len, idx):
        t = self.t2s
        h = t.sem_emb(samples[0]) + sinusoid(y_len + idx, WIDTH)
        row = x_len + y_len + idx
        positions = torch.arange(self.max_len)
        at = (positions == row).float().unsqueeze(1)
        mask = torch.where(positions <= row, torch.zeros(()), torch.full((), -1e4)).unsqueeze(0)
        ks, vs = [], []
        for i, layer in enumerate(t.layers):
            q, k, v = layer.qkv(h).chunk(3, dim=-1)
            k_all = k_cache[i, 0] * (1 - at) + at * k
            v_all = v_cache[i, 0] * (1 - at) + at * v
            ks.append(k_all)
            vs.append(v_all)
            h = layer.finish(h, layer.attend(q, k_all, v_all, mask))
        values, indices = torch.topk(t.head(h), 50, dim=-1)
        return values, indices, torch.stack(ks).unsqueeze(1), torch.stack(vs).unsqueeze(1)


class Block(nn.Module):
    """Transformer block over [1, C, T] (the SoVITS attentions' shape)."""

    def __init__(self, c, filt, heads=2):
        super().__init__()
        self.attn = nn.MultiheadAttention(c, heads, batch_first=True)
        self.n1 = nn.LayerNorm(c)
        self.f1 = nn.Conv1d(c, filt, 3, padding=1)
        self.f2 = nn.Conv1d(filt, c, 3, padding=1)
        self.n2 = nn.LayerNorm(c)

    def forward(self, x, memory=None):
        s = x.transpose(1, 2)
        m = s if memory is None else memory.transpose(1, 2)
        s = self.n1(s + self.attn(s, m, m, need_weights=False)[0])
        x = s.transpose(1, 2)
        return self.n2((x + self.f2(F.relu(self.f1(x)))).transpose(1, 2)).transpose(1, 2)


class ResBlock(nn.Module):
    def __init__(self, c, k, dilations=(1, 3, 5)):
        super().__init__()
        self.c1 = nn.ModuleList(nn.Conv1d(c, c, k, dilation=d, padding=d * (k - 1) // 2) for d in dilations)
        self.c2 = nn.ModuleList(nn.Conv1d(c, c, k, padding=(k - 1) // 2) for _ in dilations)

    def forward(self, x):
        for a, b in zip(self.c1, self.c2):
            x = x + b(F.leaky_relu(a(F.leaky_relu(x, 0.1)), 0.1))
        return x


class Sovits(nn.Module):
    """SoVITS v2 inference path at real size: codebook -> ssl_proj -> 2x -> encoders + MRTE with the text ->
    prior (m_p, logs_p) -> z_p = m_p + randn * exp(logs_p) * noise -> reverse flow -> HiFi-GAN (512, [10,8,2,2,2])."""

    def __init__(self):
        super().__init__()
        c, g = 192, 512
        self.codebook = nn.Embedding(1024, 768)
        self.ssl_proj = nn.Conv1d(768, c, 1)
        self.ref_enc = nn.Sequential(nn.Conv1d(704, 128, 5, padding=2), nn.ReLU(), nn.Conv1d(128, g, 5, padding=2))
        self.ge_proj = nn.Conv1d(g, c, 1)
        self.enc_ssl = nn.ModuleList(Block(c, 768) for _ in range(3))
        self.text_emb = nn.Embedding(PHONES, c)
        self.enc_text = nn.ModuleList(Block(c, 768) for _ in range(6))
        self.mrte = Block(c, 768)
        self.enc2 = nn.ModuleList(Block(c, 768) for _ in range(3))
        self.proj = nn.Conv1d(c, 2 * c, 1)
        # Four coupling flows, each a WaveNet-like stack of 4 gated-width layers (kernel 5), as the v2 flow.
        self.flows = nn.ModuleList(nn.Sequential(nn.Conv1d(c // 2, c, 1),
                                                 *(m for _ in range(4) for m in (nn.Conv1d(c, 2 * c, 5, padding=2), nn.Tanh(), nn.Conv1d(2 * c, c, 1))),
                                                 nn.Conv1d(c, c // 2, 1)) for _ in range(4))
        self.pre = nn.Conv1d(c, g, 7, padding=3)
        self.cond = nn.Conv1d(g, g, 1)
        rates, kernels = [10, 8, 2, 2, 2], [16, 16, 8, 2, 2]
        ch = [g // (2 ** i) for i in range(len(rates) + 1)]
        self.ups = nn.ModuleList(nn.ConvTranspose1d(ch[i], ch[i + 1], k, r, padding=(k - r) // 2) for i, (r, k) in enumerate(zip(rates, kernels)))
        self.res = nn.ModuleList(nn.ModuleList(ResBlock(ch[i + 1], k) for k in (3, 7, 11)) for i in range(len(rates)))
        self.post = nn.Conv1d(ch[-1], 1, 7, padding=3)

    def forward(self, pred_semantic, text_seq, refer_spec, noise_scale, speed):
        ge = self.ref_enc(refer_spec[:, :704]).mean(dim=2, keepdim=True)
        y = self.ssl_proj(self.codebook(pred_semantic[0]).transpose(1, 2))
        y = F.interpolate(y, scale_factor=2.0, mode="nearest") + self.ge_proj(ge)
        for b in self.enc_ssl:
            y = b(y)
        t = self.text_emb(text_seq).transpose(1, 2)
        for b in self.enc_text:
            t = b(t)
        y = self.mrte(y, t)
        for b in self.enc2:
            y = b(y)
        m_p, logs_p = self.proj(y).chunk(2, dim=1)
        # The exporter's v2 quirk: the 5th positional argument is used as the noise multiplier, noise_scale is unused.
        z = m_p + torch.randn_like(m_p) * torch.exp(logs_p) * speed
        for flow in reversed(self.flows):
            a, b = z.chunk(2, dim=1)
            z = torch.cat([a, b - flow(a)], 1)
        x = self.pre(z) + self.cond(ge)
        for up, res in zip(self.ups, self.res):
            x = up(F.leaky_relu(x, 0.1))
            x = sum(r(x) for r in res) / 3
        return torch.tanh(self.post(F.leaky_relu(x)))


class Ssl(nn.Module):
    """HuBERT-base size: 7-conv feature extractor (512, stride 320), 768-wide 12-layer encoder, FFN 3072."""

    def __init__(self):
        super().__init__()
        spec = [(10, 5)] + [(3, 2)] * 4 + [(2, 2)] * 2
        self.convs = nn.ModuleList(nn.Conv1d(1 if i == 0 else 512, 512, k, s, bias=False) for i, (k, s) in enumerate(spec))
        self.norm = nn.LayerNorm(512)
        self.proj = nn.Linear(512, 768)
        self.pos = nn.Conv1d(768, 768, 128, padding=64, groups=16)
        # Twelve separately initialised layers (nn.TransformerEncoder would copy one, and the exporter would store it once).
        self.encoder = nn.Sequential(*(nn.TransformerEncoderLayer(768, 12, 3072, activation="gelu", batch_first=True) for _ in range(12)))

    def forward(self, audio):
        x = audio.unsqueeze(1)
        for conv in self.convs:
            x = F.gelu(conv(x))
        x = self.proj(self.norm(x.transpose(1, 2)))
        p = self.pos(x.transpose(1, 2))[:, :, : x.shape[1]]
        x = self.encoder(x + F.gelu(p).transpose(1, 2))
        return x.transpose(1, 2)


class VqEncoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.proj = nn.Conv1d(768, 768, 2, stride=2)
        self.codebook = nn.Parameter(torch.randn(1024, 768))

    def forward(self, ssl_content):
        x = self.proj(ssl_content)[0].transpose(0, 1)  # [T/2, 768]
        d = (x * x).sum(1, keepdim=True) - 2 * x @ self.codebook.t() + (self.codebook * self.codebook).sum(1).unsqueeze(0)
        return torch.argmin(d, dim=1).reshape(1, 1, -1)


class Bert(nn.Module):
    """RoBERTa-large size: 24 layers x 1024, 16 heads, FFN 4096; hidden_states[-3] is layer 22's output."""

    def __init__(self, vocab):
        super().__init__()
        self.tok = nn.Embedding(vocab, 1024)
        self.pos = nn.Embedding(512, 1024)
        self.typ = nn.Embedding(2, 1024)
        self.layers = nn.ModuleList(nn.TransformerEncoderLayer(1024, 16, 4096, activation="gelu", batch_first=True) for _ in range(24))

    def forward(self, input_ids, attention_mask, token_type_ids):
        x = self.tok(input_ids) + self.pos(torch.arange(input_ids.shape[1]).unsqueeze(0)) + self.typ(token_type_ids)
        x = x * attention_mask.unsqueeze(2).float()
        for layer in self.layers[:22]:
            x = layer(x)
        return x


def symbol_table():
    """732 entries: the ids the contract names, zh initials/finals with tones, ARPAbet with stress, the rest filler.
    (Not upstream's exact order; the weights are random, so only the count and the named ids matter.)"""
    fixed = {"!": 0, ",": 1, "-": 2, ".": 3, "?": 4, "SP": 77, "UNK": 86, "_": 95, "a1": 97, "…": 321}
    finals = ["a", "ai", "an", "ang", "ao", "e", "E", "ei", "en", "eng", "er", "i", "i0", "ia", "ian", "iang", "iao", "ie", "in", "ing",
              "iong", "ir", "iu", "o", "ong", "ou", "u", "ua", "uai", "uan", "uang", "ui", "un", "uo", "v", "van", "ve", "vn"]
    initials = ["b", "c", "ch", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "q", "r", "s", "sh", "t", "w", "x", "y", "z", "zh", "AA", "EE", "OO"]
    vowels = ["AA", "AE", "AH", "AO", "AW", "AY", "EH", "ER", "EY", "IH", "IY", "OW", "OY", "UH", "UW"]
    consonants = ["B", "CH", "D", "DH", "F", "G", "HH", "JH", "K", "L", "M", "N", "NG", "P", "R", "S", "SH", "T", "TH", "V", "W", "Y", "Z", "ZH"]
    names = [f + str(t) for f in finals for t in range(1, 6)] + initials + [v + str(s) for v in vowels for s in range(3)] + consonants + ["SP2", "SP3", "[", "]"]
    table = dict(fixed)
    free = iter(i for i in range(PHONES) if i not in fixed.values())
    for name in names:
        if name not in table:
            table[name] = next(free)
    for i in free:
        table[f"x{i}"] = i
    assert len(table) == PHONES
    return table


def config():
    return {
        "train": {"segment_size": 20480},
        "data": {"max_wav_value": 32768.0, "sampling_rate": 32000, "filter_length": 2048, "hop_length": 640, "win_length": 2048,
                 "n_mel_channels": 128, "mel_fmin": 0.0, "mel_fmax": None, "add_blank": True, "n_speakers": 300, "cleaned_text": True},
        "model": {"inter_channels": 192, "hidden_channels": 192, "filter_channels": 768, "n_heads": 2, "n_layers": 6, "kernel_size": 3,
                  "gin_channels": 512, "upsample_rates": [10, 8, 2, 2, 2], "upsample_initial_channel": 512,
                  "upsample_kernel_sizes": [16, 16, 8, 2, 2], "semantic_frame_rate": "25hz", "version": "v2"},
        "s2_ckpt_dir": "random-weights", "content_module": "cnhubert",
        "symbol_to_id": symbol_table(),
    }


def export(model, args, path, inputs, outputs, axes):
    model.eval()  # traced with gradients on: PyTorch's fused transformer fast path has no ONNX export
    torch.onnx.export(model, args, path, input_names=inputs, output_names=outputs, dynamic_axes=axes, opset_version=OPSET,
                      do_constant_folding=True)
    count = sum(p.numel() for p in model.parameters())
    print(f"{os.path.basename(path)}: {count / 1e6:.1f} M weights, {os.path.getsize(path) / 2**20:.0f} MiB", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out")
    parser.add_argument("--max-len", type=int, default=1000)
    parser.add_argument("--bert", action="store_true", help="also write bert.onnx (RoBERTa-large size, 1.2 GB) and vocab.txt")
    parser.add_argument("--only", nargs="*", help="graphs to write (ssl vq_encoder gpt sovits bert)")
    parser.add_argument("--fp16", action="store_true",
                        help="float16 inputs and outputs, as the exporter's onnx_to_fp16.py leaves them (vq_encoder stays float)")
    a = parser.parse_args()
    os.makedirs(a.out, exist_ok=True)
    want = set(a.only or ["ssl", "vq_encoder", "gpt", "sovits"] + (["bert"] if a.bert else []))
    out = lambda f: os.path.join(a.out, f)
    B, O = "batch_size", "one"
    if "ssl" in want:
        export(Ssl(), (torch.randn(1, 32000),), out("ssl.onnx"), ["audio"], ["last_hidden_state"],
               {"audio": {0: B, 1: "time"}, "last_hidden_state": {0: B, 2: "time"}})
    if "vq_encoder" in want:
        export(VqEncoder(), (torch.randn(1, 768, 100),), out("vq_encoder.onnx"), ["ssl_content"], ["codes"],
               {"ssl_content": {0: B, 2: "time"}, "codes": {0: B, 1: O, 2: "time"}})
    if "gpt" in want:
        t2s = T2s()
        x, y = 30, 40
        export(GptEncoder(t2s, a.max_len), (torch.randint(0, PHONES, (1, x)), torch.tensor([x]), torch.randint(0, 1024, (1, y)), torch.randn(1, 1024, x)),
               out("gpt_encoder.onnx"), ["phoneme_ids", "phoneme_ids_len", "prompts", "bert_feature"],
               ["topk_values", "topk_indices", "k_cache", "v_cache", "x_len", "y_len"],
               {"phoneme_ids": {0: B, 1: "text_len"}, "prompts": {0: B, 1: "prompt_len"}, "bert_feature": {0: B, 2: "text_len"},
                "topk_values": {0: B}, "topk_indices": {0: B}, "x_len": {0: O}, "y_len": {0: O}})
        cache = torch.zeros(LAYERS, 1, a.max_len, WIDTH)
        one = torch.tensor([1], dtype=torch.int64)
        export(GptStep(t2s, a.max_len), (torch.tensor([[5]]), cache, cache, one * x, one * y, one * 0), out("gpt_step.onnx"),
               ["samples", "k_cache", "v_cache", "x_len", "y_len", "idx"], ["topk_values", "topk_indices", "k_cache_new", "v_cache_new"],
               {"samples": {0: B, 1: O}, "x_len": {0: O}, "y_len": {0: O}, "idx": {0: O}, "topk_values": {0: B}, "topk_indices": {0: B},
                "k_cache": {1: B}, "v_cache": {1: B}, "k_cache_new": {1: B}, "v_cache_new": {1: B}})
        print(f"t2s: {sum(p.numel() for p in t2s.parameters()) / 1e6:.1f} M weights (in both gpt graphs)")
    if "sovits" in want:
        export(Sovits(), (torch.randint(0, 1024, (1, 1, 30)), torch.randint(0, PHONES, (1, 20)), torch.randn(1, 1025, 100), torch.tensor([0.5]), torch.tensor([1.0])),
               out("sovits.onnx"), ["pred_semantic", "text_seq", "refer_spec", "noise_scale", "speed"], ["audio"],
               {"pred_semantic": {0: O, 1: O, 2: "sem_len"}, "text_seq": {0: O, 1: "text_len"}, "refer_spec": {0: O, 2: "ref_len"},
                "audio": {0: O, 1: O, 2: "audio_len"}})
    if "bert" in want:
        vocab = ["[PAD]"] + [f"[unused{i}]" for i in range(99)] + ["[UNK]", "[CLS]", "[SEP]", "[MASK]"]
        vocab += [chr(c) for c in range(0x21, 0x7f)] + [chr(c) for c in range(0x4E00, 0x9FA6)]
        with open(out("vocab.txt"), "w", encoding="utf-8") as f:
            f.write("\n".join(dict.fromkeys(vocab)) + "\n")
        ids = torch.randint(0, 1000, (1, 12))
        export(Bert(len(vocab)), (ids, torch.ones_like(ids), torch.zeros_like(ids)), out("bert.onnx"),
               ["input_ids", "attention_mask", "token_type_ids"], ["hidden_states"],
               {"input_ids": {0: B, 1: "seq_len"}, "attention_mask": {0: B, 1: "seq_len"}, "token_type_ids": {0: B, 1: "seq_len"}, "hidden_states": {0: B, 1: "seq_len"}})
    if a.fp16:
        for graph in sorted(want - {"vq_encoder"}):
            for file in ["gpt_encoder.onnx", "gpt_step.onnx"] if graph == "gpt" else [graph + ".onnx"]:
                half_io(out(file))
    with open(out("config.json"), "w", encoding="utf-8") as f:
        json.dump(config(), f, ensure_ascii=False, indent=1)


FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "EdgeVoice.Tests", "Fixtures")


def half_io(path):
    """Rewrites one graph with float16 inputs and outputs (casts at its edges, the weights and arithmetic
    inside stay float): what EdgeVoice meets in a bundle converted by the exporter's onnx_to_fp16.py."""
    import onnx
    if FIXTURES not in sys.path:
        sys.path.insert(0, FIXTURES)
    from make_gpt_sovits_fixtures import half_graph_io  # the fixture bundle min-fp16 is made the same way
    model = onnx.load(path)
    half_graph_io(model.graph)
    onnx.save(model, path)
    print(f"{os.path.basename(path)}: float16 inputs and outputs", flush=True)


if __name__ == "__main__":
    main()
