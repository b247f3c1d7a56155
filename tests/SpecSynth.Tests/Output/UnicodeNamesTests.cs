using System.Globalization;
using System.Text;
using SpecSynth.Output;

namespace SpecSynth.Tests.Output;

/// <summary>Our NFC (the runtime's cannot be used under InvariantGlobalization) against an independent reference.</summary>
public sealed class UnicodeNamesTests
{
    [Fact]
    public void StringNormalize_DoesNothingUnderInvariantGlobalization_WhichIsWhyUnicodeNamesExists()
    {
        // The project sets InvariantGlobalization=true (Directory.Build.props); tests run the same way.
        Assert.True(AppContext.TryGetSwitch("System.Globalization.Invariant", out var invariant) && invariant);
        const string decomposed = "Re\u0301sume\u0301.txt";

        Assert.Equal(decomposed, decomposed.Normalize(NormalizationForm.FormC));
        Assert.True(decomposed.IsNormalized(NormalizationForm.FormC));
        Assert.Equal("R\u00e9sum\u00e9.txt", UnicodeNames.ToNfc(decomposed));
    }

    [Theory]
    [InlineData("e\u0301", "\u00e9")]
    [InlineData("\u212B", "\u00C5")] // ANGSTROM SIGN: a singleton, never composed back
    [InlineData("a\u0323\u0302", "\u1EAD")] // marks in canonical order
    [InlineData("a\u0302\u0323", "\u1EAD")] // marks out of order: reordered, then composed
    [InlineData("\u1100\u1161\u11A8", "\uAC01")] // Hangul L V T
    [InlineData("\u0915\u093C", "\u0915\u093C")] // composition exclusion: stays decomposed
    [InlineData("\u0958", "\u0915\u093C")]
    [InlineData("plain/ascii.cs", "plain/ascii.cs")]
    public void ToNfc_ComposesCanonically(string input, string expected) =>
        Assert.Equal(expected, UnicodeNames.ToNfc(input));

    [Fact]
    public void ToNfc_MatchesTheReferenceOnEveryDecomposableCharacterAndRandomSequences()
    {
        var file = Path.Combine(TestPaths.RepoRoot, "tests", "SpecSynth.Tests", "Output", "nfc-conformance.txt");
        var lines = File.ReadAllLines(file).Where(l => !l.StartsWith('#')).ToList();
        var failures = new List<string>();
        foreach (var line in lines)
        {
            var parts = line.Split(';');
            var input = Decode(parts[0]);
            var expected = Decode(parts[1]);
            if (UnicodeNames.ToNfc(input) != expected)
            {
                failures.Add(line);
            }
        }
        Assert.True(lines.Count > 5000, $"only {lines.Count} reference lines");
        Assert.True(failures.Count == 0, $"{failures.Count} of {lines.Count} differ, e.g. {string.Join(" | ", failures.Take(5))}");
    }

    private static string Decode(string hex) =>
        string.Concat(hex.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(h => new Rune(int.Parse(h, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture)).ToString()));
}
