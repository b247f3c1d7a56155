using SpecSynth.Context.Tokens;

namespace SpecSynth.Context;

/// <summary>
/// The token counts of the project structure's lines (<c>path\n</c> each), on every core when there are many. With an
/// OpenAI byte-pair encoding (<see cref="TiktokenCounter"/>, o200k or cl100k) the whole structure costs exactly the sum of
/// its lines when no line after the first starts with white space or <c>/</c>: the encodings' pre-tokenizers never let a
/// piece run past a line break into such a character (a line break is taken either by a run of white space ending in line
/// breaks or after punctuation, followed only by more line breaks or slashes), and the pieces are encoded one by one, so
/// a large structure is counted once, line by line, instead of once whole and once more by lines. With a
/// <see cref="TokenCountCache"/> the lines' counts are remembered as one entry (keyed by the whole list), so an unchanged
/// structure is not counted again in a later process. Thread-safe.
/// </summary>
internal static class TreeLines
{
    /// <summary>From this many lines on, the lines are counted on every core and summed for the whole.</summary>
    public const int ParallelFrom = 2048;

    /// <summary>Lines counted by one worker at a time.</summary>
    private const int Chunk = 512;

    /// <summary>Whether the whole structure's count is the sum of its lines' counts with <paramref name="counter"/>.</summary>
    public static bool AddsUp(IReadOnlyList<string> paths, ITokenCounter counter)
    {
        if (counter is not TiktokenCounter)
        {
            return false;
        }
        for (var i = 1; i < paths.Count; i++)
        {
            var path = paths[i];
            if (path.Length == 0 || path[0] == '/' || char.IsWhiteSpace(path[0]))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The tokens of each line <c>path\n</c>, in the order of <paramref name="paths"/>.</summary>
    public static int[] Count(IReadOnlyList<string> paths, ITokenCounter counter)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(counter);
        switch (counter)
        {
            case TiktokenCounter { Cache: { } cache } tiktoken:
                var hash = TokenTextHash.OfLines(paths);
                if (cache.TryGetLines(tiktoken.CounterId, hash) is { } known && known.Length == paths.Count)
                {
                    return known;
                }
                var counted = CountAll(paths, tiktoken.CountFresh);
                cache.AddLines(tiktoken.CounterId, hash, counted);
                return counted;
            case MaxTokenCounter max:
                var most = new int[paths.Count];
                foreach (var each in max.Counters)
                {
                    var lines = Count(paths, each);
                    for (var i = 0; i < most.Length; i++)
                    {
                        most[i] = Math.Max(most[i], lines[i]);
                    }
                }
                return most;
            default:
                return CountAll(paths, counter.Count);
        }
    }

    private static int[] CountAll(IReadOnlyList<string> paths, Func<string, int> count)
    {
        var tokens = new int[paths.Count];
        if (paths.Count < ParallelFrom || Environment.ProcessorCount == 1)
        {
            CountRange(paths, count, tokens, 0, paths.Count);
            return tokens;
        }
        Parallel.For(0, (paths.Count + Chunk - 1) / Chunk, chunk =>
            CountRange(paths, count, tokens, chunk * Chunk, Math.Min(paths.Count, (chunk + 1) * Chunk)));
        return tokens;
    }

    private static void CountRange(IReadOnlyList<string> paths, Func<string, int> count, int[] tokens, int from, int to)
    {
        for (var i = from; i < to; i++)
        {
            tokens[i] = count(paths[i] + "\n");
        }
    }
}
