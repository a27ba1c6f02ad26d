using EdgeVoice.Text.Normalization.Rules;

namespace EdgeVoice.Tests.Text.Normalization.Rules;

public sealed class OrdinalRuleTests
{
    [Theory]
    [InlineData("1st", "first")]
    [InlineData("2nd place", "second place")]
    [InlineData("3rd", "third")]
    [InlineData("21st", "twenty-first")]
    [InlineData("100th", "one hundredth")]
    [InlineData("4th.", "fourth.")]
    [InlineData("1stly", null)]
    [InlineData("2.5th", null)]
    [InlineData("第|1st", null)] // in Chinese, English suffixes are not ordinals
    public void English(string row, string? said) => Assert.Equal(said, RuleTable.Number(new OrdinalRule(), row));

    [Theory]
    [InlineData("第3名", "第三名")]
    [InlineData("第12届", "第十二届")]
    [InlineData("第100", "第一百")]
    [InlineData("第一", null)]
    [InlineData("3名", null)]
    public void Chinese(string row, string? said) => Assert.Equal(said, RuleTable.Text(new OrdinalRule(), row));
}
