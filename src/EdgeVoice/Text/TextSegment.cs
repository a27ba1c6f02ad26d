namespace EdgeVoice.Text;

/// <summary>
/// A stretch of the request's text that markers or SSML do not interrupt, with what is in force
/// for it. It points into <see cref="Source"/> rather than copying it.
/// </summary>
/// <param name="Source">The text the segment is part of (the request's text, or text SSML produced).</param>
/// <param name="Start">Where it starts in <paramref name="Source"/>.</param>
/// <param name="End">Where it ends (exclusive).</param>
/// <param name="Speed">Relative speed in force.</param>
/// <param name="PauseBeforeMs">Silence asked for before it (a marker or a break just before).</param>
/// <param name="Language">A language the request names for it (SSML <c>xml:lang</c>), else null.</param>
/// <param name="SourceOffset">Where <paramref name="Source"/> sits in the request's text (for chunk offsets).</param>
internal sealed record TextSegment(string Source, int Start, int End, double Speed, int PauseBeforeMs, string? Language = null, int SourceOffset = 0)
{
    /// <summary>Silence asked for after it with nothing left to say (a pause at the very end).</summary>
    public int PauseAfterMs { get; init; }
}
