using Microsoft.Extensions.Time.Testing;
using SpecSynth.State;

namespace SpecSynth.Tests.State;

/// <summary>Write-behind through <see cref="GroupCommit{T}.TryStage"/>: staged items wait for the delay (or a waited group,
/// or a flush) and are committed together; at most <see cref="GroupCommit{T}.MaxStaged"/> wait; a failure reaches each
/// staged item's callback.</summary>
public sealed class StagedGroupCommitTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task StagedItems_AreCommittedTogether_OnlyOnceTheDelayPassed()
    {
        var time = new FakeTimeProvider();
        var commits = new List<int[]>();
        using var committed = new SemaphoreSlim(0);
        var group = new GroupCommit<int>(items =>
        {
            lock (commits)
            {
                commits.Add([.. items]);
            }
            committed.Release();
        }, retryAlone: false, time);

        for (var i = 0; i < 10; i++)
        {
            Assert.True(group.TryStage(i, ex => Assert.Fail(ex.Message)));
        }
        time.Advance(GroupCommit<int>.StageDelay - TimeSpan.FromTicks(1));
        Assert.False(await committed.WaitAsync(50));
        Assert.Empty(commits);

        time.Advance(TimeSpan.FromTicks(1));
        Assert.True(await committed.WaitAsync(Patience));
        Assert.Equal([[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]], commits);

        // The next staged item arms the delay again.
        Assert.True(group.TryStage(10, ex => Assert.Fail(ex.Message)));
        Assert.False(await committed.WaitAsync(50));
        time.Advance(GroupCommit<int>.StageDelay);
        Assert.True(await committed.WaitAsync(Patience));
        Assert.Equal([10], commits[^1]);
    }

    [Fact]
    public async Task AWaitedItem_TakesTheStagedOnesWithIt_AndFlushWritesTheRestAtOnce()
    {
        var time = new FakeTimeProvider();
        var commits = new List<int[]>();
        var group = new GroupCommit<int>(items =>
        {
            lock (commits)
            {
                commits.Add([.. items]);
            }
        }, retryAlone: false, time);

        Assert.True(group.TryStage(1, ex => Assert.Fail(ex.Message)));
        Assert.True(group.TryStage(2, ex => Assert.Fail(ex.Message)));
        await group.WriteAsync(3).WaitAsync(Patience);
        Assert.Equal([[1, 2, 3]], commits);

        Assert.True(group.TryStage(4, ex => Assert.Fail(ex.Message)));
        group.Flush();
        Assert.Equal([1, 2, 3], commits[0]);
        Assert.Equal([4], commits[^1]);

        // The delay that item 4 armed finds nothing left to write.
        time.Advance(GroupCommit<int>.StageDelay);
        await Task.Delay(100);
        Assert.Equal(2, commits.Count);
    }

    [Fact]
    public void BeyondMaxStaged_NothingIsStaged_AndWithoutAClockNothingEverIs()
    {
        var time = new FakeTimeProvider();
        var written = 0;
        var group = new GroupCommit<int>(items => Interlocked.Add(ref written, items.Count), retryAlone: false, time);
        for (var i = 0; i < GroupCommit<int>.MaxStaged; i++)
        {
            Assert.True(group.TryStage(i, ex => Assert.Fail(ex.Message)));
        }
        Assert.False(group.TryStage(-1, ex => Assert.Fail(ex.Message)));
        Assert.Equal(0, written);
        group.Flush();
        Assert.Equal(GroupCommit<int>.MaxStaged, written);
        Assert.True(group.TryStage(-1, ex => Assert.Fail(ex.Message)));

        var unclocked = new GroupCommit<int>(items => { }, retryAlone: false);
        Assert.False(unclocked.TryStage(1, ex => Assert.Fail(ex.Message)));
    }

    [Fact]
    public void AFailedStagedGroup_TellsEachStagedItemsCallback_RetriedAloneOnlyTheBadOne()
    {
        var time = new FakeTimeProvider();
        var group = new GroupCommit<int>(items =>
        {
            if (items.Contains(13))
            {
                throw new InvalidOperationException("bad item");
            }
        }, retryAlone: true, time);
        var failed = new List<int>();
        foreach (var i in new[] { 12, 13, 14 })
        {
            Assert.True(group.TryStage(i, ex =>
            {
                Assert.Equal("bad item", ex.Message);
                lock (failed)
                {
                    failed.Add(i);
                }
            }));
        }
        group.Flush();
        Assert.Equal([13], failed);
    }
}
