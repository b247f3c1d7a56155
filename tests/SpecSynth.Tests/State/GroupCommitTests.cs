using SpecSynth.State;

namespace SpecSynth.Tests.State;

/// <summary>Group commit: items handed over while a commit runs share the next one; each wait ends only once its own item
/// is committed, and a failed commit fails exactly the waits it should.</summary>
public sealed class GroupCommitTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ItemsHandedOverDuringACommit_ShareTheNextCommit_AndNoWaitEndsBeforeItsOwnCommit()
    {
        using var release = new ManualResetEventSlim();
        using var firstStarted = new ManualResetEventSlim();
        var commits = new List<int[]>();
        var group = new GroupCommit<int>(items =>
        {
            lock (commits)
            {
                commits.Add([.. items]);
            }
            firstStarted.Set();
            // The first commit is held until the test has handed over the others.
            Assert.True(release.Wait(Patience));
        }, retryAlone: false);

        var first = group.WriteAsync(0);
        Assert.True(firstStarted.Wait(Patience));
        var rest = Enumerable.Range(1, 9).Select(group.WriteAsync).ToList();
        await Task.Delay(50);
        Assert.False(first.IsCompleted, "the first item's commit has not returned yet");
        Assert.All(rest, t => Assert.False(t.IsCompleted));

        release.Set();
        await first.WaitAsync(Patience);
        await Task.WhenAll(rest).WaitAsync(Patience);

        Assert.Equal([[0], [1, 2, 3, 4, 5, 6, 7, 8, 9]], commits);
    }

    [Fact]
    public async Task AFailedCommit_FailsEveryWaitOfItsGroup_AndTheNextGroupIsCommitted()
    {
        using var release = new ManualResetEventSlim();
        using var firstStarted = new ManualResetEventSlim();
        var committed = new List<int>();
        var group = new GroupCommit<int>(items =>
        {
            firstStarted.Set();
            Assert.True(release.Wait(Patience));
            if (items.Contains(13))
            {
                throw new IOException("disk full");
            }
            lock (committed)
            {
                committed.AddRange(items);
            }
        }, retryAlone: false);

        var first = group.WriteAsync(0);
        Assert.True(firstStarted.Wait(Patience));
        var doomed = new[] { 11, 12, 13, 14 }.Select(group.WriteAsync).ToList();
        release.Set();
        await first.WaitAsync(Patience);
        foreach (var wait in doomed)
        {
            var ex = await Assert.ThrowsAsync<IOException>(() => wait.WaitAsync(Patience));
            Assert.Equal("disk full", ex.Message);
        }
        await group.WriteAsync(20).WaitAsync(Patience);

        Assert.Equal([0, 20], committed);
    }

    [Fact]
    public async Task WithRetryAlone_AFailedGroup_IsCommittedItemByItem_AndOnlyTheBadItemFails()
    {
        using var release = new ManualResetEventSlim();
        using var firstStarted = new ManualResetEventSlim();
        var commits = new List<int[]>();
        var group = new GroupCommit<int>(items =>
        {
            firstStarted.Set();
            Assert.True(release.Wait(Patience));
            if (items.Contains(13))
            {
                throw new InvalidDataException("bad item");
            }
            lock (commits)
            {
                commits.Add([.. items]);
            }
        }, retryAlone: true);

        var first = group.WriteAsync(0);
        Assert.True(firstStarted.Wait(Patience));
        var items = new[] { 11, 12, 13, 14 };
        var waits = items.Select(group.WriteAsync).ToList();
        release.Set();
        await first.WaitAsync(Patience);

        for (var i = 0; i < items.Length; i++)
        {
            if (items[i] == 13)
            {
                await Assert.ThrowsAsync<InvalidDataException>(() => waits[i].WaitAsync(Patience));
            }
            else
            {
                await waits[i].WaitAsync(Patience);
            }
        }
        Assert.Equal([[0], [11], [12], [14]], commits);
    }

    [Fact]
    public async Task ManyWritersAtOnce_EachItemCommittedOnce_BeforeItsWaitEnds()
    {
        var committed = new HashSet<int>();
        var group = new GroupCommit<int>(items =>
        {
            lock (committed)
            {
                foreach (var item in items)
                {
                    Assert.True(committed.Add(item), $"item {item} committed twice");
                }
            }
        }, retryAlone: false);

        await Task.WhenAll(Enumerable.Range(0, 16).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 500; i++)
            {
                var item = (w * 1000) + i;
                await group.WriteAsync(item);
                lock (committed)
                {
                    Assert.Contains(item, committed);
                }
            }
        })));

        Assert.Equal(16 * 500, committed.Count);
    }
}
