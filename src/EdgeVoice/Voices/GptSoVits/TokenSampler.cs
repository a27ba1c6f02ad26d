namespace EdgeVoice.Voices.GptSoVits;

/// <summary>
/// Chooses the next semantic token on the host from the model's top candidates, as GPT-SoVITS's own
/// sampler does over the full vocabulary: repetition penalty on tokens already said (prompt included),
/// top-p, temperature, top-k, then a draw (argmax of p / Exp(1) noise). Seeded, it repeats exactly.
/// </summary>
internal sealed class TokenSampler(GptSoVitsOptions options, Random random)
{
    public const long Eos = 1024;

    private readonly List<(long Id, double Logit)> _candidates = new(64);

    /// <summary>
    /// The next token from <paramref name="logits"/> (descending, as TopK gives them) and their
    /// <paramref name="ids"/>. <paramref name="step"/> counts tokens made so far; end-of-speech is not a
    /// candidate before <see cref="GptSoVitsOptions.MinTokens"/>. <paramref name="stop"/> is true when the
    /// model's own best is end-of-speech or the draw is.
    /// </summary>
    public long Next(ReadOnlySpan<float> logits, ReadOnlySpan<long> ids, bool[] said, int step, out bool stop)
    {
        var eosAllowed = step >= options.MinTokens;
        _candidates.Clear();
        var modelBest = Eos;
        var bestRaw = float.NegativeInfinity;
        for (var i = 0; i < ids.Length; i++)
        {
            var id = ids[i];
            if (id == Eos && !eosAllowed)
            {
                continue;
            }

            if (logits[i] > bestRaw)
            {
                bestRaw = logits[i];
                modelBest = id;
            }

            double logit = logits[i];
            if ((ulong)id < (ulong)said.Length && said[id])
            {
                logit = logit >= 0 ? logit / options.RepetitionPenalty : logit * options.RepetitionPenalty;
            }

            _candidates.Add((id, logit));
        }

        if (_candidates.Count == 0)
        {
            stop = true;
            return Eos;
        }

        _candidates.Sort((a, b) => b.Logit.CompareTo(a.Logit));

        if (options.TopP < 1)
        {
            var probabilities = Softmax(1.0);
            var cumulative = 0.0;
            var keep = _candidates.Count;
            for (var i = 0; i < probabilities.Length; i++)
            {
                cumulative += probabilities[i];
                if (cumulative > options.TopP && i > 0)
                {
                    keep = i;
                    break;
                }
            }

            _candidates.RemoveRange(keep, _candidates.Count - keep);
        }

        if (_candidates.Count > options.TopK)
        {
            _candidates.RemoveRange(options.TopK, _candidates.Count - options.TopK);
        }

        var p = Softmax(Math.Max(options.Temperature, 1e-5));
        var best = 0;
        var bestScore = double.NegativeInfinity;
        for (var i = 0; i < p.Length; i++)
        {
            var noise = -Math.Log(1 - random.NextDouble()); // Exp(1)
            var score = p[i] / noise;
            if (score > bestScore)
            {
                bestScore = score;
                best = i;
            }
        }

        var token = _candidates[best].Id;
        stop = eosAllowed && (token == Eos || modelBest == Eos);
        return token;
    }

    private double[] Softmax(double temperature)
    {
        var result = new double[_candidates.Count];
        var max = _candidates[0].Logit / temperature;
        var sum = 0.0;
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = Math.Exp((_candidates[i].Logit / temperature) - max);
            sum += result[i];
        }

        for (var i = 0; i < result.Length; i++)
        {
            result[i] /= sum;
        }

        return result;
    }
}
