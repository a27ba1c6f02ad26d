using EdgeVoice.Text.Normalization.Rules;

namespace EdgeVoice.Tests.Text.Normalization.Rules;

public sealed class CardinalRuleTests
{
    [Theory]
    [InlineData("3 apples", "three apples")]
    [InlineData("0", "zero")]
    [InlineData("1001", "one thousand one")]
    [InlineData("1,234,567", "one million two hundred thirty-four thousand five hundred sixty-seven")]
    [InlineData("1,23", "one,23")] // not a thousands group: the comma is left to the text after it
    [InlineData("12345678901234567890", "one two three four five six seven eight nine zero one two three four five six seven eight nine zero")]
    [InlineData("我有|15个", "我有十五个")]
    [InlineData("共|10005元", "共一万零五元")]
    [InlineData("人口|1400000000", "人口十四亿")]
    [InlineData("3.5", null)]
    [InlineData("abc", null)]
    public void Reads(string row, string? said) => Assert.Equal(said, RuleTable.Number(new CardinalRule(), row));
}
