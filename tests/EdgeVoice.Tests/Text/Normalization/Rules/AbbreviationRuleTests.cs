using EdgeVoice.Text.Normalization.Rules;

namespace EdgeVoice.Tests.Text.Normalization.Rules;

public sealed class AbbreviationRuleTests
{
    [Theory]
    [InlineData("Dr|. Smith", "Doctor Smith")]
    [InlineData("met Mr|. Li", "met Mister Li")]
    [InlineData("St|. Mary", "Saint Mary")]
    [InlineData("cats vs|. dogs", "cats versus dogs")]
    [InlineData("The end|. Next", "The end. Next")]
    [InlineData("Dr|.", "Dr.")] // nothing follows: the end of a sentence
    [InlineData("Dr|.Smith", "Dr.Smith")]
    [InlineData("XDr|. Smith", "XDr. Smith")]
    [InlineData("|, no", null)]
    public void Reads(string row, string? said) => Assert.Equal(said, RuleTable.Text(new AbbreviationRule(), row));

    [Theory]
    [InlineData("Dr", true)]
    [InlineData("etc", true)]
    [InlineData("dr", false)]
    [InlineData("end", false)]
    public void IsAbbreviation(string word, bool expected) => Assert.Equal(expected, AbbreviationRule.IsAbbreviation(word));
}
