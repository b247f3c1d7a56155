namespace SpecSynth.Context;

/// <summary>Lists of paths in ordinal order (the order the walk gives them): the check and the lookup.</summary>
internal static class OrdinalPaths
{
    /// <summary>Whether <paramref name="paths"/> is strictly ascending in ordinal order (so also distinct).</summary>
    public static bool Ascending(IReadOnlyList<string> paths)
    {
        for (var i = 1; i < paths.Count; i++)
        {
            if (string.CompareOrdinal(paths[i - 1], paths[i]) >= 0)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Where the strictly ascending <paramref name="paths"/> hold <paramref name="path"/> (a binary search), or -1.</summary>
    public static int IndexOf(IReadOnlyList<string> paths, string path)
    {
        var low = 0;
        var high = paths.Count - 1;
        while (low <= high)
        {
            var middle = low + ((high - low) >> 1);
            var order = string.CompareOrdinal(paths[middle], path);
            if (order == 0)
            {
                return middle;
            }
            if (order < 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }
        return -1;
    }
}
