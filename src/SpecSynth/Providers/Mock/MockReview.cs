using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace SpecSynth.Providers.Mock;

/// <summary>The mock's review: a requirement counts as met when most of its key terms occur in the code,
/// partly when some do. TODO/FIXME lines are reported as issues. Deterministic.</summary>
internal static partial class MockReview
{
    public static string Reply(string userText)
    {
        var code = string.Join("\n", MockExplain.CodeRegex().Matches(userText).Select(m => m.Groups[2].Value));
        var words = new HashSet<string>(WordRegex().Matches(code).Select(m => m.Value.ToLowerInvariant()), StringComparer.Ordinal);
        var findings = MockReplies.Requirements(userText).Select(r => Finding(r, words)).ToList();
        var issues = Issues(userText);
        var review = new
        {
            summary = string.Create(CultureInfo.InvariantCulture,
                $"Mock review: {findings.Count(f => f.status == "met")} of {findings.Count} requirements met by keyword evidence."),
            requirements = findings,
            issues,
        };
        var json = JsonSerializer.Serialize(review, new JsonSerializerOptions { WriteIndented = true });
        return "Review from the offline mock provider (keyword evidence only).\n\n```json\n" + json + "\n```\n";
    }

    private static MockFinding Finding(string requirement, HashSet<string> codeWords)
    {
        var terms = WordRegex().Matches(requirement).Select(m => m.Value.ToLowerInvariant())
            .Where(w => w.Length >= 4 && !StopWords.Contains(w)).Distinct().ToList();
        var found = terms.Where(codeWords.Contains).ToList();
        var share = terms.Count == 0 ? 0 : (double)found.Count / terms.Count;
        var status = share >= 0.6 ? "met" : share >= 0.3 ? "partly" : "not_met";
        var evidence = string.Create(CultureInfo.InvariantCulture,
            $"{found.Count} of {terms.Count} key terms found in the code{(found.Count > 0 ? ": " + string.Join(", ", found) : "")}");
        return new MockFinding(requirement, status, evidence);
    }

    private static List<MockIssue> Issues(string userText)
    {
        var issues = new List<MockIssue>();
        foreach (Match file in MockExplain.CodeRegex().Matches(userText))
        {
            var path = file.Groups[1].Success ? file.Groups[1].Value : "code";
            var lines = file.Groups[2].Value.Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                if (lines[i].Contains("TODO", StringComparison.Ordinal) || lines[i].Contains("FIXME", StringComparison.Ordinal))
                {
                    issues.Add(new MockIssue("info", string.Create(CultureInfo.InvariantCulture, $"{path}:{i + 1}"), "Unfinished work marked in a comment."));
                }
            }
        }
        return issues;
    }

    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "must", "should", "shall", "with", "that", "this", "then", "when", "from", "into", "each", "have", "will", "system",
        "user", "users", "able", "print", "prints", "exit", "code", "file", "files", "item", "items",
    };

    [GeneratedRegex("[A-Za-z][A-Za-z0-9_]+")]
    private static partial Regex WordRegex();

    private sealed record MockFinding(string requirement, string status, string evidence);

    private sealed record MockIssue(string severity, string location, string message);
}
