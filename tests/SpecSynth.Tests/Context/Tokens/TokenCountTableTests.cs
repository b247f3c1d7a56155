using SpecSynth.Context.Tokens;

namespace SpecSynth.Tests.Context.Tokens;

/// <summary>The fixed-capacity table under the token-count cache: it finds what it holds and nothing else, whatever was
/// replaced, and its clock keeps what was looked up.</summary>
public sealed class TokenCountTableTests
{
    [Theory]
    [InlineData(1, 3)]
    [InlineData(50, 19)]
    [InlineData(300, 7)]
    public void RandomAdditionsAndReplacements_FindExactlyWhatIsHeld(int capacity, int seed)
    {
        var random = new Random(seed);
        var table = new TokenCountTable(capacity, initial: 1);
        var held = new Dictionary<(ulong Counter, ulong Lower), int>();
        for (var op = 0; op < 20_000; op++)
        {
            // Few distinct keys whose home slots collide (small lower halves, two counters): long probe runs to shift back.
            var key = ((ulong)random.Next(2), (ulong)random.Next(capacity * 3));
            var entry = new TokenCountSlot { Counter = key.Item1, Lower = key.Item2, Upper = key.Item2 * 31, Count = op };
            var slot = table.Find(key.Item1, TokenCountSlot.TextKind, key.Item2, key.Item2 * 31);
            Assert.Equal(held.ContainsKey(key), slot >= 0);
            if (slot >= 0)
            {
                Assert.Equal(held[key], table[slot].Count);
                table[slot].Flags |= TokenCountSlot.Referenced;
                continue;
            }
            if (table.IsFull)
            {
                var victim = table.Victim();
                held.Remove((table[victim].Counter, table[victim].Lower));
                table.Replace(victim, entry);
            }
            else
            {
                table.Add(entry);
            }
            held[key] = op;
            Assert.InRange(table.Count, 1, capacity);
        }
        Assert.Equal(held.Count, table.Count);
        Assert.All(held, h => Assert.Equal(h.Value, table[table.Find(h.Key.Counter, TokenCountSlot.TextKind, h.Key.Lower, h.Key.Lower * 31)].Count));
        Assert.Equal(-1, table.Find(0, TokenCountSlot.LinesKind, 1, 31));
    }

    [Fact]
    public void TheClock_PassesOverSlotsLookedUpSinceItLastPassed()
    {
        var table = new TokenCountTable(4);
        for (var i = 0UL; i < 4; i++)
        {
            table.Add(new TokenCountSlot { Lower = i });
        }
        table[0].Flags |= TokenCountSlot.Referenced;
        table[2].Flags |= TokenCountSlot.Referenced;

        Assert.Equal(1, table.Victim());
        Assert.Equal(3, table.Victim());
        Assert.Equal(0, table.Victim()); // its mark was taken on the first pass
    }
}
