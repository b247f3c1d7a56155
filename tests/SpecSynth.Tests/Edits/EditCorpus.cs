using SpecSynth.Edits;
using SpecSynth.Parsing;

namespace SpecSynth.Tests.Edits;

/// <summary>
/// The hand-written corpus of edit-shaped replies under <c>Edits/Corpus</c> (written for specsynth, no outside source): each
/// case names its expected outcome (<c>exact</c>, <c>fuzzy</c>, <c>refused</c>), the base file it edits (a copy of a file of
/// this repository or a small hand-written one, placed at the path the reply names; <c>none</c> for a new file) and checks on
/// the result. The format: header lines <c>key: value</c>, then <c>=== reply</c> and the reply.
/// </summary>
internal sealed record EditCorpusCase(string Name, string Expect, string? Base, string Path, IReadOnlyList<(string Key, string Value)> Checks,
    string Note, string Reply)
{
    public static string Folder => System.IO.Path.Combine(TestPaths.RepoRoot, "tests", "SpecSynth.Tests", "Edits", "Corpus");

    public static IReadOnlyList<EditCorpusCase> All() =>
        [.. Directory.GetFiles(Folder, "*.txt").Order(StringComparer.Ordinal).Select(Read)];

    private static EditCorpusCase Read(string file)
    {
        var text = File.ReadAllText(file);
        var split = text.IndexOf("=== reply\n", StringComparison.Ordinal);
        var header = text[..split].Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => (Key: l[..l.IndexOf(':', StringComparison.Ordinal)], Value: l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..]))
            .ToList();
        var basePart = header.Single(h => h.Key == "base").Value.Split("->", StringSplitOptions.TrimEntries);
        return new EditCorpusCase(System.IO.Path.GetFileNameWithoutExtension(file), header.Single(h => h.Key == "expect").Value.Trim(),
            basePart[0] == "none" ? null : basePart[0], basePart[1],
            [.. header.Where(h => h.Key is not ("expect" or "base" or "note"))], header.Single(h => h.Key == "note").Value.Trim(),
            text[(split + "=== reply\n".Length)..]);
    }

    /// <summary>Runs the case in <paramref name="root"/>: the base file written there, the reply parsed and applied in memory.</summary>
    public (string Outcome, AppliedReply Applied) Run(string root)
    {
        var sent = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Base is not null)
        {
            var content = File.ReadAllText(System.IO.Path.Combine(Folder, "base", Base));
            var full = System.IO.Path.Combine(root, Path);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
            // "stale": the prompt showed an older version of the file than the one on disk now.
            sent[Path] = Checks.Any(c => c.Key == "stale") ? "// an older version\n" + content : content;
        }
        var applied = ReplyApplier.Apply(ResponseParser.Parse(Reply), new EditContext(root, null, sent), []);
        var outcome = applied.Failures.Count > 0 ? "refused"
            : applied.Outcomes.Values.Any(o => o == EditOutcome.Fuzzy) ? "fuzzy"
            : "exact";
        return (outcome, applied);
    }
}
