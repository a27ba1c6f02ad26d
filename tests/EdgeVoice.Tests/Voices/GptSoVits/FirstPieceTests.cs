using EdgeVoice.Voices.GptSoVits;

namespace EdgeVoice.Tests.Voices.GptSoVits;

public sealed class FirstPieceTests
{
    [Fact]
    public void TheFirstPiece_IsShort_AndTheRestKeepTheirLength()
    {
        var stream = new PieceAssembler(size: 24, lookahead: 16, history: 32, fade: 256, firstSize: 8);
        Assert.Null(stream.Ready(15));
        var first = stream.Ready(16)!.Value; // 8 own + at most 8 ahead
        Assert.Equal(new PieceAssembler.Piece(0, 0, 8, 16, false), first);
        stream.Take(first, new float[16 * 1280]);
        Assert.Null(stream.Ready(8 + 24 + 15));
        Assert.Equal(new PieceAssembler.Piece(0, 8, 32, 48, false), stream.Ready(8 + 24 + 16));
    }

    [Fact]
    public void TheFirstPiecesLookahead_IsItsOwn_AndTheNextPieceKeepsTheFullOne()
    {
        var stream = new PieceAssembler(size: 24, lookahead: 16, history: 32, fade: 256, firstSize: 8, firstLookahead: 4);
        Assert.Null(stream.Ready(11));
        var first = stream.Ready(12)!.Value; // 8 own + 4 ahead: the first audio after 12 tokens
        Assert.Equal(new PieceAssembler.Piece(0, 0, 8, 12, false), first);
        stream.Take(first, new float[12 * 1280]);
        Assert.Null(stream.Ready(8 + 24 + 15));
        Assert.Equal(new PieceAssembler.Piece(0, 8, 32, 48, false), stream.Ready(8 + 24 + 16));
    }

    [Fact]
    public void FirstPieceTokensZero_KeepsEveryPieceAlike()
    {
        var stream = new PieceAssembler(24, 16, 32, 256, firstSize: 0);
        Assert.Null(stream.Ready(39));
        Assert.Equal(new PieceAssembler.Piece(0, 0, 24, 40, false), stream.Ready(40));
    }

    [Fact]
    public void NoSampleIsLostOrRepeated_AcrossTheShortFirstPiece()
    {
        // Audio whose sample value is its index: what the pieces keep, in order, must be 0, 1, 2, ... .
        var stream = new PieceAssembler(24, 16, 32, 0, firstSize: 8);
        var total = 100;
        var kept = new List<float>();
        for (var tokens = 1; tokens <= total; tokens++)
        {
            if (stream.Ready(tokens) is { } piece)
            {
                kept.AddRange(stream.Take(piece, Audio(piece)));
            }
        }

        var last = stream.Final(total)!.Value;
        kept.AddRange(stream.Take(last, Audio(last)));
        Assert.Equal(Enumerable.Range(0, total * 1280).Select(i => (float)i), kept);

        static float[] Audio(PieceAssembler.Piece p) => [.. Enumerable.Range(p.From * 1280, (p.To - p.From) * 1280).Select(i => (float)i)];
    }

    [Fact]
    public void TheOption_IsValidated()
    {
        var validator = new GptSoVitsOptionsValidator();
        Assert.True(validator.Validate(null, new GptSoVitsOptions { FirstPieceTokens = 0 }).Succeeded);
        Assert.False(validator.Validate(null, new GptSoVitsOptions { FirstPieceTokens = 1 }).Succeeded);
    }
}
