#!/usr/bin/python3
"""Writes a real-size Piper "medium" voice with random weights: the VITS graph Piper exports
(text encoder with relative-position attention, stochastic duration predictor, residual-coupling
flow, HiFi-GAN decoder with resblock 2 and upsample rates 8,8,4 from 256 channels), through
torch.onnx.export as Piper's export_onnx.py does (inputs input/input_lengths/scales, output
`output` [batch_size, time, 1, T]), and its .onnx.json config. It costs the compute and memory of a
trained medium voice; it does not speak. Also writes what sherpa-onnx needs to run the same model:
a copy with sherpa's metadata (model_type vits, comment piper) and tokens.txt.

Not in CI (63 MB, minutes). Output to a git-ignored folder:

    apt-get install -y python3-torch python3-onnx
    /usr/bin/python3 scripts/gen-piper.py out/piper-medium

Writes OUT/voices/en_US-real-medium.onnx(.json) for EdgeVoice (`--voices OUT/voices`) and
OUT/sherpa/{model.onnx,tokens.txt}.
"""
import json
import math
import os
import shutil
import sys

import torch
from torch import nn
from torch.nn import functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "EdgeVoice.Tests", "Fixtures"))
from make_piper_fixtures import PHONEME_ID_MAP  # noqa: E402  Piper's en-us map

# Piper medium (piper_train/__main__.py, quality "medium"): the VITS defaults with the smaller decoder.
N_VOCAB = 256
INTER = HIDDEN = 192
FILTER = 768
HEADS, LAYERS, KERNEL = 2, 6, 3
WINDOW = 4
RESBLOCK_KERNELS = (3, 5, 7)
RESBLOCK_DILATIONS = ((1, 2), (2, 6), (3, 12))
UPSAMPLE_RATES = (8, 8, 4)
UPSAMPLE_KERNELS = (16, 16, 8)
UPSAMPLE_CHANNELS = 256
RATE = 22050


def sequence_mask(length, max_length=None):
    if max_length is None:
        max_length = length.max()
    x = torch.arange(max_length, dtype=length.dtype, device=length.device)
    return x.unsqueeze(0) < length.unsqueeze(1)


class LayerNorm(nn.Module):
    def __init__(self, channels, eps=1e-5):
        super().__init__()
        self.channels, self.eps = channels, eps
        self.gamma = nn.Parameter(torch.ones(channels))
        self.beta = nn.Parameter(torch.zeros(channels))

    def forward(self, x):
        x = x.transpose(1, -1)
        x = F.layer_norm(x, (self.channels,), self.gamma, self.beta, self.eps)
        return x.transpose(1, -1)


class MultiHeadAttention(nn.Module):
    def __init__(self, channels, out_channels, n_heads, window_size):
        super().__init__()
        self.n_heads, self.window_size = n_heads, window_size
        self.k_channels = channels // n_heads
        self.conv_q = nn.Conv1d(channels, channels, 1)
        self.conv_k = nn.Conv1d(channels, channels, 1)
        self.conv_v = nn.Conv1d(channels, channels, 1)
        self.conv_o = nn.Conv1d(channels, out_channels, 1)
        rel_stddev = self.k_channels ** -0.5
        self.emb_rel_k = nn.Parameter(torch.randn(1, window_size * 2 + 1, self.k_channels) * rel_stddev)
        self.emb_rel_v = nn.Parameter(torch.randn(1, window_size * 2 + 1, self.k_channels) * rel_stddev)

    def forward(self, x, c, attn_mask):
        q, k, v = self.conv_q(x), self.conv_k(c), self.conv_v(c)
        b, d, t = k.size(0), k.size(1), k.size(2)
        q = q.view(b, self.n_heads, self.k_channels, -1).transpose(2, 3)
        k = k.view(b, self.n_heads, self.k_channels, -1).transpose(2, 3)
        v = v.view(b, self.n_heads, self.k_channels, -1).transpose(2, 3)
        q = q / math.sqrt(self.k_channels)
        scores = torch.matmul(q, k.transpose(-2, -1))
        rel_k = self._relative_embeddings(self.emb_rel_k, t)
        scores = scores + self._rel_to_abs(torch.matmul(q, rel_k.unsqueeze(0).transpose(-2, -1)))
        scores = scores.masked_fill(attn_mask == 0, -1e4)
        p_attn = F.softmax(scores, dim=-1)
        output = torch.matmul(p_attn, v)
        rel_v = self._relative_embeddings(self.emb_rel_v, t)
        output = output + torch.matmul(self._abs_to_rel(p_attn), rel_v.unsqueeze(0))
        output = output.transpose(2, 3).contiguous().view(b, d, -1)
        return self.conv_o(output)

    def _relative_embeddings(self, rel, length):
        # Rows for relative positions -(length-1)..(length-1), zero outside the window (dynamic length).
        padded = F.pad(rel, [0, 0, length, length, 0, 0])
        start = self.window_size + 1
        return padded[:, start:start + 2 * length - 1]

    @staticmethod
    def _rel_to_abs(x):
        batch, heads, length = x.size(0), x.size(1), x.size(2)
        x = F.pad(x, [0, 1, 0, 0, 0, 0, 0, 0])
        x_flat = x.view(batch, heads, length * 2 * length)
        x_flat = F.pad(x_flat, [0, length - 1, 0, 0, 0, 0])
        return x_flat.view(batch, heads, length + 1, 2 * length - 1)[:, :, :length, length - 1:]

    @staticmethod
    def _abs_to_rel(x):
        batch, heads, length = x.size(0), x.size(1), x.size(2)
        x = F.pad(x, [0, length - 1, 0, 0, 0, 0, 0, 0])
        x_flat = x.view(batch, heads, length * length + length * (length - 1))
        x_flat = F.pad(x_flat, [length, 0, 0, 0, 0, 0])
        return x_flat.view(batch, heads, length, 2 * length)[:, :, :, 1:]


class FFN(nn.Module):
    def __init__(self, channels, filter_channels, kernel_size):
        super().__init__()
        self.k = kernel_size
        self.conv_1 = nn.Conv1d(channels, filter_channels, kernel_size)
        self.conv_2 = nn.Conv1d(filter_channels, channels, kernel_size)

    def _pad(self, x):
        return F.pad(x, [(self.k - 1) // 2, self.k // 2, 0, 0, 0, 0])

    def forward(self, x, x_mask):
        x = torch.relu(self.conv_1(self._pad(x * x_mask)))
        return self.conv_2(self._pad(x * x_mask)) * x_mask


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.attn_layers = nn.ModuleList(MultiHeadAttention(HIDDEN, HIDDEN, HEADS, WINDOW) for _ in range(LAYERS))
        self.norm_layers_1 = nn.ModuleList(LayerNorm(HIDDEN) for _ in range(LAYERS))
        self.ffn_layers = nn.ModuleList(FFN(HIDDEN, FILTER, KERNEL) for _ in range(LAYERS))
        self.norm_layers_2 = nn.ModuleList(LayerNorm(HIDDEN) for _ in range(LAYERS))

    def forward(self, x, x_mask):
        attn_mask = x_mask.unsqueeze(2) * x_mask.unsqueeze(-1)
        x = x * x_mask
        for i in range(LAYERS):
            x = self.norm_layers_1[i](x + self.attn_layers[i](x, x, attn_mask))
            x = self.norm_layers_2[i](x + self.ffn_layers[i](x, x_mask))
        return x * x_mask


class TextEncoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(N_VOCAB, HIDDEN)
        nn.init.normal_(self.emb.weight, 0.0, HIDDEN ** -0.5)
        self.encoder = Encoder()
        self.proj = nn.Conv1d(HIDDEN, INTER * 2, 1)

    def forward(self, x, x_lengths):
        x = self.emb(x) * math.sqrt(HIDDEN)
        x = torch.transpose(x, 1, -1)
        x_mask = torch.unsqueeze(sequence_mask(x_lengths, x.size(2)), 1).to(x.dtype)
        x = self.encoder(x * x_mask, x_mask)
        stats = self.proj(x) * x_mask
        m, logs = torch.split(stats, INTER, dim=1)
        return x, m, logs, x_mask


class DDSConv(nn.Module):
    def __init__(self, channels, kernel_size, n_layers):
        super().__init__()
        self.n_layers = n_layers
        self.convs_sep, self.convs_1x1 = nn.ModuleList(), nn.ModuleList()
        self.norms_1, self.norms_2 = nn.ModuleList(), nn.ModuleList()
        for i in range(n_layers):
            dilation = kernel_size ** i
            padding = (kernel_size * dilation - dilation) // 2
            self.convs_sep.append(nn.Conv1d(channels, channels, kernel_size, groups=channels, dilation=dilation, padding=padding))
            self.convs_1x1.append(nn.Conv1d(channels, channels, 1))
            self.norms_1.append(LayerNorm(channels))
            self.norms_2.append(LayerNorm(channels))

    def forward(self, x, x_mask, g=None):
        if g is not None:
            x = x + g
        for i in range(self.n_layers):
            y = F.gelu(self.norms_1[i](self.convs_sep[i](x * x_mask)))
            y = F.gelu(self.norms_2[i](self.convs_1x1[i](y)))
            x = x + y
        return x * x_mask


def rq_spline_inverse(inputs, uw, uh, ud, tail_bound=5.0, min_w=1e-3, min_h=1e-3, min_d=1e-3):
    """Inverse of the unconstrained rational-quadratic spline with linear tails (VITS transforms.py)."""
    inside = (inputs >= -tail_bound) & (inputs <= tail_bound)
    ud = F.pad(ud, pad=(1, 1))
    constant = math.log(math.exp(1 - min_d) - 1)
    ud = torch.cat([torch.full_like(ud[..., :1], constant), ud[..., 1:-1], torch.full_like(ud[..., :1], constant)], dim=-1)
    num_bins = uw.shape[-1]
    x = inputs.clamp(-tail_bound, tail_bound)

    widths = F.softmax(uw, dim=-1)
    widths = min_w + (1 - min_w * num_bins) * widths
    cumwidths = F.pad(torch.cumsum(widths, dim=-1), pad=(1, 0), mode="constant", value=0.0)
    cumwidths = 2 * tail_bound * cumwidths - tail_bound
    cumwidths = torch.cat([cumwidths[..., :1] * 0 - tail_bound, cumwidths[..., 1:-1], cumwidths[..., :1] * 0 + tail_bound], dim=-1)
    widths = cumwidths[..., 1:] - cumwidths[..., :-1]
    derivatives = min_d + F.softplus(ud)
    heights = F.softmax(uh, dim=-1)
    heights = min_h + (1 - min_h * num_bins) * heights
    cumheights = F.pad(torch.cumsum(heights, dim=-1), pad=(1, 0), mode="constant", value=0.0)
    cumheights = 2 * tail_bound * cumheights - tail_bound
    cumheights = torch.cat([cumheights[..., :1] * 0 - tail_bound, cumheights[..., 1:-1], cumheights[..., :1] * 0 + tail_bound], dim=-1)
    heights = cumheights[..., 1:] - cumheights[..., :-1]

    locations = cumheights.clone()
    locations[..., -1] += 1e-6
    bin_idx = (torch.sum(x[..., None] >= locations, dim=-1) - 1).clamp(0, num_bins - 1)[..., None]
    in_cumwidths = cumwidths.gather(-1, bin_idx)[..., 0]
    in_widths = widths.gather(-1, bin_idx)[..., 0]
    in_cumheights = cumheights.gather(-1, bin_idx)[..., 0]
    delta = heights / widths
    in_delta = delta.gather(-1, bin_idx)[..., 0]
    in_derivatives = derivatives.gather(-1, bin_idx)[..., 0]
    in_derivatives_plus_one = derivatives[..., 1:].gather(-1, bin_idx)[..., 0]
    in_heights = heights.gather(-1, bin_idx)[..., 0]

    a = (x - in_cumheights) * (in_derivatives + in_derivatives_plus_one - 2 * in_delta) + in_heights * (in_delta - in_derivatives)
    b = in_heights * in_derivatives - (x - in_cumheights) * (in_derivatives + in_derivatives_plus_one - 2 * in_delta)
    c = -in_delta * (x - in_cumheights)
    discriminant = b.pow(2) - 4 * a * c
    root = (2 * c) / (-b - torch.sqrt(discriminant.clamp(min=0)))
    outputs = root * in_widths + in_cumwidths
    return torch.where(inside, outputs, inputs)


class ConvFlow(nn.Module):
    def __init__(self, in_channels, filter_channels, kernel_size, n_layers, num_bins=10):
        super().__init__()
        self.half, self.filter, self.num_bins = in_channels // 2, filter_channels, num_bins
        self.pre = nn.Conv1d(self.half, filter_channels, 1)
        self.convs = DDSConv(filter_channels, kernel_size, n_layers)
        self.proj = nn.Conv1d(filter_channels, self.half * (num_bins * 3 - 1), 1)

    def forward(self, x, x_mask, g):
        x0, x1 = torch.split(x, [self.half, self.half], 1)
        h = self.proj(self.convs(self.pre(x0), x_mask, g=g)) * x_mask
        b, c, t = x0.size(0), x0.size(1), x0.size(2)
        h = h.reshape(b, c, -1, t).permute(0, 1, 3, 2)
        uw = h[..., :self.num_bins] / math.sqrt(self.filter)
        uh = h[..., self.num_bins:2 * self.num_bins] / math.sqrt(self.filter)
        ud = h[..., 2 * self.num_bins:]
        x1 = rq_spline_inverse(x1, uw, uh, ud)
        return torch.cat([x0, x1], 1) * x_mask


class ElementwiseAffine(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.m = nn.Parameter(torch.zeros(channels, 1))
        self.logs = nn.Parameter(torch.zeros(channels, 1))

    def forward(self, x, x_mask, g):
        return (x - self.m) * torch.exp(-self.logs) * x_mask


class Flip(nn.Module):
    def forward(self, x, *args, **kwargs):
        return torch.flip(x, [1])


class StochasticDurationPredictor(nn.Module):
    def __init__(self, in_channels=HIDDEN, filter_channels=192, kernel_size=3, n_flows=4):
        super().__init__()
        filter_channels = in_channels
        self.flows = nn.ModuleList([ElementwiseAffine(2)])
        for _ in range(n_flows):
            self.flows.append(ConvFlow(2, filter_channels, kernel_size, n_layers=3))
            self.flows.append(Flip())
        self.pre = nn.Conv1d(in_channels, filter_channels, 1)
        self.proj = nn.Conv1d(filter_channels, filter_channels, 1)
        self.convs = DDSConv(filter_channels, kernel_size, n_layers=3)

    def forward(self, x, x_mask, noise_scale):
        x = self.proj(self.convs(self.pre(x), x_mask)) * x_mask
        flows = list(reversed(self.flows))
        flows = flows[:-2] + [flows[-1]]  # VITS drops a useless flow in reverse
        z = torch.randn(x.size(0), 2, x.size(2)).to(dtype=x.dtype) * noise_scale
        for flow in flows:
            z = flow(z, x_mask, x)
        z0, _ = torch.split(z, [1, 1], 1)
        return z0


class WN(nn.Module):
    def __init__(self, hidden, kernel_size, n_layers):
        super().__init__()
        self.hidden, self.n_layers = hidden, n_layers
        self.in_layers, self.res_skip_layers = nn.ModuleList(), nn.ModuleList()
        for i in range(n_layers):
            self.in_layers.append(nn.Conv1d(hidden, 2 * hidden, kernel_size, padding=(kernel_size - 1) // 2))
            self.res_skip_layers.append(nn.Conv1d(hidden, 2 * hidden if i < n_layers - 1 else hidden, 1))

    def forward(self, x, x_mask):
        output = torch.zeros_like(x)
        for i in range(self.n_layers):
            a = self.in_layers[i](x)
            acts = torch.tanh(a[:, :self.hidden]) * torch.sigmoid(a[:, self.hidden:])
            res_skip = self.res_skip_layers[i](acts)
            if i < self.n_layers - 1:
                x = (x + res_skip[:, :self.hidden]) * x_mask
                output = output + res_skip[:, self.hidden:]
            else:
                output = output + res_skip
        return output * x_mask


class ResidualCouplingLayer(nn.Module):
    def __init__(self):
        super().__init__()
        self.half = INTER // 2
        self.pre = nn.Conv1d(self.half, HIDDEN, 1)
        self.enc = WN(HIDDEN, 5, 4)
        self.post = nn.Conv1d(HIDDEN, self.half, 1)  # mean only
        nn.init.normal_(self.post.weight, 0.0, 0.02)

    def forward(self, x, x_mask):
        x0, x1 = torch.split(x, [self.half, self.half], 1)
        m = self.post(self.enc(self.pre(x0) * x_mask, x_mask)) * x_mask
        return torch.cat([x0, (x1 - m) * x_mask], 1)


class Flow(nn.Module):
    def __init__(self, n_flows=4):
        super().__init__()
        self.flows = nn.ModuleList()
        for _ in range(n_flows):
            self.flows.append(ResidualCouplingLayer())
            self.flows.append(Flip())

    def forward(self, x, x_mask):
        for flow in reversed(self.flows):
            x = flow(x, x_mask)
        return x


class ResBlock2(nn.Module):
    def __init__(self, channels, kernel_size, dilation):
        super().__init__()
        self.convs = nn.ModuleList(
            nn.Conv1d(channels, channels, kernel_size, 1, dilation=d, padding=(kernel_size * d - d) // 2) for d in dilation)

    def forward(self, x):
        for c in self.convs:
            x = c(F.leaky_relu(x, 0.1)) + x
        return x


class Generator(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv_pre = nn.Conv1d(INTER, UPSAMPLE_CHANNELS, 7, 1, padding=3)
        self.ups, self.resblocks = nn.ModuleList(), nn.ModuleList()
        for i, (u, k) in enumerate(zip(UPSAMPLE_RATES, UPSAMPLE_KERNELS)):
            cin, cout = UPSAMPLE_CHANNELS // (2 ** i), UPSAMPLE_CHANNELS // (2 ** (i + 1))
            self.ups.append(nn.ConvTranspose1d(cin, cout, k, u, padding=(k - u) // 2))
            for rk, rd in zip(RESBLOCK_KERNELS, RESBLOCK_DILATIONS):
                self.resblocks.append(ResBlock2(cout, rk, rd))
        self.conv_post = nn.Conv1d(cout, 1, 7, 1, padding=3, bias=False)
        for m in self.modules():
            if isinstance(m, (nn.Conv1d, nn.ConvTranspose1d)):
                nn.init.normal_(m.weight, 0.0, 0.01)

    def forward(self, x):
        x = self.conv_pre(x)
        n = len(RESBLOCK_KERNELS)
        for i, up in enumerate(self.ups):
            x = up(F.leaky_relu(x, 0.1))
            xs = self.resblocks[i * n](x)
            for j in range(1, n):
                xs = xs + self.resblocks[i * n + j](x)
            x = xs / n
        return torch.tanh(self.conv_post(F.leaky_relu(x)))


def generate_path(duration, mask):
    b, t_y, t_x = mask.size(0), mask.size(2), mask.size(3)
    cum_duration = torch.cumsum(duration, -1)
    path = sequence_mask(cum_duration.view(b * t_x), t_y).to(mask.dtype)
    path = path.view(b, t_x, t_y)
    path = path - F.pad(path, [0, 0, 1, 0, 0, 0])[:, :-1]
    return path.unsqueeze(1).transpose(2, 3) * mask


class Piper(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc_p = TextEncoder()
        self.dp = StochasticDurationPredictor()
        self.flow = Flow()
        self.dec = Generator()

    def forward(self, text, text_lengths, scales):
        noise_scale, length_scale, noise_scale_w = scales[0], scales[1], scales[2]
        x, m_p, logs_p, x_mask = self.enc_p(text, text_lengths)
        logw = self.dp(x, x_mask, noise_scale_w)
        w = torch.exp(logw) * x_mask * length_scale
        w_ceil = torch.ceil(w)
        y_lengths = torch.clamp_min(torch.sum(w_ceil, [1, 2]), 1).long()
        y_mask = torch.unsqueeze(sequence_mask(y_lengths, None), 1).to(x_mask.dtype)
        attn_mask = torch.unsqueeze(x_mask, 2) * torch.unsqueeze(y_mask, -1)
        attn = generate_path(w_ceil, attn_mask)
        m_p = torch.matmul(attn.squeeze(1), m_p.transpose(1, 2)).transpose(1, 2)
        logs_p = torch.matmul(attn.squeeze(1), logs_p.transpose(1, 2)).transpose(1, 2)
        z_p = m_p + torch.randn_like(m_p) * torch.exp(logs_p) * noise_scale
        z = self.flow(z_p, y_mask)
        return self.dec(z * y_mask).unsqueeze(1)  # Piper's export wrapper adds this axis


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "out/piper-medium"
    os.makedirs(os.path.join(out, "sherpa"), exist_ok=True)
    os.makedirs(os.path.join(out, "voices"), exist_ok=True)
    torch.manual_seed(7)
    model = Piper().eval()
    path = os.path.join(out, "voices", "en_US-real-medium.onnx")
    ids = torch.randint(4, 100, (1, 50), dtype=torch.long)
    with torch.no_grad():
        torch.onnx.export(
            model, (ids, torch.LongTensor([50]), torch.FloatTensor([0.667, 1.0, 0.8])), path,
            opset_version=17, input_names=["input", "input_lengths", "scales"], output_names=["output"],
            dynamic_axes={"input": {0: "batch_size", 1: "phonemes"}, "input_lengths": {0: "batch_size"},
                          "output": {0: "batch_size", 1: "time"}})
    config = {
        "audio": {"sample_rate": RATE, "quality": "medium"}, "espeak": {"voice": "en-us"},
        "phoneme_type": "espeak", "phoneme_id_map": PHONEME_ID_MAP, "num_symbols": N_VOCAB, "num_speakers": 1,
        "inference": {"noise_scale": 0.667, "length_scale": 1.0, "noise_w": 0.8},
        "language": {"code": "en_US", "name_english": "English"}, "dataset": "real", "piper_version": "1.0.0",
    }
    with open(path + ".json", "w", encoding="utf-8") as f:
        json.dump(config, f, ensure_ascii=False, indent=1)

    import onnx
    m = onnx.load(path)
    onnx.checker.check_model(m)
    weights = sum(math.prod(t.dims) for t in m.graph.initializer)
    dims = [d.dim_param or d.dim_value for d in m.graph.output[0].type.tensor_type.shape.dim]
    print(f"{path}: {weights / 1e6:.1f} M weights, {os.path.getsize(path) / 1e6:.1f} MB, output dims {dims}")

    # sherpa-onnx (scripts/piper/add_meta_data.py): metadata on the model, tokens.txt "symbol id".
    for key, value in {"model_type": "vits", "comment": "piper", "language": "English", "voice": "en-us",
                       "has_espeak": 1, "n_speakers": 1, "sample_rate": RATE}.items():
        entry = m.metadata_props.add()
        entry.key, entry.value = key, str(value)
    onnx.save(m, os.path.join(out, "sherpa", "model.onnx"))
    with open(os.path.join(out, "sherpa", "tokens.txt"), "w", encoding="utf-8") as f:
        for symbol, id_list in PHONEME_ID_MAP.items():
            f.write(f"{symbol} {id_list[0]}\n")
    print(f"{out}/sherpa: model.onnx with sherpa-onnx metadata, tokens.txt ({len(PHONEME_ID_MAP)} symbols)")


if __name__ == "__main__":
    main()
