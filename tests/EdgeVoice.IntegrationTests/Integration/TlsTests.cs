using System.Diagnostics;
using EdgeVoice.Audio;
using EdgeVoice.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using MQTTnet.Formatter;

namespace EdgeVoice.Tests.Integration;

/// <summary>
/// TLS to a real Mosquitto that wants a client certificate and a password: the daemon trusts the
/// broker through <c>Mqtt:CaFile</c> and proves itself with its certificate and credentials.
/// Certificates are made for the test by openssl.
/// </summary>
public sealed class TlsTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"edgevoice-tls-{Guid.NewGuid():N}");
    private Process? _broker;

    public void Dispose()
    {
        if (_broker is { HasExited: false })
        {
            _broker.Kill();
            _broker.WaitForExit(5000);
        }

        _broker?.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Tls_WithCaFileClientCertificateAndPassword_SpeaksAndReports()
    {
        Directory.CreateDirectory(_folder);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_folder, (UnixFileMode)0b111_111_111);
        }

        string Path_(string name) => Path.Combine(_folder, name);
        Run("openssl", $"req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=edgevoice-test-ca -keyout {Path_("ca.key")} -out {Path_("ca.pem")}");
        foreach (var (name, cn) in new[] { ("server", "localhost"), ("client", "edgevoice-client") })
        {
            Run("openssl", $"req -newkey rsa:2048 -nodes -subj /CN={cn} -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout {Path_(name + ".key")} -out {Path_(name + ".csr")}");
            Run("openssl", $"x509 -req -in {Path_(name + ".csr")} -CA {Path_("ca.pem")} -CAkey {Path_("ca.key")} -CAcreateserial -days 1 -copy_extensions copy -out {Path_(name + ".pem")}");
        }

        Run("mosquitto_passwd", $"-c -b {Path_("passwords")} kiosk s3cret");
        foreach (var file in Directory.GetFiles(_folder))
        {
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(file, (UnixFileMode)0b110_110_110);
            }
        }

        var port = MosquittoBroker.FreePort();
        File.WriteAllText(Path_("mosquitto.conf"), $"""
            listener {port} 127.0.0.1
            cafile {Path_("ca.pem")}
            certfile {Path_("server.pem")}
            keyfile {Path_("server.key")}
            require_certificate true
            allow_anonymous false
            password_file {Path_("passwords")}
            persistence false
            """);
        var executable = new[] { "/usr/sbin/mosquitto", "/usr/bin/mosquitto" }.First(File.Exists);
        _broker = Process.Start(new ProcessStartInfo(executable, ["-c", Path_("mosquitto.conf")]) { RedirectStandardError = true, UseShellExecute = false })!;
        await MosquittoBroker.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(10));

        var sink = new PacedSink(pace: 0);
        await using var daemon = await DaemonHost.StartAsync(
            new Dictionary<string, string?>
            {
                ["Mqtt:Broker"] = $"mqtts://localhost:{port}",
                ["Mqtt:CaFile"] = Path_("ca.pem"),
                ["Mqtt:ClientCertificateFile"] = Path_("client.pem"),
                ["Mqtt:ClientKeyFile"] = Path_("client.key"),
                ["Mqtt:Username"] = "kiosk",
                ["Mqtt:Password"] = "s3cret",
            },
            services => services.AddSingleton<IAudioSink>(sink));

        // A client of our own over the same TLS listener.
        using var client = new MqttClientFactory().CreateMqttClient();
        var finished = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.ApplicationMessageReceivedAsync += e =>
        {
            var text = System.Text.Encoding.UTF8.GetString(System.Buffers.BuffersExtensions.ToArray(e.ApplicationMessage.Payload));
            if (text.Contains("\"finished\"", StringComparison.Ordinal))
            {
                finished.TrySetResult(text);
            }

            return Task.CompletedTask;
        };
        var ca = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(Path_("ca.pem"));
        await client.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer("localhost", port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithCredentials("kiosk", "s3cret")
            .WithTlsOptions(o => o.UseTls().WithTargetHost("localhost").WithTrustChain([ca])
                .WithClientCertificates([System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPemFile(Path_("client.pem"), Path_("client.key"))]))
            .Build(), CancellationToken.None);
        await client.SubscribeAsync($"{daemon.BaseTopic}/events", MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce, CancellationToken.None);

        // The daemon's subscription may come a moment after ours: say it until it is heard.
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!finished.Task.IsCompleted)
        {
            await client.PublishStringAsync($"{daemon.BaseTopic}/say", """{"id": "secure", "text": "Over TLS."}""", MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce, false, limit.Token);
            await Task.WhenAny(finished.Task, Task.Delay(500, limit.Token));
        }

        Assert.Contains("\"secure\"", await finished.Task, StringComparison.Ordinal);
        Assert.Contains("secure", sink.Order);
    }

    private static void Run(string program, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{program} {arguments}: {error}");
    }
}
