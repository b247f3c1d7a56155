using System.Text.Json;
using SpecSynth.Specs;

namespace SpecSynth.Tests.Specs;

/// <summary>
/// Every labelled spec (the real ones in ../shared/specs/real and the hand-written ones in Specs/Handwritten) against
/// its hand-written label in understanding-labels.json: title, language (and other languages), framework, requirement
/// count range and warning codes. A field listed under known_misses must still be wrong, so a fix forces the label
/// file (and docs/benchmarks.md) to be updated.
/// </summary>
public sealed class SpecUnderstandingTests
{
    private static readonly string LabelsPath = Path.Combine(TestPaths.RepoRoot, "tests", "SpecSynth.Tests", "Specs", "understanding-labels.json");

    public static TheoryData<string> Labelled() => new(Labels().Select(l => l.GetProperty("name").GetString()!));

    private static List<JsonElement> Labels()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(LabelsPath));
        return [.. document.RootElement.GetProperty("specs").EnumerateArray().Select(e => e.Clone())];
    }

    [Fact]
    public void Every_real_and_handwritten_spec_has_a_label()
    {
        var labelled = Labels().Select(l => l.GetProperty("name").GetString()).ToHashSet();
        var files = Directory.EnumerateFiles(TestPaths.RealSpecs, "*.md").Concat(Directory.EnumerateFiles(TestPaths.HandwrittenSpecs, "*.md"))
            .Select(Path.GetFileNameWithoutExtension)
            .Where(n => !string.Equals(n, "README", StringComparison.OrdinalIgnoreCase));
        Assert.All(files, f => Assert.Contains(f, labelled));
        Assert.True(labelled.Count >= 36, $"expected at least 36 labelled specs, found {labelled.Count}");
    }

    [Theory]
    [MemberData(nameof(Labelled))]
    public void The_spec_is_understood_as_its_label_says(string name)
    {
        var label = Labels().Single(l => l.GetProperty("name").GetString() == name);
        var dir = label.GetProperty("set").GetString() == "real" ? TestPaths.RealSpecs : TestPaths.HandwrittenSpecs;
        var spec = SpecParser.ParseFile(Path.Combine(dir, name + ".md"));
        var misses = label.TryGetProperty("known_misses", out var m) ? m.EnumerateObject().Select(p => p.Name).ToHashSet() : [];

        Check("title", label.GetProperty("title").GetString(), spec.Title);
        Check("language", Str(label, "language"), spec.Language);
        Check("framework", Str(label, "framework"), spec.Framework);
        var others = label.TryGetProperty("other_languages", out var o) ? o.EnumerateArray().Select(e => e.GetString()!).ToList() : [];
        Check("other_languages", string.Join(",", others), string.Join(",", spec.Tech.OtherLanguages));
        var range = label.GetProperty("requirements");
        var inRange = spec.Requirements.Count >= range[0].GetInt32() && spec.Requirements.Count <= range[1].GetInt32();
        Check("requirements", "in range", inRange ? "in range" : $"{spec.Requirements.Count} outside {range[0]}-{range[1]}");
        var warnings = label.GetProperty("warnings").EnumerateArray().Select(e => e.GetString()!).Order(StringComparer.Ordinal);
        Check("warnings", string.Join(",", warnings), string.Join(",", spec.Warnings.Select(w => w.Code).Distinct().Order(StringComparer.Ordinal)));

        void Check(string field, string? expected, string? actual)
        {
            if (misses.Contains(field))
            {
                Assert.True(expected != actual, $"{name}: {field} is now right ({actual}); move it out of known_misses");
            }
            else
            {
                Assert.True(expected == actual, $"{name}: {field} expected '{expected}' but was '{actual}'");
            }
        }
    }

    private static string? Str(JsonElement e, string key) => e.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
