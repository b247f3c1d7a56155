using SpecSynth.Context.Relevance;

namespace SpecSynth.Tests.Context;

/// <summary>The spec query keeps its terms with a merge sort of its own (LINQ's sorts over value tuples are JIT-compiled on
/// every run): the terms and weights must be exactly what the LINQ chain it replaced gave, ties included.</summary>
public sealed class SpecQueryTermsTests
{
    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 40)]
    [InlineData(3, 300)]
    [InlineData(4, 1_000)]
    public void Kept_terms_are_the_LINQ_chains(int seed, int words)
    {
        var random = new Random(seed);
        var counts = new Dictionary<string, (int Count, int First, bool Code)>(StringComparer.Ordinal);
        for (var i = 0; i < words; i++)
        {
            // Few distinct counts and positions shared by several words (a compound's words share their token's position).
            var word = new string((char)('a' + random.Next(26)), 1) + random.Next(words * 2).ToString(System.Globalization.CultureInfo.InvariantCulture);
            counts[word] = (1 + random.Next(4), random.Next(words / 3 + 1), random.Next(3) == 0);
        }
        counts["the"] = (50, 0, false); // a stop word
        counts["x"] = (50, 0, true); // too short

        var expected = counts.Where(kv => kv.Key.Length >= 2 && !StopWords.Contains(kv.Key))
            .Select(kv => (Term: kv.Key, Weight: (1 + Math.Log(kv.Value.Count)) * (kv.Value.Code ? 1.5 : 1.0), kv.Value.First))
            .OrderByDescending(t => t.Weight).ThenBy(t => t.First).Take(SpecQuery.MaxTerms)
            .OrderBy(t => t.First).ToList();

        var (terms, weights) = SpecQuery.Kept(counts.ToDictionary(kv => kv.Key,
            kv => new SpecQuery.Seen { Count = kv.Value.Count, First = kv.Value.First, Code = kv.Value.Code }, StringComparer.Ordinal));

        Assert.Equal(expected.Select(t => t.Term), terms);
        Assert.Equal(expected.Select(t => t.Weight), weights);
    }

    [Fact]
    public void MergeSort_is_stable()
    {
        var random = new Random(7);
        var keys = Enumerable.Range(0, 5_000).Select(_ => random.Next(20)).ToArray();
        var items = Enumerable.Range(0, keys.Length).ToArray();

        SpecQuery.MergeSort(items, (a, b) => keys[a].CompareTo(keys[b]));

        Assert.Equal(Enumerable.Range(0, keys.Length).OrderBy(i => keys[i]), items);
        var none = Array.Empty<int>();
        SpecQuery.MergeSort(none, (a, b) => a.CompareTo(b));
        Assert.Empty(none);
    }
}
