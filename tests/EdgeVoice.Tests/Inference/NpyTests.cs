using EdgeVoice.Inference;

namespace EdgeVoice.Tests.Inference;

public sealed class NpyTests
{
    private static string Sample(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "gpt-sovits", "npy", name);

    [Theory]
    [InlineData("f4_2x3x4.npy")]
    [InlineData("i8_1x25.npy")]
    [InlineData("f2_5.npy")]
    [InlineData("i8_scalar.npy")]
    [InlineData("f4_1x1025x0.npy")]
    public void WhatNumpyWrote_IsReadAndWrittenBackByteForByte(string name)
    {
        var original = File.ReadAllBytes(Sample(name));
        var array = Npy.Read(Sample(name));

        using var copy = new MemoryStream();
        switch (array.Descr)
        {
            case "<f4": Npy.Write<float>(copy, array.As<float>(), array.Shape); break;
            case "<i8": Npy.Write<long>(copy, array.As<long>(), array.Shape); break;
            case "<f2": Npy.Write<Half>(copy, array.As<Half>(), array.Shape); break;
            default: Assert.Fail(array.Descr); break;
        }

        Assert.Equal(original, copy.ToArray());
    }

    [Fact]
    public void Values_AndShape_AreNumpys()
    {
        var tokens = Npy.Read(Sample("i8_1x25.npy"));
        Assert.Equal([1L, 25], tokens.Shape);
        Assert.Equal(Enumerable.Range(0, 25).Select(i => (long)(i * 41 % 1024)), tokens.As<long>());

        var halves = Npy.Read(Sample("f2_5.npy")).As<Half>();
        Assert.Equal([0.5f, -1f, 2f, 65504f], halves.Where((_, i) => i != 3).Select(h => (float)h));
        Assert.Throws<InvalidDataException>(() => Npy.Read(Sample("f2_5.npy")).As<float>());
    }

    [Fact]
    public void DamagedFiles_AreRejected()
    {
        var path = Path.Combine(Path.GetTempPath(), $"edgevoice-npy-{Guid.NewGuid():N}.npy");
        try
        {
            var bytes = File.ReadAllBytes(Sample("f4_2x3x4.npy"));
            File.WriteAllBytes(path, bytes[..^4]);
            Assert.Contains("the header says", Assert.Throws<InvalidDataException>(() => Npy.Read(path)).Message, StringComparison.Ordinal);
            File.WriteAllBytes(path, [.. "not numpy"u8]);
            Assert.Throws<InvalidDataException>(() => Npy.Read(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
