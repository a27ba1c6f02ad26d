using EdgeVoice.Text.Normalization;

namespace EdgeVoice.Tests.Text.Normalization;

/// <summary>Each normalisation rule, as a table of what is written and what is said.</summary>
public sealed class NormalizerTests
{
    [Theory]
    // cardinals, negatives, decimals, thousands separators
    [InlineData("I have 3 apples.", "I have three apples.")]
    [InlineData("It is -5 outside.", "It is minus five outside.")]
    [InlineData("Pi is 3.14", "Pi is three point one four")]
    [InlineData("1,234,567 people", "one million two hundred thirty-four thousand five hundred sixty-seven people")]
    [InlineData("0 errors", "zero errors")]
    [InlineData("100 and 1000 and 1001", "one hundred and one thousand and one thousand one")]
    [InlineData("12345678901234567890", "one two three four five six seven eight nine zero one two three four five six seven eight nine zero")]
    // percentages and ordinals
    [InlineData("50% off", "fifty percent off")]
    [InlineData("12.5%", "twelve point five percent")]
    [InlineData("1st 2nd 3rd 21st 100th", "first second third twenty-first one hundredth")]
    // years and dates
    [InlineData("in 1999", "in nineteen ninety-nine")]
    [InlineData("since 2024", "since twenty twenty-four")]
    [InlineData("in 2005", "in two thousand five")]
    [InlineData("in 1900", "in nineteen hundred")]
    [InlineData("on 2024-05-01", "on May first, twenty twenty-four")]
    [InlineData("due 2023/12/31", "due December thirty-first, twenty twenty-three")]
    // times
    [InlineData("at 12:30", "at twelve thirty")]
    [InlineData("at 7:05 pm", "at seven oh five p m")]
    [InlineData("at 9:00", "at nine o'clock")]
    [InlineData("at 9:00 AM", "at nine a m")]
    // money
    [InlineData("$5.20", "five dollars and twenty cents")]
    [InlineData("$1", "one dollar")]
    [InlineData("€3", "three euros")]
    [InlineData("£2.50", "two pounds and fifty pence")]
    [InlineData("¥100", "one hundred yuan")]
    [InlineData("$1,299.99", "one thousand two hundred ninety-nine dollars and ninety-nine cents")]
    // units
    [InlineData("5 km away", "five kilometers away")]
    [InlineData("1 kg", "one kilogram")]
    [InlineData("25°C today", "twenty-five degrees Celsius today")]
    [InlineData("16GB", "sixteen gigabytes")]
    [InlineData("200ms", "two hundred milliseconds")]
    [InlineData("60 km/h", "sixty kilometers per hour")]
    // telephone numbers, digit by digit
    [InlineData("Call +1 555-123-4567 now", "Call plus one, five five five, one two three, four five six seven now")]
    [InlineData("Call 555-1234", "Call five five five, one two three four")]
    // symbols and abbreviations
    [InlineData("Tom & Jerry", "Tom and Jerry")]
    [InlineData("me@home", "me at home")]
    [InlineData("2+2=4", "two plus two equals four")]
    [InlineData("Dr. Smith met Mr. Li at St. Mary.", "Doctor Smith met Mister Li at Saint Mary.")]
    [InlineData("The end. Next", "The end. Next")]
    // emoji, control characters, white space
    [InlineData("Hello 😀 world 👍🏽!", "Hello world!")]
    [InlineData("a\u0007b", "a b")]
    [InlineData("a  \n\t b", "a b")]
    [InlineData("zero\u200Bwidth", "zerowidth")]
    public void English(string written, string said) => Assert.Equal(said, Normalizer.Normalize(written));

    [Theory]
    [InlineData("2024年", "二零二四年")]
    [InlineData("增长了3.5%", "增长了百分之三点五")]
    [InlineData("第3名", "第三名")]
    [InlineData("12:30开会", "十二点三十分开会")]
    [InlineData("下午3:05出发", "下午三点零五分出发")]
    [InlineData("我有15个苹果", "我有十五个苹果")]
    [InlineData("共10005元", "共一万零五元")]
    [InlineData("人口1400000000", "人口十四亿")]
    [InlineData("价格¥100", "价格一百元")]
    [InlineData("只要$20", "只要二十美元")]
    [InlineData("日期2024-05-01", "日期二零二四年五月一日")]
    [InlineData("电话13800138000", "电话一三八零零一三八零零零")]
    [InlineData("跑了5公里", "跑了五公里")]
    [InlineData("气温25°C", "气温二十五摄氏度")]
    [InlineData("温度-3度", "温度负三度")]
    [InlineData("你好😀世界", "你好世界")]
    [InlineData("猫&狗", "猫和狗")]
    public void Mandarin(string written, string said) => Assert.Equal(said, Normalizer.Normalize(written));

    [Theory]
    [InlineData("iPhone15", "iPhone fifteen")]
    [InlineData("15Pro", "fifteen Pro")]
    [InlineData("发布会iPhone", "发布会 iPhone")]
    [InlineData("发布会iPhone15来了", "发布会 iPhone fifteen 来了")]
    [InlineData("用Python写代码", "用 Python 写代码")]
    public void MixedScripts_GetSpaces(string written, string said) => Assert.Equal(said, Normalizer.Normalize(written));

    [Theory]
    [InlineData(0, "zero")]
    [InlineData(13, "thirteen")]
    [InlineData(40, "forty")]
    [InlineData(101, "one hundred one")]
    [InlineData(999_999, "nine hundred ninety-nine thousand nine hundred ninety-nine")]
    [InlineData(2_000_000_001, "two billion one")]
    public void EnglishCardinals(long value, string said) => Assert.Equal(said, EnglishNumbers.Cardinal(value));

    [Theory]
    [InlineData(0, "零")]
    [InlineData(10, "十")]
    [InlineData(12, "十二")]
    [InlineData(20, "二十")]
    [InlineData(105, "一百零五")]
    [InlineData(110, "一百一十")]
    [InlineData(1005, "一千零五")]
    [InlineData(10_000, "一万")]
    [InlineData(100_500, "十万零五百")]
    [InlineData(123_456_789, "一亿二千三百四十五万六千七百八十九")]
    public void ChineseCardinals(long value, string said) => Assert.Equal(said, ChineseNumbers.Cardinal(value));
}
