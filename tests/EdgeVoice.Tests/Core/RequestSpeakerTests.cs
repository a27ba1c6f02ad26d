using EdgeVoice.Audio;
using EdgeVoice.Core;
using EdgeVoice.Hosting;
using EdgeVoice.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeVoice.Tests.Core;

/// <summary>
/// The core as a front-end uses it, without MQTT: admission answers through the request's own
/// replies, and a request that carries its own sink is spoken there, outside the local lane.
/// The daemon's real composition is built (not started: no broker, no lane) with the real espeak voice.
/// </summary>
public sealed class RequestSpeakerTests : IDisposable
{
    private readonly PacedSink _local = new(pace: 0);
    private readonly IHost _host;

    public RequestSpeakerTests()
    {
        var builder = EdgeVoiceHost.CreateBuilder([], new Dictionary<string, string?>
        {
            ["Voices:Directory"] = Path.Combine(Path.GetTempPath(), "edgevoice-no-voices"),
            ["Journal:Directory"] = Path.Combine(Path.GetTempPath(), "edgevoice-journal", Guid.NewGuid().ToString("N")),
        });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IAudioSink>(_local);
        _host = builder.Build();
    }

    private Admission Admission => _host.Services.GetRequiredService<Admission>();

    private RequestSpeaker Speaker => _host.Services.GetRequiredService<RequestSpeaker>();

    [Fact]
    public async Task SpeakAsync_ARequestWithItsOwnSink_IsPlayedThere_AndItsEventsGoToItsReplies()
    {
        var client = new PacedSink(pace: 0);
        var replies = new RecordingReplies();
        var request = new SayRequest("net-1", "Hello from the network.", null, TimeProvider.System.GetTimestamp())
        {
            Frontend = "test",
            Replies = replies,
            Sink = client,
        };

        Assert.Equal(AdmissionResult.Accepted, Admission.Check(request, "client-1", out var accepted));
        Assert.Equal("espeak", accepted.ResolvedVoice?.Name);
        using var interruption = new Interruption();
        await Speaker.SpeakAsync(accepted, interruption, CancellationToken.None);

        Assert.Equal([RequestEvent.Started, RequestEvent.Finished], replies.Events.Select(e => e.Event));
        var finished = replies.Events[1];
        Assert.Equal(("net-1", "espeak"), (finished.Id, finished.Voice));
        Assert.True(finished.AudioMs > 100, $"audio: {finished.AudioMs} ms");
        Assert.True(client.Played.TryGetValue("net-1", out var samples) && samples.Count > 0);
        Assert.Empty(_local.Played);
    }

    [Fact]
    public async Task SpeakAsync_Interrupted_IsCancelledWithTheReason()
    {
        var client = new PacedSink(pace: 1);
        var replies = new RecordingReplies();
        var request = new SayRequest("net-2", "A sentence long enough to be stopped while it plays.", null, TimeProvider.System.GetTimestamp())
        {
            Replies = replies,
            Sink = client,
        };

        Assert.Equal(AdmissionResult.Accepted, Admission.Check(request, "client-2", out var accepted));
        using var interruption = new Interruption();
        var speaking = Speaker.SpeakAsync(accepted, interruption, CancellationToken.None);
        while (client.Played.IsEmpty)
        {
            await Task.Delay(10);
        }

        interruption.Stop("the client went away");
        await speaking.WaitAsync(TimeSpan.FromSeconds(10));

        var cancelled = replies.Events[^1];
        Assert.Equal((RequestEvent.Cancelled, "the client went away"), (cancelled.Event, cancelled.Message));
    }

    [Fact]
    public void Admission_AnswersThroughTheRequestsReplies()
    {
        var replies = new RecordingReplies();
        var unknown = new SayRequest("net-3", "Hello.", "no-such-voice", TimeProvider.System.GetTimestamp()) { Replies = replies };
        var queued = new SayRequest("net-4", "Hello.", null, TimeProvider.System.GetTimestamp()) { Replies = replies, CallerId = true };

        Assert.Equal(AdmissionResult.Rejected, Admission.Submit(unknown, "client-3"));
        Assert.Equal(AdmissionResult.Accepted, Admission.Submit(queued, "client-3"));
        Assert.Equal(AdmissionResult.Duplicate, Admission.Submit(queued, "client-3"));

        Assert.Equal(
            [(RequestEvent.Rejected, "net-3", ErrorCodes.UnknownVoice), (RequestEvent.Queued, "net-4", null)],
            replies.Events.Select(e => (e.Event, e.Id, e.Code)));
        Assert.Equal(0, replies.Events[1].Position);
    }

    public void Dispose() => _host.Dispose();
}
