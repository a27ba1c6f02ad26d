using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using EdgeVoice.Audio;

namespace EdgeVoice.Frontends.Http;

/// <summary>
/// The sink of one HTTP speech request: the pipeline's 20 ms slices go into a bounded channel that the
/// response reads, so a slow client slows its own synthesis and nobody else's.
/// </summary>
internal sealed class ResponseSink : IAudioSink
{
    private readonly Channel<short[]> _slices = Channel.CreateBounded<short[]>(new BoundedChannelOptions(256)
    {
        SingleReader = true,
        SingleWriter = true,
        FullMode = BoundedChannelFullMode.Wait,

        // The response's writer runs on as soon as a slice is written (no hop through the thread pool
        // before the first bytes leave); its writes only copy into Kestrel's buffers.
        AllowSynchronousContinuations = true,
    });

    public string Description => "http";

    /// <summary>The audio's format, once the pipeline has begun.</summary>
    public AudioFormat? Format { get; private set; }

    public ChannelReader<short[]> Slices => _slices.Reader;

    public IPlayback Begin(string utteranceId, AudioFormat format)
    {
        Format = format;
        return new Playback(_slices.Writer);
    }

    /// <summary>No more audio: the request ended, or its client went away.</summary>
    public void Complete() => _slices.Writer.TryComplete();

    public void Dispose() => Complete();

    private sealed class Playback(ChannelWriter<short[]> writer) : IPlayback
    {
        public int Underruns => 0;

        public void Write(ReadOnlySpan<short> samples, CancellationToken cancellationToken)
        {
            var slice = samples.ToArray();
            while (!writer.TryWrite(slice))
            {
                // Full: wait for the response to take some (a client that has gone completes the channel).
                if (!writer.WaitToWriteAsync(cancellationToken).AsTask().GetAwaiter().GetResult())
                {
                    return;
                }
            }
        }

        public void Finish()
        {
        }

        public void Dispose()
        {
        }
    }
}

/// <summary>How PCM becomes the bytes of a response format.</summary>
internal abstract class AudioEncoder : IDisposable
{
    public abstract string ContentType { get; }

    /// <summary>What comes before the first samples (a WAV header, Ogg's header pages).</summary>
    public abstract void Begin(Stream output);

    public abstract void Write(ReadOnlySpan<short> samples, Stream output);

    /// <summary>What ends the stream (Opus's last page).</summary>
    public virtual void Finish(Stream output)
    {
    }

    public virtual void Dispose() => GC.SuppressFinalize(this);

    public static bool IsSupported(string format) => format is "wav" or "pcm" or "opus";

    public static AudioEncoder Create(string format, AudioFormat audio) => format switch
    {
        "wav" => new WavEncoder(audio),
        "pcm" => new PcmEncoder(audio),
        "opus" => new OpusEncoderStream(audio),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "not an audio format EdgeVoice writes"),
    };
}

/// <summary>Raw 16-bit little-endian PCM at the voice's rate (stated in the <c>X-EdgeVoice-Sample-Rate</c> header).</summary>
internal sealed class PcmEncoder(AudioFormat format) : AudioEncoder
{
    public override string ContentType => $"audio/pcm;rate={format.SampleRate};channels={format.Channels};encoding=signed-int;bits=16;endian=little";

    public override void Begin(Stream output)
    {
    }

    public override void Write(ReadOnlySpan<short> samples, Stream output)
    {
        if (BitConverter.IsLittleEndian)
        {
            output.Write(MemoryMarshal.AsBytes(samples));
            return;
        }

        var bytes = new byte[samples.Length * 2];
        for (var i = 0; i < samples.Length; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(i * 2), samples[i]);
        }

        output.Write(bytes);
    }
}

/// <summary>
/// WAV streamed before its length is known: the RIFF and data sizes say "as long as it goes"
/// (0xFFFFFFFF), as streaming TTS servers write it; the samples follow as they are made.
/// </summary>
internal sealed class WavEncoder(AudioFormat format) : AudioEncoder
{
    private readonly PcmEncoder _pcm = new(format);

    public override string ContentType => "audio/wav";

    public override void Begin(Stream output)
    {
        Span<byte> header = stackalloc byte[44];
        "RIFF"u8.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], uint.MaxValue);
        "WAVE"u8.CopyTo(header[8..]);
        "fmt "u8.CopyTo(header[12..]);
        BinaryPrimitives.WriteInt32LittleEndian(header[16..], 16);
        BinaryPrimitives.WriteUInt16LittleEndian(header[20..], 1);
        BinaryPrimitives.WriteUInt16LittleEndian(header[22..], (ushort)format.Channels);
        BinaryPrimitives.WriteInt32LittleEndian(header[24..], format.SampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(header[28..], format.SampleRate * format.BytesPerFrame);
        BinaryPrimitives.WriteUInt16LittleEndian(header[32..], (ushort)format.BytesPerFrame);
        BinaryPrimitives.WriteUInt16LittleEndian(header[34..], 16);
        "data"u8.CopyTo(header[36..]);
        BinaryPrimitives.WriteUInt32LittleEndian(header[40..], uint.MaxValue);
        output.Write(header);
    }

    public override void Write(ReadOnlySpan<short> samples, Stream output) => _pcm.Write(samples, output);
}

/// <summary>Opus in Ogg (<see cref="OggOpusWriter"/>).</summary>
internal sealed class OpusEncoderStream(AudioFormat format) : AudioEncoder
{
    private readonly OggOpusWriter _writer = new(format.SampleRate, (uint)Random.Shared.Next());

    public override string ContentType => "audio/ogg; codecs=opus";

    public override void Begin(Stream output) => _writer.WriteHeaders(output);

    public override void Write(ReadOnlySpan<short> samples, Stream output) => _writer.Write(samples, output);

    public override void Finish(Stream output) => _writer.Finish(output);

    public override void Dispose()
    {
        _writer.Dispose();
        base.Dispose();
    }
}
