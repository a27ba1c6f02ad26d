using BenchmarkDotNet.Running;
using EdgeVoice.Benchmarks;

// dotnet run -c Release --project tests/EdgeVoice.Benchmarks -- --filter '*'
if (args.Length > 0 && args[0] == "probe") { Probe.Run(); return; }
BenchmarkSwitcher.FromAssembly(typeof(TextBenchmarks).Assembly).Run(args);
