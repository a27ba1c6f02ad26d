using EdgeVoice.Tests.Support;
using EdgeVoice.Text;
using EdgeVoice.Voices;

namespace EdgeVoice.Tests.Voices;

/// <summary>
/// The seam where <c>Text:FirstChunkChars</c> cuts the first chunk, through the real libespeak-ng:
/// the pause at the cut is no longer than the text's own.
/// </summary>
public sealed class EspeakSeamTests
{
    private static IVoice Voice()
    {
        Assert.True(TestVoices.Registry(defaultVoice: "espeak").TryResolve(null, out var voice, out _));
        return voice;
    }

    /// <summary>Milliseconds of near-silence (|x| below 1 % of full scale) at the end of the audio.</summary>
    private static double TrailingSilenceMs(short[] pcm, int rate)
    {
        var i = pcm.Length;
        while (i > 0 && Math.Abs((int)pcm[i - 1]) < 328)
        {
            i--;
        }

        return (pcm.Length - i) * 1000.0 / rate;
    }

    /// <summary>The longest run of near-silence (20 ms windows) strictly inside the audio, in milliseconds.</summary>
    private static double LongestInnerPauseMs(short[] pcm, int rate)
    {
        var window = rate / 50;
        var quiet = new List<bool>();
        for (var start = 0; start + window <= pcm.Length; start += window)
        {
            var peak = 0;
            for (var j = start; j < start + window; j++)
            {
                peak = Math.Max(peak, Math.Abs((int)pcm[j]));
            }

            quiet.Add(peak < 328);
        }

        var first = quiet.IndexOf(false);
        var last = quiet.LastIndexOf(false);
        int longest = 0, run = 0;
        for (var k = first; k <= last; k++)
        {
            run = quiet[k] ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }

        return longest * 20.0;
    }

    [Fact]
    public void CutBetweenWords_EndsWithoutAPause()
    {
        var voice = Voice();
        const string words = "Please keep your luggage with";

        var cut = voice.Synthesize(new TextChunk(0, words, 0, words.Length, ChunkBoundary.Word), CancellationToken.None);
        var end = voice.Synthesize(new TextChunk(0, words, 0, words.Length, ChunkBoundary.End), CancellationToken.None);
        var whole = voice.Synthesize(new TextChunk(0, "Please keep your luggage with you.", 0, 34, ChunkBoundary.End), CancellationToken.None);

        var rate = voice.Format.SampleRate;
        Speech.AssertPlausible(cut, rate, words: 5);
        // Between "with" and "you" the text has no pause: the cut chunk ends with at most a
        // stop consonant's silence, where the same words as a whole utterance end with espeak-ng's sentence pause.
        Assert.True(TrailingSilenceMs(cut, rate) <= 60, $"cut chunk ends with {TrailingSilenceMs(cut, rate):F0} ms of silence");
        Assert.True(TrailingSilenceMs(end, rate) >= 150, $"whole utterance ends with {TrailingSilenceMs(end, rate):F0} ms of silence");
        Assert.True(LongestInnerPauseMs(whole, rate) < 150);
    }

    [Fact]
    public void CutAtAComma_KeepsTheCommasPause_NoLonger()
    {
        var voice = Voice();
        var rate = voice.Format.SampleRate;

        var cut = voice.Synthesize(new TextChunk(0, "Good morning,", 0, 13, ChunkBoundary.Clause), CancellationToken.None);
        var whole = voice.Synthesize(new TextChunk(0, "Good morning, everyone.", 0, 23, ChunkBoundary.End), CancellationToken.None);

        var atCut = TrailingSilenceMs(cut, rate);
        var inText = LongestInnerPauseMs(whole, rate);
        Assert.True(atCut >= 0.5 * inText && atCut <= inText + 40, $"pause at the cut {atCut:F0} ms, the comma's own {inText:F0} ms");
    }
}
