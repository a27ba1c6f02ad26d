using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace EdgeVoice.Tests.Support;

/// <summary>
/// EdgeVoice as a separate process, the way systemd runs it: the native binary named by
/// <c>EDGEVOICE_BINARY</c> (scripts/check-aot.sh sets it to the Native AOT build), otherwise the JIT
/// build beside the tests (<c>dotnet edgevoice.dll</c>), so the same tests cover both.
/// </summary>
internal sealed partial class DaemonProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private DaemonProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>What is run: the native binary, or the JIT build.</summary>
    public static string Description => Environment.GetEnvironmentVariable("EDGEVOICE_BINARY") is { Length: > 0 } native ? native : "dotnet edgevoice.dll";

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static DaemonProcess Start(params string[] arguments) => Start(new Dictionary<string, string>(), arguments);

    /// <summary>Starts the binary with <paramref name="environment"/> added to the child's environment only (never this process's).</summary>
    public static DaemonProcess Start(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var native = Environment.GetEnvironmentVariable("EDGEVOICE_BINARY");
        var start = new ProcessStartInfo(string.IsNullOrEmpty(native) ? "dotnet" : native)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (string.IsNullOrEmpty(native))
        {
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "edgevoice.dll"));
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["Logging__Console__FormatterName"] = "simple";

        // Each process its own journal unless a test names one (--Journal:Directory=…, stronger than the environment).
        start.Environment["EDGEVOICE_Journal__Directory"] = Path.Combine(Path.GetTempPath(), "edgevoice-journal", Guid.NewGuid().ToString("N"));

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return new DaemonProcess(Process.Start(start)!);
    }

    /// <summary>Runs a command to its end: exit code and everything it printed.</summary>
    public static Task<(int ExitCode, string Output)> RunAsync(TimeSpan timeout, params string[] arguments) =>
        RunAsync(timeout, new Dictionary<string, string>(), arguments);

    /// <summary>Runs a command to its end with <paramref name="environment"/> added to the child's environment.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(TimeSpan timeout, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        using var process = Start(environment, arguments);
        var code = await process.WaitForExitAsync(timeout);
        return (code, process.Output);
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{Description} did not exit within {timeout.TotalSeconds} s. It printed:\n{Output}");
        }

        _process.WaitForExit(); // the output readers finish
        return _process.ExitCode;
    }

    /// <summary>Sends SIGTERM, as systemd does to stop a service.</summary>
    public void Terminate()
    {
        if (Kill(_process.Id, 15) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, SIGTERM) failed");
        }
    }

    /// <summary>Sends SIGKILL: a crash, an out-of-memory kill, the end of a watchdog restart.</summary>
    public void KillHard()
    {
        if (Kill(_process.Id, 9) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, SIGKILL) failed");
        }

        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);
}
