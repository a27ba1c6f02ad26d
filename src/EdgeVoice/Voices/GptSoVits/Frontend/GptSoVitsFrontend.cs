using System.Text;
using EdgeVoice.Voices.Espeak;

namespace EdgeVoice.Voices.GptSoVits.Frontend;

/// <summary>What the frontend made of a text: phones, how many phones each Chinese character made (for BERT), the text those characters are.</summary>
internal sealed record FrontendResult(List<string> Phones, List<(string Text, int PhoneStart, List<int> WordToPhones)> ChineseRuns);

/// <summary>
/// The GPT-SoVITS text frontend: text is split into language runs (Chinese characters; Latin words),
/// each run goes through its own frontend (<see cref="ChinesePhones"/>, <see cref="EnglishPhones"/>),
/// and the phones are joined in order, punctuation normalised to GPT-SoVITS's , . ! ? … - as it does.
/// Ids come from the bundle's symbol table; a phone it lacks becomes UNK.
/// </summary>
internal sealed class GptSoVitsFrontend(EspeakLibrary espeak, IReadOnlyDictionary<string, long> symbols, FrontendData? data = null)
{
    /// <summary>Recorded in speaker caches, so a cache made by another frontend is rebuilt.</summary>
    public const string Version = "zh-en-1";

    private readonly FrontendData _data = data ?? FrontendData.Shared;
    private ChinesePhones? _chinese;
    private EnglishPhones? _english;

    public static bool IsPunctuation(string phone) => phone is "," or "." or "!" or "?" or "…" or "-";

    /// <summary>Whether the phones say anything (not only punctuation).</summary>
    public static bool Speakable(IReadOnlyList<string> phones) => phones.Any(p => !IsPunctuation(p));

    public List<string> Phones(string text) => Convert(text).Phones;

    public FrontendResult Convert(string text)
    {
        var phones = new List<string>();
        var chineseRuns = new List<(string, int, List<int>)>();
        var english = false;
        foreach (var (kind, run) in Runs(Normalize(text)))
        {
            switch (kind)
            {
                case RunKind.Chinese:
                    var (zh, word2ph) = (_chinese ??= new ChinesePhones(_data)).Convert(run);
                    var start = phones.Count;
                    var kept = new List<int>(word2ph.Count);
                    var at = 0;
                    foreach (var count in word2ph)
                    {
                        // Consecutive punctuation keeps its first mark (……, ——, ！？), as GPT-SoVITS does.
                        if (!(count == 1 && IsPunctuation(zh[at]) && phones.Count > 0 && IsPunctuation(phones[^1])))
                        {
                            phones.AddRange(zh.GetRange(at, count));
                            kept.Add(count);
                        }

                        at += count;
                    }

                    chineseRuns.Add((run, start, kept));
                    break;
                case RunKind.English:
                    var before = phones.Count;
                    foreach (var word in run.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    {
                        phones.AddRange((_english ??= new EnglishPhones(_data, espeak)).Word(word));
                    }

                    english |= phones.Count > before;
                    break;
                default:
                    if (phones.Count == 0 || !IsPunctuation(phones[^1]))
                    {
                        phones.Add(run);
                    }

                    break;
            }
        }

        if (english && chineseRuns.Count == 0 && phones.Count < 4)
        {
            phones.Insert(0, ","); // as GPT-SoVITS does for short English text
        }

        return new FrontendResult(phones, chineseRuns);
    }

    /// <summary>Ids from the bundle's symbol table; a phone it lacks becomes UNK.</summary>
    public long[] Ids(IReadOnlyList<string> phones)
    {
        var unknown = symbols["UNK"];
        return [.. phones.Select(p => symbols.TryGetValue(p, out var id) ? id : unknown)];
    }

    private enum RunKind
    {
        Chinese,
        English,
        Punctuation,
    }

    /// <summary>GPT-SoVITS's punctuation map: full-width and other marks to , . ! ? … -; quotes, brackets and the like go.</summary>
    private static string Normalize(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var rune in text.Replace("...", "…", StringComparison.Ordinal).EnumerateRunes())
        {
            builder.Append(rune.Value switch
            {
                '：' or '；' or '，' or '、' or '·' or '/' or ':' or ';' or ',' => ",",
                '。' or '.' or '$' or '\n' => ".",
                '！' or '!' => "!",
                '？' or '?' => "?",
                '…' or '~' or '～' => "…",
                '—' or '–' or '-' => "-",
                '\'' or '’' => "'",
                _ when Rune.IsWhiteSpace(rune) => " ",
                _ when IsHan(rune) || (rune.IsAscii && Rune.IsLetterOrDigit(rune)) => rune.ToString(),
                _ => " ",
            });
        }

        return builder.ToString();
    }

    private static bool IsHan(Rune rune) => EdgeVoice.Text.Script.IsHan(rune);

    /// <summary>Chinese runs (characters with the punctuation between them), English runs (words, spaces, apostrophes), and punctuation.</summary>
    private static IEnumerable<(RunKind Kind, string Text)> Runs(string text)
    {
        var builder = new StringBuilder();
        RunKind? current = null;
        foreach (var rune in text.EnumerateRunes())
        {
            var s = rune.ToString();
            RunKind kind;
            if (IsHan(rune))
            {
                kind = RunKind.Chinese;
            }
            else if (IsPunctuation(s))
            {
                // Punctuation inside Chinese stays with it (it makes word2ph entries); elsewhere it stands alone.
                kind = current == RunKind.Chinese ? RunKind.Chinese : RunKind.Punctuation;
            }
            else if (rune.Value == ' ' && current != RunKind.English)
            {
                continue;
            }
            else
            {
                kind = RunKind.English;
            }

            if (current is { } open && (open != kind || kind == RunKind.Punctuation))
            {
                foreach (var run in Close(open, builder.ToString()))
                {
                    yield return run;
                }

                builder.Clear();
            }

            current = kind;
            builder.Append(s);
        }

        if (current is { } last)
        {
            foreach (var run in Close(last, builder.ToString()))
            {
                yield return run;
            }
        }
    }

    /// <summary>A Chinese run's trailing punctuation belongs to it; an English run is trimmed.</summary>
    private static IEnumerable<(RunKind, string)> Close(RunKind kind, string text)
    {
        if (kind == RunKind.English)
        {
            if (text.Trim() is { Length: > 0 } words)
            {
                yield return (kind, words);
            }
        }
        else
        {
            yield return (kind, text);
        }
    }
}
