using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using EdgeVoice.Voices.Espeak.Native;

namespace EdgeVoice.Voices.Espeak;

/// <summary>
/// The process's one espeak-ng instance. espeak-ng keeps global state (voice, rate, callback), so
/// every call holds one process-wide lock; synthesis runs in synchronous mode and samples arrive
/// through the callback on the calling thread.
/// </summary>
internal sealed unsafe class EspeakLibrary
{
    private static readonly Lock Gate = new();

    /// <summary>See <see cref="Speakable"/>; each is one code point after the letter that replaces it.</summary>
    private static readonly SearchValues<char> UnspeakableLetters = SearchValues.Create("\u0A18\u0A1D\u0A22\u0A27\u0A2D");
    private static int s_sampleRate;
    private static ArrayBufferWriter<short>? s_collector;
    private static CancellationToken s_cancellation;

    /// <summary>Output rate of espeak-ng (22,050 Hz with the standard data).</summary>
    public int SampleRate
    {
        get
        {
            EnsureInitialized();
            return s_sampleRate;
        }
    }

    public string Version
    {
        get
        {
            EnsureInitialized();
            return LibEspeakNg.Version();
        }
    }

    /// <summary>Loads libespeak-ng and its data; throws <see cref="EspeakUnavailableException"/> with the fix when it cannot.</summary>
#pragma warning disable CA1822 // An instance API over process-wide state: callers take the library as a dependency.
    public void EnsureInitialized()
#pragma warning restore CA1822
    {
        lock (Gate)
        {
            if (s_sampleRate > 0)
            {
                return;
            }

            int rate;
            try
            {
                rate = LibEspeakNg.Initialize(LibEspeakNg.AudioOutputSynchronous, 100, null, LibEspeakNg.InitializeDontExit);
            }
            catch (DllNotFoundException e)
            {
                throw new EspeakUnavailableException(
                    "libespeak-ng.so.1 is not installed (Debian/Ubuntu packages libespeak-ng1 and espeak-ng-data).", e);
            }

            if (rate <= 0)
            {
                throw new EspeakUnavailableException(
                    "espeak-ng could not load its voice data (Debian/Ubuntu package espeak-ng-data).");
            }

            LibEspeakNg.SetSynthCallback(&LibEspeakNg.OnSamples);
            s_sampleRate = rate;
        }
    }

    /// <summary>True when espeak-ng knows a voice of this name (<c>en-us</c>, <c>de</c>, <c>cmn</c>, …).</summary>
    public bool HasVoice(string name)
    {
        EnsureInitialized();
        lock (Gate)
        {
            return LibEspeakNg.SetVoiceByName(name) == LibEspeakNg.Ok;
        }
    }

    /// <summary>
    /// Synthesises <paramref name="text"/> with one espeak-ng voice into 16-bit mono PCM. With
    /// <paramref name="endPause"/> espeak-ng ends the audio with the pause of the text's last
    /// punctuation (a sentence pause when there is none); without it, with no pause.
    /// </summary>
    public short[] Synthesize(string text, string voice, int wordsPerMinute, CancellationToken cancellationToken, bool endPause = true)
    {
        EnsureInitialized();
        text = Speakable(text);
        var byteCount = Encoding.UTF8.GetByteCount(text);
        var utf8 = ArrayPool<byte>.Shared.Rent(byteCount + 1);
        try
        {
            Encoding.UTF8.GetBytes(text, utf8);
            utf8[byteCount] = 0;
            lock (Gate)
            {
                if (LibEspeakNg.SetVoiceByName(voice) != LibEspeakNg.Ok)
                {
                    throw new SynthesisException($"espeak-ng has no voice '{voice}'.");
                }

                if (LibEspeakNg.SetParameter(LibEspeakNg.ParameterRate, wordsPerMinute, 0) != LibEspeakNg.Ok)
                {
                    throw new SynthesisException($"espeak-ng refused the rate {wordsPerMinute} words per minute.");
                }

                var collector = new ArrayBufferWriter<short>(s_sampleRate);
                s_collector = collector;
                s_cancellation = cancellationToken;
                try
                {
                    int result;
                    fixed (byte* start = utf8)
                    {
                        result = LibEspeakNg.Synth(
                            start, (nuint)(byteCount + 1), 0, LibEspeakNg.PositionCharacter, 0,
                            LibEspeakNg.CharsUtf8 | (endPause ? LibEspeakNg.EndPause : 0), null, null);
                    }

                    cancellationToken.ThrowIfCancellationRequested();
                    if (result != LibEspeakNg.Ok)
                    {
                        throw new SynthesisException($"espeak_Synth failed with espeak error {result}.");
                    }

                    return collector.WrittenSpan.ToArray();
                }
                finally
                {
                    s_collector = null;
                    s_cancellation = default;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(utf8);
        }
    }

    /// <summary>
    /// The IPA phonemes espeak-ng gives <paramref name="text"/> with <paramref name="voice"/>, clause by
    /// clause, joined by spaces. (Debian's libespeak-ng lacks <c>espeak_TextToPhonemesWithTerminator</c>,
    /// so callers pass one clause at a time and add its punctuation themselves.)
    /// </summary>
    public string TextToPhonemes(string text, string voice)
    {
        EnsureInitialized();
        text = Speakable(text);
        var utf8 = new byte[Encoding.UTF8.GetByteCount(text) + 1];
        Encoding.UTF8.GetBytes(text, utf8);
        var phonemes = new StringBuilder();
        lock (Gate)
        {
            if (LibEspeakNg.SetVoiceByName(voice) != LibEspeakNg.Ok)
            {
                throw new SynthesisException($"espeak-ng has no voice '{voice}'.");
            }

            fixed (byte* start = utf8)
            {
                void* position = start;
                while (position != null)
                {
                    var before = position;
                    var clause = LibEspeakNg.TextToPhonemes(&position, (int)LibEspeakNg.CharsUtf8, LibEspeakNg.PhonemesIpa);
                    if (clause != null && *clause != 0)
                    {
                        if (phonemes.Length > 0)
                        {
                            phonemes.Append(' ');
                        }

                        phonemes.Append(Marshal.PtrToStringUTF8((IntPtr)clause));
                    }

                    if (position == before)
                    {
                        break;
                    }
                }
            }
        }

        return phonemes.ToString();
    }

    /// <summary>
    /// <paramref name="text"/> with the characters that libespeak-ng 1.51 (Debian 12) cannot take
    /// replaced; any other text is returned as it is. The Gurmukhi letters ਘ ਝ ਢ ਧ ਭ (U+0A18, U+0A1D,
    /// U+0A22, U+0A27, U+0A2D) carry a Punjabi tone whose pitch envelope is missing from its data:
    /// espeak-ng prints "espeak: No envelope" and can then crash the process inside
    /// <c>espeak_Synth</c>. Each becomes the unaspirated letter it is said with (ਗ ਜ ਡ ਦ ਬ), so
    /// Punjabi is still spoken, without the tone.
    /// </summary>
    internal static string Speakable(string text)
    {
        if (text.AsSpan().IndexOfAny(UnspeakableLetters) < 0)
        {
            return text;
        }

        return string.Create(text.Length, text, static (target, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var letter = source[i];
                target[i] = UnspeakableLetters.Contains(letter) ? (char)(letter - 1) : letter;
            }
        });
    }

    /// <summary>Called by espeak-ng, on the synthesising thread, with each block of samples.</summary>
    internal static int Deliver(short* samples, int count)
    {
        if (s_cancellation.IsCancellationRequested)
        {
            return 1;
        }

        if (samples != null && count > 0 && s_collector is { } collector)
        {
            new ReadOnlySpan<short>(samples, count).CopyTo(collector.GetSpan(count));
            collector.Advance(count);
        }

        return 0;
    }
}

/// <summary>libespeak-ng or its data is missing.</summary>
internal sealed class EspeakUnavailableException : Exception
{
    public EspeakUnavailableException(string message)
        : base(message)
    {
    }

    public EspeakUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
