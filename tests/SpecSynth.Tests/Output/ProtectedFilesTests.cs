using SpecSynth.Parsing;
using SpecSynth.Output;

namespace SpecSynth.Tests.Output;

/// <summary>Files a reply may never replace, and what a dry run's diff shows of secrets.</summary>
public sealed class ProtectedFilesTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(".env")]
    [InlineData(".env.local")]
    [InlineData("config/prod.env")]
    [InlineData(".envrc")]
    [InlineData("certs/server.key")]
    [InlineData("certs/server.pem")]
    [InlineData("certs/server.crt")]
    [InlineData("deploy/id_ed25519")]
    [InlineData(".ssh/config")]
    [InlineData(".npmrc")]
    [InlineData("credentials.json")]
    [InlineData("infra/terraform.tfstate")]
    public void SecretFiles_AreRefused_AndNeverRead(string path)
    {
        var existing = _dir.Write(path, "SECRET=keep-me\n");

        var ex = Assert.Throws<SpecSynthException>(() => OutputPlan.Create(_dir.Path, [new GeneratedFile(path, "x\n", null)]));

        Assert.Equal(ErrorKind.UnusableOutput, ex.Kind);
        Assert.Contains("holds secrets", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("keep-me", ex.Message, StringComparison.Ordinal);
        Assert.Equal("SECRET=keep-me\n", File.ReadAllText(existing));
    }

    [Fact]
    public void TheRunsSpecs_AreRefused_ThroughAnyPathThatReachesThem()
    {
        var spec = _dir.Write("specs/app.md", "# App\n");

        var ex = Assert.Throws<SpecSynthException>(() => OutputPlan.Create(_dir.Path,
            [new GeneratedFile("src/a.cs", "a\n", "csharp"), new GeneratedFile("specs/./app.md", "# Evil\n", null)], [spec]));

        Assert.Equal(ErrorKind.UnusableOutput, ex.Kind);
        Assert.Contains("specification of this run", ex.Message, StringComparison.Ordinal);
        Assert.Equal("# App\n", File.ReadAllText(spec));
        Assert.Single(OutputPlan.Create(_dir.Path, [new GeneratedFile("specs/other.md", "# Other\n", null)], [spec]).Files);
    }

    [Fact]
    public void TheRunsSpecs_ResolvedOnceForTheRun_AreRefusedInEveryPlan_ThroughALinkToo()
    {
        var spec = _dir.Write("specs/app.md", "# App\n");
        Directory.CreateSymbolicLink(_dir.Combine("alias"), _dir.Combine("specs"));
        var specs = ProtectedFiles.Resolve([spec, _dir.Combine("specs", "not-there.md")]);

        foreach (var path in new[] { "specs/app.md", "alias/app.md" })
        {
            var ex = Assert.Throws<SpecSynthException>(() => OutputPlan.Create(_dir.Path, [new GeneratedFile(path, "# Evil\n", null)], specs));
            Assert.Contains("specification of this run", ex.Message, StringComparison.Ordinal);
        }
        Assert.True(specs.Contains(RealPath.Resolve(spec)));
        Assert.False(specs.Contains(_dir.Combine("specs", "not-there.md")));
        Assert.Single(OutputPlan.Create(_dir.Path, [new GeneratedFile("specs/not-there.md", "# New\n", null)], specs).Files);
        Assert.Equal("# App\n", File.ReadAllText(spec));
    }

    [Fact]
    public void TheDryRunDiff_ShowsNeitherTheOldNorTheNewSecrets()
    {
        _dir.Write("config/app.yaml", "db:\n  host: db.internal\n  password: Old-s3cret-Pw\n");

        var plan = OutputPlan.Create(_dir.Path,
            [new GeneratedFile("config/app.yaml", "db:\n  host: db2.internal\n  password: New-s3cret-Pw\n", "yaml")]);
        var diff = plan.ToUnifiedDiff();

        Assert.Contains("+  host: db2.internal", diff, StringComparison.Ordinal);
        Assert.Contains("password: [REDACTED]", diff, StringComparison.Ordinal);
        Assert.DoesNotContain("Old-s3cret-Pw", diff, StringComparison.Ordinal);
        Assert.DoesNotContain("New-s3cret-Pw", diff, StringComparison.Ordinal);
    }
}
