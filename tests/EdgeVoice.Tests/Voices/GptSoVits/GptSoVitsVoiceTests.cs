using EdgeVoice.Inference;
using EdgeVoice.Tests.Support;
using EdgeVoice.Text;
using EdgeVoice.Voices;
using EdgeVoice.Voices.GptSoVits;
using EdgeVoice.Voices.GptSoVits.Frontend;

namespace EdgeVoice.Tests.Voices.GptSoVits;

public sealed class GptSoVitsVoiceTests : IDisposable
{
    private readonly GptSoVitsFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    private static TextChunk Chunk(string text) => new(0, text, 0, text.Length, ChunkBoundary.End);

    private static GptSoVitsOptions Greedy(string buckets = "512,1024,2048") => new() { TopK = 1, CacheBuckets = buckets, Seed = 1 };

    [Fact]
    public void TheLoop_StopsAtEndOfSpeech()
    {
        using var voice = GptSoVitsFixture.Load(_fixture.Enroll(), Greedy());
        var audio = voice.Synthesize(Chunk("Good morning, everyone."), CancellationToken.None);

        var report = voice.LastChunk!.Decode;
        Assert.True(report.EndOfSpeech);
        Assert.False(report.LimitReached);
        // The test GPT says end-of-speech once idx + 1 reaches 2 * x_len (reference and chunk phones).
        var phones = voice.Decoder is not null ? Phones(voice, "Good morning, everyone.") : 0;
        Assert.Equal(2 * phones, voice.LastTokens.Count);
        Assert.Equal((voice.LastTokens.Count * 1280) + (int)(0.3 * 32000), audio.Length);
    }

    [Fact]
    public void TheLoop_StopsAtTheStepLimit_WhenEndOfSpeechNeverComes()
    {
        using var endless = new GptSoVitsFixture("min-endless");
        var warnings = new List<string>();
        using var voice = GptSoVitsFixture.Load(endless.Enroll(), Greedy(), warnings);
        voice.Synthesize(Chunk("Good morning."), CancellationToken.None);
        Assert.Contains(warnings, w => w.Contains("step limit", StringComparison.Ordinal) && w.Contains("Good morning.", StringComparison.Ordinal));

        var report = voice.LastChunk!.Decode;
        Assert.True(report.LimitReached);
        Assert.False(report.EndOfSpeech);
        Assert.Equal(voice.Decoder.StepLimit(TargetPhones(voice, "Good morning.")), voice.LastTokens.Count);
        Assert.Equal(50 + (10 * TargetPhones(voice, "Good morning.")), report.Limit);
    }

    [Fact]
    public void GrowingTheCache_KeepsItsContent()
    {
        var spec = _fixture.Enroll();
        const string text = "This sentence is long enough to need more cache than the first bucket holds.";
        using var large = GptSoVitsFixture.Load(spec, Greedy("4096"));
        large.Synthesize(Chunk(text), CancellationToken.None);
        Assert.Equal(0, large.LastChunk!.Decode.Grows);

        // Every token of the test GPT depends on every cache row, so losing a row on growth changes the sequence.
        var rows = (int)(Phones(large, text) + Npy.Read(Path.Combine(spec.Folder, "features", "prompt_semantic.npy")).Count);
        var first = rows + (3 * TargetPhones(large, text)) + 17; // where a chunk starts: room for about 3 tokens a phone
        Assert.True(rows + large.LastTokens.Count > first + 10, "the test needs a chunk that outgrows its first bucket");
        var buckets = string.Join(",", Enumerable.Range(0, 20).Select(i => first + (10 * i)).Append(4096));
        using var growing = GptSoVitsFixture.Load(spec, Greedy(buckets));
        growing.Synthesize(Chunk(text), CancellationToken.None);

        Assert.True(growing.LastChunk!.Decode.Grows >= 2, $"grew {growing.LastChunk.Decode.Grows} times");
        Assert.Equal(large.LastTokens, growing.LastTokens);
    }

    [Fact]
    public void AShortChunk_StartsInTheSmallestBucketThatFits()
    {
        using var voice = GptSoVitsFixture.Load(_fixture.Enroll(), Greedy("256,1024,2048"));
        voice.Synthesize(Chunk("Hi."), CancellationToken.None);
        Assert.Equal(256, voice.LastChunk!.Decode.Bucket);
        Assert.Equal(256, ((SemanticDecoder)voice.Decoder).CacheRows);
    }

    [Fact]
    public void KvCache_Grow_KeepsEveryRowOfEveryLayer()
    {
        using var cache = new KvCache<float>(layers: 2, width: 3);
        cache.Reset(4);
        var keys = Enumerable.Range(0, 2 * 4 * 3).Select(i => (float)i).ToArray();
        using var k = Microsoft.ML.OnnxRuntime.OrtValue.CreateTensorValueFromMemory(keys, [2, 1, 4, 3]);
        using var v = Microsoft.ML.OnnxRuntime.OrtValue.CreateTensorValueFromMemory(keys.ToArray(), [2, 1, 4, 3]);
        cache.Fill(k, v, filled: 3);
        cache.Grow(10);

        Assert.Equal(10, cache.Rows);
        Assert.Equal([12f, 13f, 14f], cache.KeyRow(1, 0));
        Assert.Equal([18f, 19f, 20f], cache.KeyRow(1, 2));
        Assert.Equal([0f, 0f, 0f], cache.KeyRow(1, 3)); // row 3 was not filled
        Assert.Equal([3f, 4f, 5f], cache.KeyRow(0, 1));
    }

    [Fact]
    public void ASeed_RepeatsARun_AndAnotherSeedDoesNot()
    {
        var spec = _fixture.Enroll();
        IReadOnlyList<long> Run(int seed)
        {
            using var voice = GptSoVitsFixture.Load(spec, new GptSoVitsOptions { Seed = seed, TopK = 15, Temperature = 1.0 });
            voice.Synthesize(Chunk("Good morning, everyone."), CancellationToken.None);
            return voice.LastTokens;
        }

        Assert.Equal(Run(7), Run(7));
        Assert.NotEqual(Run(7), Run(8));
    }

    [Fact]
    public void Streaming_GivesPiecesThatAddUpToTheWholeChunk()
    {
        var options = Greedy();
        options.FirstPieceTokens = 0; // every piece alike (FirstPieceTests covers the short first piece)
        using var voice = GptSoVitsFixture.Load(_fixture.Enroll(), options);
        var pieces = voice.SynthesizePieces(Chunk("Good morning, everyone. How are you today?"), CancellationToken.None).ToList();

        Assert.True(pieces.Count >= 3, $"{pieces.Count} pieces");
        // The first piece is the first 24 tokens less the held-back cross-fade.
        Assert.Equal((24 * 1280) - 256, pieces[0].Length);
        Assert.Equal((voice.LastTokens.Count * 1280) + (int)(0.3 * 32000), pieces.Sum(p => p.Length));
    }

    [Fact]
    public void Streaming_TheFirstPieceComesAfterFirstPieceTokens()
    {
        using var voice = GptSoVitsFixture.Load(_fixture.Enroll(), Greedy());
        var pieces = voice.SynthesizePieces(Chunk("Good morning, everyone. How are you today?"), CancellationToken.None).ToList();
        var first = new GptSoVitsOptions().FirstPieceTokens;
        Assert.Equal((first * 1280) - 256, pieces[0].Length);
        Assert.Equal((24 * 1280), pieces[1].Length); // the second piece: its own 24 tokens, less its tail, plus the first's tail
        Assert.Equal((voice.LastTokens.Count * 1280) + (int)(0.3 * 32000), pieces.Sum(p => p.Length));
    }

    [Fact]
    public void TheBareLoop_ReplaysTheLastChunk_WithTheSameStepsAndPieces()
    {
        using var voice = GptSoVitsFixture.Load(_fixture.Enroll(), Greedy());
        voice.Synthesize(Chunk("Good morning, everyone. How are you today?"), CancellationToken.None);
        var bare = new GptSoVitsBareLoop(voice).Replay()!.Value;
        Assert.Equal(voice.LastChunk!.Decode.Steps, bare.Steps);
        Assert.True(bare.StepsMs > 0 && bare.EncoderMs > 0 && bare.SovitsMs > 0);
        var pieces = voice.LastInputs!.Pieces;
        Assert.Equal(0, pieces[0].Start);
        Assert.All(pieces.Skip(1).Zip(pieces), p => Assert.Equal(p.Second.End, p.First.Start));
        Assert.Equal(voice.LastTokens.Count, pieces[^1].End);
    }

    [Fact]
    public void PieceAssembler_JoinsPiecesWithoutLosingOrRepeatingASample()
    {
        // A decoder whose output for a token does not depend on its neighbours: the joined stream must equal one decode of everything.
        static float[] Decode(int from, int to) => [.. Enumerable.Range(from * 10, (to - from) * 10).Select(i => (float)Math.Sin(i * 0.01))];
        var whole = Decode(0, 100);
        var assembler = new PieceAssembler(size: 24, lookahead: 16, history: 32, fade: 7);
        var joined = new List<float>();
        for (var tokens = 1; tokens <= 100; tokens++)
        {
            if (assembler.Ready(tokens) is { } piece)
            {
                Assert.Equal(piece.Start + 24 + 16, tokens);
                joined.AddRange(assembler.Take(piece, Decode(piece.From, piece.To)));
            }
        }

        var last = assembler.Final(100)!.Value;
        joined.AddRange(assembler.Take(last, Decode(last.From, last.To)));
        Assert.Equal(whole.Length, joined.Count);
        Assert.All(Enumerable.Range(0, whole.Length), i => Assert.Equal(whole[i], joined[i], 5));
    }

    [Fact]
    public void ACachedVoice_RunsNeitherSslNorTheSpectrogramAgain()
    {
        var spec = _fixture.Enroll();
        var warnings = new List<string>();
        using var voice = GptSoVitsFixture.Load(spec, warnings: warnings);

        Assert.Equal("cache", voice.FeaturesFrom);
        Assert.DoesNotContain(GptSoVitsBundle.Ssl, voice.Bundle.Loaded);
        Assert.DoesNotContain(GptSoVitsBundle.VqEncoder, voice.Bundle.Loaded);
        Assert.Empty(warnings);
    }

    [Fact]
    public void TheCache_IsNumpyArraysOfTheContractsShapes()
    {
        var spec = _fixture.Enroll();
        var folder = Path.Combine(spec.Folder, "features");
        var prompt = Npy.Read(Path.Combine(folder, "prompt_semantic.npy"));
        var phones = Npy.Read(Path.Combine(folder, "ref_phone_ids.npy"));
        var bert = Npy.Read(Path.Combine(folder, "ref_bert.npy"));
        var spectrogram = Npy.Read(Path.Combine(folder, "refer_spec.npy"));

        Assert.Equal(("<i8", 2, 1L), (prompt.Descr, prompt.Shape.Length, prompt.Shape[0]));
        Assert.InRange(prompt.Shape[1], 3 * 25, 10 * 25); // 25 tokens a second of 3 to 10 s of speech
        Assert.Equal("<i8", phones.Descr);
        Assert.Equal([1024L, phones.Shape[0]], bert.Shape);
        Assert.Equal(("<f4", 1L, 1025L), (spectrogram.Descr, spectrogram.Shape[0], spectrogram.Shape[1]));
    }

    [Theory]
    [InlineData("damaged")]
    [InlineData("bundle")]
    [InlineData("text")]
    [InlineData("missing")]
    public void AStaleOrDamagedCache_IsRebuiltWithAWarning(string how)
    {
        var spec = _fixture.Enroll();
        var features = Path.Combine(spec.Folder, "features");
        switch (how)
        {
            case "damaged":
                var bytes = File.ReadAllBytes(Path.Combine(features, "refer_spec.npy"));
                bytes[^1] ^= 0x55;
                File.WriteAllBytes(Path.Combine(features, "refer_spec.npy"), bytes);
                break;
            case "bundle":
                File.AppendAllText(Path.Combine(_fixture.Bundle, "config.json"), "\n");
                break;
            case "text":
                spec = spec with { ReferenceText = "Another text entirely." };
                break;
            default:
                File.Delete(Path.Combine(features, "prompt_semantic.npy"));
                break;
        }

        var warnings = new List<string>();
        using (var voice = GptSoVitsFixture.Load(spec, warnings: warnings))
        {
            Assert.NotEqual("cache", voice.FeaturesFrom);
            Assert.Contains(GptSoVitsBundle.Ssl, voice.Bundle.Loaded);
        }

        var warning = Assert.Single(warnings);
        Assert.Contains(how switch { "damaged" => "refer_spec.npy is damaged", "bundle" => "another bundle", "text" => "another reference text", _ => "prompt_semantic.npy is missing" }, warning, StringComparison.Ordinal);

        using var again = GptSoVitsFixture.Load(spec);
        Assert.Equal("cache", again.FeaturesFrom);
    }

    [Theory]
    [InlineData(GptSoVitsBundle.GptStep)]
    [InlineData(GptSoVitsBundle.Sovits)]
    [InlineData(GptSoVitsBundle.Config)]
    public void ABundleMissingAFile_IsAnErrorNamingIt(string file)
    {
        File.Delete(Path.Combine(_fixture.Bundle, file));
        var error = Assert.Throws<VoiceLoadException>(() => GptSoVitsBundle.Open(_fixture.Bundle, TestVoices.Sessions()));
        Assert.Contains($"has no {file}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheOfficialExportersLayout_IsRecognised_AndSpeaks()
    {
        Assert.Equal(GptSoVitsLayout.Official, GptSoVitsBundle.Detect(GptSoVitsFixture.Source("official")));
        Assert.Equal(GptSoVitsLayout.Minimal, GptSoVitsBundle.Detect(GptSoVitsFixture.Source("min")));

        using var official = new GptSoVitsFixture("official");
        var spec = official.Enroll();
        var features = Path.Combine(spec.Folder, "features");
        Assert.True(File.Exists(Path.Combine(features, "ssl_content.npy")));
        Assert.True(File.Exists(Path.Combine(features, "ref_audio.npy")));

        using var voice = GptSoVitsFixture.Load(spec);
        Assert.Equal("cache", voice.FeaturesFrom);
        Assert.IsType<OfficialDecoder>(voice.Decoder);
        var audio = voice.Synthesize(Chunk("Good morning, everyone."), CancellationToken.None);

        // The test graphs say end-of-speech once prompt and tokens reach 3 * phones; the VQ inside keeps every second ssl frame.
        var frames = Npy.Read(Path.Combine(features, "ssl_content.npy")).Shape[2];
        var prompt = (int)((frames + 1) / 2);
        Assert.True(voice.LastChunk!.Decode.EndOfSpeech);
        Assert.Equal((3 * Phones(voice, "Good morning, everyone.")) - prompt, voice.LastTokens.Count);
        Assert.Equal((voice.LastTokens.Count * 1280) + (int)(0.3 * 32000), audio.Length);
    }

    [Theory]
    [InlineData("demo/demo_t2s_sdec.onnx", "has no demo/demo_t2s_sdec.onnx")]
    [InlineData("ssl.onnx", "makes no ssl graph and no symbol table")]
    public void AnOfficialBundleMissingAFile_IsAnErrorNamingIt(string file, string message)
    {
        using var official = new GptSoVitsFixture("official");
        File.Delete(Path.Combine(official.Bundle, file));
        var error = Assert.Throws<VoiceLoadException>(() => GptSoVitsBundle.Open(official.Bundle, TestVoices.Sessions()));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(30)]
    public void Enrollment_RejectsClipsOutsideThreeToTenSeconds_WithTheReason(int seconds)
    {
        var clip = seconds == 1
            ? _fixture.Clip("Hi there.", leadingSilence: 1)
            : _fixture.Clip(times: 7);
        var error = Assert.Throws<ReferenceClipException>(() => _fixture.Enroll(clip: clip));
        Assert.Contains("GPT-SoVITS needs 3 to 10 s", error.Message, StringComparison.Ordinal);
        Assert.Matches(seconds == 1 ? @"has [0-2]\.\d s of speech" : @"has (2\d|3\d)\.\d s of speech", error.Message);
        Assert.False(Directory.Exists(Path.Combine(_fixture.Voices, "demo")));
    }

    [Fact]
    public void Enrollment_TrimsSilence_AndNormalisesLoudness()
    {
        _fixture.Enroll();
        var manifest = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(_fixture.Voices, "demo", "features", "manifest.json")))!;
        var audio = manifest["reference_audio"]!;
        Assert.InRange((double)audio["speech_from_seconds"]!, 0.3, 0.5); // 0.5 s of quiet, less the 0.1 s margin
        Assert.InRange((double)audio["gain_db"]!, 0.5, 20); // the clip was made quiet
    }

    [Fact]
    public void TheRegistry_RefusesAnEnrolledVoiceWhoseBundleIsOutsideTheVoicesFolder_UnlessItsFolderIsListed()
    {
        _fixture.Enroll("outside");
        using var registry = TestVoices.Registry(_fixture.Voices);
        registry.LoadAll();

        var info = Assert.Single(registry.List(), v => v.Name == "outside");
        Assert.Contains("lies outside the voices folder", info.Error, StringComparison.Ordinal);
        Assert.Contains("Voices:BundleDirectories", info.Error, StringComparison.Ordinal);
        Assert.False(registry.TryResolve("outside", out _, out _));
    }

    [Fact]
    public void TheRegistry_LoadsAnEnrolledVoice()
    {
        _fixture.Enroll("cloned");
        using var registry = TestVoices.Registry(new EdgeVoice.Voices.VoicesOptions { Directory = _fixture.Voices, BundleDirectories = [_fixture.Bundle] });
        registry.LoadAll();

        var info = Assert.Single(registry.List(), v => v.Name == "cloned");
        Assert.Null(info.Error);
        Assert.Equal(("gpt-sovits", 32000), (info.Engine, info.SampleRate));
        Assert.True(registry.TryResolve("cloned", out var voice, out _));
        Assert.NotEmpty(voice.Synthesize(Chunk("Hello."), CancellationToken.None));
    }

    private static int TargetPhones(GptSoVitsVoice voice, string text) =>
        new GptSoVitsFrontend(TestVoices.Espeak, voice.Bundle.Symbols).Phones(text).Count;

    private static int Phones(GptSoVitsVoice voice, string text) =>
        TargetPhones(voice, text) + (int)Npy.Read(Path.Combine(Path.GetDirectoryName(voice.Bundle.Folder)!, "voices", voice.Name, "features", "ref_phone_ids.npy")).Count;
}
