using SpecSynth.Output;

namespace SpecSynth.Tests.Output;

public sealed class RealPathTests : IDisposable
{
    private readonly TempDir _dir = new();

    public RealPathTests()
    {
        Directory.CreateDirectory(_dir.Combine("real", "deep"));
        Directory.CreateDirectory(_dir.Combine("tree", "sub"));
        Directory.CreateSymbolicLink(_dir.Combine("tree", "abs"), _dir.Combine("real"));
        Directory.CreateSymbolicLink(_dir.Combine("tree", "sub", "up"), "../../real/deep");
        Directory.CreateSymbolicLink(_dir.Combine("tree", "chain"), _dir.Combine("tree", "sub", "up"));
        Directory.CreateSymbolicLink(_dir.Combine("tree", "dangling"), _dir.Combine("real", "not-there"));
        Directory.CreateSymbolicLink(_dir.Combine("tree", "loop-a"), _dir.Combine("tree", "loop-b"));
        Directory.CreateSymbolicLink(_dir.Combine("tree", "loop-b"), _dir.Combine("tree", "loop-a"));
    }

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("sub/file.txt")]
    [InlineData("abs/deep/x.cs")]
    [InlineData("sub/up/x.cs")]
    [InlineData("chain/more/x.cs")]
    [InlineData("dangling/x/y.cs")]
    [InlineData("missing/abs/x.cs")]
    public void AppendingOneSegmentAtATime_GivesWhatResolvingEachPrefixGives(string relative)
    {
        var root = Path.GetPathRoot(_dir.Path)!;
        var resolution = new RealPath.Resolution(root);
        resolution.Append(_dir.Combine("tree")[root.Length..]);
        var prefix = _dir.Combine("tree");
        foreach (var segment in relative.Split('/'))
        {
            prefix = Path.Combine(prefix, segment);
            resolution.Append(segment);

            Assert.Equal(RealPath.Resolve(prefix), resolution.Current);
        }
        Assert.DoesNotContain("tree" + Path.DirectorySeparatorChar + "abs", resolution.Current, StringComparison.Ordinal);
    }

    [Fact]
    public void ALinkLoop_Throws_AndTheLinksOfEarlierSegmentsCount()
    {
        Assert.Throws<IOException>(() => RealPath.Resolve(_dir.Combine("tree", "loop-a", "x")));
        var resolution = new RealPath.Resolution(_dir.Combine("tree"));
        Assert.Throws<IOException>(() => resolution.Append("loop-a"));

        // Forty links, each followed in its own segment, are as many as one resolution may follow; one more is refused.
        var chain = _dir.Combine("hops");
        Directory.CreateDirectory(chain);
        for (var i = 0; i <= RealPath.MaxLinks; i++)
        {
            Directory.CreateSymbolicLink(Path.Combine(chain, $"l{i}"), ".");
        }
        var counted = new RealPath.Resolution(chain);
        for (var i = 0; i < RealPath.MaxLinks; i++)
        {
            counted.Append($"l{i}");
        }
        Assert.Equal(chain, counted.Current);
        Assert.Throws<IOException>(() => counted.Append($"l{RealPath.MaxLinks}"));
        Assert.Throws<IOException>(() => RealPath.Resolve(Path.Combine([chain, .. Enumerable.Range(0, RealPath.MaxLinks + 1).Select(i => $"l{i}")])));
    }
}
