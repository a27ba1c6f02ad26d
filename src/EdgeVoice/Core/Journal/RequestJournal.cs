using System.Text.Json;
using System.Text.Json.Serialization;
using EdgeVoice.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeVoice.Core.Journal;

/// <summary>The journal cannot record a request (disk full, storage failing, the file could not be opened).</summary>
internal sealed class JournalUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A request found in the journal at start, not yet answered.</summary>
internal sealed record PendingRequest(long Seq, SayRequest Request, string? Route, DateTimeOffset ReceivedUtc, bool WasSpeaking);

/// <summary>A request's last event, written down but not yet delivered to its caller.</summary>
internal sealed record UndeliveredOutcome(long Seq, SayRequest Request, string? Route, RequestEvent Event);

/// <summary>What the journal held at start.</summary>
internal sealed record JournalContents(
    IReadOnlyList<PendingRequest> Pending,
    IReadOnlyList<UndeliveredOutcome> Undelivered,
    IReadOnlyList<(string Id, DateTimeOffset EndedUtc)> RecentlyEnded);

/// <summary>
/// Accepted requests on disk (SQLite, WAL), from admission until their last event has been delivered:
/// what the queue needs to rebuild itself after a crash or a restart (id, front-end, reply route,
/// the request, its arrival and priority, how many chunks were played), the last event until its
/// front-end has delivered it, and the ids of ended requests for the duplicate window. A request is
/// committed before its front-end acknowledges it. Thread-safe (one connection, one lock).
/// </summary>
internal sealed partial class RequestJournal : IRequestObserver, IDeliveryReceipts, IDisposable
{
    public const string FileName = "journal.db";
    private const int Schema = 1;
    private static readonly TimeSpan ReopenEvery = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan CheckpointEvery = TimeSpan.FromSeconds(2);

    private readonly JournalOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<RequestJournal> _logger;
    private readonly Lock _gate = new();
    private SqliteConnection? _connection;
    private SqliteCommand? _append;
    private SqliteCommand? _update;
    private SqliteCommand? _durable;
    private SqliteCommand? _relaxed;
    private readonly Lock _checkpointGate = new();
    private SqliteConnection? _checkpointer;
    private ITimer? _checkpoints;
    private long _lastOpenAttempt = long.MinValue;
    private bool _opened;

    public RequestJournal(IOptions<JournalOptions> options, TimeProvider time, ILogger<RequestJournal> logger)
    {
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    /// <summary>Journaling is configured (<c>Journal:Enabled</c>).</summary>
    public bool Enabled => _options.Enabled;

    /// <summary>The journal file.</summary>
    public string FilePath => Path.GetFullPath(Path.Combine(_options.EffectiveDirectory, FileName));

    /// <summary>The request's last event is written before it goes to the caller: a crash in between does not lose it.</summary>
    public bool BeforeReplies => true;

    /// <summary>Opens the journal (once); a file that cannot be read is moved aside and a fresh one started.</summary>
    public void Open()
    {
        lock (_gate)
        {
            EnsureOpen();
        }
    }

    /// <summary>Writes an accepted request; it is on disk when this returns. Throws <see cref="JournalUnavailableException"/>.</summary>
    /// <returns>Its journal sequence number.</returns>
    public long Append(SayRequest request, string? route)
    {
        lock (_gate)
        {
            if (!EnsureOpen())
            {
                throw new JournalUnavailableException($"the request journal {FilePath} cannot be opened");
            }

            var command = _append!;
            command.Parameters["$id"].Value = request.Id;
            command.Parameters["$frontend"].Value = request.Frontend;
            command.Parameters["$route"].Value = (object?)route ?? DBNull.Value;
            command.Parameters["$body"].Value = JsonSerializer.Serialize(JournalBody.Of(request), JournalJsonContext.Default.JournalBody);
            command.Parameters["$received"].Value = _time.GetUtcNow().ToUnixTimeMilliseconds() - (long)_time.GetElapsedTime(request.ReceivedAt).TotalMilliseconds;
            command.Parameters["$priority"].Value = (int)request.Priority;
            try
            {
                // Only the commit that precedes an acknowledgement waits for the disk (with "full"); it also
                // makes every earlier change in the write-ahead log durable, as the log is written in order.
                _durable?.ExecuteNonQuery();
                try
                {
                    return (long)command.ExecuteScalar()!;
                }
                finally
                {
                    _relaxed?.ExecuteNonQuery();
                }
            }
            catch (SqliteException e)
            {
                Log.AppendFailed(_logger, request.Id, e.Message);
                throw new JournalUnavailableException($"the request journal cannot record it: {e.Message}", e);
            }
        }
    }

    /// <summary>Takes a request out that was written but not accepted after all (the queue filled meanwhile).</summary>
    public void Remove(long seq) => Execute("DELETE FROM requests WHERE seq = $seq", seq);

    /// <summary>How many chunks of a request have been played in full: a restart resumes after them.</summary>
    public void Played(long seq, int chunks) => Execute("UPDATE requests SET played = $value WHERE seq = $seq", seq, chunks);

    /// <summary>A request's last event has reached its caller (or its front-end's broker).</summary>
    public void Delivered(long journalSeq) => Execute("UPDATE requests SET delivered = 1 WHERE seq = $seq", journalSeq);

    public void Observe(RequestEvent requestEvent)
    {
        if (requestEvent.Request is not { JournalSeq: > 0 } request)
        {
            return;
        }

        if (requestEvent.Event == RequestEvent.Started)
        {
            Execute("UPDATE requests SET state = 1 WHERE seq = $seq AND state = 0", request.JournalSeq);
        }
        else if (requestEvent.IsFinal)
        {
            var json = JsonSerializer.Serialize(requestEvent, EventJsonContext.Default.RequestEvent);
            Execute(
                "UPDATE requests SET state = 2, outcome = $text, ended = $value, delivered = delivered OR $local WHERE seq = $seq",
                request.JournalSeq,
                _time.GetUtcNow().ToUnixTimeMilliseconds(),
                json,
                request.Replies is null ? 1 : 0);
        }
    }

    /// <summary>Forgets ended requests that were delivered longer ago than <paramref name="keepIds"/> (the duplicate window).</summary>
    public void Prune(TimeSpan keepIds)
    {
        var before = _time.GetUtcNow().ToUnixTimeMilliseconds() - (long)keepIds.TotalMilliseconds;
        Execute("DELETE FROM requests WHERE state = 2 AND delivered = 1 AND ended < $value", 0, before);
    }

    /// <summary>Reads what a previous run left: requests to speak (in their order), last events to deliver, recent ids.</summary>
    public JournalContents Read(TimeSpan duplicateWindow)
    {
        var pending = new List<PendingRequest>();
        var undelivered = new List<UndeliveredOutcome>();
        var recent = new List<(string, DateTimeOffset)>();
        lock (_gate)
        {
            if (!EnsureOpen())
            {
                return new JournalContents(pending, undelivered, recent);
            }

            var since = _time.GetUtcNow().ToUnixTimeMilliseconds() - (long)duplicateWindow.TotalMilliseconds;
            using var command = _connection!.CreateCommand();
            command.CommandText = """
                SELECT seq, id, frontend, route, body, received, state, played, outcome, delivered, ended FROM requests
                WHERE state < 2 OR delivered = 0 OR ended >= $since
                ORDER BY state = 1 DESC, seq
                """;
            command.Parameters.AddWithValue("$since", since);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var seq = reader.GetInt64(0);
                var id = reader.GetString(1);
                var route = reader.IsDBNull(3) ? null : reader.GetString(3);
                var state = reader.GetInt32(6);
                var received = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5));
                SayRequest request;
                try
                {
                    request = JsonSerializer.Deserialize(reader.GetString(4), JournalJsonContext.Default.JournalBody)!.ToRequest(id, reader.GetString(2), seq) with
                    {
                        ReceivedAt = _time.GetTimestamp() - (long)((_time.GetUtcNow() - received).TotalSeconds * _time.TimestampFrequency),
                    };
                }
                catch (JsonException e)
                {
                    Log.Unreadable(_logger, seq, e.Message);
                    continue;
                }

                if (state < 2)
                {
                    var played = reader.GetInt32(7);
                    pending.Add(new PendingRequest(seq, request with { SkipChunks = played, Resumed = state == 1 }, route, received, state == 1));
                    continue;
                }

                if (!reader.IsDBNull(10) && reader.GetInt64(10) >= since && request.CallerId)
                {
                    recent.Add((id, DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(10))));
                }

                if (reader.GetInt32(9) == 0 && !reader.IsDBNull(8) && JsonSerializer.Deserialize(reader.GetString(8), EventJsonContext.Default.RequestEvent) is { } outcome)
                {
                    undelivered.Add(new UndeliveredOutcome(seq, request, route, outcome));
                }
            }
        }

        recent.Sort((a, b) => a.Item2.CompareTo(b.Item2));
        return new JournalContents(pending, undelivered, recent);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            Close();
        }
    }

    /// <summary>
    /// Copies the write-ahead log into the database, on a connection of its own and off the requests'
    /// path: the commits of admission never wait for a checkpoint's fsync (SQLite's automatic
    /// checkpoint, run by whichever commit crosses its threshold, is off).
    /// </summary>
    internal void Checkpoint()
    {
        lock (_checkpointGate)
        {
            try
            {
                if (_checkpointer is null)
                {
                    _checkpointer = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = FilePath, Pooling = false }.ToString());
                    _checkpointer.Open();
                }

                using var command = _checkpointer.CreateCommand();
                command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
                command.ExecuteNonQuery();
            }
            catch (SqliteException e)
            {
                Log.CheckpointFailed(_logger, e.Message);
                _checkpointer?.Dispose();
                _checkpointer = null;
            }
        }
    }

    private void Execute(string sql, long seq, long value = 0, string? text = null, long local = 0)
    {
        lock (_gate)
        {
            if (!_opened || _connection is null)
            {
                return;
            }

            try
            {
                var command = _update!;
                command.CommandText = sql;
                command.Parameters["$seq"].Value = seq;
                command.Parameters["$value"].Value = value;
                command.Parameters["$text"].Value = (object?)text ?? DBNull.Value;
                command.Parameters["$local"].Value = local;
                command.ExecuteNonQuery();
            }
            catch (SqliteException e)
            {
                // The request goes on in memory; what could not be written is said, and answered at the latest by a restart.
                Log.UpdateFailed(_logger, seq, e.Message);
            }
        }
    }

    /// <summary>Opens the journal if it is not open (at most every few seconds after a failure); false when it cannot be.</summary>
    private bool EnsureOpen()
    {
        if (_opened)
        {
            return true;
        }

        var now = _time.GetTimestamp();
        if (_lastOpenAttempt != long.MinValue && _time.GetElapsedTime(_lastOpenAttempt, now) < ReopenEvery)
        {
            return false;
        }

        _lastOpenAttempt = now;
        var path = FilePath;
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            try
            {
                OpenFile(path);
            }
            catch (SqliteException e)
            {
                // Not a journal, or a damaged one: keep it for a person to look at, and start afresh.
                Close();
                var aside = $"{path}.corrupt-{_time.GetUtcNow():yyyyMMddTHHmmssZ}";
                foreach (var suffix in new[] { "", "-wal", "-shm" })
                {
                    if (File.Exists(path + suffix))
                    {
                        File.Move(path + suffix, aside + suffix, overwrite: true);
                    }
                }

                Log.MovedAside(_logger, path, e.Message, aside);
                OpenFile(path);
            }

            _opened = true;
            _checkpoints ??= _time.CreateTimer(_ => Checkpoint(), null, CheckpointEvery, CheckpointEvery);
            Log.Opened(_logger, path, _options.Synchronous);
            return true;
        }
        catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException)
        {
            Close();
            Log.OpenFailed(_logger, path, e.Message);
            return false;
        }
    }

    private void OpenFile(string path)
    {
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        _connection.Open();
        var pageSize = 4096;
        // Progress, ends and deliveries are written without waiting for the disk (they survive any end of the
        // process; the next request's commit or checkpoint makes them durable): a power cut may at worst
        // replay a chunk, or a request that had just ended. Requests themselves are committed per Journal:Synchronous.
        Run($"PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 0; PRAGMA max_page_count = {(long)_options.MaxSizeMegabytes * 1024 * 1024 / pageSize};");
        using (var check = _connection.CreateCommand())
        {
            check.CommandText = "PRAGMA quick_check";
            if (check.ExecuteScalar() as string is not "ok" and var result)
            {
                throw new SqliteException($"the journal is damaged ({result})", 11);
            }
        }

        using (var version = _connection.CreateCommand())
        {
            version.CommandText = "PRAGMA user_version";
            var found = Convert.ToInt32(version.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            if (found is not (0 or Schema))
            {
                throw new SqliteException($"the journal has schema {found}; this EdgeVoice reads {Schema}", 26);
            }
        }

        Run($"""
            CREATE TABLE IF NOT EXISTS requests (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                id TEXT NOT NULL,
                frontend TEXT NOT NULL,
                route TEXT,
                body TEXT NOT NULL,
                received INTEGER NOT NULL,
                priority INTEGER NOT NULL,
                state INTEGER NOT NULL DEFAULT 0,
                played INTEGER NOT NULL DEFAULT 0,
                outcome TEXT,
                delivered INTEGER NOT NULL DEFAULT 0,
                ended INTEGER);
            CREATE INDEX IF NOT EXISTS requests_open ON requests (state, delivered);
            PRAGMA user_version = {Schema};
            """);

        _append = _connection.CreateCommand();
        _append.CommandText = "INSERT INTO requests (id, frontend, route, body, received, priority) VALUES ($id, $frontend, $route, $body, $received, $priority) RETURNING seq";
        foreach (var name in new[] { "$id", "$frontend", "$route", "$body", "$received", "$priority" })
        {
            _append.Parameters.Add(new SqliteParameter(name, DBNull.Value));
        }

        _append.Prepare();
        if (_options.Synchronous == "full")
        {
            _durable = _connection.CreateCommand();
            _durable.CommandText = "PRAGMA synchronous = FULL";
            _relaxed = _connection.CreateCommand();
            _relaxed.CommandText = "PRAGMA synchronous = NORMAL";
        }

        _update = _connection.CreateCommand();
        foreach (var name in new[] { "$seq", "$value", "$text", "$local" })
        {
            _update.Parameters.Add(new SqliteParameter(name, DBNull.Value));
        }
    }

    private void Run(string sql)
    {
        using var command = _connection!.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private void Close()
    {
        _checkpoints?.Dispose();
        _checkpoints = null;
        lock (_checkpointGate)
        {
            _checkpointer?.Dispose();
            _checkpointer = null;
        }

        _append?.Dispose();
        _update?.Dispose();
        _durable?.Dispose();
        _relaxed?.Dispose();
        _durable = null;
        _relaxed = null;
        _connection?.Dispose();
        _append = null;
        _update = null;
        _connection = null;
        _opened = false;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "Request journal {Path} open (synchronous {Synchronous})")]
        public static partial void Opened(ILogger logger, string path, string synchronous);

        [LoggerMessage(EventId = 1202, Level = LogLevel.Warning, Message = "The request journal {Path} could not be read ({Reason}); moved aside to {Aside} and started afresh")]
        public static partial void MovedAside(ILogger logger, string path, string reason, string aside);

        [LoggerMessage(EventId = 1203, Level = LogLevel.Error, Message = "The request journal {Path} cannot be opened ({Reason}); requests are refused with journal_unavailable until it can")]
        public static partial void OpenFailed(ILogger logger, string path, string reason);

        [LoggerMessage(EventId = 1204, Level = LogLevel.Error, Message = "The request journal cannot record request {Id} ({Reason}); it is refused with journal_unavailable")]
        public static partial void AppendFailed(ILogger logger, string id, string reason);

        [LoggerMessage(EventId = 1205, Level = LogLevel.Warning, Message = "The request journal could not record a change to its row {Seq}: {Reason}")]
        public static partial void UpdateFailed(ILogger logger, long seq, string reason);

        [LoggerMessage(EventId = 1207, Level = LogLevel.Warning, Message = "Checkpointing the request journal failed: {Reason}; tried again shortly")]
        public static partial void CheckpointFailed(ILogger logger, string reason);

        [LoggerMessage(EventId = 1206, Level = LogLevel.Warning, Message = "The journal's row {Seq} cannot be read ({Reason}); skipped")]
        public static partial void Unreadable(ILogger logger, long seq, string reason);
    }
}

/// <summary>A request as the journal keeps it: everything but its id, front-end, route and times.</summary>
internal sealed record JournalBody(
    string Text,
    string? Voice,
    double Speed,
    double Volume,
    int Priority,
    bool Interrupt,
    int Format,
    bool CallerId,
    DateTimeOffset? ExpiresAt)
{
    public static JournalBody Of(SayRequest r) => new(r.Text, r.Voice, r.Speed, r.Volume, (int)r.Priority, r.Interrupt, (int)r.Format, r.CallerId, r.ExpiresAt);

    public SayRequest ToRequest(string id, string frontend, long seq) => new(id, Text, Voice, 0)
    {
        Speed = Speed,
        Volume = Volume,
        Priority = (Priority)Priority,
        Format = (TextFormat)Format,
        CallerId = CallerId,
        ExpiresAt = ExpiresAt,
        Frontend = frontend,
        JournalSeq = seq,
    };
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(JournalBody))]
internal sealed partial class JournalJsonContext : JsonSerializerContext;
