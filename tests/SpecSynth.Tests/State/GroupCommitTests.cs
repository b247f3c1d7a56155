using System.Collections.Concurrent;
using SpecSynth.State;

namespace SpecSynth.Tests.State;

/// <summary>Group commit: callers queued behind a writer share one transaction, each returns only after its own item is
/// written, and a failed batch gives each caller what its lone write would have.</summary>
public sealed class GroupCommitTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task CallersQueuedBehindAWriter_ShareOneBatch_AndEachReturnsAfterItsItemIsWritten()
    {
        using var firstStarted = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var written = new ConcurrentBag<int>();
        var batches = new ConcurrentBag<int>();
        var group = new GroupCommit<int>(
            item =>
            {
                if (item == 0)
                {
                    firstStarted.Set();
                    Assert.True(release.Wait(Wait));
                }
                written.Add(item);
            },
            items =>
            {
                batches.Add(items.Count);
                foreach (var item in items)
                {
                    written.Add(item);
                }
            });

        var first = OnItsOwnThread(() => group.Write(0));
        Assert.True(firstStarted.Wait(Wait));
        var returned = new ConcurrentBag<(int Item, bool WasWritten)>();
        var others = Enumerable.Range(1, 4).Select(i => OnItsOwnThread(() =>
        {
            group.Write(i);
            returned.Add((i, written.Contains(i)));
        })).ToArray();
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.All(others, t => Assert.False(t.IsCompleted));
        release.Set();
        await Task.WhenAll([first, .. others]);

        Assert.Equal([0, 1, 2, 3, 4], written.Order());
        Assert.All(returned, r => Assert.True(r.WasWritten, $"item {r.Item} returned before it was written"));
        // The four queued behind the first writer: fewer transactions than items (all four in one when they queued in time).
        Assert.NotEmpty(batches);
        Assert.True(batches.Sum() >= 2 && batches.Count < 4, $"batches: {string.Join(", ", batches)}");
    }

    [Fact]
    public async Task AFailedBatch_IsWrittenItemByItem_SoOnlyTheBadItemsCallerFails()
    {
        using var firstStarted = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var written = new ConcurrentBag<int>();
        var batchTries = 0;
        var group = new GroupCommit<int>(
            item =>
            {
                if (item == 0)
                {
                    firstStarted.Set();
                    Assert.True(release.Wait(Wait));
                }
                if (item == 2)
                {
                    throw new InvalidOperationException("item 2 is bad");
                }
                written.Add(item);
            },
            items =>
            {
                Interlocked.Increment(ref batchTries);
                if (items.Contains(2))
                {
                    throw new InvalidOperationException("the batch fails as a whole");
                }
                foreach (var item in items)
                {
                    written.Add(item);
                }
            });

        var first = OnItsOwnThread(() => group.Write(0));
        Assert.True(firstStarted.Wait(Wait));
        var others = Enumerable.Range(1, 3).Select(i => OnItsOwnThread(() => group.Write(i))).ToArray();
        await Task.Delay(TimeSpan.FromSeconds(1));
        release.Set();
        await first;

        await others[0];
        var bad = await Assert.ThrowsAsync<InvalidOperationException>(() => others[1]);
        Assert.Equal("item 2 is bad", bad.Message);
        await others[2];
        Assert.Equal([0, 1, 3], written.Order());
        Assert.True(batchTries >= 1);
    }

    [Fact]
    public async Task ManyThreads_EveryItemWrittenExactlyOnce()
    {
        var written = new ConcurrentDictionary<int, int>();
        var group = new GroupCommit<int>(
            item => written.AddOrUpdate(item, 1, (_, n) => n + 1),
            items =>
            {
                foreach (var item in items)
                {
                    written.AddOrUpdate(item, 1, (_, n) => n + 1);
                }
            });

        await Task.WhenAll(Enumerable.Range(0, 16).Select(t => OnItsOwnThread(() =>
        {
            for (var i = 0; i < 500; i++)
            {
                group.Write(t * 1000 + i);
            }
        })));

        Assert.Equal(16 * 500, written.Count);
        Assert.All(written, pair => Assert.Equal(1, pair.Value));
    }

    /// <summary>Runs <paramref name="body"/> on a thread of its own (the callers block: pool threads would starve).</summary>
    private static Task OnItsOwnThread(Action body) =>
        Task.Factory.StartNew(body, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
}
