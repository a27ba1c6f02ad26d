using EdgeVoice.Text.Normalization.Rules;

namespace EdgeVoice.Tests.Text.Normalization.Rules;

public sealed class PercentRuleTests
{
    [Theory]
    [InlineData("50% off", "fifty percent off")]
    [InlineData("12.5%", "twelve point five percent")]
    [InlineData("100％", "one hundred percent")]
    [InlineData("增长了|3.5%", "增长了百分之三点五")]
    [InlineData("降了|20%", "降了百分之二十")]
    [InlineData("50 %", null)]
    [InlineData("50", null)]
    public void Reads(string row, string? said) => Assert.Equal(said, RuleTable.Number(new PercentRule(), row));
}
