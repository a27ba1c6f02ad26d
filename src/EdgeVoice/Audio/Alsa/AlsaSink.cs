using EdgeVoice.Audio.Alsa.Native;
using Microsoft.Extensions.Logging;

namespace EdgeVoice.Audio.Alsa;

/// <summary>
/// Plays PCM on an ALSA device through libasound. The device is opened once and kept open; the
/// hardware parameters are set again only when the format changes. Writes are blocking, in pieces
/// of about 50 ms, so a cancelled utterance stops within one piece plus the device's latency.
/// A device that fails (unplugged, busy) is closed and reopened by the next utterance.
/// </summary>
internal sealed partial class AlsaSink : IAudioSink
{
    private readonly string _device;
    private readonly uint _latencyMicroseconds;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private SafePcmHandle? _pcm;
    private AudioFormat? _configured;

    public AlsaSink(string device, int latencyMs, ILogger logger)
    {
        _device = device;
        _latencyMicroseconds = (uint)latencyMs * 1000;
        _logger = logger;
    }

    public string Description => $"alsa:{_device}";

    /// <summary>Opens the device now rather than at the first utterance; throws when it cannot be opened.</summary>
    public void Open()
    {
        lock (_gate)
        {
            EnsureOpen();
        }
    }

    public IPlayback Begin(string utteranceId, AudioFormat format)
    {
        lock (_gate)
        {
            var pcm = EnsureOpen();
            try
            {
                if (_configured != format)
                {
                    AlsaException.Check(
                        LibAsound.PcmSetParams(
                            pcm,
                            LibAsound.FormatS16Le,
                            LibAsound.AccessRwInterleaved,
                            (uint)format.Channels,
                            (uint)format.SampleRate,
                            softResample: 1,
                            _latencyMicroseconds),
                        $"snd_pcm_set_params({format})");
                    _configured = format;
                    Log.Configured(_logger, _device, format);
                }

                AlsaException.Check(LibAsound.PcmPrepare(pcm), "snd_pcm_prepare");
            }
            catch (AlsaException e)
            {
                throw Fault(e);
            }

            return new Playback(this, pcm, format);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _pcm?.Dispose();
            _pcm = null;
        }
    }

    private SafePcmHandle EnsureOpen()
    {
        if (_pcm is { IsInvalid: false, IsClosed: false })
        {
            return _pcm;
        }

        int result;
        SafePcmHandle pcm;
        try
        {
            AlsaErrorHandler.Install();

            // Non-blocking open: a busy device answers EBUSY at once instead of waiting for its owner.
            result = LibAsound.PcmOpen(out pcm, _device, LibAsound.StreamPlayback, LibAsound.ModeNonBlock);
        }
        catch (DllNotFoundException e)
        {
            throw new AudioDeviceUnavailableException("libasound.so.2 is not installed (Debian/Ubuntu package libasound2).", e);
        }

        if (result < 0)
        {
            pcm.Dispose();
            throw new AudioDeviceUnavailableException(ExplainOpenFailure(result), new AlsaException("snd_pcm_open", result));
        }

        var blocking = LibAsound.PcmNonBlock(pcm, 0);
        if (blocking < 0)
        {
            pcm.Dispose();
            throw new AudioDeviceUnavailableException($"ALSA device '{_device}' cannot switch to blocking writes: {LibAsound.Describe(blocking)}");
        }

        _pcm = pcm;
        _configured = null;
        Log.Opened(_logger, _device);
        return pcm;
    }

    private string ExplainOpenFailure(int error) => error switch
    {
        LibAsound.ENOENT or LibAsound.ENODEV =>
            $"ALSA device '{_device}' does not exist (no sound card, or a wrong device name): {LibAsound.Describe(error)}",
        LibAsound.EBUSY or LibAsound.EAGAIN =>
            $"ALSA device '{_device}' is busy: another program is using it",
        _ => $"ALSA device '{_device}' cannot be opened: {LibAsound.Describe(error)} ({error})",
    };

    /// <summary>Closes a device that failed, so the next utterance opens it afresh, and explains the failure.</summary>
    private AudioDeviceUnavailableException Fault(AlsaException error)
    {
        lock (_gate)
        {
            _pcm?.Dispose();
            _pcm = null;
        }

        Log.Failed(_logger, _device, error.Message);
        return new AudioDeviceUnavailableException($"ALSA device '{_device}' failed: {error.Message}", error);
    }

    private sealed class Playback(AlsaSink sink, SafePcmHandle pcm, AudioFormat format) : IPlayback
    {
        private readonly int _piece = Math.Max(1, format.SampleRate / 20);
        private bool _finished;

        public int Underruns { get; private set; }

        /// <summary>ALSA's delay: frames written but not yet heard (0 on devices that do not say, such as null).</summary>
        public TimeSpan Delay =>
            LibAsound.PcmDelay(pcm, out var frames) == 0 && frames > 0 ? TimeSpan.FromSeconds((double)frames / format.SampleRate) : TimeSpan.Zero;

        public unsafe void Write(ReadOnlySpan<short> samples, CancellationToken cancellationToken)
        {
            var frames = samples.Length / format.Channels;
            var done = 0;
            fixed (short* start = samples)
            {
                while (done < frames)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var count = Math.Min(_piece, frames - done);
                    var written = LibAsound.PcmWriteInterleaved(pcm, start + (done * format.Channels), (nuint)count);
                    if (written >= 0)
                    {
                        done += (int)written;
                    }
                    else if (written is LibAsound.EPIPE or LibAsound.ESTRPIPE)
                    {
                        Underruns += written == LibAsound.EPIPE ? 1 : 0;
                        Log.Underrun(sink._logger, sink._device);
                        var recovered = LibAsound.PcmRecover(pcm, (int)written, silent: 1);
                        if (recovered < 0)
                        {
                            throw sink.Fault(new AlsaException("snd_pcm_recover", recovered));
                        }
                    }
                    else if (written != LibAsound.EAGAIN)
                    {
                        throw sink.Fault(new AlsaException("snd_pcm_writei", (int)written));
                    }
                }
            }
        }

        public void Finish()
        {
            _finished = true;
            var result = LibAsound.PcmDrain(pcm);
            if (result < 0 && result != LibAsound.EPIPE)
            {
                throw sink.Fault(new AlsaException("snd_pcm_drain", result));
            }
        }

        public void Dispose()
        {
            if (!_finished && !pcm.IsClosed)
            {
                // Stopped early (cancelled or failed): discard what is still buffered.
                _ = LibAsound.PcmDrop(pcm);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "ALSA device '{Device}' opened")]
        public static partial void Opened(ILogger logger, string device);

        [LoggerMessage(EventId = 4002, Level = LogLevel.Debug, Message = "ALSA device '{Device}' set to {Format}")]
        public static partial void Configured(ILogger logger, string device, AudioFormat format);

        [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "ALSA device '{Device}' underrun; recovered")]
        public static partial void Underrun(ILogger logger, string device);

        [LoggerMessage(EventId = 4004, Level = LogLevel.Error, Message = "ALSA device '{Device}' failed and was closed: {Reason}")]
        public static partial void Failed(ILogger logger, string device, string reason);
    }
}
