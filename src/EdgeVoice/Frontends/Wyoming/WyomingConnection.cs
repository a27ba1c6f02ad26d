using System.Net.Sockets;
using System.Threading.Channels;
using EdgeVoice.Core;
using Microsoft.Extensions.Logging;

namespace EdgeVoice.Frontends.Wyoming;

/// <summary>What every connection uses: the core, the voice list, the capacity rules and the settings.</summary>
internal sealed record WyomingServices(
    SayRequestParser Parser,
    Admission Admission,
    RequestSpeaker Speaker,
    WyomingInfo Info,
    NetworkCapacity Capacity,
    WyomingOptions Options,
    int MaxTextChars,
    TimeProvider Time,
    ILogger Logger);

/// <summary>
/// One Wyoming client. The read loop answers <c>describe</c>, takes <c>synthesize</c> and the streaming
/// sequence, and queues the work; one job loop speaks it in order (audio back to this client, never to
/// the local speaker); one write loop sends what is queued, within <c>Wyoming:SendTimeoutSeconds</c>.
/// A protocol fault is answered with an <c>error</c> event and the connection is closed.
/// </summary>
internal sealed partial class WyomingConnection : IAsyncDisposable
{
    private const int OutboxFrames = 64;

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly WyomingServices _services;
    private readonly CancellationToken _stopping;
    private readonly CancellationTokenSource _closed;
    private readonly Channel<byte[]> _outbox = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(OutboxFrames) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly Channel<Job> _jobs = Channel.CreateUnbounded<Job>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private int _pendingJobs;
    private Streaming? _streaming;

    public WyomingConnection(Socket socket, WyomingServices services, CancellationToken stopping)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: false);
        _services = services;
        _stopping = stopping;
        _closed = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        Remote = socket.RemoteEndPoint?.ToString() ?? "?";
        Client = (socket.RemoteEndPoint as System.Net.IPEndPoint)?.Address.ToString() ?? Remote;
    }

    /// <summary>The client's address and port, for logs and the <c>sink</c> of events.</summary>
    public string Remote { get; }

    /// <summary>The client for the rate limit: its IP address.</summary>
    public string Client { get; }

    public async Task RunAsync()
    {
        var writer = Task.Run(WriteLoopAsync);
        var worker = Task.Run(JobLoopAsync);
        string? closing = null;
        try
        {
            closing = await ReadLoopAsync().ConfigureAwait(false);
        }
        catch (WyomingProtocolException e)
        {
            Log.ProtocolError(_services.Logger, Remote, e.Code, e.Message);
            await SendAsync(WyomingFrames.Error(e.Code, e.Message)).ConfigureAwait(false);
            closing = e.Message;
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            closing = "connection lost";
        }

        // The client is gone or was refused: stop its synthesis, send what is queued, and close.
        _jobs.Writer.TryComplete();
        await _closed.CancelAsync().ConfigureAwait(false);
        await worker.ConfigureAwait(false);
        _outbox.Writer.TryComplete();
        await writer.ConfigureAwait(false);
        Log.Closed(_services.Logger, Remote, closing ?? "closed by the client");
    }

    /// <summary>Queues a frame for the client, waiting while the queue is full; dropped once the connection is closing.</summary>
    public void Send(byte[] frame, CancellationToken cancellationToken)
    {
        if (_outbox.Writer.TryWrite(frame))
        {
            return;
        }

        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closed.Token);
        try
        {
            _outbox.Writer.WriteAsync(frame, either.Token).AsTask().GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The connection is closing: what it would have sent no longer matters.
        }
        catch (ChannelClosedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _closed.CancelAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
        _socket.Dispose();
        _closed.Dispose();
    }

    private async Task SendAsync(byte[] frame)
    {
        try
        {
            await _outbox.Writer.WriteAsync(frame, _closed.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
        {
            // Closing.
        }
    }

    /// <summary>Reads events until the client leaves or idles; returns why the connection ends.</summary>
    private async Task<string?> ReadLoopAsync()
    {
        var options = _services.Options;
        var reader = new WyomingReader(_stream, options.MaxDataBytes, options.MaxPayloadBytes);
        var idle = TimeSpan.FromSeconds(options.IdleTimeoutSeconds);
        while (true)
        {
            var next = reader.ReadAsync(_closed.Token);
            while (true)
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(_closed.Token);
                var timer = Task.Delay(idle, _services.Time, wait.Token);
                var first = await Task.WhenAny(next, timer).ConfigureAwait(false);
                await wait.CancelAsync().ConfigureAwait(false);
                if (first == next)
                {
                    break;
                }

                if (_closed.IsCancellationRequested)
                {
                    return "stopping";
                }

                // Quiet while its audio is being made is not idle.
                if (Volatile.Read(ref _pendingJobs) == 0)
                {
                    await SendAsync(WyomingFrames.Error(WyomingErrors.IdleTimeout, $"nothing received for {options.IdleTimeoutSeconds} s (Wyoming:IdleTimeoutSeconds)")).ConfigureAwait(false);
                    _socket.Shutdown(SocketShutdown.Receive);
                    _ = next.ContinueWith(static t => t.Exception, TaskScheduler.Default);
                    return "idle";
                }
            }

            var received = await next.ConfigureAwait(false);
            if (received is null)
            {
                return null;
            }

            Handle(received);
        }
    }

    private void Handle(WyomingEvent received)
    {
        switch (received.Type)
        {
            case "describe":
                _ = SendAsync(_services.Info.Build());
                break;
            case "ping":
                _ = SendAsync(WyomingFrames.Build("pong", json =>
                {
                    if (received.String("text") is { } text)
                    {
                        json.WriteString("text", text);
                    }
                }));
                break;
            case "synthesize":
                if (_streaming is null)
                {
                    Synthesize(received);
                }

                break;
            case "synthesize-start":
                StartStreaming(received);
                break;
            case "synthesize-chunk":
                if (_streaming is not { } streaming)
                {
                    throw new WyomingProtocolException(ErrorCodes.BadRequest, "synthesize-chunk came outside synthesize-start … synthesize-stop");
                }

                Sentences(streaming, streaming.Text.Add(received.String("text") ?? string.Empty));
                break;
            case "synthesize-stop":
                if (_streaming is { } stopping)
                {
                    Sentences(stopping, stopping.Text.Finish());
                    _streaming = null;
                }

                Queue(new Job(null, null));
                break;
            default:
                throw new WyomingProtocolException(WyomingErrors.UnknownEvent, $"event type '{received.Type}' is not one this server handles (describe, synthesize, synthesize-start, synthesize-chunk, synthesize-stop, ping)");
        }
    }

    private void Synthesize(WyomingEvent received)
    {
        var replies = new Replies(this);
        var voice = Voice(received);
        var candidate = new SayRequest(NewId(), received.String("text") ?? string.Empty, voice, _services.Time.GetTimestamp()) { Frontend = WyomingServer.Frontend, Replies = replies };
        if (!_services.Parser.Validate(candidate, out var request, out var error))
        {
            _services.Admission.Reject(error, candidate);
            return;
        }

        if (_services.Admission.Check(request, Client, out var accepted) == AdmissionResult.Accepted)
        {
            Queue(new Job(accepted, replies));
        }
    }

    private void StartStreaming(WyomingEvent received)
    {
        var replies = new Replies(this);
        var request = new SayRequest(NewId(), string.Empty, Voice(received), _services.Time.GetTimestamp()) { Frontend = WyomingServer.Frontend, Replies = replies };
        var admitted = _services.Admission.Check(request, Client, out var accepted) == AdmissionResult.Accepted;
        _streaming = new Streaming(accepted, replies, new SentenceStream(Math.Min(_services.MaxTextChars, 1000))) { Refused = !admitted };
    }

    /// <summary>Queues the completed sentences of a stream, each its own request (<c>id-1</c>, <c>id-2</c>, …) with the stream's voice.</summary>
    private void Sentences(Streaming streaming, IReadOnlyList<string> sentences)
    {
        if (streaming.Text.Received > _services.MaxTextChars && !streaming.Refused)
        {
            streaming.Refused = true;
            _services.Admission.Reject(new RequestError(ErrorCodes.TooLong, $"the streamed text is over {_services.MaxTextChars} characters (Limits:MaxTextChars)", streaming.Request.Id), streaming.Request);
        }

        foreach (var sentence in sentences)
        {
            if (streaming.Refused)
            {
                return;
            }

            var candidate = streaming.Request with { Id = $"{streaming.Request.Id}-{++streaming.Count}", Text = sentence, ReceivedAt = _services.Time.GetTimestamp() };
            if (_services.Parser.Validate(candidate, out var request, out var error))
            {
                Queue(new Job(request, streaming.Replies));
            }
            else
            {
                _services.Admission.Reject(error, candidate);
            }
        }
    }

    /// <summary>The voice a synthesize or synthesize-start asks for: by name, else by language, else the default (null).</summary>
    private string? Voice(WyomingEvent received)
    {
        if (received.Object("voice") is not { } voice)
        {
            return null;
        }

        string? Field(string name) => voice.TryGetProperty(name, out var v) && v.ValueKind == System.Text.Json.JsonValueKind.String ? v.GetString() : null;
        return _services.Info.Choose(Field("name"), Field("language"), Field("speaker"));
    }

    private void Queue(Job job)
    {
        Interlocked.Increment(ref _pendingJobs);
        if (!_jobs.Writer.TryWrite(job))
        {
            Interlocked.Decrement(ref _pendingJobs);
        }
    }

    /// <summary>Speaks the queued requests one after another; a null request sends <c>synthesize-stopped</c>.</summary>
    private async Task JobLoopAsync()
    {
        try
        {
            await foreach (var job in _jobs.Reader.ReadAllAsync(_closed.Token).ConfigureAwait(false))
            {
                try
                {
                    if (job.Request is null)
                    {
                        await SendAsync(WyomingFrames.Build("synthesize-stopped", json => { })).ConfigureAwait(false);
                    }
                    else if (job.Replies?.Failed != true)
                    {
                        await SpeakAsync(job.Request).ConfigureAwait(false);
                    }
                }
                finally
                {
                    Interlocked.Decrement(ref _pendingJobs);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The connection is closing.
        }
    }

    private async Task SpeakAsync(SayRequest request)
    {
        using var slot = await _services.Capacity.EnterAsync(_closed.Token).ConfigureAwait(false);
        using var stop = new Interruption();
        await using var gone = _closed.Token.Register(() => stop.Stop("client gone")).ConfigureAwait(false);
        using var sink = new WyomingAudioSink(this, _services.Options.SamplesPerChunk);
        var spoken = request with { Sink = sink, ResolvedVoice = _services.Capacity.Yielding(request.ResolvedVoice!) };
        await _services.Speaker.SpeakAsync(spoken, stop, _stopping).ConfigureAwait(false);
    }

    private async Task WriteLoopAsync()
    {
        var timeout = TimeSpan.FromSeconds(_services.Options.SendTimeoutSeconds);
        await foreach (var frame in _outbox.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                using var limit = new CancellationTokenSource(timeout, _services.Time);
                await _stream.WriteAsync(frame, limit.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
            {
                Log.SendFailed(_services.Logger, Remote, e is OperationCanceledException ? $"it took nothing for {timeout.TotalSeconds:F0} s" : e.Message);
                await _closed.CancelAsync().ConfigureAwait(false);
                _socket.Close(0);
                while (_outbox.Reader.TryRead(out _))
                {
                }

                return;
            }
        }

        try
        {
            _socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already closed.
        }
    }

    private static string NewId() => "wyoming-" + Guid.NewGuid().ToString("N")[..12];

    private sealed record Job(SayRequest? Request, Replies? Replies);

    /// <summary>A stream in progress: its admitted request (voice resolved once), its text, its sentences so far.</summary>
    private sealed class Streaming(SayRequest request, Replies replies, SentenceStream text)
    {
        public SayRequest Request => request;

        public Replies Replies => replies;

        public SentenceStream Text => text;

        public int Count { get; set; }

        public bool Refused { get; set; }
    }

    /// <summary>A request's events as the client sees them: a refusal or a failure is an <c>error</c> event; the rest is not sent.</summary>
    private sealed class Replies(WyomingConnection connection) : IRequestReplies
    {
        public bool Failed { get; private set; }

        public void Publish(RequestEvent requestEvent)
        {
            if (requestEvent.Event is RequestEvent.Rejected or RequestEvent.Failed)
            {
                Failed = true;
                connection.Send(WyomingFrames.Error(requestEvent.Code ?? ErrorCodes.SynthesisFailed, requestEvent.Message ?? requestEvent.Event), CancellationToken.None);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 8101, Level = LogLevel.Information, Message = "Wyoming client {Remote}: {Code}: {Reason}; closing")]
        public static partial void ProtocolError(ILogger logger, string remote, string code, string reason);

        [LoggerMessage(EventId = 8102, Level = LogLevel.Debug, Message = "Wyoming client {Remote} left ({Reason})")]
        public static partial void Closed(ILogger logger, string remote, string reason);

        [LoggerMessage(EventId = 8103, Level = LogLevel.Warning, Message = "Wyoming client {Remote} dropped: {Reason}")]
        public static partial void SendFailed(ILogger logger, string remote, string reason);
    }
}
