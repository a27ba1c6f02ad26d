using EdgeVoice.Text.Normalization.Rules;

namespace EdgeVoice.Tests.Text.Normalization.Rules;

public sealed class TelephoneRuleTests
{
    [Theory]
    [InlineData("+1 555-123-4567 now", "plus one, five five five, one two three, four five six seven now")]
    [InlineData("555-1234", "five five five, one two three four")]
    [InlineData("(020) 1234 5678", "zero two zero, one two three four, five six seven eight")]
    [InlineData("13800138000", "one three eight zero zero one three eight zero zero zero")]
    [InlineData("电话|13800138000", "电话一三八零零一三八零零零")]
    [InlineData("电话|010-1234-5678", "电话零一零一二三四五六七八")]
    [InlineData("12345678901234567890", null)] // too long: not a telephone number
    [InlineData("555 people", null)]
    [InlineData("2024-05-01", null)]
    [InlineData("+5", null)]
    public void Reads(string row, string? said) => Assert.Equal(said, RuleTable.Number(new TelephoneRule(), row));
}
