using EdgeVoice.Text.Normalization;
using EdgeVoice.Text.Normalization.Rules;

namespace EdgeVoice.Tests.Text.Normalization.Rules;

/// <summary>Where a number starts, its sign, and the order the kinds of number are tried in.</summary>
public sealed class NumberRuleTests
{
    private static readonly NumberRule Numbers = new(
        [new TelephoneRule(), new SymbolsRule(), new DateRule(), new TimeRule(), new MoneyRule(), new PercentRule(),
         new OrdinalRule(), new YearRule(), new MeasureRule(), new DecimalRule(), new CardinalRule()]);

    [Theory]
    [InlineData("It is |-5 outside", "It is minus five outside")]
    [InlineData("x|-5", null)] // a minus after a letter is a hyphen
    [InlineData("温度|-3度", "温度负三度")]
    [InlineData("|+5", "plus 5")] // a plus not starting a telephone number is a symbol
    [InlineData("|+1 555-123-4567", "plus one, five five five, one two three, four five six seven")]
    [InlineData("|$5", "five dollars")]
    [InlineData("|$x", null)]
    [InlineData("iPhone|15", "iPhone fifteen")]
    [InlineData("|15Pro", "fifteen Pro")]
    [InlineData("|2024-05-01", "May first, twenty twenty-four")] // a date before a cardinal
    [InlineData("|12:30", "twelve thirty")] // a time before a cardinal
    [InlineData("|5 km", "five kilometers")]
    [InlineData("|x", null)]
    public void Reads(string row, string? said) => Assert.Equal(said, RuleTable.Text(Numbers, row));

    [Theory]
    [InlineData("价格100", 2, true)]
    [InlineData("100元", 0, true)]
    [InlineData("price 100", 6, false)]
    [InlineData("中文 then 100", 8, false)] // the nearest letter before wins
    [InlineData("100", 0, false)]
    public void ChineseContext(string text, int at, bool expected) => Assert.Equal(expected, Normalizer.ChineseContext(text, at));
}
