using SpecSynth.Caching;

namespace SpecSynth.Tests.Caching;

/// <summary><see cref="HashSlots"/> answers as a <see cref="HashSet{T}"/> of <see cref="long"/> does: for random hashes,
/// hashes that share their first slot, zero, negatives and duplicates, across its growth and after <see cref="HashSlots.Clear"/>.</summary>
public sealed class HashSlotsTests
{
    [Theory]
    [InlineData(1, 50_000)]
    [InlineData(2, 3)]
    public void Adds_and_lookups_answer_as_a_hash_set_does(int seed, int count)
    {
        var random = new Random(seed);
        var set = new HashSlots();
        var reference = new HashSet<long>();
        for (var i = 0; i < count; i++)
        {
            // Random hashes, some again, zero and the extremes, and hashes that differ only in bits the first slot ignores.
            var hash = (i % 7) switch
            {
                0 when reference.Count > 0 => reference.ElementAt(random.Next(Math.Min(reference.Count, 50))),
                1 => new[] { 0L, -1L, long.MinValue, long.MaxValue }[random.Next(4)],
                2 => (long)random.Next(64) << 58,
                _ => random.NextInt64(long.MinValue, long.MaxValue),
            };
            Assert.Equal(reference.Add(hash), set.Add(hash));
            var probe = random.Next(2) == 0 ? hash : random.NextInt64(long.MinValue, long.MaxValue);
            Assert.Equal(reference.Contains(probe), set.Contains(probe));
        }
        Assert.Equal(reference.Count, set.Count);
        foreach (var hash in reference)
        {
            Assert.True(set.Contains(hash));
        }
        for (var i = 0; i < 10_000; i++)
        {
            var absent = random.NextInt64(long.MinValue, long.MaxValue);
            Assert.Equal(reference.Contains(absent), set.Contains(absent));
        }

        set.Clear();

        Assert.Equal(0, set.Count);
        Assert.DoesNotContain(reference, set.Contains);
        Assert.True(set.Add(0));
        Assert.False(set.Add(0));
        Assert.True(set.Contains(0));
    }
}
