using SpecSynth.Usage;

namespace SpecSynth.Tests.Usage;

/// <summary>The ledger's count of the log frames its commits add, which times its checkpoints (issue 19: counted as a frame
/// per row, it checkpointed, with two or three <c>fsync</c>s each, about four times as often as intended).</summary>
public sealed class LedgerCheckpointTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task TheFramesCounted_MatchTheFramesInTheLog_WithinAQuarter()
    {
        var path = _dir.Combine("usage.db");
        const int Rows = 400;
        using var ledger = new UsageLedger(path);
        for (var i = 0; i < Rows; i++)
        {
            // One at a time: each row is its own commit (no group), the case with the most frames per row.
            await ledger.AppendAsync(Record(i));
        }
        // The log holds every frame written since it was created: nothing checkpointed it below the threshold.
        Assert.True(Rows * UsageLedger.LogFrames(1) < UsageLedger.CheckpointPages);
        var frames = (new FileInfo(path + "-wal").Length - 32) / (4096 + 24);
        var counted = Rows * UsageLedger.LogFrames(1);
        Assert.InRange(counted, frames * 3 / 4, frames * 5 / 4);
        Assert.Equal(Rows, ledger.ReadAll().Count);
    }

    [Fact]
    public void LargerGroups_CountMoreFrames_ButFarFewerThanOnePerRow()
    {
        Assert.Equal(1, UsageLedger.LogFrames(1));
        Assert.True(UsageLedger.LogFrames(6) <= 2);
        Assert.True(UsageLedger.LogFrames(100) >= 100 / 30);
        Assert.True(UsageLedger.LogFrames(100) < 100 / 4);
    }

    private static UsageRecord Record(int i) => new()
    {
        Time = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero).AddSeconds(i),
        RunId = "run-0123456789abcdef",
        Operation = "generate",
        Spec = $"specs/feature-{i}.md",
        Project = "/home/dev/project",
        Provider = "openai",
        Model = "gpt-4.1",
        KeyAlias = "OPENAI_API_KEY",
        Tokens = new(1200, 300, 0, 0),
        CostUsd = 0.0042m,
        Latency = TimeSpan.FromMilliseconds(12.5),
        Outcome = "ok",
    };
}
