namespace EdgeVoice.Benchmarks;
internal static class Probe
{
    public static void Run()
    {
        var text = TextBenchmarks.MixedText(1_000_000);
        var planner = new EdgeVoice.Text.TextPlanner(Microsoft.Extensions.Options.Options.Create(new EdgeVoice.Text.TextOptions()));
        for (var round = 0; round < 30; round++)
        {
            var sw = System.Diagnostics.Stopwatch.StartNew();
            var c = planner.Plan(text).Count();
            if (round % 5 == 4) System.Console.WriteLine($"plan {c} chunks {sw.Elapsed.TotalMilliseconds:F1} ms");
        }
    }
}
