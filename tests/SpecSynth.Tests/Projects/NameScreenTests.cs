using SpecSynth.Projects;

namespace SpecSynth.Tests.Projects;

public sealed class NameScreenTests
{
    private static readonly string[] Folders = [".aws", ".ssh", ".gnupg", ".azure", ".kube"];
    private static readonly string[] Extensions = [".pem", ".key", ".p12", ".jks", ".tfstate", ".env", ".htpasswd"];
    private static readonly string[] Prefixes = [".env.", "id_rsa", "service-account", "client_secret"];

    // Characters that fold to ASCII letters under ordinal-ignore-case, or look like them.
    private static readonly char[] Lookalikes = ['ſ', 'ı', 'İ', 'K', 'Å', 'ß', 'é'];

    [Fact]
    public void NeverTurnsAwayAName_TheLookupWouldFind()
    {
        var screens = new (string[] Names, NameScreen Screen, bool Prefixes)[]
        {
            (Folders, new NameScreen(Folders, 0), false),
            (Extensions, new NameScreen(Extensions, 1), false),
            (Prefixes, new NameScreen(Prefixes, 0, prefixes: true), true),
            (["kubeconfig", "Ω-notes"], new NameScreen(["kubeconfig", "Ω-notes"], 0), false),
        };
        var checkedMatches = 0;
        foreach (var (names, screen, prefixes) in screens)
        {
            foreach (var candidate in Candidates(names))
            {
                var found = prefixes
                    ? names.Any(n => candidate.StartsWith(n, StringComparison.OrdinalIgnoreCase))
                    : names.Any(n => string.Equals(candidate, n, StringComparison.OrdinalIgnoreCase));
                if (found)
                {
                    checkedMatches++;
                    Assert.True(screen.Admits(candidate), $"'{candidate}' is in the set but the screen turned it away");
                }
            }
        }
        Assert.True(checkedMatches > 100, $"only {checkedMatches} matching names were checked");
    }

    [Theory]
    [InlineData("lib", false)]
    [InlineData("src", false)]
    [InlineData("docs", false)]
    [InlineData(".git", true)] // only a screen: the lookup answers it
    [InlineData(".aws", true)]
    [InlineData(".AWS", true)]
    [InlineData(".Ssh", true)]
    [InlineData(".ſsh", true)]
    public void Folders_ByLengthAndFirstCharacter(string name, bool admitted) =>
        Assert.Equal(admitted, new NameScreen(Folders, 0).Admits(name));

    [Theory]
    [InlineData(".js", false)]
    [InlineData(".cc", false)]
    [InlineData("", false)]
    [InlineData(".pem", true)]
    [InlineData(".PEM", true)]
    [InlineData(".pyc", true)]
    public void Extensions_ByLengthAndTheCharacterAfterTheDot(string name, bool admitted) =>
        Assert.Equal(admitted, new NameScreen(Extensions, 1).Admits(name));

    [Fact]
    public void Prefixes_HaveNoUpperBound() =>
        Assert.True(new NameScreen(Prefixes, 0, prefixes: true).Admits("id_rsa" + new string('x', 500)));

    [Fact]
    public void AnEmptySet_AdmitsNothing() => Assert.False(new NameScreen([], 0).Admits("anything"));

    /// <summary>Each name, its case variants, its letters swapped for lookalikes one at a time, with text after it, and
    /// some names that are not in the set.</summary>
    private static IEnumerable<string> Candidates(string[] names)
    {
        foreach (var name in names)
        {
            yield return name;
            yield return name.ToUpperInvariant();
            yield return name + "x";
            yield return name + ".json";
            yield return "x" + name;
            for (var i = 0; i < name.Length; i++)
            {
                yield return name[..i] + char.ToUpperInvariant(name[i]) + name[(i + 1)..];
                foreach (var lookalike in Lookalikes)
                {
                    yield return name[..i] + lookalike + name[(i + 1)..];
                    yield return (name[..i] + lookalike + name[(i + 1)..]).ToUpperInvariant();
                }
            }
        }
        yield return "";
        yield return ".";
        yield return "readme.md";
    }
}
