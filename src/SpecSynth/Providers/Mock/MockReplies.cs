using System.Text;
using System.Text.RegularExpressions;

namespace SpecSynth.Providers.Mock;

/// <summary>Chooses the mock's reply from the prompt: a bundled reply for the example specs, else a reply built
/// from the prompt itself (a small compilable project, an explanation, or a JSON review).</summary>
internal static partial class MockReplies
{
    public static string For(string userText)
    {
        if (MockContinue.IsCompaction(userText))
        {
            return MockContinue.Summary(userText);
        }
        if (userText.Contains("<requirements>", StringComparison.Ordinal) && userText.Contains("<code", StringComparison.Ordinal)
            && !userText.Contains("<specification", StringComparison.Ordinal))
        {
            return MockReview.Reply(userText);
        }
        if (userText.Contains("<code", StringComparison.Ordinal) && !userText.Contains("<requirements>", StringComparison.Ordinal))
        {
            return MockExplain.Reply(userText);
        }
        if (MockEdits.Reply(userText) is { } edits)
        {
            return MockContinue.Amend(edits, userText);
        }
        // The last element is the request's own: project files shown earlier in the prompt may contain the same markup.
        var title = TitleRegex().Matches(userText) is { Count: > 0 } all ? all[^1].Groups[1].Value : "Generated Project";
        return MockContinue.Amend(Bundled(title) ?? MockProject.Reply(title, Requirements(userText), Language(userText)), userText);
    }

    internal static IReadOnlyList<string> Requirements(string userText)
    {
        var start = userText.LastIndexOf("<requirements>", StringComparison.Ordinal);
        var end = start < 0 ? -1 : userText.IndexOf("</requirements>", start, StringComparison.Ordinal);
        if (start < 0 || end < 0)
        {
            return [];
        }
        return userText[(start + "<requirements>".Length)..end]
            .Split('\n', StringSplitOptions.TrimEntries)
            .Where(l => l.StartsWith("- ", StringComparison.Ordinal))
            .Select(l => l[2..].Trim())
            .ToList();
    }

    private static string? Language(string userText) =>
        LanguageRegex().Match(userText) is { Success: true } m ? m.Groups[1].Value.Trim().ToLowerInvariant() : null;

    private static string? Bundled(string title)
    {
        var key = Slug(title);
        using var stream = typeof(MockReplies).Assembly.GetManifestResourceStream($"SpecSynth.Mock.{key}.reply.md");
        if (stream is null)
        {
            return null;
        }
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    internal static string Slug(string title)
    {
        var sb = new StringBuilder();
        foreach (var c in title.ToLowerInvariant())
        {
            sb.Append(char.IsAsciiLetterOrDigit(c) ? c : '-');
        }
        return MultiDash().Replace(sb.ToString(), "-").Trim('-');
    }

    [GeneratedRegex("<specification title=\"([^\"\\n]{1,200})\">")]
    private static partial Regex TitleRegex();

    [GeneratedRegex("^Language: (.+)$", RegexOptions.Multiline)]
    private static partial Regex LanguageRegex();

    [GeneratedRegex("-{2,}")]
    private static partial Regex MultiDash();
}
