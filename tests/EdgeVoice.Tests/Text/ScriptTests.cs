using System.Text;
using EdgeVoice.Text;

namespace EdgeVoice.Tests.Text;

public sealed class ScriptTests
{
    [Theory]
    [InlineData("中", nameof(ScriptKind.Han))]
    [InlineData("\u3400", nameof(ScriptKind.Han))]
    [InlineData("\uF900", nameof(ScriptKind.Han))]
    [InlineData("𠀀", nameof(ScriptKind.Han))] // U+20000, extension B
    [InlineData("か", nameof(ScriptKind.Kana))]
    [InlineData("カ", nameof(ScriptKind.Kana))]
    [InlineData("한", nameof(ScriptKind.Hangul))]
    [InlineData("\u1100", nameof(ScriptKind.Hangul))]
    [InlineData("a", nameof(ScriptKind.Latin))]
    [InlineData("é", nameof(ScriptKind.Latin))]
    [InlineData("5", nameof(ScriptKind.Other))]
    [InlineData("，", nameof(ScriptKind.Other))]
    [InlineData("😀", nameof(ScriptKind.Other))]
    [InlineData("Ж", nameof(ScriptKind.Other))]
    public void Classify(string character, string kind)
    {
        var expected = Enum.Parse<ScriptKind>(kind);
        var rune = Rune.GetRuneAt(character, 0);
        Assert.Equal(expected, Script.Classify(rune));
        if (rune.IsBmp)
        {
            Assert.Equal(expected, Script.Classify(character[0]));
        }
    }

    [Theory]
    [InlineData('中', true, true)]
    [InlineData('か', false, true)]
    [InlineData('한', false, true)]
    [InlineData('a', false, false)]
    [InlineData('。', false, false)]
    public void IsHanAndIsCjk(char c, bool han, bool cjk)
    {
        Assert.Equal(han, Script.IsHan(c));
        Assert.Equal(han, Script.IsHan(new Rune(c)));
        Assert.Equal(cjk, Script.IsCjk(c));
    }
}
