namespace EdgeVoice.Text;

/// <summary>
/// The one speed range. A speed is relative: 1.0 is the voice's own pace. A request's <c>speed</c>
/// field and every inline change (<c>[speed_N]</c>, SSML <c>&lt;prosody rate&gt;</c>) each lie in
/// <see cref="Min"/>..<see cref="Max"/>. The two multiply when a chunk is spoken (a request at 2.0 with
/// a <c>[speed_2]</c> inside it speaks at 4.0), so what reaches a voice lies in
/// <see cref="SpokenMin"/>..<see cref="SpokenMax"/>, the square of the range: that is the second range,
/// not a different limit.
/// </summary>
internal static class SpeedRange
{
    /// <summary>The slowest a request or an inline marker may ask for.</summary>
    public const double Min = 0.5;

    /// <summary>The fastest a request or an inline marker may ask for.</summary>
    public const double Max = 2.0;

    /// <summary>The slowest a chunk is spoken: a request's speed times the inline speed, both at <see cref="Min"/>.</summary>
    public const double SpokenMin = Min * Min;

    /// <summary>The fastest a chunk is spoken: a request's speed times the inline speed, both at <see cref="Max"/>.</summary>
    public const double SpokenMax = Max * Max;

    /// <summary>True when a request's or a marker's speed is a finite number in <see cref="Min"/>..<see cref="Max"/>.</summary>
    public static bool Contains(double speed) => double.IsFinite(speed) && speed is >= Min and <= Max;

    /// <summary>A request's or a marker's speed brought into <see cref="Min"/>..<see cref="Max"/>.</summary>
    public static double Clamp(double speed) => Math.Clamp(speed, Min, Max);

    /// <summary>The speed a chunk is spoken at brought into <see cref="SpokenMin"/>..<see cref="SpokenMax"/>.</summary>
    public static double ClampSpoken(double speed) => Math.Clamp(speed, SpokenMin, SpokenMax);
}
