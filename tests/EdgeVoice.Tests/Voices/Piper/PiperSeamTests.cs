using EdgeVoice.Tests.Support;
using EdgeVoice.Text;
using EdgeVoice.Voices.Piper;

namespace EdgeVoice.Tests.Voices.Piper;

/// <summary>Where <c>Text:FirstChunkChars</c> cuts inside a sentence, two Piper chunks join without a click.</summary>
public sealed class PiperSeamTests
{
    [Fact]
    public void Chunk_StartsAndEndsAtZero_SoACutJoinsWithoutAStep()
    {
        const string name = "en_US-test-x_low";
        using var voice = PiperVoice.Load(name, TestVoices.PiperModel(name), TestVoices.PiperModel(name) + ".json", TestVoices.Sessions(), TestVoices.Espeak, 0);

        var first = voice.Synthesize(new TextChunk(0, "Please keep your luggage", 0, 24, ChunkBoundary.Word), CancellationToken.None);
        var second = voice.Synthesize(new TextChunk(1, "with you.", 25, 9, ChunkBoundary.End), CancellationToken.None);

        // The largest step between two neighbouring samples across the seam is no larger than
        // inside the chunks (a click is a step far above the signal's own).
        static int MaxStep(ReadOnlySpan<short> pcm)
        {
            var max = 0;
            for (var i = 1; i < pcm.Length; i++)
            {
                max = Math.Max(max, Math.Abs(pcm[i] - pcm[i - 1]));
            }

            return max;
        }

        Assert.Equal(0, first[^1]);
        Assert.Equal(0, second[0]);
        Assert.True(Math.Abs((int)first[^2]) < 1000 && Math.Abs((int)second[1]) < 1000);
        short[] seam = [.. first[^8..], .. second[..8]];
        Assert.True(MaxStep(seam) <= Math.Max(MaxStep(first), MaxStep(second)));
    }

    [Fact]
    public void FadeEnds_RampsBothEnds_LeavesTheMiddle()
    {
        var pcm = Enumerable.Repeat((short)10_000, 100).ToArray();

        PiperVoice.FadeEnds(pcm, 10);

        Assert.Equal(0, pcm[0]);
        Assert.Equal(0, pcm[^1]);
        Assert.True(pcm[5] is > 4000 and < 6000);
        Assert.All(pcm[10..90], s => Assert.Equal(10_000, s));
    }
}
