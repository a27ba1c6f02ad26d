using EdgeVoice.Audio;
using EdgeVoice.Core;
using EdgeVoice.Core.Journal;
using EdgeVoice.Hosting;
using EdgeVoice.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace EdgeVoice.Tests.Core;

/// <summary>The request journal on a real SQLite file, and admission's use of it (the host built, its lane not started).</summary>
public sealed class JournalTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "edgevoice-journal", "unit-" + Guid.NewGuid().ToString("N"));

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

    private IHost Host(params (string Key, string Value)[] settings)
    {
        var all = new Dictionary<string, string?>
        {
            ["Voices:Directory"] = Path.Combine(Path.GetTempPath(), "edgevoice-no-voices"),
            ["Journal:Directory"] = _directory,
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        var builder = EdgeVoiceHost.CreateBuilder([], all);
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IAudioSink>(new PacedSink(pace: 0));
        return builder.Build();
    }

    private RequestJournal Journal(TimeProvider? time = null) =>
        new(Options.Create(new JournalOptions { Directory = _directory }), time ?? TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<RequestJournal>.Instance);

    private static SayRequest Request(string id, RecordingReplies replies, string? voice = null) =>
        new(id, "Hello there. This is the second sentence.", voice, TimeProvider.System.GetTimestamp()) { Replies = replies, CallerId = true, Frontend = "test" };

    [Fact]
    public void AnAcceptedRequest_IsReadBack_WithItsRoutePriorityAndProgress_AndAnEndedOneOnlyAsARecentId()
    {
        using (var journal = Journal())
        {
            var seq = journal.Append(new SayRequest("a", "First.", "espeak", TimeProvider.System.GetTimestamp()) { Priority = Priority.High, CallerId = true, Frontend = "mqtt", ExpiresAt = DateTimeOffset.UnixEpoch.AddYears(60) }, "{\"response_topic\":\"x\"}");
            var ended = journal.Append(new SayRequest("b", "Second.", null, TimeProvider.System.GetTimestamp()) { CallerId = true }, null);
            var request = new SayRequest("a", "First.", null, 0) { JournalSeq = seq };
            journal.Observe(RequestEvent.About(request, RequestEvent.Started, DateTimeOffset.UtcNow));
            journal.Played(seq, 2);
            journal.Observe(RequestEvent.About(new SayRequest("b", "Second.", null, 0) { JournalSeq = ended }, RequestEvent.Finished, DateTimeOffset.UtcNow));
        }

        using var reopened = Journal();
        var contents = reopened.Read(TimeSpan.FromMinutes(10));
        var pending = Assert.Single(contents.Pending);
        Assert.Equal(("a", "mqtt", Priority.High, "espeak", 2, true), (pending.Request.Id, pending.Request.Frontend, pending.Request.Priority, pending.Request.Voice, pending.Request.SkipChunks, pending.Request.Resumed));
        Assert.Equal("{\"response_topic\":\"x\"}", pending.Route);
        Assert.Equal(DateTimeOffset.UnixEpoch.AddYears(60), pending.Request.ExpiresAt);
        Assert.Equal("b", Assert.Single(contents.RecentlyEnded).Id);
        Assert.Empty(contents.Undelivered); // no replies: delivered as it was written
    }

    [Fact]
    public void ALastEventNotYetDelivered_IsReadBack_AndForgottenOnceDelivered()
    {
        using var journal = Journal();
        var seq = journal.Append(new SayRequest("c", "Third.", null, TimeProvider.System.GetTimestamp()) { CallerId = true }, "{}");
        journal.Observe(RequestEvent.About(new SayRequest("c", "Third.", null, 0) { JournalSeq = seq, Replies = new RecordingReplies() }, RequestEvent.Finished, DateTimeOffset.UtcNow) with { Chunks = 3 });

        var undelivered = Assert.Single(journal.Read(TimeSpan.FromMinutes(10)).Undelivered);
        Assert.Equal((RequestEvent.Finished, 3), (undelivered.Event.Event, undelivered.Event.Chunks));

        journal.Delivered(seq);
        Assert.Empty(journal.Read(TimeSpan.FromMinutes(10)).Undelivered);
    }

    [Fact]
    public void AGarbageFile_IsMovedAside_AndAFreshJournalStarted()
    {
        Directory.CreateDirectory(_directory);
        File.WriteAllText(Path.Combine(_directory, RequestJournal.FileName), new string('x', 5000));
        using var journal = Journal();

        Assert.True(journal.Append(new SayRequest("d", "Fourth.", null, 0), null) > 0);
        Assert.Single(Directory.GetFiles(_directory, "journal.db.corrupt-*"));
    }

    [Theory]
    [InlineData(ErrorCodes.RateLimited)]
    [InlineData(ErrorCodes.QueueFull)]
    [InlineData(ErrorCodes.UnknownVoice)]
    public void ARefusedRequest_SentAgainWithTheSameId_IsServed(string refusal)
    {
        using var host = Host(("Limits:RequestsPerSecond", "1"), ("Limits:Burst", "1"), ("Limits:QueueLength", "1"));
        var admission = host.Services.GetRequiredService<Admission>();
        var replies = new RecordingReplies();
        switch (refusal)
        {
            case ErrorCodes.RateLimited:
                Assert.Equal(AdmissionResult.Accepted, admission.Submit(Request("first", replies), "client"));
                Assert.Equal(AdmissionResult.Rejected, admission.Submit(Request("again", replies), "client"));
                Thread.Sleep(1100);
                admission.Cancel("first", "test");
                break;
            case ErrorCodes.QueueFull:
                Assert.Equal(AdmissionResult.Accepted, admission.Submit(Request("first", replies), "one"));
                Assert.Equal(AdmissionResult.Rejected, admission.Submit(Request("again", replies), "two"));
                Assert.Equal(CancelResult.Queued, admission.Cancel("first", "make room"));
                break;
            default:
                Assert.Equal(AdmissionResult.Rejected, admission.Submit(Request("again", replies, "no-such-voice"), "client"));
                break;
        }

        Assert.Equal(refusal, replies.Events.Single(e => e.Event == RequestEvent.Rejected).Code);
        Assert.Equal(AdmissionResult.Accepted, admission.Submit(Request("again", replies), "three"));
        Assert.Equal(AdmissionResult.Duplicate, admission.Submit(Request("again", replies), "four"));
    }

    [Fact]
    public void AFullJournal_RefusesNewRequestsWithJournalUnavailable_InsteadOfAcceptingThem()
    {
        using var host = Host(("Journal:MaxSizeMegabytes", "1"), ("Limits:QueueLength", "10000"), ("Limits:RequestsPerSecond", "0"));
        var admission = host.Services.GetRequiredService<Admission>();
        var queue = host.Services.GetRequiredService<SpeechQueue>();
        var replies = new Durable();
        var text = string.Join(' ', Enumerable.Repeat("A long announcement that fills the journal.", 400));
        var results = new List<AdmissionResult>();
        for (var i = 0; i < 200 && !results.Contains(AdmissionResult.Rejected); i++)
        {
            results.Add(admission.Submit(new SayRequest($"big-{i}", text, null, TimeProvider.System.GetTimestamp()) { Replies = replies, CallerId = true }, "c"));
        }

        var rejected = Assert.Single(replies.Events, e => e.Event == RequestEvent.Rejected);
        Assert.Equal(ErrorCodes.JournalUnavailable, rejected.Code);
        Assert.Equal(results.Count(r => r == AdmissionResult.Accepted), queue.Count);
        Assert.True(queue.Count > 5, $"{queue.Count} accepted before the journal was full");
    }

    [Fact]
    public void AtStart_WaitingRequestsGoBackInTheQueue_InTheirOrder_AndTooOldOnesExpire()
    {
        using (var first = Host())
        {
            var admission = first.Services.GetRequiredService<Admission>();
            var replies = new Durable();
            Assert.Equal(AdmissionResult.Accepted, admission.Submit(Request("w1", replies) with { Replies = replies }, "c"));
            Assert.Equal(AdmissionResult.Accepted, admission.Submit(Request("w2", replies) with { Replies = replies, Priority = Priority.Alarm }, "c"));
            Assert.Equal(AdmissionResult.Accepted, admission.Submit(Request("w3", replies) with { Replies = replies, ExpiresAt = DateTimeOffset.UtcNow.AddMilliseconds(300) }, "c"));
            Assert.Equal(AdmissionResult.Accepted, admission.Submit(Request("local", replies) with { Replies = new RecordingReplies() }, "c")); // not durable: not journaled
        }

        Thread.Sleep(400);
        using var second = Host();
        second.Services.GetRequiredService<RequestJournal>().Open();
        var replay = second.Services.GetRequiredService<JournalReplay>();
        Assert.Equal(2, replay.Replay());
        var queue = second.Services.GetRequiredService<SpeechQueue>();
        Assert.Equal(["w2", "w1"], queue.RemoveAll().Select(r => r.Id));
        Assert.Equal(AdmissionResult.Duplicate, second.Services.GetRequiredService<Admission>().Submit(Request("w1", new RecordingReplies()), "c"));
    }

    [Fact]
    public void AFailedBackgroundService_GivesANonZeroExitCode()
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        HostFaults.StopHostOnFault(builder.Services);
        builder.Services.AddHostedService<Failing>();
        using var host = builder.Build();
        var faults = new HostFaults(host.Services);
        host.Run();

        Assert.Equal(HostFaults.ServiceFailed, faults.ExitCode());
    }

    private sealed class Failing : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            await Task.Delay(50, stoppingToken);
            throw new InvalidOperationException("a garbage CA file");
        }
    }

    private sealed class Durable : RecordingReplies, IDurableReplies
    {
        public string Route => "{}";
    }
}
