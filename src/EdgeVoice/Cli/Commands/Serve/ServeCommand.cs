using System.CommandLine;
using EdgeVoice.Hosting;
using Microsoft.Extensions.Hosting;

namespace EdgeVoice.Cli.Commands;

/// <summary><c>edgevoice serve</c> (and plain <c>edgevoice</c>): the daemon.</summary>
internal static class ServeCommand
{
    public static Command Create(string[] settings)
    {
        var flags = new HostFlags("--broker", "--device", "--voices", "--sink", "--metrics");
        var command = new Command("serve", "Run the daemon: listen on MQTT, speak what arrives, report events.");
        flags.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var builder = EdgeVoiceHost.CreateBuilder(settings, flags.Overrides(parse));
            return await Verb.GuardedAsync(async () =>
            {
                using var host = builder.Build();
                EdgeVoiceHost.ValidateConfiguration(host.Services);
                try
                {
                    StartupChecks.Run(host.Services);
                }
                catch (StartupException e)
                {
                    return Verb.Fail(CommandLine.Usage, e.Message);
                }

                var faults = new HostFaults(host.Services);
                await host.RunAsync(cancellationToken).ConfigureAwait(false);
                return faults.ExitCode() ?? Environment.ExitCode;
            }).ConfigureAwait(false);
        });
        return command;
    }
}
