namespace EdgeVoice.Audio;

/// <summary>The shape of 16-bit signed little-endian PCM: the only sample format inside EdgeVoice.</summary>
internal readonly record struct AudioFormat(int SampleRate, int Channels)
{
    public const int BytesPerSample = sizeof(short);

    public static AudioFormat Mono(int sampleRate) => new(sampleRate, 1);

    public int BytesPerFrame => BytesPerSample * Channels;

    public TimeSpan DurationOf(long samples) =>
        TimeSpan.FromSeconds((double)samples / Channels / SampleRate);

    public override string ToString() => $"{SampleRate} Hz, {Channels} ch, s16le";
}
