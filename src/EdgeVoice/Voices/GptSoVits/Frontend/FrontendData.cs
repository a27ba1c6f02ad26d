using System.Diagnostics;
using System.IO.Compression;
using System.Reflection;

namespace EdgeVoice.Voices.GptSoVits.Frontend;

/// <summary>
/// The frontend's dictionaries (Text/Data, embedded in the binary), each read the first time it is
/// needed and then shared: the CMU dictionary, Chinese character and word readings, and jieba's word
/// frequencies with parts of speech. <see cref="LoadTimes"/> says what loading each cost.
/// </summary>
internal sealed class FrontendData
{
    private static readonly Lazy<FrontendData> SharedData = new(() => new FrontendData());
    private readonly Lazy<Dictionary<string, string[]>> _cmu;
    private readonly Lazy<Dictionary<string, string[]>> _characters;
    private readonly Lazy<Dictionary<string, string[]>> _phrases;
    private readonly Lazy<JiebaWords> _words;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, TimeSpan> _loadTimes = new(StringComparer.Ordinal);

    private FrontendData()
    {
        _cmu = new(() => Load("en-cmudict", fields => (fields[0], fields[1].Split(' '))));
        _characters = new(() => Override(Load("zh-chars", fields => (fields[0], fields[1].Split(','))), single: true));
        _phrases = new(() => Override(Load("zh-phrases", fields => (fields[0], fields[1].Split(' '))), single: false));
        _words = new(() => Timed("zh-words", () => new JiebaWords(Lines("zh-words"))));
    }

    public static FrontendData Shared => SharedData.Value;

    /// <summary>Word (lower case) to ARPAbet phones with stress.</summary>
    public IReadOnlyDictionary<string, string[]> Cmu => _cmu.Value;

    /// <summary>Character to its readings (<c>zhong1</c>), most common first.</summary>
    public IReadOnlyDictionary<string, string[]> Characters => _characters.Value;

    /// <summary>Word to one reading per character: how a word resolves its polyphones.</summary>
    public IReadOnlyDictionary<string, string[]> Phrases => _phrases.Value;

    public JiebaWords Words => _words.Value;

    /// <summary>How long each dictionary took to load, by file.</summary>
    public IReadOnlyDictionary<string, TimeSpan> LoadTimes => _loadTimes;

    private Dictionary<string, string[]> Load(string name, Func<string[], (string Key, string[] Value)> parse) =>
        Timed(name, () =>
        {
            var result = new Dictionary<string, string[]>(StringComparer.Ordinal);
            // A dictionary's values come from a few dozen phones or syllables: one string each, not one per use
            // (the CMU dictionary's 134,000 words use about 900,000 of them).
            var pool = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var line in Lines(name))
            {
                var (key, value) = parse(line.Split('\t'));
                for (var i = 0; i < value.Length; i++)
                {
                    if (!pool.TryAdd(value[i], value[i]))
                    {
                        value[i] = pool[value[i]];
                    }
                }

                result.TryAdd(key, value);
            }

            return result;
        });

    /// <summary>Applies zh-overrides.tsv: single characters to <paramref name="single"/> tables (their reading first), words to the others.</summary>
    private static Dictionary<string, string[]> Override(Dictionary<string, string[]> table, bool single)
    {
        foreach (var line in Lines("zh-overrides.tsv", compressed: false).Where(l => !l.StartsWith('#')))
        {
            var fields = line.Split('\t');
            if ((fields[0].Length == 1) != single)
            {
                continue;
            }

            table[fields[0]] = single && table.TryGetValue(fields[0], out var readings)
                ? [fields[1], .. readings.Where(r => r != fields[1])]
                : fields[1].Split(' ');
        }

        return table;
    }

    private T Timed<T>(string name, Func<T> load)
    {
        var watch = Stopwatch.StartNew();
        var value = load();
        // Reading tens of megabytes of text left garbage several times the dictionary's size: give the
        // memory back now (once per dictionary, at warm-up) rather than keep it committed.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        _loadTimes[name] = watch.Elapsed;
        return value;
    }

    private static IEnumerable<string> Lines(string name, bool compressed = true)
    {
        var resource = compressed ? $"EdgeVoice.Data.{name}.tsv.gz" : $"EdgeVoice.Data.{name}";
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"the frontend dictionary {name} is not in this build");
        using var text = compressed ? new GZipStream(stream, CompressionMode.Decompress) : stream;
        using var reader = new StreamReader(text);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                yield return line;
            }
        }
    }
}

/// <summary>jieba's dictionary: word frequencies (with every prefix of every word, at 0, so a scan knows when to stop) and parts of speech.</summary>
internal sealed class JiebaWords
{
    private readonly Dictionary<string, (long Frequency, string Tag)> _words = new(StringComparer.Ordinal);

    public JiebaWords(IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            var fields = line.Split('\t');
            var word = fields[0];
            var frequency = long.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture);
            _words[word] = (frequency, string.Intern(fields[2]));
            Total += frequency;
            for (var i = 1; i < word.Length; i++)
            {
                _words.TryAdd(word[..i], (0, "x"));
            }
        }

        LogTotal = Math.Log(Total);
    }

    public long Total { get; }

    public double LogTotal { get; }

    /// <summary>Whether <paramref name="text"/> is a word or the start of one.</summary>
    public bool IsPrefix(string text) => _words.ContainsKey(text);

    public long Frequency(string word) => _words.TryGetValue(word, out var entry) ? entry.Frequency : 0;

    /// <summary>Part of speech (jieba's tags: n, v, a, ul, …); <c>x</c> for a word it does not know.</summary>
    public string Tag(string word) => _words.TryGetValue(word, out var entry) && entry.Frequency > 0 ? entry.Tag : "x";
}
