using SpecSynth.State;

namespace SpecSynth.Tests.State;

/// <summary>Group commit: items handed over while a commit runs share the next one; each wait ends only once its own item
/// is committed, and a failed commit fails exactly the waits it should; with the writer idle, an item is committed on its
/// caller's thread.</summary>
public sealed class GroupCommitTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public void WithTheWriterAndThePoolIdle_TheItemIsCommittedOnTheCallersThread_BeforeWriteAsyncReturns()
    {
        var committedOn = new List<(int Item, int Thread)>();
        var group = new GroupCommit<int>(items => committedOn.Add((items.Single(), Environment.CurrentManagedThreadId)),
            retryAlone: false, poolBusy: () => false);

        var first = group.WriteAsync(1);
        var second = group.WriteAsync(2);

        Assert.True(first.IsCompletedSuccessfully);
        Assert.True(second.IsCompletedSuccessfully);
        Assert.Equal([(1, Environment.CurrentManagedThreadId), (2, Environment.CurrentManagedThreadId)], committedOn);
    }

    [Fact]
    public async Task WithThePoolBusy_TheItemGoesToTheWriter_AndItsWaitEndsOnceCommitted()
    {
        using var release = new ManualResetEventSlim();
        var committedOn = new List<int>();
        var group = new GroupCommit<int>(items =>
        {
            Assert.True(release.Wait(Patience));
            committedOn.Add(Environment.CurrentManagedThreadId);
        }, retryAlone: false, poolBusy: () => true);

        var wait = group.WriteAsync(1); // returns at once: the commit is the writer's, held until released
        Assert.False(wait.IsCompleted);
        release.Set();
        await wait.WaitAsync(Patience);

        Assert.Single(committedOn);
    }

    [Fact]
    public async Task WithTheWriterIdle_AFailedCommit_IsAFaultedTask_AndTheNextItemIsCommitted()
    {
        var committed = new List<int>();
        var group = new GroupCommit<int>(items =>
        {
            if (items.Contains(13))
            {
                throw new IOException("disk full");
            }
            committed.AddRange(items);
        }, retryAlone: true, poolBusy: () => false);

        var failed = group.WriteAsync(13); // not thrown: the failure is the task's
        Assert.True(failed.IsFaulted);
        var ex = await Assert.ThrowsAsync<IOException>(() => failed);
        Assert.Equal("disk full", ex.Message);
        await group.WriteAsync(14);

        Assert.Equal([14], committed);
    }

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

        // The writer is idle: the first item is committed on its caller's thread, held there until released.
        var first = Task.Run(() => group.WriteAsync(0));
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

        // The writer is idle: the first item is committed on its caller's thread, held there until released.
        var first = Task.Run(() => group.WriteAsync(0));
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

        // The writer is idle: the first item is committed on its caller's thread, held there until released.
        var first = Task.Run(() => group.WriteAsync(0));
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
