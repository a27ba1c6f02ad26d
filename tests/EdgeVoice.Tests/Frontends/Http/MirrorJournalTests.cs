using EdgeVoice.Audio;
using EdgeVoice.Core;
using EdgeVoice.Core.Journal;
using EdgeVoice.Frontends.Http;
using EdgeVoice.Hosting;
using EdgeVoice.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeVoice.Tests.Frontends.Http;

/// <summary>A request taken by <c>POST /v1/say</c> is journaled like an MQTT one: it survives a crash and is spoken after the restart.</summary>
public sealed class MirrorJournalTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "edgevoice-journal", "mirror-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private IHost Host()
    {
        var builder = EdgeVoiceHost.CreateBuilder([], new Dictionary<string, string?>
        {
            ["Voices:Directory"] = Path.Combine(Path.GetTempPath(), "edgevoice-no-voices"),
            ["Journal:Directory"] = _directory,
        });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IAudioSink>(new PacedSink(pace: 0));
        return builder.Build();
    }

    [Fact]
    public void ARequestOfTheRestMirror_IsKeptByTheJournal_AndQueuedAgainAfterARestart()
    {
        using (var first = Host())
        {
            var request = new SayRequest("rest-1", "Spoken after the restart.", null, TimeProvider.System.GetTimestamp())
            {
                CallerId = true,
                Frontend = SpeechEndpoint.Frontend,
                Replies = new MirrorReplies(new HttpReplies()),
            };
            Assert.Equal(AdmissionResult.Accepted, first.Services.GetRequiredService<Admission>().Submit(request, "127.0.0.1"));
        }

        using var second = Host();
        second.Services.GetRequiredService<RequestJournal>().Open();
        Assert.Equal(1, second.Services.GetRequiredService<JournalReplay>().Replay());
        var replayed = Assert.Single(second.Services.GetRequiredService<SpeechQueue>().RemoveAll());
        Assert.Equal(("rest-1", SpeechEndpoint.Frontend), (replayed.Id, replayed.Frontend));
    }
}
