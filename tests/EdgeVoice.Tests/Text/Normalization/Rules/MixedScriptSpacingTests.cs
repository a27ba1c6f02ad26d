using System.Text;
using EdgeVoice.Text.Normalization.Rules;

namespace EdgeVoice.Tests.Text.Normalization.Rules;

public sealed class MixedScriptSpacingTests
{
    [Theory]
    [InlineData("iPhone15", "iPhone 15")]
    [InlineData("发布会iPhone", "发布会 iPhone")]
    [InlineData("用Python写代码", "用 Python 写代码")]
    [InlineData("版本3", "版本 3")]
    [InlineData("カメラABC", "カメラ ABC")]
    [InlineData("한국어ABC", "한국어 ABC")]
    [InlineData("plain words", "plain words")]
    [InlineData("中文，English", "中文，English")]
    [InlineData("Hello 😀 world", "Hello  world")]
    [InlineData("go → now", "go  now")]
    [InlineData("𠀀字", "𠀀字")] // a Han character above U+FFFF is kept
    public void Append(string plain, string said)
    {
        var output = new StringBuilder();
        MixedScriptSpacing.Append(plain, output);
        Assert.Equal(said, output.ToString());
    }

    [Fact]
    public void Append_DropsALoneSurrogate()
    {
        var output = new StringBuilder();
        MixedScriptSpacing.Append(['a', '\uD800', 'b'], output);
        Assert.Equal("ab", output.ToString());
    }

    [Fact]
    public void Append_SpacesFromWhatWasWrittenBefore()
    {
        var output = new StringBuilder("中");
        MixedScriptSpacing.Append("abc", output);
        Assert.Equal("中 abc", output.ToString());
    }

    [Theory]
    [InlineData('中', '0', true)]
    [InlineData('a', '0', true)]
    [InlineData('0', 'a', true)]
    [InlineData('a', '中', true)]
    [InlineData(' ', '0', false)]
    [InlineData('0', '0', false)]
    [InlineData('，', 'a', false)]
    public void NeedsSpace(char before, char after, bool expected) => Assert.Equal(expected, MixedScriptSpacing.NeedsSpace(before, after));
}
