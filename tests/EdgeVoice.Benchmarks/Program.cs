using BenchmarkDotNet.Running;
using EdgeVoice.Benchmarks;

// dotnet run -c Release --project tests/EdgeVoice.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(TextBenchmarks).Assembly).Run(args);
