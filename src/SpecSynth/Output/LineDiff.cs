namespace SpecSynth.Output;

/// <summary>
/// Myers' O((N+M)D) difference algorithm in linear space (the "middle snake" divide and conquer of
/// section 4b of the paper, as in diff-match-patch's bisect), over sequences of line ids.
/// </summary>
internal static class LineDiff
{
    /// <summary>The pairs of indices of a longest common subsequence of <paramref name="a"/> and <paramref name="b"/>, in order.</summary>
    public static List<(int A, int B)> Matches(int[] a, int[] b)
    {
        var matches = new List<(int A, int B)>();
        Diff(a, 0, a.Length, b, 0, b.Length, matches);
        return matches;
    }

    private static void Diff(int[] a, int aLo, int aHi, int[] b, int bLo, int bHi, List<(int A, int B)> matches)
    {
        while (aLo < aHi && bLo < bHi && a[aLo] == b[bLo])
        {
            matches.Add((aLo++, bLo++));
        }
        var suffix = 0;
        while (aLo < aHi - suffix && bLo < bHi - suffix && a[aHi - 1 - suffix] == b[bHi - 1 - suffix])
        {
            suffix++;
        }
        aHi -= suffix;
        bHi -= suffix;
        if (aLo < aHi && bLo < bHi)
        {
            var (x, y) = Bisect(a, aLo, aHi, b, bLo, bHi);
            if (x is { } splitA && y is { } splitB)
            {
                Diff(a, aLo, splitA, b, bLo, splitB, matches);
                Diff(a, splitA, aHi, b, splitB, bHi, matches);
            }
        }
        for (var i = 0; i < suffix; i++)
        {
            matches.Add((aHi + i, bHi + i));
        }
    }

    /// <summary>
    /// Finds where the forward and reverse D-paths meet and returns that point as a split, or
    /// <c>(null, null)</c> when the ranges share nothing (all deleted, all inserted).
    /// </summary>
    private static (int? X, int? Y) Bisect(int[] a, int aLo, int aHi, int[] b, int bLo, int bHi)
    {
        int n = aHi - aLo, m = bHi - bLo;
        var maxD = (n + m + 1) / 2;
        var offset = maxD;
        var length = 2 * maxD + 2;
        var v1 = new int[length];
        var v2 = new int[length];
        Array.Fill(v1, -1);
        Array.Fill(v2, -1);
        v1[offset + 1] = 0;
        v2[offset + 1] = 0;
        var delta = n - m;
        var front = (delta & 1) != 0;
        int k1Start = 0, k1End = 0, k2Start = 0, k2End = 0;
        for (var d = 0; d < maxD; d++)
        {
            for (var k1 = -d + k1Start; k1 <= d - k1End; k1 += 2)
            {
                var i1 = offset + k1;
                var x1 = k1 == -d || (k1 != d && v1[i1 - 1] < v1[i1 + 1]) ? v1[i1 + 1] : v1[i1 - 1] + 1;
                var y1 = x1 - k1;
                while (x1 < n && y1 < m && a[aLo + x1] == b[bLo + y1])
                {
                    x1++;
                    y1++;
                }
                v1[i1] = x1;
                if (x1 > n)
                {
                    k1End += 2;
                }
                else if (y1 > m)
                {
                    k1Start += 2;
                }
                else if (front)
                {
                    var i2 = offset + delta - k1;
                    if (i2 >= 0 && i2 < length && v2[i2] != -1 && x1 >= n - v2[i2])
                    {
                        return (aLo + x1, bLo + y1);
                    }
                }
            }
            for (var k2 = -d + k2Start; k2 <= d - k2End; k2 += 2)
            {
                var i2 = offset + k2;
                var x2 = k2 == -d || (k2 != d && v2[i2 - 1] < v2[i2 + 1]) ? v2[i2 + 1] : v2[i2 - 1] + 1;
                var y2 = x2 - k2;
                while (x2 < n && y2 < m && a[aHi - 1 - x2] == b[bHi - 1 - y2])
                {
                    x2++;
                    y2++;
                }
                v2[i2] = x2;
                if (x2 > n)
                {
                    k2End += 2;
                }
                else if (y2 > m)
                {
                    k2Start += 2;
                }
                else if (!front)
                {
                    var i1 = offset + delta - k2;
                    if (i1 >= 0 && i1 < length && v1[i1] != -1)
                    {
                        var x1 = v1[i1];
                        var y1 = offset + x1 - i1;
                        if (x1 >= n - x2)
                        {
                            return (aLo + x1, bLo + y1);
                        }
                    }
                }
            }
        }
        return (null, null);
    }
}
