using System.Text;
using EdgeVoice.Text;

namespace EdgeVoice.Tests.Text;

public sealed class ScriptTests
{
    [Theory]
    [InlineData("中", ScriptKind.Han)]
    [InlineData("\u3400", ScriptKind.Han)]
    [InlineData("\uF900", ScriptKind.Han)]
    [InlineData("𠀀", ScriptKind.Han)] // U+20000, extension B
    [InlineData("か", ScriptKind.Kana)]
    [InlineData("カ", ScriptKind.Kana)]
    [InlineData("한", ScriptKind.Hangul)]
    [InlineData("\u1100", ScriptKind.Hangul)]
    [InlineData("a", ScriptKind.Latin)]
    [InlineData("é", ScriptKind.Latin)]
    [InlineData("5", ScriptKind.Other)]
    [InlineData("，", ScriptKind.Other)]
    [InlineData("😀", ScriptKind.Other)]
    [InlineData("Ж", ScriptKind.Other)]
    public void Classify(string character, ScriptKind expected)
    {
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
