using EdgeVoice.Text.Normalization.Rules;

namespace EdgeVoice.Tests.Text.Normalization.Rules;

public sealed class MeasureRuleTests
{
    [Theory]
    [InlineData("5 km away", "five kilometers away")]
    [InlineData("1 kg", "one kilogram")]
    [InlineData("1.5 kg", "one point five kilograms")]
    [InlineData("25°C today", "twenty-five degrees Celsius today")]
    [InlineData("1°F", "one degree Fahrenheit")]
    [InlineData("16GB", "sixteen gigabytes")]
    [InlineData("200ms", "two hundred milliseconds")]
    [InlineData("60 km/h", "sixty kilometers per hour")]
    [InlineData("5m", "five meters")]
    [InlineData("1 mph", "one miles per hour")]
    [InlineData("气温|25°C", "气温二十五摄氏度")]
    [InlineData("跑了|5km", "跑了五公里")]
    [InlineData("内存|16GB", "内存十六GB")]
    [InlineData("5 m", null)] // a single letter only directly after the number
    [InlineData("5 kgs", null)]
    [InlineData("3 months", null)]
    [InlineData("5", null)]
    public void Reads(string row, string? said) => Assert.Equal(said, RuleTable.Number(new MeasureRule(), row));
}
