using EdgeVoice.Text.Normalization.Rules;

namespace EdgeVoice.Tests.Text.Normalization.Rules;

public sealed class YearRuleTests
{
    [Theory]
    [InlineData("in |1999", "in nineteen ninety-nine")]
    [InlineData("since |2024", "since twenty twenty-four")]
    [InlineData("in |2005", "in two thousand five")]
    [InlineData("in |1900", "in nineteen hundred")]
    [InlineData("By |2030,", "By twenty thirty,")]
    [InlineData("|2024年", "二零二四年")]
    [InlineData("|98年", "九八年")]
    [InlineData("in |2024m", null)] // a unit follows: a measure
    [InlineData("in |2024.5", null)]
    [InlineData("in |12345", null)]
    [InlineData("bought |1999", null)]
    [InlineData("|123年", null)]
    [InlineData("在|2024", null)]
    public void Reads(string row, string? said) => Assert.Equal(said, RuleTable.Number(new YearRule(), row));
}
