using EdgeVoice.Text.Normalization.Rules;

namespace EdgeVoice.Tests.Text.Normalization.Rules;

public sealed class DateRuleTests
{
    [Theory]
    [InlineData("2024-05-01", "May first, twenty twenty-four")]
    [InlineData("2023/12/31 end", "December thirty-first, twenty twenty-three end")]
    [InlineData("2000-1-2", "January second, two thousand")]
    [InlineData("日期|2024-05-01", "日期二零二四年五月一日")]
    [InlineData("日期|2023/12/31", "日期二零二三年十二月三十一日")]
    [InlineData("2024-5", null)]
    [InlineData("20240501", null)]
    [InlineData("12:30", null)]
    public void Reads(string row, string? said) => Assert.Equal(said, RuleTable.Number(new DateRule(), row));
}
