using EdgeVoice.Text.Normalization.Rules;

namespace EdgeVoice.Tests.Text.Normalization.Rules;

public sealed class TimeRuleTests
{
    [Theory]
    [InlineData("12:30", "twelve thirty")]
    [InlineData("7:05 pm", "seven oh five p m")]
    [InlineData("9:00", "nine o'clock")]
    [InlineData("9:00 AM", "nine a m")]
    [InlineData("10:15:30", "ten fifteen")]
    [InlineData("11:45 p.m.", "eleven forty-five p m")]
    [InlineData("|12:30开会", "十二点三十分开会")]
    [InlineData("下午|3:05出发", "下午三点零五分出发")]
    [InlineData("下午|3:00", "下午三点")]
    [InlineData("24:00", null)]
    [InlineData("9:60", null)]
    [InlineData("1:2:3", null)]
    [InlineData("12345", null)]
    public void Reads(string row, string? said) => Assert.Equal(said, RuleTable.Number(new TimeRule(), row));
}
