using EdgeVoice.Inference;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Tokenizers;

namespace EdgeVoice.Voices.GptSoVits.Frontend;

/// <summary>
/// The phone-level BERT features GPT-SoVITS conditions on for Chinese: each Chinese run is tokenised with
/// the bundle's BERT vocabulary (<c>vocab.txt</c>, Chinese RoBERTa: one token a character), run through
/// <c>bert.onnx</c> (the hidden layer the export chose), [CLS] and [SEP] dropped, and each character's row
/// repeated for each of its phones (word2ph). English phones, and everything when the bundle has no BERT,
/// get zeros. Laid out [width, phones].
/// </summary>
internal sealed class BertFeatures
{
    public const string Vocabulary = "vocab.txt";

    private readonly GptSoVitsBundle _bundle;
    private readonly BertTokenizer? _tokenizer;

    public BertFeatures(GptSoVitsBundle bundle)
    {
        _bundle = bundle;
        if (!bundle.HasBert)
        {
            return;
        }

        var vocabulary = Path.Combine(bundle.Folder, Vocabulary);
        if (!File.Exists(vocabulary))
        {
            throw new VoiceLoadException(bundle.Folder, $"the bundle has {GptSoVitsBundle.Bert} but no {Vocabulary} (the BERT tokenizer's vocabulary, from chinese-roberta-wwm-ext-large)");
        }

        CheckVocabulary(vocabulary);
        try
        {
            _tokenizer = BertTokenizer.Create(vocabulary, new BertOptions { LowerCaseBeforeTokenization = true, IndividuallyTokenizeCjk = true });
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException)
        {
            throw new VoiceLoadException(vocabulary, $"the BERT tokenizer cannot read this vocabulary ({e.Message})");
        }
    }

    /// <summary>
    /// A vocabulary holds each token once, one a line (its line number, from 0, is its id); a token
    /// seen twice would give two ids, which the tokenizer refuses with an exception that names neither
    /// the file nor the line.
    /// </summary>
    private static void CheckVocabulary(string vocabulary)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var line = 0;
        foreach (var token in File.ReadLines(vocabulary))
        {
            line++;
            if (token.Length == 0)
            {
                continue;
            }

            if (!seen.TryAdd(token, line))
            {
                throw new VoiceLoadException(vocabulary, $"line {line} repeats the token '{token}' of line {seen[token]}; each token must appear once");
            }
        }
    }

    /// <summary>Features [<paramref name="width"/>, phones] for what the frontend made of a text.</summary>
    public float[] For(FrontendResult result, int width)
    {
        var phones = result.Phones.Count;
        var features = new float[width * phones];
        if (_tokenizer is null)
        {
            return features;
        }

        var session = _bundle.Session(GptSoVitsBundle.Bert).Session;
        foreach (var (text, start, word2ph) in result.ChineseRuns)
        {
            var ids = _tokenizer.EncodeToIds(text).Select(i => (long)i).ToArray();
            if (ids.Length - 2 != word2ph.Count)
            {
                continue; // GPT-SoVITS needs one token a character; a run that tokenises otherwise keeps zeros
            }

            var hidden = Run(session, ids, out var hiddenWidth);
            if (hiddenWidth != width)
            {
                throw new SynthesisException($"bert.onnx gives {hiddenWidth} features a token; the GPT takes {width}");
            }

            var phone = start;
            for (var token = 0; token < word2ph.Count; token++)
            {
                var row = hidden.AsSpan((token + 1) * width, width); // +1: [CLS]
                for (var repeat = 0; repeat < word2ph[token]; repeat++, phone++)
                {
                    for (var w = 0; w < width; w++)
                    {
                        features[(w * phones) + phone] = row[w];
                    }
                }
            }
        }

        return features;
    }

    private static float[] Run(InferenceSession session, long[] ids, out int width)
    {
        using var options = new RunOptions();
        using var outputs = TypedTensor.RunDeclared(session, options, (name, metadata) => name switch
        {
            "input_ids" => TypedTensor.Longs(metadata, ids, [1, ids.Length], name),
            "attention_mask" => TypedTensor.Longs(metadata, [.. ids.Select(_ => 1L)], [1, ids.Length], name),
            "token_type_ids" => TypedTensor.Longs(metadata, new long[ids.Length], [1, ids.Length], name),
            _ => throw new SynthesisException($"bert.onnx has an input '{name}' that this engine does not know"),
        }, [session.OutputMetadata.Keys.First()]);
        width = (int)outputs[0].GetTensorTypeAndShape().Shape[^1];
        return TypedTensor.ReadFloats(outputs[0]);
    }
}
