using SpecSynth.Output;

namespace SpecSynth.Tests.Output;

public sealed class UnifiedDiffTests
{
    private static string Numbers(int count, Func<int, string>? map = null) =>
        string.Concat(Enumerable.Range(1, count).Select(i => (map?.Invoke(i) ?? i.ToString(System.Globalization.CultureInfo.InvariantCulture)) + "\n"));

    [Fact]
    public void OneChangedLine_HasThreeLinesOfContextEachSide()
    {
        var diff = UnifiedDiff.Create("f.txt", "f.txt", "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n", "a\nb\nc\nd\nE\nf\ng\nh\ni\nj\n");

        Assert.Equal("--- a/f.txt\n+++ b/f.txt\n@@ -2,7 +2,7 @@\n b\n c\n d\n-e\n+E\n f\n g\n h\n", diff);
    }

    [Fact]
    public void DistantChanges_MakeSeparateHunks()
    {
        var diff = UnifiedDiff.Create("n", "n", Numbers(20), Numbers(20, i => i switch { 2 => "two", 18 => "eighteen", _ => i.ToString(System.Globalization.CultureInfo.InvariantCulture) }), context: 1);

        Assert.Equal("--- a/n\n+++ b/n\n@@ -1,3 +1,3 @@\n 1\n-2\n+two\n 3\n@@ -17,3 +17,3 @@\n 17\n-18\n+eighteen\n 19\n", diff);
    }

    [Fact]
    public void NearbyChanges_ShareOneHunk_LikeGnuDiff()
    {
        var diff = UnifiedDiff.Create("n", "n", Numbers(20), Numbers(20, i => i switch { 2 => "two", 5 => "five", _ => i.ToString(System.Globalization.CultureInfo.InvariantCulture) }), context: 1);

        Assert.Equal("--- a/n\n+++ b/n\n@@ -1,6 +1,6 @@\n 1\n-2\n+two\n 3\n 4\n-5\n+five\n 6\n", diff);
    }

    [Fact]
    public void CreatedFile_ComesFromDevNull()
    {
        Assert.Equal("--- /dev/null\n+++ b/src/new.txt\n@@ -0,0 +1,2 @@\n+x\n+y\n", UnifiedDiff.Create("src/new.txt", "src/new.txt", null, "x\ny\n"));
    }

    [Theory]
    [InlineData("a\nb", "a\nb\n", "@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n")]
    [InlineData("a\nb\n", "a\nc", "@@ -1,2 +1,2 @@\n a\n-b\n+c\n\\ No newline at end of file\n")]
    [InlineData("x\nsame", "y\nsame", "@@ -1,2 +1,2 @@\n-x\n+y\n same\n\\ No newline at end of file\n")]
    [InlineData("a\n", "", "@@ -1 +0,0 @@\n-a\n")]
    [InlineData("a\r\nb\r\n", "a\nb\r\n", "@@ -1,2 +1,2 @@\n-a\r\n+a\n b\r\n")]
    public void EdgeCases_MatchGnuDiff(string oldText, string newText, string expectedHunks)
    {
        Assert.Equal("--- a/f\n+++ b/f\n" + expectedHunks, UnifiedDiff.Create("f", "f", oldText, newText));
    }

    [Fact]
    public void InsertionAtTheEnd_WithoutContext_NamesTheLineBefore()
    {
        Assert.Equal("--- a/f\n+++ b/f\n@@ -2,0 +3 @@\n+c\n", UnifiedDiff.Create("f", "f", "a\nb\n", "a\nb\nc\n", context: 0));
    }

    [Fact]
    public void EqualTexts_GiveAnEmptyDiff_AndACreatedEmptyFileOnlyHeaders()
    {
        Assert.Equal("", UnifiedDiff.Create("f", "f", "same\n", "same\n"));
        Assert.Equal("--- /dev/null\n+++ b/e\n", UnifiedDiff.Create("e", "e", null, ""));
    }

    [Fact]
    public void Diff_IsMinimal_OnRandomInputs()
    {
        var random = new Random(1234);
        for (var round = 0; round < 300; round++)
        {
            var a = RandomIds(random, random.Next(0, 30));
            var b = RandomIds(random, random.Next(0, 30));

            var oldText = string.Concat(a.Select(x => x + "\n"));
            var newText = string.Concat(b.Select(x => x + "\n"));

            var lines = UnifiedDiff.Create("f", "f", oldText, newText, context: 0).Split('\n');

            // Minimal: it deletes and inserts only what a longest common subsequence leaves over.
            var lcs = LcsLength(a, b);
            Assert.Equal(a.Length - lcs, lines.Count(l => l.StartsWith('-') && !l.StartsWith("---", StringComparison.Ordinal)));
            Assert.Equal(b.Length - lcs, lines.Count(l => l.StartsWith('+') && !l.StartsWith("+++", StringComparison.Ordinal)));
            Assert.Equal(newText, PatchApplier.Apply(oldText, string.Join('\n', lines)));
        }
    }

    [Fact]
    public void RandomEdits_RoundTripThroughTheDiff()
    {
        var random = new Random(42);
        for (var round = 0; round < 200; round++)
        {
            var oldText = RandomText(random);
            var newText = Mutate(random, oldText);

            var diff = UnifiedDiff.Create("f", "f", oldText, newText, context: random.Next(0, 4));

            Assert.Equal(newText, PatchApplier.Apply(oldText, diff));
        }
    }

    [Fact]
    public void Diff_AppliesWithGnuPatch()
    {
        var random = new Random(7);
        using var dir = new TempDir();
        for (var round = 0; round < 5; round++)
        {
            var oldText = RandomText(random);
            var newText = Mutate(random, oldText);
            var diff = UnifiedDiff.Create("sub/f.txt", "sub/f.txt", oldText, newText);

            var patched = PatchApplier.ApplyWithGnuPatch(dir.Path, "sub/f.txt", oldText, diff);

            Assert.Equal(newText, patched);
        }
    }

    /// <summary>Thousands of lines, scattered changes and a full rewrite, round-trip exactly (speed is measured in
    /// bench/LibraryBench, not here).</summary>
    [Fact]
    public void ThousandsOfLines_RoundTrip()
    {
        var oldText = Numbers(5000);
        var scattered = Numbers(5000, i => i % 37 == 0 ? "changed " + i : i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var unrelated = Numbers(5000, i => "other " + i);

        var diff1 = UnifiedDiff.Create("f", "f", oldText, scattered);
        var diff2 = UnifiedDiff.Create("f", "f", oldText, unrelated);

        Assert.Equal(scattered, PatchApplier.Apply(oldText, diff1));
        Assert.Equal(unrelated, PatchApplier.Apply(oldText, diff2));
    }

    private static int[] RandomIds(Random random, int count) => [.. Enumerable.Range(0, count).Select(_ => random.Next(0, 4))];

    private static int LcsLength(int[] a, int[] b)
    {
        var dp = new int[a.Length + 1, b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                dp[i, j] = a[i - 1] == b[j - 1] ? dp[i - 1, j - 1] + 1 : Math.Max(dp[i - 1, j], dp[i, j - 1]);
            }
        }
        return dp[a.Length, b.Length];
    }

    private static readonly string[] Words = ["alpha", "beta", "gamma", "delta", "", "  indented", "crlf\r", "}"];

    private static string RandomText(Random random)
    {
        var lines = Enumerable.Range(0, random.Next(0, 40)).Select(_ => Words[random.Next(Words.Length)]);
        var text = string.Concat(lines.Select(l => l + "\n"));
        return random.Next(4) == 0 && text.Length > 0 ? text[..^1] : text;
    }

    private static string Mutate(Random random, string text)
    {
        var lines = text.Split('\n').ToList();
        for (var edits = random.Next(1, 6); edits > 0; edits--)
        {
            var at = random.Next(lines.Count + 1);
            switch (random.Next(3))
            {
                case 0 when at < lines.Count: lines.RemoveAt(at); break;
                case 1 when at < lines.Count: lines[at] = Words[random.Next(Words.Length)]; break;
                default: lines.Insert(at, Words[random.Next(Words.Length)] + random.Next(3)); break;
            }
        }
        return string.Join('\n', lines);
    }
}
