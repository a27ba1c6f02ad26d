using EdgeVoice.Text.Normalization.Rules;

namespace EdgeVoice.Tests.Text.Normalization.Rules;

public sealed class MoneyRuleTests
{
    [Theory]
    [InlineData("$5.20", "five dollars and twenty cents")]
    [InlineData("$1", "one dollar")]
    [InlineData("$0.01", "zero dollars and one cent")]
    [InlineData("€3", "three euros")]
    [InlineData("£2.50", "two pounds and fifty pence")]
    [InlineData("£1.01", "one pound and one penny")]
    [InlineData("¥100", "one hundred yuan")]
    [InlineData("$1,299.99", "one thousand two hundred ninety-nine dollars and ninety-nine cents")]
    [InlineData("$3.00", "three dollars")]
    [InlineData("价格|¥100", "价格一百元")]
    [InlineData("只要|$20", "只要二十美元")]
    [InlineData("票价|€3.5", "票价三点五欧元")]
    [InlineData("花了|£2", "花了二英镑")]
    [InlineData("100", null)]
    [InlineData("5%", null)]
    public void Reads(string row, string? said) => Assert.Equal(said, RuleTable.Number(new MoneyRule(), row));
}
