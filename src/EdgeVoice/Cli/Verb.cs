using EdgeVoice.Audio;
using EdgeVoice.Hosting;
using EdgeVoice.Voices;
using EdgeVoice.Voices.Espeak;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EdgeVoice.Cli;

/// <summary>What the verbs share: the guard that turns failures into a sentence and an exit code, and starting the host's services.</summary>
internal static class Verb
{
    /// <summary>One-shot verbs log warnings and errors only, unless the settings say otherwise.</summary>
    public static Dictionary<string, string?> Quiet(Dictionary<string, string?> overrides)
    {
        overrides.TryAdd("Logging:LogLevel:Default", "Warning");
        return overrides;
    }

    /// <summary>The argument, or standard input when it is missing or <c>-</c>.</summary>
    public static async Task<string> ReadTextAsync(string? argument, CancellationToken cancellationToken) =>
        argument is null or "-" ? await Console.In.ReadToEndAsync(cancellationToken).ConfigureAwait(false) : argument;

    /// <summary>Builds the host, checks the configuration, and works with its services; failures a user can fix become one sentence and an exit code.</summary>
    public static Task<int> WithServicesAsync(HostApplicationBuilder builder, Func<IServiceProvider, Task<int>> work, bool validate = true) =>
        GuardedAsync(async () =>
        {
            using var host = builder.Build();
            if (validate)
            {
                EdgeVoiceHost.ValidateConfiguration(host.Services);
            }

            return await work(host.Services).ConfigureAwait(false);
        });

    /// <summary>
    /// For the verbs that work on one voice with a text file: checks the file, loads only the voice asked for (exit code 2 otherwise), then works.
    /// </summary>
    public static Task<int> WithVoiceAsync(HostApplicationBuilder builder, FileInfo text, string? voiceName, Func<IServiceProvider, IVoice, string, Task<int>> work) =>
        WithServicesAsync(builder, async services =>
        {
            if (!text.Exists)
            {
                return Fail(CommandLine.Usage, $"the text file '{text.FullName}' does not exist.");
            }

            var registry = services.GetRequiredService<VoiceRegistry>();
            return registry.TryLoadOne(voiceName, out var chosen, out var error)
                ? await work(services, chosen, text.FullName).ConfigureAwait(false)
                : Fail(CommandLine.Usage, error + ".");
        });

    /// <summary>Turns the failures a user can fix into one sentence and an exit code, instead of a stack trace.</summary>
    public static async Task<int> GuardedAsync(Func<Task<int>> work)
    {
        try
        {
            return await work().ConfigureAwait(false);
        }
        catch (OptionsValidationException e)
        {
            return Fail(CommandLine.Usage, "the configuration is not valid:" + string.Concat(e.Failures.Select(f => "\n  - " + f)));
        }
        catch (InvalidOperationException e) when (e.Message.Contains("ErrorOnUnknownConfiguration", StringComparison.Ordinal) ||
                                                  e.Message.Contains("Failed to convert configuration value", StringComparison.Ordinal))
        {
            return Fail(CommandLine.Usage, "the configuration is not valid: " + e.Message);
        }
        catch (EspeakUnavailableException e)
        {
            return Fail(CommandLine.Failed, e.Message);
        }
        catch (AudioDeviceUnavailableException e)
        {
            return Fail(CommandLine.Failed, e.Message);
        }
        catch (OperationCanceledException)
        {
            return Fail(CommandLine.Failed, "stopped.");
        }
        catch (InvalidOperationException e)
        {
            return Fail(CommandLine.Failed, e.Message);
        }
    }

    /// <summary>Writes <c>edgevoice: MESSAGE</c> to standard error and returns <paramref name="code"/>.</summary>
    public static int Fail(int code, string message)
    {
        Console.Error.WriteLine($"edgevoice: {message}");
        return code;
    }
}
