using System.Text;

namespace EdgeVoice.Text;

/// <summary>The writing systems the text pipeline tells apart.</summary>
internal enum ScriptKind : byte
{
    /// <summary>Digits, punctuation, symbols, white space and scripts not listed here.</summary>
    Other,

    /// <summary>Basic and extended Latin letters (A–Z, a–z, U+00C0–U+024F).</summary>
    Latin,

    /// <summary>Chinese characters: the unified ideographs, extension A, the compatibility block and the supplementary planes.</summary>
    Han,

    /// <summary>Hiragana and katakana.</summary>
    Kana,

    /// <summary>Hangul syllables and jamo.</summary>
    Hangul,
}

/// <summary>
/// The one place that decides which script a character belongs to ("is this Chinese"): normalisation,
/// segmentation, language runs, SSML and the voices' front-ends all ask here.
/// </summary>
internal static class Script
{
    /// <summary>The script of a UTF-16 character; a surrogate half is <see cref="ScriptKind.Other"/> (see the <see cref="Rune"/> overload).</summary>
    public static ScriptKind Classify(char c) => c switch
    {
        < 'A' => ScriptKind.Other,
        <= 'Z' => ScriptKind.Latin,
        < 'a' => ScriptKind.Other,
        <= 'z' => ScriptKind.Latin,
        < '\u00C0' => ScriptKind.Other,
        <= '\u024F' => ScriptKind.Latin,
        < '\u1100' => ScriptKind.Other,
        <= '\u11FF' => ScriptKind.Hangul,
        < '\u3040' => ScriptKind.Other,
        <= '\u30FF' => ScriptKind.Kana,
        < '\u3400' => ScriptKind.Other,
        <= '\u4DBF' => ScriptKind.Han,
        < '\u4E00' => ScriptKind.Other,
        <= '\u9FFF' => ScriptKind.Han,
        < '\uAC00' => ScriptKind.Other,
        <= '\uD7AF' => ScriptKind.Hangul,
        < '\uF900' => ScriptKind.Other,
        <= '\uFAFF' => ScriptKind.Han,
        _ => ScriptKind.Other,
    };

    /// <summary>The script of a code point, including Han characters above U+FFFF (extensions B to F and the compatibility supplement).</summary>
    public static ScriptKind Classify(Rune rune) =>
        rune.IsBmp ? Classify((char)rune.Value) : rune.Value is >= 0x20000 and <= 0x2FA1F ? ScriptKind.Han : ScriptKind.Other;

    /// <summary>True for a Chinese character.</summary>
    public static bool IsHan(char c) => Classify(c) == ScriptKind.Han;

    /// <summary>True for a Chinese character, above U+FFFF included.</summary>
    public static bool IsHan(Rune rune) => Classify(rune) == ScriptKind.Han;

    /// <summary>True for Chinese, Japanese kana or Korean Hangul: scripts written without spaces between words' letters and Latin text.</summary>
    public static bool IsCjk(char c) => Classify(c) is ScriptKind.Han or ScriptKind.Kana or ScriptKind.Hangul;
}
