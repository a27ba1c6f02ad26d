using EdgeVoice.Text;

namespace EdgeVoice.Tests.Text;

public sealed class SpeedRangeTests
{
    [Theory]
    [InlineData(1.0, true)]
    [InlineData(0.5, true)]
    [InlineData(2.0, true)]
    [InlineData(0.49, false)]
    [InlineData(2.01, false)]
    [InlineData(double.NaN, false)]
    [InlineData(double.PositiveInfinity, false)]
    public void Contains(double speed, bool expected) => Assert.Equal(expected, SpeedRange.Contains(speed));

    [Theory]
    [InlineData(0.1, 0.5)]
    [InlineData(1.5, 1.5)]
    [InlineData(9.0, 2.0)]
    public void Clamp(double speed, double expected) => Assert.Equal(expected, SpeedRange.Clamp(speed));

    [Theory]
    [InlineData(0.1, 0.25)]
    [InlineData(3.0, 3.0)]
    [InlineData(9.0, 4.0)]
    public void ClampSpoken_IsTheRangeOfARequestSpeedTimesAnInlineSpeed(double speed, double expected)
    {
        Assert.Equal(expected, SpeedRange.ClampSpoken(speed));
        Assert.Equal(SpeedRange.Min * SpeedRange.Min, SpeedRange.SpokenMin);
        Assert.Equal(SpeedRange.Max * SpeedRange.Max, SpeedRange.SpokenMax);
    }
}
