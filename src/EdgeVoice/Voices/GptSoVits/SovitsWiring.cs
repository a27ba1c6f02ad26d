using EdgeVoice.Inference;

namespace EdgeVoice.Voices.GptSoVits;

/// <summary>
/// Which decoder input really takes the prior-noise multiplier (<c>GptSoVits:NoiseScale</c>) and which
/// takes the chunk's speed. The minimal exporter passes a v2 model's arguments by position, so in its
/// sovits graph the input named <c>speed</c> multiplies the noise (<c>z_p = m_p + randn·exp(logs_p)·speed</c>)
/// and <c>noise_scale</c> is pruned. The graph is traced to tell: an input whose values reach a
/// <c>Mul</c> with the output of a <c>RandomNormal</c>/<c>RandomNormalLike</c> node is the noise
/// multiplier. Where nothing is traced (no random node, or a graph that cannot be read) the names are
/// taken at their word.
/// </summary>
internal sealed record SovitsWiring(string? NoiseInput, string? SpeedInput, bool Traced)
{
    private static readonly string[] Candidates = ["noise_scale", "speed"];

    /// <summary>True when the input named <c>speed</c> is the noise multiplier (the v2 minimal export).</summary>
    public bool SpeedIsNoise => NoiseInput == "speed";

    /// <summary>One line for <c>edgevoice voices</c>.</summary>
    public string Describe() =>
        $"noise multiplier: {(NoiseInput is null ? "none" : $"'{NoiseInput}'")}{(SpeedIsNoise ? " (v2 minimal export: its 'speed' input is the noise)" : "")}; " +
        $"speed: {(SpeedInput is null ? "not in the graph" : $"'{SpeedInput}'")}; {(Traced ? "traced from the graph" : "by input name")}";

    /// <summary>The wiring of the decoder graph at <paramref name="path"/> whose session declares <paramref name="inputs"/>.</summary>
    public static SovitsWiring Of(string path, IReadOnlyCollection<string> inputs)
    {
        string? traced = null;
        var wasTraced = false;
        try
        {
            var nodes = OnnxGraph.Nodes(path);
            var random = Cone(nodes, nodes.Where(n => n.OpType is "RandomNormal" or "RandomNormalLike").SelectMany(n => n.Outputs));
            if (random.Count > 0)
            {
                wasTraced = true;
                traced = Candidates.FirstOrDefault(c => inputs.Contains(c) && MultipliesNoise(nodes, Cone(nodes, [c]), random));
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException or OverflowException)
        {
            wasTraced = false;
        }

        var noise = traced ?? (inputs.Contains("noise_scale") ? "noise_scale" : null);
        var speed = inputs.Contains("speed") && noise != "speed" ? "speed" : null;
        return new SovitsWiring(noise, speed, wasTraced);
    }

    private static bool MultipliesNoise(IReadOnlyList<OnnxGraph.Node> nodes, HashSet<string> cone, HashSet<string> random) =>
        nodes.Any(n => n.OpType == "Mul"
            && n.Inputs.Any(i => cone.Contains(i) && !random.Contains(i))
            && n.Inputs.Any(i => random.Contains(i) && !cone.Contains(i)));

    /// <summary>Every tensor computed (directly or not) from <paramref name="from"/>, those included.</summary>
    private static HashSet<string> Cone(IReadOnlyList<OnnxGraph.Node> nodes, IEnumerable<string> from)
    {
        var reached = new HashSet<string>(from, StringComparer.Ordinal);
        bool grew;
        do
        {
            grew = false;
            foreach (var node in nodes)
            {
                if (node.Inputs.Any(reached.Contains))
                {
                    foreach (var output in node.Outputs)
                    {
                        grew |= reached.Add(output);
                    }
                }
            }
        }
        while (grew);
        return reached;
    }
}
