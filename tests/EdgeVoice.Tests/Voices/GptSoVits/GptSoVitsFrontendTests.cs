using System.Text;
using EdgeVoice.Tests.Support;
using EdgeVoice.Voices.GptSoVits.Frontend;

namespace EdgeVoice.Tests.Voices.GptSoVits;

public sealed class GptSoVitsFrontendTests
{
    private static readonly Dictionary<string, long> Symbols = new(StringComparer.Ordinal) { ["UNK"] = 86, ["!"] = 0, [","] = 1, ["n"] = 500, ["i3"] = 501 };
    private static readonly GptSoVitsFrontend Frontend = new(TestVoices.Espeak, Symbols);

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var line in File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Voices", "GptSoVits", "frontend-cases.tsv")))
        {
            if (line.Length > 0 && !line.StartsWith('#'))
            {
                var fields = line.Split('\t');
                data.Add(fields[0], fields[1]);
            }
        }

        return data;
    }

    [Fact]
    public void TheCaseTable_HasAtLeast200Sentences()
    {
        Assert.True(Cases().Count >= 200, $"{Cases().Count} cases");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Text_GivesGptSoVitsPhones(string text, string expected)
    {
        Assert.Equal(expected, string.Join(' ', Frontend.Phones(text)));
    }

    [Theory]
    [InlineData("zhi4", "zh", "ir4")]
    [InlineData("shi2", "sh", "ir2")]
    [InlineData("ri4", "r", "ir4")]
    [InlineData("si1", "s", "i01")]
    [InlineData("zi5", "z", "i05")]
    [InlineData("ju1", "j", "v1")]
    [InlineData("xue2", "x", "ve2")]
    [InlineData("quan2", "q", "van2")]
    [InlineData("qun2", "q", "vn2")]
    [InlineData("lv4", "l", "v4")]
    [InlineData("nve4", "n", "ve4")]
    [InlineData("yuan2", "y", "van2")]
    [InlineData("ye4", "y", "E4")]
    [InlineData("yan4", "y", "En4")]
    [InlineData("yi1", "y", "i1")]
    [InlineData("yu2", "y", "v2")]
    [InlineData("you3", "y", "ou3")]
    [InlineData("wu3", "w", "u3")]
    [InlineData("wei4", "w", "ei4")]
    [InlineData("a1", "AA", "a1")]
    [InlineData("ang2", "AA", "ang2")]
    [InlineData("e4", "EE", "e4")]
    [InlineData("er2", "EE", "er2")]
    [InlineData("ou3", "OO", "ou3")]
    [InlineData("gui4", "g", "ui4")]
    [InlineData("diu1", "d", "iu1")]
    [InlineData("dun4", "d", "un4")]
    [InlineData("zhuang4", "zh", "uang4")]
    public void PinyinSyllables_BecomeAnInitialAndATonedFinal(string syllable, string initial, string final)
    {
        Assert.True(PinyinPhones.TryConvert(syllable, out var i, out var f));
        Assert.Equal((initial, final), (i, f));
    }

    [Theory]
    [InlineData("ba")]
    [InlineData("xyz1")]
    [InlineData("b1")]
    [InlineData("yx2")]
    public void NonSyllables_AreRefused(string syllable) => Assert.False(PinyinPhones.TryConvert(syllable, out _, out _));

    [Fact]
    public void WordToPhones_IsTwoACharacterAndOneAPunctuationMark_AfterRepeatsAreFolded()
    {
        var result = Frontend.Convert("你好，世界！！Hello，中国。");
        Assert.Equal(2, result.ChineseRuns.Count);
        var (text, start, word2ph) = result.ChineseRuns[0];
        Assert.Equal([2, 2, 1, 2, 2, 1], word2ph);
        Assert.Equal(0, start);
        Assert.Equal("n i2 h ao3 , sh ir4 j ie4 ! HH AH0 L OW1 , zh ong1 g uo2 .", string.Join(' ', result.Phones));
        Assert.StartsWith("你好", text, StringComparison.Ordinal);
        Assert.Equal(result.Phones.Count - 5, result.ChineseRuns[1].PhoneStart);
    }

    [Fact]
    public void Ids_ComeFromTheSymbolTable_AndUnknownPhonesAreUnk()
    {
        Assert.Equal([500L, 501, 1, 86], Frontend.Ids(["n", "i3", ",", "zz9"]));
    }

    [Fact]
    public void Dictionaries_LoadOnceAndSayWhatLoadingCost()
    {
        Frontend.Phones("你好 hello");
        var times = FrontendData.Shared.LoadTimes;
        Assert.Contains("zh-words", times.Keys);
        Assert.Contains("en-cmudict", times.Keys);
        Assert.True(FrontendData.Shared.Words.Total > 10_000_000); // jieba's dictionary, all of it
    }

    [Fact]
    public void Fuzz_AnyTextGivesPhonesAndNeverThrows()
    {
        var random = new Random(42);
        string[] pieces = ["你", "好", "行", "一", "不", "儿", "了", "长", "𠀀", "a", "Z", "'", "’s", "NASA", "。", "，", "！", "?", "…", "—", "-", " ", "\n", "😀", "\uD800", "\u200B", "1", "①", "é", "ß", "ㄅ", "あ", "가"];
        for (var i = 0; i < 10_000; i++)
        {
            var text = new StringBuilder();
            for (var n = random.Next(0, 30); n > 0; n--)
            {
                text.Append(pieces[random.Next(pieces.Length)]);
            }

            var phones = Frontend.Phones(text.ToString());
            Assert.All(phones, p => Assert.False(string.IsNullOrWhiteSpace(p), $"an empty phone for '{text}'"));
            Assert.Equal(phones.Count, Frontend.Ids(phones).Length);
        }
    }
}
