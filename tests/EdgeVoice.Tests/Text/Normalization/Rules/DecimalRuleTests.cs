using EdgeVoice.Text.Normalization.Rules;

namespace EdgeVoice.Tests.Text.Normalization.Rules;

public sealed class DecimalRuleTests
{
    [Theory]
    [InlineData("3.14", "three point one four")]
    [InlineData("0.5", "zero point five")]
    [InlineData("1,234.5", "one thousand two hundred thirty-four point five")]
    [InlineData("约|3.5", "约三点五")]
    [InlineData("约|0.05", "约零点零五")]
    [InlineData("3.", null)]
    [InlineData("3", null)]
    public void Reads(string row, string? said) => Assert.Equal(said, RuleTable.Number(new DecimalRule(), row));
}
