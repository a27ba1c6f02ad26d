using System.Text;
using BenchmarkDotNet.Attributes;
using EdgeVoice.Text;
using Microsoft.Extensions.Options;

namespace EdgeVoice.Benchmarks;

/// <summary>
/// The Text stage on a 1 MB mixed Chinese and English text with numbers, markers and symbols:
/// time to the first chunk, and the whole of it (normalise and segment), on one core.
/// </summary>
[MemoryDiagnoser]
public class TextBenchmarks
{
    private TextPlanner _planner = null!;
    private string _text = null!;

    /// <summary>Bytes of UTF-8 in the text, for MB/s.</summary>
    public static int Bytes { get; private set; }

    [GlobalSetup]
    public void Setup()
    {
        _planner = new TextPlanner(Options.Create(new TextOptions()));
        _text = MixedText(1_000_000);
        Bytes = Encoding.UTF8.GetByteCount(_text);
    }

    [Benchmark]
    public string FirstChunk()
    {
        using var chunks = _planner.Plan(_text).GetEnumerator();
        chunks.MoveNext();
        return chunks.Current.Text;
    }

    [Benchmark]
    public int WholeText()
    {
        var count = 0;
        foreach (var chunk in _planner.Plan(_text))
        {
            count += chunk.Text.Length;
        }

        return count;
    }

    /// <summary>About <paramref name="bytes"/> bytes of UTF-8: news-like Chinese with English names, numbers, dates, money, markers and emoji.</summary>
    public static string MixedText(int bytes)
    {
        string[] paragraphs =
        [
            "2024年5月1日，苹果公司在发布会上推出了iPhone15 Pro，起售价为¥7999，比去年上涨了3.5%。[uv_break]",
            "The new model weighs 187 g and has a 6.1-inch display; shipments start on 2024-05-10 at 9:00 am. ",
            "第3季度的营收达到了1,234,567,890元，同比增长12.5%，其中海外市场贡献了45%。",
            "Dr. Smith said the battery lasts 29 hours, and the 256GB version costs $999.99 in the U.S. 😀 ",
            "会议定于12:30开始，请拨打13800138000联系张经理。[speed_1.2]欢迎大家参加！",
            "Call +1 555-123-4567 for support, or write to support@example.com & we will answer within 24 h. ",
            "气温预计在25°C左右，风速约为15 km/h，适合户外活动。[lbreak]",
        ];
        var builder = new StringBuilder();
        var total = 0;
        for (var i = 0; ; i++)
        {
            var paragraph = paragraphs[i % paragraphs.Length];
            var size = Encoding.UTF8.GetByteCount(paragraph);
            if (total + size > bytes)
            {
                break;
            }

            builder.Append(paragraph);
            total += size;
        }

        var text = builder.ToString();
        return text;
    }
}
