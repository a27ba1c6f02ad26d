namespace EdgeVoice.Requests;

/// <summary>An accepted request to speak.</summary>
/// <param name="Id">The caller's id, or one EdgeVoice made up.</param>
/// <param name="Text">What to say.</param>
/// <param name="Voice">The voice asked for; null for the default.</param>
/// <param name="ReceivedAt">When it arrived, as a <see cref="TimeProvider"/> timestamp.</param>
internal sealed record SayRequest(string Id, string Text, string? Voice, long ReceivedAt)
{
    /// <summary>Relative speaking rate, 0.5 to 2.0; 1 is the voice's own.</summary>
    public double Speed { get; init; } = 1.0;

    /// <summary>Plain text with inline markers, or SSML.</summary>
    public EdgeVoice.Text.TextFormat Format { get; init; } = EdgeVoice.Text.TextFormat.Text;
}

/// <summary>Why a payload was refused: a contract error code and a sentence for people.</summary>
internal sealed record RequestError(string Code, string Message, string? Id = null);
