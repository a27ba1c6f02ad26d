using System.Globalization;

namespace EdgeVoice.Audio.Wav;

/// <summary>
/// Writes each utterance to a WAV file: either one fixed file (<c>edgevoice say --out</c>) or a new
/// file per utterance in a folder, keeping only the newest <c>keepFiles</c> so the disk does not fill.
/// </summary>
internal sealed class WavFileSink : IAudioSink
{
    private readonly string? _directory;
    private readonly string? _file;
    private readonly int _keepFiles;
    private readonly TimeProvider _time;

    private WavFileSink(string? directory, string? file, int keepFiles, TimeProvider time)
    {
        _directory = directory;
        _file = file;
        _keepFiles = keepFiles;
        _time = time;
    }

    public string Description => _file is null ? $"wav:{_directory}" : $"wav-file:{_file}";

    /// <summary>A sink that writes <c>TIME-ID.wav</c> files into <paramref name="directory"/>.</summary>
    public static WavFileSink ToDirectory(string directory, int keepFiles, TimeProvider time)
    {
        var full = Path.GetFullPath(directory);
        try
        {
            Directory.CreateDirectory(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AudioDeviceUnavailableException($"WAV folder '{full}' cannot be created: {e.Message}", e);
        }

        return new WavFileSink(full, null, keepFiles, time);
    }

    /// <summary>A sink that writes every utterance to <paramref name="file"/>, replacing it.</summary>
    public static WavFileSink ToFile(string file) => new(null, Path.GetFullPath(file), 0, TimeProvider.System);

    public IPlayback Begin(string utteranceId, AudioFormat format)
    {
        var path = _file ?? Path.Combine(_directory!, FileName(utteranceId));
        try
        {
            return new Playback(this, new WavWriter(path, format));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AudioDeviceUnavailableException($"WAV file '{path}' cannot be written: {e.Message}", e);
        }
    }

    public void Dispose()
    {
    }

    private string FileName(string utteranceId)
    {
        var stamp = _time.GetUtcNow().ToString("yyyyMMdd-HHmmss.fff", CultureInfo.InvariantCulture);
        var safe = new string(utteranceId.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_').Take(64).ToArray());
        return $"{stamp}-{safe}.wav";
    }

    private void Prune()
    {
        if (_directory is null || _keepFiles == 0)
        {
            return;
        }

        var files = new DirectoryInfo(_directory).GetFiles("*.wav");
        if (files.Length <= _keepFiles)
        {
            return;
        }

        foreach (var old in files.OrderByDescending(f => f.Name, StringComparer.Ordinal).Skip(_keepFiles))
        {
            try
            {
                old.Delete();
            }
            catch (IOException)
            {
                // Another process holds it; the next utterance tries again.
            }
        }
    }

    private sealed class Playback(WavFileSink sink, WavWriter writer) : IPlayback
    {
        public int Underruns => 0;

        public void Write(ReadOnlySpan<short> samples, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                writer.Write(samples);
            }
            catch (IOException e)
            {
                throw new AudioDeviceUnavailableException($"WAV output failed: {e.Message}", e);
            }
        }

        public void Finish()
        {
            writer.Complete();
            sink.Prune();
        }

        public void Dispose() => writer.Dispose();
    }
}
