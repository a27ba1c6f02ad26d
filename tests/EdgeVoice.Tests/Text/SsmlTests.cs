using EdgeVoice.Text;
using Microsoft.Extensions.Options;

namespace EdgeVoice.Tests.Text;

public sealed class SsmlTests
{
    private static (List<TextChunk> Chunks, List<string> Warnings) Plan(string ssml)
    {
        var plan = new TextPlanner(Options.Create(new TextOptions { ShortPauseMs = 250, LongPauseMs = 700, FirstChunkChars = 0 })).Plan(ssml, TextFormat.Ssml);
        return (plan.ToList(), plan.Warnings);
    }

    [Fact]
    public void Break_TimeAndStrength_BecomePauses()
    {
        var (chunks, _) = Plan("""<speak>One <break time="500ms"/> two <break time="1.5s"/> three <break strength="strong"/> four</speak>""");

        Assert.Equal(["One", "two", "three", "four"], chunks.Select(c => c.Text));
        Assert.Equal([500, 1500, 700, 0], chunks.Select(c => c.PauseAfterMs));
    }

    [Fact]
    public void Paragraph_EndsWithALongPause_Sentences_AreCutApart()
    {
        var (chunks, _) = Plan("<speak><p><s>First one</s><s>second one</s></p><p>Next.</p></speak>");

        Assert.Equal(["First one", "second one", "Next."], chunks.Select(c => c.Text));
        Assert.Equal(700, chunks[1].PauseAfterMs);
    }

    [Theory]
    [InlineData("x-slow", 0.5)]
    [InlineData("slow", 0.75)]
    [InlineData("fast", 1.25)]
    [InlineData("150%", 1.5)]
    [InlineData("+20%", 1.2)]
    [InlineData("-10%", 0.9)]
    [InlineData("1.3", 1.3)]
    public void Prosody_Rate_IsTheSpeedInside_AndOnlyInside(string rate, double speed)
    {
        var (chunks, _) = Plan($"""<speak><prosody rate="{rate}">Inside.</prosody> Outside.</speak>""");

        Assert.Equal([speed, 1.0], chunks.Select(c => c.Speed));
    }

    [Theory]
    [InlineData("characters", "ABC", "A B C")]
    [InlineData("spell-out", "EdgeVoice", "E d g e V o i c e")]
    [InlineData("cardinal", "1234", "one thousand two hundred thirty-four")]
    [InlineData("ordinal", "3", "third")]
    [InlineData("digits", "2024", "two zero two four")]
    [InlineData("telephone", "555-0199", "five five five zero one nine nine")]
    [InlineData("date", "2024-05-01", "May first, twenty twenty-four")]
    [InlineData("time", "7:05 pm", "seven oh five p m")]
    public void SayAs(string interpretAs, string content, string said)
    {
        var (chunks, _) = Plan($"""<speak><say-as interpret-as="{interpretAs}">{content}</say-as></speak>""");

        Assert.Equal(said, Assert.Single(chunks).Text);
    }

    [Fact]
    public void SayAs_DateWithFormat_AndChineseCardinal()
    {
        var (chunks, _) = Plan("""<speak><say-as interpret-as="date" format="mdy">05/01/2024</say-as> <lang xml:lang="zh-CN">共<say-as interpret-as="cardinal">105</say-as>人</lang></speak>""");

        Assert.Equal(["May first, twenty twenty-four", "共 一百零五 人"], chunks.Select(c => c.Text));
        Assert.Equal("zh-CN", chunks[1].Language);
    }

    [Fact]
    public void Sub_SaysTheAlias()
    {
        var (chunks, _) = Plan("""<speak>Open <sub alias="World Wide Web Consortium">W3C</sub> pages.</speak>""");

        Assert.Equal("Open World Wide Web Consortium pages.", Assert.Single(chunks).Text);
    }

    [Fact]
    public void UnsupportedElement_IsSpokenAsText_WithAWarning()
    {
        var (chunks, warnings) = Plan("""<speak>Say it <emphasis level="strong">loud</emphasis>.</speak>""");

        Assert.Equal("Say it loud.", Assert.Single(chunks).Text);
        Assert.Equal(["SSML element <emphasis> is not supported; its text was spoken as it is"], warnings);
    }

    [Theory]
    [InlineData("<speak>Hello", "line 1, column 13")]
    [InlineData("<speak>\n  <break time=\"soon\"/>\n</speak>", "line 2, column 4")]
    [InlineData("<speak><say-as interpret-as=\"cardinal\">many</say-as></speak>", "not a whole number")]
    [InlineData("<voice>Hi</voice>", "must start with <speak>")]
    [InlineData("<speak><prosody rate=\"warp\">x</prosody></speak>", "is not a rate")]
    [InlineData("plain text", "line 1, column 1")]
    public void Malformed_IsRefusedWithThePositionOfTheFault(string ssml, string expected)
    {
        Assert.False(Ssml.TryValidate(ssml, out var error));

        Assert.StartsWith("malformed SSML", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void DtdAndExternalEntities_AreRefused()
    {
        var xxe = """<?xml version="1.0"?><!DOCTYPE speak [<!ENTITY secret SYSTEM "file:///etc/passwd">]><speak>&secret;</speak>""";

        Assert.False(Ssml.TryValidate(xxe, out var error));

        Assert.Contains("DTD is prohibited", error, StringComparison.Ordinal);
    }
}
