using EdgeVoice.Inference;
using EdgeVoice.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EdgeVoice.Tests.Inference;

/// <summary>`edgevoice engines check|prune` against real model files, keys and folders (no GPU needed to reason about the cache).</summary>
public sealed class EngineCacheAuditTests : IDisposable
{
    private readonly string _voices = TestVoices.VoicesFolder("en_US-test-x_low", "de_DE-test-x_low");
    private readonly string _cache = Path.Combine(Path.GetTempPath(), $"edgevoice-engines-{Guid.NewGuid():N}");

    public void Dispose()
    {
        Directory.Delete(_voices, recursive: true);
        if (Directory.Exists(_cache))
        {
            Directory.Delete(_cache, recursive: true);
        }
    }

    private EngineCacheAudit Audit(bool fp16 = true) =>
        new(new SessionFactory(Options.Create(new InferenceOptions { TensorRt = { Fp16 = fp16 } }), NullLogger<SessionFactory>.Instance), _voices, _cache);

    [Fact]
    public void Check_ListsEveryModel_MissingUntilItsFolderHoldsAnEngine()
    {
        var entries = Audit().Check();
        Assert.Equal(["de_DE-test-x_low.onnx", "en_US-test-x_low.onnx"], entries.Select(e => Path.GetFileName(e.Model)));
        Assert.All(entries, e => Assert.False(e.Built));

        var english = entries[1];
        Directory.CreateDirectory(english.Folder);
        File.WriteAllBytes(Path.Combine(english.Folder, "TensorrtExecutionProvider_model.engine"), [1]);

        var again = Audit().Check();
        Assert.False(again[0].Built);
        Assert.True(again[1].Built);
        Assert.StartsWith("en_US-test-x_low-", Path.GetFileName(again[1].Folder), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_FolderDependsOnTheModelBytesAndTheEngineOptions()
    {
        var before = Audit().Check()[1].Folder;
        Assert.NotEqual(before, Audit(fp16: false).Check()[1].Folder);

        File.AppendAllText(Path.Combine(_voices, "en_US-test-x_low.onnx"), "\n");
        Assert.NotEqual(before, Audit().Check()[1].Folder);
    }

    [Fact]
    public void Prune_DeletesOnlyEngineFoldersNoInstalledModelUses()
    {
        var current = Audit().Check()[1].Folder;
        var afterOptionChange = Audit(fp16: false).Check()[1].Folder;
        var removedModel = Path.Combine(_cache, "old_voice-0123456789abcdef");
        foreach (var folder in new[] { current, afterOptionChange, removedModel })
        {
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "key.txt"), "model-sha256: …\n");
        }

        var timing = Directory.CreateDirectory(Path.Combine(_cache, "timing-0123456789abcdef")).FullName;
        var unrelated = Directory.CreateDirectory(Path.Combine(_cache, "notes")).FullName;

        Assert.Equal(new[] { afterOptionChange, removedModel }.Order(StringComparer.Ordinal), Audit().Stale());
        Assert.True(Directory.Exists(afterOptionChange), "Stale() only lists");

        var deleted = Audit().Prune();

        Assert.Equal(2, deleted.Count);
        Assert.False(Directory.Exists(afterOptionChange));
        Assert.False(Directory.Exists(removedModel));
        Assert.True(Directory.Exists(current));
        Assert.True(Directory.Exists(timing));
        Assert.True(Directory.Exists(unrelated));
    }

    [Fact]
    public void Models_IncludeTheGraphsOfEnrolledGptSoVitsBundles_WhereverTheyAre()
    {
        using var fixture = new GptSoVitsFixture();
        fixture.Enroll("clone");
        var audit = new EngineCacheAudit(TestVoices.Sessions(), fixture.Voices, _cache);

        Assert.Equal(
            ["gpt_encoder.onnx", "gpt_step.onnx", "sovits.onnx", "ssl.onnx", "vq_encoder.onnx"],
            audit.Models().Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.All(audit.Models(), m => Assert.StartsWith(fixture.Bundle, m, StringComparison.Ordinal));
    }

    [Fact]
    public void NoCacheOrNoVoices_IsNothingToDo()
    {
        var audit = new EngineCacheAudit(TestVoices.Sessions(), Path.Combine(_cache, "no-voices"), _cache);
        Assert.Empty(audit.Check());
        Assert.Empty(audit.Stale());
    }

    [Fact]
    public void CanUseTensorRt_OnTheCpuBuild_SaysWhatIsMissing()
    {
        // The package's ONNX Runtime is the CPU build; on a machine with the TensorRT build this is true.
        var sessions = TestVoices.Sessions();
        if (sessions.CanUseTensorRt(out var reason))
        {
            Assert.Empty(reason);
            return;
        }

        Assert.Contains("TensorRT", reason, StringComparison.Ordinal);
    }
}
