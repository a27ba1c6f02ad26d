using EdgeVoice.Text.Normalization.Rules;

namespace EdgeVoice.Tests.Text.Normalization.Rules;

public sealed class SymbolsRuleTests
{
    [Theory]
    [InlineData("Tom |& Jerry", "Tom and Jerry")]
    [InlineData("me|@home", "me at home")]
    [InlineData("a|=b", "a equals b")]
    [InlineData("x |+ y", "x plus y")]
    [InlineData("|% sign", "percent sign")]
    [InlineData("猫|&狗", "猫和狗")]
    [InlineData("我|@你", "我艾特你")]
    [InlineData("一|=一", "一等于一")]
    [InlineData("|# tag", null)]
    [InlineData("|-", null)]
    public void Reads(string row, string? said) => Assert.Equal(said, RuleTable.Text(new SymbolsRule(), row));

    [Theory]
    [InlineData("2|+2", "2 plus 2")]
    [InlineData("一|+2", "一加2")]
    [InlineData("|2", null)]
    public void ReadsAPlusBeforeDigits(string row, string? said) => Assert.Equal(said, RuleTable.Number(new SymbolsRule(), row));
}
