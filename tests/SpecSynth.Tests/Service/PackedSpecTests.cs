using System.Text.Json;
using SpecSynth.Jobs;
using SpecSynth.Specs;

namespace SpecSynth.Tests.Service;

/// <summary><see cref="PackedSpec"/> and <see cref="CheckedSpecs"/>: a many-spec run holds its parsed specs packed until
/// their turn, and what it unpacks is the spec that was parsed, property for property.</summary>
public sealed class PackedSpecTests
{
    public static TheoryData<string> SpecFiles() => new(
        Directory.EnumerateFiles(TestPaths.RealSpecs, "*.md")
            .Concat(Directory.EnumerateFiles(TestPaths.HandwrittenSpecs, "*.md"))
            .Concat(Directory.EnumerateFiles(Path.Combine(TestPaths.RepoRoot, "examples"), "spec.md", SearchOption.AllDirectories))
            .Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(SpecFiles))]
    public async Task EveryParsedSpec_UnpacksToTheSameSpecification(string path)
    {
        var spec = await SpecParser.ParseFileAsync(path);

        var unpacked = PackedSpec.Unpack(PackedSpec.Pack(spec)!);

        Assert.Equal(Json(spec), Json(unpacked));
        Assert.Equal(ReferenceEquals(spec.Tech, TechInference.None), ReferenceEquals(unpacked.Tech, TechInference.None));
        foreach (var (key, value) in spec.FrontMatter)
        {
            // Front-matter keys stay case-insensitive, as the parser makes them.
            Assert.Equal(value, unpacked.FrontMatter[key.ToUpperInvariant()]);
        }
        Assert.Equal(Json(spec.ResolveTech("python", "fastapi")), Json(unpacked.ResolveTech("python", "fastapi")));
    }

    [Fact]
    public void EveryPropertyAndListItem_RoundTrips()
    {
        var spec = new Specification
        {
            Title = "Ünïcode ✓ title",
            TitleSource = "h1",
            RawText = "# Ünïcode ✓ title\r\n\r\n- [ ] T001 do 🚀\n",
            SourcePath = "/specs/a.md",
            Sections = [new SpecSection("Ünïcode", 1, "body\r\n", 1), new SpecSection("Two", 2, "", 7)],
            Requirements = [new Requirement(null, "It MUST ✓", "Two", 3), new Requirement("FR-001", "x", "Two", -1)],
            Tasks = [new SpecTask("T001", "do 🚀", false, "Two", 3), new SpecTask(null, "done", true, "Two", 400)],
            Language = "csharp",
            Framework = null,
            Tech = new TechInference
            {
                Language = "csharp",
                OtherLanguages = ["python", "go"],
                Framework = "aspnetcore",
                LanguageStated = true,
                FrameworkStated = false,
                LanguageEvidence = [new TechEvidence("csharp", "fence", "```csharp", 12)],
                FrameworkEvidence = [new TechEvidence("aspnetcore", "text", "ASP.NET Core", 200_000)],
                Conflicts = ["csharp vs python"],
            },
            Warnings = [new SpecWarning("todo", "TODO at line 3", 3)],
            IsUnfilledTemplate = true,
            ReferencedPaths = ["src/A.cs", "b/ü.md"],
            FrontMatter = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["title"] = "T", ["Owner"] = "" }.AsReadOnly(),
        };

        var unpacked = PackedSpec.Unpack(PackedSpec.Pack(spec)!);

        Assert.Equal(Json(spec), Json(unpacked));
        Assert.Equal(["title", "Owner"], unpacked.FrontMatter.Keys);
        Assert.Equal("T", unpacked.FrontMatter["TITLE"]);
    }

    [Fact]
    public void ASpecWithoutTech_KeepsTheNoneInstance_SoItsStatedLanguageStillResolves()
    {
        var spec = new Specification { Title = "t", RawText = "t", Language = "python", Framework = "fastapi" };

        var unpacked = PackedSpec.Unpack(PackedSpec.Pack(spec)!);

        Assert.Same(TechInference.None, unpacked.Tech);
        Assert.Null(unpacked.SourcePath);
        Assert.Equal(("python", "spec", "fastapi", "spec"), Resolved(unpacked));
        Assert.Equal(Resolved(spec), Resolved(unpacked));
    }

    [Fact]
    public void ALoneSurrogate_IsNotPacked_AndCheckedSpecsKeepsThatSpecAsItIs()
    {
        var spec = new Specification { Title = "t", RawText = "bad \uD800 text" };
        var specs = new CheckedSpecs(1);

        specs.Add("bad", spec);

        Assert.Null(PackedSpec.Pack(spec));
        Assert.Same(spec, specs[0].Spec);
    }

    [Fact]
    public void CheckedSpecs_UnpacksEachWhenRead_AndAReleasedSpecKeepsOnlyItsPath()
    {
        var specs = new CheckedSpecs(2);
        specs.Add("a.md", SpecParser.Parse("# Alpha\n\n- It MUST exist.\n", "a.md"));
        specs.Add("b.md", SpecParser.Parse("# Beta\n\n- It MUST exist.\n", "b.md"));

        specs.Release(0);

        Assert.Equal(2, specs.Count);
        Assert.Equal(["a.md", "b.md"], specs.Paths);
        Assert.Equal(("b.md", "Beta"), (specs[1].Path, specs[1].Spec.Title));
        Assert.NotSame(specs[1].Spec, specs[1].Spec);
        Assert.Throws<InvalidOperationException>(() => specs[0]);
    }

    private static (string?, string, string?, string) Resolved(Specification spec)
    {
        var tech = spec.ResolveTech(null, null);
        return (tech.Language, tech.LanguageSource, tech.Framework, tech.FrameworkSource);
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value);
}
