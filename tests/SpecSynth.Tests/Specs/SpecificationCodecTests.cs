using System.Text.Json;
using SpecSynth.Jobs;
using SpecSynth.Specs;

namespace SpecSynth.Tests.Specs;

/// <summary><see cref="SpecificationCodec"/> and <see cref="CheckedSpecs"/>: a many-spec run holds its parsed specs packed until
/// their turn, and what it unpacks is the spec that was parsed, property for property; a memo decodes to the same spec.</summary>
public sealed class SpecificationCodecTests
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

        var unpacked = SpecificationCodec.Unpack(SpecificationCodec.Pack(spec));

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

        var unpacked = SpecificationCodec.Unpack(SpecificationCodec.Pack(spec));

        Assert.Equal(Json(spec), Json(unpacked));
        Assert.Equal(["title", "Owner"], unpacked.FrontMatter.Keys);
        Assert.Equal("T", unpacked.FrontMatter["TITLE"]);
    }

    [Fact]
    public void ASpecWithoutTech_KeepsTheNoneInstance_SoItsStatedLanguageStillResolves()
    {
        var spec = new Specification { Title = "t", RawText = "t", Language = "python", Framework = "fastapi" };

        var unpacked = SpecificationCodec.Unpack(SpecificationCodec.Pack(spec));

        Assert.Same(TechInference.None, unpacked.Tech);
        Assert.Null(unpacked.SourcePath);
        Assert.Equal(("python", "spec", "fastapi", "spec"), Resolved(unpacked));
        Assert.Equal(Resolved(spec), Resolved(unpacked));
    }

    [Fact]
    public async Task LoneSurrogates_RoundTripExactly_PackedAndInAMemo()
    {
        // A string given by a host, or an evidence cut inside a pair: UTF-8 cannot hold it, so it is kept in UTF-16.
        var spec = new Specification
        {
            Title = "bad \uD800 title",
            RawText = "bad \uD800 title\n\nok 🚀 line\n",
            Sections = [new SpecSection("cut \uDC00", 1, "x\uD83D", 1), new SpecSection("ok 🚀", 2, "ok 🚀 line\n", 3)],
            Warnings = [new SpecWarning("w", "lone \uDFFF at the end \uD800", 2)],
        };
        var specs = new CheckedSpecs(1, p => p);
        var key = new SpecMemoKey(1, 2);

        specs.Add("bad", spec);
        var fromMemo = SpecificationCodec.DecodeMemo(SpecificationCodec.EncodeMemo(spec, key), key, spec.RawText, null);
        var held = await specs.ReadAsync(0, CancellationToken.None);

        Assert.NotSame(spec, held);
        Assert.Equal(Json(spec), Json(held));
        Assert.Equal(spec.Sections[0].Body, held.Sections[0].Body);
        Assert.Equal(spec.Warnings[0].Message, held.Warnings[0].Message);
        Assert.NotNull(fromMemo);
        Assert.Equal(Json(spec), Json(fromMemo));
    }

    [Theory]
    [MemberData(nameof(SpecFiles))]
    public async Task EveryParsedSpec_DecodesFromItsMemoBytes_AndHoldsLittleMoreThanItsText(string path)
    {
        var spec = await SpecParser.ParseFileAsync(path);
        var key = SpecMemo.Key(spec.RawText, path);

        var memo = SpecificationCodec.EncodeMemo(spec, key);
        var packed = SpecificationCodec.Pack(spec);

        Assert.Equal(Json(spec), Json(SpecificationCodec.DecodeMemo(memo, key, spec.RawText, path)));
        Assert.Null(SpecificationCodec.DecodeMemo(memo, new SpecMemoKey(key.Upper, key.Lower ^ 1), spec.RawText, path));
        // The parse's strings are places in the text: the packed spec is its text in UTF-8 and what the parse rewrote
        // (each string stored again in UTF-8 made it more than twice the text), the memo only that.
        var textBytes = System.Text.Encoding.UTF8.GetByteCount(spec.RawText);
        Assert.True(packed.Length < (2 * textBytes) + 384, $"packed {packed.Length} bytes for a text of {textBytes}");
        Assert.True(memo.Length < packed.Length - textBytes + 64, $"memo {memo.Length} bytes, packed {packed.Length} for a text of {textBytes}");
    }

    [Fact]
    public async Task CheckedSpecs_UnpacksEachWhenRead_AndAReleasedSpecKeepsOnlyItsPath()
    {
        var specs = new CheckedSpecs(2, p => p);
        specs.Add("a.md", SpecParser.Parse("# Alpha\n\n- It MUST exist.\n", "a.md"));
        specs.Add("b.md", SpecParser.Parse("# Beta\n\n- It MUST exist.\n", "b.md"));

        specs.Release(0);

        Assert.Equal(2, specs.Count);
        Assert.Equal(["a.md", "b.md"], specs.Paths);
        Assert.Equal("Beta", (await specs.ReadAsync(1, CancellationToken.None)).Title);
        Assert.NotSame(await specs.ReadAsync(1, CancellationToken.None), await specs.ReadAsync(1, CancellationToken.None));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await specs.ReadAsync(0, CancellationToken.None));
    }

    private static (string?, string, string?, string) Resolved(Specification spec)
    {
        var tech = spec.ResolveTech(null, null);
        return (tech.Language, tech.LanguageSource, tech.Framework, tech.FrameworkSource);
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value);
}
