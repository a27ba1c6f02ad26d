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

            // A folder that exists but cannot be written (read-only, another owner) fails now, not at the first request.
            var probe = Path.Combine(full, $".edgevoice-{Guid.NewGuid():N}");
            using (File.Create(probe, 1, FileOptions.DeleteOnClose))
            {
            }
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
            return new Playback(this, path, new WavWriter(path, format));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Discard(path);
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

    /// <summary>Removes a file whose writing failed, so no empty or partial WAV file is left behind.</summary>
    private static void Discard(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Nothing more can be done about it here; the error being reported says why.
        }
    }

    /// <summary>
    /// One file being written. A write that fails (a full disk, a folder gone) closes and deletes the
    /// file and fails the utterance with <see cref="AudioDeviceUnavailableException"/> and the system's
    /// message; the next utterance starts a new file, so writing resumes as soon as there is room.
    /// </summary>
    private sealed class Playback(WavFileSink sink, string path, WavWriter writer) : IPlayback
    {
        private bool _failed;

        public int Underruns => 0;

        public void Write(ReadOnlySpan<short> samples, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ObjectDisposedException.ThrowIf(_failed, this);
            try
            {
                writer.Write(samples);
            }
            catch (IOException e)
            {
                throw Failed(e);
            }
        }

        public void Finish()
        {
            ObjectDisposedException.ThrowIf(_failed, this);
            try
            {
                writer.Complete();
            }
            catch (IOException e)
            {
                throw Failed(e);
            }

            sink.Prune();
        }

        public void Dispose()
        {
            if (_failed)
            {
                return;
            }

            try
            {
                writer.Dispose();
            }
            catch (IOException)
            {
                // Stopped without Finish and the last bytes could not be stored: the file is incomplete.
                Close();
            }
        }

        private AudioDeviceUnavailableException Failed(IOException error)
        {
            Close();
            return new AudioDeviceUnavailableException($"WAV file '{path}' cannot be written: {error.Message}", error);
        }

        private void Close()
        {
            _failed = true;
            writer.Abandon();
            Discard(path);
        }
    }
}
