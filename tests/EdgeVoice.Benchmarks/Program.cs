using BenchmarkDotNet.Running;
using EdgeVoice.Benchmarks;

// dotnet run -c Release --project tests/EdgeVoice.Benchmarks -- --filter '*'
// dotnet run -c Release --project tests/EdgeVoice.Benchmarks -- journal [COUNT]
if (args is ["journal", ..])
{
    JournalBenchmark.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5000);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(TextBenchmarks).Assembly).Run(args);
