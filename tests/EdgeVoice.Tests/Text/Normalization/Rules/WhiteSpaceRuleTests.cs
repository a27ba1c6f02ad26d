using System.Text;
using EdgeVoice.Text.Normalization.Rules;

namespace EdgeVoice.Tests.Text.Normalization.Rules;

public sealed class WhiteSpaceRuleTests
{
    [Theory]
    [InlineData("a|  \n\t b", "a b")]
    [InlineData("a|\u0007b", "a b")]
    [InlineData("a |\u0007b", "a b")]
    [InlineData("zero|\u200Bwidth", "zerowidth")]
    [InlineData("ok|\uFE0F!", "ok!")]
    [InlineData("中|\u3000文", "中 文")]
    [InlineData("a|b", null)]
    [InlineData("a|.", null)]
    public void Reads(string row, string? said) => Assert.Equal(said, RuleTable.Text(new WhiteSpaceRule(), row));

    [Theory]
    [InlineData("  a  b  ", "a b")]
    [InlineData("Hello  world !", "Hello world!")]
    [InlineData("好 ，好 。", "好，好。")]
    [InlineData("plain", "plain")]
    [InlineData("", "")]
    public void Collapse(string written, string said) => Assert.Equal(said, WhiteSpaceRule.Collapse(new StringBuilder(written)));
}
