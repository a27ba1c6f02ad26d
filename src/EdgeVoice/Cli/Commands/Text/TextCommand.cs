using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using EdgeVoice.Telemetry;
using EdgeVoice.Hosting;
using EdgeVoice.Text;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeVoice.Cli.Commands;

/// <summary><c>edgevoice text</c>: how the Text stage cuts a text, one JSON chunk a line.</summary>
internal static class TextCommand
{
    private static readonly JsonTypeInfo<TextChunk> ChunkJson = JsonText.Readable<TextChunk>(CliJsonContext.Default);

    public static Command Create(string[] settings)
    {
        var text = new Argument<string?>("text") { Description = "Text to cut; '-' or nothing reads standard input.", Arity = ArgumentArity.ZeroOrOne };
        var ssml = new Option<bool>("--ssml") { Description = "The text is SSML." };
        var command = new Command("text", "Print the chunks the Text stage makes of a text (what is said, language, speed, pauses), one JSON object a line.");
        command.Arguments.Add(text);
        command.Options.Add(ssml);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var input = await Verb.ReadTextAsync(parse.GetValue(text), cancellationToken).ConfigureAwait(false);
            var builder = EdgeVoiceHost.CreateBuilder(settings, Verb.Quiet([]));
            return await Verb.WithServicesAsync(builder, async services =>
            {
                var plan = services.GetRequiredService<TextPlanner>().Plan(input, parse.GetValue(ssml) ? TextFormat.Ssml : TextFormat.Text);
                var stdout = Console.OpenStandardOutput();
                await using (stdout.ConfigureAwait(false))
                {
                    try
                    {
                        foreach (var chunk in plan)
                        {
                            await JsonSerializer.SerializeAsync(stdout, chunk, ChunkJson, cancellationToken).ConfigureAwait(false);
                            stdout.WriteByte((byte)'\n');
                        }
                    }
                    catch (SsmlException e)
                    {
                        return Verb.Fail(CommandLine.Usage, e.Message);
                    }
                }

                foreach (var warning in plan.Warnings)
                {
                    await Console.Error.WriteLineAsync($"edgevoice: warning: {warning}").ConfigureAwait(false);
                }

                return CommandLine.Ok;
            }, validate: false).ConfigureAwait(false);
        });
        return command;
    }
}
