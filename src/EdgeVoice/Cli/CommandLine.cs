using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using EdgeVoice.Audio;
using EdgeVoice.Audio.Wav;
using EdgeVoice.Benchmarks;
using EdgeVoice.Core;
using EdgeVoice.Hosting;
using EdgeVoice.Inference;
using EdgeVoice.Telemetry;
using EdgeVoice.Text;
using EdgeVoice.Voices;
using EdgeVoice.Voices.GptSoVits;
using EdgeVoice.Voices.Espeak;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EdgeVoice.Cli;

/// <summary>
/// The <c>edgevoice</c> executable: <c>serve</c> (the daemon, and the default verb), <c>say</c>
/// (one utterance without a broker) and <c>text</c> (how the Text stage cuts a text).
/// Exit codes: 0 done, 1 failed while working, 2 bad arguments or configuration.
/// </summary>
internal static class CommandLine
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;

    private static readonly JsonTypeInfo<TextChunk> ChunkJson = JsonText.Readable<TextChunk>(CliJsonContext.Default);
    private static readonly JsonTypeInfo<IReadOnlyList<VoiceInfo>> VoicesJson = JsonText.Readable<IReadOnlyList<VoiceInfo>>(CliJsonContext.Default);
    private static readonly string[] RootOnlyTokens = ["-h", "--help", "-?", "--version"];

    public static Task<int> RunAsync(string[] args)
    {
        // Any setting can be given as --Section:Key=value; those go to the configuration, the rest to the verb.
        var settings = args.Where(IsSetting).ToArray();
        args = [.. args.Where(a => !IsSetting(a))];

        // `edgevoice` and `edgevoice --broker …` mean `edgevoice serve …`.
        if (args.Length == 0 || (args[0].StartsWith('-') && !RootOnlyTokens.Contains(args[0])))
        {
            args = ["serve", .. args];
        }

        var root = new RootCommand("EdgeVoice: an offline text-to-speech daemon driven by MQTT.\n" +
                                   "Any setting may also be given as --Section:Key=value (for example --Audio:WavDirectory=/tmp/audio).");
        root.Subcommands.Add(ServeCommand(settings));
        root.Subcommands.Add(SayCommand(settings));
        root.Subcommands.Add(TextCommand(settings));
        root.Subcommands.Add(VoicesCommand(settings));
        root.Subcommands.Add(BenchCommand(settings));
        root.Subcommands.Add(EnginesCommand(settings));
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                Console.Error.WriteLine($"edgevoice: {error.Message}");
            }

            Console.Error.WriteLine("Try 'edgevoice --help'.");
            return Task.FromResult(Usage);
        }

        return parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
    }

    /// <summary>A configuration override: <c>--Section:Key=value</c>.</summary>
    internal static bool IsSetting(string argument) =>
        argument.StartsWith("--", StringComparison.Ordinal) && argument.IndexOf(':', StringComparison.Ordinal) is var colon and > 2 &&
        argument.IndexOf('=', StringComparison.Ordinal) is var equals and > 0 && colon < equals;

    private static Command ServeCommand(string[] settings)
    {
        var flags = new HostFlags("--broker", "--device", "--voices", "--sink", "--metrics");
        var command = new Command("serve", "Run the daemon: listen on MQTT, speak what arrives, report events.");
        flags.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var builder = EdgeVoiceHost.CreateBuilder(settings, flags.Overrides(parse));
            return await RunGuardedAsync(async () =>
            {
                using var host = builder.Build();
                EdgeVoiceHost.ValidateConfiguration(host.Services);
                var faults = new HostFaults(host.Services);
                await host.RunAsync(cancellationToken).ConfigureAwait(false);
                return faults.ExitCode() ?? Environment.ExitCode;
            }).ConfigureAwait(false);
        });
        return command;
    }

    private static Command SayCommand(string[] settings)
    {
        var flags = new HostFlags("--voices", "--sink");
        var text = new Argument<string?>("text") { Description = "What to say; '-' or nothing reads standard input.", Arity = ArgumentArity.ZeroOrOne };
        var output = new Option<FileInfo?>("--out", "-o") { Description = "Write a WAV file instead of playing." };
        var voice = new Option<string?>("--voice") { Description = "Voice to speak with (default: Voices:Default)." };
        var command = new Command("say", "Speak one text now, without a broker, to the sound card or a WAV file.");
        command.Arguments.Add(text);
        command.Options.Add(output);
        command.Options.Add(voice);
        flags.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var input = ReadText(parse.GetValue(text));
            var builder = EdgeVoiceHost.CreateBuilder(settings, Quiet(flags.Overrides(parse)));
            return await RunGuardedAsync(async () =>
            {
                using var host = builder.Build();
                var services = host.Services;
                EdgeVoiceHost.ValidateConfiguration(services);
                var limits = services.GetRequiredService<IOptions<LimitsOptions>>().Value;
                if (string.IsNullOrWhiteSpace(input))
                {
                    return Fail(Usage, "there is no text to say.");
                }

                if (input.Length > limits.MaxTextChars)
                {
                    return Fail(Usage, $"the text is {input.Length} characters; the limit is {limits.MaxTextChars} (Limits:MaxTextChars).");
                }

                var voices = services.GetRequiredService<VoiceRegistry>();
                voices.LoadAll();
                if (!voices.TryResolve(parse.GetValue(voice), out var chosen, out var voiceError))
                {
                    return Fail(Usage, voiceError + ".");
                }

                var file = parse.GetValue(output);
                using var sink = file is null ? services.GetRequiredService<IAudioSink>() : WavFileSink.ToFile(file.FullName);
                var pipeline = new SpeechPipeline(
                    sink,
                    services.GetRequiredService<IOptions<TextOptions>>(),
                    services.GetRequiredService<IOptions<AudioOptions>>(),
                    TimeProvider.System);
                var result = await pipeline.SpeakAsync("say", input.Trim(), chosen, cancellationToken).ConfigureAwait(false);
                Console.Error.WriteLine(
                    $"edgevoice: {result.Chunks} chunks, {result.Audio.TotalSeconds:F2} s of audio at {result.SampleRate} Hz, " +
                    $"first audio after {result.TimeToFirstAudio.TotalMilliseconds:F0} ms, real-time factor {result.RealTimeFactor:F3} → {sink.Description}");
                return Ok;
            }).ConfigureAwait(false);
        });
        return command;
    }

    private static Command TextCommand(string[] settings)
    {
        var text = new Argument<string?>("text") { Description = "Text to cut; '-' or nothing reads standard input.", Arity = ArgumentArity.ZeroOrOne };
        var ssml = new Option<bool>("--ssml") { Description = "The text is SSML." };
        var command = new Command("text", "Print the chunks the Text stage makes of a text (what is said, language, speed, pauses), one JSON object a line.");
        command.Arguments.Add(text);
        command.Options.Add(ssml);
        command.SetAction(parse =>
        {
            var input = ReadText(parse.GetValue(text));
            var builder = EdgeVoiceHost.CreateBuilder(settings, Quiet([]));
            return RunGuardedAsync(() =>
            {
                using var host = builder.Build();
                var plan = host.Services.GetRequiredService<TextPlanner>().Plan(input, parse.GetValue(ssml) ? TextFormat.Ssml : TextFormat.Text);
                using var stdout = Console.OpenStandardOutput();
                try
                {
                    foreach (var chunk in plan)
                    {
                        JsonSerializer.Serialize(stdout, chunk, ChunkJson);
                        stdout.WriteByte((byte)'\n');
                    }
                }
                catch (SsmlException e)
                {
                    return Task.FromResult(Fail(Usage, e.Message));
                }

                foreach (var warning in plan.Warnings)
                {
                    Console.Error.WriteLine($"edgevoice: warning: {warning}");
                }

                return Task.FromResult(Ok);
            }).GetAwaiter().GetResult();
        });
        return command;
    }

    private static Command VoicesCommand(string[] settings)
    {
        var flags = new HostFlags("--voices");
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table." };
        var command = new Command("voices", "Load, check and warm up every installed voice, and list them (exit code 1 when one is broken).");
        command.Options.Add(json);
        flags.AddTo(command);
        command.Subcommands.Add(EnrollCommand(settings));
        command.SetAction(parse =>
        {
            var builder = EdgeVoiceHost.CreateBuilder(settings, Quiet(flags.Overrides(parse)));
            return RunGuardedAsync(() =>
            {
                using var host = builder.Build();
                EdgeVoiceHost.ValidateConfiguration(host.Services);
                var registry = host.Services.GetRequiredService<VoiceRegistry>();
                registry.LoadAll();
                var voices = registry.List();
                if (parse.GetValue(json))
                {
                    Console.Out.WriteLine(JsonSerializer.Serialize(voices, VoicesJson));
                }
                else
                {
                    PrintVoices(voices, registry.DefaultName);
                }

                return Task.FromResult(voices.Any(v => v.Error is not null) ? Failed : Ok);
            }).GetAwaiter().GetResult();
        });
        return command;
    }

    private static Command EnrollCommand(string[] settings)
    {
        var flags = new HostFlags("--voices");
        var name = new Argument<string>("NAME") { Description = "Name of the new voice (its folder in the voices folder)." };
        var bundle = new Option<string>("--bundle") { Description = "GPT-SoVITS ONNX bundle folder.", Required = true };
        var clip = new Option<string>("--ref") { Description = "Reference clip: a WAV with 3 to 10 s of the speaker's voice.", Required = true };
        var text = new Option<string>("--ref-text") { Description = "What the reference clip says.", Required = true };
        var language = new Option<string>("--lang") { Description = "Language of the reference: zh or en.", Required = true };
        var force = new Option<bool>("--force") { Description = "Replace a voice of the same name." };
        var command = new Command("enroll", "Make a GPT-SoVITS voice from a bundle and a reference clip, and cache its speaker features.");
        command.Arguments.Add(name);
        command.Options.Add(bundle);
        command.Options.Add(clip);
        command.Options.Add(text);
        command.Options.Add(language);
        command.Options.Add(force);
        flags.AddTo(command);
        command.SetAction(parse =>
        {
            var builder = EdgeVoiceHost.CreateBuilder(settings, Quiet(flags.Overrides(parse)));
            return RunGuardedAsync(() =>
            {
                using var host = builder.Build();
                EdgeVoiceHost.ValidateConfiguration(host.Services);
                var watch = System.Diagnostics.Stopwatch.StartNew();
                try
                {
                    var result = Enrollment.Enroll(
                        parse.GetValue(name)!, parse.GetValue(bundle)!, parse.GetValue(clip)!, parse.GetValue(text)!, parse.GetValue(language)!,
                        host.Services.GetRequiredService<IOptions<VoicesOptions>>().Value.Directory, parse.GetValue(force),
                        host.Services.GetRequiredService<SessionFactory>(), host.Services.GetRequiredService<EspeakLibrary>(),
                        host.Services.GetRequiredService<IOptions<GptSoVitsOptions>>().Value);
                    var r = result.Reference;
                    var f = result.Features;
                    var detail = f.Prompt.Length > 0
                        ? $"{f.Prompt.Length} prompt tokens, spectrogram {f.Bins}x{f.Frames}"
                        : $"ssl features {string.Join('x', f.SslShape.Skip(1))}";
                    Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"Enrolled '{parse.GetValue(name)}' in {result.Folder} in {watch.Elapsed.TotalSeconds:F1} s: {r.SpeechSeconds:F1} s of speech " +
                        $"({r.TrimStartSeconds:F2}-{r.TrimEndSeconds:F2} s of {r.SourceSeconds:F1} s at {r.SourceRate} Hz), loudness {r.MeasuredLufs:F1} LUFS " +
                        $"{(r.GainDb >= 0 ? "+" : "")}{r.GainDb:F1} dB, {f.ReferencePhoneIds.Length} reference phones, {detail}" +
                        $"; features cached in {Path.Combine(result.Folder, SpeakerCache.FolderName)}."));
                    return Task.FromResult(Ok);
                }
                catch (Exception e) when (e is EnrollmentException or ReferenceClipException or VoiceLoadException or WavFormatException or InvalidDataException or IOException)
                {
                    return Task.FromResult(Fail(Failed, e.Message));
                }
            }).GetAwaiter().GetResult();
        });
        return command;
    }

    private static Command CalibrateCommand(string[] settings)
    {
        var flags = new HostFlags("--voices");
        var voice = new Option<string>("--voice") { Description = "Voice whose models are calibrated.", Required = true };
        var texts = new Option<FileInfo>("--texts") { Description = "Text file, one text a line, in the voice's language, like what it will say.", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for the samples (one folder per model).", Required = true };
        var samples = new Option<int>("--samples") { Description = "Most chunks to make samples of.", DefaultValueFactory = _ => 500 };
        var command = new Command("calibrate", "Make INT8 calibration samples for a voice's models from a text list through its own frontend (for tensorrt/build-int8.sh).");
        command.Options.Add(voice);
        command.Options.Add(texts);
        command.Options.Add(output);
        command.Options.Add(samples);
        flags.AddTo(command);
        command.SetAction(parse =>
        {
            var builder = EdgeVoiceHost.CreateBuilder(settings, Quiet(flags.Overrides(parse)));
            return WithVoice(builder, parse.GetValue(texts)!, parse.GetValue(voice), (host, chosen, file) =>
            {
                var folder = parse.GetValue(output)!.FullName;
                var written = CalibrationData.Write(chosen, File.ReadLines(file), host.Services.GetRequiredService<TextPlanner>(), folder, Math.Max(1, parse.GetValue(samples)));
                if (written.Count == 0)
                {
                    return Fail(Failed, $"the texts in {file} gave nothing to calibrate on.");
                }

                foreach (var model in written)
                {
                    Console.Out.WriteLine($"{model.Model}: {model.Samples} samples in {model.Folder}");
                    Console.Out.WriteLine($"  tensorrt/build-int8.sh {model.Model} {model.Folder}");
                }

                return Ok;
            });
        });
        return command;
    }

    private static Command EnginesCommand(string[] settings)
    {
        var command = new Command("engines", "The TensorRT engine cache (Inference:TensorRt:EngineCacheDirectory) of the installed voices.");

        var build = new Command("build", "Build every installed model's TensorRT engine now, so the service starts warm (exit code 1 when TensorRT is missing or a build fails).");
        var buildFlags = new HostFlags("--voices");
        buildFlags.AddTo(build);
        build.SetAction(parse =>
        {
            var overrides = Quiet(buildFlags.Overrides(parse));
            overrides["Inference:Providers"] = "tensorrt";
            return WithEngines(settings, overrides, (host, audit) =>
            {
                if (!host.Services.GetRequiredService<SessionFactory>().CanUseTensorRt(out var reason))
                {
                    return Fail(Failed, $"cannot build engines: {reason}.");
                }

                var registry = host.Services.GetRequiredService<VoiceRegistry>();
                registry.LoadAll();
                var broken = registry.List().Where(v => v.Error is not null).ToList();
                foreach (var voice in broken)
                {
                    Console.Error.WriteLine($"edgevoice: voice '{voice.Name}': {voice.Error}");
                }

                return PrintEngines(audit.Check()) && broken.Count == 0 ? Ok : Failed;
            });
        });

        var check = new Command("check", "List each installed model's engine folder and whether its engine is built (exit code 1 when one is missing).");
        var checkFlags = new HostFlags("--voices");
        checkFlags.AddTo(check);
        check.SetAction(parse => WithEngines(settings, Quiet(checkFlags.Overrides(parse)), (_, audit) =>
            PrintEngines(audit.Check()) ? Ok : Failed));

        var prune = new Command("prune", "Delete cached engines no installed model can use any more (old models, another TensorRT, other options).");
        var pruneFlags = new HostFlags("--voices");
        var dryRun = new Option<bool>("--dry-run") { Description = "Only list what would be deleted." };
        pruneFlags.AddTo(prune);
        prune.Options.Add(dryRun);
        prune.SetAction(parse => WithEngines(settings, Quiet(pruneFlags.Overrides(parse)), (_, audit) =>
        {
            var stale = parse.GetValue(dryRun) ? audit.Stale() : audit.Prune();
            foreach (var directory in stale)
            {
                Console.Out.WriteLine((parse.GetValue(dryRun) ? "stale   " : "deleted ") + directory);
            }

            Console.Out.WriteLine($"{stale.Count} stale engine folder(s)");
            return Ok;
        }));

        var profile = new Command("profile", "Print a model's TensorRT shape profiles (for Inference:TensorRt:Profile*Shapes) and the matching trtexec command.");
        var model = new Argument<FileInfo>("model") { Description = "The .onnx file." };
        var opt = new Option<int>("--opt") { Description = "Length the engine is tuned for.", DefaultValueFactory = _ => ShapeProfiles.DefaultOpt };
        var max = new Option<int>("--max") { Description = "Longest length the engine accepts.", DefaultValueFactory = _ => ShapeProfiles.DefaultMax };
        profile.Arguments.Add(model);
        profile.Options.Add(opt);
        profile.Options.Add(max);
        profile.SetAction(parse =>
        {
            var file = parse.GetValue(model)!;
            if (!file.Exists)
            {
                return Fail(Usage, $"model '{file.FullName}' does not exist.");
            }

            if (parse.GetValue(opt) < 1 || parse.GetValue(max) < parse.GetValue(opt))
            {
                return Fail(Usage, "--opt must be at least 1 and --max at least --opt.");
            }

            try
            {
                var shapes = ShapeProfiles.For(file.FullName, parse.GetValue(opt), parse.GetValue(max));
                Console.Out.WriteLine($"Inference:TensorRt:ProfileMinShapes={shapes.Min}");
                Console.Out.WriteLine($"Inference:TensorRt:ProfileOptShapes={shapes.Opt}");
                Console.Out.WriteLine($"Inference:TensorRt:ProfileMaxShapes={shapes.Max}");
                Console.Out.WriteLine(shapes.TrtexecCommand(file.FullName, Path.ChangeExtension(file.FullName, ".fp16.engine"), fp16: true, int8: false, calibrationTable: null));
                return Ok;
            }
            catch (Microsoft.ML.OnnxRuntime.OnnxRuntimeException e)
            {
                return Fail(Failed, $"'{file.FullName}' is not a model ONNX Runtime can read: {e.Message}");
            }
        });

        command.Subcommands.Add(build);
        command.Subcommands.Add(CalibrateCommand(settings));
        command.Subcommands.Add(check);
        command.Subcommands.Add(profile);
        command.Subcommands.Add(prune);
        return command;
    }

    private static int WithEngines(string[] settings, Dictionary<string, string?> overrides, Func<IHost, EngineCacheAudit, int> work)
    {
        var builder = EdgeVoiceHost.CreateBuilder(settings, overrides);
        return RunGuardedAsync(() =>
        {
            using var host = builder.Build();
            EdgeVoiceHost.ValidateConfiguration(host.Services);
            var audit = new EngineCacheAudit(
                host.Services.GetRequiredService<SessionFactory>(),
                host.Services.GetRequiredService<IOptions<VoicesOptions>>().Value.Directory,
                host.Services.GetRequiredService<IOptions<InferenceOptions>>().Value.TensorRt.EngineCacheDirectory);
            return Task.FromResult(work(host, audit));
        }).GetAwaiter().GetResult();
    }

    /// <summary>One line per model; true when every engine is built.</summary>
    private static bool PrintEngines(IReadOnlyList<EngineCacheAudit.Entry> entries)
    {
        foreach (var entry in entries)
        {
            Console.Out.WriteLine($"{(entry.Built ? "built  " : "missing")} {entry.Model} -> {entry.Folder}");
        }

        Console.Out.WriteLine($"{entries.Count(e => e.Built)} of {entries.Count} model(s) have an engine");
        return entries.All(e => e.Built);
    }

    private static Command BenchCommand(string[] settings)
    {
        var flags = new HostFlags("--voices");
        var voice = new Option<string?>("--voice") { Description = "Voice to measure (default: Voices:Default)." };
        var textFile = new Option<FileInfo>("--text") { Description = "Text to speak (at least 50 characters; repeated up to 5,000).", Required = true };
        var runs = new Option<int>("--runs") { Description = "Runs of each measurement; medians are reported.", DefaultValueFactory = _ => 3 };
        var command = new Command("bench", "Measure a voice: per-chunk time against a bare ONNX Runtime loop, real-time factor, time to first audio and peak memory.");
        command.Options.Add(voice);
        command.Options.Add(textFile);
        command.Options.Add(runs);
        flags.AddTo(command);
        command.SetAction(parse =>
        {
            var builder = EdgeVoiceHost.CreateBuilder(settings, Quiet(flags.Overrides(parse)));
            builder.Services.AddSingleton<VoiceBenchmark>();
            return WithVoice(builder, parse.GetValue(textFile)!, parse.GetValue(voice), (host, chosen, file) =>
            {
                var report = host.Services.GetRequiredService<VoiceBenchmark>().Run(chosen, File.ReadAllText(file), Math.Max(1, parse.GetValue(runs)), Console.Error);
                Console.Out.WriteLine(VoiceBenchmark.Format(report));
                return Ok;
            });
        });
        return command;
    }

    /// <summary>For the verbs that work on one voice with a text file: checks the file, loads the voices, resolves the one asked for (exit code 2 otherwise), then works.</summary>
    private static int WithVoice(HostApplicationBuilder builder, FileInfo text, string? voiceName, Func<IHost, IVoice, string, int> work) =>
        RunGuardedAsync(() =>
        {
            using var host = builder.Build();
            EdgeVoiceHost.ValidateConfiguration(host.Services);
            if (!text.Exists)
            {
                return Task.FromResult(Fail(Usage, $"the text file '{text.FullName}' does not exist."));
            }

            var registry = host.Services.GetRequiredService<VoiceRegistry>();
            registry.LoadAll();
            return Task.FromResult(registry.TryResolve(voiceName, out var chosen, out var error) ? work(host, chosen, text.FullName) : Fail(Usage, error + "."));
        }).GetAwaiter().GetResult();

    private static void PrintVoices(IReadOnlyList<VoiceInfo> voices, string defaultName)
    {
        var ready = voices.Where(v => v.Error is null).ToList();
        var width = Math.Max(8, ready.Select(v => v.Name.Length).DefaultIfEmpty(0).Max() + 2);
        Console.Out.WriteLine($"{"NAME".PadRight(width)}{"ENGINE",-12}{"LANGUAGE",-10}{"RATE",7}  {"PROVIDER",-10}{"LOAD MS",9}{"WARM-UP MS",12}");
        foreach (var voice in ready)
        {
            var mark = voice.Name == defaultName ? "*" : " ";
            Console.Out.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{(voice.Name + mark).PadRight(width)}{voice.Engine,-12}{voice.Language,-10}{voice.SampleRate,7}  {voice.Provider,-10}{voice.LoadMs,9:F0}{voice.WarmUpMs,12:F0}"));
            foreach (var fallback in voice.Fallbacks)
            {
                Console.Out.WriteLine($"    not on {fallback}");
            }
        }

        foreach (var broken in voices.Where(v => v.Error is not null))
        {
            Console.Out.WriteLine($"BROKEN {broken.Name}: {broken.Error}");
        }

        Console.Out.WriteLine($"* default voice: {defaultName}");
    }

    /// <summary>One-shot verbs log warnings and errors only, unless the settings say otherwise.</summary>
    private static Dictionary<string, string?> Quiet(Dictionary<string, string?> overrides)
    {
        overrides.TryAdd("Logging:LogLevel:Default", "Warning");
        return overrides;
    }

    private static string ReadText(string? argument) =>
        argument is null or "-" ? Console.In.ReadToEnd() : argument;

    /// <summary>Turns the failures a user can fix into one sentence and an exit code, instead of a stack trace.</summary>
    private static async Task<int> RunGuardedAsync(Func<Task<int>> work)
    {
        try
        {
            return await work().ConfigureAwait(false);
        }
        catch (OptionsValidationException e)
        {
            return Fail(Usage, "the configuration is not valid:" + string.Concat(e.Failures.Select(f => "\n  - " + f)));
        }
        catch (InvalidOperationException e) when (e.Message.Contains("ErrorOnUnknownConfiguration", StringComparison.Ordinal) ||
                                                  e.Message.Contains("Failed to convert configuration value", StringComparison.Ordinal))
        {
            return Fail(Usage, "the configuration is not valid: " + e.Message);
        }
        catch (EspeakUnavailableException e)
        {
            return Fail(Failed, e.Message);
        }
        catch (AudioDeviceUnavailableException e)
        {
            return Fail(Failed, e.Message);
        }
        catch (OperationCanceledException)
        {
            return Fail(Failed, "stopped.");
        }
        catch (InvalidOperationException e)
        {
            return Fail(Failed, e.Message);
        }
    }

    private static int Fail(int code, string message)
    {
        Console.Error.WriteLine($"edgevoice: {message}");
        return code;
    }

    /// <summary>The plain flags shared by the verbs that start EdgeVoice's services, mapped to configuration keys.</summary>
    private sealed class HostFlags
    {
        private readonly List<(Option<string?> Option, string Key)> _flags = [];

        private static readonly Dictionary<string, (string Key, string Description)> Known = new(StringComparer.Ordinal)
        {
            ["--broker"] = ("Mqtt:Broker", "Broker as mqtt://HOST:PORT; without it an embedded broker listens on 127.0.0.1."),
            ["--device"] = ("Mqtt:Device", "Device name in the topics edgevoice/<device>/… (default: the host name)."),
            ["--voices"] = ("Voices:Directory", "Folder of installed voices."),
            ["--sink"] = ("Audio:Sink", "auto | alsa:DEVICE | wav:DIR."),
            ["--metrics"] = ("Telemetry:MetricsAddress", "Serve /metrics, /healthz and /readyz on HOST:PORT (for example 127.0.0.1:9464)."),
        };

        public HostFlags(params string[] names)
        {
            foreach (var name in names)
            {
                var (key, description) = Known[name];
                _flags.Add((new Option<string?>(name) { Description = $"{description} (config {key})" }, key));
            }
        }

        public void AddTo(Command command)
        {
            foreach (var (option, _) in _flags)
            {
                command.Options.Add(option);
            }
        }

        public Dictionary<string, string?> Overrides(ParseResult parse)
        {
            var overrides = new Dictionary<string, string?>();
            foreach (var (option, key) in _flags)
            {
                if (parse.GetValue(option) is { } value)
                {
                    overrides[key] = value;
                }
            }

            return overrides;
        }
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, UseStringEnumConverter = true)]
[JsonSerializable(typeof(TextChunk))]
[JsonSerializable(typeof(IReadOnlyList<VoiceInfo>))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
